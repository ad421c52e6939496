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

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentStatus,
    Dispatch,
    DispatchStatus,
    DueKind,
    Event,
    Period,
    PeriodStatus,
    Person,
    Role,
    Task,
    TaskDue,
    TaskUnit,
    Unit,
    UnitRole,
)
from services.audience import Event as Heard
from services.audience import chats_for, unit_chats_of
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


def period_category_case(today: date) -> ColumnElement[str]:
    """:func:`categorize` over ``periods``: a period always has a deadline (its due date)."""
    done = Period.status == PeriodStatus.DONE
    return case(
        (and_(done, Period.done_on > Period.due_on), _sql_literal(Category.DONE_LATE)),
        (done, _sql_literal(Category.DONE_ON_TIME)),
        (Period.due_on >= today, _sql_literal(Category.IN_PROGRESS)),
        else_=_sql_literal(Category.OVERDUE),
    )


def _period_extended() -> ColumnElement[bool]:
    return Period.due_on > Period.original_due_on


def _extended() -> ColumnElement[bool]:
    """An approved extension moved the deadline in force past the first one."""
    return and_(
        Assignment.original_due_on.is_not(None), Assignment.due_on > Assignment.original_due_on
    )


# --- Counts -----------------------------------------------------------------------------------


def split_percent(counts: Sequence[int]) -> tuple[int, ...]:
    """Whole percentages of ``counts``: equal counts get equal shares, adding to 100 if possible.

    Largest remainder, with equal counts moving together. Every share starts at its exact value
    rounded down; the points still missing from 100 go, one each, to a *group* of equal counts
    as a whole, never to some members of a group only: «3 (2%)» beside «3 (1%)» cannot happen.
    The groups chosen are those that add up to the most points (100 whenever a combination of
    groups makes it), and among those the ones with the largest remainders. So each share is its
    exact value rounded down or up, a zero count is 0 %, and the total is 100 except when equal
    counts cannot share the points out evenly (three 1s: 33 % each, 99 %).
    """
    total = sum(counts)
    if total == 0:
        return tuple(0 for _ in counts)
    shares = [count * 100 // total for count in counts]
    missing = 100 - sum(shares)
    remainders = {count: count * 100 % total for count in counts}
    # Groups that can round up (a remainder above 0), largest remainder first, then larger count.
    groups = sorted(
        (count for count in set(counts) if remainders[count]),
        key=lambda count: (remainders[count], count),
        reverse=True,
    )
    sizes = [counts.count(count) for count in groups]
    # reachable[i]: the point totals that some choice among groups[i:] adds up to.
    reachable = [{0}]
    for size in reversed(sizes):
        reachable.insert(0, reachable[0] | {points + size for points in reachable[0]})
    target = max(points for points in reachable[0] if points <= missing)
    rounded_up: set[int] = set()
    for index, (count, size) in enumerate(zip(groups, sizes, strict=True)):
        if target - size in reachable[index + 1]:
            rounded_up.add(count)
            target -= size
    return tuple(
        share + 1 if count in rounded_up else share
        for count, share in zip(counts, shares, strict=True)
    )


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
        """Share of each category in :attr:`total`, whole percent (see :func:`split_percent`)."""
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


def _count_columns(today: date, *, periods: bool = False) -> list[ColumnElement[Any]]:
    category = period_category_case(today) if periods else category_case(today)
    extended = _period_extended() if periods else _extended()
    columns: list[ColumnElement[Any]] = [
        func.sum(case((category == _sql_literal(c), 1), else_=0)).label(c.value) for c in Category
    ]
    columns.append(func.sum(case((extended, 1), else_=0)).label("extended"))
    return columns


def _counts(row: Any) -> Counts:
    # SUM over no rows is NULL; PostgreSQL returns SUM of integers as Decimal.
    values = {c.value: int(getattr(row, c.value) or 0) for c in Category}
    return Counts(**values, extended=int(row.extended or 0))


def _scoped(
    statement: Select[Any], *, unit_id: int | None = None, dispatch_id: int | None = None
) -> Select[Any]:
    """Assignments of active dispatches, narrowed to one unit and/or one dispatch.

    Periodic obligations are left out: their periods count instead (:func:`_periods_scoped`).
    """
    statement = (
        statement.select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .join(Dispatch, Dispatch.id == Task.dispatch_id)
        .where(Dispatch.status == DispatchStatus.ACTIVE, Assignment.period_rule.is_(None))
    )
    if unit_id is not None:
        statement = statement.where(Assignment.unit_id == unit_id)
    if dispatch_id is not None:
        statement = statement.where(Task.dispatch_id == dispatch_id)
    return statement


def _periods_scoped(
    statement: Select[Any],
    *,
    unit_id: int | None = None,
    dispatch_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
) -> Select[Any]:
    """Periods of obligations of active dispatches (not those the office stopped), narrowed
    to one unit, one dispatch and/or due dates in [``due_from``, ``due_to``]."""
    statement = (
        statement.select_from(Period)
        .join(Assignment, Assignment.id == Period.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Dispatch, Dispatch.id == Task.dispatch_id)
        .where(Dispatch.status == DispatchStatus.ACTIVE, Period.status != PeriodStatus.STOPPED)
    )
    if unit_id is not None:
        statement = statement.where(Assignment.unit_id == unit_id)
    if dispatch_id is not None:
        statement = statement.where(Task.dispatch_id == dispatch_id)
    if due_from is not None:
        statement = statement.where(Period.due_on >= due_from)
    if due_to is not None:
        statement = statement.where(Period.due_on <= due_to)
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
    # The periods of periodic obligations among ``total`` (one per period), on their own line.
    obligations: Counts = field(default_factory=Counts)


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
    due_from: date | None = None,
    due_to: date | None = None,
) -> Summary:
    """Counts per category overall, by unit and by dispatch, in grouped queries.

    A periodic obligation counts once per period (its own deadline and completion); with
    ``due_from``/``due_to`` only periods due in that range count. Units and dispatches
    without any counted assignment or period are left out.
    """
    columns = _count_columns(today)
    period_columns = _count_columns(today, periods=True)
    scope = {"unit_id": unit_id, "dispatch_id": dispatch_id}
    ranged: dict[str, Any] = {**scope, "due_from": due_from, "due_to": due_to}
    by_unit_rows = (
        await session.execute(
            _scoped(select(Unit.id, Unit.name, *columns), **scope)
            .join(Unit, Unit.id == Assignment.unit_id)
            .group_by(Unit.id, Unit.name)
        )
    ).all()
    period_unit_rows = (
        await session.execute(
            _periods_scoped(select(Unit.id, Unit.name, *period_columns), **ranged)
            .join(Unit, Unit.id == Assignment.unit_id)
            .group_by(Unit.id, Unit.name)
        )
    ).all()
    names = {row.id: row.name for row in [*by_unit_rows, *period_unit_rows]}
    unit_counts: dict[int, Counts] = {}
    for row in [*by_unit_rows, *period_unit_rows]:
        unit_counts[row.id] = unit_counts.get(row.id, Counts()) + _counts(row)
    by_unit = sorted(
        (UnitRow(i, names[i], counts) for i, counts in unit_counts.items()), key=worst_first
    )
    obligations = sum((_counts(row) for row in period_unit_rows), Counts())
    # Group by the id alone (cheap), then fetch the few columns the views show.
    by_dispatch_rows = (
        await session.execute(
            _scoped(select(Task.dispatch_id, *columns), **scope).group_by(Task.dispatch_id)
        )
    ).all()
    period_dispatch_rows = (
        await session.execute(
            _periods_scoped(select(Task.dispatch_id, *period_columns), **ranged).group_by(
                Task.dispatch_id
            )
        )
    ).all()
    counts_of: dict[int, Counts] = {}
    for row in [*by_dispatch_rows, *period_dispatch_rows]:
        counts_of[row.dispatch_id] = counts_of.get(row.dispatch_id, Counts()) + _counts(row)
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
    return Summary(
        today=today,
        total=total,
        by_unit=tuple(by_unit),
        by_dispatch=by_dispatch,
        obligations=obligations,
    )


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
    # One period of a periodic obligation ("2026-11"): status and dates are the period's.
    period_key: str | None = None

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


