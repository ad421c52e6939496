"""Sending ledger rows to Telegram, paced, and mapping its answers to ledger states.

The notifier only paces (bot.pacing) and sends: what a message says is composed by
bot.outgoing from the facts services.deliveries reads, and every change of a row's state is
a function of services.deliveries. One loop, :func:`_deliver_message`, sends "rows → one
message" for every kind: a new task, a support copy, a reminder, the office's list, a
blocked-chat notice, a notice of a change. Messages about no assignment (the digest, a
registration) have no row; :func:`send_direct` sends them with the same pacing and the same
answers to 429, 403 and a migrated group.

Outcomes, per message (for all its rows):

* sent → ``sent`` with Telegram's message id (a reply to it finds the assignment);
* 429 → back to ``pending``, the chat waits ``retry_after`` and tries again; after
  ``MAX_ATTEMPTS`` it stays ``pending`` for the next tick;
* 403, or 400 "chat not found" → ``failed``, the contact is deactivated, the chat's other
  rows fail without a request, and the office is told (a ``blocked:<chat>`` notice through
  the ledger);
* 400 with ``migrate_to_chat_id`` → the contact and the chat's pending rows move to the new
  id and the message is sent there;
* any other 400 → ``failed``;
* a network error before the request left (connect error, pool timeout) → back to
  ``pending`` with an exponential back-off capped at ``BACKOFF_CAP`` seconds;
* any other network error or timeout (HTTP 500/502, a connection reset after the request
  was written) → ``unknown``: it may have reached Telegram, and Telegram cannot be asked.
  It is sent again once ``AMBIGUOUS_RESEND_SECONDS`` later (``AMBIGUOUS_RESENDS`` times at
  most), its text opening with «Nhắc lại» so that a duplicate reads as a repeat (see
  ``services.deliveries``); after its last resend it stays ``unknown``, logged as an error.

Rows are read again just before their message is composed: a reminder whose task was done
or extended since the tick, or whose unit was muted since, turns ``skipped``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ExtBot

from bot.context import Deps
from bot.outgoing import Composed, Outgoing, compose
from bot.pacing import PACED, NotifierRateLimiter, Pacer
from services.deliveries import (
    Claim,
    back_to_pending,
    claim_blocked_notices,
    deactivate_chat,
    delivery_facts,
    mark_ambiguous,
    mark_failed,
    mark_sent,
    migrate_chat,
    skip,
    slots_of,
    start_sending,
)

log = logging.getLogger(__name__)

# Messages worked on at once (database work and the request): enough to keep 30 msg/s
# flowing over Telegram's latency, few enough not to queue on the connection pool.
CONCURRENT_SENDS = 8
MAX_ATTEMPTS = 5
BACKOFF_START = 1.0
BACKOFF_CAP = 30.0
RETRY_AFTER_CAP = 60.0


def use_pacer(deps: Deps, pacer: Pacer) -> None:
    """Replace the process's pacer (tests shrink the windows)."""
    deps.runtime.pacer = pacer


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
        self.pacer = deps.runtime.pacer
        self.sending = asyncio.Semaphore(CONCURRENT_SENDS)
        self.report = DeliveryReport()
        self.resend_after = timedelta(seconds=deps.settings.ambiguous_resend_seconds)

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
            # A chat that is gone is as unreachable as one that blocked the bot.
            gone = "chat not found" in str(error).lower()
            return _Result("blocked" if gone else "failed", error=str(error))
        except (TimedOut, NetworkError) as error:
            kind = "not_sent" if _never_left(error) else "unknown"
            return _Result(kind, error=str(error))
        return _Result("sent", message_id=message.message_id)


async def send_direct(
    bot: Bot, deps: Deps, messages: Sequence[tuple[int, Sequence[Outgoing]]]
) -> DeliveryReport:
    """Messages that are about no assignment (the digest, a registration, a full disk):
    each chat's pieces in order, paced and answered as the ledger's rows are.

    They keep no ledger row (a row belongs to an assignment; the digest's own "digest.sent"
    event makes it at most once), so the outcomes differ only where a row would be needed:
    429 waits and tries again, a migrated group moves (its contact too) and is sent there,
    a chat that blocked the bot or is gone is deactivated, a request that never left is
    tried again after a back-off; an ambiguous one is never repeated (at most once).
    """
    run = _Run(bot, deps)
    await asyncio.gather(*(_direct_chat(run, chat_id, pieces) for chat_id, pieces in messages))
    return run.report


