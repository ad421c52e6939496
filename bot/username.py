"""Asking Telegram for the bot's @username (for invite deep links made outside the bot)."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from bot.settings import Settings


async def fetch_bot_username(settings: Settings) -> str | None:
    """The bot's username, or None when there is no token or Telegram cannot be reached."""
    if not settings.telegram_bot_token:
        return None
    bot = Bot(
        settings.telegram_bot_token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
    )
    try:
        async with bot:
            return bot.username
    except (TelegramError, OSError):
        return None