_PERIOD_LINE_COLUMNS = (
    *_LINE_COLUMNS[:9],
    Period.status,
    Period.due_on,
    Period.original_due_on,
    Period.key.label("period_key"),
)

_LINE_WIDTH = len(_LINE_COLUMNS)


def _line(row: Any) -> TaskLine:
    return TaskLine._make((*row[:_LINE_WIDTH], None))


def _period_line(row: Any) -> TaskLine:
    return TaskLine._make(row[: _LINE_WIDTH + 1])


def _lines(*extra: Any) -> Select[Any]:
    columns: list[Any] = [*_LINE_COLUMNS, *extra]
    return select(*columns).join(Unit, Unit.id == Assignment.unit_id)


def _period_lines(*extra: Any, **scope: Any) -> Select[Any]:
    """Task lines of periods: scoped first (FROM periods JOIN assignments ...), then the unit
    joined, in the order PostgreSQL needs."""
    columns: list[Any] = [*_PERIOD_LINE_COLUMNS, *extra]
    return _periods_scoped(select(*columns), **scope).join(Unit, Unit.id == Assignment.unit_id)


_OPEN_PERIOD = Period.status.not_in((PeriodStatus.DONE, PeriodStatus.STOPPED))


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
    periods = (
        await session.execute(
            _period_lines(unit_id=unit_id, dispatch_id=dispatch_id).where(
                _OPEN_PERIOD, Period.due_on < today
            )
        )
    ).all()
    lines = [_line(row) for row in rows] + [_period_line(row) for row in periods]
    if periods:
        lines.sort(key=lambda line: (line.due_on, line.unit_name, line.assignment_id))
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
    ``support_units``: the task's support units, "; " between them; ``timing``: the
    :class:`models.DueKind` value of the task's first timing without a date («thường xuyên»,
    «chờ văn bản»…); ``progress_at``/``progress_note``: the unit's latest progress report.
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
    support_units: str | None = None
    timing: str | None = None
    progress_at: datetime | None = None
    progress_note: str | None = None
    period_key: str | None = None  # one period of a periodic obligation ("2026-11")


