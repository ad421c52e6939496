"""Appending to the audit log. Every state change a person causes goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import Event


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an action came from: the person and the Telegram message, when there is one."""

    actor_id: int | None = None
    telegram_user_id: int | None = None
    chat_id: int | None = None
    message_id: int | None = None


SYSTEM = Origin()


def record_event(
    session: AsyncSession,
    kind: str,
    now: datetime,
    origin: Origin = SYSTEM,
    *,
    unit_id: int | None = None,
    dispatch_id: int | None = None,
    task_id: int | None = None,
    assignment_id: int | None = None,
    note: str | None = None,
    **data: Any,
) -> Event:
    event = Event(
        at=now,
        kind=kind,
        actor_id=origin.actor_id,
        actor_telegram_id=origin.telegram_user_id,
        chat_id=origin.chat_id,
        message_id=origin.message_id,
        unit_id=unit_id,
        dispatch_id=dispatch_id,
        task_id=task_id,
        assignment_id=assignment_id,
        note=note,
        data=data,
    )
    session.add(event)
    return event