async def _direct_chat(run: _Run, chat_id: int, pieces: Sequence[Outgoing]) -> None:
    try:
        async with run.pacer.chat(chat_id):
            for outgoing in pieces:
                reached = await _direct_message(run, chat_id, outgoing)
                if reached is None:
                    return
                chat_id = reached
    except Exception:
        log.exception("message to chat %s failed", chat_id)


async def _direct_message(run: _Run, chat_id: int, outgoing: Outgoing) -> int | None:
    """Send one piece; the chat it reached (a migrated group's new id), None if it did not."""

    async def always() -> bool:
        return True

    report, backoff = run.report, BACKOFF_START
    for _attempt_number in range(MAX_ATTEMPTS):
        await run.pacer.wait_chat(chat_id)
        async with run.sending:
            result = await run.send(chat_id, outgoing, always)
        assert result is not None  # always() claims
        if result.kind == "sent":
            report.sent += 1
            return chat_id
        if result.kind == "retry":
            run.pacer.too_many_requests(chat_id, result.retry_after)
            continue
        if result.kind == "migrated":
            assert result.new_chat_id is not None
            async with run.deps.session_factory.begin() as session:
                await migrate_chat(session, chat_id, result.new_chat_id)
            chat_id = result.new_chat_id
            continue
        if result.kind == "not_sent":
            run.pacer.hold_chat(chat_id, backoff)
            backoff = min(backoff * 2, BACKOFF_CAP)
            continue
        log.warning("message to chat %s ended %s: %s", chat_id, result.kind, result.error)
        if result.kind == "unknown":
            report.unknown += 1
            return None
        report.failed += 1
        if result.kind == "blocked":
            async with run.deps.session_factory.begin() as session:
                await deactivate_chat(session, chat_id, run.deps.clock.now())
            report.blocked_chats.append(chat_id)
        return None
    log.info("message to chat %s not sent after %s attempts", chat_id, MAX_ATTEMPTS)
    report.failed += 1
    return None


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


async def deliver_claims(bot: Bot, deps: Deps, claims: Sequence[Claim]) -> DeliveryReport:
    """Send rows a service just claimed (after its transaction committed)."""
    chat_of = dict(claims)
    if not chat_of:
        return DeliveryReport()
    return await deliver(bot, deps, list(chat_of), chat_of)


async def deliver(
    bot: Bot, deps: Deps, delivery_ids: Sequence[int], chat_of: dict[int, int]
) -> DeliveryReport:
    """Send the given pending rows (``chat_of`` maps row id → chat id).

    One task per chat; a chat's messages go in order. The office's list kinds (``late``,
    ``esc``) for one chat become one message (split only past Telegram's length limit).
    """
    by_chat: dict[int, list[int]] = defaultdict(list)
    for delivery_id in delivery_ids:
        by_chat[chat_of[delivery_id]].append(delivery_id)
    run = _Run(bot, deps)
    async with deps.session_factory() as session:
        slots = await slots_of(session, delivery_ids)
    await asyncio.gather(
        *(_deliver_chat(run, chat_id, ids, slots) for chat_id, ids in by_chat.items())
    )
    if run.report.blocked:
        await _tell_office(run)
    return run.report


async def _deliver_chat(run: _Run, chat_id: int, ids: list[int], slots: dict[int, Any]) -> None:
    """A chat's messages: its rows one by one, then one list per list kind."""
    try:
        messages: list[list[int]] = []
        lists: dict[Any, list[int]] = defaultdict(list)
        for i in ids:
            slot = slots.get(i)
            if slot is not None and slot.is_list:
                lists[slot.kind].append(i)
            else:
                messages.append([i])
        messages += lists.values()
        async with run.pacer.chat(chat_id):
            for position, message_ids in enumerate(messages):
                if await _deliver_message(run, chat_id, message_ids) == "blocked":
                    rest = [i for m in messages[position + 1 :] for i in m]
                    await _fail_rest(run, rest)
                    return
    except Exception:
        # One chat's surprise must not cancel the others; its rows stay as they are.
        log.exception("delivery to chat %s failed", chat_id)


async def _fail_rest(run: _Run, ids: Sequence[int]) -> None:
    if not ids:
        return
    async with run.deps.session_factory.begin() as session:
        run.report.failed += await mark_failed(session, ids, "chat blocked", only_pending=True)


