"""The append-only audit log and the reminder delivery ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, UTCDateTime


class Event(Base):
    """Who did what, when, and from which Telegram message. Rows are never updated."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_assignment_id", "assignment_id"),
        Index("ix_events_task_id", "task_id"),
        # The digest finds its previous run by kind; the audit views read by time.
        Index("ix_events_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    dispatch_id: Mapped[int | None] = mapped_column(
        ForeignKey("dispatches.id", ondelete="SET NULL")
    )
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReminderDelivery(Base):
    """One row per (assignment, reminder slot, chat): the at-most-once ledger.

    The row is claimed in the same transaction that decides to send, so a second
    claim of the same key fails on the unique constraint instead of sending twice.
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("assignment_id", "slot", "chat_id"),
        Index("ix_reminder_deliveries_status_due_at", "status", "due_at"),
        # A reply to a bot message finds its assignment through the message it answers.
        Index("ix_reminder_deliveries_chat_id_message_id", "chat_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # pending → sending → sent | failed; skipped (never to be sent); unknown (a crash came
    # between "sending" and "sent": it may have reached Telegram, so it is never resent).
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(300))
    # Times an ambiguous send (unknown) was made pending again, its text marked «Nhắc lại».
    resends: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A notice's words (a completion, an extension request, a return, …), fixed when the
    # event happened, and its inline keyboard as Bot API JSON; None for the rows whose
    # message is composed from the current facts when sent (tasks, reminders, lists).
    body: Mapped[str | None] = mapped_column(Text)
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
