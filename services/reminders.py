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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Select, and_, literal, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentStatus,
    Contact,
    Dispatch,
    Period,
    Person,
    ReminderDelivery,
    Role,
    Task,
    Unit,
    UTCDateTime,
)
from services.deliveries import DeliveryStatus
from services.events import Origin, record_event
from services.workdays import WorkingCalendar

MIN_WINDOW = timedelta(hours=1)
MAX_SLOT_LENGTH = 64


class Audience(StrEnum):
    UNIT = "unit"
    SUPERVISORS = "supervisors"


class SlotKind(StrEnum):
    DUE = "due"
    OVERDUE = "over"
    LATE_LIST = "late"
    ESCALATION = "esc"
    CHECK_IN = "check"


REMINDER_KINDS = frozenset(SlotKind)
# Kinds sent to supervisors as one list per chat rather than one message per assignment.
LIST_KINDS = frozenset({SlotKind.LATE_LIST, SlotKind.ESCALATION})
# Kinds a muted unit does not get.
MUTABLE_KINDS = frozenset({SlotKind.DUE, SlotKind.CHECK_IN})


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
class Slot:
    name: str
    kind: SlotKind
    audience: Audience
    day: date
    due_at: datetime


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
    send: tuple[Slot, ...]  # at most one per audience: the latest slot due in the window
    skip: tuple[Slot, ...]  # older slots in the window, recorded as skipped


class Claim(NamedTuple):
    delivery_id: int
    chat_id: int


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


def slot_kind(slot: str) -> str:
    """``due-3:2026-01-09`` → ``due``; ``new`` → ``new``."""
    return slot.split(":", 1)[0].split("-", 1)[0]


def slot_deadline(slot: str) -> date | None:
    """The deadline a deadline slot was computed for (``None`` for other slots)."""
    if slot_kind(slot) not in (
        SlotKind.DUE,
        SlotKind.OVERDUE,
        SlotKind.LATE_LIST,
        SlotKind.ESCALATION,
    ):
        return None
    try:
        return date.fromisoformat(slot.split(":", 1)[1])
    except (IndexError, ValueError):
        return None


def _keep_latest_per_day(slots: list[Slot]) -> list[Slot]:
    """Slots in schedule order; of several on one day only the last survives."""
    by_day: dict[date, Slot] = {}
    for slot in slots:
        by_day[slot.day] = slot
    return sorted(by_day.values(), key=lambda s: s.due_at)


def deadline_slots(due_on: date, policy: ReminderPolicy) -> list[Slot]:
    """Every slot of a deadline, in time order (see the module docstring)."""
    when, tz, days = policy.send_time, policy.tz, policy.calendar
    stamp = due_on.isoformat()

    def make(name: str, kind: SlotKind, audience: Audience, day: date) -> Slot:
        return Slot(name, kind, audience, day, local_at(day, when, tz))

    before = [
        make(
            f"due-{offset}:{stamp}",
            SlotKind.DUE,
            Audience.UNIT,
            previous_working_day(due_on - timedelta(days=offset), days),
        )
        for offset in sorted(set(policy.offsets_days), reverse=True)
    ]
    after = [
        make(
            f"over-{n + 1}:{stamp}",
            SlotKind.OVERDUE,
            Audience.UNIT,
            next_working_day(due_on + timedelta(days=1 + n * policy.overdue_every_days), days),
        )
        for n in range(policy.overdue_max_reminders)
    ]
    supervisors = [
        make(
            f"late:{stamp}",
            SlotKind.LATE_LIST,
            Audience.SUPERVISORS,
            next_working_day(due_on + timedelta(days=1), days),
        ),
        make(
            f"esc:{stamp}",
            SlotKind.ESCALATION,
            Audience.SUPERVISORS,
            next_working_day(due_on + timedelta(days=max(1, policy.escalate_after_days)), days),
        ),
    ]
    slots = _keep_latest_per_day(before) + _keep_latest_per_day(after)
    return sorted(slots + _keep_latest_per_day(supervisors), key=lambda s: s.due_at)


def checkin_slot(year: int, month: int, policy: ReminderPolicy) -> Slot:
    day = next_working_day(date(year, month, 1), policy.calendar)
    return Slot(
        f"check:{year:04d}-{month:02d}",
        SlotKind.CHECK_IN,
        Audience.UNIT,
        day,
        local_at(day, policy.send_time, policy.tz),
    )


def _in_window(slot: Slot, now: datetime, policy: ReminderPolicy) -> bool:
    return now - policy.window < slot.due_at <= now


