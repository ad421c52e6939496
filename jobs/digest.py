"""The weekly digest (default Monday 08:00 local, ``DIGEST_CRON``) through PTB's JobQueue.

The callback only does I/O: services.summaries builds the content and records the
"digest.sent" event (the start of the next digest's "since", durable across restarts) in one
transaction; the messages go out after the commit.
"""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from telegram.error import TelegramError
from telegram.ext import Job, JobQueue

from bot import texts
from bot.context import AppContext, Deps
from bot.handlers.summaries import split_message
from services.summaries import prepare_weekly_digest

log = logging.getLogger(__name__)

JOB_NAME = "send_weekly_digest"


async def _send(context: AppContext, chat_id: int, text: str) -> bool:
    """Send one message in pieces; a chat that fails is logged and skipped, never fatal."""
    try:
        for piece in split_message(text):
            await context.bot.send_message(
                chat_id, piece, parse_mode="HTML", disable_web_page_preview=True
            )
    except TelegramError as error:
        log.warning("weekly digest to chat %s failed: %s", chat_id, error)
        return False
    return True


async def send_weekly_digest(context: AppContext) -> None:
    deps = context.deps
    tz = deps.settings.timezone
    async with deps.session_factory.begin() as session:
        plan = await prepare_weekly_digest(session, now=deps.clock.now(), tz=tz)
    digest_text = texts.weekly_digest(plan.digest, tz)
    sent = 0
    for chat_id in plan.supervisor_chats:
        sent += await _send(context, chat_id, digest_text)
    for unit in plan.units:
        unit_text = texts.unit_weekly(unit)
        for chat_id in unit.chat_ids:
            sent += await _send(context, chat_id, unit_text)
    log.info(
        "weekly digest sent to %d chats (%d supervisors, %d units)",
        sent,
        len(plan.supervisor_chats),
        len(plan.units),
    )


def register(job_queue: JobQueue[Any], deps: Deps) -> Job[Any]:
    """Schedule the digest on ``settings.digest_cron`` in ``settings.timezone``."""
    trigger = CronTrigger.from_crontab(deps.settings.digest_cron, timezone=deps.settings.timezone)
    return job_queue.run_custom(
        send_weekly_digest,  # type: ignore[arg-type]
        job_kwargs={"trigger": trigger},
        name=JOB_NAME,
    )
