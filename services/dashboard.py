"""The dashboard's reads: the /tonghop figures, filtered and paged on the server.

Every count is the summaries service's own SQL (:func:`services.summaries.category_case`
and its count columns over the same joins), so the page and the chat cannot disagree.
``scope_unit`` is the unit a unit's people are limited to (``None``: the office); it is
applied to every query here, whatever filters the page asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentStatus,
    Attachment,
    Dispatch,
    DispatchStatus,
    ExtensionRequest,
    Person,
    Task,
    Unit,
    UnitGroup,
    unit_group_members,
)
from services.summaries import (
    Category,
    Counts,
    DispatchRef,
    DispatchRow,
    OverdueRow,
    TaskHistory,
    UnitRow,
    _count_columns,
    _counts,
    _line,
    _lines,
    _scoped,
    category_case,
    task_history,
    unit_heads,
    worst_first,
)

MAX_PAGE = 200
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Filters:
    """What the page narrows to; dates bound the deadline in force (``due_on``)."""

    dispatch_id: int | None = None
    unit_id: int | None = None
    group_id: int | None = None
    category: Category | None = None
    due_from: date | None = None
    due_to: date | None = None


def _filtered(
    statement: Select[Any], *, today: date, filters: Filters, scope_unit: int | None
) -> Select[Any]:
    statement = _scoped(statement, dispatch_id=filters.dispatch_id)
    conditions: list[ColumnElement[bool]] = []
    if scope_unit is not None:
        conditions.append(Assignment.unit_id == scope_unit)
    if filters.unit_id is not None:
        conditions.append(Assignment.unit_id == filters.unit_id)
    if filters.group_id is not None:
        members = select(unit_group_members.c.unit_id).where(
            unit_group_members.c.group_id == filters.group_id
        )
        conditions.append(Assignment.unit_id.in_(members))
    if filters.category is not None:
        conditions.append(category_case(today) == filters.category.value)
    if filters.due_from is not None:
        conditions.append(Assignment.due_on >= filters.due_from)
    if filters.due_to is not None:
        conditions.append(Assignment.due_on <= filters.due_to)
    return statement.where(and_(*conditions)) if conditions else statement


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    total_rows: int
    offset: int


@dataclass(frozen=True, slots=True)
class UnitTable:
    """The figures overall and one page of units, worst first (as /tonghop orders them)."""

    total: Counts
    page: Page[UnitRow]


def _window(offset: int, limit: int) -> tuple[int, int]:
    return max(0, offset), max(1, min(MAX_PAGE, limit))


async def unit_table(
    session: AsyncSession,
    *,
    today: date,
    filters: Filters,
    scope_unit: int | None,
    offset: int = 0,
    limit: int = 50,
) -> UnitTable:
    """One grouped query; totals and the page are cut from its (at most one per unit) rows."""
    offset, limit = _window(offset, limit)
    rows = (
        await session.execute(
            _filtered(
                select(Unit.id, Unit.name, *_count_columns(today)),
                today=today,
                filters=filters,
                scope_unit=scope_unit,
            )
            .join(Unit, Unit.id == Assignment.unit_id)
            .group_by(Unit.id, Unit.name)
        )
    ).all()
    units = sorted((UnitRow(row.id, row.name, _counts(row)) for row in rows), key=worst_first)
    total = sum((unit.counts for unit in units), Counts())
    return UnitTable(total, Page(tuple(units[offset : offset + limit]), len(units), offset))


async def dispatch_table(
    session: AsyncSession,
    *,
    today: date,
    filters: Filters,
    scope_unit: int | None,
    offset: int = 0,
    limit: int = 50,
) -> Page[DispatchRow]:
    """Dispatches newest first, as /tonghop lists them, each with its counts."""
    offset, limit = _window(offset, limit)
    statement = _filtered(
        select(Task.dispatch_id, *_count_columns(today)),
        today=today,
        filters=filters,
        scope_unit=scope_unit,
    ).group_by(Task.dispatch_id)
    counts_of = {row.dispatch_id: _counts(row) for row in (await session.execute(statement))}
    dispatches = (
        await session.execute(
            select(
                Dispatch.id, Dispatch.kind, Dispatch.number, Dispatch.subject, Dispatch.issued_on
            )
            .where(Dispatch.id.in_(list(counts_of)))
            .order_by(Dispatch.confirmed_at.desc(), Dispatch.id.desc())
            .offset(offset)
            .limit(limit)
        )
    ).all()
    rows = tuple(
        DispatchRow(d.id, d.kind, d.number, d.subject, d.issued_on, counts_of[d.id])
        for d in dispatches
    )
    return Page(rows, len(counts_of), offset)


async def overdue_page(
    session: AsyncSession,
    *,
    today: date,
    filters: Filters,
    scope_unit: int | None,
    offset: int = 0,
    limit: int = 50,
) -> Page[OverdueRow]:
    """Overdue assignments longest overdue first (as /quahan), with days and unit heads."""
    offset, limit = _window(offset, limit)
    overdue = and_(Assignment.status != AssignmentStatus.DONE, Assignment.due_on < today)
    count = await session.scalar(
        _filtered(select(func.count()), today=today, filters=filters, scope_unit=scope_unit).where(
            overdue
        )
    )
    rows = (
        await session.execute(
            _filtered(_lines(), today=today, filters=filters, scope_unit=scope_unit)
            .where(overdue)
            .order_by(Assignment.due_on, Unit.name, Assignment.id)
            .offset(offset)
            .limit(limit)
        )
    ).all()
    lines = [_line(row) for row in rows]
    heads = await unit_heads(session, (line.unit_id for line in lines))
    return Page(
        tuple(
            OverdueRow(line, (today - line.due_on).days, heads.get(line.unit_id, ()))  # type: ignore[operator]
            for line in lines
        ),
        int(count or 0),
        offset,
    )


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One week (Monday ``week_of`` to Sunday): completions on time and late, deadlines due."""

    week_of: date
    done_on_time: int
    done_late: int
    came_due: int


