"""When reminders fall due, and claiming them in the delivery ledger.

The database is the source of truth: nothing about a reminder lives in the scheduler. A
periodic tick asks "which slots are due now?", claims one ledger row per
(assignment, slot, chat) with ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` in the
transaction that decides to send, and the notifier sends the claimed rows after commit.

Slots
    A slot names one reminder and the deadline it was computed for, so it never exceeds
    64 characters and is stable across restarts:

    ``due-<offset>:<D>``  to the unit, ``offset`` days before the deadline ``D``
                          (REMINDER_OFFSETS_DAYS; ``due-0`` is the deadline day itself);
    ``over-<n>:<D>``      to the unit, the n-th overdue reminder ("Quá hạn"): on D+1, then
                          every OVERDUE_EVERY_DAYS, at most OVERDUE_MAX_REMINDERS of them;
    ``late:<D>``          to the supervisors, the overdue list on D+1;
    ``esc:<D>``           to the supervisors, the escalation naming unit and head on
                          D+ESCALATE_AFTER_DAYS (at least D+1);
    ``check:<YYYY-MM>``   to the unit, the monthly check-in of a recurring task (no
                          deadline) on the month's first working day.

    ``D`` is ``assignment.due_on``, the deadline in force. When an approved extension moves
    it, the new deadline has new slot names, which are planned like any others; the old
    names are simply never due again (and a row already claimed for the old deadline is
    dropped as "skipped" when the notifier sees the deadline moved). Nothing needs to be
    cancelled, because nothing was scheduled.

Timing rules (all local times are in TIMEZONE)
    * Every slot is due at REMINDER_TIME on its day; if that time falls in quiet hours the
      slot waits for their end. The tick sends nothing during quiet hours.
    * A reminder before the deadline that falls on a non-working day (a weekend, a public
      holiday or an EXTRA_DAYS_OFF day: ``services.workdays``) moves to the previous
      working day (so it is not late); overdue reminders and supervisor messages move to the
      next working day (they cannot come before the lateness they report). When two slots of
      one audience land on the same day, only the later one (closer to or further past the
      deadline) is kept.
    * Slots due before the assignment was made (``assigned_at``) are never planned: a task
      given four days before its deadline gets D-3, D-1 and D, never a burst of D-7.
    * Only ``open`` assignments are reminded; ``done`` and ``extension_requested`` get
      nothing. A muted unit (``Unit.muted``) gets no ``due``/``check`` reminders; overdue
      reminders and everything to supervisors are never muted.

Catch-up
    A tick looks at the window ``(now - max(CATCHUP_HOURS, 1 h), now]``. For each assignment
    and audience only the latest slot due in the window is claimed ``pending``; older ones
    in the window are recorded ``skipped``. Slots older than the window are never sent. So
    after a three-day outage each assignment gets at most one reminder per audience, the
    one that matters now. The one-hour floor keeps CATCHUP_HOURS=0 meaning "no catch-up"
    rather than "nothing is ever sent".

Cost
    Planning is set-based: Python computes the handful of deadline dates that have a slot in
    the window, and one ``INSERT ... SELECT`` per (deadline date, slot) claims the rows for
    every matching assignment and chat (``ix_assignments_status_due_on`` finds them), so a
    tick's cost follows the number of rows claimed, not the number of open assignments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Select, and_, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, AssignmentStatus, Contact, Person, Unit
from services.audience import office_contacts, reachable
from services.deliveries import Claim, DeliveryStatus, claim, claim_count
from services.events import Origin, record_event
from services.slots import MUTABLE_KINDS, Slot, SlotKind
from services.workdays import WorkingCalendar

MIN_WINDOW = timedelta(hours=1)


class Audience(StrEnum):
    UNIT = "unit"
    OFFICE = "office"


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """The reminder settings, as plain values (built from Settings by the jobs)."""

    tz: tzinfo
    reminder_time: time = time(8, 0)
    offsets_days: tuple[int, ...] = (7, 3, 1, 0)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    quiet_start: time = time(20, 0)
    quiet_end: time = time(7, 0)
    overdue_every_days: int = 2
    overdue_max_reminders: int = 5
    escalate_after_days: int = 3
    catchup_hours: int = 24

    @property
    def window(self) -> timedelta:
        return max(timedelta(hours=self.catchup_hours), MIN_WINDOW)

    @property
    def send_time(self) -> time:
        """REMINDER_TIME, or the end of quiet hours when it falls inside them."""
        if is_quiet(self.reminder_time, self.quiet_start, self.quiet_end):
            return self.quiet_end
        return self.reminder_time


@dataclass(frozen=True, slots=True)
class Planned:
    """A reminder in the schedule: its slot, who hears it, on which day and when."""

    slot: Slot
    audience: Audience
    day: date
    due_at: datetime

    @property
    def name(self) -> str:
        return str(self.slot)

    @property
    def kind(self) -> SlotKind:
        return self.slot.kind


@dataclass(frozen=True, slots=True)
class AssignmentFacts:
    """What planning needs to know about one assignment."""

    due_on: date | None
    recurring: bool
    assigned_at: datetime
    status: str = AssignmentStatus.OPEN
    muted: bool = False


@dataclass(frozen=True, slots=True)
class SlotPlan:
    send: tuple[Planned, ...]  # at most one per audience: the latest slot due in the window
    skip: tuple[Planned, ...]  # older slots in the window, recorded as skipped


# --- Pure rules -----------------------------------------------------------------------------


def is_quiet(moment: time, start: time, end: time) -> bool:
    """Whether a local time of day is inside quiet hours (which may span midnight)."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def in_quiet_hours(now: datetime, policy: ReminderPolicy) -> bool:
    local = now.astimezone(policy.tz).time()
    return is_quiet(local, policy.quiet_start, policy.quiet_end)


