"""The working calendar: which days an office works, for reminders and working-day counts.

A day is a working day when its weekday is in WORKING_DAYS and it is not a public holiday of
Vietnam (the ``holidays`` package: Bộ luật Lao động 2019 Điều 112, with Tết Nguyên Đán and
Giỗ Tổ Hùng Vương from the lunar calendar, the compensatory days off ("nghỉ bù") and the
Saturdays worked in exchange for a bridge day that the package knows), and the office's own
settings come last: EXTRA_DAYS_OFF are days off, EXTRA_WORKING_DAYS are working days, whatever
the rest says (the government's yearly decisions the package does not know yet).

Pure and synchronous: dates in, dates out. Overdue days stay calendar days; only the rules
that say "working day" use this.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

__all__ = [
    "DEFAULT_WEEKDAYS",
    "DayOff",
    "WorkingCalendar",
]

DEFAULT_WEEKDAYS = frozenset({0, 1, 2, 3, 4})
# A search for the next working day gives up after this many days (a calendar with no
# working day at all): the day asked about is returned unchanged.
_SEARCH_LIMIT = 400


@dataclass(frozen=True, slots=True)
class DayOff:
    """A non-working day. ``name`` is the holiday's Vietnamese name; None for a plain
    weekend day and for a day off from EXTRA_DAYS_OFF (``extra`` is True then)."""

    day: date
    name: str | None
    extra: bool = False


@lru_cache(maxsize=64)
def _vietnam_days_off(year: int) -> dict[date, str]:
    table = holidays.country_holidays("VN", years=year, language="vi")
    names: dict[date, list[str]] = {}
    for day, name in table.items():
        names.setdefault(day, []).extend(part.strip() for part in name.split(";"))
    return {day: "; ".join(dict.fromkeys(parts)) for day, parts in sorted(names.items())}


@lru_cache(maxsize=64)
def _vietnam_weekend_workdays(year: int) -> frozenset[date]:
    """Saturdays or Sundays worked in exchange for a bridge day off (e.g. 26/04/2025)."""
    table = holidays.country_holidays("VN", years=year, language="vi")
    return frozenset(d for d in table.weekend_workdays if d.year == year)


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Weekdays worked, Vietnam's public holidays, and the office's own exceptions."""

    weekdays: frozenset[int] = DEFAULT_WEEKDAYS
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    # False: weekdays and the extra days only (a calendar without public holidays).
    public_holidays: bool = True

    @classmethod
    def build(
        cls,
        weekdays: Iterable[int] = DEFAULT_WEEKDAYS,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        *,
        public_holidays: bool = True,
    ) -> WorkingCalendar:
        return cls(
            frozenset(weekdays),
            frozenset(extra_days_off),
            frozenset(extra_working_days),
            public_holidays,
        )

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on ``day`` (the package's Vietnamese name), if any."""
        if not self.public_holidays:
            return None
        return _vietnam_days_off(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        if self.public_holidays:
            if day in _vietnam_days_off(day.year):
                return False
            if day in _vietnam_weekend_workdays(day.year):
                return True
        return day.weekday() in self.weekdays

    def _step_to_working(self, day: date, step: int) -> date:
        current = day
        for _ in range(_SEARCH_LIMIT):
            if self.is_working_day(current):
                return current
            current += timedelta(days=step)
        return day

    def previous_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the last working day before it."""
        return self._step_to_working(day, -1)

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        return self._step_to_working(day, 1)

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (before it when negative); ``day`` is
        not counted itself, so "5 ngày làm việc kể từ ngày nhận" counts from the next day."""
        step = 1 if count >= 0 else -1
        remaining, current, searched = abs(count), day, 0
        while remaining > 0:
            current += timedelta(days=step)
            searched += 1
            if self.is_working_day(current):
                remaining -= 1
                searched = 0
            elif searched > _SEARCH_LIMIT:
                return day + timedelta(days=count)  # no working day at all: calendar days
        return current

    def non_working_days(self, year: int) -> list[DayOff]:
        """Every day of ``year`` that is not a working day, in date order."""
        out: list[DayOff] = []
        day = date(year, 1, 1)
        while day.year == year:
            if not self.is_working_day(day):
                name = self.holiday_name(day)
                extra = day in self.extra_days_off
                out.append(DayOff(day, name, extra))
            day += timedelta(days=1)
        return out

    def working_exceptions(self, year: int) -> list[date]:
        """Days of ``year`` that are worked although they are a weekly day off or a public
        holiday (a Saturday worked for a bridge day, an EXTRA_WORKING_DAYS day)."""
        day, out = date(year, 1, 1), []
        while day.year == year:
            usual_day_off = day.weekday() not in self.weekdays or self.holiday_name(day)
            if usual_day_off and self.is_working_day(day):
                out.append(day)
            day += timedelta(days=1)
        return out
