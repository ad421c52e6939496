"""Periodic obligations: one period (kỳ) at a time, each with its own deadline.

A task whose timing is ``recurring`` with a period (``every``) becomes, for each lead unit,
an *obligation*: the assignment carries the rule (``Assignment.period_rule``) and no
deadline of its own (``due_on`` stays NULL); each period is a ``periods`` row with its own
``due_on``, completion, note and extension.

Rules
    ``every[:month]:day`` entries joined by ``,``: ``month:19`` (every month, day 19),
    ``quarter:3:14`` (the 14th of the third month of each quarter), ``year:6:9,year:12:9``
    (9 June and 9 December), ``day`` (every day), ``week`` (every week, on its last day).
    A missing day is the last day of the period (a missing month its last month).

Keys
    ``2026-12-03`` (day), ``2026-W49`` (ISO week), ``2026-12`` (month), ``2026-Q4``,
    ``2026-H2``, ``2026`` (year; ``2026-06`` when a yearly rule has several days). A period
    runs from the day after the previous period's due date to its own due date.

Opening
    The tick opens, for each rule, the *current* period (the first whose due date is today
    or later) with one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per distinct rule; the
    unique key (assignment, key) makes it idempotent across ticks, restarts and processes.
    ``Assignment.opened_through`` (the due date of the latest period opened) keeps the
    statement to the assignments that still lack it, so a tick that opens nothing reads an
    index range and writes nothing. Completing a period opens the next one at once. Nothing
    is opened past ``Assignment.ends_on`` or after the office stopped the obligation.
    After downtime, periods that fell due meanwhile (up to BACKFILL_DAYS back) are opened
    too, so they count as missed rather than vanish.

Reminders
    A period's slots are the deadline slots of ``services.reminders`` for its due date
    (``due-3:2026-12-19``, ``over-1:…``, ``late:…``, ``esc:…``), claimed in the same ledger;
    since the slot names the due date, they are unique per period. Slots before the period
    starts are not planned, nor overdue slots further past the due date than the period is
    long (a daily duty gets no week of overdue reminders per missed day). The supervisors'
    late lists and escalations cover periods of a week or longer.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import pairwise
from typing import Any

from sqlalchemy import BigInteger, Date, and_, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    Contact,
    Period,
    PeriodStatus,
    Person,
    Unit,
    UTCDateTime,
)
from models.db import upsert_insert
from services.audience import reachable
from services.deliveries import DeliveryStatus, claim_count
from services.reminders import (
    Audience,
    Planned,
    ReminderPolicy,
    _split_latest,
    office_chats,
    slots_in_window,
)
from services.slots import MUTABLE_KINDS

EVERY = ("day", "week", "month", "quarter", "half_year", "year")
# Stored in TaskDue.every when the office chose «Không theo dõi theo kỳ» for a recurring
# entry without a period: the draft no longer offers the default rule, nothing is tracked.
NOT_TRACKED = "none"
# After downtime, periods that fell due this many days back are still opened (as missed).
BACKFILL_DAYS = 62
# Periods shorter than this (daily duties) are not in the supervisors' late lists.
SUPERVISED_MIN_DAYS = 7
_MONTHS_IN = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


class RuleError(ValueError):
    """A reporting rule that does not read (DEFAULT_REPORTING_RULE, or a stored one)."""


@dataclass(frozen=True, slots=True)
class RuleEntry:
    every: str
    month: int | None = None  # month of the year (year) or inside the period (quarter, half)
    day: int | None = None  # day of the month; 1–7 (Monday–Sunday) for a week

    def text(self) -> str:
        parts = [self.every]
        if self.month is not None:
            parts.append(str(self.month))
        if self.day is not None:
            parts.append(str(self.day))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Span:
    key: str
    starts_on: date
    due_on: date


# --- Rules ----------------------------------------------------------------------------------


def parse_rule(text: str) -> tuple[RuleEntry, ...]:
    """``"month:19"`` → (RuleEntry("month", None, 19),); RuleError when it does not read."""
    entries = []
    for part in text.split(","):
        fields = [f.strip() for f in part.strip().split(":")]
        every, numbers = fields[0], fields[1:]
        if every not in EVERY:
            raise RuleError(f"unknown period {every!r} (one of {', '.join(EVERY)})")
        try:
            values = [int(n) for n in numbers]
        except ValueError:
            raise RuleError(f"{part.strip()!r}: month and day must be numbers") from None
        if every in ("day",) and values:
            raise RuleError("a daily rule takes no day")
        if every in ("week", "month") and len(values) > 1:
            raise RuleError(f"{every}: give at most the day")
        if len(values) > 2:
            raise RuleError(f"{part.strip()!r}: at most month and day")
        month = values[0] if len(values) == 2 else None
        day = values[-1] if values else None
        if every == "week" and day is not None and not 1 <= day <= 7:
            raise RuleError("week: the day is 1 (Monday) to 7 (Sunday)")
        if every != "week" and day is not None and not 1 <= day <= 31:
            raise RuleError("the day is 1 to 31")
        if month is not None and not 1 <= month <= _MONTHS_IN.get(every, 0):
            raise RuleError(f"{every}: the month is 1 to {_MONTHS_IN.get(every, 0)}")
        entries.append(RuleEntry(every, month, day))
    if len({e.every for e in entries}) != 1:
        raise RuleError("all entries of a rule must have the same period")
    return tuple(sorted(set(entries), key=lambda e: (e.month or 99, e.day or 99)))


def format_rule(entries: Iterable[RuleEntry]) -> str:
    return ",".join(e.text() for e in entries)


def rule_from_dues(
    dues: Iterable[tuple[str, str | None, int | None, int | None]],
) -> str | None:
    """The obligation rule of a task's timings: (kind, every, month, day) of each entry."""
    entries = {
        RuleEntry(every, month if every not in ("day", "week", "month") else None, day)
        for kind, every, month, day in dues
        if kind == "recurring" and every in EVERY
    }
    if not entries:
        return None
    every = sorted(entries, key=lambda e: EVERY.index(e.every))[0].every
    try:
        return format_rule(parse_rule(format_rule(e for e in entries if e.every == every)))
    except RuleError:
        return every  # an odd day or month read from the text: the period's last day


