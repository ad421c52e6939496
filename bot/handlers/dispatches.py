"""The office's path: a dispatch arrives, the draft is reviewed, the tasks go out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler

from bot import keyboards, texts
from bot.access import OFFICE, guarded
from bot.context import DRAFT_INPUT_KEY, REPLY_INPUT_KEY, AnyApplication, AppContext, Deps
from bot.downloads import download
from bot.ids import db_id
from bot.notifier import deliver
from bot.splitting import pack, reply_long
from ingest import IngestError, parse_text
from ingest.model import RELATIVE, ParsedDispatch
from models import Dispatch, Unit, unit_group_members
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
    cancel_draft,
    confirm_draft,
    create_draft,
    drop_task,
    load_dispatch,
    set_received_on,
    set_task_deadline,
    set_task_leads,
    set_task_reporting_rule,
)
from services.files import StoredFile, store_file
from services.parse_worker import ParseCancelled, ParseLimitError
from services.units import load_unit_index

log = logging.getLogger(__name__)

PENDING_KEY = DRAFT_INPUT_KEY


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
    assert query.data is not None
    message = query.message
    assert isinstance(message, Message)
    parts = query.data.split(":")
    try:
        action = parts[1]
        dispatch_id, version = db_id(parts[2]), db_id(parts[3])
        ids = [db_id(p) for p in parts[4:]]
    except (IndexError, ValueError):
        await query.answer(texts.NOT_YOURS, show_alert=True)
        return
    deps = context.deps
    now = deps.clock.now()
    origin = actor.origin(message.chat_id, message.message_id)
    task_id = ids[0] if ids else None
    try:
        if action in ("edit", "back", "show", "t", "lead"):
            # Answer afterwards: a stale or expired draft answers with an alert instead.
            await _navigate(message, context, action, dispatch_id, version, task_id)
            await query.answer()
            return
        if action in ("due", "find", "add", "recv"):
            await query.answer()
            await _ask(message, context, action, dispatch_id, version, task_id)
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
            elif action in ("pu", "pg") and task_id is not None and len(ids) == 2:
                unit_ids = await _unit_ids(session, action, ids[1])
                version = await set_task_leads(
                    session, dispatch_id, version, task_id, unit_ids, now=now, origin=origin
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


async def _unit_ids(session: AsyncSession, kind: str, ident: int) -> list[int]:
    if kind == "pu":
        return [ident] if await session.get(Unit, ident) else []
    rows = await session.scalars(
        select(unit_group_members.c.unit_id).where(unit_group_members.c.group_id == ident)
    )
    return list(rows)


async def _navigate(
    message: Message,
    context: AppContext,
    action: str,
    dispatch_id: int,
    version: int,
    task_id: int | None,
) -> None:
    deps = context.deps
    async with deps.session_factory() as session:
        view = await load_dispatch(session, dispatch_id)
        if view is None or view.status != "draft":
            raise DraftError("expired" if view else "gone")
        if view.version != version:
            raise DraftError("stale")
        task = next((t for t in view.tasks if t.id == task_id), None)
        choices: list[tuple[str, int, str]] = []
        if action == "lead" and task is not None:
            choices = await _lead_choices(session, task)
    if action == "show":
        await send_draft(message, view, deps)
    elif action == "edit":
        refs = [(t.id, t.ref) for t in view.tasks]
        await message.edit_reply_markup(keyboards.draft_tasks(dispatch_id, version, refs))
    elif action == "back":
        await message.edit_reply_markup(keyboards.draft_main(dispatch_id, version))
    elif task is None:
        raise DraftError("gone")
    elif action == "t":
        await message.reply_html(
            texts.task_menu(task.ref, task.text) + "\n\n" + task_block(task),
            reply_markup=keyboards.draft_task_menu(dispatch_id, version, task.id),
        )
    else:  # lead
        await message.reply_html(
            texts.PICK_LEAD.format(ref=texts.esc(task.ref)),
            reply_markup=keyboards.draft_lead_choices(dispatch_id, version, task.id, choices),
        )


async def _lead_choices(session: AsyncSession, task: TaskView) -> list[tuple[str, int, str]]:
    """Candidates for the unmatched written names, best first, as (kind, id, label)."""
    index = await load_unit_index(session)
    names: list[tuple[str, str]] = []
    for written in task.unmatched:
        names.extend((c.kind, c.name) for c in index.match(written).candidates)
    return await _choices_by_name(session, names)


async def _choices_by_name(
    session: AsyncSession, names: Sequence[tuple[str, str]]
) -> list[tuple[str, int, str]]:
    """Buttons for the named candidates, in their order, looked up in one query per kind."""
    ids: dict[tuple[str, str], int] = {}
    for kind, model in (("unit", Unit), ("group", Group)):
        wanted = [name for k, name in names if k == kind]
        if wanted:
            rows = await session.execute(select(model.name, model.id).where(model.name.in_(wanted)))
            ids.update(((kind, name), ident) for name, ident in rows)
    choices: list[tuple[str, int, str]] = []
    for kind, name in names:
        ident = ids.get((kind, name))
        choice = ("u" if kind == "unit" else "g", ident, name) if ident is not None else None
        if choice is not None and choice not in choices:
            choices.append(choice)
    return choices[:8]


async def _ask(
    message: Message,
    context: AppContext,
    action: str,
    dispatch_id: int,
    version: int,
    task_id: int | None,
) -> None:
    assert context.user_data is not None
    context.user_data.pop(REPLY_INPUT_KEY, None)
    context.user_data[PENDING_KEY] = {
        "kind": action,
        "dispatch_id": dispatch_id,
        "version": version,
        "task_id": task_id,
    }
    if action == "due":
        async with context.deps.session_factory() as session:
            view = await load_dispatch(session, dispatch_id)
        ref = next((t.ref for t in view.tasks if t.id == task_id), "") if view else ""
        await message.reply_html(texts.ASK_DUE_DATE.format(ref=texts.esc(ref)))
    elif action == "recv":
        async with context.deps.session_factory() as session:
            view = await load_dispatch(session, dispatch_id)
        current = view.received_on if view else None
        await message.reply_html(
            texts.ASK_RECEIVED_DATE.format(current=texts.fmt_date(current) if current else "—")
        )
    elif action == "find":
        await message.reply_html(texts.ASK_UNIT_NAME)
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
    assert context.user_data is not None
    pending = context.user_data.get(PENDING_KEY)
    if not pending:
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
            context.user_data.pop(PENDING_KEY, None)
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
            context.user_data.pop(PENDING_KEY, None)
            body = texts.RECEIVED_SET.format(day=texts.fmt_date(on))
            tasks = view.tasks if view is not None else ()
            rule = deps.settings.default_reporting_rule
            blocks = [task_block(t, rule) for t in tasks if any(d.kind == RELATIVE for d in t.dues)]
            if blocks:
                body += "\n\n" + "\n\n".join(blocks)
            markup = main_markup(view, deps) if view else keyboards.draft_main(dispatch_id, version)
            await reply_long(message, body, markup)
        elif pending["kind"] == "find":
            async with deps.session_factory() as session:
                index = await load_unit_index(session)
                result = index.match(text)
                names: list[tuple[str, str]] = [(c.kind, c.name) for c in result.candidates]
                if result.target:
                    names.insert(0, (result.kind, result.target))
                choices = await _choices_by_name(session, names)
                view = await load_dispatch(session, dispatch_id)
            if not choices:
                await message.reply_html(texts.UNIT_SEARCH_EMPTY.format(name=texts.esc(text)))
                return True
            context.user_data.pop(PENDING_KEY, None)
            ref = next((t.ref for t in view.tasks if t.id == task_id), "") if view else ""
            await message.reply_html(
                texts.PICK_LEAD.format(ref=texts.esc(ref)),
                reply_markup=keyboards.draft_lead_choices(dispatch_id, version, task_id, choices),
            )
        else:  # add
            async with deps.session_factory.begin() as session:
                version, new_task = await add_task(
                    session, dispatch_id, version, text, now=now, origin=origin
                )
                view = await load_dispatch(session, dispatch_id)
            context.user_data.pop(PENDING_KEY, None)
            task = next((t for t in view.tasks if t.id == new_task), None) if view else None
            await message.reply_html(
                texts.TASK_ADDED.format(ref=texts.esc(task.ref if task else "")),
                reply_markup=keyboards.draft_lead_choices(dispatch_id, version, new_task, []),
            )
    except DraftError as error:
        context.user_data.pop(PENDING_KEY, None)
        await message.reply_html(texts.DRAFT_ERRORS.get(error.code, texts.NOT_YOURS))
    return True


def register(application: AnyApplication) -> None:
    application.add_handler(CallbackQueryHandler(guarded(draft_button, OFFICE), pattern=r"^dr:"))
