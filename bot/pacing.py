"""Pacing the bot's own sends to Telegram's limits.

Telegram allows about 30 messages/s overall, 1 message/s in one chat and 20 messages/min in
a group. PTB's AIORateLimiter paces the overall rate and groups as leaky buckets, but not
private chats; it lets through a burst that Telegram's sliding windows answer with 429, and
it answers a 429 by pausing every request. :class:`Pacer` adds what it lacks: sliding
windows (the way Telegram counts) for the overall rate, every chat and every group, with a
small margin because Telegram counts arrivals and we count departures. The notifier's sends
skip AIORateLimiter (:class:`NotifierRateLimiter`, installed by ``build_application``;
handlers' replies still use it). A chat's turn is awaited before anything is written to the
ledger and without holding a sending slot, so a chat that must wait (a busy group, a 429's
``retry_after``) never holds up the others; a 429 pauses the others for at most one overall
window (it may have been the overall limit).

One :class:`Pacer` per process lives in the application's runtime (``Deps.runtime.pacer``),
shared by the tick and the handlers.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram.ext import AIORateLimiter

# ``rate_limit_args`` of the notifier's own sends: already paced, 429 handled here.
PACED = -1


class NotifierRateLimiter(AIORateLimiter):
    """AIORateLimiter for every request but the notifier's, which pass straight through.

    AIORateLimiter answers a 429 by pausing *every* request for ``retry_after`` and then
    retrying; meanwhile the notifier would keep pacing sends that pile up behind the pause
    and reach Telegram together when it lifts, which trips the limit again. The notifier
    paces its sends itself (:class:`Pacer`) and handles their 429s per chat, so they skip it.
    """

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if rate_limit_args == PACED:
            return await callback(*args, **kwargs)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


@dataclass(frozen=True, slots=True)
class Window:
    """At most ``count`` messages in any ``seconds``."""

    count: int
    seconds: float


@dataclass(frozen=True, slots=True)
class SendLimits:
    overall: Window = Window(30, 1.0)
    per_chat: Window = Window(1, 1.0)
    per_group: Window = Window(20, 60.0)
    margin: float = 0.04  # added to every window: Telegram counts arrivals

    def scaled(self, factor: float) -> SendLimits:
        """The same limits with time shrunk by ``factor`` (fast tests); the margin, which
        absorbs network jitter, stays as it is."""
        return SendLimits(
            Window(self.overall.count, self.overall.seconds * factor),
            Window(self.per_chat.count, self.per_chat.seconds * factor),
            Window(self.per_group.count, self.per_group.seconds * factor),
            self.margin,
        )


class _Stamps:
    def __init__(self, window: Window, margin: float) -> None:
        self.count = window.count
        self.seconds = window.seconds + margin
        self.stamps: deque[float] = deque(maxlen=window.count)

    def delay(self, now: float) -> float:
        if len(self.stamps) < self.count:
            return 0.0
        return self.stamps[0] + self.seconds - now

    def record(self, now: float) -> None:
        self.stamps.append(now)


@dataclass
class _ChatState:
    lock: asyncio.Lock
    windows: list[_Stamps]
    not_before: float = 0.0
    last: float = 0.0


class Pacer:
    """Sliding-window pacing, overall and per chat; one per process (``Runtime.pacer``)."""

    def __init__(self, limits: SendLimits | None = None) -> None:
        self.limits = limits or SendLimits()
        self._overall = _Stamps(self.limits.overall, self.limits.margin)
        self._overall_lock = asyncio.Lock()
        self._overall_not_before = 0.0
        self._chats: dict[int, _ChatState] = {}

    def _state(self, chat_id: int) -> _ChatState:
        state = self._chats.get(chat_id)
        if state is None:
            limits = self.limits
            windows = [_Stamps(limits.per_chat, limits.margin)]
            if chat_id < 0:
                windows.append(_Stamps(limits.per_group, limits.margin))
            state = self._chats[chat_id] = _ChatState(asyncio.Lock(), windows)
        return state

    @asynccontextmanager
    async def chat(self, chat_id: int) -> AsyncIterator[None]:
        """Hold a chat: its messages go one after another, in order."""
        state = self._state(chat_id)
        async with state.lock:
            yield
        self._forget_idle()

    async def wait_chat(self, chat_id: int) -> None:
        """Wait until one more message to ``chat_id`` fits its windows (hold the chat)."""
        loop = asyncio.get_running_loop()
        state = self._state(chat_id)
        while True:
            now = loop.time()
            delay = max([state.not_before - now, *(w.delay(now) for w in state.windows)])
            if delay <= 0:
                return
            await asyncio.sleep(delay)

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[Callable[[], None]]:
        """The next overall slot: wait for it, let the caller claim its row, count it.

        Yields ``use``: call it when the message is really going out (the claim
        succeeded); the send is counted at that moment, right before the request. Claiming
        inside the turn keeps at most one row "sending" while it waits.
        """
        loop = asyncio.get_running_loop()
        async with self._overall_lock:
            # Under the lock nobody else records a send, so one sleep frees the window.
            now = loop.time()
            delay = max(self._overall.delay(now), self._overall_not_before - now)
            if delay > 0:
                await asyncio.sleep(delay)
            state = self._state(chat_id)

            def use() -> None:
                now = loop.time()
                self._overall.record(now)
                for window in state.windows:
                    window.record(now)
                state.last = now

            yield use

    def hold_chat(self, chat_id: int, seconds: float) -> None:
        """This chat waits ``seconds`` (a back-off); the others go on."""
        state = self._state(chat_id)
        state.not_before = max(state.not_before, asyncio.get_running_loop().time() + seconds)

    def too_many_requests(self, chat_id: int, retry_after: float) -> None:
        """Telegram said 429: the chat waits ``retry_after``; the others wait at most one
        overall window (the 429 may be the overall limit: past one window it is free)."""
        self.hold_chat(chat_id, retry_after)
        pause = min(retry_after, self.limits.overall.seconds + self.limits.margin)
        self._overall_not_before = max(
            self._overall_not_before, asyncio.get_running_loop().time() + pause
        )

    def _forget_idle(self) -> None:
        if len(self._chats) < 4096:
            return
        horizon = asyncio.get_running_loop().time() - self.limits.per_group.seconds * 2
        for chat_id, state in list(self._chats.items()):
            if not state.lock.locked() and state.last < horizon and state.not_before < horizon:
                del self._chats[chat_id]