async def trend(
    session: AsyncSession,
    *,
    today: date,
    filters: Filters,
    scope_unit: int | None,
    weeks: int = 12,
) -> tuple[TrendPoint, ...]:
    """The last ``weeks`` weeks up to today; grouped by day in SQL, by week here."""
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    late = and_(Assignment.done_on > Assignment.due_on)
    done_rows = await session.execute(
        _filtered(
            select(  # type: ignore[arg-type]
                Assignment.done_on,
                func.sum(case((late, 0), else_=1)).label("on_time"),
                func.sum(case((late, 1), else_=0)).label("late"),
            ),
            today=today,
            filters=filters,
            scope_unit=scope_unit,
        )
        .where(
            Assignment.status == AssignmentStatus.DONE,
            Assignment.done_on >= first,
            Assignment.done_on <= today,
        )
        .group_by(Assignment.done_on)
    )
    due_rows = await session.execute(
        _filtered(
            select(Assignment.due_on, func.count().label("due")),  # type: ignore[arg-type]
            today=today,
            filters=filters,
            scope_unit=scope_unit,
        )
        .where(Assignment.due_on >= first, Assignment.due_on <= today)
        .group_by(Assignment.due_on)
    )
    buckets = {first + timedelta(weeks=i): [0, 0, 0] for i in range(weeks)}

    def bucket(day: date) -> list[int]:
        return buckets[day - timedelta(days=day.weekday())]

    for row in done_rows:
        bucket(row.done_on)[0] += int(row.on_time or 0)
        bucket(row.done_on)[1] += int(row.late or 0)
    for row in due_rows:
        bucket(row.due_on)[2] += int(row.due or 0)
    return tuple(TrendPoint(week, *values) for week, values in buckets.items())


# --- One task ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExtensionLine:
    request_id: int
    status: str
    proposed_on: date | None
    decided_on: date | None
    reason: str | None
    requested_by: str | None


@dataclass(frozen=True, slots=True)
class AttachmentLine:
    file_name: str | None
    sent_by: str | None


@dataclass(frozen=True, slots=True)
class TaskDetail:
    history: TaskHistory
    extensions: tuple[ExtensionLine, ...]
    attachments: tuple[AttachmentLine, ...]


async def task_detail(
    session: AsyncSession, assignment_id: int, *, today: date, scope_unit: int | None
) -> TaskDetail | None:
    """/nhiemvu's history plus the assignment's extension requests and files."""
    history = await task_history(session, assignment_id, today=today, unit_id=scope_unit)
    if history is None:
        return None
    extensions = await session.execute(
        select(
            ExtensionRequest.id,
            ExtensionRequest.status,
            ExtensionRequest.proposed_on,
            ExtensionRequest.decided_on,
            ExtensionRequest.reason,
            Person.name,
        )
        .outerjoin(Person, Person.id == ExtensionRequest.requested_by_id)
        .where(ExtensionRequest.assignment_id == assignment_id)
        .order_by(ExtensionRequest.created_at, ExtensionRequest.id)
    )
    attachments = await session.execute(
        select(Attachment.file_name, Person.name)
        .outerjoin(Person, Person.id == Attachment.person_id)
        .where(Attachment.assignment_id == assignment_id)
        .order_by(Attachment.created_at, Attachment.id)
    )
    return TaskDetail(
        history,
        tuple(ExtensionLine(*row) for row in extensions),
        tuple(AttachmentLine(*row) for row in attachments),
    )


# --- Filter choices -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Choices:
    dispatches: tuple[Choice, ...]
    units: tuple[Choice, ...]
    groups: tuple[Choice, ...]


async def filter_choices(session: AsyncSession, *, scope_unit: int | None) -> Choices:
    """Active dispatches, and for the office every unit and group (a unit sees only its own)."""
    dispatch_rows = await session.execute(
        select(Dispatch.id, Dispatch.number, Dispatch.subject)
        .where(Dispatch.status == DispatchStatus.ACTIVE)
        .order_by(Dispatch.confirmed_at.desc(), Dispatch.id.desc())
    )
    dispatches = tuple(
        Choice(id, " — ".join(part for part in (number, subject) if part) or f"#{id}")
        for id, number, subject in dispatch_rows
    )
    units_query = select(Unit.id, Unit.name).order_by(Unit.name)
    if scope_unit is not None:
        units_query = units_query.where(Unit.id == scope_unit)
    units = tuple(Choice(*row) for row in await session.execute(units_query))
    groups: tuple[Choice, ...] = ()
    if scope_unit is None:
        groups = tuple(
            Choice(*row)
            for row in await session.execute(
                select(UnitGroup.id, UnitGroup.name).order_by(UnitGroup.name)
            )
        )
    return Choices(dispatches, units, groups)


async def dispatch_ref(session: AsyncSession, dispatch_id: int) -> DispatchRef | None:
    """An active dispatch by id, as /tonghop and /baocao name it."""
    row = (
        await session.execute(
            select(
                Dispatch.id, Dispatch.kind, Dispatch.number, Dispatch.subject, Dispatch.issued_on
            ).where(Dispatch.id == dispatch_id, Dispatch.status == DispatchStatus.ACTIVE)
        )
    ).first()
    return None if row is None else DispatchRef(*row)
