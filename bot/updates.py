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
import inspect
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.context import DURABLE_KEYS, AnyApplication, Deps
from bot.handlers.errors import is_disk_full
from services.inbox import claim_update, mark_handled
from services.pending_input import load_pending, save_pending

log = logging.getLogger(__name__)

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
        # Set once the application is built: then updates go through the durable inbox.
        self.deps: Deps | None = None
        self.application: AnyApplication | None = None
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._bound:
                await self._handle(update, coroutine)
            return
        # No await between here and lock.acquire(): the lock queues in arrival order.
        lock = self._chats.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._bound:
                await self._handle(update, coroutine)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._chats[key]

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Claim the update in the inbox, handle it, mark it handled (services/inbox.py)."""
        deps = self.deps
        if deps is None or not isinstance(update, Update):
            await coroutine
            return
        try:
            async with deps.session_factory.begin() as session:
                claimed = await claim_update(session, update.update_id)
        except Exception as error:
            if not is_disk_full(error):
                _close(coroutine)
                raise
            claimed = True  # nothing can be written: let the handler say the disk is full
        if not claimed:  # handled already, or being handled: one effect per update_id
            _close(coroutine)
            return
        user_data, before = await self._load_pending(update)
        await coroutine  # PTB's process_update reports a handler's error itself
        await self._save_pending(update, user_data, before)
        try:
            async with deps.session_factory.begin() as session:
                await mark_handled(session, update.update_id, deps.clock.now())
        except Exception:  # it stays "handling": handled again after a restart
            log.exception("could not mark update %s handled", update.update_id)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def _load_pending(self, update: Update) -> tuple[dict[Any, Any] | None, dict[str, Any]]:
        """Put the person's typed-input state from the database into their user_data."""
        deps, application = self.deps, self.application
        user = update.effective_user
        if deps is None or application is None or user is None:
            return None, {}
        try:
            async with deps.session_factory() as session:
                stored = await load_pending(session, user.id)
        except Exception:
            log.exception("could not load the typed-input state of user %s", user.id)
            return None, {}
        user_data: dict[Any, Any] = application.user_data[user.id]
        for key in DURABLE_KEYS:
            user_data.pop(key, None)
        user_data.update(stored)
        return user_data, stored

    async def _save_pending(
        self, update: Update, user_data: dict[Any, Any] | None, before: dict[str, Any]
    ) -> None:
        deps, user = self.deps, update.effective_user
        if deps is None or user is None or user_data is None:
            return
        after = {key: user_data[key] for key in DURABLE_KEYS if key in user_data}
        if after == before:
            return
        try:
            async with deps.session_factory.begin() as session:
                await save_pending(session, user.id, after, deps.clock.now())
        except Exception:
            log.exception("could not save the typed-input state of user %s", user.id)


def _close(coroutine: Awaitable[Any]) -> None:
    if inspect.iscoroutine(coroutine):
        coroutine.close()
