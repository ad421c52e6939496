"""The office's path: a dispatch arrives, the draft is reviewed, the tasks go out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler

from bot import keyboards, texts
from bot import pending as questions
from bot.access import OFFICE, guarded
from bot.context import AnyApplication, AppContext, Deps
from bot.downloads import download
from bot.notifier import deliver
from bot.splitting import pack, reply_long
from ingest import IngestError, parse_text
from ingest.model import RELATIVE, ParsedDispatch
from models import Dispatch, Unit, UnitRole, unit_group_members
from models import UnitGroup as Group
from services.date_input import DateInputError, parse_past_date, parse_user_date
from services.draft_checks import draft_checks, tasks_to_check
from services.drafts import (
    ConfirmOutcome,
    DispatchView,
    DraftError,
    DueView,
    TaskView,
    add_task,
    add_task_units,
    cancel_draft,
    confirm_draft,
    create_draft,
    drop_task,
    drop_unmatched_name,
    load_dispatch,
    remove_task_unit,
    resolve_names,
    set_received_on,
    set_task_deadline,
    set_task_reporting_rule,
)
from services.files import StoredFile, store_file
from services.parse_worker import ParseCancelled, ParseLimitError
from services.units import load_unit_index

log = logging.getLogger(__name__)


# --- Rendering --------------------------------------------------------------------------------


def timing_line(due: DueView) -> str:
    if due.kind == RELATIVE:
        return texts.relative_due_line(due.days, due.working, due.origin, due.since, due.on)
    return texts.due_line(due.kind, due.on, due.phrase)


def task_block(task: TaskView, default_rule: str = "month:19") -> str:
    return texts.draft_task(
        task.ref,
        task.text,
        task.leads,
        task.unmatched,
        task.supports,
        [timing_line(d) for d in task.dues],
        task.unsure,
        texts.draft_period(
            task.period_rule, task.period_undecided, task.period_declined, default_rule
        ),
        task.support_unmatched,
        task.added,
    )


def main_markup(view: DispatchView, deps: Deps) -> InlineKeyboardMarkup:
    """The draft's main buttons, with a choice for each recurring task without a period."""
    rule = deps.settings.default_reporting_rule
    undecided = [(t.id, t.ref) for t in view.tasks if t.period_undecided]
    return keyboards.draft_main(
        view.id, view.version, undecided, texts.rule_description(rule) if undecided else ""
    )


def draft_messages(view: DispatchView, deps: Deps) -> list[str]:
    header = texts.draft_header(
        view.kind,
        view.number,
        view.issuer,
        view.issued_on,
        view.subject,
        len(view.tasks),
        view.received_on,
        view.recipients_unsure,
    )
    expires = _local(view.expires_at, deps) if view.expires_at else ""
    rule = deps.settings.default_reporting_rule
    blocks = [header, *(task_block(t, rule) for t in view.tasks), texts.draft_footer(expires)]
    return pack(blocks)


def _local(moment: datetime, deps: Deps) -> str:
    return texts.local_time(moment, deps.settings.timezone)


async def send_draft(message: Message, view: DispatchView, deps: Deps) -> None:
    parts = draft_messages(view, deps)
    for i, part in enumerate(parts):
        markup = main_markup(view, deps) if i == len(parts) - 1 else None
        await message.chat.send_message(part, parse_mode=ParseMode.HTML, reply_markup=markup)


# --- Receiving a dispatch ---------------------------------------------------------------------


