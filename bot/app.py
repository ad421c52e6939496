"""Building the PTB Application: access gate, each area's handlers, rate limiter, commands."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import MenuButtonWebApp, Update, WebAppInfo
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
from bot.inbox import InboxQueue
from bot.menus import set_default_menu
from bot.pacing import NotifierRateLimiter
from bot.settings import Settings
from bot.updates import PerChatUpdateProcessor
from models.db import create_session_factory
from services.clock import Clock, SystemClock


def build_bot_application(
    settings: Settings,
    engine: AsyncEngine,
    *,
    clock: Clock | None = None,
    dispose_engine: bool = False,
) -> AnyApplication:
    """The bot with its handlers, without its scheduled jobs (nhacviec.app adds them)."""

    async def post_init(application: AnyApplication) -> None:
        await set_default_menu(application.bot)  # per-person menus: bot/menus.py
        if settings.web_app_enabled:
            assert settings.web_app_url is not None
            button = MenuButtonWebApp(texts.WEB_APP_MENU_BUTTON, WebAppInfo(settings.web_app_url))
            await application.bot.set_chat_menu_button(menu_button=button)

    async def post_shutdown(application: AnyApplication) -> None:
        if dispose_engine:
            await engine.dispose()

    queue = InboxQueue()
    processor = PerChatUpdateProcessor(settings.max_concurrent_updates)
    application = (
        ApplicationBuilder()
        .update_queue(queue)
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(CONTEXT_TYPES)
        # Different chats at once, each chat's own updates in order (bot/updates.py).
        .concurrent_updates(processor)
        # Telegram's global limits; 429s are retried after the time Telegram names (the
        # notifier paces its own sends and handles their 429s per chat).
        .rate_limiter(NotifierRateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    deps = Deps(
        settings=settings,
        session_factory=create_session_factory(engine),
        clock=clock or SystemClock(),
        calendar=settings.calendar(),
    )
    application.bot_data[DEPS_KEY] = deps
    # Every update is stored before it is confirmed, and handled once (bot/inbox.py).
    queue.deps = processor.deps = deps
    processor.application = application  # typed-input state: database ⇄ user_data
    add_handlers(application)
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
