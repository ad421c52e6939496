"""A unit's answers to its tasks, and the office's decisions on them.

Thin glue over ``services.completions``: replies to task and reminder messages (found through
the delivery ledger), a bare "xong", the task buttons (✅ asks for a note, 🕒 for a date), undo,
report files, and the office's extension decisions and returns. Messages go out after the
transaction commits.

A question waiting for a note, a date or a reason is kept by bot.pending (one per person,
bound to its chat, forgotten after a while, in the database between updates).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from datetime import date, datetime
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import keyboards, texts
from bot import pending as questions
from bot.access import EVERYONE, OFFICE, guarded
from bot.context import BARE_INPUT_KEY, AnyApplication, AppContext, Deps
from bot.downloads import download
from bot.ids import db_id
from bot.notifier import deliver_claims
from bot.outgoing import notice_markup
from services.audience import Event
from services.completions import (
    AlreadyDone,
    AssignmentInfo,
    CompletionError,
    check_owner,
    decide_extension,
    is_on_time,
    load_assignment,
    load_extension,
    notifies_completions,
    open_choices,
    recent_completion,
    record_attachment,
    record_completion,
    record_progress,
    request_extension,
    return_completion,
    set_notify_completions,
    stop_obligation,
    undo_completion,
)
from services.date_input import DateInputError, parse_user_date
from services.deliveries import MessageTarget, assignment_for_message
from services.events import Origin
from services.files import store_file
from services.notices import claim_notice
from services.reply_reading import read_reply
from services.slots import SlotKind
from services.text_norm import fold

log = logging.getLogger(__name__)


def _local_now(deps: Deps) -> datetime:
    """The time in TIMEZONE: the reply reader tells a past hour («xong lúc 8 giờ») by it."""
    return deps.clock.now().astimezone(deps.settings.timezone)


BARE_KEY = BARE_INPUT_KEY


# --- Small helpers ----------------------------------------------------------------------------


def _ref(info: AssignmentInfo) -> str:
    """The task's number, with the period for a periodic obligation ("1, kỳ tháng 11/2026")."""
    return texts.ref_label(info.task_ref, info.period_key)


def _local(moment: datetime | None, deps: Deps) -> str:
    return texts.local_time(moment, deps.settings.timezone) if moment else ""


def _origin(context: AppContext, message: Message | None) -> Origin:
    actor = context.actor
    assert actor is not None
    if message is None:
        return actor.origin()
    return actor.origin(message.chat_id, message.message_id)


def _user_data(context: AppContext) -> dict[Any, Any]:
    assert context.user_data is not None
    return context.user_data


async def _drop_markup(message: Message) -> None:
    with suppress(BadRequest):  # already without buttons, or too old to edit
        await message.edit_reply_markup(None)


# --- The actions, shared by replies, buttons and typed input ---------------------------------


async def complete(
    message: Message,
    context: AppContext,
    assignment_id: int,
    note: str | None,
    *,
    period_due: date | None = None,
) -> None:
    """Record the completion, answer in ``message``'s chat, tell supervisors who asked.

    For a periodic obligation, ``period_due`` (the due date a replied reminder names)
    picks the period; otherwise the oldest one still to report is done."""
    deps, actor = context.deps, context.actor
    assert actor is not None
    now = deps.clock.now()
    try:
        async with deps.session_factory.begin() as session:
            outcome = await record_completion(
                session,
                assignment_id,
                actor,
                now=now,
                tz=deps.settings.timezone,
                note=note,
                origin=_origin(context, message),
                period_due=period_due,
            )
            info = outcome.info
            on_time = is_on_time(deps.local_date(now), info.due_on)
            claims = (
                []
                if isinstance(outcome, AlreadyDone)
                else await claim_notice(
                    session,
                    Event.COMPLETION,
                    assignment_id=assignment_id,
                    unit_id=info.unit_id,
                    body=texts.completion_notice(
                        info.unit_name,
                        _ref(info),
                        info.task_text,
                        actor.name,
                        _local(now, deps),
                        info.note,
                        on_time,
                    ),
                    markup=notice_markup(keyboards.return_completion(assignment_id)),
                    now=now,
                )
            )
    except CompletionError as error:
        await message.reply_html(texts.flow_error(error.code))
        return
    if isinstance(outcome, AlreadyDone):
        await message.reply_html(
            texts.already_done(_ref(info), _local(info.done_at, deps), info.done_by_name)
        )
        return
    log.info("assignment completed", extra={"assignment_id": assignment_id})
    if info.period_key is not None:
        recorded = texts.period_done_recorded(
            info.task_ref,
            info.period_key,
            _local(now, deps),
            info.note,
            on_time,
            info.due_on,
            info.next_key,
            info.next_due_on,
        )
    else:
        recorded = texts.done_recorded(
            _ref(info), _local(now, deps), info.note, on_time, info.due_on
        )
    await message.reply_html(recorded, reply_markup=keyboards.undo(assignment_id))
    await deliver_claims(context.bot, deps, claims)


