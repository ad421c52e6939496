"""Administration in chat: invites (/moi), the unit registry, revoking people."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from telegram import Update
from telegram.ext import CommandHandler

from bot import texts
from bot.access import ADMINS, guarded
from bot.context import AnyApplication, AppContext
from bot.ids import db_id
from bot.menus import show_menu
from bot.splitting import pack
from models import UNIT_ROLES, Person, Role
from services.registration import create_invite, revoke_person
from services.text_norm import fold
from services.units import (
    UnitError,
    add_to_group,
    add_unit,
    list_units,
    load_unit_index,
    rename_unit,
)


async def invite_command(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    args = context.args or []
    role_word = fold(args[0]).replace(" ", "") if args else ""
    role_value = texts.ROLE_WORDS.get(role_word)
    if role_value is None:
        await message.reply_html(texts.INVITE_USAGE)
        return
    role = Role(role_value)
    unit_name = " ".join(args[1:]).strip()
    deps = context.deps
    now = deps.clock.now()
    ttl = timedelta(days=deps.settings.invite_ttl_days)
    async with deps.session_factory.begin() as session:
        unit_id, label = None, None
        if role in UNIT_ROLES:
            if not unit_name:
                await message.reply_html(texts.INVITE_USAGE)
                return
            result = (await load_unit_index(session)).match(unit_name)
            if result.kind != "unit":
                names = [c.name for c in result.candidates if c.kind == "unit"][:5]
                await message.reply_html(texts.invite_unit_not_found(unit_name, names))
                return
            unit_id, label = result.unit_ids[0], result.target
        _, code = await create_invite(
            session,
            role=role,
            unit_id=unit_id,
            now=now,
            ttl=ttl,
            origin=actor.origin(message.chat_id, message.message_id),
        )
    # Telegram's deep links: ?start= opens a private chat with the code, ?startgroup= lets the
    # user pick a group, adds the bot there and sends /start@bot <code> in it.
    link = f"https://t.me/{context.bot.username}?start={code}"
    group_link = f"https://t.me/{context.bot.username}?startgroup={code}"
    expires = texts.local_time(now + ttl, deps.settings.timezone)
    await message.reply_html(
        texts.invite_created(texts.ROLE_LABELS[role], label, expires, link, code, group_link)
    )


async def units_command(update: Update, context: AppContext) -> None:
    message = update.effective_message
    assert message is not None
    async with context.deps.session_factory() as session:
        units = await list_units(session)
    blocks = [texts.UNITS_LIST_HEADER.format(count=len(units))]
    blocks += [f"[{u.id}] {texts.esc(u.name)} ({u.contacts})" for u in units]
    for part in pack(blocks, gap="\n"):
        await message.reply_html(part)


async def add_unit_command(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    name = " ".join(context.args or [])
    if not name:
        await message.reply_html(texts.ADMIN_UNIT_USAGE)
        return
    deps = context.deps
    try:
        async with deps.session_factory.begin() as session:
            unit = await add_unit(
                session, name, now=deps.clock.now(), origin=actor.origin(message.chat_id)
            )
            reply = texts.UNIT_ADDED.format(id=unit.id, name=texts.esc(unit.name))
    except UnitError as error:
        reply = texts.UNIT_ERRORS[error.code]
    await message.reply_html(reply)


async def rename_unit_command(update: Update, context: AppContext) -> None:
    await _unit_and_text(update, context, "rename")


async def group_unit_command(update: Update, context: AppContext) -> None:
    await _unit_and_text(update, context, "group")


async def _unit_and_text(update: Update, context: AppContext, action: str) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    args = context.args or []
    if len(args) < 2 or not args[0].isdigit():
        await message.reply_html(texts.ADMIN_UNIT_USAGE)
        return
    unit_id, text = db_id(args[0]), " ".join(args[1:])
    deps = context.deps
    origin = actor.origin(message.chat_id, message.message_id)
    try:
        async with deps.session_factory.begin() as session:
            if action == "rename":
                unit = await rename_unit(
                    session, unit_id, text, now=deps.clock.now(), origin=origin
                )
                reply = texts.UNIT_RENAMED.format(id=unit.id, name=texts.esc(unit.name))
            else:
                group = await add_to_group(
                    session, unit_id, text, now=deps.clock.now(), origin=origin
                )
                reply = texts.UNIT_GROUPED.format(id=unit_id, group=texts.esc(group.name))
    except UnitError as error:
        reply = texts.UNIT_ERRORS[error.code]
    await message.reply_html(reply)


async def revoke_command(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    args = context.args or []
    if len(args) != 1 or not args[0].lstrip("-").isdigit():
        await message.reply_html(texts.ADMIN_UNIT_USAGE)
        return
    user_id = db_id(args[0])
    deps = context.deps
    async with deps.session_factory.begin() as session:
        person_id = await session.scalar(
            select(Person.id).where(Person.telegram_user_id == user_id, Person.active.is_(True))
        )
        person = (
            await revoke_person(session, person_id, deps.clock.now(), actor.origin(message.chat_id))
            if person_id is not None
            else None
        )
    if person is None:
        await message.reply_html(texts.REVOKE_UNKNOWN.format(user_id=user_id))
    else:
        await message.reply_html(texts.REVOKED.format(name=texts.esc(person.name)))
        await show_menu(context.bot, user_id, None)


def register(application: AnyApplication) -> None:
    for command, callback in (
        ("moi", invite_command),
        ("dsdonvi", units_command),
        ("themdonvi", add_unit_command),
        ("doiten", rename_unit_command),
        ("themnhom", group_unit_command),
        ("thuhoi", revoke_command),
    ):
        application.add_handler(CommandHandler(command, guarded(callback, ADMINS)))
