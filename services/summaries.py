"""Where are we: status counts, the overdue list, one task's history and the weekly digest.

Every count comes from one grouped SQL query (``SUM(CASE ...)`` per category, ``GROUP BY``
unit or dispatch), so a summary of 100,000 assignments never loads them into Python.
The category rules live in :func:`categorize` (Python) and :func:`category_case` (the same
rules as SQL); a test checks that both agree on every combination.

Only assignments of active dispatches count. A unit's people see their own unit only:
callers pass ``unit_id`` for them, and ``None`` for the office.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentStatus,
    Contact,
    Dispatch,
    DispatchStatus,
    Event,
    Person,
    Role,
    Task,
    Unit,
)
from services.events import record_event

DIGEST_SENT = "digest.sent"
# The first digest, with no earlier one to start from, reports the last week's completions.
FIRST_DIGEST_LOOKBACK = timedelta(days=7)
# "Deadlines this week" = the next seven days from the digest's day, whatever DIGEST_CRON says.
DIGEST_HORIZON_DAYS = 7


class Category(StrEnum):
    """The four categories every Vietnamese task report uses, plus "no deadline"."""

    DONE_ON_TIME = "done_on_time"  # hoàn thành đúng hạn
    DONE_LATE = "done_late"  # hoàn thành quá hạn
    IN_PROGRESS = "in_progress"  # đang thực hiện trong hạn
    OVERDUE = "overdue"  # quá hạn chưa hoàn thành
    NO_DEADLINE = "no_deadline"  # không có hạn (not done, no deadline)


def local_today(now: datetime, tz: tzinfo) -> date:
    """The calendar day it is in ``tz`` at ``now`` (aware UTC): the day the rules compare to."""
    return now.astimezone(tz).date()


def categorize(*, done: bool, due_on: date | None, done_on: date | None, today: date) -> Category:
    """The category of one assignment. These are the rules; :func:`category_case` mirrors them.

    - ``today`` is the local date (``settings.timezone``) of the injected ``now``.
    - ``due_on`` is the deadline in force: an approved extension moves it (``original_due_on``
      keeps the first deadline), so every rule compares with the deadline in force, also when
      it changed after the completion.
    - done, and no deadline or ``done_on <= due_on`` → hoàn thành đúng hạn (done on the
      deadline day is on time; done with no deadline is on time);
    - done and ``done_on > due_on`` → hoàn thành quá hạn;
    - not done and no deadline → không có hạn;
    - not done and ``due_on >= today`` → đang thực hiện trong hạn (the deadline day itself
      is still in time);
    - not done and ``due_on < today`` → quá hạn chưa hoàn thành, ``today - due_on`` days.

    "Done" is status ``done``; "open" and "extension_requested" are not done. A done
    assignment without ``done_on`` (should not happen) counts as on time.
    """
    if done:
        if due_on is not None and done_on is not None and done_on > due_on:
            return Category.DONE_LATE
        return Category.DONE_ON_TIME
    if due_on is None:
        return Category.NO_DEADLINE
    if due_on >= today:
        return Category.IN_PROGRESS
    return Category.OVERDUE


def _sql_literal(category: Category) -> ColumnElement[str]:
    # Inline literals, not bound parameters: PostgreSQL cannot type a bare "$1" in a CASE arm.
    return literal_column(f"'{category.value}'")


def category_case(today: date) -> ColumnElement[str]:
    """:func:`categorize` as a SQL ``CASE`` over ``assignments`` (same order, same rules).

    SQL's NULL comparisons are never true, so ``done_on > due_on`` with either NULL falls
    through to "on time", exactly as in Python.
    """
    done = Assignment.status == AssignmentStatus.DONE
    return case(
        (and_(done, Assignment.done_on > Assignment.due_on), _sql_literal(Category.DONE_LATE)),
        (done, _sql_literal(Category.DONE_ON_TIME)),
        (Assignment.due_on.is_(None), _sql_literal(Category.NO_DEADLINE)),
        (Assignment.due_on >= today, _sql_literal(Category.IN_PROGRESS)),
        else_=_sql_literal(Category.OVERDUE),
    )


def _extended() -> ColumnElement[bool]:
    """An approved extension moved the deadline in force past the first one."""
    return and_(
        Assignment.original_due_on.is_not(None), Assignment.due_on > Assignment.original_due_on
    )


# --- Counts -----------------------------------------------------------------------------------


def split_percent(counts: Sequence[int]) -> tuple[int, ...]:
    """Whole percentages of ``counts`` that add up to exactly 100 (largest remainder)."""
    total = sum(counts)
    if total == 0:
        return tuple(0 for _ in counts)
    exact = [count * 100 / total for count in counts]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: 100 - sum(shares)]:
        shares[i] += 1
    return tuple(shares)


@dataclass(frozen=True, slots=True)
class Counts:
    """Assignments per category; ``extended`` counts those whose deadline was moved later."""

    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    overdue: int = 0
    no_deadline: int = 0
    extended: int = 0

    @property
    def total(self) -> int:
        return (
            self.done_on_time + self.done_late + self.in_progress + self.overdue + self.no_deadline
        )

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    def of(self, category: Category) -> int:
        count: int = getattr(self, category.value)
        return count

    def percentages(self) -> dict[Category, int]:
        """Share of each category in :attr:`total`, whole percent, adding up to 100."""
        return dict(zip(Category, split_percent([self.of(c) for c in Category]), strict=True))

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            done_on_time=self.done_on_time + other.done_on_time,
            done_late=self.done_late + other.done_late,
            in_progress=self.in_progress + other.in_progress,
            overdue=self.overdue + other.overdue,
            no_deadline=self.no_deadline + other.no_deadline,
            extended=self.extended + other.extended,
        )


def _count_columns(today: date) -> list[ColumnElement[Any]]:
    category = category_case(today)
    columns: list[ColumnElement[Any]] = [
        func.sum(case((category == _sql_literal(c), 1), else_=0)).label(c.value) for c in Category
    ]
    columns.append(func.sum(case((_extended(), 1), else_=0)).label("extended"))
    return columns


def _counts(row: Any) -> Counts:
    # SUM over no rows is NULL; PostgreSQL returns SUM of integers as Decimal.
    values = {c.value: int(getattr(row, c.value) or 0) for c in Category}
    return Counts(**values, extended=int(row.extended or 0))


def _scoped(
    statement: Select[Any], *, unit_id: int | None = None, dispatch_id: int | None = None
) -> Select[Any]:
    """Assignments of active dispatches, narrowed to one unit and/or one dispatch."""
    statement = (
        statement.select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .join(Dispatch, Dispatch.id == Task.dispatch_id)
        .where(Dispatch.status == DispatchStatus.ACTIVE)
    )
    if unit_id is not None:
        statement = statement.where(Assignment.unit_id == unit_id)
    if dispatch_id is not None:
        statement = statement.where(Task.dispatch_id == dispatch_id)
    return statement


@dataclass(frozen=True, slots=True)
class UnitRow:
    unit_id: int
    name: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class DispatchRow:
    dispatch_id: int
    kind: str
    number: str | None
    subject: str | None
    issued_on: date | None
    counts: Counts


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts overall, by unit (worst first) and by dispatch (newest first)."""

    today: date
    total: Counts
    by_unit: tuple[UnitRow, ...]
    by_dispatch: tuple[DispatchRow, ...]


