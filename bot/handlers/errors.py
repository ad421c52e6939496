"""Unknown commands and messages, and the last-resort error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.context import AppContext

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: AppContext) -> None:
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    command = message.text.split(maxsplit=1)[0].split("@", 1)[0]
    await message.reply_html(texts.unknown_command(command))


async def unknown_message(update: Update, context: AppContext) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_html(texts.UNKNOWN_MESSAGE)


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The transaction of the failed update was rolled back by its session context;
    # tell the person so they can retry, and keep the traceback for the operator.
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update):
        if update.callback_query is not None:
            await update.callback_query.answer(texts.INTERNAL_ERROR, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_html(texts.INTERNAL_ERROR)


async def unknown_button(update: Update, context: AppContext) -> None:
    # Callback data no handler claims: stale from an older version, or forged.
    query = update.callback_query
    assert query is not None
    await query.answer(texts.NOT_YOURS, show_alert=True)
