"""The probe of issue 14: what the database is asked per message, new task against reminder.

A new task's message and a reminder go through the same path (services.deliveries: one
facts query for any kind of row), so announcing a task may cost no more queries than
reminding of it. Counted, not timed: the figures are exact on any machine. Run with ``-s``
to print them (the README quotes them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.notifier import deliver_claims
from models import Role
from services.deliveries import claim
from services.slots import Slot
from tests.e2e.conftest import BotHarness
from tests.e2e.test_reminders import assign, local, tick
from tests.e2e.test_reminders import fast_pacer as fast_pacer  # the autouse fixture

pytestmark = pytest.mark.e2e

MESSAGES = 20
FIRST_USER = 1000


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[Counter[str]]:
    """Statements the engine runs, by their first word (SELECT, INSERT, UPDATE …)."""
    counts: Counter[str] = Counter()

    def seen(*args: Any) -> None:
        statement: str = args[2]
        counts[statement.lstrip().split(None, 1)[0].upper()] += 1

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", seen)
    try:
        yield counts
    finally:
        event.remove(sync, "before_cursor_execute", seen)


async def one_task_per_unit(bot: BotHarness) -> list[tuple[int, int]]:
    """(assignment, the unit head's chat) for MESSAGES units."""
    pairs = []
    for i in range(MESSAGES):
        unit = await bot.add_unit(f"Đơn vị số {i} thành phố Cần Thơ")
        head = await bot.register(FIRST_USER + i, Role.HEAD, unit)
        pairs.append((await assign(bot, unit, ref=str(i + 1)), head.id))
    return pairs


async def test_a_new_task_costs_no_more_queries_than_a_reminder(
    bot: BotHarness, engine: AsyncEngine
) -> None:
    pairs = await one_task_per_unit(bot)
    now = bot.clock.now()
    with counted(engine) as announcing:
        async with bot.session_factory.begin() as session:
            claims = await claim(session, Slot.new(), pairs, due_at=now, now=now)
        announced = await deliver_claims(bot.app.bot, bot.app.bot_data["deps"], claims)
    assert announced.sent == MESSAGES

    with counted(engine) as reminding:
        reminded = await tick(bot, local(date(2026, 1, 13)))  # D-3 of Friday 16/01
    assert reminded.delivery is not None
    assert reminded.delivery.sent == MESSAGES

    print(  # the README's figures: pytest -s tests/e2e/test_delivery_queries.py
        f"\n{MESSAGES} new-task messages: {dict(announcing)}"
        f"\n{MESSAGES} reminders (the whole tick): {dict(reminding)}"
    )
    assert announcing["SELECT"] <= reminding["SELECT"]
    assert sum(announcing.values()) <= sum(reminding.values())
    # Per message, not per run: a constant number of reads for the batch plus a few each.
    assert announcing["SELECT"] <= 2 * MESSAGES + 5
