"""The durable inbox: every update as received, before Telegram is told it arrived."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class InboxUpdate(Base):
    """One row per Telegram update_id: received → handling → handled."""

    __tablename__ = "update_inbox"
    __table_args__ = (Index("ix_update_inbox_instance_status", "instance", "status"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The process that received it (INSTANCE_NAME or host:pid): it handles it, and after a
    # crash the same instance coming back handles what it left.
    instance: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
