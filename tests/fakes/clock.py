"""A controllable clock for tests: the one source of "now" that services and fakes share.

    clock = FixedClock(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
    clock.now()                      # 2026-03-02 01:30:00+00:00
    clock.advance(hours=2)           # returns the new now
    clock.set(datetime(2026, 3, 3, tzinfo=UTC))

Always timezone-aware UTC: ``set`` converts any aware datetime to UTC and rejects naive ones.
The instance is also callable (``clock()`` is ``clock.now()``), so it fits a ``Callable[[],
datetime]`` slot as well as an object with ``now()``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["DEFAULT_START", "FixedClock"]

# Monday 2026-01-05 08:00 in Asia/Ho_Chi_Minh (UTC+7).
DEFAULT_START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


class FixedClock:
    """Time stands still until the test moves it."""

    __slots__ = ("_now",)

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self._now = _as_utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = _as_utc(moment)

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)`` (negative steps are refused); return now."""
        step = timedelta(**delta)
        if step < timedelta(0):
            raise ValueError(f"FixedClock only moves forward, got {step}")
        self._now += step
        return self._now

    def __call__(self) -> datetime:
        return self._now

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()})"


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"FixedClock needs a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(UTC)
