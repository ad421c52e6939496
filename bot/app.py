"""Building the PTB Application: access gate, each area's handlers, rate limiter, commands."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand, MenuButtonWebApp, Update, WebAppInfo
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import texts
from bot.access import access_gate
from bot.context import CONTEXT_TYPES, DEPS_KEY, AnyApplication, Deps
from bot.handlers import (
    admin,
    chats,
    dispatches,
    errors,
    messages,
    reminders,
    replies,
    report,
    start,
    summaries,
    tasks,
)
from bot.notifier import NotifierRateLimiter
from jobs import register as register_jobs
from models.db import create_session_factory
from nhacviec.clock import Clock, SystemClock
from nhacviec.settings import Settings

# Telegram's command menu; the descriptions live with every other string in texts.
MENU = [BotCommand(command, description) for command, description in texts.MENU_COMMANDS]


def build_application(
    settings: Settings,
    engine: AsyncEngine,
    *,
    clock: Clock | None = None,
    dispose_engine: bool = False,
) -> AnyApplication:
    """The bot, ready to ``initialize()``; the caller owns the engine unless told otherwise."""

    async def post_init(application: AnyApplication) -> None:
        await application.bot.set_my_commands(MENU)
        if settings.web_app_enabled:
            assert settings.web_app_url is not None
            button = MenuButtonWebApp(texts.WEB_APP_MENU_BUTTON, WebAppInfo(settings.web_app_url))
            await application.bot.set_chat_menu_button(menu_button=button)

    async def post_shutdown(application: AnyApplication) -> None:
        if dispose_engine:
            await engine.dispose()

    application = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(CONTEXT_TYPES)
        # Telegram's global limits; 429s are retried after the time Telegram names (the
        # notifier paces its own sends and handles their 429s per chat).
        .rate_limiter(NotifierRateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data[DEPS_KEY] = Deps(
        settings=settings,
        session_factory=create_session_factory(engine),
        clock=clock or SystemClock(),
        calendar=settings.calendar(),
    )
    add_handlers(application)
    register_jobs(application)
    return application


def add_handlers(application: AnyApplication) -> None:
    chats.register(application)  # group -2: chat migrations, whoever caused them
    # Group -1 runs before every other handler: the one place access is decided.
    application.add_handler(TypeHandler(Update, access_gate), group=-1)
    for area in (start, admin, dispatches, tasks, replies, reminders, summaries, report, messages):
        area.register(application)
    # Last in the group: any command no handler above took.
    application.add_handler(MessageHandler(filters.COMMAND, errors.unknown_command))
    application.add_handler(CallbackQueryHandler(errors.unknown_button))
    application.add_error_handler(errors.error_handler)