async def _progress(
    message: Message, context: AppContext, assignment_id: int, note: str | None, percent: int | None
) -> None:
    deps, actor = context.deps, context.actor
    assert actor is not None
    now = deps.clock.now()
    try:
        async with deps.session_factory.begin() as session:
            info = await record_progress(
                session,
                assignment_id,
                actor,
                note=note,
                percent=percent,
                now=now,
                origin=_origin(context, message),
            )
    except CompletionError as error:
        await message.reply_html(texts.flow_error(error.code))
        return
    if info.status == "done":
        await message.reply_html(
            texts.progress_after_done(
                _ref(info), _local(now, deps), percent, _local(info.done_at, deps)
            )
        )
        return
    await message.reply_html(texts.progress_recorded(_ref(info), _local(now, deps), percent))


async def _extend(
    message: Message,
    context: AppContext,
    assignment_id: int,
    proposed_on: date | None,
    reason: str | None,
    bad_date: str | None = None,
    *,
    period_due: date | None = None,
) -> None:
    """File the request, or ask for the date when the reply gave none (or an impossible one).

    For a periodic obligation, ``period_due`` (from the replied reminder) picks the period."""
    deps, actor = context.deps, context.actor
    assert actor is not None
    now = deps.clock.now()
    try:
        async with deps.session_factory.begin() as session:
            request = await request_extension(
                session,
                assignment_id,
                actor,
                proposed_on=proposed_on,
                reason=reason,
                now=now,
                tz=deps.settings.timezone,
                origin=_origin(context, message),
                period_due=period_due,
            )
            info = request.assignment
            assert request.proposed_on is not None
            claims = await claim_notice(
                session,
                Event.EXTENSION_REQUEST,
                assignment_id=assignment_id,
                unit_id=info.unit_id,
                body=texts.extension_notice(
                    info.unit_name,
                    _ref(info),
                    info.task_text,
                    info.due_on,
                    request.proposed_on,
                    request.reason,
                    actor.name,
                    _local(now, deps),
                ),
                markup=notice_markup(keyboards.extension_decision(request.request_id)),
                now=now,
            )
    except CompletionError as error:
        if error.code in ("no_date", "in_the_past", "not_later"):
            questions.ask(
                context,
                questions.REPLY,
                "ext",
                message.chat_id,
                id=assignment_id,
                reason=reason,
                period=period_due.isoformat() if period_due else None,
            )
            async with deps.session_factory() as session:
                current = await load_assignment(session, assignment_id)
            if error.code != "no_date":
                prefix = texts.flow_error(error.code) + " "
            elif bad_date:
                prefix = texts.date_input_error("not_a_date", bad_date) + " "
            else:
                prefix = ""
            await message.reply_html(
                prefix + texts.ask_extension_date(_ref(current) if current else ""),
                reply_markup=keyboards.stop_flow(assignment_id),
            )
            return
        questions.forget(context)
        await message.reply_html(texts.flow_error(error.code))
        return
    questions.forget(context)
    await message.reply_html(
        texts.extension_requested(_ref(info), request.proposed_on, _local(now, deps))
    )
    await deliver_claims(context.bot, deps, claims)


