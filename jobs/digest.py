"""The weekly digest (default Monday 08:00 local, ``DIGEST_CRON``) through PTB's JobQueue.

The callbacks only do I/O: services.summaries builds the content and records the
"digest.sent" event in the same transaction; the messages go out after the commit.

At most once, by choice: "digest.sent" is committed *before* the messages are sent. A
crash (or a lost database) between that commit and the sends loses that week's digest,
and the next one starts from the recorded time; it never sends a digest twice. A repeated
digest to every supervisor and unit is the worse failure, and per-chat delivery rows
(as the reminder ledger keeps) are more machinery than a weekly summary needs.

Only the leader sends (``Runtime.leader``, kept in step with the scheduler lease by the
runner); on a standby every callback returns at once. "digest.sent" is also what makes
the schedule durable and hand-over safe: :func:`send_weekly_digest_if_due` sends the
latest scheduled digest only if none was recorded since its time, and it runs at the
scheduled time, shortly after start-up and every :data:`CHECK_EVERY` seconds. So a
digest whose time passed while the bot was down, or while no process held the lease
(the leader died just before it), goes out once, late (within ``CATCHUP_HOURS``, and
always within :data:`MISFIRE_GRACE`), from whichever process leads then. In one process
a lock keeps two checks from both sending; across processes the lease does.

A digest whose time falls on a non-working day (a weekend, a public holiday, an
EXTRA_DAYS_OFF day: ``services.workdays``) is not sent then but moves to the same time on
the next working day, where the periodic check sends it (within :data:`CHECK_EVERY`); two
scheduled times that move to the same day give one digest.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.cron import CronTrigger

from bot import texts
from bot.context import DEPS_KEY, AnyApplication, AppContext, Deps
from bot.notifier import send_direct
from bot.outgoing import Outgoing
from bot.splitting import split_message
from services.summaries import last_digest_at, prepare_weekly_digest
from services.workdays import WorkingCalendar

log = logging.getLogger(__name__)

JOB_NAME = "send_weekly_digest"
CHECK_JOB_NAME = "check_weekly_digest"
# How often a process checks for a digest that no one sent (a leader that died before
# its time, a restart): the latest is this late, plus the lease's hand-over.
CHECK_EVERY = 300
LOCK_KEY = "weekly_digest_lock"
# The scheduled run may start this late (a slow restart, a busy event loop) and still send,
# whatever CATCHUP_HOURS says.
MISFIRE_GRACE = timedelta(hours=1)


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


def on_working_day(moment: datetime, calendar: WorkingCalendar, tz: tzinfo) -> datetime:
    """``moment``, or the same local time on the next working day when it falls on a day off."""
    local = moment.astimezone(tz)
    day = calendar.next_working_day(local.date())
    if day == local.date():
        return moment
    return datetime.combine(day, local.time(), tzinfo=tz).astimezone(moment.tzinfo)


def latest_due_fire(
    trigger: CronTrigger, now: datetime, calendar: WorkingCalendar, tz: tzinfo
) -> tuple[datetime, datetime] | None:
    """The latest scheduled time whose digest is due by ``now`` once moved off days off, as
    (scheduled time, moved time); looks back 32 days."""
    latest = None
    fire = trigger.get_next_fire_time(None, now - timedelta(days=32))
    while fire is not None and fire <= now:
        moved = on_working_day(fire, calendar, tz)
        if moved <= now:
            latest = (fire, moved)
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return latest


def digest_missed(
    last_sent: datetime | None, previous_fire: datetime | None, now: datetime, window: timedelta
) -> bool:
    """True when the last scheduled digest did not go out and is still recent enough to send."""
    if previous_fire is None or now - previous_fire > window:
        return False
    return last_sent is None or last_sent < previous_fire


def _lock(context: AppContext) -> asyncio.Lock:
    lock: asyncio.Lock = context.application.bot_data.setdefault(LOCK_KEY, asyncio.Lock())
    return lock


async def send_weekly_digest(context: AppContext) -> None:
    """Send the digest now (only on the leader); see the module's note on at-most-once."""
    if not context.deps.runtime.leader:
        return  # a standby: the process holding the scheduler lease sends
    async with _lock(context):
        await _prepare_and_send(context)


async def send_weekly_digest_if_due(context: AppContext) -> None:
    """Send the latest scheduled digest unless it was sent (by any process) or is too old."""
    deps = context.deps
    if not deps.runtime.leader:
        return
    async with _lock(context):
        now = deps.clock.now()
        async with deps.session_factory() as session:
            last_sent = await last_digest_at(session)
        due = latest_due_fire(digest_trigger(deps), now, deps.calendar, deps.settings.timezone)
        if due is None:
            return
        scheduled, moved = due
        window = max(timedelta(hours=deps.settings.catchup_hours), MISFIRE_GRACE)
        # Judged from the working day it moved to; "sent since" from the time it was due.
        if not digest_missed(last_sent, moved, now, window) or (
            last_sent is not None and last_sent >= scheduled
        ):
            return
        if now - moved > timedelta(seconds=CHECK_EVERY):
            log.info("weekly digest of %s was missed; sending it now", moved)
        await _prepare_and_send(context)


async def _prepare_and_send(context: AppContext) -> None:
    deps = context.deps
    tz = deps.settings.timezone
    # "digest.sent" commits here, before any message goes out: at most once.
    async with deps.session_factory.begin() as session:
        plan = await prepare_weekly_digest(session, now=deps.clock.now(), tz=tz)
    digest = pieces(texts.weekly_digest(plan.digest, tz))
    messages = [(chat_id, digest) for chat_id in plan.office_chats]
    for unit in plan.units:
        unit_text = pieces(texts.unit_weekly(unit))
        messages += [(chat_id, unit_text) for chat_id in unit.chat_ids]
    # Paced like every other send, and a chat that blocked the bot is deactivated.
    report = await send_direct(context.bot, deps, messages)
    log.info(
        "weekly digest: %d messages to %d office members and %d units",
        report.sent,
        len(plan.office_chats),
        len(plan.units),
    )


def pieces(text: str) -> list[Outgoing]:
    return [Outgoing(piece) for piece in split_message(text)]


def register(application: AnyApplication, *, periodic: bool = True) -> None:
    """Schedule the digest on ``settings.digest_cron`` in ``settings.timezone``.

    Like the reminder tick, only on the system clock (``periodic``): tests with a fixed
    clock call :func:`send_weekly_digest` or :func:`send_weekly_digest_if_due` themselves.
    """
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the weekly digest needs python-telegram-bot[job-queue]")
    if not periodic:
        return
    deps: Deps = application.bot_data[DEPS_KEY]
    job_queue.run_custom(
        send_weekly_digest_if_due,  # type: ignore[arg-type]
        job_kwargs={
            "trigger": digest_trigger(deps),
            # A late start (a slow restart) still sends within the hour; the periodic
            # check below covers anything later.
            "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
            "coalesce": True,
            "max_instances": 1,
        },
        name=JOB_NAME,
    )
    # Shortly after start-up (once the runner has had a chance to take the lease), then
    # every CHECK_EVERY seconds: a digest the bot was down for, or that a dead leader
    # never sent, goes out from whichever process leads now.
    job_queue.run_repeating(
        send_weekly_digest_if_due,  # type: ignore[arg-type]
        interval=CHECK_EVERY,
        first=15,
        name=CHECK_JOB_NAME,
    )
