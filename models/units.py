"""Units (the bodies that receive tasks) and the groups a dispatch can address at once."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId

unit_group_members = Table(
    "unit_group_members",
    Base.metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("unit_groups.id", ondelete="CASCADE"), primary_key=True),
)


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    # Short names as dispatches write them ("Sở KH&CN", "BTC Thành ủy"); matched fuzzily.
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A unit may silence reminders that are not overdue; escalations ignore this.
    muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    groups: Mapped[list[UnitGroup]] = relationship(
        secondary=unit_group_members, back_populates="units", lazy="raise"
    )


class UnitGroup(Base):
    __tablename__ = "unit_groups"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    units: Mapped[list[Unit]] = relationship(
        secondary=unit_group_members, back_populates="groups", lazy="raise"
    )
