"""The delivery ledger: at most one message per (assignment, slot, chat).

Life of a row: ``pending`` (claimed in the transaction that decided to send) →
``sending`` (committed just before the HTTP call) → ``sent`` with Telegram's message id,
or ``failed``. A crash before "sending" loses nothing: the row is still ``pending``.

Ambiguous sends. A crash between "sending" and "sent", or an answer that does not say
whether Telegram took the message (HTTP 500/502, a connection reset after the request was
written, a timeout), leaves a message that may or may not have arrived; Telegram offers
no way to ask. Such a row becomes ``unknown`` with ``due_at`` moved ``resend_after``
ahead; once that time has come it is made ``pending`` again (``resends`` + 1) up to
``max_resends`` times, and the notifier marks its text «Nhắc lại», so a duplicate reads as
a repeat. So a reminder is lost only if every one of its 1 + max_resends attempts was
ambiguous and none arrived, and it is sent at most 1 + max_resends times.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
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


async def mark_interrupted(session: AsyncSession, resend_at: datetime | None = None) -> int:
    """At start-up: rows left in "sending" by a crash are unknown (ambiguous), due for
    their resend at ``resend_at`` (None: never resent)."""
    values: dict[str, object] = {"status": DeliveryStatus.UNKNOWN}
    if resend_at is not None:
        values["due_at"] = resend_at
    result = await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.status == DeliveryStatus.SENDING)
        .values(**values)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_ambiguous(
    session: AsyncSession, delivery_id: int, error: str | None, resend_at: datetime | None
) -> None:
    """A send whose fate Telegram did not tell: ``unknown``, due again at ``resend_at``
    (None when it has had its resends: it stays unknown for good)."""
    values: dict[str, object] = {
        "status": DeliveryStatus.UNKNOWN,
        "message_id": None,
        "error": error[:300] if error else None,
    }
    if resend_at is not None:
        values["due_at"] = resend_at
    await session.execute(
        update(ReminderDelivery).where(ReminderDelivery.id == delivery_id).values(**values)
    )


async def release_ambiguous(session: AsyncSession, now: datetime, max_resends: int) -> int:
    """Unknown rows whose resend time has come, and that have resends left: pending again."""
    result = await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.status == DeliveryStatus.UNKNOWN,
            ReminderDelivery.resends < max_resends,
            ReminderDelivery.due_at <= now,
        )
        .values(status=DeliveryStatus.PENDING, resends=ReminderDelivery.resends + 1)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def resends_of(session: AsyncSession, delivery_ids: Sequence[int]) -> int:
    """How many times these rows were sent again after an ambiguous send (the most of them)."""
    value = await session.scalar(
        select(func.max(ReminderDelivery.resends)).where(ReminderDelivery.id.in_(delivery_ids))
    )
    return int(value or 0)


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