async def _decide(
    message: Message,
    context: AppContext,
    request_id: int,
    approve: bool,
    new_due: date | None = None,
) -> str | None:
    """Apply the office's decision; return an error text instead of raising."""
    deps, actor = context.deps, context.actor
    assert actor is not None
    now = deps.clock.now()
    try:
        async with deps.session_factory.begin() as session:
            decided = await decide_extension(
                session,
                request_id,
                actor,
                approve=approve,
                now=now,
                tz=deps.settings.timezone,
                origin=_origin(context, message),
                new_due=new_due,
            )
            info, at = decided.assignment, _local(now, deps)
            claims = await claim_notice(
                session,
                Event.EXTENSION_DECISION,
                assignment_id=info.assignment_id,
                unit_id=info.unit_id,
                body=texts.extension_decision_to_unit(
                    _ref(info), approve, info.due_on, info.original_due_on, at
                ),
                now=now,
            )
    except CompletionError as error:
        return texts.flow_error(error.code)
    await message.reply_html(
        texts.extension_decided(info.unit_name, _ref(info), approve, info.due_on, at)
    )
    await deliver_claims(context.bot, deps, claims)
    return None


async def _return(
    message: Message, context: AppContext, assignment_id: int, reason: str | None
) -> None:
    deps, actor = context.deps, context.actor
    assert actor is not None
    now = deps.clock.now()
    try:
        async with deps.session_factory.begin() as session:
            info = await return_completion(
                session,
                assignment_id,
                actor,
                reason=reason,
                now=now,
                origin=_origin(context, message),
            )
            at = _local(now, deps)
            claims = await claim_notice(
                session,
                Event.RETURN,
                assignment_id=assignment_id,
                unit_id=info.unit_id,
                body=texts.returned_to_unit(_ref(info), reason, at),
                now=now,
            )
    except CompletionError as error:
        await message.reply_html(texts.flow_error(error.code))
        return
    await message.reply_html(texts.returned_confirmed(info.unit_name, _ref(info), at))
    await deliver_claims(context.bot, deps, claims)


async def _stop(
    message: Message, context: AppContext, assignment_id: int, reason: str | None
) -> None:
    deps, actor = context.deps, context.actor
    assert actor is not None
    now = deps.clock.now()
    try:
        async with deps.session_factory.begin() as session:
            info = await stop_obligation(
                session,
                assignment_id,
                actor,
                reason=reason,
                now=now,
                tz=deps.settings.timezone,
                origin=_origin(context, message),
            )
            at = _local(now, deps)
            claims = await claim_notice(
                session,
                Event.PERIOD_CLOSED,
                assignment_id=assignment_id,
                unit_id=info.unit_id,
                body=texts.stopped_to_unit(info.task_ref, reason, at),
                now=now,
            )
    except CompletionError as error:
        await message.reply_html(texts.flow_error(error.code))
        return
    await message.reply_html(texts.stopped_confirmed(info.unit_name, info.task_ref, at))
    await deliver_claims(context.bot, deps, claims)


# --- Text from a unit's people ----------------------------------------------------------------


