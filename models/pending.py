"""Typed-input state ("waiting for your typed date"), kept where every instance sees it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class PendingInput(Base):
    """One row per Telegram user with a question awaiting a typed answer."""

    __tablename__ = "pending_inputs"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
