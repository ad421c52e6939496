"""Sending ledger deliveries to Telegram, paced, and mapping its answers to ledger states.

Pacing. Telegram allows about 30 messages/s overall, 1 message/s in one chat and 20
messages/min in a group. PTB's AIORateLimiter paces the overall rate and groups as leaky
buckets, but not private chats; it lets through a burst that Telegram's sliding windows
answer with 429, and it answers a 429 by pausing every request. :class:`Pacer` adds what
it lacks: sliding windows (the way Telegram counts) for the overall rate, every chat and
every group, with a small margin because Telegram counts arrivals and we count departures.
The notifier's sends skip AIORateLimiter (:class:`NotifierRateLimiter`, installed by
``build_application``; handlers' replies still use it). A chat's turn is awaited before
anything is written to the ledger and without holding a sending slot, so a chat that must
wait (a busy group, a 429's ``retry_after``) never holds up the others; a 429 pauses the
others for at most one overall window (it may have been the overall limit).

Outcomes, per delivery (see ``services.deliveries`` for the state machine):

* sent → ``sent`` with Telegram's message id (a reply to it finds the assignment);
* 429 → back to ``pending``, the chat waits ``retry_after`` and tries again; after
  ``MAX_ATTEMPTS`` it stays ``pending`` for the next tick;
* 403 → ``failed``, the contact is deactivated, the chat's other rows fail without a
  request, and the supervisors are told (a ``blocked:<chat>`` notice through the ledger);
* 400 with ``migrate_to_chat_id`` → the contact and the chat's pending rows move to the new
  id and the message is sent there;
* a network error before the request left (connect error, pool timeout) → back to
  ``pending`` with an exponential back-off capped at ``BACKOFF_CAP`` seconds;
* any other network error or timeout (HTTP 500/502, a connection reset after the request
  was written) → ``unknown``: it may have reached Telegram, and Telegram cannot be asked.
  It is sent again once ``AMBIGUOUS_RESEND_SECONDS`` later (``AMBIGUOUS_RESENDS`` times at
  most), its text opening with «Nhắc lại» so that a duplicate reads as a repeat (see
  ``services.deliveries``); after its last resend it stays ``unknown``, logged as an error.

Reminder rows are checked again just before sending: a task done or extended since the
tick, or a unit muted since, turns the row ``skipped``.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import AIORateLimiter, ExtBot

from bot import keyboards, texts
from bot.context import Deps
from services.deliveries import (
    NEW_TASK_SLOT,
    DeliveryStatus,
    back_to_pending,
    deactivate_chat,
    finish,
    mark_ambiguous,
    migrate_chat,
    resends_of,
    start_sending,
)
from services.messages import DeliveryFacts, delivery_facts
from services.reminders import (
    BLOCKED_SLOT,
    LIST_KINDS,
    REMINDER_KINDS,
    ReminderFacts,
    SlotKind,
    blocked_chat,
    claim_blocked_notices,
    delivery_slots,
    fail_pending_in_chat,
    move_pending_chat,
    reminder_facts,
    skip_delivery,
    slot_kind,
)

log = logging.getLogger(__name__)

# Deliveries worked on at once (database work and the request): enough to keep 30 msg/s
# flowing over Telegram's latency, few enough not to queue on the connection pool.
CONCURRENT_SENDS = 8
MAX_ATTEMPTS = 5
BACKOFF_START = 1.0
BACKOFF_CAP = 30.0
RETRY_AFTER_CAP = 60.0
MESSAGE_LIMIT = 4000


# --- Pacing ---------------------------------------------------------------------------------

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
    """Sliding-window pacing, overall and per chat; one per bot (see :func:`pacer_for`)."""

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


_PACERS: dict[int, Pacer] = {}


def pacer_for(bot: Bot) -> Pacer:
    """The bot's pacer, shared by every ``deliver`` call (ticks and handlers)."""
    pacer = _PACERS.get(id(bot))
    if pacer is None:
        pacer = _PACERS[id(bot)] = Pacer()
        weakref.finalize(bot, _PACERS.pop, id(bot), None)
    return pacer


def use_pacer(bot: Bot, pacer: Pacer) -> None:
    """Replace the bot's pacer (tests shrink the windows)."""
    pacer_for(bot)
    _PACERS[id(bot)] = pacer


# --- Composing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outgoing:
    text: str
    markup: InlineKeyboardMarkup | None = None


Composer = Callable[[DeliveryFacts, date], tuple[str, InlineKeyboardMarkup | None]]


