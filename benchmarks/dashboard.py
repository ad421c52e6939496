"""Benchmark the dashboard's main API calls at 1,000 units × 100,000 assignments.

    .venv/bin/python benchmarks/dashboard.py                      # temporary SQLite file
    .venv/bin/python benchmarks/dashboard.py --database-url postgresql://postgres@127.0.0.1:5432/test

Real HTTP against the bot's own aiohttp app (initData checked, person looked up, JSON
encoded), as a supervisor who sees every unit; the data is benchmarks/summaries.py's.
Each call runs ``--runs`` times after one warm-up; the lines give median and p95 in ms and
the ratio of the median to the raw aggregate query (one ``GROUP BY unit_id`` with
``SUM(CASE ...)``, no ORM, no HTTP) run here on the same data. Target: p95 under 300 ms.
With PostgreSQL the URL only says where the server is: the data goes into a separate
database (``nhacviec_bench_dash``) created and dropped here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from summaries import NOW, _admin, populate  # benchmarks/summaries.py: the same data

from bot.context import Deps
from bot.settings import Settings
from bot.webapp import build_web_app
from models import Person
from models.db import async_url, create_engine, create_session_factory, sqlite_url
from models.migrate import upgrade_engine
from services.webapp_auth import sign_init_data

BENCH_DATABASE = "nhacviec_bench_dash"
TOKEN = "123456:" + "B" * 35
SUPERVISOR = 777


class _Clock:
    def now(self) -> datetime:
        return NOW


RAW = """
SELECT a.unit_id,
  SUM(CASE WHEN a.status = 'done' AND a.done_on > a.due_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.status = 'done' AND NOT (a.done_on > a.due_on) THEN 1
           WHEN a.status = 'done' AND (a.done_on IS NULL OR a.due_on IS NULL) THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.status <> 'done' AND a.due_on IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.status <> 'done' AND a.due_on >= :today THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.status <> 'done' AND a.due_on < :today THEN 1 ELSE 0 END)
FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN dispatches d ON d.id = t.dispatch_id
WHERE d.status = 'active'
GROUP BY a.unit_id
"""


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def _times(run: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    await run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await run()
        times.append((time.perf_counter() - start) * 1000)
    return times


async def measure(url: str, units: int, assignments: int, runs: int) -> float:
    engine = create_engine(url)
    runner = None
    try:
        await upgrade_engine(engine)
        start = time.perf_counter()
        await populate(engine, units, assignments)
        async with engine.begin() as conn:
            await conn.execute(
                insert(Person.__table__),
                [
                    {
                        "telegram_user_id": SUPERVISOR,
                        "name": "Giám sát",
                        "role": "supervisor",
                        "created_at": NOW,
                    }
                ],
            )
        print(
            f"populated {units} units, {assignments} assignments in "
            f"{time.perf_counter() - start:.1f} s ({engine.dialect.name})"
        )
        settings = replace(Settings(telegram_bot_token=TOKEN), database_url=url)
        deps = Deps(
            settings=settings, session_factory=create_session_factory(engine), clock=_Clock()
        )
        today = deps.today()
        runner = web.AppRunner(build_web_app(deps, bot_token=TOKEN, messenger=None))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        init_data = sign_init_data(
            {
                "user": json.dumps({"id": SUPERVISOR, "first_name": "G"}),
                "auth_date": str(int(NOW.timestamp())),
            },
            TOKEN,
        )
        headers = {"Authorization": f"tma {init_data}"}

        async with engine.connect() as conn:

            async def raw() -> None:
                rows = (await conn.execute(text(RAW), {"today": today})).all()
                assert len(rows) == units

            raw_times = await _times(raw, runs)
        raw_median = statistics.median(raw_times)
        print(f"raw aggregate query: median {raw_median:.1f} ms, p95 {_p95(raw_times):.1f} ms")

        worst = 0.0
        async with aiohttp.ClientSession(f"http://{host}:{port}", headers=headers) as client:
            for path in (
                "/api/units?limit=50",
                "/api/units?limit=50&offset=500&status=overdue",
                "/api/dispatches?limit=50",
                "/api/overdue?limit=50",
                "/api/overdue?limit=50&offset=10000",
                "/api/trend",
                "/api/choices",
                "/api/task/12345",
            ):

                async def call(path: str = path) -> None:
                    async with client.get(path) as response:
                        assert response.status == 200, (path, response.status)
                        await response.read()

                times = await _times(call, runs)
                median, p95 = statistics.median(times), _p95(times)
                worst = max(worst, p95)
                print(
                    f"{path}: median {median:.1f} ms, p95 {p95:.1f} ms, "
                    f"ratio {median / raw_median:.2f}× the raw aggregate"
                )
        return worst
    finally:
        if runner is not None:
            await runner.cleanup()
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.database_url and not args.database_url.startswith("sqlite"):
        server = async_url(args.database_url)
        bench = make_url(server).set(database=BENCH_DATABASE).render_as_string(hide_password=False)
        await _admin(server, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        await _admin(server, f"CREATE DATABASE {BENCH_DATABASE}")
        try:
            worst = await measure(bench, args.units, args.assignments, args.runs)
        finally:
            await _admin(server, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    else:
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or sqlite_url(Path(folder) / "bench.db")
            worst = await measure(url, args.units, args.assignments, args.runs)
    print(f"worst_p95_ms={worst:.1f} target=300 {'ok' if worst < 300 else 'TOO SLOW'}")


if __name__ == "__main__":
    asyncio.run(main())