async def document_message(update: Update, context: AppContext) -> None:
    message, actor = update.effective_message, context.actor
    assert message is not None
    assert actor is not None
    document = message.document
    assert document is not None
    deps = context.deps
    name = document.file_name or "van-ban"
    limit_mb = deps.settings.max_file_mb
    if document.file_size and document.file_size > limit_mb * 1024 * 1024:
        await message.reply_html(texts.FILE_TOO_BIG.format(name=texts.esc(name), limit=limit_mb))
        return
    limits = deps.settings.parse_limits()
    await message.reply_html(texts.receiving(name, int(limits.timeout_seconds)))
    data = await download(message, context, document.file_id, document.file_size, name)
    if data is None:
        return
    try:
        # In a worker process with its limits: a bad file stalls nobody else.
        parsed = await deps.runtime.parse_workers.parse(
            data,
            name,
            limits=limits,
            max_bytes=limit_mb * 1024 * 1024,
            received_on=deps.today(),
        )
    except IngestError as error:
        await message.reply_html(texts.ingest_error(error.code, **error.params))
        return
    except ParseLimitError as error:
        log.info("dispatch file refused: %s past %s", error.limit, error.bound)
        await message.reply_html(texts.parse_limit(name, error.limit, error.bound))
        return
    except ParseCancelled:
        await message.reply_html(texts.parse_cancelled(name))
        return
    stored = await asyncio.to_thread(store_file, deps.settings.data_dir, "dispatches", name, data)
    log.info("dispatch file received: %s tasks parsed", len(parsed.tasks))
    await _open_draft(message, context, parsed, stored, name)


async def pasted_dispatch(message: Message, context: AppContext, text: str) -> None:
    try:
        parsed = await asyncio.to_thread(parse_text, text, received_on=context.deps.today())
    except IngestError as error:
        await message.reply_html(texts.ingest_error(error.code, **error.params))
        return
    data = text.encode()
    stored = await asyncio.to_thread(
        store_file, context.deps.settings.data_dir, "dispatches", "van-ban.txt", data
    )
    await _open_draft(message, context, parsed, stored, None)


async def _open_draft(
    message: Message,
    context: AppContext,
    parsed: ParsedDispatch,
    stored: StoredFile,
    file_name: str | None,
) -> None:
    deps, actor = context.deps, context.actor
    assert actor is not None
    now = deps.clock.now()
    async with deps.session_factory.begin() as session:
        outcome = await create_draft(
            session,
            parsed,
            index=await load_unit_index(session),
            stored=stored,
            file_name=file_name,
            now=now,
            ttl=_ttl(deps),
            origin=actor.origin(message.chat_id, message.message_id),
            received_on=deps.today(),
            calendar=deps.calendar,
        )
        view = await load_dispatch(session, outcome.dispatch_id)
        existing = await session.get(Dispatch, outcome.dispatch_id)
    assert view is not None
    if outcome.duplicate_of is not None:
        when = existing.confirmed_at if existing else None
        await message.reply_html(
            texts.duplicate_dispatch(
                texts.dispatch_title(view.kind, view.number, view.subject),
                _local(when, deps) if when else None,
                len(view.tasks),
            )
        )
        return
    if outcome.existing_draft:
        await message.reply_html(texts.EXISTING_DRAFT)
    await send_draft(message, view, deps)


def _ttl(deps: Deps) -> timedelta:
    return timedelta(hours=deps.settings.draft_ttl_hours)


# --- Review buttons ---------------------------------------------------------------------------