def compose_new_task(facts: DeliveryFacts, today: date) -> tuple[str, InlineKeyboardMarkup | None]:
    """ "Nhiệm vụ mới"; a deadline already past when it is sent says so."""
    title = texts.dispatch_title(facts.dispatch_kind, facts.dispatch_number, facts.dispatch_subject)
    text = texts.new_task(
        title,
        facts.dispatch_subject,
        facts.task_ref,
        facts.task_text,
        texts.deadline_text(facts.due_on, facts.due_phrase, today),
    )
    return text, keyboards.task_buttons(facts.assignment_id, facts.has_original)


# Slot prefix → composer over ``delivery_facts``, for one message per delivery.
COMPOSERS: dict[str, Composer] = {NEW_TASK_SLOT: compose_new_task}


def composer_for(slot: str) -> Composer:
    return COMPOSERS.get(slot.split(":", 1)[0], compose_new_task)


def _title(facts: ReminderFacts) -> str:
    return texts.dispatch_title(facts.dispatch_kind, facts.dispatch_number, facts.dispatch_subject)


def compose_reminder(facts: ReminderFacts, today: date) -> Outgoing:
    """A unit's reminder: ⏰ days left, ⚠️ days overdue, or 📝 the monthly check-in."""
    buttons = keyboards.task_buttons(facts.assignment_id, facts.has_original)
    if facts.kind == SlotKind.CHECK_IN:
        month = facts.slot.split(":", 1)[1]
        month = f"{month[5:7]}/{month[:4]}"
        text = texts.checkin(month, _title(facts), facts.task_ref, facts.task_text)
        return Outgoing(text, buttons)
    assert facts.due_on is not None
    days = (facts.due_on - today).days
    overdue = facts.kind == SlotKind.OVERDUE or days < 0
    text = texts.reminder_due(
        abs(days),
        facts.due_on,
        _title(facts),
        facts.task_ref,
        facts.task_text,
        overdue,
        facts.period_key,
    )
    return Outgoing(text, buttons)


def list_blocks(facts: Sequence[ReminderFacts], today: date) -> list[str]:
    """One line per overdue assignment for the supervisors' list, oldest deadline first."""
    ordered = sorted(facts, key=lambda f: (f.due_on or today, f.unit_name, f.task_ref))
    return [
        texts.list_line(
            f.unit_name,
            _title(f),
            texts.ref_label(f.task_ref, f.period_key),
            f.task_text,
            f.due_on or today,
            (today - (f.due_on or today)).days,
            f.heads if f.kind == SlotKind.ESCALATION else None,
        )
        for f in ordered
    ]


def list_header(kind: str, count: int, escalate_after_days: int) -> str:
    if kind == SlotKind.ESCALATION:
        return texts.ESCALATION_HEADER.format(count=count, days=max(1, escalate_after_days))
    return texts.LATE_LIST_HEADER.format(count=count)


# --- Sending --------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    unknown: int = 0
    blocked_chats: list[int] = field(default_factory=list)
    # (assignment id, chat id) of the deliveries a 403 stopped, for the supervisors' notice.
    blocked: list[tuple[int, int]] = field(default_factory=list)

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.skipped += other.skipped
        self.unknown += other.unknown
        self.blocked_chats += other.blocked_chats
        self.blocked += other.blocked


@dataclass(frozen=True, slots=True)
class _Result:
    """What Telegram made of one send."""

    kind: str  # sent | retry | migrated | blocked | failed | unknown | not_sent
    message_id: int | None = None
    retry_after: float = 0.0
    new_chat_id: int | None = None
    error: str | None = None


class _Run:
    """One ``deliver`` call: shared pieces and the report."""

    def __init__(self, bot: Bot, deps: Deps) -> None:
        self.bot = bot
        self.deps = deps
        self.pacer = pacer_for(bot)
        self.sending = asyncio.Semaphore(CONCURRENT_SENDS)
        self.report = DeliveryReport()
        self.resend_after = timedelta(seconds=deps.settings.ambiguous_resend_seconds)

    def today(self) -> date:
        return self.deps.today()

    async def send(
        self, chat_id: int, outgoing: Outgoing, claim: Callable[[], Awaitable[bool]]
    ) -> _Result | None:
        """Claim (pending → sending) in the overall turn and send; None if not ours.

        Callers wait for the chat's turn first and hold a sending slot. The claim happens
        inside the overall turn, so a row is "sending" only for the request itself: a crash
        leaves at most the requests in flight "unknown". The windows count from the moment
        right before the request.
        """
        async with self.pacer.turn(chat_id) as use:
            if not await claim():
                return None
            use()
        try:
            message = await _send_message(self.bot, chat_id, outgoing)
        except RetryAfter as error:
            return _Result("retry", retry_after=_seconds(error.retry_after), error=str(error))
        except ChatMigrated as error:
            return _Result("migrated", new_chat_id=error.new_chat_id, error=str(error))
        except Forbidden as error:
            return _Result("blocked", error=str(error))
        except BadRequest as error:
            return _Result("failed", error=str(error))
        except (TimedOut, NetworkError) as error:
            kind = "not_sent" if _never_left(error) else "unknown"
            return _Result(kind, error=str(error))
        return _Result("sent", message_id=message.message_id)