def _split_latest(slots: Iterable[Slot]) -> tuple[list[Slot], list[Slot]]:
    """Per audience: the latest slot to send, the older ones to skip."""
    send: list[Slot] = []
    skip: list[Slot] = []
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


def _checkins_near(now: datetime, policy: ReminderPolicy) -> list[Slot]:
    first = (now - policy.window).astimezone(policy.tz).date().replace(day=1)
    last = now.astimezone(policy.tz).date()
    slots = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        slots.append(checkin_slot(year, month, policy))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return slots


def slots_in_window(now: datetime, policy: ReminderPolicy) -> dict[date, list[Slot]]:
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
    found: dict[date, list[Slot]] = {}
    day = start - timedelta(days=after)
    while day <= today + timedelta(days=before):
        slots = [s for s in deadline_slots(day, policy) if _in_window(s, now, policy)]
        if slots:
            found[day] = slots
        day += timedelta(days=1)
    return found


def checkins_in_window(now: datetime, policy: ReminderPolicy) -> list[Slot]:
    return [s for s in _checkins_near(now, policy) if _in_window(s, now, policy)]


# --- Planning in SQL ------------------------------------------------------------------------


def _insert(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _unit_targets(slot: Slot) -> Select[int, int]:
    """(assignment id, chat id) for the unit's active chats; muted units skip mutable kinds."""
    query = (
        select(Assignment.id, Contact.chat_id)
        .join(Contact, Contact.unit_id == Assignment.unit_id)
        .where(
            Assignment.status == AssignmentStatus.OPEN,
            Assignment.assigned_at <= slot.due_at,
            Contact.active.is_(True),
            Contact.blocked_at.is_(None),
        )
    )
    if slot.kind in MUTABLE_KINDS:
        query = query.join(Unit, Unit.id == Assignment.unit_id).where(Unit.muted.is_(False))
    return query


def supervisor_contacts() -> Select[Any]:
    """Private chats of active supervisors that have not blocked the bot."""
    return (
        select(Contact.chat_id)
        .join(Person, Person.id == Contact.person_id)
        .where(
            Person.role == Role.SUPERVISOR,
            Person.active.is_(True),
            Contact.active.is_(True),
            Contact.blocked_at.is_(None),
        )
    )


def _supervisor_targets(slot: Slot, chat_id: int) -> Select[int, int]:
    return select(Assignment.id, literal(chat_id, BigInteger())).where(
        Assignment.status == AssignmentStatus.OPEN,
        Assignment.assigned_at <= slot.due_at,
    )


async def _claim(
    session: AsyncSession, targets: Select[int, int], slot: Slot, status: str, now: datetime
) -> list[Claim]:
    rows = targets.add_columns(
        literal(slot.name),
        literal(status),
        literal(slot.due_at, UTCDateTime()),
        literal(now, UTCDateTime()),
    )
    table = ReminderDelivery.__table__
    statement = (
        _insert(session.get_bind().dialect.name)(table)
        .from_select(["assignment_id", "chat_id", "slot", "status", "due_at", "claimed_at"], rows)
        .on_conflict_do_nothing(index_elements=["assignment_id", "slot", "chat_id"])
    )
    if status != DeliveryStatus.PENDING:
        await session.execute(statement)
        return []
    result = await session.execute(statement.returning(table.c.id, table.c.chat_id))
    return [Claim(*row) for row in result]


async def plan_due_deliveries(
    session: AsyncSession, now: datetime, policy: ReminderPolicy
) -> list[Claim]:
    """Claim every reminder due at ``now``; return the new pending rows (id, chat).

    Rows are inserted in this transaction; the caller commits, then sends. A row that
    already exists (claimed by an earlier tick, or another process) is left untouched.
    """
    claims: list[Claim] = []
    groups: list[tuple[Any, list[Slot]]] = [
        (Assignment.due_on == due_on, slots)
        for due_on, slots in slots_in_window(now, policy).items()
    ]
    checkins = checkins_in_window(now, policy)
    if checkins:
        groups.append((_checkin_assignments(), checkins))
    # Supervisors are a handful of chats: one statement per chat keeps each a plain index
    # search on assignments (a join would probe the contacts for every assignment).
    supervisors = list(await session.scalars(supervisor_contacts())) if groups else []
    for where, slots in groups:
        send, skip = _split_latest(slots)
        for slot, status in [(s, DeliveryStatus.SKIPPED) for s in skip] + [
            (s, DeliveryStatus.PENDING) for s in send
        ]:
            if slot.audience == Audience.UNIT:
                targets = [_unit_targets(slot)]
            else:
                targets = [_supervisor_targets(slot, chat) for chat in supervisors]
            for target in targets:
                claims += await _claim(session, target.where(where), slot, status, now)
    return claims


def _checkin_assignments() -> Any:
    """Recurring tasks without a deadline, except periodic obligations (services.periods)."""
    return and_(
        Assignment.due_on.is_(None),
        Assignment.recurring.is_(True),
        Assignment.period_rule.is_(None),
    )


def _is_reminder_slot() -> Any:
    return or_(
        *(ReminderDelivery.slot.like(f"{kind}-%") for kind in (SlotKind.DUE, SlotKind.OVERDUE)),
        *(
            ReminderDelivery.slot.like(f"{kind}:%")
            for kind in (SlotKind.LATE_LIST, SlotKind.ESCALATION, SlotKind.CHECK_IN)
        ),
    )


async def deliverable(
    session: AsyncSession, now: datetime, policy: ReminderPolicy, limit: int = 20_000
) -> list[Claim]:
    """Pending rows to send now (this tick's and any left by a crash or a retry).

    Reminder rows that waited longer than the catch-up window are skipped instead: they
    are stale, and a newer slot has been or will be planned. Other rows (a new task's
    announcement) are always sent, however late.
    """
    await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.status == DeliveryStatus.PENDING,
            ReminderDelivery.due_at <= now - policy.window,
            _is_reminder_slot(),
        )
        .values(status=DeliveryStatus.SKIPPED, error="stale")
    )
    rows = await session.execute(
        select(ReminderDelivery.id, ReminderDelivery.chat_id)
        .where(ReminderDelivery.status == DeliveryStatus.PENDING, ReminderDelivery.due_at <= now)
        .order_by(ReminderDelivery.due_at, ReminderDelivery.id)
        .limit(limit)
    )
    return [Claim(*row) for row in rows]


