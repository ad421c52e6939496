"""The unit registry in the database, and the matching index built from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import Unit, UnitGroup, unit_group_members
from services.events import Origin, record_event
from services.text_norm import nfc
from services.unit_csv import CsvProblem, parse_units_csv
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


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    groups_created: int = 0
    problems: tuple[CsvProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


async def import_units(
    session: AsyncSession, data: bytes | str, *, now: datetime, origin: Origin
) -> ImportResult:
    """Create or update units from a registry CSV; any problem and nothing is written.

    A unit named in the file gets exactly the aliases and groups the file gives it;
    units the file does not name are left alone.
    """
    parsed = parse_units_csv(data)
    if not parsed.ok:
        return ImportResult(problems=parsed.problems)
    existing = {u.name: u for u in await session.scalars(select(Unit))}
    groups = {g.name: g for g in await session.scalars(select(UnitGroup))}
    created = updated = groups_created = 0
    for row in parsed.rows:
        for group_name in row.groups:
            if group_name not in groups:
                groups[group_name] = UnitGroup(name=group_name, aliases=[])
                session.add(groups[group_name])
                groups_created += 1
        unit = existing.get(row.name)
        if unit is None:
            unit = Unit(name=row.name, aliases=list(row.aliases))
            session.add(unit)
            existing[row.name] = unit
            created += 1
        else:
            unit.aliases = list(row.aliases)
            updated += 1
    await session.flush()
    imported_ids = [existing[row.name].id for row in parsed.rows]
    await session.execute(
        delete(unit_group_members).where(unit_group_members.c.unit_id.in_(imported_ids))
    )
    members = [
        {"unit_id": existing[row.name].id, "group_id": groups[g].id}
        for row in parsed.rows
        for g in row.groups
    ]
    if members:
        await session.execute(insert(unit_group_members), members)
    record_event(
        session,
        "units.imported",
        now,
        origin,
        created=created,
        updated=updated,
        groups_created=groups_created,
    )
    return ImportResult(created, updated, groups_created)


class UnitError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def add_unit(
    session: AsyncSession,
    name: str,
    *,
    aliases: tuple[str, ...] = (),
    now: datetime,
    origin: Origin,
) -> Unit:
    name = nfc(name).strip()
    if not name:
        raise UnitError("empty_name")
    if await session.scalar(select(Unit.id).where(Unit.name == name)) is not None:
        raise UnitError("duplicate_name")
    unit = Unit(name=name, aliases=list(aliases))
    session.add(unit)
    await session.flush()
    record_event(session, "unit.added", now, origin, unit_id=unit.id, name=name)
    return unit


async def rename_unit(
    session: AsyncSession, unit_id: int, new_name: str, *, now: datetime, origin: Origin
) -> Unit:
    """Rename, keeping the old name as an alias so older dispatches still resolve."""
    new_name = nfc(new_name).strip()
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise UnitError("unknown_unit")
    if not new_name:
        raise UnitError("empty_name")
    clash = await session.scalar(select(Unit.id).where(Unit.name == new_name, Unit.id != unit_id))
    if clash is not None:
        raise UnitError("duplicate_name")
    old = unit.name
    unit.name = new_name
    unit.aliases = [a for a in [*unit.aliases, old] if a != new_name]
    record_event(session, "unit.renamed", now, origin, unit_id=unit_id, old=old, new=new_name)
    return unit


async def add_to_group(
    session: AsyncSession, unit_id: int, group_name: str, *, now: datetime, origin: Origin
) -> UnitGroup:
    group_name = nfc(group_name).strip()
    if not group_name:
        raise UnitError("empty_name")
    if await session.get(Unit, unit_id) is None:
        raise UnitError("unknown_unit")
    group = await session.scalar(select(UnitGroup).where(UnitGroup.name == group_name))
    if group is None:
        group = UnitGroup(name=group_name, aliases=[])
        session.add(group)
        await session.flush()
    exists = await session.scalar(
        select(unit_group_members.c.unit_id).where(
            unit_group_members.c.unit_id == unit_id, unit_group_members.c.group_id == group.id
        )
    )
    if exists is None:
        await session.execute(insert(unit_group_members).values(unit_id=unit_id, group_id=group.id))
        record_event(session, "unit.grouped", now, origin, unit_id=unit_id, group=group_name)
    return group


@dataclass(frozen=True, slots=True)
class UnitSummary:
    id: int
    name: str
    aliases: tuple[str, ...]
    groups: tuple[str, ...]
    contacts: int


async def list_units(session: AsyncSession) -> list[UnitSummary]:
    from sqlalchemy import func

    from models import Contact

    counts = dict(
        (
            await session.execute(
                select(Contact.unit_id, func.count())
                .where(Contact.active.is_(True), Contact.unit_id.is_not(None))
                .group_by(Contact.unit_id)
            )
        ).all()
    )
    return [
        UnitSummary(r.id, r.name, r.aliases, r.groups, int(counts.get(r.id, 0)))
        for r in await unit_records(session)
    ]
