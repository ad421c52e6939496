"""The scheduler lease: one holder at a time, taken over after expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Lease
from services.leadership import (
    SCHEDULER,
    acquire_or_renew,
    current_holder,
    database_now,
    release,
    take_lease,
)

NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
TTL = timedelta(seconds=15)


async def test_first_comer_leads_and_the_other_waits(session: AsyncSession) -> None:
    assert await acquire_or_renew(session, "a", NOW, TTL)
    assert not await acquire_or_renew(session, "b", NOW + timedelta(seconds=5), TTL)
    assert await acquire_or_renew(session, "a", NOW + timedelta(seconds=10), TTL)
    assert await current_holder(session, NOW + timedelta(seconds=11)) == "a"


async def test_standby_takes_over_after_expiry(session: AsyncSession) -> None:
    assert await acquire_or_renew(session, "a", NOW, TTL)
    assert await acquire_or_renew(session, "a", NOW + timedelta(seconds=5), TTL)
    assert await acquire_or_renew(session, "b", NOW + TTL + timedelta(seconds=5), TTL)
    lease = await session.get(Lease, SCHEDULER, populate_existing=True)
    assert lease is not None
    assert lease.acquired_at == NOW + TTL + timedelta(seconds=5)
    assert not await acquire_or_renew(session, "a", NOW + TTL + timedelta(seconds=6), TTL)


async def test_release_hands_over_at_once(session: AsyncSession) -> None:
    assert await acquire_or_renew(session, "a", NOW, TTL)
    await release(session, "a", NOW + timedelta(seconds=1))
    assert await acquire_or_renew(session, "b", NOW + timedelta(seconds=1), TTL)


async def test_two_processes_racing_for_a_new_lease(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    results = []
    for holder in ("a", "b"):
        async with session_factory.begin() as session:
            results.append(await acquire_or_renew(session, holder, NOW, TTL))
    assert results == [True, False]


async def test_the_database_clock_is_the_real_time(session: AsyncSession) -> None:
    before = datetime.now(UTC)
    moment = await database_now(session)
    assert before - timedelta(seconds=2) <= moment <= datetime.now(UTC) + timedelta(seconds=2)


async def test_a_lease_expired_by_the_database_clock_is_taken_whatever_this_hosts_clock(
    session: AsyncSession,
) -> None:
    # The leader's host ran an hour fast: its lease "expires" an hour from now on its own
    # clock but was last renewed a minute ago for 30 s. The database says it has expired.
    real = await database_now(session)
    session.add(
        Lease(
            name=SCHEDULER,
            holder="fast-host",
            acquired_at=real - timedelta(minutes=5),
            renewed_at=real - timedelta(minutes=1),
            expires_at=real - timedelta(seconds=30),
        )
    )
    await session.flush()
    assert await take_lease(session, "standby", TTL)
    lease = await session.get(Lease, SCHEDULER)
    assert lease is not None
    await session.refresh(lease)
    assert lease.holder == "standby"
    assert abs((lease.expires_at - (real + TTL)).total_seconds()) < 2


async def test_a_valid_lease_by_the_database_clock_is_not_taken(session: AsyncSession) -> None:
    real = await database_now(session)
    session.add(
        Lease(
            name=SCHEDULER,
            holder="leader",
            acquired_at=real,
            renewed_at=real,
            expires_at=real + timedelta(seconds=20),
        )
    )
    await session.flush()
    assert not await take_lease(session, "standby", TTL)
    assert await take_lease(session, "leader", TTL)  # the same instance back: at once
