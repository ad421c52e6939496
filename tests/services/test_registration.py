"""Invites: single use, expiry, hashing, group binding, leaving and revoking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Contact, Event, Invite, Person, Role, Unit
from services.events import Origin
from services.people import TelegramIdentity, find_actor
from services.registration import (
    InviteError,
    RedeemStatus,
    create_invite,
    hash_code,
    leave,
    redeem_invite,
    revoke_invite,
    revoke_person,
)

NOW = datetime(2025, 10, 6, 2, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def person(user_id: int, chat_id: int | None = None, kind: str = "private") -> TelegramIdentity:
    return TelegramIdentity(user_id, f"Người {user_id}", None, chat_id or user_id, kind, "Nhóm")


async def unit(session: AsyncSession, name: str = "Sở Nội vụ") -> Unit:
    u = Unit(name=name, aliases=[])
    session.add(u)
    await session.flush()
    return u


async def test_invite_stores_only_the_hash(session: AsyncSession) -> None:
    u = await unit(session)
    invite, code = await create_invite(
        session, role=Role.HEAD, unit_id=u.id, now=NOW, ttl=WEEK, origin=Origin()
    )
    assert invite.code_hash == hash_code(code)
    assert code not in invite.code_hash
    assert len(code) <= 64


async def test_unit_role_needs_a_unit(session: AsyncSession) -> None:
    with pytest.raises(InviteError):
        await create_invite(
            session, role=Role.MEMBER, unit_id=None, now=NOW, ttl=WEEK, origin=Origin()
        )


async def test_redeeming_binds_the_person_to_the_unit(session: AsyncSession) -> None:
    u = await unit(session)
    _, code = await create_invite(
        session, role=Role.HEAD, unit_id=u.id, now=NOW, ttl=WEEK, origin=Origin()
    )
    result = await redeem_invite(session, code, person(11), NOW + timedelta(hours=1))
    assert result.status is RedeemStatus.REGISTERED
    assert result.actor is not None
    assert (result.actor.role, result.actor.unit_id) == (Role.HEAD, u.id)
    contact = await session.scalar(select(Contact).where(Contact.chat_id == 11))
    assert contact is not None
    assert contact.unit_id == u.id
    kinds = set(await session.scalars(select(Event.kind)))
    assert {"invite.created", "person.registered"} <= kinds


async def test_code_is_single_use(session: AsyncSession) -> None:
    u = await unit(session)
    _, code = await create_invite(
        session, role=Role.MEMBER, unit_id=u.id, now=NOW, ttl=WEEK, origin=Origin()
    )
    await redeem_invite(session, code, person(11), NOW)
    again = await redeem_invite(session, code, person(12), NOW)
    assert again.status is RedeemStatus.USED
    assert await find_actor(session, 12) is None


async def test_expired_code_is_refused(session: AsyncSession) -> None:
    u = await unit(session)
    _, code = await create_invite(
        session, role=Role.MEMBER, unit_id=u.id, now=NOW, ttl=WEEK, origin=Origin()
    )
    result = await redeem_invite(session, code, person(11), NOW + WEEK)
    assert result.status is RedeemStatus.EXPIRED
    assert await session.scalar(select(func.count()).select_from(Person)) == 0


async def test_unknown_and_revoked_codes_are_refused(session: AsyncSession) -> None:
    u = await unit(session)
    invite, code = await create_invite(
        session, role=Role.MEMBER, unit_id=u.id, now=NOW, ttl=WEEK, origin=Origin()
    )
    assert (await redeem_invite(session, "nope", person(11), NOW)).status is RedeemStatus.INVALID
    assert await revoke_invite(session, invite.id, NOW, Origin())
    assert (await redeem_invite(session, code, person(11), NOW)).status is RedeemStatus.REVOKED


async def test_group_chat_is_bound_to_the_unit(session: AsyncSession) -> None:
    u = await unit(session)
    _, code = await create_invite(
        session, role=Role.MEMBER, unit_id=u.id, now=NOW, ttl=WEEK, origin=Origin()
    )
    result = await redeem_invite(session, code, person(11, chat_id=-100, kind="group"), NOW)
    assert result.status is RedeemStatus.GROUP_BOUND
    contact = await session.scalar(select(Contact).where(Contact.chat_id == -100))
    assert contact is not None
    assert (contact.kind, contact.unit_id, contact.person_id) == ("group", u.id, None)


async def test_leaving_removes_access_and_keeps_history(session: AsyncSession) -> None:
    u = await unit(session)
    _, code = await create_invite(
        session, role=Role.MEMBER, unit_id=u.id, now=NOW, ttl=WEEK, origin=Origin()
    )
    actor = (await redeem_invite(session, code, person(11), NOW)).actor
    assert actor is not None
    await leave(session, actor, NOW, actor.origin())
    assert await find_actor(session, 11) is None
    contact = await session.scalar(select(Contact).where(Contact.chat_id == 11))
    assert contact is not None
    assert not contact.active
    assert "person.left" in set(await session.scalars(select(Event.kind)))


async def test_admin_can_revoke_a_person(session: AsyncSession) -> None:
    u = await unit(session)
    _, code = await create_invite(
        session, role=Role.MEMBER, unit_id=u.id, now=NOW, ttl=WEEK, origin=Origin()
    )
    actor = (await redeem_invite(session, code, person(11), NOW)).actor
    assert actor is not None
    assert await revoke_person(session, actor.person_id, NOW, Origin()) is not None
    assert await find_actor(session, 11) is None
    invite = await session.scalar(select(Invite))
    assert invite is not None
    assert invite.used_by_id == actor.person_id
