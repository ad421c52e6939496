"""Sending ledger deliveries to Telegram and mapping its answers to ledger states.

One asyncio task per chat, so a slow or failing chat never holds up the others; within
a chat, messages go one after another. Telegram's global and group limits are paced by
PTB's AIORateLimiter; 429s it could not absorb, 403, 400 migrate and network errors are
handled here.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import keyboards, texts
from bot.context import Deps
from services.deliveries import (
    NEW_TASK_SLOT,
    DeliveryStatus,
    back_to_pending,
    deactivate_chat,
    finish,
    migrate_chat,
    start_sending,
)
from services.messages import DeliveryFacts, delivery_facts

log = logging.getLogger(__name__)

# How many chats are written to at once; Telegram's global limit paces them anyway.
CONCURRENT_CHATS = 32
MAX_ATTEMPTS = 5


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    blocked_chats: list[int] = field(default_factory=list)


Composer = Callable[[DeliveryFacts], tuple[str, InlineKeyboardMarkup | None]]


def compose_new_task(facts: DeliveryFacts) -> tuple[str, InlineKeyboardMarkup | None]:
    title = texts.dispatch_title(facts.dispatch_kind, facts.dispatch_number, facts.dispatch_subject)
    text = texts.new_task(
        title,
        facts.dispatch_subject,
        facts.task_ref,
        facts.task_text,
        texts.deadline_text(facts.due_on, facts.due_phrase),
    )
    return text, keyboards.task_buttons(facts.assignment_id, facts.has_original)


COMPOSERS: dict[str, Composer] = {NEW_TASK_SLOT: compose_new_task}


def composer_for(slot: str) -> Composer:
    return COMPOSERS.get(slot.split(":", 1)[0], compose_new_task)


async def deliver(
    bot: Bot, deps: Deps, delivery_ids: Sequence[int], chat_of: dict[int, int]
) -> DeliveryReport:
    """Send the given pending deliveries (``chat_of`` maps delivery id → chat id)."""
    by_chat: dict[int, list[int]] = defaultdict(list)
    for delivery_id in delivery_ids:
        by_chat[chat_of[delivery_id]].append(delivery_id)
    report = DeliveryReport()
    limit = asyncio.Semaphore(CONCURRENT_CHATS)

    async def one_chat(ids: list[int]) -> None:
        async with limit:
            for delivery_id in ids:
                await _deliver_one(bot, deps, delivery_id, report)

    await asyncio.gather(*(one_chat(ids) for ids in by_chat.values()))
    return report


async def _deliver_one(bot: Bot, deps: Deps, delivery_id: int, report: DeliveryReport) -> None:
    for _attempt in range(MAX_ATTEMPTS):
        async with deps.session_factory.begin() as session:
            if not await start_sending(session, delivery_id):
                return
            facts = await delivery_facts(session, delivery_id)
        if facts is None:
            return
        text, markup = composer_for(facts.slot)(facts)
        now = deps.clock.now
        try:
            message = await bot.send_message(
                facts.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        except RetryAfter as error:
            # Not delivered: Telegram refused before accepting it. Wait and try again.
            async with deps.session_factory.begin() as session:
                await back_to_pending(session, delivery_id, facts.chat_id)
            await asyncio.sleep(_seconds(error.retry_after))
            continue
        except ChatMigrated as error:
            async with deps.session_factory.begin() as session:
                await migrate_chat(session, facts.chat_id, error.new_chat_id)
                await back_to_pending(session, delivery_id, error.new_chat_id)
            continue
        except Forbidden as error:
            async with deps.session_factory.begin() as session:
                await finish(session, delivery_id, DeliveryStatus.FAILED, now(), error=str(error))
                await deactivate_chat(session, facts.chat_id, now())
            report.failed += 1
            report.blocked_chats.append(facts.chat_id)
            return
        except BadRequest as error:
            async with deps.session_factory.begin() as session:
                await finish(session, delivery_id, DeliveryStatus.FAILED, now(), error=str(error))
                if "chat not found" in str(error).lower():
                    await deactivate_chat(session, facts.chat_id, now())
            report.failed += 1
            return
        except (TimedOut, NetworkError) as error:
            # The request may have reached Telegram: resending could duplicate it.
            async with deps.session_factory.begin() as session:
                await finish(session, delivery_id, DeliveryStatus.UNKNOWN, now(), error=str(error))
            log.warning("delivery %s ended unknown: %s", delivery_id, error)
            report.failed += 1
            return
        async with deps.session_factory.begin() as session:
            await finish(
                session, delivery_id, DeliveryStatus.SENT, now(), message_id=message.message_id
            )
        report.sent += 1
        return
    async with deps.session_factory.begin() as session:
        await finish(
            session, delivery_id, DeliveryStatus.PENDING, deps.clock.now(), error="retry later"
        )


def _seconds(value: object) -> float:
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[arg-type]
    return max(0.0, min(seconds, 60.0))