# --- Periods on the calendar ----------------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _on(year: int, month: int, day: int | None) -> date:
    last = _last_day(year, month)
    return date(year, month, min(day or last, last))


def _index(every: str, day: date) -> int:
    if every == "day":
        return day.toordinal()
    if every == "week":
        return (day.toordinal() - 1) // 7  # ordinal 1 (0001-01-01) is a Monday
    months = day.year * 12 + day.month - 1
    return months // _MONTHS_IN[every]


def _period(entry: RuleEntry, index: int, several: bool) -> tuple[str, date]:
    every = entry.every
    if every == "day":
        due = date.fromordinal(index)
        return due.isoformat(), due
    if every == "week":
        monday = date.fromordinal(index * 7 + 1)
        due = monday + timedelta(days=(entry.day or 7) - 1)
        year, week, _ = monday.isocalendar()
        return f"{year:04d}-W{week:02d}", due
    size = _MONTHS_IN[every]
    first = index * size  # months since year 0
    year, month0 = divmod(first, 12)
    offset = (entry.month or size) - 1 if every != "month" else 0
    due = _on(year, month0 + offset + 1, entry.day)
    if every == "month":
        return f"{year:04d}-{month0 + 1:02d}", due
    if every == "quarter":
        return f"{year:04d}-Q{month0 // 3 + 1}", due
    if every == "half_year":
        return f"{year:04d}-H{month0 // 6 + 1}", due
    return (f"{year:04d}-{due.month:02d}" if several else f"{year:04d}"), due