async def _replied_target(message: Message, context: AppContext) -> MessageTarget | None:
    """The assignment (and slot) of the bot message this one replies to, from the ledger."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    # The ledger records a message's id once its send has returned; a reply that quick (or
    # updates now handled concurrently) can arrive first, so a fresh bot message is looked up
    # again for a moment before it counts as unknown.
    for attempt in range(_LEDGER_RETRIES + 1):
        async with context.deps.session_factory() as session:
            found = await assignment_for_message(session, message.chat_id, replied.message_id)
        if found is not None or attempt == _LEDGER_RETRIES or not _just_sent(replied, message):
            return found
        await asyncio.sleep(_LEDGER_RETRY_SECONDS)
    return None


_LEDGER_RETRIES = 10
_LEDGER_RETRY_SECONDS = 0.2


def _just_sent(replied: Message, message: Message) -> bool:
    return (message.date - replied.date).total_seconds() < 10


async def answer_task(
    message: Message,
    context: AppContext,
    assignment_id: int,
    text: str,
    *,
    checkin: bool = False,
    period_due: date | None = None,
) -> None:
    """A reply to a task or reminder message: done, extension, progress or nothing readable.

    A reply to a recurring task's periodic check-in is a progress note whatever it says:
    "thường xuyên" work is reported on, never finished.
    """
    deps = context.deps
    async with deps.session_factory() as session:
        info = await load_assignment(session, assignment_id, period_due=period_due)
    actor = context.actor
    assert actor is not None
    if info is None or info.unit_id != actor.unit_id:
        await message.reply_html(texts.flow_error("gone" if info is None else "not_yours"))
        return
    reading = read_reply(
        text,
        deps.today(),
        current_due=info.due_on,
        calendar=deps.calendar,
        now=_local_now(deps),
    )
    if checkin and reading.kind != "empty":
        await _progress(message, context, assignment_id, text.strip(), reading.percent)
    elif reading.kind == "done":
        await complete(message, context, assignment_id, reading.note, period_due=period_due)
    elif reading.kind == "extension":
        await _extend(
            message,
            context,
            assignment_id,
            reading.proposed_date,
            reading.reason,
            reading.bad_date,
            period_due=period_due,
        )
    elif reading.kind == "progress":
        await _progress(message, context, assignment_id, reading.note, reading.percent)
    else:
        await message.reply_html(texts.reply_empty(_ref(info)))


async def unit_text(message: Message, context: AppContext, text: str) -> None:
    """Plain text from a unit's person, in a private chat or the unit's group."""
    in_group = message.chat.type != "private"
    target = await _replied_target(message, context)
    if target is not None:
        questions.forget(context)
        slot = target.slot
        await answer_task(
            message,
            context,
            target.assignment_id,
            text,
            checkin=slot is not None and slot.kind == SlotKind.CHECK_IN,
            period_due=slot.deadline if slot is not None else None,
        )
        return
    pending = questions.waiting(context, message.chat_id, questions.REPLY, ("note", "ext"))
    if pending is not None:
        await _unit_input(message, context, pending, text)
        return
    reading = read_reply(
        text,
        context.deps.today(),
        calendar=context.deps.calendar,
        now=_local_now(context.deps),
    )
    if reading.kind == "done":
        await _bare_done(message, context, reading.note)
    elif not in_group:  # in a group, other chatter is not for the bot
        await message.reply_html(texts.UNKNOWN_MESSAGE)


async def _unit_input(
    message: Message, context: AppContext, pending: dict[str, Any], text: str
) -> None:
    assignment_id = pending["id"]
    if pending["kind"] == "note":
        questions.forget(context)
        period = pending.get("period")
        period_due = date.fromisoformat(period) if period else None
        await complete(message, context, assignment_id, text, period_due=period_due)
        return
    # "ext": a date and maybe a reason, read the way a reply "xin gia hạn …" is read.
    deps = context.deps
    async with deps.session_factory() as session:
        info = await load_assignment(session, assignment_id)
    due = info.due_on if info else None
    reading = read_reply(
        f"xin gia hạn {text}", deps.today(), current_due=due, calendar=deps.calendar
    )
    reason = reading.reason if reading.kind == "extension" else None
    proposed = reading.proposed_date if reading.kind == "extension" else None
    bad_date = reading.bad_date if reading.kind == "extension" else None
    period = pending.get("period")
    await _extend(
        message,
        context,
        assignment_id,
        proposed,
        reason or pending.get("reason"),
        bad_date,
        period_due=date.fromisoformat(period) if period else None,
    )


async def _bare_done(message: Message, context: AppContext, note: str | None) -> None:
    """ "xong" replying to nothing: ask which task, never guess."""
    actor = context.actor
    assert actor is not None
    if actor.unit_id is None:
        await message.reply_html(texts.UNKNOWN_MESSAGE)
        return
    async with context.deps.session_factory() as session:
        choices = await open_choices(session, actor.unit_id, limit=11)
    if not choices:
        await message.reply_html(texts.no_open_tasks(actor.unit_name))
        return
    shown = choices[:10]
    _user_data(context)[BARE_KEY] = {"note": note, "ids": [c.assignment_id for c in shown]}
    if len(choices) == 1:
        only = choices[0]
        await message.reply_html(
            texts.pick_one(only.task_ref, only.task_text),
            reply_markup=keyboards.confirm_done(only.assignment_id),
        )
        return
    async with context.deps.session_factory() as session:
        total = len(await open_choices(session, actor.unit_id, limit=1000))
    choices_markup = keyboards.done_choices(
        [(c.assignment_id, texts.choice_label(c.task_ref, c.task_text, c.due_on)) for c in shown]
    )
    await message.reply_html(
        texts.pick_many(actor.unit_name or "", total, len(shown)), reply_markup=choices_markup
    )


# --- Files from a unit's people ---------------------------------------------------------------


async def report_file(message: Message, context: AppContext) -> bool:
    """A document or photo that is a report: a reply to a task message (its caption is read
    like a reply), or sent within minutes of this person's completion. False otherwise."""
    deps, actor = context.deps, context.actor
    assert actor is not None
    target = await _replied_target(message, context)
    assignment_id = target.assignment_id if target else None
    caption = (message.caption or "").strip()
    if assignment_id is not None:
        questions.forget(context)
        try:
            async with deps.session_factory() as session:
                await check_owner(session, assignment_id, actor)
        except CompletionError as error:
            await message.reply_html(texts.flow_error(error.code))
            return True
        if caption and target is not None:
            slot = target.slot
            await answer_task(
                message,
                context,
                assignment_id,
                caption,
                checkin=slot is not None and slot.kind == SlotKind.CHECK_IN,
                period_due=slot.deadline if slot is not None else None,
            )
    else:
        async with deps.session_factory() as session:
            recent = await recent_completion(session, actor, deps.clock.now())
        if recent is None:
            return False
        assignment_id = recent.assignment_id
    await _attach(message, context, assignment_id)
    return True