def previous_working_day(day: date, calendar: WorkingCalendar) -> date:
    return calendar.previous_working_day(day)


def next_working_day(day: date, calendar: WorkingCalendar) -> date:
    return calendar.next_working_day(day)


def local_at(day: date, moment: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=tz).astimezone(UTC)


def _keep_latest_per_day(slots: list[Planned]) -> list[Planned]:
    """Slots in schedule order; of several on one day only the last survives."""
    by_day: dict[date, Planned] = {}
    for slot in slots:
        by_day[slot.day] = slot
    return sorted(by_day.values(), key=lambda s: s.due_at)


def deadline_slots(due_on: date, policy: ReminderPolicy) -> list[Planned]:
    """Every slot of a deadline, in time order (see the module docstring)."""
    when, tz, days = policy.send_time, policy.tz, policy.calendar

    def make(slot: Slot, audience: Audience, day: date) -> Planned:
        return Planned(slot, audience, day, local_at(day, when, tz))

    before = [
        make(
            Slot.due(offset, due_on),
            Audience.UNIT,
            previous_working_day(due_on - timedelta(days=offset), days),
        )
        for offset in sorted(set(policy.offsets_days), reverse=True)
    ]
    after = [
        make(
            Slot.overdue(n + 1, due_on),
            Audience.UNIT,
            next_working_day(due_on + timedelta(days=1 + n * policy.overdue_every_days), days),
        )
        for n in range(policy.overdue_max_reminders)
    ]
    supervisors = [
        make(
            Slot.late_list(due_on),
            Audience.OFFICE,
            next_working_day(due_on + timedelta(days=1), days),
        ),
        make(
            Slot.escalation(due_on),
            Audience.OFFICE,
            next_working_day(due_on + timedelta(days=max(1, policy.escalate_after_days)), days),
        ),
    ]
    slots = _keep_latest_per_day(before) + _keep_latest_per_day(after)
    return sorted(slots + _keep_latest_per_day(supervisors), key=lambda s: s.due_at)


def checkin_slot(year: int, month: int, policy: ReminderPolicy) -> Planned:
    day = next_working_day(date(year, month, 1), policy.calendar)
    return Planned(
        Slot.check_in(year, month),
        Audience.UNIT,
        day,
        local_at(day, policy.send_time, policy.tz),
    )


def _in_window(slot: Planned, now: datetime, policy: ReminderPolicy) -> bool:
    return now - policy.window < slot.due_at <= now


def _split_latest(slots: Iterable[Planned]) -> tuple[list[Planned], list[Planned]]:
    """Per audience: the latest slot to send, the older ones to skip."""
    send: list[Planned] = []
    skip: list[Planned] = []
    for audience in Audience:
        mine = sorted((s for s in slots if s.audience == audience), key=lambda s: s.due_at)
        if mine:
            send.append(mine[-1])
            skip.extend(mine[:-1])
    return send, skip


def due_slots(assignment: AssignmentFacts, policy: ReminderPolicy, now: datetime) -> SlotPlan:
    """The slots of one assignment to claim at ``now`` (the rule the SQL planner applies)."""
    if assignment.status != AssignmentStatus.OPEN:
        return SlotPlan((), ())
    if assignment.due_on is not None:
        slots = deadline_slots(assignment.due_on, policy)
    elif assignment.recurring:
        slots = _checkins_near(now, policy)
    else:
        return SlotPlan((), ())
    eligible = [
        s
        for s in slots
        if _in_window(s, now, policy)
        and s.due_at >= assignment.assigned_at
        and not (assignment.muted and s.kind in MUTABLE_KINDS)
    ]
    send, skip = _split_latest(eligible)
    return SlotPlan(tuple(send), tuple(skip))


def _checkins_near(now: datetime, policy: ReminderPolicy) -> list[Planned]:
    first = (now - policy.window).astimezone(policy.tz).date().replace(day=1)
    last = now.astimezone(policy.tz).date()
    slots = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        slots.append(checkin_slot(year, month, policy))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return slots


