"""Reading assignments for the people who carry them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, AssignmentStatus, Dispatch, DispatchStatus, Task


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


def _select():  # type: ignore[no-untyped-def]
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
    """The unit's unfinished work, soonest deadline first, undated last."""
    rows = await session.execute(
        _select()
        .where(Assignment.unit_id == unit_id, Assignment.status != AssignmentStatus.DONE)
        .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.id)
    )
    return [AssignmentRow(*row) for row in rows]


async def get_assignment(session: AsyncSession, assignment_id: int) -> AssignmentRow | None:
    row = (await session.execute(_select().where(Assignment.id == assignment_id))).first()
    return AssignmentRow(*row) if row else None
