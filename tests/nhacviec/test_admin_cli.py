"""The registry and invite commands of the CLI, on the suite's database."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from models import Invite, Role, Unit, UnitGroup
from models.db import create_session_factory
from nhacviec import admin
from tests.conftest import SHARED

CANTHO = SHARED / "corpus" / "units" / "cantho.csv"


@pytest.fixture
def settings(engine: AsyncEngine, database_url: str) -> Settings:
    # ``engine`` empties the tables first; the CLI opens its own engine on the same database.
    return replace(Settings(telegram_bot_token=None), database_url=database_url)


def generated_csv(count: int = 200) -> str:
    lines = ["name,aliases,groups"]
    for i in range(count):
        group = "Các sở ngành" if i % 2 else "Đảng ủy xã phường"
        lines.append(f"Đơn vị số {i} thành phố Cần Thơ,ĐV{i},{group}|Nhóm {i % 7}")
    return "\n".join(lines) + "\n"


async def test_import_of_200_units_with_groups(settings: Settings, engine: AsyncEngine) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert await admin.units_import(settings, generated_csv().encode(), out, err) == 0
    assert "200 đơn vị mới" in out.getvalue()
    async with create_session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Unit)) == 200
        assert await session.scalar(select(func.count()).select_from(UnitGroup)) == 9


async def test_a_bad_file_imports_nothing_and_names_the_lines(
    settings: Settings, engine: AsyncEngine
) -> None:
    text = generated_csv(5) + "Đơn vị số 1 thành phố Cần Thơ,,\n,không tên,\n"
    out, err = io.StringIO(), io.StringIO()
    assert await admin.units_import(settings, text.encode(), out, err) == 2
    assert "Dòng 7" in err.getvalue()
    assert "Dòng 8" in err.getvalue()
    async with create_session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Unit)) == 0


@pytest.mark.skipif(not CANTHO.is_file(), reason="../shared is not present")
async def test_match_json_and_export(settings: Settings) -> None:
    await admin.units_import(settings, CANTHO.read_bytes(), io.StringIO(), io.StringIO())
    out = io.StringIO()
    await admin.units_match(settings, "BTC Thành ủy", True, out)
    payload = json.loads(out.getvalue())
    assert payload["result"] == "unit:Ban Tổ chức Thành ủy Cần Thơ"
    assert set(payload) == {"input", "result", "score", "candidates"}
    out = io.StringIO()
    await admin.units_match(settings, "Ban Tổ chức Tỉnh ủy", True, out)
    assert json.loads(out.getvalue())["result"] == "ask"
    out = io.StringIO()
    await admin.units_export(settings, out)
    assert out.getvalue().startswith("name,aliases,groups")
    assert "Ban Tổ chức Thành ủy Cần Thơ" in out.getvalue()


@pytest.mark.skipif(not CANTHO.is_file(), reason="../shared is not present")
async def test_invite_from_the_cli(settings: Settings, engine: AsyncEngine) -> None:
    await admin.units_import(settings, CANTHO.read_bytes(), io.StringIO(), io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    assert await admin.invite(settings, "Sở Nội vụ", Role.HEAD, out, err) == 0
    assert "/start " in out.getvalue()
    assert await admin.invite(settings, "Sở Không Có", Role.HEAD, out, err) == 2
    assert await admin.invite(settings, None, Role.MEMBER, out, err) == 2
    async with create_session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Invite)) == 1