def slots_in_window(now: datetime, policy: ReminderPolicy) -> dict[date, list[Planned]]:
    """Deadline date → its slots due in the window: the only deadlines a tick looks at."""
    start = (now - policy.window).astimezone(policy.tz).date()
    today = now.astimezone(policy.tz).date()
    # Slots of D lie within [D - max offset - 7, D + longest overdue reach + 7].
    before = max(policy.offsets_days, default=0) + 7
    after = (
        1
        + max(policy.overdue_max_reminders - 1, 0) * policy.overdue_every_days
        + max(1, policy.escalate_after_days)
        + 7
    )
    found: dict[date, list[Planned]] = {}
    day = start - timedelta(days=after)
    while day <= today + timedelta(days=before):
        slots = [s for s in deadline_slots(day, policy) if _in_window(s, now, policy)]
        if slots:
            found[day] = slots
        day += timedelta(days=1)
    return found


def checkins_in_window(now: datetime, policy: ReminderPolicy) -> list[Planned]:
    return [s for s in _checkins_near(now, policy) if _in_window(s, now, policy)]


# --- Planning in SQL ------------------------------------------------------------------------


def _unit_targets(slot: Planned) -> Select[int, int]:
    """(assignment id, chat id) for the unit's reachable chats (services.audience); muted
    units skip mutable kinds."""
    query = (
        select(Assignment.id, Contact.chat_id)
        .join(Contact, Contact.unit_id == Assignment.unit_id)
        .outerjoin(Person, Person.id == Contact.person_id)
        .where(
            Assignment.status == AssignmentStatus.OPEN,
            Assignment.assigned_at <= slot.due_at,
            reachable(),
        )
    )
    if slot.kind in MUTABLE_KINDS:
        query = query.join(Unit, Unit.id == Assignment.unit_id).where(Unit.muted.is_(False))
    return query


def _office_targets(slot: Planned, chat_id: int) -> Select[int, int]:
    return select(Assignment.id, literal(chat_id, BigInteger())).where(
        Assignment.status == AssignmentStatus.OPEN,
        Assignment.assigned_at <= slot.due_at,
    )


async def office_chats(session: AsyncSession) -> list[int]:
    """The office's chats that hear overdue lists and escalations (services.audience)."""
    return list(await session.scalars(office_contacts().order_by(Contact.chat_id)))


async def plan_due_deliveries(
    session: AsyncSession, now: datetime, policy: ReminderPolicy
) -> list[Claim]:
    """Claim every reminder due at ``now``; return the new pending rows (id, chat).

    Rows are inserted in this transaction; the caller commits, then sends. A row that
    already exists (claimed by an earlier tick, or another process) is left untouched.
    """
    claims: list[Claim] = []
    groups: list[tuple[Any, list[Planned]]] = [
        (Assignment.due_on == due_on, slots)
        for due_on, slots in slots_in_window(now, policy).items()
    ]
    checkins = checkins_in_window(now, policy)
    if checkins:
        groups.append((_checkin_assignments(), checkins))
    # The office is a handful of chats: one statement per chat keeps each a plain index
    # search on assignments (a join would probe the contacts for every assignment).
    office = await office_chats(session) if groups else []
    for where, slots in groups:
        send, skip = _split_latest(slots)
        for planned, status in [(s, DeliveryStatus.SKIPPED) for s in skip] + [
            (s, DeliveryStatus.PENDING) for s in send
        ]:
            if planned.audience == Audience.UNIT:
                targets = [_unit_targets(planned)]
            else:
                targets = [_office_targets(planned, chat) for chat in office]
            for target in targets:
                if status == DeliveryStatus.PENDING:
                    claims += await claim(
                        session, planned.slot, target.where(where), due_at=planned.due_at, now=now
                    )
                else:
                    await claim_count(
                        session,
                        planned.slot,
                        target.where(where),
                        due_at=planned.due_at,
                        now=now,
                        status=status,
                    )
    return claims


def _checkin_assignments() -> Any:
    """Recurring tasks without a deadline, except periodic obligations (services.periods)."""
    return and_(
        Assignment.due_on.is_(None),
        Assignment.recurring.is_(True),
        Assignment.period_rule.is_(None),
    )


# --- Muting ---------------------------------------------------------------------------------


async def set_unit_muted(
    session: AsyncSession, unit_id: int, muted: bool, now: datetime, origin: Origin
) -> bool:
    """Mute or unmute a unit's non-overdue reminders; False if it already was so."""
    result = await session.execute(
        update(Unit).where(Unit.id == unit_id, Unit.muted.is_not(muted)).values(muted=muted)
    )
    changed = result.rowcount == 1  # type: ignore[attr-defined]
    if changed:
        record_event(
            session, "unit_muted" if muted else "unit_unmuted", now, origin, unit_id=unit_id
        )
    return changed
