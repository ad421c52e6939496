"""The unit registry in the database, and the matching index built from it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import Unit, UnitGroup
from services.unit_matching import GroupRecord, UnitIndex, UnitRecord


async def unit_records(session: AsyncSession) -> list[UnitRecord]:
    units = await session.scalars(
        select(Unit).options(selectinload(Unit.groups)).order_by(Unit.name)
    )
    return [
        UnitRecord(
            id=unit.id,
            name=unit.name,
            aliases=tuple(unit.aliases or ()),
            groups=tuple(sorted(group.name for group in unit.groups)),
        )
        for unit in units
    ]


async def load_unit_index(session: AsyncSession) -> UnitIndex:
    """The registry as it is now; built per use, since it is small and changes rarely."""
    groups = await session.scalars(select(UnitGroup).order_by(UnitGroup.name))
    return UnitIndex(
        await unit_records(session),
        [GroupRecord(group.name, tuple(group.aliases or ())) for group in groups],
    )
