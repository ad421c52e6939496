"""The demo's clock: the system clock moved forward by an offset the demo page sets.

It keeps running with the wall clock, so it is a :class:`SystemClock` to the scheduler: the
periodic jobs (reminder tick, digest check, draft expiry) are registered as in production
(``jobs.register``). A jump forward is followed by running those jobs at once
(``nhacviec.demo.app.run_periodic_jobs``), so what the jump made due goes out right away.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.clock import SystemClock

__all__ = ["DemoClock"]


class DemoClock(SystemClock):
    def __init__(self, start: datetime | None = None, *, offset: timedelta | None = None) -> None:
        if offset is None:
            offset = timedelta(0) if start is None else start - datetime.now(UTC)
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, step: timedelta) -> datetime:
        """Move forward by ``step`` (never back: the ledger and the lease assume it)."""
        if step <= timedelta(0):
            raise ValueError(f"the demo clock only moves forward, got {step}")
        self.offset += step
        return self.now()
