"""Scheduler glue for reminders: a periodic tick and the start-up recovery.

The JobQueue only drives time; what is due lives in the database (``services.reminders``).

* ``recover_interrupted_deliveries`` (once, at start-up, and again whenever this process
  takes over the scheduler lease): rows a crash left in "sending" become "unknown" and are
  never resent; "pending" rows are simply sent by the next tick.
* ``send_due_reminders`` (every TICK_SECONDS): in one transaction plan and claim what is
  due, commit, then send every pending row that is due (this tick's and any left over).
  It does nothing unless this process leads (``Runtime.leader``), waits for the recovery,
  never runs twice at once, does nothing during quiet hours, and stamps
  ``Runtime.last_tick`` for the health check.

Crash guarantee (per ledger row, i.e. per assignment, slot and chat):

* crash before the planning transaction commits: nothing was claimed; the next tick
  plans the same slots again (within the catch-up window);
* crash after the claim, before the row is marked "sending": the row is "pending" and the
  first tick after the restart sends it (a reminder older than the catch-up window is
  skipped as stale instead; a new-task announcement is always sent);
* crash after "sending" was committed (the request may be in flight, or Telegram may have
  accepted it before the "sent" commit): the recovery makes it "unknown" and it is never
  resent. Rows are claimed right before their request, inside the pacer's turn, so this
  can only be the requests in flight at the moment of the crash (at most
  ``bot.notifier.CONCURRENT_SENDS``).

So: never twice; at least once for everything except those few in-flight requests.

Registration (``jobs.register``, called by ``build_application``): the recovery is always
registered; the periodic tick only when the application runs on the system clock. With an
injected clock (the end-to-end tests, the benchmark) time does not move by itself, so a
wall-time tick would only fire at arbitrary moments of a test: there the caller drives
ticks by calling :func:`run_tick` after ``clock.set(...)``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot

from bot.context import DEPS_KEY, AnyApplication, AppContext, Deps
from bot.notifier import DeliveryReport, deliver
from bot.settings import Settings
from services.deliveries import deliverable, mark_interrupted, release_ambiguous
from services.periods import plan_obligations
from services.reminders import ReminderPolicy, in_quiet_hours, plan_due_deliveries
from services.workdays import WorkingCalendar

log = logging.getLogger(__name__)

RECOVERED_KEY = "reminders_recovered"
RECOVERY_LOCK_KEY = "reminders_recovery_lock"
TICK_LOCK_KEY = "reminders_tick_lock"


def policy_from(settings: Settings, calendar: WorkingCalendar | None = None) -> ReminderPolicy:
    return ReminderPolicy(
        tz=settings.timezone,
        reminder_time=settings.reminder_time,
        offsets_days=settings.reminder_offsets_days,
        calendar=calendar or settings.calendar(),
        quiet_start=settings.quiet_start,
        quiet_end=settings.quiet_end,
        overdue_every_days=settings.overdue_every_days,
        overdue_max_reminders=settings.overdue_max_reminders,
        escalate_after_days=settings.escalate_after_days,
        catchup_hours=settings.catchup_hours,
    )


@dataclass
class TickReport:
    claimed: int = 0
    to_send: int = 0
    plan_seconds: float = 0.0
    quiet: bool = False
    delivery: DeliveryReport | None = None


async def recover(deps: Deps) -> int:
    """Start-up: "sending" rows of a previous run become "unknown", resent later marked."""
    resend_at = deps.clock.now() + timedelta(seconds=deps.settings.ambiguous_resend_seconds)
    async with deps.session_factory.begin() as session:
        count = await mark_interrupted(session, resend_at)
    if count:
        log.warning(
            "%s deliveries were interrupted by a restart: unknown, sent again at %s if they "
            "have a resend left",
            count,
            resend_at,
        )
    return count


async def run_tick(bot: Bot, deps: Deps, policy: ReminderPolicy | None = None) -> TickReport:
    """Plan and claim what is due at ``deps.clock.now()``, commit, then send."""
    policy = policy or policy_from(deps.settings, deps.calendar)
    now = deps.clock.now()
    report = TickReport()
    if in_quiet_hours(now, policy):
        report.quiet = True
        return report
    started = time.perf_counter()
    async with deps.session_factory.begin() as session:
        claims = await plan_due_deliveries(session, now, policy)
        periodic = await plan_obligations(session, now, policy)
    report.plan_seconds = time.perf_counter() - started
    report.claimed = len(claims) + periodic
    async with deps.session_factory.begin() as session:
        await release_ambiguous(session, now, deps.settings.ambiguous_resends)
        due = await deliverable(session, now, policy.window)
    report.to_send = len(due)
    if due:
        report.delivery = await deliver(bot, deps, [d.delivery_id for d in due], dict(due))
    return report


async def _recover_when_leading(application: AnyApplication) -> bool:
    """Recover once each time this process (re)gains the scheduler lease; True if leading.

    A lone process always leads (``Runtime.leader`` defaults to True). With several, the
    new leader turns the rows a dead leader left "sending" into "unknown".
    """
    deps: Deps = application.bot_data[DEPS_KEY]
    lock = application.bot_data.setdefault(RECOVERY_LOCK_KEY, asyncio.Lock())
    async with lock:
        if not deps.runtime.leader:
            application.bot_data[RECOVERED_KEY] = False
            return False
        if not application.bot_data.get(RECOVERED_KEY):
            await recover(deps)
            application.bot_data[RECOVERED_KEY] = True
        return True


async def recover_interrupted_deliveries(context: AppContext) -> None:
    await _recover_when_leading(context.application)


async def send_due_reminders(context: AppContext) -> None:
    application = context.application
    if not await _recover_when_leading(application):
        return  # another process holds the scheduler lease
    lock = application.bot_data.setdefault(TICK_LOCK_KEY, asyncio.Lock())
    if lock.locked():  # the previous tick is still sending; it will take the new rows too
        return
    async with lock:
        deps: Deps = application.bot_data[DEPS_KEY]
        report = await run_tick(context.bot, deps)
        deps.runtime.last_tick = deps.clock.now()
    if report.claimed or report.to_send:
        log.info(
            "tick: claimed %s, sent %s of %s (planning %.3f s)",
            report.claimed,
            report.delivery.sent if report.delivery else 0,
            report.to_send,
            report.plan_seconds,
        )


def register(application: AnyApplication, *, periodic: bool) -> None:
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the reminder jobs need python-telegram-bot[job-queue]")
    job_queue.run_once(
        recover_interrupted_deliveries, when=0, name="recover_interrupted_deliveries"
    )
    if periodic:
        settings: Settings = application.bot_data[DEPS_KEY].settings
        job_queue.run_repeating(
            send_due_reminders,
            interval=settings.tick_seconds,
            first=1,
            name="send_due_reminders",
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