# Timings without a date that the workbook names («Thường xuyên», «Chờ văn bản/sự kiện»…).
UNDATED_TIMINGS = (DueKind.RECURRING, DueKind.ON_REQUEST, DueKind.AFTER_EVENT, DueKind.ROADMAP)


def _with_extras(
    rows: Sequence[Sequence[Any]],
    extras: bool,
    supports: dict[int, list[str]],
    timings: dict[int, str],
    progress: dict[int, tuple[datetime, str | None]],
) -> list[ExportRow]:
    """Rows as ExportRow; with extras, the task id (before the period key) joins them."""
    if not extras:
        return list(map(ExportRow._make, rows))
    out = []
    for row in rows:
        task_id, assignment_id = row[-2], row[0]
        support = supports.get(task_id)
        latest = progress.get(assignment_id)
        out.append(
            ExportRow._make(
                (
                    *row[:-2],
                    "; ".join(support) if support else None,
                    timings.get(task_id),
                    *(latest if latest is not None else (None, None)),
                    row[-1],
                )
            )
        )
    return out


async def export_rows(
    session: AsyncSession,
    *,
    today: date,
    unit_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
) -> list[ExportRow]:
    """Every counted assignment, by dispatch and task order, as :class:`ExportRow` tuples.

    100,000 assignments are the /xuat target, so everything is decided in SQL (category,
    whether the deadline was extended) and Python only turns each row into a tuple: the
    statement selects plain columns and runs on the connection (Core rows, no ORM), and
    the cyclic garbage collector waits while the rows arrive (:func:`collector_paused`).
    Support units, undated timings and the latest progress notes are few: one query each,
    joined in Python by task and assignment id.
    """
    connection = await session.connection()
    tasks_counted = _scoped(select(Task.id), unit_id=unit_id).scalar_subquery()
    supports: dict[int, list[str]] = {}
    for task_id, name in await connection.execute(
        select(TaskUnit.task_id, Unit.name)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.role == UnitRole.SUPPORT, TaskUnit.task_id.in_(tasks_counted))
        .order_by(TaskUnit.task_id, Unit.name)
    ):
        supports.setdefault(task_id, []).append(name)
    timings: dict[int, str] = {}
    for task_id, kind in await connection.execute(
        select(TaskDue.task_id, TaskDue.kind)
        .where(
            TaskDue.kind.in_(UNDATED_TIMINGS),
            TaskDue.due_on.is_(None),
            TaskDue.task_id.in_(tasks_counted),
        )
        .order_by(TaskDue.task_id, TaskDue.position)
    ):
        timings.setdefault(task_id, kind)
    progress: dict[int, tuple[datetime, str | None]] = {}
    progress_statement = (
        select(Event.assignment_id, Event.at, Event.note)
        .where(
            Event.kind == "assignment.progress",
            Event.note.is_not(None),
            Event.assignment_id.is_not(None),
        )
        .order_by(Event.at, Event.id)
    )
    if unit_id is not None:
        progress_statement = progress_statement.where(Event.unit_id == unit_id)
    for assignment_id, at, note in await connection.execute(progress_statement):
        if assignment_id is not None:
            progress[assignment_id] = (at, note)  # the latest wins
    extras = bool(supports or timings or progress)
    # Without extras (the common case at scale) SQL fills the last four fields with NULL and
    # every row maps straight onto ExportRow; with them, the task id joins them in Python.
    tail = [Task.id] if extras else [null(), null(), null(), null()]
    # The last column is the period's key: NULL for assignments, the key for periods.
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
                *tail,
                null(),
            ),
            unit_id=unit_id,
        )
        .join(Unit, Unit.id == Assignment.unit_id)
        .order_by(Dispatch.id, Task.position, Unit.name, Assignment.id)
    )
    # One row per period of a periodic obligation, after the other assignments.
    periods = (
        _periods_scoped(
            select(
                Assignment.id,
                Dispatch.number,
                Task.ref,
                Task.text,
                Unit.name,
                Period.due_on,
                case((_period_extended(), Period.original_due_on)),
                period_category_case(today),
                Period.done_at,
                Period.note,
                *tail,
                Period.key,
            ),
            unit_id=unit_id,
            due_from=due_from,
            due_to=due_to,
        )
        .join(Unit, Unit.id == Assignment.unit_id)
        .order_by(Dispatch.id, Task.position, Unit.name, Assignment.id, Period.due_on)
    )
    with collector_paused():
        result = await connection.execute(statement)
        rows = _with_extras(result.all(), extras, supports, timings, progress)
        result = await connection.execute(periods)
        rows += _with_extras(result.all(), extras, supports, timings, progress)
        return rows


