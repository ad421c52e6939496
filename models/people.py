"""People, the chats the bot writes to, and the invites that bind them to a unit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, UTCDateTime
from models.units import Unit


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    HEAD = "head"
    MEMBER = "member"


# Roles that belong to exactly one unit; admins and supervisors stand above the units.
UNIT_ROLES = frozenset({Role.HEAD, Role.MEMBER})


class Person(Base):
    """A registered Telegram user. Unregistered users have no row and see nothing."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Supervisors choose between hearing of each completion at once and the digest only.
    notify_completions: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship(lazy="raise")


class Contact(Base):
    """A chat that receives a unit's messages: a person's private chat or a unit's group."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_unit_id", "unit_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "private" | "group"
    title: Mapped[str | None] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Set when Telegram answered 403 (the user blocked the bot); /start clears it.
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    person: Mapped[Person | None] = relationship(lazy="raise")
    unit: Mapped[Unit | None] = relationship(lazy="raise")


class Invite(Base):
    """A single-use registration code. Only its SHA-256 is stored, never the code."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    used_by_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship(lazy="raise")
