"""Fetching a file a person sent, with Telegram's size limit and failures said in Vietnamese."""

from __future__ import annotations

from telegram import Message
from telegram.error import BadRequest, TelegramError

from bot import texts
from bot.context import AppContext


async def download(
    message: Message, context: AppContext, file_id: str, size: int | None, name: str
) -> bytes | None:
    """The file's bytes, or None after telling the sender why it could not be had."""
    limit_mb = context.deps.settings.max_file_mb
    too_big = texts.FILE_TOO_BIG.format(name=texts.esc(name), limit=limit_mb)
    if size and size > limit_mb * 1024 * 1024:
        await message.reply_html(too_big)
        return None
    try:
        telegram_file = await context.bot.get_file(file_id)
        return bytes(await telegram_file.download_as_bytearray())
    except BadRequest as error:
        # Telegram's getFile refuses files over 20 MB whatever size the client declared.
        failed = "too big" in str(error).lower()
        await message.reply_html(
            too_big if failed else texts.FILE_DOWNLOAD_FAILED.format(name=texts.esc(name))
        )
    except TelegramError:
        await message.reply_html(texts.FILE_DOWNLOAD_FAILED.format(name=texts.esc(name)))
    return None
