"""A unit's own tasks: /viec, and the original dispatch behind a task (📄)."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, texts
from bot.access import EVERYONE, OFFICE, guarded
from bot.context import AnyApplication, AppContext
from bot.ids import db_id
from bot.notifier import deliver_claims
from bot.splitting import pack
from services.assignments import AssignmentError, get_assignment, open_assignments, set_deadline
from services.audience import Event
from services.date_input import DateInputError, parse_user_date
from services.files import read_stored
from services.notices import claim_notice


async def viec_command(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    if actor.unit_id is None:
        await message.reply_html(texts.MY_TASKS_OFFICE)
        return
    deps = context.deps
    today = deps.today()
    async with deps.session_factory() as session:
        rows = await open_assignments(session, actor.unit_id)
    unit = texts.esc(actor.unit_name or "")
    if not rows:
        await message.reply_html(texts.MY_TASKS_EMPTY.format(unit=unit))
        return
    blocks = [texts.MY_TASKS_HEADER.format(unit=unit, count=len(rows))]
    blocks += [
        texts.my_task_line(
            r.assignment_id,
            r.task_ref,
            r.task_text,
            texts.dispatch_title(r.dispatch_kind, r.dispatch_number, r.dispatch_subject),
            r.due_on,
            r.status,
            today,
            r.period_key,
        )
        for r in rows
    ]
    for part in pack(blocks):
        await message.reply_html(part)


async def original_button(update: Update, context: AppContext) -> None:
    query, actor = update.callback_query, context.actor
    assert query is not None
    assert actor is not None
    press = keyboards.parse_press(query.data)
    assignment_id = press.ident if press is not None else 0
    deps = context.deps
    async with deps.session_factory() as session:
        row = await get_assignment(session, assignment_id)
    # A unit's people see only their own unit's dispatches.
    if row is None or not (actor.is_office or row.unit_id == actor.unit_id):
        await query.answer(texts.NOT_YOURS, show_alert=True)
        return
    if row.file_path is None:
        await query.answer(texts.ORIGINAL_MISSING, show_alert=True)
        return
    try:
        data = await asyncio.to_thread(read_stored, deps.settings.data_dir, row.file_path)
    except OSError:
        await query.answer(texts.ORIGINAL_MISSING, show_alert=True)
        return
    await query.answer()
    name = row.file_name or f"van-ban{row.file_path[row.file_path.rfind('.') :]}"
    assert query.message is not None
    title = texts.dispatch_title(row.dispatch_kind, row.dispatch_number, row.dispatch_subject)
    await query.message.chat.send_document(
        InputFile(data, filename=name),
        caption=texts.ORIGINAL_CAPTION.format(title=title, ref=texts.esc(row.task_ref)),
        parse_mode=ParseMode.HTML,
    )


async def han_command(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    args = context.args or []
    if len(args) < 2 or not args[0].lstrip("#").isdigit():
        await message.reply_html(texts.HAN_USAGE)
        return
    assignment_id = db_id(args[0].lstrip("#"))
    deps = context.deps
    now = deps.clock.now()
    try:
        on = parse_user_date(" ".join(args[1:]), deps.local_date(now), calendar=deps.calendar)
    except DateInputError as error:
        await message.reply_html(texts.date_input_error(error.code, error.fragment))
        return
    try:
        async with deps.session_factory.begin() as session:
            moved = await set_deadline(
                session,
                assignment_id,
                on,
                now=now,
                origin=actor.origin(message.chat_id, message.message_id),
            )
            claims = await claim_notice(
                session,
                Event.DEADLINE_CHANGE,
                assignment_id=assignment_id,
                unit_id=moved.row.unit_id,
                body=texts.deadline_moved_to_unit(moved),
                now=now,
            )
    except AssignmentError as error:
        shown = texts.esc(args[0].lstrip("#"))  # as typed: an id past 64 bits reads as 0
        await message.reply_html(texts.HAN_ERRORS[error.code].format(id=shown))
        return
    row = moved.row
    await message.reply_html(
        texts.HAN_SET.format(
            id=assignment_id,
            ref=texts.esc(row.task_ref),
            unit=texts.esc(moved.unit_name),
            date=texts.fmt_date(on),
        )
    )
    await deliver_claims(context.bot, deps, claims)


def register(application: AnyApplication) -> None:
    application.add_handler(CommandHandler("viec", guarded(viec_command, EVERYONE)))
    application.add_handler(CommandHandler("han", guarded(han_command, OFFICE)))
    application.add_handler(
        CallbackQueryHandler(guarded(original_button, EVERYONE), pattern=keyboards.ORIGINAL_PATTERN)
    )