def spans_around(entries: Sequence[RuleEntry], day: date, reach: int = 2) -> list[Span]:
    """The periods of a rule near ``day``, in due-date order, each with its start."""
    several = len(entries) > 1
    found: dict[str, date] = {}
    for entry in entries:
        index = _index(entry.every, day)
        for i in range(index - reach, index + reach + 1):
            key, due = _period(entry, i, several)
            found[key] = due
    ordered = sorted(found.items(), key=lambda kv: kv[1])
    return [
        Span(key, previous + timedelta(days=1), due)
        for (_, previous), (key, due) in pairwise(ordered)
    ]


def current_span(entries: Sequence[RuleEntry], today: date) -> Span:
    """The period open on ``today``: the first whose due date is today or later."""
    return next(s for s in spans_around(entries, today) if s.due_on >= today)


def next_span(entries: Sequence[RuleEntry], after: date) -> Span:
    """The period after one due on ``after``."""
    return next(s for s in spans_around(entries, after) if s.due_on > after)


# --- Opening periods ------------------------------------------------------------------------


async def _open(session: AsyncSession, rule: str, span: Span, now: datetime, *extra: Any) -> int:
    eligible = and_(
        Assignment.period_rule == rule,
        or_(Assignment.opened_through.is_(None), Assignment.opened_through < span.due_on),
        Assignment.stopped_at.is_(None),
        or_(Assignment.ends_on.is_(None), Assignment.ends_on >= span.due_on),
        *extra,
    )
    rows = select(
        Assignment.id,
        literal(span.key),
        literal(span.starts_on, Date()),
        literal(span.due_on, Date()),
        literal(span.due_on, Date()),
        literal(PeriodStatus.OPEN),
        literal(now, UTCDateTime()),
    ).where(eligible)
    statement = (
        upsert_insert(session)(Period.__table__)
        .from_select(
            [
                "assignment_id",
                "key",
                "starts_on",
                "due_on",
                "original_due_on",
                "status",
                "opened_at",
            ],
            rows,
        )
        .on_conflict_do_nothing(index_elements=["assignment_id", "key"])
    )
    await session.execute(statement)
    result = await session.execute(
        update(Assignment)
        .where(eligible)
        .values(opened_through=span.due_on)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def open_current_periods(
    session: AsyncSession, now: datetime, tz: tzinfo, assignment_ids: Sequence[int] | None = None
) -> int:
    """Open each obligation's current period (all of them, or those given); how many opened.

    Idempotent: a period that exists is left alone (unique assignment × key), and
    assignments already past it are not even read.
    """
    today = now.astimezone(tz).date()
    query = select(Assignment.period_rule).where(Assignment.period_rule.is_not(None)).distinct()
    extra: list[Any] = []
    if assignment_ids is not None:
        if not assignment_ids:
            return 0
        extra.append(Assignment.id.in_(list(assignment_ids)))
        query = query.where(*extra)
    opened = 0
    for rule in list(await session.scalars(query)):
        assert rule is not None
        entries = parse_rule(rule)
        span = current_span(entries, today)
        for missed in await _missed_spans(session, rule, entries, span, today, extra):
            opened += await _open(
                session, rule, missed, now, Assignment.opened_through.is_not(None), *extra
            )
        opened += await _open(session, rule, span, now, *extra)
    return opened


async def _missed_spans(
    session: AsyncSession,
    rule: str,
    entries: Sequence[RuleEntry],
    span: Span,
    today: date,
    extra: Sequence[Any],
) -> list[Span]:
    """Periods that fell due while no tick ran (within BACKFILL_DAYS), if any obligation of
    the rule lags behind: opened late, they count as missed instead of vanishing. One
    indexed probe per rule when nothing lags."""
    previous_due = span.starts_on - timedelta(days=1)
    lagging = await session.scalar(
        select(Assignment.id)
        .where(
            Assignment.period_rule == rule,
            Assignment.opened_through < previous_due,
            Assignment.stopped_at.is_(None),
            *extra,
        )
        .limit(1)
    )
    if lagging is None:
        return []
    missed = []
    past = current_span(entries, today - timedelta(days=BACKFILL_DAYS))
    while past.due_on < span.due_on:
        missed.append(past)
        past = next_span(entries, past.due_on)
    return missed


async def open_next_period(
    session: AsyncSession, assignment_id: int, rule: str, after: date, now: datetime
) -> Span | None:
    """After a period due on ``after`` is done: open the next one (None past the end)."""
    span = next_span(parse_rule(rule), after)
    await _open(session, rule, span, now, Assignment.id == assignment_id)
    exists = await session.scalar(
        select(Period.id).where(Period.assignment_id == assignment_id, Period.key == span.key)
    )
    return span if exists is not None else None


# --- Reminders of periods -------------------------------------------------------------------


def _latest_start(due_on: date, slot: Planned) -> date:
    """A period gets this slot only if it started on or before this day (see module doc)."""
    return min(slot.day, due_on + (due_on - slot.day) + timedelta(days=1))


def _period_unit_targets(slot: Planned, due_on: date) -> Any:
    query = (
        select(Period.assignment_id, Contact.chat_id)
        .join(Assignment, Assignment.id == Period.assignment_id)
        .join(Contact, Contact.unit_id == Assignment.unit_id)
        .outerjoin(Person, Person.id == Contact.person_id)
        .where(
            Period.due_on == due_on,
            Period.status == PeriodStatus.OPEN,
            Period.starts_on <= _latest_start(due_on, slot),
            Assignment.assigned_at <= slot.due_at,
            reachable(),
        )
    )
    if slot.kind in MUTABLE_KINDS:
        query = query.join(Unit, Unit.id == Assignment.unit_id).where(Unit.muted.is_(False))
    return query


def _period_supervisor_targets(slot: Planned, due_on: date, chat_id: int) -> Any:
    """Supervisors' late lists and escalations, for periods of a week or longer: a daily
    duty missed is in /quahan and the digest, not in a list every morning."""
    latest = min(_latest_start(due_on, slot), due_on - timedelta(days=SUPERVISED_MIN_DAYS - 1))
    return (
        select(Period.assignment_id, literal(chat_id, BigInteger()))
        .join(Assignment, Assignment.id == Period.assignment_id)
        .where(
            Period.due_on == due_on,
            Period.status == PeriodStatus.OPEN,
            Period.starts_on <= latest,
            Assignment.assigned_at <= slot.due_at,
        )
    )


async def plan_period_deliveries(
    session: AsyncSession, now: datetime, policy: ReminderPolicy
) -> int:
    """Claim the reminders of open periods due at ``now`` (like plan_due_deliveries); how
    many pending rows were claimed."""
    claimed = 0
    groups = slots_in_window(now, policy)
    office = await office_chats(session) if groups else []
    for due_on, slots in groups.items():
        send, skip = _split_latest(slots)
        for slot, status in [(s, DeliveryStatus.SKIPPED) for s in skip] + [
            (s, DeliveryStatus.PENDING) for s in send
        ]:
            if slot.audience == Audience.UNIT:
                targets = [_period_unit_targets(slot, due_on)]
            else:
                targets = [_period_supervisor_targets(slot, due_on, c) for c in office]
            for target in targets:
                claimed += await claim_count(
                    session, slot.slot, target, due_at=slot.due_at, now=now, status=status
                )
    return claimed


async def plan_obligations(session: AsyncSession, now: datetime, policy: ReminderPolicy) -> int:
    """The tick's part for obligations: open current periods, then claim their reminders;
    the number of pending reminder rows claimed."""
    await open_current_periods(session, now, policy.tz)
    return await plan_period_deliveries(session, now, policy)
