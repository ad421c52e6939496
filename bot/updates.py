"""Handling updates concurrently: different chats at once, each chat's own in order.

PTB hands every update to the processor as soon as it is fetched. Updates of one chat
(or, without a chat, of one user) wait for each other in arrival order, so «xong» never
overtakes the task message it answers and a draft's edits apply in the order pressed;
updates of different chats run side by side, at most ``max_concurrent`` at a time. The
bound is taken after the chat's turn has come, so one busy chat queueing many updates
never holds the slots the others need.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own semaphore is taken before our per-chat queue; ours is the real bound.
_UNBOUNDED = 1 << 30


def chat_key(update: object) -> int | None:
    """Which queue an update waits in: its chat, else its user; None runs at once."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent: int) -> None:
        super().__init__(_UNBOUNDED)
        self._bound = asyncio.BoundedSemaphore(max_concurrent)
        self._chats: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._bound:
                await coroutine
            return
        # No await between here and lock.acquire(): the lock queues in arrival order.
        lock = self._chats.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._bound:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._chats[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
