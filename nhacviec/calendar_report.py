"""The text of `nhacviec calendar [YEAR]`: the year's days off as the bot counts them.

Public holidays, compensatory days and EXTRA_DAYS_OFF are listed one by one (date, weekday,
name); plain weekends are summarised in one line, which is how an office reads a year's
calendar; the days worked although usually off (a Saturday worked for a bridge day,
EXTRA_WORKING_DAYS) close the list.
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import version

from bot import texts
from services.workdays import WorkingCalendar


def calendar_report(calendar: WorkingCalendar, year: int) -> str:
    days_off = calendar.non_working_days(year)
    named = [d for d in days_off if d.name or d.extra]
    weekly = [d for d in days_off if not (d.name or d.extra)]
    lines = [texts.CLI_CALENDAR_TITLE.format(year=year), ""]
    lines.append(texts.CLI_CALENDAR_HOLIDAYS.format(count=len(named)))
    lines.extend(texts.cli_calendar_line(d.day, d.name, d.extra) for d in named)
    if not named:
        lines.append(texts.CLI_CALENDAR_NONE)
    lines.append("")
    if calendar.weekdays != frozenset(range(7)):
        off_weekdays = sorted(set(range(7)) - calendar.weekdays)
        names = ", ".join(texts.WEEKDAY_NAMES[w] for w in off_weekdays)
        lines.append(texts.CLI_CALENDAR_WEEKLY.format(days=names, count=len(weekly)))
    else:
        lines.append(texts.CLI_CALENDAR_NO_WEEKLY)
    worked = calendar.working_exceptions(year)
    if worked:
        shown = ", ".join(f"{texts.fmt_date(d)} ({texts.weekday_name(d)})" for d in worked)
        lines.append(texts.CLI_CALENDAR_WORKED.format(days=shown))
    total = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    lines.append(texts.CLI_CALENDAR_TOTAL.format(off=len(days_off), working=total - len(days_off)))
    lines.append(texts.CLI_CALENDAR_SOURCE.format(version=version("holidays")))
    return "\n".join(lines)
