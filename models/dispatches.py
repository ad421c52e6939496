"""Dispatches, their tasks, due entries and the per-unit assignments that are tracked."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, UTCDateTime
from models.units import Unit


class DispatchStatus(StrEnum):
    DRAFT = "draft"  # parsed, waiting for the office to correct and confirm
    ACTIVE = "active"  # confirmed: tasks assigned
    EXPIRED = "expired"  # a draft nobody confirmed in time


class Dispatch(Base):
    __tablename__ = "dispatches"
    __table_args__ = (
        Index("ix_dispatches_number_issuer", "number", "issuer"),
        Index("ix_dispatches_file_sha256", "file_sha256"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=DispatchStatus.DRAFT)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str | None] = mapped_column(String(100))
    issuer: Mapped[str | None] = mapped_column(String(300))
    issued_on: Mapped[date | None] = mapped_column(Date)
    subject: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    file_name: Mapped[str | None] = mapped_column(String(255))
    # Path relative to DATA_DIR, so the data folder can move.
    file_path: Mapped[str | None] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    # The day the dispatch reached the bot (local date): relative deadlines count from it,
    # and it dates year-less deadlines when the text has no issue date. The office may edit it.
    received_on: Mapped[date | None] = mapped_column(Date)
    # The "Kính gửi" list may go on past what the parser read.
    recipients_unsure: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    draft_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every draft edit with a compare-and-set, so two supervisors editing one
    # draft cannot overwrite each other's changes (services.drafts).
    version: Mapped[int] = mapped_column(Integer, default=1)

    tasks: Mapped[list[Task]] = relationship(
        back_populates="dispatch",
        lazy="raise",
        order_by="Task.position",
        cascade="all, delete-orphan",
    )


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_dispatch_id", "dispatch_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(32))
    parent_ref: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    # Units as the dispatch writes them; resolved units live in task_units.
    lead_written: Mapped[list[str]] = mapped_column(JSON, default=list)
    support_written: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Written lead names no registered unit matched with confidence: the office must choose.
    lead_unmatched: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The same for the written support names: the office picks or drops them.
    support_unmatched: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Fields the parser was unsure of (ingest.model.UNSURE_FIELDS): ⚠ in the draft.
    unsure: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Set by the office while reviewing the draft, so re-rendering does not undo it.
    edited: Mapped[bool] = mapped_column(default=False)
    # Typed in by the office while reviewing, not read from the dispatch: the draft and the
    # unit's message say so («do văn phòng bổ sung»).
    added: Mapped[bool] = mapped_column(default=False, server_default=false())

    dispatch: Mapped[Dispatch] = relationship(back_populates="tasks", lazy="raise")
    dues: Mapped[list[TaskDue]] = relationship(
        lazy="raise", order_by="TaskDue.position", cascade="all, delete-orphan"
    )
    units: Mapped[list[TaskUnit]] = relationship(lazy="raise", cascade="all, delete-orphan")


class DueKind(StrEnum):
    DEADLINE = "deadline"
    START = "start"
    RECURRING = "recurring"
    ON_REQUEST = "on_request"
    AFTER_EVENT = "after_event"
    ROADMAP = "roadmap"


class TaskDue(Base):
    """One timing expression of a task, as the parser read it (ingest.model.Due)."""

    __tablename__ = "task_dues"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date | None] = mapped_column(Date)
    phrase: Mapped[str] = mapped_column(Text)
    # recurring: the period and the last day in it (see ingest.model.Due).
    every: Mapped[str | None] = mapped_column(String(16))
    day: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[int | None] = mapped_column(Integer)
    # "14:00" when the text gives the hour.
    time: Mapped[str | None] = mapped_column(String(5))
    # relative: N (working) days from receipt or issue.
    days: Mapped[int | None] = mapped_column(Integer)
    working: Mapped[bool | None] = mapped_column()
    origin: Mapped[str | None] = mapped_column(String(16))


class UnitRole(StrEnum):
    LEAD = "lead"
    SUPPORT = "support"


class TaskUnit(Base):
    """A registered unit resolved for a task, as lead (tracked) or support (informed)."""

    __tablename__ = "task_units"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16))

    unit: Mapped[Unit] = relationship(lazy="raise")


class AssignmentStatus(StrEnum):
    OPEN = "open"
    EXTENSION_REQUESTED = "extension_requested"
    DONE = "done"


class Assignment(Base):
    """A task as one lead unit must carry it out: the thing reminders and summaries count."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id"),
        Index("ix_assignments_status_due_on", "status", "due_on"),
        Index("ix_assignments_unit_id_status", "unit_id", "status"),
        Index("ix_assignments_period_rule_opened_through", "period_rule", "opened_through"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(24), default=AssignmentStatus.OPEN)
    # The deadline in force (moved by an approved extension) and the one first set,
    # kept apart so statistics can tell "on time after an extension" from "on time".
    due_on: Mapped[date | None] = mapped_column(Date)
    original_due_on: Mapped[date | None] = mapped_column(Date)
    recurring: Mapped[bool] = mapped_column(default=False)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The completion's calendar day in TIMEZONE, so "on time" is a plain date comparison
    # that grouped SQL can do on every backend.
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A periodic obligation (services.periods): the rule ("month:19", "year:6:9,year:12:9"),
    # the due date of the latest period opened, the last due date it may have, and the stop.
    period_rule: Mapped[str | None] = mapped_column(String(64))
    opened_through: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stop_reason: Mapped[str | None] = mapped_column(Text)

    task: Mapped[Task] = relationship(lazy="raise")
    unit: Mapped[Unit] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PeriodStatus(StrEnum):
    OPEN = "open"
    EXTENSION_REQUESTED = "extension_requested"
    DONE = "done"
    STOPPED = "stopped"  # the office stopped the obligation while this period was open


class Period(Base):
    """One period (kỳ) of a periodic obligation: its own deadline, completion and extension."""

    __tablename__ = "periods"
    __table_args__ = (
        UniqueConstraint("assignment_id", "key"),
        Index("ix_periods_status_due_on", "status", "due_on"),
        Index("ix_periods_due_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    # "2026-12", "2026-Q4", "2026-H2", "2026-W49", "2026-12-03", "2026" (services.periods).
    key: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    original_due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), default=PeriodStatus.OPEN)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)


class ExtensionRequest(Base):
    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    proposed_on: Mapped[date | None] = mapped_column(Date)
    # The period the request is about, for a periodic obligation.
    period_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Attachment(Base):
    """A file a unit sent as its report, kept under DATA_DIR."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_path: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64))
    telegram_file_id: Mapped[str | None] = mapped_column(String(200))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