async def send_notices(bot: Bot, chat_ids: Sequence[int], text: str, markup: Any = None) -> None:
    """Informational messages to other chats; one failing chat never stops the rest."""
    for chat_id in chat_ids:
        try:
            await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except TelegramError as error:
            log.warning("message to %s failed: %s", chat_id, error)


async def _send_message(bot: Bot, chat_id: int, outgoing: Outgoing) -> Message:
    if isinstance(bot, ExtBot) and isinstance(bot.rate_limiter, NotifierRateLimiter):
        return await bot.send_message(
            chat_id,
            outgoing.text,
            parse_mode=ParseMode.HTML,
            reply_markup=outgoing.markup,
            rate_limit_args=PACED,
        )
    return await bot.send_message(
        chat_id, outgoing.text, parse_mode=ParseMode.HTML, reply_markup=outgoing.markup
    )


def _never_left(error: Exception) -> bool:
    """The request surely did not reach Telegram: safe to try again."""
    cause = error.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    return "pool timeout" in str(error).lower()


async def deliver(
    bot: Bot, deps: Deps, delivery_ids: Sequence[int], chat_of: dict[int, int]
) -> DeliveryReport:
    """Send the given pending deliveries (``chat_of`` maps delivery id → chat id).

    One task per chat; a chat's messages go in order. Supervisors' list kinds
    (``late``, ``esc``) for one chat become one message (split only past Telegram's
    length limit), all its rows marked with that message's id.
    """
    by_chat: dict[int, list[int]] = defaultdict(list)
    for delivery_id in delivery_ids:
        by_chat[chat_of[delivery_id]].append(delivery_id)
    run = _Run(bot, deps)
    async with deps.session_factory() as session:
        slots = await delivery_slots(session, delivery_ids)
    await asyncio.gather(
        *(_deliver_chat(run, chat_id, ids, slots) for chat_id, ids in by_chat.items())
    )
    if run.report.blocked:
        await _tell_supervisors(run)
    return run.report


async def _deliver_chat(run: _Run, chat_id: int, ids: list[int], slots: dict[int, str]) -> None:
    try:
        singles = [i for i in ids if slot_kind(slots.get(i, "")) not in LIST_KINDS]
        lists: dict[str, list[int]] = defaultdict(list)
        for i in ids:
            if slot_kind(slots.get(i, "")) in LIST_KINDS:
                lists[slot_kind(slots[i])].append(i)
        async with run.pacer.chat(chat_id):
            for position, delivery_id in enumerate(singles):
                if await _deliver_one(run, delivery_id, chat_id) == "blocked":
                    rest = singles[position + 1 :] + [i for k in lists.values() for i in k]
                    await _fail_rest(run, rest)
                    return
            for kind, kind_ids in lists.items():
                if await _deliver_list(run, chat_id, kind, kind_ids) == "blocked":
                    return
    except Exception:
        # One chat's surprise must not cancel the others; its rows stay as they are.
        log.exception("delivery to chat %s failed", chat_id)


async def _fail_rest(run: _Run, ids: Sequence[int]) -> None:
    async with run.deps.session_factory.begin() as session:
        await fail_pending_in_chat(session, ids, "chat blocked")
    run.report.failed += len(ids)


