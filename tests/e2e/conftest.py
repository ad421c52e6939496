"""End-to-end harness: the real PTB Application, long polling over real HTTP against the
local fake Bot API server, on the suite's real database, with a fixed clock.

    async def test_x(bot: BotHarness) -> None:
        unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
        head = await bot.register(201, Role.HEAD, unit)
        await bot.api.send_command(head, "/viec")
        [reply] = await bot.api.wait_for_messages(head)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.context import AnyApplication
from bot.settings import Settings
from models import Contact, Person, Role, Unit, UnitGroup, unit_group_members
from models.db import create_session_factory
from nhacviec.app import build_application
from tests.fakes import FixedClock, SimUser, running_fake_bot_api
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.ptb import polling

ADMIN_ID = 9001


@dataclass
class BotHarness:
    api: FakeBotApi
    app: AnyApplication
    clock: FixedClock
    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]

    async def add_unit(
        self, name: str, aliases: Sequence[str] = (), groups: Sequence[str] = ()
    ) -> int:
        async with self.session_factory.begin() as session:
            unit = Unit(name=name, aliases=list(aliases))
            session.add(unit)
            await session.flush()
            for group_name in groups:
                group = await session.scalar(
                    UnitGroup.__table__.select().where(UnitGroup.name == group_name)
                )
                group_id = group if isinstance(group, int) else None
                if group_id is None:
                    new_group = UnitGroup(name=group_name, aliases=[])
                    session.add(new_group)
                    await session.flush()
                    group_id = new_group.id
                await session.execute(
                    unit_group_members.insert().values(unit_id=unit.id, group_id=group_id)
                )
            return unit.id

    async def register(
        self, user_id: int, role: Role, unit_id: int | None = None, name: str | None = None
    ) -> SimUser:
        """A registered person with a private chat, as if they had used an invite."""
        user = self.api.user(user_id, name or f"Người {user_id}")
        now = self.clock.now()
        async with self.session_factory.begin() as session:
            person = Person(
                telegram_user_id=user_id,
                name=name or f"Người {user_id}",
                role=role,
                unit_id=unit_id,
                created_at=now,
            )
            session.add(person)
            await session.flush()
            session.add(
                Contact(
                    chat_id=user_id,
                    kind="private",
                    person_id=person.id,
                    unit_id=unit_id,
                    created_at=now,
                )
            )
        return user


@pytest.fixture
async def bot(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[BotHarness]:
    clock = FixedClock()
    async with running_fake_bot_api(clock=clock) as api:
        settings = replace(
            Settings(telegram_bot_token=api.token),
            telegram_base_url=api.api_url,
            telegram_base_file_url=api.file_url,
            data_dir=tmp_path / "data",
            admin_telegram_ids=frozenset({ADMIN_ID}),
        )
        app = build_application(settings, engine, clock=clock)
        async with polling(app):  # runs post_init (the command menu) as run_polling would
            yield BotHarness(api, app, clock, settings, create_session_factory(engine))
