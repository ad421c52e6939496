"""/start (welcome, bootstrap admins, invite codes), /help and /roi (leave)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, texts
from bot import pending as questions
from bot.access import EVERYONE, guarded
from bot.context import AnyApplication, AppContext
from bot.menus import show_menu
from bot.notifier import send_direct
from bot.outgoing import Outgoing
from models import Role
from services.people import TelegramIdentity, ensure_bootstrap_admin, reactivate_contact
from services.registration import RedeemStatus, leave, redeem_invite


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
    code = context.args[0] if context.args else None
    actor = context.actor
    async with deps.session_factory.begin() as session:
        if code:
            result = await redeem_invite(session, code, who, now)
        elif actor is None and who.user_id in deps.settings.admin_telegram_ids:
            actor = await ensure_bootstrap_admin(session, who, now)
        elif actor is not None:
            await reactivate_contact(session, who.chat_id)
    if code:
        if result.status is RedeemStatus.REGISTERED and result.actor is not None:
            label = texts.ROLE_LABELS[result.actor.role]
            await message.reply_html(texts.redeem_registered(label, result.unit_name))
            await show_menu(context.bot, who.user_id, result.actor.role)
            notice = texts.person_registered(result.actor.name, label, result.unit_name)
            await send_direct(context.bot, deps, [(c, [Outgoing(notice)]) for c in result.told])
        elif result.status is RedeemStatus.ALREADY_REGISTERED and result.actor is not None:
            label = texts.ROLE_LABELS[result.actor.role]
            await message.reply_html(texts.redeem_already_registered(label, result.unit_name))
        elif result.status is RedeemStatus.GROUP_BOUND:
            await message.reply_html(texts.redeem_group_bound(result.unit_name))
        else:
            await message.reply_html(texts.REDEEM_REFUSED[result.status.value])
        return
    if actor is None:
        await message.reply_html(texts.welcome_unregistered(who.user_id))
        return
    await message.reply_html(
        texts.welcome_back(actor.name, texts.ROLE_LABELS[actor.role], actor.unit_name)
    )
    await show_menu(context.bot, who.user_id, actor.role)  # also heals a menu that failed


async def help_command(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    if actor is None:  # /help is in the strangers' menu: tell them how to register
        await message.reply_html(texts.welcome_unregistered(identity(update).user_id))
        return
    office = actor.role in (Role.ADMIN, Role.SUPERVISOR)
    await message.reply_html(texts.HELP_SUPERVISOR if office else texts.HELP_UNIT)


async def leave_command(update: Update, context: AppContext) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_html(texts.LEAVE_CONFIRM, reply_markup=keyboards.leave_confirm())


async def leave_button(update: Update, context: AppContext) -> None:
    query, actor = update.callback_query, context.actor
    assert query is not None
    assert actor is not None
    if query.data != keyboards.LEAVE_YES:
        await query.answer()
        await query.edit_message_text(texts.CANCELLED)
        return
    chat = update.effective_chat
    assert chat is not None
    deps = context.deps
    now = deps.clock.now()
    async with deps.session_factory.begin() as session:
        message_id = query.message.message_id if query.message else None
        await leave(session, actor, now, actor.origin(chat.id, message_id))
    await query.answer()
    await query.edit_message_text(texts.LEFT)
    await show_menu(context.bot, actor.telegram_user_id, None)


async def cancel_command(update: Update, context: AppContext) -> None:
    """/huy: forget whatever typed answer the bot was waiting for, in any flow."""
    message = update.effective_message
    assert message is not None
    had = questions.forget(context)
    await message.reply_html(texts.INPUT_CANCELLED if had else texts.NOTHING_TO_CANCEL)


def register(application: AnyApplication) -> None:
    application.add_handler(CommandHandler("huy", guarded(cancel_command, EVERYONE)))
    application.add_handler(CommandHandler("start", start_command))
    application.add_handler(CommandHandler("help", help_command))  # strangers too
    application.add_handler(CommandHandler("roi", guarded(leave_command, EVERYONE)))
    application.add_handler(
        CallbackQueryHandler(guarded(leave_button, EVERYONE), pattern=keyboards.LEAVE_PATTERN)
    )
