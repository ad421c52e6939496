"""Dispatch drafts: from the parser's output to a reviewed, confirmed set of assignments.

A draft is a Dispatch row with status "draft". Every edit is a compare-and-set on the
dispatch's ``version``: an edit made from a stale screen fails instead of overwriting a
colleague's change, and the caller shows the fresh draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ingest.items import read_item
from ingest.model import (
    DEADLINE,
    FROM_ISSUE,
    RECIPIENTS,
    RECURRING,
    RELATIVE,
    Due,
    ParsedDispatch,
)
from models import (
    Assignment,
    Dispatch,
    DispatchStatus,
    Task,
    TaskDue,
    TaskUnit,
    Unit,
    UnitRole,
)
from services.audience import unit_chats_of
from services.deliveries import Claim, claim
from services.events import Origin, record_event
from services.files import StoredFile
from services.periods import NOT_TRACKED, open_current_periods, parse_rule, rule_from_dues
from services.slots import Slot
from services.unit_matching import UnitIndex
from services.workdays import WorkingCalendar


class DraftError(Exception):
    """An edit that cannot apply: ``code`` is stale, expired, gone or confirmed."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Resolution:
    unit_ids: tuple[int, ...]
    unmatched: tuple[str, ...]


def resolve_names(index: UnitIndex, names: Iterable[str]) -> Resolution:
    """Written unit names → registered unit ids; what does not resolve is kept to ask about."""
    unit_ids: list[int] = []
    unmatched: list[str] = []
    for name in names:
        for piece in index.split(name):
            result = index.match(piece)
            if result.kind == "ask":
                unmatched.append(piece)
            else:
                unit_ids.extend(i for i in result.unit_ids if i not in unit_ids)
    return Resolution(tuple(unit_ids), tuple(unmatched))


