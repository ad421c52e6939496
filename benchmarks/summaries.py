"""Benchmark /tonghop (grouped counts + chart) and /xuat (workbook) on 100,000 assignments.

    .venv/bin/python benchmarks/summaries.py                      # temporary SQLite file
    .venv/bin/python benchmarks/summaries.py --database-url postgresql://postgres@127.0.0.1:5432/test

With PostgreSQL the URL only says where the server is: the data goes into a separate
database (``nhacviec_bench``) created and dropped here, so the test database is untouched.
Each figure is the median of three runs after one warm-up run (imports, font cache).
The last line is ``tonghop_s=<seconds> xuat_s=<seconds>``; targets: under 1 s and 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.handlers.summaries import CHART_LABELS, WORKBOOK_LABELS
from models import Assignment, Dispatch, Person, Task, Unit
from models.db import async_url, create_engine, create_session_factory, sqlite_url
from models.migrate import upgrade_engine
from services.charts import render_chart
from services.summaries import export_rows, local_today, status_summary
from services.workbook import build_workbook

BENCH_DATABASE = "nhacviec_bench"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 10, 15, 3, 0, tzinfo=UTC)
TASKS_PER_DISPATCH = 50
UNITS_PER_TASK = 2
BATCH = 10_000


def _batches(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


async def populate(engine: AsyncEngine, units: int, assignments: int) -> None:
    """Units, their heads, dispatches, tasks and assignments in every category."""
    rng = random.Random(42)
    today = local_today(NOW, TZ)
    tasks = assignments // UNITS_PER_TASK
    dispatches = max(1, tasks // TASKS_PER_DISPATCH)
    unit_rows = [
        {"id": i, "name": f"Đơn vị số {i:04d}", "aliases": []} for i in range(1, units + 1)
    ]
    head_rows = [
        {
            "telegram_user_id": 10_000 + i,
            "name": f"Trưởng đơn vị {i}",
            "role": "head",
            "unit_id": i,
            "created_at": NOW,
        }
        for i in range(1, units + 1)
    ]
    dispatch_rows = [
        {
            "id": i,
            "status": "active",
            "kind": "cong_van",
            "number": f"{i}/KH-UBND",
            "issuer": "UBND thành phố",
            "issued_on": date(2025, 1, 1) + timedelta(days=i % 280),
            "subject": f"V/v triển khai nhiệm vụ số {i}",
            "recipients": [],
            "created_at": NOW - timedelta(days=30),
            "confirmed_at": NOW - timedelta(days=30, minutes=-i),
            "version": 1,
        }
        for i in range(1, dispatches + 1)
    ]
    task_rows = [
        {
            "id": i,
            "dispatch_id": (i - 1) // TASKS_PER_DISPATCH + 1,
            "position": (i - 1) % TASKS_PER_DISPATCH + 1,
            "ref": str((i - 1) % TASKS_PER_DISPATCH + 1),
            "text": f"Nội dung nhiệm vụ {i}: báo cáo kết quả thực hiện và đề xuất giải pháp",
            "lead_written": [],
            "support_written": [],
            "lead_unmatched": [],
            "edited": False,
        }
        for i in range(1, tasks + 1)
    ]
    assignment_rows = []
    for task_id in range(1, tasks + 1):
        for unit_id in rng.sample(range(1, units + 1), UNITS_PER_TASK):
            due = None if rng.random() < 0.1 else today + timedelta(days=rng.randint(-40, 40))
            extended = due is not None and rng.random() < 0.1
            done = rng.random() < 0.5
            done_on = (due or today) + timedelta(days=rng.randint(-10, 5)) if done else None
            if done_on is not None and done_on > today:
                done_on = today
            assignment_rows.append(
                {
                    "task_id": task_id,
                    "unit_id": unit_id,
                    "status": "done" if done else rng.choice(["open", "extension_requested"]),
                    "due_on": due,
                    "original_due_on": due - timedelta(days=7) if extended and due else due,
                    "recurring": False,
                    "assigned_at": NOW - timedelta(days=30),
                    "done_at": datetime.combine(done_on, datetime.min.time(), UTC)
                    if done_on
                    else None,
                    "done_on": done_on,
                    "note": "Đã hoàn thành, gửi kèm báo cáo" if done else None,
                    "version": 1,
                }
            )
    async with engine.begin() as conn:
        for table, rows in (
            (Unit.__table__, unit_rows),
            (Person.__table__, head_rows),
            (Dispatch.__table__, dispatch_rows),
            (Task.__table__, task_rows),
            (Assignment.__table__, assignment_rows),
        ):
            for batch in _batches(rows):
                await conn.execute(insert(table), batch)
        # Planner statistics, as a database in use would have them.
        await conn.execute(text("ANALYZE"))


async def timed(label: str, run: Callable[[], Awaitable[Any]]) -> float:
    """Median wall time of three runs; the CPU time this process used is printed too,
    since wall time on a shared machine also counts other processes' turns."""
    await run()  # warm-up: imports, font cache, query plans
    times, cpu = [], []
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        await run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    median = statistics.median(times)
    print(
        f"{label}: "
        + ", ".join(f"{t:.3f}" for t in times)
        + f" s (median {median:.3f}); this process's CPU: "
        + ", ".join(f"{t:.3f}" for t in cpu)
        + " s"
    )
    return median


async def measure(url: str, units: int, assignments: int) -> tuple[float, float]:
    engine = create_engine(url)
    try:
        await upgrade_engine(engine)
        start = time.perf_counter()
        await populate(engine, units, assignments)
        print(
            f"populated {units} units, {assignments} assignments in "
            f"{time.perf_counter() - start:.1f} s ({engine.dialect.name})"
        )
        factory = create_session_factory(engine)
        today = local_today(NOW, TZ)

        async def tonghop() -> None:
            async with factory() as session:
                summary = await status_summary(session, today=today)
            assert summary.total.total == assignments
            await asyncio.to_thread(render_chart, summary.by_unit, CHART_LABELS)

        async def xuat() -> None:
            async with factory() as session:
                summary = await status_summary(session, today=today)
                rows = await export_rows(session, today=today)
            assert len(rows) == assignments
            data = await asyncio.to_thread(build_workbook, summary, rows, WORKBOOK_LABELS, tz=TZ)
            assert data[:2] == b"PK"

        return await timed("tonghop", tonghop), await timed("xuat", xuat)
    finally:
        await engine.dispose()


async def _admin(url: str, statement: str) -> None:
    engine = create_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--assignments", type=int, default=100_000)
    args = parser.parse_args()
    if args.database_url and not args.database_url.startswith("sqlite"):
        server = async_url(args.database_url)
        bench = make_url(server).set(database=BENCH_DATABASE).render_as_string(hide_password=False)
        await _admin(server, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        await _admin(server, f"CREATE DATABASE {BENCH_DATABASE}")
        try:
            tonghop_s, xuat_s = await measure(bench, args.units, args.assignments)
        finally:
            await _admin(server, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    else:
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or sqlite_url(Path(folder) / "bench.db")
            tonghop_s, xuat_s = await measure(url, args.units, args.assignments)
    print(f"tonghop_s={tonghop_s:.3f} xuat_s={xuat_s:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