async def draft_button(update: Update, context: AppContext) -> None:
    query, actor = update.callback_query, context.actor
    assert query is not None
    assert actor is not None
    message = query.message
    assert isinstance(message, Message)
    press = keyboards.parse_draft_press(query.data)
    if press is None:
        await query.answer(texts.NOT_YOURS, show_alert=True)
        return
    action, dispatch_id, version, task_id = (
        press.action,
        press.dispatch_id,
        press.version,
        press.task_id,
    )
    deps = context.deps
    now = deps.clock.now()
    origin = actor.origin(message.chat_id, message.message_id)
    try:
        if action in ("edit", "back", "show", "t") or press.verb == "u":
            # Answer afterwards: a stale or expired draft answers with an alert instead.
            await _navigate(message, context, press)
            await query.answer()
            return
        if action in ("due", "add", "recv") or press.verb == "f":
            await query.answer()
            await _ask(message, context, press)
            return
        if press.role is not None and task_id is not None:
            await _edit_units(message, context, press, task_id)
            await query.answer()
            return
        if action in ("ok", "go"):
            async with deps.session_factory.begin() as session:
                if action == "ok" and await _ask_before_confirming(
                    message, context, session, dispatch_id, version
                ):
                    await query.answer()
                    return
                confirmed = await _confirm(update, context, session, dispatch_id, version)
            await _announce(update, context, *confirmed)
            return
        async with deps.session_factory.begin() as session:
            if action == "x":
                await cancel_draft(session, dispatch_id, version, now=now, origin=origin)
                reply = texts.DRAFT_DISCARDED
            elif action == "nodue" and task_id is not None:
                version = await set_task_deadline(
                    session, dispatch_id, version, task_id, None, None, now=now, origin=origin
                )
                reply = ""
            elif action == "drop" and task_id is not None:
                view = await load_dispatch(session, dispatch_id)
                ref = next((t.ref for t in view.tasks if t.id == task_id), "") if view else ""
                version = await drop_task(
                    session, dispatch_id, version, task_id, now=now, origin=origin
                )
                reply = texts.TASK_DROPPED.format(ref=texts.esc(ref))
            elif action in ("rule", "norule") and task_id is not None:
                rule = deps.settings.default_reporting_rule if action == "rule" else None
                version = await set_task_reporting_rule(
                    session, dispatch_id, version, task_id, rule, now=now, origin=origin
                )
                reply = ""
            else:
                raise DraftError("gone")
            view = await load_dispatch(session, dispatch_id)
    except DraftError as error:
        await _draft_error(query, message, context, error, dispatch_id)
        return
    await query.answer()
    if action == "x":
        await message.edit_reply_markup(None)
        await message.reply_html(reply)
        return
    assert view is not None
    task = next((t for t in view.tasks if t.id == task_id), None)
    body = reply or texts.EDIT_DONE.format(ref=texts.esc(task.ref if task else ""))
    if task is not None and not reply:
        body += "\n\n" + task_block(task, deps.settings.default_reporting_rule)
    await message.reply_html(body, reply_markup=main_markup(view, deps))


# --- A task's lead and support units ----------------------------------------------------------


def _role_units(task: TaskView, role: UnitRole) -> tuple[list[tuple[int, str]], tuple[str, ...]]:
    """The task's units of ``role`` as (id, name), and its written names no unit matched."""
    if role == UnitRole.LEAD:
        return list(zip(task.lead_ids, task.leads, strict=True)), task.unmatched
    return list(zip(task.support_ids, task.supports, strict=True)), task.support_unmatched


async def _group_members(session: AsyncSession, group_id: int) -> list[int]:
    rows = await session.scalars(
        select(unit_group_members.c.unit_id).where(unit_group_members.c.group_id == group_id)
    )
    return list(rows)


async def _edit_units(
    message: Message, context: AppContext, press: keyboards.DraftPress, task_id: int
) -> None:
    """➕ a unit or group, ➖ a unit, ✖ an unmatched name; then the role's screen again."""
    deps, actor = context.deps, context.actor
    assert actor is not None
    assert press.role is not None
    role = UnitRole(press.role)
    now = deps.clock.now()
    origin = actor.origin(message.chat_id, message.message_id)
    extra = press.ids[1:]
    if not extra:
        raise DraftError("gone")
    async with deps.session_factory.begin() as session:
        before = await load_dispatch(session, press.dispatch_id)
        task = next((t for t in before.tasks if t.id == task_id), None) if before else None
        if task is None:
            raise DraftError("gone")
        current, unmatched = _role_units(task, role)
        if press.verb in ("a", "g"):
            ident = extra[0]
            if press.verb == "a":
                unit_ids = [ident] if await session.get(Unit, ident) else []
            else:
                unit_ids = await _group_members(session, ident)
            answers = extra[1] - 1 if len(extra) > 1 and extra[1] > 0 else None
            result = await add_task_units(
                session,
                press.dispatch_id,
                press.version,
                task_id,
                role,
                unit_ids,
                answers=answers,
                now=now,
                origin=origin,
            )
            note = await _added_note(session, result.unit_ids)
        elif press.verb == "r":
            name = next((n for unit_id, n in current if unit_id == extra[0]), "")
            await remove_task_unit(
                session,
                press.dispatch_id,
                press.version,
                task_id,
                role,
                extra[0],
                now=now,
                origin=origin,
            )
            note = texts.UNIT_REMOVED.format(name=texts.esc(name))
        elif press.verb == "n":
            index = extra[0] - 1
            name = unmatched[index] if 0 <= index < len(unmatched) else ""
            await drop_unmatched_name(
                session,
                press.dispatch_id,
                press.version,
                task_id,
                role,
                index,
                now=now,
                origin=origin,
            )
            note = texts.NAME_DROPPED.format(name=texts.esc(name))
        else:
            raise DraftError("gone")
        screen = await _units_screen(session, press.dispatch_id, task_id, role, [note], deps)
    await reply_long(message, screen[0], screen[1])