# --- What a reminder says -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderFacts:
    delivery_id: int
    slot: str
    chat_id: int
    assignment_id: int
    status: str
    due_on: date | None
    recurring: bool
    unit_id: int
    unit_name: str
    unit_muted: bool
    heads: tuple[str, ...]
    dispatch_kind: str
    dispatch_number: str | None
    dispatch_subject: str | None
    has_original: bool
    task_ref: str
    task_text: str
    # A periodic obligation's reminder: the period's key and status (services.periods).
    period_key: str | None = None
    period_status: str | None = None
    obligation: bool = False

    @property
    def kind(self) -> str:
        return slot_kind(self.slot)

    def still_due(self) -> bool:
        """Whether the reminder still applies (the task may have been done or extended)."""
        if self.status != AssignmentStatus.OPEN:
            return False
        if self.kind in MUTABLE_KINDS and self.unit_muted:
            return False
        if self.obligation:
            return self.kind != SlotKind.CHECK_IN and self.period_status == "open"
        if self.kind == SlotKind.CHECK_IN:
            return self.due_on is None and self.recurring
        return slot_deadline(self.slot) == self.due_on


async def reminder_facts(session: AsyncSession, delivery_ids: Sequence[int]) -> list[ReminderFacts]:
    """Facts for many deliveries in two queries, in the order of ``delivery_ids``."""
    if not delivery_ids:
        return []
    rows = (
        await session.execute(
            select(ReminderDelivery, Assignment, Task, Dispatch, Unit)
            .join(Assignment, Assignment.id == ReminderDelivery.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Dispatch, Dispatch.id == Task.dispatch_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(ReminderDelivery.id.in_(list(delivery_ids)))
        )
    ).all()
    heads = await unit_heads(session, {row[4].id for row in rows})
    by_id = {
        delivery.id: ReminderFacts(
            delivery_id=delivery.id,
            slot=delivery.slot,
            chat_id=delivery.chat_id,
            assignment_id=assignment.id,
            status=assignment.status,
            due_on=assignment.due_on,
            recurring=assignment.recurring,
            unit_id=unit.id,
            unit_name=unit.name,
            unit_muted=unit.muted,
            heads=heads.get(unit.id, ()),
            dispatch_kind=dispatch.kind,
            dispatch_number=dispatch.number,
            dispatch_subject=dispatch.subject,
            has_original=dispatch.file_path is not None,
            task_ref=task.ref,
            task_text=task.text,
            obligation=assignment.period_rule is not None,
        )
        for delivery, assignment, task, dispatch, unit in rows
    }
    await _add_periods(session, by_id)
    return [by_id[i] for i in delivery_ids if i in by_id]


async def _add_periods(session: AsyncSession, by_id: dict[int, ReminderFacts]) -> None:
    """An obligation's reminder is about the period due on the slot's date."""
    wanted = {
        (f.assignment_id, due): i
        for i, f in by_id.items()
        if f.obligation and (due := slot_deadline(f.slot)) is not None
    }
    if not wanted:
        return
    rows = await session.execute(
        select(Period.assignment_id, Period.due_on, Period.key, Period.status).where(
            Period.assignment_id.in_({a for a, _ in wanted}),
            Period.due_on.in_({d for _, d in wanted}),
        )
    )
    for assignment_id, due_on, key, status in rows:
        delivery_id = wanted.get((assignment_id, due_on))
        if delivery_id is not None:
            by_id[delivery_id] = replace(
                by_id[delivery_id], due_on=due_on, period_key=key, period_status=status
            )


async def unit_heads(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    ids = list(unit_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.unit_id, Person.name)
        .where(Person.unit_id.in_(ids), Person.role == Role.HEAD, Person.active.is_(True))
        .order_by(Person.id)
    )
    heads: dict[int, list[str]] = {}
    for unit_id, name in rows:
        if unit_id is not None:
            heads.setdefault(unit_id, []).append(name)
    return {unit_id: tuple(names) for unit_id, names in heads.items()}


async def delivery_slots(session: AsyncSession, delivery_ids: Sequence[int]) -> dict[int, str]:
    rows = await session.execute(
        select(ReminderDelivery.id, ReminderDelivery.slot).where(
            ReminderDelivery.id.in_(list(delivery_ids))
        )
    )
    return {delivery_id: slot for delivery_id, slot in rows}


async def skip_delivery(session: AsyncSession, delivery_id: int, reason: str) -> bool:
    """pending → skipped (the reminder no longer applies); False if someone else has it."""
    result = await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.id == delivery_id, ReminderDelivery.status == DeliveryStatus.PENDING
        )
        .values(status=DeliveryStatus.SKIPPED, error=reason)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def fail_pending_in_chat(
    session: AsyncSession, delivery_ids: Sequence[int], reason: str
) -> None:
    """The chat blocked the bot: its other pending rows fail without another request."""
    if delivery_ids:
        await session.execute(
            update(ReminderDelivery)
            .where(
                ReminderDelivery.id.in_(list(delivery_ids)),
                ReminderDelivery.status == DeliveryStatus.PENDING,
            )
            .values(status=DeliveryStatus.FAILED, error=reason[:300])
        )


