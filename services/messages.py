"""What a delivery is about: the facts a message needs, read in one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Dispatch, ReminderDelivery, Task, TaskDue, Unit


@dataclass(frozen=True, slots=True)
class DeliveryFacts:
    delivery_id: int
    slot: str
    chat_id: int
    assignment_id: int
    unit_name: str
    dispatch_kind: str
    dispatch_number: str | None
    dispatch_subject: str | None
    has_original: bool
    task_ref: str
    task_text: str
    due_on: date | None
    due_phrase: str | None
    status: str


async def delivery_facts(session: AsyncSession, delivery_id: int) -> DeliveryFacts | None:
    row = (
        await session.execute(
            select(ReminderDelivery, Assignment, Task, Dispatch, Unit.name)
            .join(Assignment, Assignment.id == ReminderDelivery.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Dispatch, Dispatch.id == Task.dispatch_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(ReminderDelivery.id == delivery_id)
        )
    ).first()
    if row is None:
        return None
    delivery, assignment, task, dispatch, unit_name = row
    phrase = await session.scalar(
        select(TaskDue.phrase)
        .where(
            TaskDue.task_id == task.id,
            TaskDue.kind == "deadline",
            TaskDue.due_on == assignment.original_due_on,
        )
        .limit(1)
    )
    if phrase is None and assignment.due_on is None:
        phrase = await session.scalar(
            select(TaskDue.phrase)
            .where(TaskDue.task_id == task.id)
            .order_by(TaskDue.position)
            .limit(1)
        )
    return DeliveryFacts(
        delivery_id=delivery.id,
        slot=delivery.slot,
        chat_id=delivery.chat_id,
        assignment_id=assignment.id,
        unit_name=unit_name,
        dispatch_kind=dispatch.kind,
        dispatch_number=dispatch.number,
        dispatch_subject=dispatch.subject,
        has_original=dispatch.file_path is not None,
        task_ref=task.ref,
        task_text=task.text,
        due_on=assignment.due_on,
        due_phrase=phrase,
        status=assignment.status,
    )