async def _attach(message: Message, context: AppContext, assignment_id: int) -> None:
    deps = context.deps
    if message.document is not None:
        file_id, size = message.document.file_id, message.document.file_size
        name = message.document.file_name or f"bao-cao-{message.message_id}"
    else:
        photo = message.photo[-1]
        file_id, size, name = photo.file_id, photo.file_size, f"anh-{message.message_id}.jpg"
    data = await download(message, context, file_id, size, name)
    if data is None:
        return
    stored = await asyncio.to_thread(store_file, deps.settings.data_dir, "reports", name, data)
    now = deps.clock.now()
    actor = context.actor
    assert actor is not None
    try:
        async with deps.session_factory.begin() as session:
            info = await record_attachment(
                session,
                assignment_id,
                actor,
                stored=stored,
                file_name=name,
                telegram_file_id=file_id,
                now=now,
                origin=_origin(context, message),
            )
    except CompletionError as error:
        await message.reply_html(texts.flow_error(error.code))
        return
    await message.reply_html(texts.attachment_saved(name, _ref(info), _local(now, deps)))


# --- Typed input the office was asked for -----------------------------------------------------


async def office_input(message: Message, context: AppContext, text: str) -> bool:
    """Another date for an extension, or the reason for a return; False when none is pending."""
    pending = questions.waiting(
        context, message.chat_id, questions.REPLY, ("ext_date", "return", "stop")
    )
    if pending is None:
        return False
    if pending["kind"] == "return":
        questions.forget(context)
        await _return(message, context, pending["id"], text)
        return True
    if pending["kind"] == "stop":
        questions.forget(context)
        await _stop(message, context, pending["id"], text)
        return True
    try:
        on = parse_user_date(
            text, context.deps.today(), allow_past=False, calendar=context.deps.calendar
        )
    except DateInputError as error:
        await message.reply_html(texts.date_input_error(error.code, error.fragment))
        return True
    questions.forget(context)
    failed = await _decide(message, context, pending["id"], True, on)
    if failed:
        await message.reply_html(failed)
    return True


# --- Buttons ----------------------------------------------------------------------------------


