"""The durable inbox of updates: stored before they are acknowledged, handled once.

An update is written here before Telegram is told it arrived (polling: before the next
getUpdates offset confirms it; webhook: before the 200), so a crash cannot lose it. The
update_id is the key: an update received twice (a webhook retry, a re-poll after a
crash) is stored once and handled once. Before a handler runs, the row is claimed
(received → handling, a compare-and-set); afterwards it is marked handled. After a crash
the same instance coming back makes its "handling" rows "received" again and handles
every row it left: at least once across a crash mid-handling, which the handlers' own
compare-and-set updates turn into one effect («xong» twice is one completion).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import InboxUpdate

RECEIVED = "received"
HANDLING = "handling"
HANDLED = "handled"


async def store_update(
    session: AsyncSession, update_id: int, payload: dict[str, Any], instance: str, now: datetime
) -> bool:
    """Store an update as received; False when this update_id is already stored."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(InboxUpdate)
        .values(
            update_id=update_id,
            payload=payload,
            instance=instance,
            status=RECEIVED,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["update_id"])
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """received → handling; False when it is handled or being handled already. An update
    that never went through the inbox (none is stored) is handled as it comes."""
    result = await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id, InboxUpdate.status == RECEIVED)
        .values(status=HANDLING)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return True
    stored = await session.scalar(
        select(InboxUpdate.update_id).where(InboxUpdate.update_id == update_id)
    )
    return stored is None


async def mark_handled(session: AsyncSession, update_id: int, now: datetime) -> None:
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id)
        .values(status=HANDLED, handled_at=now)
    )


async def left_unhandled(
    session: AsyncSession, instance: str, was_us: Callable[[str], bool]
) -> list[dict[str, Any]]:
    """At start-up: the updates this instance (or its crashed self) did not finish, oldest
    first, made "received" again and handed over to this instance."""
    rows = (
        await session.execute(
            select(InboxUpdate.update_id, InboxUpdate.instance).where(InboxUpdate.status != HANDLED)
        )
    ).all()
    ours = [row.update_id for row in rows if row.instance == instance or was_us(row.instance)]
    if not ours:
        return []
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id.in_(ours))
        .values(status=RECEIVED, instance=instance)
    )
    payloads = await session.scalars(
        select(InboxUpdate.payload)
        .where(InboxUpdate.update_id.in_(ours))
        .order_by(InboxUpdate.update_id)
    )
    return list(payloads)