# --- One task's history -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    at: datetime
    kind: str
    actor_name: str | None
    note: str | None
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PeriodLine:
    """One period of a periodic obligation in its history. ``category`` is
    :func:`categorize`'s; a period past its due date and not done was missed (bỏ lỡ)."""

    key: str
    due_on: date
    original_due_on: date
    status: str
    done_at: datetime | None
    category: Category

    @property
    def stopped(self) -> bool:
        return self.status == PeriodStatus.STOPPED


@dataclass(frozen=True, slots=True)
class Obligation:
    rule: str
    ends_on: date | None
    stopped_at: datetime | None
    stop_reason: str | None
    periods: tuple[PeriodLine, ...]  # newest first


@dataclass(frozen=True, slots=True)
class TaskHistory:
    task: TaskLine
    category: Category
    dispatch_active: bool
    done_at: datetime | None
    done_on: date | None
    note: str | None
    events: tuple[HistoryEvent, ...]
    obligation: Obligation | None = None


async def obligation_history(
    session: AsyncSession, assignment_id: int, *, today: date, limit: int = 36
) -> tuple[PeriodLine, ...]:
    """The obligation's periods, newest first (at most ``limit``)."""
    rows = await session.execute(
        select(
            Period.key,
            Period.due_on,
            Period.original_due_on,
            Period.status,
            Period.done_at,
            Period.done_on,
        )
        .where(Period.assignment_id == assignment_id)
        .order_by(Period.due_on.desc())
        .limit(limit)
    )
    return tuple(
        PeriodLine(
            key,
            due_on,
            original,
            status,
            done_at,
            categorize(
                done=status == PeriodStatus.DONE, due_on=due_on, done_on=done_on, today=today
            ),
        )
        for key, due_on, original, status, done_at, done_on in rows
    )


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
            Assignment.period_rule,
            Assignment.ends_on,
            Assignment.stopped_at,
            Assignment.stop_reason,
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
    obligation = None
    if row.period_rule is not None:
        obligation = Obligation(
            row.period_rule,
            row.ends_on,
            row.stopped_at,
            row.stop_reason,
            await obligation_history(session, assignment_id, today=today),
        )
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
        obligation=obligation,
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
    office_chats: tuple[int, ...]
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
    # Periods of periodic obligations: due this week, and reported since the last digest.
    period_due_rows = (
        await session.execute(
            _period_lines().where(_OPEN_PERIOD, Period.due_on >= today, Period.due_on <= horizon)
        )
    ).all()
    period_done_rows = (
        await session.execute(
            _period_lines(Period.done_at, Period.done_on).where(
                Period.status == PeriodStatus.DONE,
                Period.done_at > since,
                Period.done_at <= now,
            )
        )
    ).all()
    width = len(_LINE_COLUMNS)
    completed = []
    for line, done_at, done_on in [
        *((_line(row), row[width], row[width + 1]) for row in done_rows),
        *((_period_line(row), row[width + 1], row[width + 2]) for row in period_done_rows),
    ]:
        category = categorize(done=True, due_on=line.due_on, done_on=done_on, today=today)
        completed.append(CompletedLine(line, done_at, category is Category.DONE_ON_TIME))
    completed.sort(key=lambda c: (c.done_at, c.task.assignment_id))
    due_soon = [_line(row) for row in due_rows] + [_period_line(row) for row in period_due_rows]
    due_soon.sort(key=lambda line: (line.due_on or today, line.unit_name, line.assignment_id))
    return Digest(
        today=today,
        since=since,
        until=now,
        total=summary.total,
        due_soon=tuple(due_soon),
        overdue=tuple(await overdue_list(session, today=today)),
        completed=tuple(completed),
    )


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
    periods = (
        await session.execute(
            _period_lines().where(_OPEN_PERIOD).order_by(Unit.name, Period.due_on)
        )
    ).all()
    lines = [_line(row) for row in rows] + [_period_line(row) for row in periods]
    if periods:
        lines.sort(key=lambda line: (line.unit_name, line.due_on is None, line.due_on or today))
    open_of: dict[int, list[TaskLine]] = {}
    names: dict[int, str] = {}
    for line in lines:
        open_of.setdefault(line.unit_id, []).append(line)
        names[line.unit_id] = line.unit_name
    chats = await unit_chats_of(session, open_of)
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
        office_chats=tuple(await chats_for(session, Heard.DIGEST)),
        units=tuple(await unit_weekly_lists(session, today=digest.today)),
    )
    record_event(
        session,
        DIGEST_SENT,
        now,
        note=None,
        since=digest.since.isoformat(),
        office=len(plan.office_chats),
        units=len(plan.units),
    )
    return plan
