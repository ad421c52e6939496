"""The "waiting for your typed answer" state is in the database: the typed answer is
understood by another instance than the one that asked (here: a process whose user_data
was lost, which is what another instance behind a round-robin proxy has)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from models import ExtensionRequest, PendingInput
from tests.e2e.conftest import BotHarness
from tests.e2e.test_replies import press, say, setup


async def stored(bot: BotHarness, user_id: int) -> PendingInput | None:
    async with bot.session_factory() as session:
        return await session.get(PendingInput, user_id)


async def test_the_typed_answer_reaches_an_instance_that_did_not_ask(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    prompt = await press(bot, head, task.messages[head.id], f"a:ext:{task.assignment_id}")
    assert "ngày đề nghị" in prompt["text"]
    async with asyncio.timeout(5):  # saved right after the handler's reply
        while await stored(bot, head.id) is None:  # noqa: ASYNC110 - the database
            await asyncio.sleep(0.01)
    bot.app.user_data[head.id].clear()  # this process forgets: as if another one answered
    answer = await say(bot, head, "thêm 5 ngày vì chờ ý kiến Sở Tài chính")
    assert "25/01/2026" in answer["text"]
    async with bot.session_factory() as session:
        request = await session.scalar(select(ExtensionRequest))
    assert request is not None
    assert request.reason == "chờ ý kiến Sở Tài chính"
    async with asyncio.timeout(5):  # answered: the question is gone
        while await stored(bot, head.id) is not None:  # noqa: ASYNC110 - the database
            await asyncio.sleep(0.01)
