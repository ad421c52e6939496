"""/start (welcome, bootstrap admins, invite codes) and /help."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import AppContext
from models import Role
from services.people import TelegramIdentity, ensure_bootstrap_admin, reactivate_contact


def identity(update: Update) -> TelegramIdentity:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None
    assert chat is not None
    return TelegramIdentity(
        user_id=user.id,
        name=user.full_name,
        username=user.username,
        chat_id=chat.id,
        chat_kind="private" if chat.type == "private" else "group",
        chat_title=chat.title,
    )


async def start_command(update: Update, context: AppContext) -> None:
    message = update.effective_message
    assert message is not None
    deps, who = context.deps, identity(update)
    now = deps.clock.now()
    actor = context.actor
    async with deps.session_factory.begin() as session:
        if actor is None and who.user_id in deps.settings.admin_telegram_ids:
            actor = await ensure_bootstrap_admin(session, who, now)
        elif actor is not None:
            await reactivate_contact(session, who.chat_id)
    if actor is None:
        await message.reply_html(texts.welcome_unregistered(who.user_id))
        return
    await message.reply_html(
        texts.welcome_back(actor.name, texts.ROLE_LABELS[actor.role], actor.unit_name)
    )


async def help_command(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    office = actor.role in (Role.ADMIN, Role.SUPERVISOR)
    await message.reply_html(texts.HELP_SUPERVISOR if office else texts.HELP_UNIT)
