"""The durable inbox: each update stored before it is confirmed, handled once, and what a
crash left is handled after the restart."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from telegram import Update

from bot.context import DEPS_KEY, Deps
from models import InboxUpdate, Role
from nhacviec.runner import _recover_inbox
from services.inbox import HANDLED, HANDLING
from tests.e2e.conftest import BotHarness


async def inbox(bot: BotHarness) -> list[InboxUpdate]:
    async with bot.session_factory() as session:
        return list(await session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id)))


def help_update(bot: BotHarness, update_id: int, user_id: int) -> Update:
    payload = {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_767_600_000,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "A"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    update = Update.de_json(payload, bot.app.bot)
    assert update is not None
    return update


async def wait_handled(bot: BotHarness, update_id: int) -> None:
    """The row is marked just after the handler's replies: wait for it (bounded)."""
    async with asyncio.timeout(5):
        while True:
            rows = {r.update_id: r.status for r in await inbox(bot)}
            if rows.get(update_id) == HANDLED:
                return
            await asyncio.sleep(0.01)


async def test_an_update_is_stored_then_marked_handled(bot: BotHarness) -> None:
    user = await bot.register(201, Role.SUPERVISOR)
    sent = await bot.api.send_command(user, "/help")
    await bot.api.wait_for_messages(user, after=sent)
    [row] = await inbox(bot)
    await wait_handled(bot, row.update_id)
    assert row.payload["message"]["text"] == "/help"


async def test_the_queue_stores_before_it_returns(bot: BotHarness) -> None:
    await bot.register(202, Role.SUPERVISOR)
    await bot.app.update_queue.put(help_update(bot, 7_000_001, 202))
    # put() has returned: the update is in the database whatever happens next.
    [row] = await inbox(bot)
    assert row.update_id == 7_000_001


async def test_the_same_update_twice_is_handled_once(bot: BotHarness) -> None:
    await bot.register(203, Role.SUPERVISOR)
    await bot.app.update_queue.put(help_update(bot, 7_000_002, 203))
    await bot.app.update_queue.put(help_update(bot, 7_000_002, 203))
    await bot.api.wait_for_messages(203)
    await wait_handled(bot, 7_000_002)
    probe = await bot.api.send_command(bot.api.user(203, "A"), "/help")  # same chat: in order
    await bot.api.wait_for_messages(203, after=probe)
    assert len(bot.api.sent_messages(203)) == 2  # one for the twice-sent update, one probe


async def test_what_a_crash_left_is_handled_after_the_restart(bot: BotHarness) -> None:
    await bot.register(204, Role.SUPERVISOR)
    deps: Deps = bot.app.bot_data[DEPS_KEY]
    left = help_update(bot, 7_000_003, 204)
    async with bot.session_factory.begin() as session:
        session.add(
            InboxUpdate(
                update_id=7_000_003,
                payload=left.to_dict(),
                instance=deps.runtime.holder,  # this instance, before its crash
                status=HANDLING,
                received_at=bot.clock.now(),
            )
        )
    await _recover_inbox(bot.app, deps)
    [reply] = await bot.api.wait_for_messages(204)
    assert reply["text"]
    await wait_handled(bot, 7_000_003)