def worst_first(row: UnitRow) -> tuple[int, float, int, int, str]:
    """Order units: most overdue, then highest overdue share, then most done late."""
    counts = row.counts
    share = counts.overdue / counts.total if counts.total else 0.0
    return (-counts.overdue, -share, -counts.done_late, -counts.total, row.name)


async def status_summary(
    session: AsyncSession,
    *,
    today: date,
    unit_id: int | None = None,
    dispatch_id: int | None = None,
) -> Summary:
    """Counts per category overall, by unit and by dispatch, in two grouped queries.

    Units and dispatches without any counted assignment are left out.
    """
    columns = _count_columns(today)
    by_unit_rows = (
        await session.execute(
            _scoped(select(Unit.id, Unit.name, *columns), unit_id=unit_id, dispatch_id=dispatch_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .group_by(Unit.id, Unit.name)
        )
    ).all()
    by_unit = sorted(
        (UnitRow(row.id, row.name, _counts(row)) for row in by_unit_rows), key=worst_first
    )
    # Group by the id alone (cheap), then fetch the few columns the views show.
    by_dispatch_rows = (
        await session.execute(
            _scoped(
                select(Task.dispatch_id, *columns), unit_id=unit_id, dispatch_id=dispatch_id
            ).group_by(Task.dispatch_id)
        )
    ).all()
    counts_of = {row.dispatch_id: _counts(row) for row in by_dispatch_rows}
    dispatches = (
        await session.execute(
            select(
                Dispatch.id, Dispatch.kind, Dispatch.number, Dispatch.subject, Dispatch.issued_on
            )
            .where(Dispatch.id.in_(list(counts_of)))
            .order_by(Dispatch.confirmed_at.desc(), Dispatch.id.desc())
        )
    ).all()
    by_dispatch = tuple(
        DispatchRow(d.id, d.kind, d.number, d.subject, d.issued_on, counts_of[d.id])
        for d in dispatches
    )
    total = sum((row.counts for row in by_unit), Counts())
    return Summary(today=today, total=total, by_unit=tuple(by_unit), by_dispatch=by_dispatch)


@dataclass(frozen=True, slots=True)
class DispatchRef:
    dispatch_id: int
    kind: str
    number: str | None
    subject: str | None
    issued_on: date | None


def _number_key(number: str) -> str:
    return "".join(number.split()).casefold()


async def find_dispatches(
    session: AsyncSession, number: str, unit_id: int | None = None
) -> list[DispatchRef]:
    """Active dispatches whose number ("số hiệu") is ``number``, ignoring case and spaces.

    With no exact match, "123" also finds "123/KH-UBND" (the part before the first "/").
    With ``unit_id``, only dispatches that gave that unit a task: to a unit's people a
    dispatch of other units' work is one that does not exist, so they cannot learn which
    numbers exist.
    """
    wanted = _number_key(number)
    if not wanted:
        return []
    # Numbers are short ASCII-ish codes and active dispatches are few (hundreds), so the
    # normalisation is done in Python, where casefold is correct for Vietnamese too.
    query = (
        select(Dispatch.id, Dispatch.kind, Dispatch.number, Dispatch.subject, Dispatch.issued_on)
        .where(Dispatch.status == DispatchStatus.ACTIVE, Dispatch.number.is_not(None))
        .order_by(Dispatch.issued_on.desc(), Dispatch.id.desc())
    )
    if unit_id is not None:
        query = query.where(
            Dispatch.id.in_(
                select(Task.dispatch_id)
                .join(Assignment, Assignment.task_id == Task.id)
                .where(Assignment.unit_id == unit_id)
            )
        )
    rows = (await session.execute(query)).all()
    refs = [DispatchRef(r.id, r.kind, r.number, r.subject, r.issued_on) for r in rows]
    exact = [ref for ref in refs if _number_key(ref.number or "") == wanted]
    if exact:
        return exact
    return [ref for ref in refs if _number_key(ref.number or "").split("/", 1)[0] == wanted]


# --- Lists --------------------------------------------------------------------------------------


class TaskLine(NamedTuple):
    """One assignment as the lists show it.

    A named tuple rather than a frozen dataclass: the export builds 100,000 of them, and a
    tuple is built several times faster.
    """

    assignment_id: int
    unit_id: int
    unit_name: str
    dispatch_id: int
    dispatch_kind: str
    dispatch_number: str | None
    dispatch_subject: str | None
    task_ref: str
    task_text: str
    status: str
    due_on: date | None
    original_due_on: date | None

    @property
    def extended(self) -> bool:
        return (
            self.due_on is not None
            and self.original_due_on is not None
            and self.due_on > self.original_due_on
        )


_LINE_COLUMNS = (
    Assignment.id.label("assignment_id"),
    Assignment.unit_id,
    Unit.name.label("unit_name"),
    Dispatch.id.label("dispatch_id"),
    Dispatch.kind.label("dispatch_kind"),
    Dispatch.number.label("dispatch_number"),
    Dispatch.subject.label("dispatch_subject"),
    Task.ref.label("task_ref"),
    Task.text.label("task_text"),
    Assignment.status,
    Assignment.due_on,
    Assignment.original_due_on,
)


_LINE_WIDTH = len(_LINE_COLUMNS)


def _line(row: Any) -> TaskLine:
    return TaskLine._make(row[:_LINE_WIDTH])


def _lines(*extra: Any) -> Select[Any]:
    columns: list[Any] = [*_LINE_COLUMNS, *extra]
    return select(*columns).join(Unit, Unit.id == Assignment.unit_id)


@dataclass(frozen=True, slots=True)
class Head:
    """A unit's head, named in the overdue list so the office knows whom to call."""

    name: str
    username: str | None


@dataclass(frozen=True, slots=True)
class OverdueRow:
    task: TaskLine
    days_overdue: int
    heads: tuple[Head, ...]


async def unit_heads(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, tuple[Head, ...]]:
    """The active heads of each unit, by name."""
    heads: dict[int, list[Head]] = {}
    wanted = sorted(set(unit_ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(Person.unit_id, Person.name, Person.username)
        .where(Person.unit_id.in_(wanted), Person.role == Role.HEAD, Person.active.is_(True))
        .order_by(Person.name, Person.id)
    )
    for unit_id, name, username in rows:
        if unit_id is not None:  # always, given the filter; narrows the type
            heads.setdefault(unit_id, []).append(Head(name, username))
    return {unit_id: tuple(names) for unit_id, names in heads.items()}


async def overdue_list(
    session: AsyncSession,
    *,
    today: date,
    unit_id: int | None = None,
    dispatch_id: int | None = None,
) -> list[OverdueRow]:
    """Not-done assignments past their deadline in force, longest overdue first."""
    rows = (
        await session.execute(
            _scoped(_lines(), unit_id=unit_id, dispatch_id=dispatch_id)
            .where(Assignment.status != AssignmentStatus.DONE, Assignment.due_on < today)
            .order_by(Assignment.due_on, Unit.name, Assignment.id)
        )
    ).all()
    lines = [_line(row) for row in rows]
    heads = await unit_heads(session, (line.unit_id for line in lines))
    return [
        OverdueRow(line, (today - line.due_on).days, heads.get(line.unit_id, ()))  # type: ignore[operator]
        for line in lines
    ]


_collector_lock = threading.Lock()
_collector_pauses = 0
_collector_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (process-wide) while the block runs.

    The export allocates millions of small objects that all stay alive until it ends (rows
    here, cells in services.workbook); the collector would scan the growing heap again and
    again (a second or more at 100,000 assignments). Reference counting frees everything as
    usual; only cycle detection waits, and runs once when the pause ends.

    Counted, so overlapping pauses (an export in each of several worker threads or tasks)
    resume it only when the last one ends, and only if it was running before the first.
    """
    global _collector_pauses, _collector_was_enabled
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0 and _collector_was_enabled:
                gc.enable()


class ExportRow(NamedTuple):
    """One assignment as the workbook's detail sheet shows it: plain values, no objects.

    ``original_due_on`` is the first deadline only when an approved extension moved the
    deadline in force later (None otherwise), the only case the sheet shows it.
    ``category`` is a :class:`Category` value as SQL computed it (a plain ``str``, which
    compares equal to the member: ``row.category == Category.OVERDUE``).
    """

    assignment_id: int
    dispatch_number: str | None
    task_ref: str
    task_text: str
    unit_name: str
    due_on: date | None
    original_due_on: date | None
    category: str
    done_at: datetime | None
    note: str | None


async def export_rows(
    session: AsyncSession, *, today: date, unit_id: int | None = None
) -> list[ExportRow]:
    """Every counted assignment, by dispatch and task order, as :class:`ExportRow` tuples.

    100,000 assignments are the /xuat target, so everything is decided in SQL (category,
    whether the deadline was extended) and Python only turns each row into a tuple: the
    statement selects plain columns and runs on the connection (Core rows, no ORM), and
    the cyclic garbage collector waits while the rows arrive (:func:`collector_paused`).
    """
    connection = await session.connection()
    statement = (
        _scoped(
            select(
                Assignment.id,
                Dispatch.number,
                Task.ref,
                Task.text,
                Unit.name,
                Assignment.due_on,
                case((_extended(), Assignment.original_due_on)),
                category_case(today),
                Assignment.done_at,
                Assignment.note,
            ),
            unit_id=unit_id,
        )
        .join(Unit, Unit.id == Assignment.unit_id)
        .order_by(Dispatch.id, Task.position, Unit.name, Assignment.id)
    )
    with collector_paused():
        result = await connection.execute(statement)
        return list(map(ExportRow._make, result.all()))


# --- One task's history -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    at: datetime
    kind: str
    actor_name: str | None
    note: str | None
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TaskHistory:
    task: TaskLine
    category: Category
    dispatch_active: bool
    done_at: datetime | None
    done_on: date | None
    note: str | None
    events: tuple[HistoryEvent, ...]


async def task_history(
    session: AsyncSession, assignment_id: int, *, today: date, unit_id: int | None = None
) -> TaskHistory | None:
    """One assignment (the id the lists and the workbook show) and its audit trail.

    The trail holds the assignment's own events and its task's events that name no
    assignment (deadline set while drafting, for example), oldest first. With ``unit_id``
    another unit's assignment is "not found", so ids reveal nothing across units.
    """
    statement = (
        _lines(
            Dispatch.status.label("dispatch_status"),
            Assignment.task_id,
            Assignment.done_at,
            Assignment.done_on,
            Assignment.note,
        )
        .select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .join(Dispatch, Dispatch.id == Task.dispatch_id)
        .where(Assignment.id == assignment_id)
    )
    if unit_id is not None:
        statement = statement.where(Assignment.unit_id == unit_id)
    row = (await session.execute(statement)).first()
    if row is None:
        return None
    line = _line(row)
    events = await session.execute(
        select(Event.at, Event.kind, Person.name, Event.note, Event.data)
        .outerjoin(Person, Person.id == Event.actor_id)
        .where(
            or_(
                Event.assignment_id == assignment_id,
                and_(Event.task_id == row.task_id, Event.assignment_id.is_(None)),
            )
        )
        .order_by(Event.at, Event.id)
    )
    return TaskHistory(
        task=line,
        category=categorize(
            done=line.status == AssignmentStatus.DONE,
            due_on=line.due_on,
            done_on=row.done_on,
            today=today,
        ),
        dispatch_active=row.dispatch_status == DispatchStatus.ACTIVE,
        done_at=row.done_at,
        done_on=row.done_on,
        note=row.note,
        events=tuple(
            HistoryEvent(at, kind, name, note, data or {}) for at, kind, name, note, data in events
        ),
    )


# --- Weekly digest ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompletedLine:
    task: TaskLine
    done_at: datetime
    on_time: bool


@dataclass(frozen=True, slots=True)
class Digest:
    """The supervisors' weekly digest: completions in (since, until], what is due, what is late."""

    today: date
    since: datetime
    until: datetime
    total: Counts
    due_soon: tuple[TaskLine, ...]
    overdue: tuple[OverdueRow, ...]
    completed: tuple[CompletedLine, ...]

    @property
    def horizon(self) -> date:
        """The last day of "this week" (inclusive)."""
        return self.today + timedelta(days=DIGEST_HORIZON_DAYS - 1)


@dataclass(frozen=True, slots=True)
class UnitWeekly:
    """A unit's own open tasks for its weekly reminder, soonest deadline first."""

    unit_id: int
    unit_name: str
    chat_ids: tuple[int, ...]
    open_tasks: tuple[TaskLine, ...]
    today: date

    def days_left(self, line: TaskLine) -> int | None:
        return None if line.due_on is None else (line.due_on - self.today).days


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """Everything one weekly run sends; built and recorded in one transaction, sent after."""

    digest: Digest
    supervisor_chats: tuple[int, ...]
    units: tuple[UnitWeekly, ...] = field(default_factory=tuple)


async def last_digest_at(session: AsyncSession) -> datetime | None:
    """When the last digest was prepared: durable across restarts, unlike the job's state."""
    # max() keeps the column's type, so the value comes back aware UTC on every backend.
    at: datetime | None = await session.scalar(
        select(func.max(Event.at)).where(Event.kind == DIGEST_SENT)
    )
    return at


async def weekly_digest(session: AsyncSession, *, now: datetime, tz: tzinfo) -> Digest:
    """The digest's content at ``now``: completions since the last digest (or the last week),
    open deadlines in the next seven days, and every overdue assignment."""
    today = local_today(now, tz)
    since = await last_digest_at(session) or now - FIRST_DIGEST_LOOKBACK
    summary = await status_summary(session, today=today)
    horizon = today + timedelta(days=DIGEST_HORIZON_DAYS - 1)
    due_rows = (
        await session.execute(
            _scoped(_lines())
            .where(
                Assignment.status != AssignmentStatus.DONE,
                Assignment.due_on >= today,
                Assignment.due_on <= horizon,
            )
            .order_by(Assignment.due_on, Unit.name, Assignment.id)
        )
    ).all()
    done_rows = (
        await session.execute(
            _scoped(_lines(Assignment.done_at, Assignment.done_on))
            .where(
                Assignment.status == AssignmentStatus.DONE,
                Assignment.done_at > since,
                Assignment.done_at <= now,
            )
            .order_by(Assignment.done_at, Assignment.id)
        )
    ).all()
    width = len(_LINE_COLUMNS)
    completed = []
    for row in done_rows:
        line = _line(row)
        category = categorize(done=True, due_on=line.due_on, done_on=row[width + 1], today=today)
        completed.append(CompletedLine(line, row[width], category is Category.DONE_ON_TIME))
    return Digest(
        today=today,
        since=since,
        until=now,
        total=summary.total,
        due_soon=tuple(_line(row) for row in due_rows),
        overdue=tuple(await overdue_list(session, today=today)),
        completed=tuple(completed),
    )


async def supervisor_chats(session: AsyncSession) -> tuple[int, ...]:
    """Private chats of active supervisors that have not blocked the bot."""
    rows = await session.scalars(
        select(Contact.chat_id)
        .join(Person, Person.id == Contact.person_id)
        .where(
            Person.role == Role.SUPERVISOR,
            Person.active.is_(True),
            Contact.active.is_(True),
            Contact.blocked_at.is_(None),
        )
        .order_by(Contact.id)
    )
    return tuple(dict.fromkeys(rows))


async def unit_weekly_lists(session: AsyncSession, *, today: date) -> list[UnitWeekly]:
    """Each unit with open tasks and a chat to reach: its open tasks, soonest deadline first."""
    rows = (
        await session.execute(
            _scoped(_lines())
            .where(Assignment.status != AssignmentStatus.DONE)
            .order_by(
                Unit.name,
                Assignment.due_on.is_(None),
                Assignment.due_on,
                Assignment.id,
            )
        )
    ).all()
    open_of: dict[int, list[TaskLine]] = {}
    names: dict[int, str] = {}
    for row in rows:
        line = _line(row)
        open_of.setdefault(line.unit_id, []).append(line)
        names[line.unit_id] = line.unit_name
    chats: dict[int, list[int]] = {}
    if open_of:
        contacts = await session.execute(
            select(Contact.unit_id, Contact.chat_id)
            .where(
                Contact.unit_id.in_(list(open_of)),
                Contact.active.is_(True),
                Contact.blocked_at.is_(None),
            )
            .order_by(Contact.id)
        )
        for unit_id, chat_id in contacts:
            if unit_id is not None:  # always, given the filter; narrows the type
                chats.setdefault(unit_id, []).append(chat_id)
    return [
        UnitWeekly(unit_id, names[unit_id], tuple(chats[unit_id]), tuple(lines), today)
        for unit_id, lines in open_of.items()
        if chats.get(unit_id)
    ]


async def prepare_weekly_digest(session: AsyncSession, *, now: datetime, tz: tzinfo) -> DigestPlan:
    """Build the digest and record that it went out, so the next one starts from ``now``.

    At most once, by choice: the "digest.sent" event is recorded before anything is sent
    (the caller sends after this transaction commits), so a crash in between loses that
    digest, and the next one starts from ``now``, rather than sending it twice; see
    jobs.digest.
    """
    digest = await weekly_digest(session, now=now, tz=tz)
    plan = DigestPlan(
        digest=digest,
        supervisor_chats=await supervisor_chats(session),
        units=tuple(await unit_weekly_lists(session, today=digest.today)),
    )
    record_event(
        session,
        DIGEST_SENT,
        now,
        note=None,
        since=digest.since.isoformat(),
        supervisors=len(plan.supervisor_chats),
        units=len(plan.units),
    )
    return plan