async def assignment_button(update: Update, context: AppContext) -> None:
    """a:done / a:skip / a:ok / a:ext / a:undo / a:no on a task or confirmation message."""
    query, actor = update.callback_query, context.actor
    assert query is not None
    assert actor is not None
    message = query.message
    press = keyboards.parse_press(query.data)
    if press is None or not isinstance(message, Message):
        await query.answer(texts.NOT_YOURS, show_alert=True)
        return
    action, assignment_id, period_due = press.action, press.ident, press.period_due
    deps = context.deps
    if action == "no":
        questions.forget(context)
        await query.answer()
        await _drop_markup(message)
        await message.reply_html(texts.FLOW_CANCELLED)
        return
    if action == "undo":
        now = deps.clock.now()
        try:
            async with deps.session_factory.begin() as session:
                info = await undo_completion(
                    session, assignment_id, actor, now=now, origin=_origin(context, message)
                )
                claims = await claim_notice(
                    session,
                    Event.UNDO,
                    assignment_id=assignment_id,
                    unit_id=info.unit_id,
                    body=texts.undo_notice(
                        info.unit_name, _ref(info), actor.name, _local(now, deps)
                    ),
                    now=now,
                )
        except CompletionError as error:
            await query.answer(texts.flow_error(error.code), show_alert=True)
            return
        await query.answer()
        await _drop_markup(message)
        await message.reply_html(texts.undone(_ref(info), _local(now, deps)))
        await deliver_claims(context.bot, deps, claims)
        return
    try:
        async with deps.session_factory() as session:
            info = await check_owner(session, assignment_id, actor)
    except CompletionError as error:
        await query.answer(texts.flow_error(error.code), show_alert=True)
        return
    await query.answer()
    if action == "skip":
        questions.forget(context)
        await _drop_markup(message)
        await complete(message, context, assignment_id, None, period_due=period_due)
    elif action == "ok":
        bare = _user_data(context).pop(BARE_KEY, None) or {}
        note = bare.get("note") if assignment_id in bare.get("ids", ()) else None
        await _drop_markup(message)
        await complete(message, context, assignment_id, note)
    elif info.status == "done":
        await message.reply_html(
            texts.already_done(_ref(info), _local(info.done_at, deps), info.done_by_name)
        )
    elif action == "done":
        questions.ask(
            context,
            questions.REPLY,
            "note",
            message.chat_id,
            id=assignment_id,
            period=period_due.isoformat() if period_due else None,
        )
        await message.reply_html(
            texts.ask_done_note(_ref(info)),
            reply_markup=keyboards.skip_note(assignment_id, period_due),
        )
    elif action == "ext":
        questions.ask(
            context,
            questions.REPLY,
            "ext",
            message.chat_id,
            id=assignment_id,
            period=period_due.isoformat() if period_due else None,
        )
        await message.reply_html(
            texts.ask_extension(_ref(info), info.due_on),
            reply_markup=keyboards.stop_flow(assignment_id),
        )


async def extension_button(update: Update, context: AppContext) -> None:
    """x:ok / x:no / x:d on an extension request notice (office only)."""
    query = update.callback_query
    assert query is not None
    message = query.message
    press = keyboards.parse_press(query.data)
    if press is None or not isinstance(message, Message):
        await query.answer(texts.NOT_YOURS, show_alert=True)
        return
    action, request_id = press.action, press.ident
    if action == "d":
        async with context.deps.session_factory() as session:
            request = await load_extension(session, request_id)
        if request is None or request.status != "pending":
            await query.answer(texts.flow_error("decided" if request else "gone"), show_alert=True)
            return
        await query.answer()
        questions.ask(context, questions.REPLY, "ext_date", message.chat_id, id=request_id)
        info = request.assignment
        await message.reply_html(
            texts.ask_office_date(_ref(info), info.unit_name, request.proposed_on),
            reply_markup=keyboards.stop_flow(),
        )
        return
    if action not in ("ok", "no"):
        await query.answer(texts.NOT_YOURS, show_alert=True)
        return
    failed = await _decide(message, context, request_id, action == "ok")
    if failed:
        await query.answer(failed, show_alert=True)
        return
    await query.answer()
    await _drop_markup(message)


async def return_button(update: Update, context: AppContext) -> None:
    """r:ret:<assignment id> on a completion notice: ask the office for the reason."""
    query = update.callback_query
    assert query is not None
    message = query.message
    press = keyboards.parse_press(query.data)
    if press is None or not isinstance(message, Message):
        await query.answer(texts.NOT_YOURS, show_alert=True)
        return
    async with context.deps.session_factory() as session:
        info = await load_assignment(session, press.ident)
    if info is None:
        await query.answer(texts.flow_error("gone"), show_alert=True)
        return
    if info.status != "done":
        await query.answer(texts.flow_error("not_done"), show_alert=True)
        return
    await query.answer()
    questions.ask(context, questions.REPLY, "return", message.chat_id, id=info.assignment_id)
    await message.reply_html(
        texts.ask_return_reason(_ref(info), info.unit_name),
        reply_markup=keyboards.stop_flow(),
    )


# --- Commands ---------------------------------------------------------------------------------


