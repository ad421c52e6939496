"""Shared fixtures: one migrated database per run, emptied before each test.

The suite runs on whatever ``DATABASE_URL`` names (PostgreSQL in CI's second pass),
otherwise on a SQLite file in a temporary folder.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import models
from models.db import async_url, create_engine, create_session_factory, sqlite_url
from models.migrate import upgrade

# PTB 22 reports RetryAfter.retry_after as a timedelta with this set, and warns otherwise;
# warnings are errors here, so the whole suite opts in (the bot does at start-up too).
os.environ.setdefault("PTB_TIMEDELTA", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DATABASE_URL") or sqlite_url(
        tmp_path_factory.mktemp("db") / "nhacviec.db"
    )
    url = async_url(url)
    if url.startswith("postgresql"):
        asyncio.run(_reset_postgres(url))
    upgrade(url)
    return url


async def _reset_postgres(url: str) -> None:
    """Start from an empty schema, so the migrations under test are the ones that built it.

    This drops everything in the database, so it refuses one whose name does not say "test".
    """
    name = make_url(url).database or ""
    if "test" not in name:
        pytest.exit(f"refusing to wipe PostgreSQL database {name!r}: its name lacks 'test'", 2)
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await _empty_all_tables(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
async def session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session in an open transaction, committed when the test passes."""
    async with session_factory.begin() as session:
        yield session


async def _empty_all_tables(engine: AsyncEngine) -> None:
    tables = [t.name for t in reversed(models.Base.metadata.sorted_tables)]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await conn.execute(text(f"DELETE FROM {table}"))
