"""Reading assignments for the people who carry them out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentStatus,
    Dispatch,
    DispatchStatus,
    Period,
    PeriodStatus,
    Task,
    Unit,
)
from services.events import Origin, record_event


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    assignment_id: int
    unit_id: int
    status: str
    due_on: date | None
    task_ref: str
    task_text: str
    dispatch_kind: str
    dispatch_number: str | None
    dispatch_subject: str | None
    file_path: str | None
    file_name: str | None
    # A periodic obligation: status and due_on are those of its open period (this key).
    period_key: str | None = None


# The columns of an AssignmentRow, in its field order.
_RowSelect = Select[
    int, int, str, date | None, str, str, str, str | None, str | None, str | None, str | None
]


def _select() -> _RowSelect:
    return (
        select(
            Assignment.id,
            Assignment.unit_id,
            Assignment.status,
            Assignment.due_on,
            Task.ref,
            Task.text,
            Dispatch.kind,
            Dispatch.number,
            Dispatch.subject,
            Dispatch.file_path,
            Dispatch.file_name,
        )
        .join(Task, Task.id == Assignment.task_id)
        .join(Dispatch, Dispatch.id == Task.dispatch_id)
        .where(Dispatch.status == DispatchStatus.ACTIVE)
    )


async def open_assignments(session: AsyncSession, unit_id: int) -> list[AssignmentRow]:
    """The unit's unfinished work, soonest deadline first, undated last.

    A periodic obligation shows its oldest period still to report (none: nothing to do now).
    """
    rows = await session.execute(
        _select()
        .add_columns(Assignment.period_rule)
        .where(Assignment.unit_id == unit_id, Assignment.status != AssignmentStatus.DONE)
        .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.id)
    )
    found = [(AssignmentRow(*row[:-1]), row[-1]) for row in rows]
    obligations = [row.assignment_id for row, rule in found if rule is not None]
    if not obligations:
        return [row for row, _ in found]
    periods = await session.execute(
        select(Period.assignment_id, Period.key, Period.status, Period.due_on)
        .where(
            Period.assignment_id.in_(obligations),
            Period.status.not_in((PeriodStatus.DONE, PeriodStatus.STOPPED)),
        )
        .order_by(Period.due_on.desc())
    )
    oldest = {assignment_id: (key, status, due) for assignment_id, key, status, due in periods}
    result = []
    for row, rule in found:
        if rule is None:
            result.append(row)
        elif row.assignment_id in oldest:
            key, status, due = oldest[row.assignment_id]
            result.append(replace(row, period_key=key, status=status, due_on=due))
    return sorted(result, key=lambda r: (r.due_on is None, r.due_on or date.min, r.assignment_id))


async def get_assignment(session: AsyncSession, assignment_id: int) -> AssignmentRow | None:
    row = (await session.execute(_select().where(Assignment.id == assignment_id))).first()
    return AssignmentRow(*row) if row else None


@dataclass(frozen=True, slots=True)
class DeadlineSet:
    row: AssignmentRow
    previous: date | None  # the deadline before this change (None: the task had none)
    unit_name: str


class AssignmentError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def set_deadline(
    session: AsyncSession,
    assignment_id: int,
    on: date,
    *,
    now: datetime,
    origin: Origin,
) -> DeadlineSet:
    """The office sets or moves a deadline (an undated task, or a correction).

    The first deadline a task gets is also its original one; later moves keep the
    original, as an approved extension does, so statistics can tell them apart. The unit's
    chats are returned so that the unit hears of it: a deadline never moves silently.
    """
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None:
        raise AssignmentError("unknown")
    if assignment.status == AssignmentStatus.DONE:
        raise AssignmentError("done")
    previous = assignment.due_on
    assignment.due_on = on
    if assignment.original_due_on is None:
        assignment.original_due_on = on
    await session.flush()
    record_event(
        session,
        "assignment.deadline_set",
        now,
        origin,
        unit_id=assignment.unit_id,
        task_id=assignment.task_id,
        assignment_id=assignment.id,
        previous=previous.isoformat() if previous else None,
        on=on.isoformat(),
    )
    row = await get_assignment(session, assignment_id)
    assert row is not None
    unit_name = await session.scalar(select(Unit.name).where(Unit.id == row.unit_id))
    return DeadlineSet(row, previous, unit_name or "")