async def _compose(run: _Run, ids: Sequence[int]) -> Composed | None:
    """The first message of these rows, read afresh; rows that no longer apply are
    skipped. None when nothing is left to send."""
    async with run.deps.session_factory.begin() as session:
        facts = await delivery_facts(session, ids)
        stale = [f.delivery_id for f in facts if not f.still_due()]
        run.report.skipped += await skip(session, stale, "no longer due")
    current = [f for f in facts if f.still_due()]
    messages = compose(current, run.deps.today(), run.deps.settings.escalate_after_days)
    return messages[0] if messages else None


async def _deliver_message(run: _Run, chat_id: int, ids: list[int]) -> str:
    """Rows → one message (or, for a list too long for one, a few in turn).

    The chat's own wait holds nothing; the rest (database work and the request) holds one
    of ``CONCURRENT_SENDS`` slots. Returns "blocked" when the chat refused it.
    """
    left = list(ids)
    attempts, backoff = 0, BACKOFF_START
    while left and attempts < MAX_ATTEMPTS:
        await run.pacer.wait_chat(chat_id)
        async with run.sending:
            composed = await _compose(run, left)
            if composed is None:
                return "skipped"
            outcome = await _attempt(run, chat_id, composed)
        if isinstance(outcome, str):
            if outcome == "blocked":
                await _fail_rest(run, [i for i in left if i not in composed.delivery_ids])
                return outcome
            left = [i for i in left if i not in composed.delivery_ids]
            attempts, backoff = 0, BACKOFF_START
            continue
        attempts += 1
        chat_id, wait = outcome
        if wait is None:  # a back-off for a request that never left
            wait, backoff = backoff, min(backoff * 2, BACKOFF_CAP)
        run.pacer.hold_chat(chat_id, wait)
    if left:
        log.info(
            "deliveries %s left pending after %s attempts",
            left,
            MAX_ATTEMPTS,
            extra={"delivery_id": left[0]},
        )
        return "pending"
    return "done"


async def _attempt(run: _Run, chat_id: int, composed: Composed) -> str | tuple[int, float | None]:
    """A final outcome, or (chat to retry in, seconds to wait; None = back off)."""
    deps, report, ids = run.deps, run.report, composed.delivery_ids

    async def claim() -> bool:
        async with deps.session_factory.begin() as session:
            return await start_sending(session, ids)

    result = await run.send(chat_id, composed.outgoing, claim)
    if result is None:
        return "taken"
    now = deps.clock.now()
    async with deps.session_factory.begin() as session:
        if result.kind == "sent":
            assert result.message_id is not None
            await mark_sent(session, ids, result.message_id, now)
            report.sent += len(ids)
            return "sent"
        if result.kind == "retry":
            await back_to_pending(session, ids, chat_id)
            run.pacer.too_many_requests(chat_id, result.retry_after)
            return chat_id, 0.0
        if result.kind == "migrated":
            assert result.new_chat_id is not None
            await migrate_chat(session, chat_id, result.new_chat_id)
            await back_to_pending(session, ids, result.new_chat_id)
            return result.new_chat_id, 0.0
        if result.kind == "not_sent":
            await back_to_pending(session, ids, chat_id)
            return chat_id, None
        if result.kind == "unknown":
            await mark_ambiguous(session, ids, result.error, now + run.resend_after)
        else:
            await mark_failed(session, ids, result.error, only_pending=False)
        if result.kind == "blocked":
            await deactivate_chat(session, chat_id, now)
            report.blocked_chats.append(chat_id)
            report.blocked.append((composed.assignment_id, chat_id))
    if result.kind == "unknown":
        log.warning(
            "deliveries %s ended unknown (sent again later if they have a resend left): %s",
            list(ids),
            result.error,
            extra={"delivery_id": ids[0], "chat_id": chat_id},
        )
        report.unknown += len(ids)
    else:
        log.warning("message to chat %s ended %s: %s", chat_id, result.kind, result.error)
        report.failed += len(ids)
    return result.kind


async def _tell_office(run: _Run) -> None:
    """A chat became unreachable: the office hears of it once per chat and task."""
    deps = run.deps
    async with deps.session_factory.begin() as session:
        claims = await claim_blocked_notices(session, run.report.blocked, deps.clock.now())
    if claims:
        notices = await deliver(run.bot, deps, [c.delivery_id for c in claims], dict(claims))
        run.report.add(notices)


def _seconds(value: object) -> float:
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[arg-type]
    return max(0.0, min(seconds, RETRY_AFTER_CAP))
