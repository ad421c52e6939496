"""Chat-level service updates that must be applied whoever caused them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import AnyApplication, AppContext
from services.deliveries import migrate_chat


async def chat_migrated(update: Update, context: AppContext) -> None:
    """A group became a supergroup: keep its binding under the new chat id.

    Runs before the access gate, since the member who upgraded the group need not be
    registered; it changes nothing but the stored chat id.
    """
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id:
        async with context.deps.session_factory.begin() as session:
            await migrate_chat(session, message.chat_id, message.migrate_to_chat_id)
    raise ApplicationHandlerStop


def register(application: AnyApplication) -> None:
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated), group=-2)
