"""Notices about an assignment, claimed in the ledger with the change that causes them.

A completion, an undo, an extension request and its decision, a return, a stopped
obligation, a deadline moved: each is an audit event, and the people who hear of it
(services.audience) get one ledger row per chat, keyed ``notice:<event id>``, claimed in
the same transaction as the change. So a notice is never sent for a change that was rolled
back, never lost when the process dies after the commit (the tick sends pending rows), and
never sent twice; 429, 403 and migrated chats are handled by the notifier as for any row.

Its words are fixed when the event happens (who, when, which note) and stored with the row;
the handler composes them with bot.texts and passes them in, since services speak no
Telegram and no Vietnamese.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Event as AuditEvent
from services.audience import Event, chats_for
from services.deliveries import Claim, claim
from services.slots import Slot


async def claim_notice(
    session: AsyncSession,
    event: Event,
    *,
    assignment_id: int,
    unit_id: int | None,
    body: str,
    now: datetime,
    markup: Mapping[str, Any] | None = None,
    exclude: Collection[int] = (),
) -> list[Claim]:
    """Claim the notice of ``event`` for everyone who hears it (but ``exclude``: the chat
    where it happened already has its answer). It is keyed on the assignment's latest
    audit event, the one the change just recorded."""
    await session.flush()
    cause = await session.scalar(
        select(func.max(AuditEvent.id)).where(AuditEvent.assignment_id == assignment_id)
    )
    if cause is None:  # every change that notifies records its event first
        raise ValueError(f"no audit event for assignment {assignment_id}")
    chats = await chats_for(session, event, unit_id, exclude=exclude)
    return await claim(
        session,
        Slot.notice(cause),
        [(assignment_id, chat) for chat in chats],
        due_at=now,
        now=now,
        body=body,
        markup=dict(markup) if markup is not None else None,
    )
