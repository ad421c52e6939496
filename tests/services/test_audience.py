"""Who hears what: the table, the README's copy of it, and the chats each hearer names."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from models import Contact, Person, Role, Unit
from services.audience import WHO_HEARS, Event, Hearer, chats_for, unit_chats_of

NOW = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_table() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- who-hears-what:")
    rows = re.findall(r"^\| ([a-z ]+) \| (.+?) \|$", text[start:].split("\n\n", 1)[0], re.M)
    return {event: hears for event, hears in rows if event != "Event"}


def test_every_event_has_a_row() -> None:
    assert set(WHO_HEARS) == set(Event)


def test_the_readme_table_matches_the_code() -> None:
    table = readme_table()
    assert set(table) == {event.value.replace("_", " ") for event in Event}
    for event, hearers in WHO_HEARS.items():
        written = table[event.value.replace("_", " ")]
        named = set(re.findall(r"\b(unit|heads|office|listening)\b", written.split("(")[0]))
        assert named == {h.value for h in hearers}, event
        assert (written.startswith("nobody")) == (not hearers), event


class Office:
    """A unit with every kind of chat, and an office."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def person(
        self,
        user_id: int,
        role: Role,
        unit_id: int | None = None,
        *,
        active: bool = True,
        listening: bool = False,
        blocked: bool = False,
    ) -> None:
        person = Person(
            telegram_user_id=user_id,
            name=f"Người {user_id}",
            role=role,
            unit_id=unit_id,
            active=active,
            notify_completions=listening,
            created_at=NOW,
        )
        self.session.add(person)
        await self.session.flush()
        self.session.add(
            Contact(
                chat_id=user_id,
                kind="private",
                person_id=person.id,
                unit_id=unit_id,
                blocked_at=NOW if blocked else None,
                active=not blocked,
                created_at=NOW,
            )
        )
        await self.session.flush()

    async def build(self) -> tuple[int, int]:
        unit = Unit(name="Sở Nội vụ", aliases=[])
        other = Unit(name="Sở Tài chính", aliases=[])
        self.session.add_all([unit, other])
        await self.session.flush()
        await self.person(1, Role.ADMIN)
        await self.person(2, Role.SUPERVISOR, listening=True)
        await self.person(3, Role.SUPERVISOR, blocked=True, listening=True)
        await self.person(4, Role.SUPERVISOR, active=False)
        await self.person(11, Role.HEAD, unit.id)
        await self.person(12, Role.MEMBER, unit.id)
        await self.person(13, Role.MEMBER, unit.id, active=False)
        await self.person(14, Role.MEMBER, unit.id, blocked=True)
        await self.person(21, Role.HEAD, other.id)
        self.session.add(
            Contact(chat_id=-100, kind="group", title="Nhóm", unit_id=unit.id, created_at=NOW)
        )
        await self.session.flush()
        return unit.id, other.id


async def test_each_hearer_names_its_reachable_chats(session: AsyncSession) -> None:
    unit, other = await Office(session).build()
    heard = {event: await chats_for(session, event, unit) for event in Event}
    for event, hearers in WHO_HEARS.items():
        expected: set[int] = set()
        if Hearer.UNIT in hearers:
            expected |= {-100, 11, 12}  # not the inactive member, not the blocked one
        if Hearer.HEADS in hearers:
            expected |= {11}
        if Hearer.OFFICE in hearers:
            expected |= {1, 2}  # admins and supervisors; not the blocked, not the inactive
        if Hearer.LISTENING in hearers:
            expected |= {2}
        assert set(heard[event]) == expected, event
        assert len(heard[event]) == len(set(heard[event])), event
    assert await chats_for(session, Event.REGISTRATION, unit, exclude={11}) == [1, 2]
    assert await unit_chats_of(session, [unit, other]) == {unit: [11, 12, -100], other: [21]}