async def _added_note(session: AsyncSession, unit_ids: Sequence[int]) -> str:
    """«Đã thêm …» naming the units added, or that nothing changed."""
    if not unit_ids:
        return texts.UNITS_ALREADY
    names = await session.scalars(select(Unit.name).where(Unit.id.in_(unit_ids)))
    return texts.UNITS_ADDED.format(names=texts.unit_list(sorted(names), 10))


async def _units_screen(
    session: AsyncSession,
    dispatch_id: int,
    task_id: int,
    role: UnitRole,
    notes: Sequence[str],
    deps: Deps,
    asked: Sequence[keyboards.UnitChoice] = (),
) -> tuple[str, InlineKeyboardMarkup]:
    """The role's screen: what changed (``notes``), the task, its units of the role, and
    buttons for them, for the candidates of its unmatched names and for ``asked``."""
    view = await load_dispatch(session, dispatch_id)
    task = next((t for t in view.tasks if t.id == task_id), None) if view else None
    if view is None or task is None:
        raise DraftError("gone")
    current, unmatched = _role_units(task, role)
    index = await load_unit_index(session)
    wanted: list[tuple[str, str, int | None]] = []
    for i, written in enumerate(unmatched):
        wanted.extend((c.kind, c.name, i) for c in index.match(written).candidates)
    held = {name for _, name in current}
    unique: dict[tuple[str, int], keyboards.UnitChoice] = {}
    for choice in [*asked, *await _choices_by_name(session, wanted)]:
        if not (choice.kind == "unit" and choice.label in held):
            unique.setdefault((choice.kind, choice.ident), choice)  # the first offer wins
    text = "\n\n".join(
        [
            *notes,
            task_block(task, deps.settings.default_reporting_rule),
            texts.units_screen(role, task.ref, [name for _, name in current], unmatched),
        ]
    )
    markup = keyboards.draft_units(
        dispatch_id, view.version, task_id, role, current, list(unique.values())[:8], unmatched
    )
    return text, markup


async def _navigate(message: Message, context: AppContext, press: keyboards.DraftPress) -> None:
    deps = context.deps
    action, dispatch_id, version, task_id = (
        press.action,
        press.dispatch_id,
        press.version,
        press.task_id,
    )
    screen: tuple[str, InlineKeyboardMarkup] | None = None
    async with deps.session_factory() as session:
        view = await load_dispatch(session, dispatch_id)
        if view is None or view.status != "draft":
            raise DraftError("expired" if view else "gone")
        if view.version != version:
            raise DraftError("stale")
        task = next((t for t in view.tasks if t.id == task_id), None)
        if press.role is not None and task is not None:
            screen = await _units_screen(
                session, dispatch_id, task.id, UnitRole(press.role), [], deps
            )
    if action == "show":
        await send_draft(message, view, deps)
    elif action == "edit":
        refs = [(t.id, t.ref) for t in view.tasks]
        await message.edit_reply_markup(keyboards.draft_tasks(dispatch_id, version, refs))
    elif action == "back":
        await message.edit_reply_markup(main_markup(view, deps))
    elif task is None:
        raise DraftError("gone")
    elif action == "t":
        await message.reply_html(
            texts.task_menu(task.ref, task.text) + "\n\n" + task_block(task),
            reply_markup=keyboards.draft_task_menu(dispatch_id, version, task.id),
        )
    elif screen is not None:
        await reply_long(message, screen[0], screen[1])
    else:
        raise DraftError("gone")


