"""Reminder engine figures: fan-out throughput and the planning cost of one tick.

    .venv/bin/python benchmarks/reminders.py                       # SQLite in a temp folder
    .venv/bin/python benchmarks/reminders.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/nhacviec_bench_rem

1. Fan-out: 3,000 reminders to 3,000 private chats through the local fake Bot API server
   enforcing Telegram's limits (30 msg/s overall, 1 msg/s per chat, 20 msg/min per group;
   429 beyond), sent by the real application (AIORateLimiter + the notifier's pacer).
   Achieved msg/s is reported as a ratio of 30; lost = reminders never delivered,
   duplicated = extra deliveries to one chat.
2. Planning: one tick (``plan_due_deliveries``) with 100,000 open assignments, deadlines
   spread over ±60 days, 2% recurring, 3,000 unit chats and 5 supervisors (overdue lists and
   escalations are claimed for them too), then a worst case with every assignment due now.
3. Periodic obligations: 100,000 of them (70% monthly before the 20th, 10% quarterly, 10%
   twice a year, 5% weekly, 5% daily) through the whole tick (``plan_due_deliveries`` +
   ``services.periods.plan_obligations``) beside 100,000 assignments with deadlines. The
   first periods are opened as confirming does (timed apart); then the first tick, a
   tick a minute later (changes nothing), the tick when the monthly reminder falls due
   claims it for 70,000 periods, and the tick after the 19th: 90% of January's periods were
   reported (each completion opened February's period at once, as ``record_completion``
   does), so it opens the February periods of the other 10% and claims their overdue
   reminders and the supervisors' late lists.
   Checked: every period opened exactly once, every reminder claimed exactly once.
   ``obligations_ratio`` = the slowest of these ticks ÷ the plain 100,000-assignment tick
   of (2), measured in the same run.

For PostgreSQL the named database is created (and dropped at the end) through an
AUTOCOMMIT connection to the server's ``postgres`` database; nothing touches another one.
Ends with one line: ``ratio=<msg/s ÷ 30> lost=<n> duplicated=<n> tick_s=<seconds>
obligations_tick_s=<seconds> obligations_ratio=<×> obligations_lost=<n>
obligations_duplicated=<n>`` (tick_s = planning of the 100,000-assignment tick).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from sqlalchemy import delete, func, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine  # noqa: E402

from bot.context import DEPS_KEY, Deps  # noqa: E402
from bot.settings import Settings  # noqa: E402
from jobs.reminders import policy_from, run_tick  # noqa: E402
from models import (  # noqa: E402
    Assignment,
    Contact,
    Dispatch,
    Period,
    Person,
    ReminderDelivery,
    Task,
    Unit,
)
from models.db import async_url, create_engine, create_session_factory, sqlite_url  # noqa: E402
from models.migrate import upgrade_engine  # noqa: E402
from nhacviec.app import build_application  # noqa: E402
from services.periods import _open as open_period  # noqa: E402
from services.periods import (  # noqa: E402
    next_span,
    open_current_periods,
    parse_rule,
    plan_obligations,
)
from services.reminders import plan_due_deliveries  # noqa: E402
from tests.fakes import FixedClock, RateLimits, running_fake_bot_api  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2026, 1, 16)  # a Friday
AT = datetime(2026, 1, 16, 1, 1, tzinfo=UTC)  # 08:01 local
ASSIGNED = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
CHUNK = 5000


async def create_database(url: str) -> None:
    parsed = make_url(async_url(url))
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
        await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    await admin.dispose()


async def drop_database(url: str) -> None:
    parsed = make_url(async_url(url))
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    await admin.dispose()


async def empty(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        for table in (
            "reminder_deliveries",
            "periods",
            "assignments",
            "tasks",
            "dispatches",
            "contacts",
            "people",
            "units",
        ):
            await conn.execute(text(f"DELETE FROM {table}"))


async def bulk(engine: AsyncEngine, model: type, rows: list[dict]) -> None:
    async with engine.begin() as conn:
        for start in range(0, len(rows), CHUNK):
            await conn.execute(insert(model), rows[start : start + CHUNK])


async def seed(
    engine: AsyncEngine, units: int, per_unit: int, due_of, recurring_every: int = 0
) -> int:  # type: ignore[no-untyped-def]
    """``units`` units with one head chat each and ``per_unit`` assignments per unit."""
    await bulk(
        engine, Unit, [{"id": u, "name": f"Đơn vị {u}", "aliases": []} for u in range(1, units + 1)]
    )
    await bulk(
        engine,
        Person,
        [
            {
                "id": u,
                "telegram_user_id": 10_000 + u,
                "name": f"Trưởng {u}",
                "role": "head",
                "unit_id": u,
                "created_at": ASSIGNED,
            }
            for u in range(1, units + 1)
        ],
    )
    await bulk(
        engine,
        Contact,
        [
            {
                "chat_id": 10_000 + u,
                "kind": "private",
                "person_id": u,
                "unit_id": u,
                "created_at": ASSIGNED,
            }
            for u in range(1, units + 1)
        ],
    )
    await bulk(
        engine,
        Dispatch,
        [
            {
                "id": 1,
                "status": "active",
                "kind": "cong_van",
                "number": "1/UBND",
                "recipients": [],
                "created_at": ASSIGNED,
            }
        ],
    )
    await bulk(
        engine,
        Task,
        [
            {
                "id": t,
                "dispatch_id": 1,
                "position": t,
                "ref": str(t),
                "text": f"Nhiệm vụ {t}",
                "lead_written": [],
                "support_written": [],
                "lead_unmatched": [],
            }
            for t in range(1, per_unit + 1)
        ],
    )
    rows = []
    n = 0
    for t in range(1, per_unit + 1):
        for u in range(1, units + 1):
            n += 1
            recurring = bool(recurring_every) and n % recurring_every == 0
            due = None if recurring else due_of(n)
            rows.append(
                {
                    "task_id": t,
                    "unit_id": u,
                    "status": "open",
                    "due_on": due,
                    "original_due_on": due,
                    "recurring": recurring,
                    "assigned_at": ASSIGNED,
                    "version": 1,
                }
            )
    await bulk(engine, Assignment, rows)
    return n


async def add_supervisors(engine: AsyncEngine, count: int) -> None:
    await bulk(
        engine,
        Person,
        [
            {
                "id": 900_000 + i,
                "telegram_user_id": 900_000 + i,
                "name": f"Lãnh đạo {i}",
                "role": "supervisor",
                "created_at": ASSIGNED,
            }
            for i in range(count)
        ],
    )
    await bulk(
        engine,
        Contact,
        [
            {
                "chat_id": 900_000 + i,
                "kind": "private",
                "person_id": 900_000 + i,
                "created_at": ASSIGNED,
            }
            for i in range(count)
        ],
    )


async def fan_out(engine: AsyncEngine, chats: int) -> tuple[float, int, int, int]:
    await empty(engine)
    await seed(engine, chats, 1, lambda n: DUE)
    clock = FixedClock(AT)
    async with running_fake_bot_api(clock=clock, rate_limits=RateLimits.telegram()) as api:
        settings = replace(
            Settings(telegram_bot_token=api.token),
            telegram_base_url=api.api_url,
            telegram_base_file_url=api.file_url,
        )
        app = build_application(settings, engine, clock=clock)
        async with app:
            deps: Deps = app.bot_data[DEPS_KEY]
            started = time.perf_counter()
            report = await run_tick(app.bot, deps)
            elapsed = time.perf_counter() - started
        sent_calls = Counter(c["chat_id"] for c in api.calls_of("sendMessage"))
        delivered = Counter(
            m["chat"]["id"]
            for chat in range(10_001, 10_001 + chats)
            for m in api.sent_messages(chat)
        )
        too_many = sum(1 for e in api.errors if e.error_code == 429)
    async with create_session_factory(engine)() as session:
        statuses = Counter(await session.scalars(select(ReminderDelivery.status)))
    lost = chats - len(delivered)
    duplicated = sum(n - 1 for n in delivered.values() if n > 1)
    rate = sum(delivered.values()) / elapsed
    print(
        f"fan-out: {sum(delivered.values())} delivered to {len(delivered)} chats "
        f"in {elapsed:.1f} s "
        f"= {rate:.2f} msg/s (ratio {rate / 30:.3f}); requests {sum(sent_calls.values())}, "
        f"429 answers {too_many}; ledger {dict(statuses)}; planning {report.plan_seconds:.3f} s",
        flush=True,
    )
    return rate / 30, lost, duplicated, too_many


async def planning(engine: AsyncEngine, assignments: int, units: int) -> float:
    policy = policy_from(Settings(telegram_bot_token=None))
    per_unit = -(-assignments // units)
    await empty(engine)
    created = await seed(engine, units, per_unit, lambda n: DUE + timedelta(days=n % 121 - 60), 50)
    await add_supervisors(engine, 5)
    factory = create_session_factory(engine)
    await _analyze(engine)
    started = time.perf_counter()
    async with factory.begin() as session:
        claims = await plan_due_deliveries(session, AT, policy)
    spread = time.perf_counter() - started
    async with factory.begin() as session:
        again_started = time.perf_counter()
        again = await plan_due_deliveries(session, AT + timedelta(minutes=1), policy)
        again_s = time.perf_counter() - again_started
    print(
        f"planning, {created} open assignments (deadlines over ±60 days, 2% recurring): "
        f"{spread:.3f} s, {len(claims)} claimed; "
        f"the next tick {again_s:.3f} s, {len(again)} claimed",
        flush=True,
    )
    # Worst case: every assignment has a slot due now (all deadlines today).
    async with engine.begin() as conn:
        await conn.execute(delete(ReminderDelivery))
        await conn.execute(Assignment.__table__.update().values(due_on=DUE, recurring=False))
    await _analyze(engine)
    started = time.perf_counter()
    async with factory.begin() as session:
        worst = await plan_due_deliveries(session, AT, policy)
    worst_s = time.perf_counter() - started
    print(
        f"planning, worst case (all {created} due now): {worst_s:.3f} s, {len(worst)} claimed",
        flush=True,
    )
    return spread


# (rule, share in tenths of percent): 70% monthly, 10% quarterly, 10% twice a year, 5% weekly,
# 5% daily.
RULES = (
    ("month:19", 700),
    ("quarter:3:14", 100),
    ("year:6:9,year:12:9", 100),
    ("week:5", 50),
    ("day", 50),
)


def _rule_of(n: int) -> str:
    slot = n % 1000
    for rule, share in RULES:
        if slot < share:
            return rule
        slot -= share
    return RULES[0][0]


def _local(day: date, hour: int = 8, minute: int = 1) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


async def obligations(engine: AsyncEngine, count: int, units: int) -> tuple[float, int, int]:
    """Section 3; returns (slowest tick in seconds, lost, duplicated)."""
    policy = policy_from(Settings(telegram_bot_token=None))
    per_unit = -(-count // units)
    await empty(engine)
    # As many assignments with deadlines (spread over ±60 days, as in section 2) as there
    # are obligations: an office has both, and the planner's statistics see both.
    plain = per_unit * units
    await seed(
        engine,
        units,
        2 * per_unit,
        lambda n: DUE + timedelta(days=n % 121 - 60) if n <= plain else None,
    )
    await add_supervisors(engine, 5)
    async with engine.begin() as conn:
        ids = list(
            await conn.scalars(
                select(Assignment.id).where(Assignment.due_on.is_(None)).order_by(Assignment.id)
            )
        )
        created = len(ids)
        rules: dict[str, list[int]] = {}
        for n, assignment_id in enumerate(ids):
            rules.setdefault(_rule_of(n), []).append(assignment_id)
        for rule, members in rules.items():
            for start in range(0, len(members), CHUNK):
                await conn.execute(
                    update(Assignment)
                    .where(Assignment.id.in_(members[start : start + CHUNK]))
                    .values(period_rule=rule, recurring=True, due_on=None, original_due_on=None)
                )
    await _analyze(engine)
    factory = create_session_factory(engine)
    monthly = len(rules["month:19"])

    async def tick(at: datetime) -> tuple[float, int]:
        started = time.perf_counter()
        async with factory.begin() as session:
            claims = await plan_due_deliveries(session, at, policy)
            middle = time.perf_counter()
            periodic = await plan_obligations(session, at, policy)
        ended = time.perf_counter()
        print(f"  (deadlines {middle - started:.3f} s, obligations {ended - middle:.3f} s)")
        return ended - started, len(claims) + periodic

    figures = []
    first = _local(date(2026, 1, 5))  # Monday
    # Confirming a dispatch opens its first periods (services.drafts.confirm_draft); here
    # for all 100,000 at once, outside the ticks.
    started = time.perf_counter()
    async with factory.begin() as session:
        await open_current_periods(session, first - timedelta(hours=1), policy.tz)
    print(f"opening the first periods of all {created}: {time.perf_counter() - started:.3f} s")
    await _analyze(engine)
    figures.append(("the first tick", first, *await tick(first)))
    again = first + timedelta(minutes=1)
    figures.append(("a minute later", again, *await tick(again)))
    await _analyze(engine)

    async def quiet_days(first: date, last: date) -> None:
        """The ticks of the days in between (not timed): the bot runs every day."""
        day = first
        while day <= last:
            await tick(_local(day))
            day += timedelta(days=1)

    await quiet_days(date(2026, 1, 6), date(2026, 1, 15))
    # Friday 16/01: the reminder of the monthly period due Monday 19/01 (its D-1 and D-3).
    due = _local(date(2026, 1, 16))
    figures.append(("the monthly reminder falls due", due, *await tick(due)))
    # 90% of January's monthly periods are reported on time; the tick on Tuesday 20/01 opens
    # February's and claims the overdue reminders and late lists of the other 10%.
    async with engine.begin() as conn:
        january = list(
            await conn.scalars(select(Period.id).where(Period.key == "2026-01").order_by(Period.id))
        )
        reported = [p for i, p in enumerate(january) if i % 10]
        for start in range(0, len(reported), CHUNK):
            await conn.execute(
                update(Period)
                .where(Period.id.in_(reported[start : start + CHUNK]))
                .values(
                    status="done",
                    done_at=_local(date(2026, 1, 15), 10),
                    done_on=date(2026, 1, 15),
                )
            )
    # A completion opens the next period at once (services.completions): the same
    # statement, here for all of those units together.
    done_at = _local(date(2026, 1, 15), 10)
    february = next_span(parse_rule("month:19"), date(2026, 1, 19))
    async with factory.begin() as session:
        reported_assignments = list(
            await session.scalars(select(Period.assignment_id).where(Period.status == "done"))
        )
        for start in range(0, len(reported_assignments), CHUNK):
            chunk = reported_assignments[start : start + CHUNK]
            await open_period(session, "month:19", february, done_at, Assignment.id.in_(chunk))
    await _analyze(engine)
    await quiet_days(date(2026, 1, 17), date(2026, 1, 19))
    after = _local(date(2026, 1, 20))
    figures.append(("after the 19th: February opens, 10% late", after, *await tick(after)))
    for label, _, seconds, claimed in figures:
        print(
            f"obligations ({created}) and {plain} deadlines, {label}: {seconds:.3f} s, "
            f"{claimed} claimed",
            flush=True,
        )

    async with factory() as session:
        opened = dict(
            (
                await session.execute(
                    select(Period.key, func.count())
                    .where(Period.key.in_(["2026-01", "2026-02"]))
                    .group_by(Period.key)
                )
            ).all()
        )
        reminded = dict(
            (
                await session.execute(
                    select(ReminderDelivery.slot, func.count())
                    .join(Assignment, Assignment.id == ReminderDelivery.assignment_id)
                    .where(
                        ReminderDelivery.slot.in_(["due-1:2026-01-19", "over-1:2026-01-19"]),
                        Assignment.period_rule == "month:19",
                    )
                    .group_by(ReminderDelivery.slot)
                )
            ).all()
        )
    late = monthly - len(reported)
    # Only the monthly rule has periods keyed 2026-01 and 2026-02 (the others are 2026-Q1,
    # 2026-06, 2026-W…, 2026-01-05…).
    expected = {"2026-01": monthly, "2026-02": monthly}
    lost = sum(max(expected[k] - opened.get(k, 0), 0) for k in expected)
    lost += max(monthly - reminded.get("due-1:2026-01-19", 0), 0)
    lost += max(late - reminded.get("over-1:2026-01-19", 0), 0)
    duplicated = sum(max(opened.get(k, 0) - expected[k], 0) for k in expected)
    duplicated += max(reminded.get("over-1:2026-01-19", 0) - late, 0)
    print(
        f"obligations: periods opened {opened}, reminders {reminded} "
        f"(expected {monthly} monthly, {late} late)",
        flush=True,
    )
    return max(seconds for _, _, seconds, _ in figures), lost, duplicated


async def _analyze(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--chats", type=int, default=3000)
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--obligations", type=int, default=100_000)
    parser.add_argument("--skip-fan-out", action="store_true")
    args = parser.parse_args()
    postgres = bool(args.database_url and args.database_url.startswith("postgres"))
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or sqlite_url(Path(folder) / "bench.db")
        if postgres:
            await create_database(url)
        engine = create_engine(url)
        try:
            await upgrade_engine(engine)
            ratio, lost, duplicated = 0.0, 0, 0
            if not args.skip_fan_out:
                ratio, lost, duplicated, _ = await fan_out(engine, args.chats)
            tick_s = await planning(engine, args.assignments, args.units)
            obligation_s, obligations_lost, obligations_duplicated = await obligations(
                engine, args.obligations, args.units
            )
        finally:
            await engine.dispose()
            if postgres:
                await drop_database(url)
    print(
        f"ratio={ratio:.3f} lost={lost} duplicated={duplicated} tick_s={tick_s:.3f} "
        f"obligations_tick_s={obligation_s:.3f} "
        f"obligations_ratio={obligation_s / tick_s:.2f} "
        f"obligations_lost={obligations_lost} obligations_duplicated={obligations_duplicated}"
    )


if __name__ == "__main__":
    asyncio.run(main())