def expand_recipients(names: Sequence[str], recipients: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        out.extend(recipients if name == RECIPIENTS else [name])
    return out


# Timings that are deadlines once they have a date.
DATED_KINDS = frozenset({DEADLINE, RELATIVE})


def relative_origin_day(
    origin: str | None, received_on: date | None, issued_on: date | None
) -> date | None:
    """The day a relative deadline counts from: the issue date for "issue" (the received day
    when the text has none), otherwise the day the dispatch reached the bot."""
    if origin == FROM_ISSUE:
        return issued_on or received_on
    return received_on


def relative_due_on(
    days: int | None,
    working: bool | None,
    since: date | None,
    calendar: WorkingCalendar,
) -> date | None:
    """N working days (on the calendar) or N calendar days after ``since``."""
    if days is None or since is None:
        return None
    if working:
        return calendar.add_working_days(since, days)
    return since + timedelta(days=days)


def effective_deadline(dues: Iterable[tuple[str, date | None]]) -> date | None:
    """The day the whole task must be done: the last dated deadline it names.

    An item can carry several ("báo cáo trước ngày 08/10 ... hoàn thành trước ngày 15/10");
    the completion the unit reports is of the whole item, so the last one governs. A relative
    deadline ("trong 05 ngày làm việc kể từ ngày nhận") counts once its date is computed.
    """
    dated = [d for kind, d in dues if kind in DATED_KINDS and d is not None]
    return max(dated) if dated else None


def is_recurring(dues: Iterable[tuple[str, date | None]]) -> bool:
    return any(kind == RECURRING for kind, _ in dues)


@dataclass(frozen=True, slots=True)
class DraftOutcome:
    dispatch_id: int
    # An already confirmed dispatch with the same number and issuer or the same file.
    duplicate_of: int | None = None
    # The same file sent again while its draft is still open: that draft, not a new one.
    existing_draft: bool = False


async def find_duplicate(
    session: AsyncSession, number: str | None, issuer: str | None, sha256: str | None
) -> Dispatch | None:
    conditions = []
    if sha256:
        conditions.append(Dispatch.file_sha256 == sha256)
    if number and issuer:
        conditions.append(
            (func.lower(Dispatch.number) == number.lower())
            & (func.lower(Dispatch.issuer) == issuer.lower())
        )
    if not conditions:
        return None
    return await session.scalar(
        select(Dispatch)
        .where(
            or_(*conditions),
            Dispatch.status.in_([DispatchStatus.ACTIVE, DispatchStatus.DRAFT]),
        )
        .order_by(Dispatch.status.desc(), Dispatch.id)  # "draft" < "active": active first
        .limit(1)
    )


async def create_draft(
    session: AsyncSession,
    parsed: ParsedDispatch,
    *,
    index: UnitIndex,
    stored: StoredFile | None,
    file_name: str | None,
    now: datetime,
    ttl: timedelta,
    origin: Origin,
    received_on: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> DraftOutcome:
    """Store ``parsed`` as a draft. ``received_on`` is the local day the dispatch reached
    the bot: relative deadlines count from it (or from the issue date), in working days on
    ``calendar`` when they say so, and their date is stored as the deadline."""
    calendar = calendar or WorkingCalendar()
    duplicate = await find_duplicate(
        session, parsed.number, parsed.issuer, stored.sha256 if stored else None
    )
    if duplicate is not None:
        if duplicate.status == DispatchStatus.ACTIVE:
            return DraftOutcome(duplicate.id, duplicate_of=duplicate.id)
        if duplicate.draft_expires_at is not None and duplicate.draft_expires_at > now:
            return DraftOutcome(duplicate.id, existing_draft=True)
        duplicate.status = DispatchStatus.EXPIRED
    dispatch = Dispatch(
        status=DispatchStatus.DRAFT,
        kind=parsed.kind,
        number=parsed.number,
        issuer=parsed.issuer,
        issued_on=parsed.issued_on,
        subject=parsed.subject,
        signer_name=parsed.signer.name if parsed.signer else None,
        signer_title=parsed.signer.title if parsed.signer else None,
        recipients=list(parsed.recipients),
        recipients_unsure=parsed.recipients_unsure,
        received_on=received_on,
        file_name=file_name,
        file_path=stored.relative_path if stored else None,
        file_sha256=stored.sha256 if stored else None,
        created_by_id=origin.actor_id,
        created_at=now,
        draft_expires_at=now + ttl,
        version=1,
    )
    session.add(dispatch)
    await session.flush()
    tasks = []
    for position, parsed_task in enumerate(parsed.tasks):
        leads = resolve_names(index, expand_recipients(parsed_task.lead, parsed.recipients))
        supports = resolve_names(index, parsed_task.support)
        tasks.append(
            Task(
                dispatch_id=dispatch.id,
                position=position,
                ref=parsed_task.ref,
                parent_ref=parsed_task.parent_ref,
                text=parsed_task.text,
                lead_written=list(parsed_task.lead),
                support_written=list(parsed_task.support),
                lead_unmatched=list(leads.unmatched),
                support_unmatched=list(supports.unmatched),
                unsure=sorted(parsed_task.unsure),
                # Children through the relationships: the whole draft is written in one flush.
                dues=[
                    task_due(
                        i,
                        d,
                        relative_on(d, received_on, parsed.issued_on, calendar),
                    )
                    for i, d in enumerate(parsed_task.due)
                ],
                units=_task_units(leads.unit_ids, supports.unit_ids),
            )
        )
    session.add_all(tasks)
    await session.flush()
    record_event(
        session,
        "dispatch.draft_created",
        now,
        origin,
        dispatch_id=dispatch.id,
        tasks=len(parsed.tasks),
    )
    return DraftOutcome(dispatch.id)


def relative_on(
    due: Due, received_on: date | None, issued_on: date | None, calendar: WorkingCalendar
) -> date | None:
    """The date of a parsed timing: its own, or for a relative one the counted day."""
    if due.kind != RELATIVE or due.date is not None:
        return due.date
    since = relative_origin_day(due.origin, received_on, issued_on)
    return relative_due_on(due.days, due.working, since, calendar)


def task_due(position: int, due: Due, on: date | None = None) -> TaskDue:
    """The stored form of one parsed timing (``on``: its date when computed here)."""
    return TaskDue(
        position=position,
        kind=due.kind,
        due_on=on if on is not None else due.date,
        phrase=due.phrase,
        every=due.every,
        day=due.day,
        month=due.month,
        time=due.time,
        days=due.days,
        working=due.working,
        origin=due.origin,
    )


def _task_units(lead_ids: Sequence[int], support_ids: Sequence[int]) -> list[TaskUnit]:
    """Resolved units of a task; a unit that leads is not also listed as support."""
    return [TaskUnit(unit_id=u, role=UnitRole.LEAD) for u in lead_ids] + [
        TaskUnit(unit_id=u, role=UnitRole.SUPPORT)
        for u in dict.fromkeys(support_ids)
        if u not in lead_ids
    ]


# --- Reading a draft --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueView:
    kind: str
    on: date | None
    phrase: str
    # relative: N (working) days from ``since`` (the received or issue day).
    days: int | None = None
    working: bool | None = None
    origin: str | None = None
    since: date | None = None
    # recurring: the period and the last day in it.
    every: str | None = None
    day: int | None = None
    month: int | None = None


@dataclass(frozen=True, slots=True)
class TaskView:
    id: int
    ref: str
    text: str
    leads: tuple[str, ...]
    lead_ids: tuple[int, ...]
    unmatched: tuple[str, ...]
    supports: tuple[str, ...]
    dues: tuple[DueView, ...]
    # Fields the parser was unsure of (ingest.model.UNSURE_FIELDS).
    unsure: tuple[str, ...] = ()
    support_ids: tuple[int, ...] = ()
    # Written support names no registered unit matched with confidence.
    support_unmatched: tuple[str, ...] = ()
    # Typed in by the office while reviewing («do văn phòng bổ sung»).
    added: bool = False

    @property
    def deadline(self) -> date | None:
        return effective_deadline((d.kind, d.on) for d in self.dues)

    @property
    def period_rule(self) -> str | None:
        """The rule of a periodic obligation (services.periods), or None."""
        return rule_from_dues((d.kind, d.every, d.month, d.day) for d in self.dues)

    @property
    def period_undecided(self) -> bool:
        """Recurring ("định kỳ", "thường xuyên") with no period read and no choice made yet:
        the draft offers the office's default reporting rule or «không theo dõi theo kỳ»."""
        recurring = [d for d in self.dues if d.kind == RECURRING]
        return bool(recurring) and all(d.every is None for d in recurring)

    @property
    def period_declined(self) -> bool:
        return any(d.kind == RECURRING and d.every == NOT_TRACKED for d in self.dues)


@dataclass(frozen=True, slots=True)
class DispatchView:
    id: int
    status: str
    version: int
    kind: str
    number: str | None
    issuer: str | None
    issued_on: date | None
    subject: str | None
    file_name: str | None
    expires_at: datetime | None
    tasks: tuple[TaskView, ...] = field(default=())
    received_on: date | None = None
    recipients_unsure: bool = False


async def load_dispatch(session: AsyncSession, dispatch_id: int) -> DispatchView | None:
    dispatch = await session.scalar(
        select(Dispatch)
        .where(Dispatch.id == dispatch_id)
        .options(
            selectinload(Dispatch.tasks).selectinload(Task.dues),
            selectinload(Dispatch.tasks).selectinload(Task.units).selectinload(TaskUnit.unit),
        )
    )
    if dispatch is None:
        return None
    tasks = []
    for task in dispatch.tasks:
        leads = [tu.unit for tu in task.units if tu.role == UnitRole.LEAD]
        supports = [tu.unit for tu in task.units if tu.role == UnitRole.SUPPORT]
        tasks.append(
            TaskView(
                id=task.id,
                ref=task.ref,
                text=task.text,
                leads=tuple(u.name for u in leads),
                lead_ids=tuple(u.id for u in leads),
                unmatched=tuple(task.lead_unmatched or ()),
                supports=tuple(u.name for u in supports),
                dues=tuple(_due_view(d, dispatch) for d in task.dues),
                unsure=tuple(task.unsure or ()),
                support_ids=tuple(u.id for u in supports),
                support_unmatched=tuple(task.support_unmatched or ()),
                added=task.added,
            )
        )
    return DispatchView(
        id=dispatch.id,
        status=dispatch.status,
        version=dispatch.version,
        kind=dispatch.kind,
        number=dispatch.number,
        issuer=dispatch.issuer,
        issued_on=dispatch.issued_on,
        subject=dispatch.subject,
        file_name=dispatch.file_name,
        expires_at=dispatch.draft_expires_at,
        tasks=tuple(tasks),
        received_on=dispatch.received_on,
        recipients_unsure=dispatch.recipients_unsure,
    )


def _due_view(due: TaskDue, dispatch: Dispatch) -> DueView:
    if due.kind != RELATIVE:
        return DueView(
            due.kind, due.due_on, due.phrase, every=due.every, day=due.day, month=due.month
        )
    since = relative_origin_day(due.origin, dispatch.received_on, dispatch.issued_on)
    return DueView(due.kind, due.due_on, due.phrase, due.days, due.working, due.origin, since)


# --- Editing a draft --------------------------------------------------------------------------


async def _claim_edit(session: AsyncSession, dispatch_id: int, version: int, now: datetime) -> int:
    """Compare-and-set the draft's version; return the new version or raise DraftError."""
    result = await session.execute(
        update(Dispatch)
        .where(
            Dispatch.id == dispatch_id,
            Dispatch.version == version,
            Dispatch.status == DispatchStatus.DRAFT,
            Dispatch.draft_expires_at > now,
        )
        .values(version=Dispatch.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return version + 1
    dispatch = await session.get(Dispatch, dispatch_id, populate_existing=True)
    if dispatch is None:
        raise DraftError("gone")
    if dispatch.status == DispatchStatus.ACTIVE:
        raise DraftError("confirmed")
    if dispatch.status != DispatchStatus.DRAFT or (
        dispatch.draft_expires_at is not None and dispatch.draft_expires_at <= now
    ):
        raise DraftError("expired")
    raise DraftError("stale")


async def _task_of(session: AsyncSession, dispatch_id: int, task_id: int) -> Task:
    task = await session.scalar(
        select(Task).where(Task.id == task_id, Task.dispatch_id == dispatch_id)
    )
    if task is None:
        raise DraftError("gone")
    return task


@dataclass(frozen=True, slots=True)
class UnitsAdded:
    version: int
    # The units that took the role: not those already in it, nor leads offered as support.
    unit_ids: tuple[int, ...]


def _unmatched_field(role: str) -> str:
    return "lead_unmatched" if role == UnitRole.LEAD else "support_unmatched"


async def add_task_units(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    task_id: int,
    role: UnitRole,
    unit_ids: Sequence[int],
    *,
    answers: int | None = None,
    now: datetime,
    origin: Origin,
) -> UnitsAdded:
    """Add ``unit_ids`` (one unit, or a group's members) to the task's leads or supports,
    beside the units already there. ``answers`` is the index of the written name, among the
    role's unmatched ones, that this pick resolves: it leaves the list.

    A unit leads or supports, never both: a supporting unit made a lead leaves the support
    list, and a leading unit is not added as support (the lead reports; the copy would only
    repeat the task)."""
    new_version = await _claim_edit(session, dispatch_id, version, now)
    task = await _task_of(session, dispatch_id, task_id)
    known = set(await session.scalars(select(Unit.id).where(Unit.id.in_(unit_ids))))
    if not known or known != set(unit_ids):
        raise DraftError("gone")
    rows = await session.execute(
        select(TaskUnit.unit_id, TaskUnit.role).where(TaskUnit.task_id == task_id)
    )
    current: dict[int, str] = {unit_id: held for unit_id, held in rows}
    added: list[int] = []
    for unit_id in dict.fromkeys(unit_ids):
        held = current.get(unit_id)
        if held == role or (role == UnitRole.SUPPORT and held == UnitRole.LEAD):
            continue
        if held is not None:  # a supporting unit becomes a lead
            await session.execute(
                update(TaskUnit)
                .where(TaskUnit.task_id == task_id, TaskUnit.unit_id == unit_id)
                .values(role=role)
            )
        else:
            session.add(TaskUnit(task_id=task_id, unit_id=unit_id, role=role))
        added.append(unit_id)
    field_name = _unmatched_field(role)
    names = list(getattr(task, field_name) or ())
    if answers is not None and 0 <= answers < len(names):
        del names[answers]
        setattr(task, field_name, names)
    task.edited = True
    await session.flush()
    record_event(
        session,
        "draft.units_added",
        now,
        origin,
        dispatch_id=dispatch_id,
        task_id=task_id,
        role=str(role),
        unit_ids=added,
    )
    return UnitsAdded(new_version, tuple(added))


async def remove_task_unit(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    task_id: int,
    role: UnitRole,
    unit_id: int,
    *,
    now: datetime,
    origin: Origin,
) -> int:
    """Take one unit off the task's leads or supports; the others stay."""
    new_version = await _claim_edit(session, dispatch_id, version, now)
    task = await _task_of(session, dispatch_id, task_id)
    result = await session.execute(
        delete(TaskUnit).where(
            TaskUnit.task_id == task_id, TaskUnit.unit_id == unit_id, TaskUnit.role == role
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise DraftError("gone")
    task.edited = True
    record_event(
        session,
        "draft.unit_removed",
        now,
        origin,
        dispatch_id=dispatch_id,
        task_id=task_id,
        role=str(role),
        unit_id=unit_id,
    )
    return new_version


async def drop_unmatched_name(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    task_id: int,
    role: UnitRole,
    index: int,
    *,
    now: datetime,
    origin: Origin,
) -> int:
    """Forget a written name no unit matched (the office judged it is no unit of ours)."""
    new_version = await _claim_edit(session, dispatch_id, version, now)
    task = await _task_of(session, dispatch_id, task_id)
    field_name = _unmatched_field(role)
    names = list(getattr(task, field_name) or ())
    if not 0 <= index < len(names):
        raise DraftError("gone")
    name = names.pop(index)
    setattr(task, field_name, names)
    task.edited = True
    record_event(
        session,
        "draft.unmatched_dropped",
        now,
        origin,
        dispatch_id=dispatch_id,
        task_id=task_id,
        role=str(role),
        name=name,
    )
    return new_version


async def set_task_deadline(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    task_id: int,
    on: date | None,
    phrase: str | None,
    *,
    now: datetime,
    origin: Origin,
) -> int:
    """Replace the task's dated deadlines by ``on`` (or clear them when ``on`` is None).

    ``phrase`` is what the office typed; only the event keeps it. Typed words are mostly
    relative to the day they were typed («ngày mai», «thứ Sáu tuần sau»), so the deadline
    stores no words of its own: the unit's message shows the date, and «hôm nay», «ngày mai»
    only as computed when it is sent (bot.texts.deadline_text)."""
    new_version = await _claim_edit(session, dispatch_id, version, now)
    task = await _task_of(session, dispatch_id, task_id)
    await session.execute(
        delete(TaskDue).where(TaskDue.task_id == task_id, TaskDue.kind.in_(DATED_KINDS))
    )
    if on is not None:
        position = await session.scalar(
            select(func.coalesce(func.max(TaskDue.position), -1)).where(TaskDue.task_id == task_id)
        )
        session.add(
            TaskDue(
                task_id=task_id,
                position=(position or 0) + 1,
                kind=DEADLINE,
                due_on=on,
                phrase="",
            )
        )
    task.edited = True
    record_event(
        session,
        "draft.deadline_set",
        now,
        origin,
        dispatch_id=dispatch_id,
        task_id=task_id,
        on=on.isoformat() if on else None,
        typed=phrase,
    )
    return new_version


async def set_received_on(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    on: date,
    *,
    calendar: WorkingCalendar,
    now: datetime,
    origin: Origin,
) -> int:
    """Change the day the dispatch was received; every relative deadline is counted again."""
    new_version = await _claim_edit(session, dispatch_id, version, now)
    dispatch = await session.get(Dispatch, dispatch_id, populate_existing=True)
    if dispatch is None:
        raise DraftError("gone")
    dispatch.received_on = on
    dues = await session.scalars(
        select(TaskDue)
        .join(Task, Task.id == TaskDue.task_id)
        .where(Task.dispatch_id == dispatch_id, TaskDue.kind == RELATIVE)
    )
    for due in dues:
        since = relative_origin_day(due.origin, on, dispatch.issued_on)
        due.due_on = relative_due_on(due.days, due.working, since, calendar)
    record_event(
        session,
        "draft.received_on_set",
        now,
        origin,
        dispatch_id=dispatch_id,
        on=on.isoformat(),
    )
    return new_version


async def set_task_reporting_rule(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    task_id: int,
    rule: str | None,
    *,
    now: datetime,
    origin: Origin,
) -> int:
    """Track a recurring task by ``rule`` ("month:19", the office's DEFAULT_REPORTING_RULE),
    or not by period at all (``None``: a "thường xuyên" task keeps its monthly check-in).

    The rule is written onto the task's recurring entries (one entry per day of the rule),
    as if the text had said it; a compare-and-set on the dispatch's version like every edit.
    """
    entries = parse_rule(rule) if rule is not None else ()
    new_version = await _claim_edit(session, dispatch_id, version, now)
    task = await _task_of(session, dispatch_id, task_id)
    recurring = list(
        await session.scalars(
            select(TaskDue)
            .where(TaskDue.task_id == task_id, TaskDue.kind == RECURRING)
            .order_by(TaskDue.position)
        )
    )
    if not recurring:
        raise DraftError("gone")
    if not entries:
        for due in recurring:
            due.every, due.month, due.day = NOT_TRACKED, None, None
    else:
        first, *rest = recurring
        for due, entry in zip([first, *rest], entries, strict=False):
            due.every, due.month, due.day = entry.every, entry.month, entry.day
        for due in rest[len(entries) - 1 :]:
            await session.delete(due)
        position = await session.scalar(
            select(func.coalesce(func.max(TaskDue.position), -1)).where(TaskDue.task_id == task_id)
        )
        for offset, entry in enumerate(entries[len(recurring) :], start=1):
            session.add(
                TaskDue(
                    task_id=task_id,
                    position=(position or 0) + offset,
                    kind=RECURRING,
                    phrase=first.phrase,
                    every=entry.every,
                    month=entry.month,
                    day=entry.day,
                )
            )
    task.edited = True
    await session.flush()
    record_event(
        session,
        "draft.reporting_rule_set",
        now,
        origin,
        dispatch_id=dispatch_id,
        task_id=task_id,
        rule=rule,
    )
    return new_version


async def drop_task(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    task_id: int,
    *,
    now: datetime,
    origin: Origin,
) -> int:
    new_version = await _claim_edit(session, dispatch_id, version, now)
    task = await _task_of(session, dispatch_id, task_id)
    record_event(session, "draft.task_dropped", now, origin, dispatch_id=dispatch_id, ref=task.ref)
    await session.delete(task)
    return new_version


# The number of an item's ref and what comes before it: "14.2" → ("", 14), "p2" → ("p", 2),
# "Điều 3.1.a" → ("Điều ", 3), "II.3" → ("II.", 3).
_REF_NUMBER = re.compile(r"^(?P<head>\D*?)(?P<number>\d+)")


def next_ref(refs: Sequence[str]) -> str:
    """The ref of a task added after the items ``refs`` (in draft order): the number after
    the highest of the last item's kind, as the dispatch would have gone on ("14" → "15")."""
    if not refs:
        return "1"
    last = _REF_NUMBER.match(refs[-1])
    head = last.group("head") if last else ""
    numbers = [
        int(m.group("number"))
        for m in (_REF_NUMBER.match(r) for r in refs)
        if m is not None and m.group("head") == head
    ]
    number = max(numbers, default=0) + 1
    while f"{head}{number}" in refs:  # never two tasks with one ref
        number += 1
    return f"{head}{number}"


async def add_task(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    text: str,
    *,
    index: UnitIndex,
    calendar: WorkingCalendar,
    now: datetime,
    origin: Origin,
) -> tuple[int, int]:
    """A task the parser missed, typed by the office. It is read by the parser's item rules
    (ingest.items.read_item), so it gets its lead, support units and timings as an item of
    the dispatch would, relative timings counted from the received day; it is numbered after
    the last item and marked as added by the office."""
    new_version = await _claim_edit(session, dispatch_id, version, now)
    dispatch = await session.get(Dispatch, dispatch_id)
    if dispatch is None:
        raise DraftError("gone")
    rows = (
        await session.execute(
            select(Task.ref, Task.position)
            .where(Task.dispatch_id == dispatch_id)
            .order_by(Task.position)
        )
    ).all()
    recipients = tuple(dispatch.recipients or ())
    parsed = read_item(
        text.strip(),
        recipients,
        dispatch.issued_on or dispatch.received_on,
        next_ref([r.ref for r in rows]),
    )
    leads = resolve_names(index, expand_recipients(parsed.lead, recipients))
    supports = resolve_names(index, parsed.support)
    task = Task(
        dispatch_id=dispatch_id,
        position=(rows[-1].position + 1) if rows else 0,
        ref=parsed.ref,
        text=parsed.text,
        lead_written=list(parsed.lead),
        support_written=list(parsed.support),
        lead_unmatched=list(leads.unmatched),
        support_unmatched=list(supports.unmatched),
        unsure=sorted(parsed.unsure),
        edited=True,
        added=True,
        dues=[
            task_due(i, d, relative_on(d, dispatch.received_on, dispatch.issued_on, calendar))
            for i, d in enumerate(parsed.due)
        ],
        units=_task_units(leads.unit_ids, supports.unit_ids),
    )
    session.add(task)
    await session.flush()
    record_event(session, "draft.task_added", now, origin, dispatch_id=dispatch_id, task_id=task.id)
    return new_version, task.id


async def cancel_draft(
    session: AsyncSession, dispatch_id: int, version: int, *, now: datetime, origin: Origin
) -> None:
    await _claim_edit(session, dispatch_id, version, now)
    await session.execute(
        update(Dispatch).where(Dispatch.id == dispatch_id).values(status=DispatchStatus.EXPIRED)
    )
    record_event(session, "draft.cancelled", now, origin, dispatch_id=dispatch_id)


async def expire_drafts(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        update(Dispatch)
        .where(Dispatch.status == DispatchStatus.DRAFT, Dispatch.draft_expires_at <= now)
        .values(status=DispatchStatus.EXPIRED)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- Confirming -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitNotice:
    """What one unit must be told about a confirmed dispatch."""

    unit_id: int
    unit_name: str
    assignment_ids: tuple[int, ...]  # tasks it leads
    support_task_ids: tuple[int, ...]  # tasks it supports (an informational copy)
    chat_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ConfirmOutcome:
    dispatch_id: int
    assignments: int
    notices: tuple[UnitNotice, ...]
    units_without_contact: tuple[str, ...]
    tasks_without_lead: tuple[str, ...]
    # The ledger rows claimed for the announcements (new tasks, support copies): the
    # caller sends them after commit (bot.notifier.deliver).
    claims: tuple[Claim, ...] = ()


async def confirm_draft(
    session: AsyncSession,
    dispatch_id: int,
    version: int,
    *,
    now: datetime,
    origin: Origin,
    tz: tzinfo,
) -> ConfirmOutcome:
    """Store the assignments in this transaction; the caller sends the messages after commit."""
    await _claim_edit(session, dispatch_id, version, now)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    await session.execute(
        update(Dispatch)
        .where(Dispatch.id == dispatch_id)
        .values(status=DispatchStatus.ACTIVE, confirmed_at=now, draft_expires_at=None)
    )
    lead_of: dict[int, list[int]] = {}
    support_of: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    without_lead: list[str] = []
    created: list[Assignment] = []
    for task in view.tasks:
        if not task.lead_ids:
            without_lead.append(task.ref)
        dues = [(d.kind, d.on) for d in task.dues]
        deadline = effective_deadline(dues)
        rule = task.period_rule
        for unit_id, unit_name in zip(task.lead_ids, task.leads, strict=True):
            created.append(
                Assignment(
                    task_id=task.id,
                    unit_id=unit_id,
                    # An obligation has no deadline of its own: each period has one, and a
                    # dated deadline next to the period is the obligation's end.
                    due_on=None if rule else deadline,
                    original_due_on=None if rule else deadline,
                    recurring=rule is not None or (deadline is None and is_recurring(dues)),
                    period_rule=rule,
                    ends_on=deadline if rule else None,
                    assigned_at=now,
                )
            )
            names[unit_id] = unit_name
    # One flush for every row: a dispatch to "các sở, ngành" can make hundreds.
    session.add_all(created)
    await session.flush()
    await open_current_periods(
        session, now, tz, [a.id for a in created if a.period_rule is not None]
    )
    for assignment in created:
        lead_of.setdefault(assignment.unit_id, []).append(assignment.id)
        record_event(
            session,
            "assignment.created",
            now,
            origin,
            unit_id=assignment.unit_id,
            dispatch_id=dispatch_id,
            task_id=assignment.task_id,
            assignment_id=assignment.id,
        )
    supports = await session.execute(
        select(TaskUnit.task_id, Unit.id, Unit.name)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(Task.dispatch_id == dispatch_id, TaskUnit.role == UnitRole.SUPPORT)
        .order_by(Task.position)
    )
    for task_id, unit_id, unit_name in supports:
        support_of.setdefault(unit_id, []).append(task_id)
        names[unit_id] = unit_name
    chats = await unit_chats_of(session, names)
    notices = tuple(
        UnitNotice(
            unit_id=unit_id,
            unit_name=names[unit_id],
            assignment_ids=tuple(lead_of.get(unit_id, ())),
            support_task_ids=tuple(support_of.get(unit_id, ())),
            chat_ids=tuple(chats.get(unit_id, ())),
        )
        for unit_id in sorted(names, key=lambda u: names[u])
    )
    claims = await _claim_announcements(session, notices, created, now)
    record_event(
        session,
        "dispatch.confirmed",
        now,
        origin,
        dispatch_id=dispatch_id,
        assignments=sum(len(v) for v in lead_of.values()),
    )
    return ConfirmOutcome(
        dispatch_id=dispatch_id,
        assignments=sum(len(v) for v in lead_of.values()),
        notices=notices,
        units_without_contact=tuple(n.unit_name for n in notices if not n.chat_ids),
        tasks_without_lead=tuple(without_lead),
        claims=tuple(claims),
    )


async def _claim_announcements(
    session: AsyncSession,
    notices: Sequence[UnitNotice],
    created: Sequence[Assignment],
    now: datetime,
) -> list[Claim]:
    """The ledger rows of a confirmation: each lead unit's chats get «Nhiệm vụ mới» per
    assignment; each supporting unit's chats a copy per task, keyed on the task's first
    assignment (a task nobody leads has none, and the office was asked before confirming)."""
    first_of: dict[int, int] = {}
    for assignment in created:
        first_of.setdefault(assignment.task_id, assignment.id)
    claims = await claim(
        session,
        Slot.new(),
        [(a, c) for n in notices for a in n.assignment_ids for c in n.chat_ids],
        due_at=now,
        now=now,
    )
    for notice in notices:
        pairs = [
            (first_of[t], c)
            for t in notice.support_task_ids
            if t in first_of
            for c in notice.chat_ids
        ]
        claims += await claim(session, Slot.support(notice.unit_id), pairs, due_at=now, now=now)
    return claims
