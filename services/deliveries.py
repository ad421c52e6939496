"""The delivery ledger: at most one message per (assignment, slot, chat).

Life of a row: ``pending`` (claimed in the transaction that decided to send) →
``sending`` (committed just before the HTTP call) → ``sent`` with Telegram's message id,
or ``failed``. A crash between "sending" and "sent" leaves ``sending``: the message may
or may not have reached Telegram, so such rows become ``unknown`` and are never resent
(at most once). A crash before "sending" loses nothing: the row is still ``pending``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Contact, ReminderDelivery

NEW_TASK_SLOT = "new"


class DeliveryStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNKNOWN = "unknown"


def claim_deliveries(
    session: AsyncSession,
    slot: str,
    targets: Iterable[tuple[int, int]],
    *,
    due_at: datetime,
    now: datetime,
) -> list[ReminderDelivery]:
    """Rows for (assignment_id, chat_id) pairs; the unique key refuses a second claim."""
    rows = [
        ReminderDelivery(
            assignment_id=assignment_id,
            slot=slot,
            chat_id=chat_id,
            status=DeliveryStatus.PENDING,
            due_at=due_at,
            claimed_at=now,
        )
        for assignment_id, chat_id in targets
    ]
    session.add_all(rows)
    return rows


async def pending_ids(session: AsyncSession, now: datetime, limit: int = 1000) -> list[int]:
    rows = await session.scalars(
        select(ReminderDelivery.id)
        .where(ReminderDelivery.status == DeliveryStatus.PENDING, ReminderDelivery.due_at <= now)
        .order_by(ReminderDelivery.due_at, ReminderDelivery.id)
        .limit(limit)
    )
    return list(rows)


async def start_sending(session: AsyncSession, delivery_id: int) -> bool:
    """Move pending → sending; False when someone else took it (or it is gone)."""
    result = await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.id == delivery_id,
            ReminderDelivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.SENDING)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def finish(
    session: AsyncSession,
    delivery_id: int,
    status: str,
    now: datetime,
    *,
    message_id: int | None = None,
    error: str | None = None,
) -> None:
    await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == delivery_id)
        .values(
            status=status,
            sent_at=now if status == DeliveryStatus.SENT else None,
            message_id=message_id,
            error=error[:300] if error else None,
        )
    )


async def back_to_pending(session: AsyncSession, delivery_id: int, chat_id: int) -> None:
    """For a send Telegram refused before delivering (429, migrated chat): try again."""
    await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == delivery_id)
        .values(status=DeliveryStatus.PENDING, chat_id=chat_id)
    )


async def mark_interrupted(session: AsyncSession) -> int:
    """At start-up: rows left in "sending" by a crash are unknown, never resent."""
    result = await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.UNKNOWN)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class MessageTarget:
    assignment_id: int
    unit_id: int
    slot: str


async def assignment_for_message(
    session: AsyncSession, chat_id: int, message_id: int
) -> MessageTarget | None:
    """Which assignment a bot message in this chat was about (for replies to it)."""
    row = (
        await session.execute(
            select(ReminderDelivery.assignment_id, Assignment.unit_id, ReminderDelivery.slot)
            .join(Assignment, Assignment.id == ReminderDelivery.assignment_id)
            .where(ReminderDelivery.chat_id == chat_id, ReminderDelivery.message_id == message_id)
            .limit(1)
        )
    ).first()
    return MessageTarget(*row) if row else None


async def deactivate_chat(session: AsyncSession, chat_id: int, now: datetime) -> None:
    """Telegram said 403: the user blocked the bot (or left the group)."""
    await session.execute(
        update(Contact).where(Contact.chat_id == chat_id).values(active=False, blocked_at=now)
    )


async def migrate_chat(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its id changed, the binding stays."""
    await session.execute(
        update(Contact).where(Contact.chat_id == old_chat_id).values(chat_id=new_chat_id)
    )


def targets_for(assignment_ids: Sequence[int], chat_ids: Sequence[int]) -> list[tuple[int, int]]:
    return [(a, c) for a in assignment_ids for c in chat_ids]