async def _choices_by_name(
    session: AsyncSession, names: Sequence[tuple[str, str, int | None]]
) -> list[keyboards.UnitChoice]:
    """Buttons for the named candidates (kind, name, the unmatched name they answer), in
    their order, looked up in one query per kind."""
    ids: dict[tuple[str, str], int] = {}
    for kind, model in (("unit", Unit), ("group", Group)):
        wanted = [name for k, name, _ in names if k == kind]
        if wanted:
            rows = await session.execute(select(model.name, model.id).where(model.name.in_(wanted)))
            ids.update(((kind, name), ident) for name, ident in rows)
    return [
        keyboards.UnitChoice(kind, ids[(kind, name)], name, answers)
        for kind, name, answers in names
        if (kind, name) in ids
    ]


async def _ask(message: Message, context: AppContext, press: keyboards.DraftPress) -> None:
    dispatch_id, task_id = press.dispatch_id, press.task_id
    kind = "find" if press.verb == "f" else press.action
    questions.ask(
        context,
        questions.DRAFT,
        kind,
        message.chat_id,
        long_answer=kind == "add",  # a typed task is prose, as long as the clerk needs
        dispatch_id=dispatch_id,
        version=press.version,
        task_id=task_id,
        role=press.role or UnitRole.LEAD.value,
    )
    if kind == "due":
        async with context.deps.session_factory() as session:
            view = await load_dispatch(session, dispatch_id)
        ref = next((t.ref for t in view.tasks if t.id == task_id), "") if view else ""
        await message.reply_html(texts.ASK_DUE_DATE.format(ref=texts.esc(ref)))
    elif kind == "recv":
        async with context.deps.session_factory() as session:
            view = await load_dispatch(session, dispatch_id)
        current = view.received_on if view else None
        await message.reply_html(
            texts.ASK_RECEIVED_DATE.format(current=texts.fmt_date(current) if current else "—")
        )
    elif kind == "find":
        await message.reply_html(texts.ask_unit_name(press.role or UnitRole.LEAD.value))
    else:
        await message.reply_html(texts.ASK_TASK_TEXT)


async def _draft_error(
    query: CallbackQuery, message: Message, context: AppContext, error: DraftError, dispatch_id: int
) -> None:
    await query.answer(texts.DRAFT_ERRORS.get(error.code, texts.NOT_YOURS), show_alert=True)
    if error.code == "stale":
        async with context.deps.session_factory() as session:
            view = await load_dispatch(session, dispatch_id)
        if view is not None:
            await message.reply_html(texts.DRAFT_ERRORS["stale"])
            await send_draft(message, view, context.deps)


async def _ask_before_confirming(
    message: Message, context: AppContext, session: AsyncSession, dispatch_id: int, version: int
) -> bool:
    """The first press on a draft with warnings lists them and asks once; True if it asked."""
    view = await load_dispatch(session, dispatch_id)
    if view is None or view.status != "draft" or view.version != version:
        return False  # confirm_draft says what is wrong (stale, confirmed, gone)
    checks = draft_checks(view, context.deps.today())
    if not checks:
        return False
    reasons: dict[str | None, list[str]] = {}
    for check in checks:
        reasons.setdefault(check.ref, []).append(
            texts.draft_check_reason(check.kind, check.fields, check.deadline, check.days)
        )
    await message.reply_html(
        texts.confirm_ask(len(tasks_to_check(checks)), list(reasons.items())),
        reply_markup=keyboards.draft_confirm_ask(dispatch_id, version),
    )
    return True