async def _compose_one(run: _Run, delivery_id: int) -> tuple[int, int, Outgoing] | str:
    """(assignment id, chat id, message), or why nothing is sent. A row sent again after
    an ambiguous send says «Nhắc lại» first."""
    async with run.deps.session_factory.begin() as session:
        found = await reminder_facts(session, [delivery_id])
        if not found:
            return "gone"
        facts = found[0]
        kind = facts.kind
        resent = await resends_of(session, [delivery_id]) > 0

        def marked(outgoing: Outgoing) -> Outgoing:
            return Outgoing(texts.resent(outgoing.text), outgoing.markup) if resent else outgoing

        if kind in REMINDER_KINDS:
            if not facts.still_due():
                await skip_delivery(session, delivery_id, "no longer due")
                return "skipped"
            composed = compose_reminder(facts, run.today())
            return facts.assignment_id, facts.chat_id, marked(composed)
        if kind == BLOCKED_SLOT:
            who = await blocked_chat(session, int(facts.slot.split(":", 1)[1]))
            text = texts.chat_blocked(
                who.kind, who.title, who.person_name, who.unit_name, who.chat_id
            )
            return facts.assignment_id, facts.chat_id, marked(Outgoing(text))
        plain = await delivery_facts(session, delivery_id)
        if plain is None:
            return "gone"
        text, markup = composer_for(plain.slot)(plain, run.today())
        return plain.assignment_id, plain.chat_id, marked(Outgoing(text, markup))


async def _deliver_one(run: _Run, delivery_id: int, chat_id: int) -> str:
    """One message for one row. The chat's own wait holds nothing; the rest (database work
    and the request) holds one of ``CONCURRENT_SENDS`` slots."""
    backoff = BACKOFF_START
    for _attempt in range(MAX_ATTEMPTS):
        await run.pacer.wait_chat(chat_id)
        async with run.sending:
            outcome = await _attempt_one(run, delivery_id)
        if isinstance(outcome, str):
            return outcome
        chat_id, wait = outcome
        if wait is None:  # a back-off for a request that never left
            wait, backoff = backoff, min(backoff * 2, BACKOFF_CAP)
        run.pacer.hold_chat(chat_id, wait)
    log.info(
        "delivery %s left pending after %s attempts",
        delivery_id,
        MAX_ATTEMPTS,
        extra={"delivery_id": delivery_id},
    )
    return "pending"


async def _attempt_one(run: _Run, delivery_id: int) -> str | tuple[int, float | None]:
    """A final outcome, or (chat to retry in, seconds to wait; None = back off)."""
    deps, report = run.deps, run.report
    composed = await _compose_one(run, delivery_id)
    if isinstance(composed, str):
        report.skipped += composed == "skipped"
        return composed
    assignment_id, chat_id, outgoing = composed

    async def claim() -> bool:
        async with deps.session_factory.begin() as session:
            return await start_sending(session, delivery_id)

    result = await run.send(chat_id, outgoing, claim)
    if result is None:
        return "taken"
    now = deps.clock.now
    async with deps.session_factory.begin() as session:
        if result.kind == "sent":
            await finish(
                session, delivery_id, DeliveryStatus.SENT, now(), message_id=result.message_id
            )
            report.sent += 1
            return "sent"
        if result.kind == "retry":
            await back_to_pending(session, delivery_id, chat_id)
            run.pacer.too_many_requests(chat_id, result.retry_after)
            return chat_id, 0.0
        if result.kind == "migrated":
            assert result.new_chat_id is not None
            await migrate_chat(session, chat_id, result.new_chat_id)
            await back_to_pending(session, delivery_id, result.new_chat_id)
            await move_pending_chat(session, chat_id, result.new_chat_id)
            return result.new_chat_id, 0.0
        if result.kind == "not_sent":
            await back_to_pending(session, delivery_id, chat_id)
            return chat_id, None
        if result.kind == "unknown":
            await mark_ambiguous(session, delivery_id, result.error, now() + run.resend_after)
        else:
            await finish(session, delivery_id, DeliveryStatus.FAILED, now(), error=result.error)
        if result.kind == "blocked":
            await deactivate_chat(session, chat_id, now())
            report.blocked_chats.append(chat_id)
            report.blocked.append((assignment_id, chat_id))
        if result.kind == "failed" and "chat not found" in (result.error or "").lower():
            await deactivate_chat(session, chat_id, now())
    if result.kind == "unknown":
        log.warning(
            "delivery %s ended unknown (sent again later if it has a resend left): %s",
            delivery_id,
            result.error,
            extra={"delivery_id": delivery_id, "assignment_id": assignment_id, "chat_id": chat_id},
        )
        report.unknown += 1
    else:
        report.failed += 1
    return result.kind


