"""The update processor: one chat's updates in order, different chats at once, bounded."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update

from bot.updates import PerChatUpdateProcessor


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, date=None, chat=chat))  # type: ignore[arg-type]


async def test_one_chat_in_order_while_another_chat_is_answered() -> None:
    processor = PerChatUpdateProcessor(max_concurrent=8)
    release = asyncio.Event()
    done: list[str] = []

    async def slow(name: str) -> None:
        await release.wait()
        done.append(name)

    async def quick(name: str) -> None:
        done.append(name)

    tasks = [
        asyncio.create_task(processor.process_update(update(1, 10), slow("10-first"))),
        asyncio.create_task(processor.process_update(update(2, 10), quick("10-second"))),
        asyncio.create_task(processor.process_update(update(3, 20), quick("20"))),
    ]
    async with asyncio.timeout(2):
        while "20" not in done:  # noqa: ASYNC110 - polling the list the callbacks fill
            await asyncio.sleep(0)
    assert done == ["20"]  # chat 20 did not wait for chat 10's slow update
    release.set()
    await asyncio.gather(*tasks)
    assert done == ["20", "10-first", "10-second"]


async def test_at_most_the_bound_run_at_once() -> None:
    processor = PerChatUpdateProcessor(max_concurrent=2)
    running = 0
    peak = 0

    async def work() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    await asyncio.gather(*(processor.process_update(update(i, i), work()) for i in range(6)))
    assert peak == 2
