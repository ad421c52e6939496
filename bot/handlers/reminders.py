"""A unit head's reminder switch: /tatnhac mutes non-overdue reminders, /batnhac undoes it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import texts
from bot.access import guarded
from bot.context import AnyApplication, AppContext
from models import Role
from services.reminders import set_unit_muted


async def tatnhac_command(update: Update, context: AppContext) -> None:
    await _switch(update, context, muted=True)


async def batnhac_command(update: Update, context: AppContext) -> None:
    await _switch(update, context, muted=False)


async def _switch(update: Update, context: AppContext, *, muted: bool) -> None:
    message, actor, deps = update.effective_message, context.actor, context.deps
    assert message is not None
    assert actor is not None
    assert actor.unit_id is not None
    async with deps.session_factory.begin() as session:
        changed = await set_unit_muted(
            session,
            actor.unit_id,
            muted,
            deps.clock.now(),
            actor.origin(message.chat_id, message.message_id),
        )
    if muted:
        reply = texts.MUTE_ON if changed else texts.MUTE_ALREADY_ON
    else:
        reply = texts.MUTE_OFF if changed else texts.MUTE_ALREADY_OFF
    await message.reply_html(reply.format(unit=texts.esc(actor.unit_name or "")))


def register(application: AnyApplication) -> None:
    heads, only_heads = {Role.HEAD}, texts.NOT_ALLOWED_HEAD
    for name, callback in (("tatnhac", tatnhac_command), ("batnhac", batnhac_command)):
        application.add_handler(CommandHandler(name, guarded(callback, heads, only_heads)))
