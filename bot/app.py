"""Building the PTB Application: handlers, access gate, rate limiter, commands."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.access import EVERYONE, access_gate, guarded
from bot.context import CONTEXT_TYPES, DEPS_KEY, Deps
from bot.handlers import errors, start
from nhacviec.clock import Clock, SystemClock
from nhacviec.settings import Settings

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# Commands shown in Telegram's menu; descriptions are Vietnamese for the users.
MENU = [
    BotCommand("start", "Bắt đầu, đăng ký"),
    BotCommand("help", "Các lệnh"),
]


def build_application(
    settings: Settings,
    engine: AsyncEngine,
    *,
    clock: Clock | None = None,
    dispose_engine: bool = False,
) -> AnyApplication:
    """The bot, ready to ``initialize()``; the caller owns the engine unless told otherwise."""
    from models.db import create_session_factory

    async def post_init(application: AnyApplication) -> None:
        await application.bot.set_my_commands(MENU)

    async def post_shutdown(application: AnyApplication) -> None:
        if dispose_engine:
            await engine.dispose()

    application = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(CONTEXT_TYPES)
        # Telegram's global limits; 429s are retried after the time Telegram names.
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data[DEPS_KEY] = Deps(
        settings=settings,
        session_factory=create_session_factory(engine),
        clock=clock or SystemClock(),
    )
    add_handlers(application)
    return application


def add_handlers(application: AnyApplication) -> None:
    application.add_handler(TypeHandler(Update, access_gate), group=-1)
    application.add_handler(CommandHandler("start", start.start_command))
    application.add_handler(CommandHandler("help", guarded(start.help_command, EVERYONE)))
    # Last in the group: anything no handler above took.
    application.add_handler(MessageHandler(filters.COMMAND, errors.unknown_command))
    application.add_handler(
        MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, errors.unknown_message)
    )
    application.add_error_handler(errors.error_handler)
