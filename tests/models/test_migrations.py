"""Migrations create the whole schema, and the models agree with them."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

import models
from models.db import async_url, create_engine, sqlite_url


@pytest.fixture
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database on the same backend as the suite."""
    if not database_url.startswith("postgresql"):
        yield sqlite_url(tmp_path / "empty.db")
        return
    name = f"nhacviec_empty_{uuid.uuid4().hex[:8]}"
    admin = make_url(database_url)

    async def execute(sql: str) -> None:
        engine = create_engine(admin.render_as_string(hide_password=False))
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(sql))
        await engine.dispose()

    import asyncio

    asyncio.run(execute(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_db_upgrade_command_creates_every_table(empty_database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": empty_database_url, "DATA_DIR": str(tmp_path)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "nhacviec.cli", "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Đã cập nhật cơ sở dữ liệu" in result.stdout

    async def table_names() -> set[str]:
        engine = create_engine(empty_database_url)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        await engine.dispose()
        return names

    import asyncio

    assert set(models.Base.metadata.tables) <= asyncio.run(table_names())


async def test_models_and_migrations_agree(engine) -> None:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), models.Base.metadata
            )
        )
    assert diff == []


def test_async_url_picks_async_drivers() -> None:
    assert async_url("postgresql://u@h:5432/d").startswith("postgresql+asyncpg://")
    assert async_url("sqlite:///x.db").startswith("sqlite+aiosqlite://")
    assert async_url("postgresql+asyncpg://u@h/d") == "postgresql+asyncpg://u@h/d"
