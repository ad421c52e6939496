"""Invites and registration: nobody joins a unit by claiming it.

Codes come from ``secrets``, are single-use, expire, and only their SHA-256 is stored,
so a leaked database does not leak usable links.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import UNIT_ROLES, Contact, Invite, Person, Role, Unit
from services.audience import Event, chats_for
from services.events import Origin, record_event
from services.people import Actor, TelegramIdentity, find_actor, upsert_private_contact


class InviteError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class RedeemStatus(StrEnum):
    REGISTERED = "registered"  # a person bound to a unit (or given an office role)
    ALREADY_REGISTERED = "already_registered"  # the one who used it opens it again
    GROUP_BOUND = "group_bound"  # a group chat now receives its unit's messages
    INVALID = "invalid"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    GROUP_NEEDS_UNIT = "group_needs_unit"


@dataclass(frozen=True, slots=True)
class RedeemResult:
    status: RedeemStatus
    actor: Actor | None = None
    unit_name: str | None = None
    # Who is told of a new registration: the active admins and the unit's heads (their
    # private chats), never the newcomer.
    told: tuple[int, ...] = ()


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def create_invite(
    session: AsyncSession,
    *,
    role: Role,
    unit_id: int | None,
    now: datetime,
    ttl: timedelta,
    origin: Origin,
) -> tuple[Invite, str]:
    """A new invite and its code (returned once; only the hash is kept)."""
    if role in UNIT_ROLES and unit_id is None:
        raise InviteError("unit_required")
    if role not in UNIT_ROLES:
        unit_id = None
    # 24 random bytes → 32 URL-safe characters, within Telegram's 64 for deep links.
    code = secrets.token_urlsafe(24)
    invite = Invite(
        code_hash=hash_code(code),
        role=role,
        unit_id=unit_id,
        created_by_id=origin.actor_id,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invite)
    await session.flush()
    record_event(
        session, "invite.created", now, origin, unit_id=unit_id, invite_id=invite.id, role=role
    )
    return invite, code


async def redeem_invite(
    session: AsyncSession, code: str, who: TelegramIdentity, now: datetime
) -> RedeemResult:
    invite = await session.scalar(select(Invite).where(Invite.code_hash == hash_code(code)))
    if invite is None:
        return RedeemResult(RedeemStatus.INVALID)
    if invite.revoked_at is not None:
        return RedeemResult(RedeemStatus.REVOKED)
    if invite.used_at is not None:
        return await _used(session, invite, who)
    if invite.expires_at <= now:
        return RedeemResult(RedeemStatus.EXPIRED)
    if who.chat_kind == "group" and invite.unit_id is None:
        return RedeemResult(RedeemStatus.GROUP_NEEDS_UNIT)
    # Claim the code atomically: of two simultaneous redemptions only one updates the row.
    claimed = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=now, used_by_chat_id=who.chat_id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return RedeemResult(RedeemStatus.USED)
    unit_name = (
        await session.scalar(select(Unit.name).where(Unit.id == invite.unit_id))
        if invite.unit_id is not None
        else None
    )
    origin = Origin(None, who.user_id, who.chat_id)
    if who.chat_kind == "group":
        await _bind_group(session, invite, who, now)
        record_event(
            session, "contact.group_bound", now, origin, unit_id=invite.unit_id, invite_id=invite.id
        )
        return RedeemResult(RedeemStatus.GROUP_BOUND, unit_name=unit_name)
    person = await _bind_person(session, invite, who, now)
    invite.used_by_id = person.id
    await session.flush()
    actor = await find_actor(session, who.user_id)
    told = await _told_of_registration(session, invite.unit_id, who.user_id)
    return RedeemResult(RedeemStatus.REGISTERED, actor=actor, unit_name=unit_name, told=told)


async def _told_of_registration(
    session: AsyncSession, unit_id: int | None, newcomer: int
) -> tuple[int, ...]:
    """Who hears of a registration (services.audience), never the newcomer."""
    return tuple(await chats_for(session, Event.REGISTRATION, unit_id, exclude={newcomer}))


async def _used(session: AsyncSession, invite: Invite, who: TelegramIdentity) -> RedeemResult:
    """A used invite: its own user, still registered, opening the link again is reassured."""
    actor = await find_actor(session, who.user_id) if who.chat_kind != "group" else None
    if actor is None or invite.used_by_id != actor.person_id:
        return RedeemResult(RedeemStatus.USED)
    return RedeemResult(RedeemStatus.ALREADY_REGISTERED, actor=actor, unit_name=actor.unit_name)


async def _bind_person(
    session: AsyncSession, invite: Invite, who: TelegramIdentity, now: datetime
) -> Person:
    person = await session.scalar(select(Person).where(Person.telegram_user_id == who.user_id))
    origin = Origin(person.id if person else None, who.user_id, who.chat_id)
    if person is None:
        person = Person(
            telegram_user_id=who.user_id,
            name=who.name,
            username=who.username,
            role=invite.role,
            unit_id=invite.unit_id,
            created_at=now,
        )
        session.add(person)
        await session.flush()
        record_event(
            session,
            "person.registered",
            now,
            Origin(person.id, who.user_id, who.chat_id),
            unit_id=invite.unit_id,
            invite_id=invite.id,
            role=invite.role,
        )
    else:
        previous = {"role": person.role, "unit_id": person.unit_id, "active": person.active}
        person.role, person.unit_id = invite.role, invite.unit_id
        person.active, person.left_at = True, None
        person.name, person.username = who.name, who.username
        record_event(
            session,
            "person.role_changed",
            now,
            origin,
            unit_id=invite.unit_id,
            invite_id=invite.id,
            role=invite.role,
            previous=previous,
        )
    await upsert_private_contact(session, person, who, now)
    return person


async def _bind_group(
    session: AsyncSession, invite: Invite, who: TelegramIdentity, now: datetime
) -> None:
    contact = await session.scalar(select(Contact).where(Contact.chat_id == who.chat_id))
    if contact is None:
        session.add(
            Contact(
                chat_id=who.chat_id,
                kind="group",
                title=who.chat_title,
                unit_id=invite.unit_id,
                created_at=now,
            )
        )
    else:
        contact.unit_id, contact.person_id = invite.unit_id, None
        contact.kind, contact.title = "group", who.chat_title
        contact.active, contact.blocked_at = True, None
    await session.flush()


async def leave(session: AsyncSession, actor: Actor, now: datetime, origin: Origin) -> None:
    """The person leaves: no more messages, no more access, history kept."""
    await _deactivate(session, actor.person_id, now)
    record_event(session, "person.left", now, origin, unit_id=actor.unit_id)


async def revoke_person(
    session: AsyncSession, person_id: int, now: datetime, origin: Origin
) -> Person | None:
    person = await session.get(Person, person_id)
    if person is None or not person.active:
        return None
    await _deactivate(session, person_id, now)
    record_event(
        session, "person.revoked", now, origin, unit_id=person.unit_id, person_id=person_id
    )
    return person


async def _deactivate(session: AsyncSession, person_id: int, now: datetime) -> None:
    await session.execute(
        update(Person).where(Person.id == person_id).values(active=False, left_at=now)
    )
    await session.execute(
        update(Contact).where(Contact.person_id == person_id).values(active=False)
    )


async def revoke_invite(
    session: AsyncSession, invite_id: int, now: datetime, origin: Origin
) -> bool:
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        record_event(session, "invite.revoked", now, origin, invite_id=invite_id)
        return True
    return False
