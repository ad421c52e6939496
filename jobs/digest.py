"""The weekly digest (default Monday 08:00 local, ``DIGEST_CRON``) through PTB's JobQueue.

The callbacks only do I/O: services.summaries builds the content and records the
"digest.sent" event in the same transaction; the messages go out after the commit. That
event is also what makes the schedule durable: at start-up, a digest whose time passed
while the bot was down (within ``CATCHUP_HOURS``) is sent once, late, instead of skipped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from telegram.error import TelegramError

from bot import texts
from bot.context import DEPS_KEY, AnyApplication, AppContext, Deps
from bot.handlers.summaries import split_message
from services.summaries import last_digest_at, prepare_weekly_digest

log = logging.getLogger(__name__)

JOB_NAME = "send_weekly_digest"


def digest_trigger(deps: Deps) -> CronTrigger:
    return CronTrigger.from_crontab(deps.settings.digest_cron, timezone=deps.settings.timezone)


def previous_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The schedule's last time at or before ``now`` (looking back at most 32 days)."""
    previous = None
    fire = trigger.get_next_fire_time(None, now - timedelta(days=32))
    while fire is not None and fire <= now:
        previous = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return previous


def digest_missed(
    last_sent: datetime | None, previous_fire: datetime | None, now: datetime, window: timedelta
) -> bool:
    """True when the last scheduled digest did not go out and is still recent enough to send."""
    if previous_fire is None or now - previous_fire > window:
        return False
    return last_sent is None or last_sent < previous_fire


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
        "weekly digest: %d messages to %d supervisors and %d units",
        sent,
        len(plan.supervisor_chats),
        len(plan.units),
    )


async def catch_up_weekly_digest(context: AppContext) -> None:
    """At start-up: send the digest the bot was down for, once."""
    deps = context.deps
    now = deps.clock.now()
    async with deps.session_factory() as session:
        last_sent = await last_digest_at(session)
    previous = previous_fire_time(digest_trigger(deps), now)
    if digest_missed(last_sent, previous, now, timedelta(hours=deps.settings.catchup_hours)):
        log.info("weekly digest of %s was missed; sending it now", previous)
        await send_weekly_digest(context)


def register(application: AnyApplication, *, periodic: bool = True) -> None:
    """Schedule the digest on ``settings.digest_cron`` in ``settings.timezone``.

    Like the reminder tick, only on the system clock (``periodic``): tests with a fixed
    clock call :func:`send_weekly_digest` themselves.
    """
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the weekly digest needs python-telegram-bot[job-queue]")
    if not periodic:
        return
    deps: Deps = application.bot_data[DEPS_KEY]
    job_queue.run_custom(
        send_weekly_digest,  # type: ignore[arg-type]
        job_kwargs={
            "trigger": digest_trigger(deps),
            # A late start (a slow restart) still sends within the hour; later ones are
            # caught up at start-up by catch_up_weekly_digest.
            "misfire_grace_time": 3600,
            "coalesce": True,
            "max_instances": 1,
        },
        name=JOB_NAME,
    )
    job_queue.run_once(catch_up_weekly_digest, when=5, name="catch_up_weekly_digest")  # type: ignore[arg-type]
