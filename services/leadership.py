"""Leader election through a lease row, so one process runs the scheduler.

Works the same on SQLite and PostgreSQL: a conditional UPDATE takes the lease when it is
ours or has expired, and an INSERT creates it the first time. Whoever's statement changes
the row holds the lease until ``expires_at``; a standby takes over after at most one lease
period once the leader stops renewing (it died, or lost the database). The runner reads
the time from the database (:func:`take_lease`), never from its own host.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Lease

SCHEDULER = "scheduler"


async def acquire_or_renew(
    session: AsyncSession, holder: str, now: datetime, ttl: timedelta, name: str = SCHEDULER
) -> bool:
    """True when ``holder`` holds the lease after this call."""
    taken = await session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at <= now))
        .values(
            # A takeover starts a new tenure; a renewal keeps the old one.
            acquired_at=case((Lease.holder == holder, Lease.acquired_at), else_=now),
            holder=holder,
            renewed_at=now,
            expires_at=now + ttl,
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount == 1:  # type: ignore[attr-defined]
        current = await session.scalar(select(Lease.holder).where(Lease.name == name))
        return current == holder
    if await session.scalar(select(Lease.name).where(Lease.name == name)) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(
                Lease(
                    name=name, holder=holder, acquired_at=now, renewed_at=now, expires_at=now + ttl
                )
            )
    except IntegrityError:  # another process created it first
        return False
    return True


async def database_now(session: AsyncSession) -> datetime:
    """The database's own clock (UTC): the one clock every process sharing the lease reads,
    so skew between the hosts' clocks cannot move a takeover."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        raw = await session.scalar(select(func.strftime("%Y-%m-%d %H:%M:%f", "now")))
        return datetime.strptime(str(raw), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
    value = await session.scalar(select(func.clock_timestamp()))
    assert isinstance(value, datetime)
    return value.astimezone(UTC)


async def take_lease(
    session: AsyncSession, holder: str, ttl: timedelta, name: str = SCHEDULER
) -> bool:
    """:func:`acquire_or_renew` on the database's clock."""
    return await acquire_or_renew(session, holder, await database_now(session), ttl, name)


async def reclaim_lease(
    session: AsyncSession,
    holder: str,
    ttl: timedelta,
    is_dead_self: Callable[[str], bool],
    name: str = SCHEDULER,
) -> bool:
    """Take the lease at once from a holder that was this same instance before a crash
    (``is_dead_self(old_holder)``), instead of waiting for it to expire."""
    current = await session.scalar(select(Lease.holder).where(Lease.name == name))
    if current is None or current == holder or not is_dead_self(current):
        return False
    now = await database_now(session)
    taken = await session.execute(
        update(Lease)
        .where(Lease.name == name, Lease.holder == current)
        .values(holder=holder, acquired_at=now, renewed_at=now, expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1  # type: ignore[attr-defined]


async def release_lease(session: AsyncSession, holder: str, name: str = SCHEDULER) -> None:
    """:func:`release` on the database's clock."""
    await release(session, holder, await database_now(session), name)


async def release(session: AsyncSession, holder: str, now: datetime, name: str = SCHEDULER) -> None:
    """Give the lease up at a clean shutdown, so the standby need not wait for expiry."""
    await session.execute(
        update(Lease)
        .where(Lease.name == name, Lease.holder == holder)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


async def current_holder(session: AsyncSession, now: datetime, name: str = SCHEDULER) -> str | None:
    lease = await session.get(Lease, name)
    if lease is None or lease.expires_at <= now:
        return None
    return lease.holder
