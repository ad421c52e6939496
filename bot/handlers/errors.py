"""Unknown commands and messages, and the last-resort error handler."""

from __future__ import annotations

import errno
import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.context import DEPS_KEY, AppContext, Deps
from bot.notifier import send_direct
from bot.outgoing import Outgoing
from services.people import admin_chat_ids

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: AppContext) -> None:
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    command = message.text.split(maxsplit=1)[0].split("@", 1)[0]
    await message.reply_html(texts.unknown_command(command))


def is_disk_full(error: BaseException | None) -> bool:
    """The server's disk (or the database's) is full, wherever in the chain it was said:
    OSError ENOSPC from a file write, SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            return True
        if getattr(error, "sqlstate", None) == "53100":  # asyncpg DiskFullError
            return True
        if getattr(error, "sqlite_errorname", None) == "SQLITE_FULL":
            return True
        if "database or disk is full" in str(error):
            return True
        orig = getattr(error, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's
        error = orig if isinstance(orig, BaseException) else (error.__cause__ or error.__context__)
    return False


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The transaction of the failed update was rolled back by its session context;
    # tell the person so they can retry, and keep the traceback for the operator.
    log.error("update failed", exc_info=context.error)
    disk_full = is_disk_full(context.error)
    answer = texts.DISK_FULL if disk_full else texts.INTERNAL_ERROR
    if isinstance(update, Update):
        if update.callback_query is not None:
            await update.callback_query.answer(answer, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_html(answer)
    if disk_full:
        await _tell_admins_disk_full(context)


async def _tell_admins_disk_full(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Once per process: the admins hear of it at the first failure, not at every one."""
    deps: Deps = context.application.bot_data[DEPS_KEY]
    if deps.runtime.disk_full_reported:
        return
    deps.runtime.disk_full_reported = True
    try:
        async with deps.session_factory() as session:  # reading still works on a full disk
            chats = await admin_chat_ids(session)
    except Exception:
        log.exception("could not list the admins to tell them the disk is full")
        return
    notice = Outgoing(texts.DISK_FULL_ADMIN)
    await send_direct(context.bot, deps, [(chat_id, [notice]) for chat_id in chats])


async def unknown_button(update: Update, context: AppContext) -> None:
    # Callback data no handler claims: stale from an older version, or forged.
    query = update.callback_query
    assert query is not None
    await query.answer(texts.NOT_YOURS, show_alert=True)