def _id_and_reason(args: list[str]) -> tuple[int, str] | None:
    """ "<mã> <lý do>" of /tralai and /dungky; None when the first word is not an id."""
    if not args or not args[0].lstrip("#").isdigit():
        return None
    return db_id(args[0].lstrip("#")), " ".join(args[1:]).strip()


async def tralai_command(update: Update, context: AppContext) -> None:
    """/tralai <assignment id> <reason>: return a completion as not good enough."""
    message = update.effective_message
    assert message is not None
    parsed = _id_and_reason(context.args or [])
    if parsed is None:
        await message.reply_html(texts.RETURN_USAGE)
        return
    assignment_id, reason = parsed
    if reason:
        await _return(message, context, assignment_id, reason)
        return
    async with context.deps.session_factory() as session:
        info = await load_assignment(session, assignment_id)
    if info is None or info.status != "done":
        await message.reply_html(texts.flow_error("not_done" if info else "gone"))
        return
    questions.ask(context, questions.REPLY, "return", message.chat_id, id=assignment_id)
    await message.reply_html(
        texts.ask_return_reason(_ref(info), info.unit_name),
        reply_markup=keyboards.stop_flow(),
    )


async def dungky_command(update: Update, context: AppContext) -> None:
    """/dungky <assignment id> <reason>: stop a periodic obligation; the unit is told."""
    message = update.effective_message
    assert message is not None
    parsed = _id_and_reason(context.args or [])
    if parsed is None:
        await message.reply_html(texts.STOP_USAGE)
        return
    assignment_id, reason = parsed
    if reason:
        await _stop(message, context, assignment_id, reason)
        return
    await _ask_stop_reason(message, context, assignment_id)


async def _ask_stop_reason(message: Message, context: AppContext, assignment_id: int) -> None:
    async with context.deps.session_factory() as session:
        info = await load_assignment(session, assignment_id)
    if info is None or info.period_rule is None:
        await message.reply_html(texts.flow_error("not_obligation" if info else "gone"))
        return
    questions.ask(context, questions.REPLY, "stop", message.chat_id, id=assignment_id)
    await message.reply_html(
        texts.ask_stop_reason(_ref(info), info.unit_name),
        reply_markup=keyboards.stop_flow(),
    )


async def stop_button(update: Update, context: AppContext) -> None:
    """o:stop:<assignment id> under an obligation's history: ask the office for the reason."""
    query = update.callback_query
    assert query is not None
    message = query.message
    press = keyboards.parse_press(query.data)
    if press is None or press.action != "stop" or not isinstance(message, Message):
        await query.answer(texts.NOT_YOURS, show_alert=True)
        return
    await query.answer()
    await _ask_stop_reason(message, context, press.ident)


_ON = frozenset({"bat", "on", "1", "co"})
_OFF = frozenset({"tat", "off", "0", "khong"})


async def baongay_command(update: Update, context: AppContext) -> None:
    """/baongay bat|tat: hear of each completion at once, or only in the digest."""
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    word = fold(context.args[0]) if context.args else ""
    deps = context.deps
    if word not in _ON | _OFF:
        async with deps.session_factory() as session:
            listening = await notifies_completions(session, actor.person_id)
        await message.reply_html(texts.notify_usage(listening))
        return
    on = word in _ON
    async with deps.session_factory.begin() as session:
        await set_notify_completions(
            session, actor, on, now=deps.clock.now(), origin=_origin(context, message)
        )
    await message.reply_html(texts.NOTIFY_ON if on else texts.NOTIFY_OFF)


def register(application: AnyApplication) -> None:
    application.add_handler(
        CallbackQueryHandler(guarded(assignment_button, EVERYONE), pattern=keyboards.TASK_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(guarded(extension_button, OFFICE), pattern=keyboards.EXTENSION_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(guarded(return_button, OFFICE), pattern=keyboards.RETURN_PATTERN)
    )
    application.add_handler(CommandHandler("tralai", guarded(tralai_command, OFFICE)))
    application.add_handler(CommandHandler("dungky", guarded(dungky_command, OFFICE)))
    application.add_handler(
        CallbackQueryHandler(guarded(stop_button, OFFICE), pattern=keyboards.STOP_PATTERN)
    )
    application.add_handler(CommandHandler("baongay", guarded(baongay_command, OFFICE)))
