"""The scheduler lease: one holder at a time, taken over after expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Lease
from services.leadership import SCHEDULER, acquire_or_renew, current_holder, release

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
