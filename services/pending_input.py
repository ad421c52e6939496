"""The "waiting for a typed answer" state of each person, in the database.

Behind a round-robin proxy the typed answer can reach another instance than the one that
asked; the state therefore lives here, loaded before each update and saved after it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import PendingInput


async def load_pending(session: AsyncSession, telegram_user_id: int) -> dict[str, Any]:
    data = await session.scalar(
        select(PendingInput.data).where(PendingInput.telegram_user_id == telegram_user_id)
    )
    return dict(data or {})


async def save_pending(
    session: AsyncSession, telegram_user_id: int, data: dict[str, Any], now: datetime
) -> None:
    """Replace the person's state; an empty one removes the row."""
    row = await session.get(PendingInput, telegram_user_id)
    if not data:
        if row is not None:
            await session.execute(
                delete(PendingInput).where(PendingInput.telegram_user_id == telegram_user_id)
            )
        return
    if row is None:
        session.add(PendingInput(telegram_user_id=telegram_user_id, data=data, updated_at=now))
    else:
        row.data, row.updated_at = data, now
