"""Routing plain messages and files by who sent them.

The office sends dispatches and answers the draft's questions; a unit's people send
replies to their tasks. One entry point per kind of message keeps the order explicit.

In a group chat only a unit's replies to its tasks are for the bot: dispatches shared there
are not drafted (a draft would show the whole dispatch to the group), and other talk and
files get no answer.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot import pending as questions
from bot import texts
from bot.access import EVERYONE, guarded
from bot.context import AnyApplication, AppContext
from bot.handlers import dispatches, replies


async def text_message(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    text = message.text or ""
    if actor.is_office and message.chat.type != "private":
        return
    if actor.is_office:
        # An answer, a pasted dispatch or chat: one rule for every flow (bot.pending).
        if questions.takes(context, message.chat_id, text):
            if await dispatches.pending_input(message, context, text):
                return
            if await replies.office_input(message, context, text):
                return
        if len(text) >= questions.PASTED_DISPATCH:
            await dispatches.pasted_dispatch(message, context, text)
            return
        await message.reply_html(texts.UNKNOWN_MESSAGE_OFFICE)
        return
    await replies.unit_text(message, context, text)


async def document_message(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    private = message.chat.type == "private"
    if actor.is_office:
        if private:
            await dispatches.document_message(update, context)
        return
    # A unit's report (a reply to its task, or right after its completion); otherwise a unit
    # person trying to send a dispatch.
    if await replies.report_file(message, context):
        return
    if private:
        await message.reply_html(texts.ONLY_OFFICE_INGESTS)


async def photo_message(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    if actor.is_office or await replies.report_file(message, context):
        return
    if message.chat.type == "private":
        await message.reply_html(texts.UNKNOWN_MESSAGE)


def register(application: AnyApplication) -> None:
    application.add_handler(
        MessageHandler(filters.Document.ALL, guarded(document_message, EVERYONE))
    )
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, guarded(text_message, EVERYONE))
    )
    application.add_handler(MessageHandler(filters.PHOTO, guarded(photo_message, EVERYONE)))