async def _deliver_list(run: _Run, chat_id: int, kind: str, ids: list[int]) -> str:
    """The supervisors' overdue list or escalation: one message for many rows."""
    deps, report = run.deps, run.report
    today = run.today()
    async with run.sending, deps.session_factory.begin() as session:
        facts = await reminder_facts(session, ids)
        current = [f for f in facts if f.still_due()]
        for stale in (f for f in facts if not f.still_due()):
            report.skipped += await skip_delivery(session, stale.delivery_id, "no longer due")
        resent = bool(current) and await resends_of(session, [f.delivery_id for f in current]) > 0
    blocks = list_blocks(current, today)
    ordered = sorted(current, key=lambda f: (f.due_on or today, f.unit_name, f.task_ref))
    header = list_header(kind, len(current), deps.settings.escalate_after_days)
    if resent:
        header = texts.resent(header)
    chunks: list[tuple[list[int], str]] = []
    text, chunk_ids = header, list[int]()
    for f, block in zip(ordered, blocks, strict=True):
        if chunk_ids and len(text) + len(block) + 2 > MESSAGE_LIMIT:
            chunks.append((chunk_ids, text))
            text, chunk_ids = "", []
        text = f"{text}\n\n{block}" if text else block
        chunk_ids.append(f.delivery_id)
    if chunk_ids:
        chunks.append((chunk_ids, text))
    for chunk_ids, text in chunks:
        outcome = await _send_chunk(run, chat_id, chunk_ids, text)
        if outcome == "blocked":
            rest = [i for c, _ in chunks for i in c if i not in chunk_ids]
            await _fail_rest(run, rest)
            return "blocked"
    return "done"


async def _send_chunk(run: _Run, chat_id: int, ids: list[int], text: str) -> str:
    backoff = BACKOFF_START
    for _attempt in range(MAX_ATTEMPTS):
        await run.pacer.wait_chat(chat_id)
        async with run.sending:
            outcome = await _attempt_chunk(run, chat_id, ids, text)
        if isinstance(outcome, str):
            return outcome
        chat_id, wait = outcome
        if wait is None:
            wait, backoff = backoff, min(backoff * 2, BACKOFF_CAP)
        run.pacer.hold_chat(chat_id, wait)
    return "pending"


async def _attempt_chunk(
    run: _Run, chat_id: int, ids: list[int], text: str
) -> str | tuple[int, float | None]:
    deps, report = run.deps, run.report
    result = await run.send(chat_id, Outgoing(text), _claim_all(deps, ids, chat_id))
    if result is None:
        return "taken"
    now = deps.clock.now
    async with deps.session_factory.begin() as session:
        if result.kind == "sent":
            for delivery_id in ids:
                await finish(
                    session, delivery_id, DeliveryStatus.SENT, now(), message_id=result.message_id
                )
            report.sent += len(ids)
            return "sent"
        if result.kind in ("retry", "not_sent", "migrated"):
            target = result.new_chat_id or chat_id
            if result.kind == "migrated":
                await migrate_chat(session, chat_id, target)
                await move_pending_chat(session, chat_id, target)
            for delivery_id in ids:
                await back_to_pending(session, delivery_id, target)
            if result.kind == "retry":
                run.pacer.too_many_requests(chat_id, result.retry_after)
            return target, None if result.kind == "not_sent" else 0.0
        for delivery_id in ids:
            if result.kind == "unknown":
                resend_at = now() + run.resend_after
                await mark_ambiguous(session, delivery_id, result.error, resend_at)
            else:
                await finish(session, delivery_id, DeliveryStatus.FAILED, now(), error=result.error)
        if result.kind == "blocked":
            # Supervisors are told about other chats; a supervisor's own block is logged.
            await deactivate_chat(session, chat_id, now())
            report.blocked_chats.append(chat_id)
    if result.kind == "unknown":
        report.unknown += len(ids)
    else:
        report.failed += len(ids)
    log.warning("list to chat %s ended %s: %s", chat_id, result.kind, result.error)
    return result.kind


def _claim_all(deps: Deps, ids: list[int], chat_id: int) -> Callable[[], Awaitable[bool]]:
    async def claim() -> bool:
        async with deps.session_factory.begin() as session:
            owned = [i for i in ids if await start_sending(session, i)]
            if len(owned) != len(ids):  # someone else took part of it: let them have it all
                for delivery_id in owned:
                    await back_to_pending(session, delivery_id, chat_id)
                return False
            return True

    return claim


async def _tell_supervisors(run: _Run) -> None:
    """A 403 deactivated a chat: the supervisors hear of it once per chat and task."""
    deps = run.deps
    async with deps.session_factory.begin() as session:
        claims = await claim_blocked_notices(session, run.report.blocked, deps.clock.now())
    if claims:
        notices = await deliver(run.bot, deps, [c.delivery_id for c in claims], dict(claims))
        run.report.add(notices)


def _seconds(value: object) -> float:
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[arg-type]
    return max(0.0, min(seconds, RETRY_AFTER_CAP))