async def move_pending_chat(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """A group migrated: its other pending rows follow it to the new chat id."""
    await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.chat_id == old_chat_id,
            ReminderDelivery.status == DeliveryStatus.PENDING,
        )
        .values(chat_id=new_chat_id)
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


# --- Telling supervisors a chat is unreachable ----------------------------------------------

BLOCKED_SLOT = "blocked"


@dataclass(frozen=True, slots=True)
class BlockedChat:
    chat_id: int
    kind: str
    title: str | None
    person_name: str | None
    unit_name: str | None


async def claim_blocked_notices(
    session: AsyncSession, blocked: Sequence[tuple[int, int]], now: datetime
) -> list[Claim]:
    """One notice per (blocked chat, supervisor chat), keyed on the assignment that failed."""
    claims: list[Claim] = []
    table = ReminderDelivery.__table__
    for assignment_id, chat_id in blocked:
        chats = supervisor_contacts().where(Contact.chat_id != chat_id).subquery()
        rows = select(
            literal(assignment_id),
            chats.c.chat_id,
            literal(f"{BLOCKED_SLOT}:{chat_id}"),
            literal(DeliveryStatus.PENDING),
            literal(now, UTCDateTime()),
            literal(now, UTCDateTime()),
        ).where(true())
        statement = (
            _insert(session.get_bind().dialect.name)(table)
            .from_select(
                ["assignment_id", "chat_id", "slot", "status", "due_at", "claimed_at"], rows
            )
            .on_conflict_do_nothing(index_elements=["assignment_id", "slot", "chat_id"])
            .returning(table.c.id, table.c.chat_id)
        )
        claims += [Claim(*row) for row in await session.execute(statement)]
    return claims


async def blocked_chat(session: AsyncSession, chat_id: int) -> BlockedChat:
    row = (
        await session.execute(
            select(Contact.kind, Contact.title, Person.name, Unit.name)
            .outerjoin(Person, Person.id == Contact.person_id)
            .outerjoin(Unit, Unit.id == Contact.unit_id)
            .where(Contact.chat_id == chat_id)
        )
    ).first()
    if row is None:
        return BlockedChat(chat_id, "private", None, None, None)
    return BlockedChat(chat_id, *row)