async def _confirm(
    update: Update, context: AppContext, session: AsyncSession, dispatch_id: int, version: int
) -> tuple[DispatchView, ConfirmOutcome]:
    """Store everything, the announcements' ledger rows included, in this transaction."""
    query, actor, deps = update.callback_query, context.actor, context.deps
    assert query is not None
    assert actor is not None
    message = query.message
    assert isinstance(message, Message)
    outcome = await confirm_draft(
        session,
        dispatch_id,
        version,
        now=deps.clock.now(),
        origin=actor.origin(message.chat_id, message.message_id),
        tz=deps.settings.timezone,
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    return view, outcome


async def _announce(
    update: Update, context: AppContext, view: DispatchView, outcome: ConfirmOutcome
) -> None:
    """After the commit: tell the office, then send the announcements through the ledger."""
    query = update.callback_query
    assert query is not None
    message = query.message
    assert isinstance(message, Message)
    log.info(
        "dispatch confirmed with %s assignments",
        outcome.assignments,
        extra={"dispatch_id": view.id},
    )
    await query.answer()
    await message.edit_reply_markup(None)
    title = texts.dispatch_title(view.kind, view.number, view.subject)
    units = sum(1 for n in outcome.notices if n.assignment_ids)
    lines = [texts.confirmed(outcome.assignments, title, units)]
    if outcome.units_without_contact:
        lines.append(
            texts.CONFIRMED_NO_CONTACT.format(
                names=texts.unit_list(outcome.units_without_contact, 30)
            )
        )
    if outcome.tasks_without_lead:
        lines.append(
            texts.CONFIRMED_NO_LEAD.format(
                refs=", ".join(texts.esc(r) for r in outcome.tasks_without_lead)
            )
        )
    await message.reply_html("\n\n".join(lines))
    # The fan-out is paced (1 message/s per chat), so it runs beside the handler rather
    # than holding it; the ledger rows are committed, so a crash loses nothing.
    chat_of = dict(outcome.claims)
    context.application.create_task(
        deliver(context.bot, context.deps, list(chat_of), chat_of), update=update
    )


# --- Typed input while reviewing --------------------------------------------------------------


async def pending_input(message: Message, context: AppContext, text: str) -> bool:
    """Handle a typed answer the draft review asked for; False when none was pending."""
    pending = questions.waiting(context, message.chat_id, questions.DRAFT)
    if pending is None:
        return False
    deps, actor = context.deps, context.actor
    assert actor is not None
    now = deps.clock.now()
    origin = actor.origin(message.chat_id, message.message_id)
    dispatch_id, version, task_id = pending["dispatch_id"], pending["version"], pending["task_id"]
    try:
        if pending["kind"] == "due":
            today = deps.local_date(now)
            try:
                on = parse_user_date(text, today, calendar=context.deps.calendar)
            except DateInputError as error:
                await message.reply_html(texts.date_input_error(error.code, error.fragment))
                return True
            async with deps.session_factory.begin() as session:
                version = await set_task_deadline(
                    session, dispatch_id, version, task_id, on, text.strip(), now=now, origin=origin
                )
                view = await load_dispatch(session, dispatch_id)
            questions.forget(context)
            task = next((t for t in view.tasks if t.id == task_id), None) if view else None
            body = texts.EDIT_DONE.format(ref=texts.esc(task.ref if task else ""))
            if task is not None:
                body += "\n\n" + task_block(task, deps.settings.default_reporting_rule)
            markup = main_markup(view, deps) if view else keyboards.draft_main(dispatch_id, version)
            await message.reply_html(body, reply_markup=markup)
        elif pending["kind"] == "recv":
            try:
                on = parse_past_date(text, deps.local_date(now))
            except DateInputError as error:
                await message.reply_html(texts.date_input_error(error.code, error.fragment))
                return True
            async with deps.session_factory.begin() as session:
                version = await set_received_on(
                    session,
                    dispatch_id,
                    version,
                    on,
                    calendar=deps.calendar,
                    now=now,
                    origin=origin,
                )
                view = await load_dispatch(session, dispatch_id)
            questions.forget(context)
            body = texts.RECEIVED_SET.format(day=texts.fmt_date(on))
            tasks = view.tasks if view is not None else ()
            rule = deps.settings.default_reporting_rule
            blocks = [task_block(t, rule) for t in tasks if any(d.kind == RELATIVE for d in t.dues)]
            if blocks:
                body += "\n\n" + "\n\n".join(blocks)
            markup = main_markup(view, deps) if view else keyboards.draft_main(dispatch_id, version)
            await reply_long(message, body, markup)
        elif pending["kind"] == "find":
            role = UnitRole(pending.get("role") or UnitRole.LEAD.value)
            if not await _typed_units(message, context, pending, role, text):
                return True  # nothing like it: the question stays open
            questions.forget(context)
        else:  # add
            async with deps.session_factory.begin() as session:
                version, new_task = await add_task(
                    session,
                    dispatch_id,
                    version,
                    text,
                    index=await load_unit_index(session),
                    calendar=deps.calendar,
                    now=now,
                    origin=origin,
                )
                view = await load_dispatch(session, dispatch_id)
                task = next((t for t in view.tasks if t.id == new_task), None) if view else None
                assert view is not None
                assert task is not None
                head = texts.TASK_ADDED.format(ref=texts.esc(task.ref), added=texts.ADDED_BY_OFFICE)
                if task.lead_ids:
                    body = head + "\n\n" + task_block(task, deps.settings.default_reporting_rule)
                    markup = main_markup(view, deps)
                else:  # the office picks the lead right away
                    body, markup = await _units_screen(
                        session, dispatch_id, new_task, UnitRole.LEAD, [head], deps
                    )
                    body += "\n\n" + texts.TASK_ADDED_NO_LEAD
            questions.forget(context)
            await reply_long(message, body, markup)
    except DraftError as error:
        questions.forget(context)
        await message.reply_html(texts.DRAFT_ERRORS.get(error.code, texts.NOT_YOURS))
    return True


async def _typed_units(
    message: Message, context: AppContext, pending: dict[str, Any], role: UnitRole, text: str
) -> bool:
    """Unit names typed for a task's ``role``: the names the matcher is sure of are added
    at once (services.drafts.resolve_names); for each it is not sure of, the screen asks
    with its candidates. False when nothing typed looks like a registered unit (the
    question stays open)."""
    deps, actor = context.deps, context.actor
    assert actor is not None
    dispatch_id, task_id = pending["dispatch_id"], pending["task_id"]
    async with deps.session_factory.begin() as session:
        index = await load_unit_index(session)
        resolution = resolve_names(index, [text])
        asked = [
            (
                piece,
                await _choices_by_name(
                    session, [(c.kind, c.name, None) for c in index.match(piece).candidates]
                ),
            )
            for piece in resolution.unmatched
        ]
        if not resolution.unit_ids and not any(found for _, found in asked):
            await message.reply_html(texts.UNIT_SEARCH_EMPTY.format(name=texts.esc(text)))
            return False
        notes = []
        if resolution.unit_ids:
            result = await add_task_units(
                session,
                dispatch_id,
                pending["version"],
                task_id,
                role,
                resolution.unit_ids,
                now=deps.clock.now(),
                origin=actor.origin(message.chat_id, message.message_id),
            )
            notes.append(await _added_note(session, result.unit_ids))
        notes += [
            texts.ASK_WHICH_UNIT.format(name=texts.esc(piece)) for piece, found in asked if found
        ]
        choices = [choice for _, found in asked for choice in found]
        body, markup = await _units_screen(
            session, dispatch_id, task_id, role, notes, deps, choices
        )
    await reply_long(message, body, markup)
    return True


def register(application: AnyApplication) -> None:
    application.add_handler(
        CallbackQueryHandler(guarded(draft_button, OFFICE), pattern=keyboards.DRAFT_PATTERN)
    )
