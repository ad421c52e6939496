"""Who is who: looking people up, bootstrap admins, leaving and revoking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Contact, Person, Role, Unit
from services.events import Origin, record_event


@dataclass(frozen=True, slots=True)
class Actor:
    """The registered person behind an update, as the access rules need them."""

    person_id: int
    telegram_user_id: int
    name: str
    role: Role
    unit_id: int | None
    unit_name: str | None

    @property
    def is_office(self) -> bool:
        """Admins and supervisors: they ingest, approve and see every unit."""
        return self.role in (Role.ADMIN, Role.SUPERVISOR)

    def origin(self, chat_id: int | None = None, message_id: int | None = None) -> Origin:
        return Origin(self.person_id, self.telegram_user_id, chat_id, message_id)


@dataclass(frozen=True, slots=True)
class TelegramIdentity:
    user_id: int
    name: str
    username: str | None
    chat_id: int
    chat_kind: str  # "private" | "group"
    chat_title: str | None = None


async def find_actor(session: AsyncSession, telegram_user_id: int) -> Actor | None:
    row = (
        await session.execute(
            select(Person, Unit.name)
            .outerjoin(Unit, Unit.id == Person.unit_id)
            .where(Person.telegram_user_id == telegram_user_id, Person.active.is_(True))
        )
    ).first()
    if row is None:
        return None
    person, unit_name = row
    return _actor(person, unit_name)


def _actor(person: Person, unit_name: str | None) -> Actor:
    return Actor(
        person_id=person.id,
        telegram_user_id=person.telegram_user_id,
        name=person.name,
        role=Role(person.role),
        unit_id=person.unit_id,
        unit_name=unit_name,
    )


async def ensure_bootstrap_admin(
    session: AsyncSession, who: TelegramIdentity, now: datetime
) -> Actor:
    """Register (or re-activate) a user listed in ADMIN_TELEGRAM_IDS as admin."""
    person = await session.scalar(select(Person).where(Person.telegram_user_id == who.user_id))
    if person is None:
        person = Person(
            telegram_user_id=who.user_id,
            name=who.name,
            username=who.username,
            role=Role.ADMIN,
            created_at=now,
        )
        session.add(person)
        await session.flush()
        record_event(session, "person.bootstrap_admin", now, Origin(person.id, who.user_id))
    elif not person.active or person.role != Role.ADMIN:
        previous = person.role
        person.active, person.role, person.unit_id, person.left_at = True, Role.ADMIN, None, None
        record_event(
            session,
            "person.role_changed",
            now,
            Origin(person.id, who.user_id),
            previous=previous,
            role=Role.ADMIN.value,
        )
    await upsert_private_contact(session, person, who, now)
    return _actor(person, None)


async def upsert_private_contact(
    session: AsyncSession, person: Person, who: TelegramIdentity, now: datetime
) -> Contact:
    """The person's private chat receives their unit's messages; /start re-activates it."""
    contact = await session.scalar(select(Contact).where(Contact.chat_id == who.chat_id))
    if contact is None:
        contact = Contact(
            chat_id=who.chat_id,
            kind="private",
            title=who.name,
            person_id=person.id,
            unit_id=person.unit_id,
            created_at=now,
        )
        session.add(contact)
    else:
        contact.person_id, contact.unit_id = person.id, person.unit_id
        contact.active, contact.blocked_at = True, None
    await session.flush()
    return contact


async def reactivate_contact(session: AsyncSession, chat_id: int) -> bool:
    """A user who blocked the bot and pressed /start again gets messages again."""
    result = await session.execute(
        update(Contact)
        .where(Contact.chat_id == chat_id, Contact.blocked_at.is_not(None))
        .values(active=True, blocked_at=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def active_roles(session: AsyncSession) -> list[tuple[int, Role]]:
    """Every active person's Telegram user id (their private chat) and role, by id."""
    rows = await session.execute(
        select(Person.telegram_user_id, Person.role)
        .where(Person.active.is_(True))
        .order_by(Person.id)
    )
    return [(user_id, Role(role)) for user_id, role in rows]


async def admin_chat_ids(session: AsyncSession) -> list[int]:
    """The private chats of the active admins (their Telegram user ids)."""
    rows = await session.scalars(
        select(Person.telegram_user_id)
        .where(Person.role == Role.ADMIN, Person.active.is_(True))
        .order_by(Person.id)
    )
    return list(rows)
