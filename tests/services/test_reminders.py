"""Reminder planning: the pure rules, and the set-based claiming on a real database."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import (
    Assignment,
    AssignmentStatus,
    Contact,
    Dispatch,
    Person,
    ReminderDelivery,
    Role,
    Task,
    Unit,
)
from services.deliveries import (
    DeliveryStatus,
    claim,
    deliverable,
    delivery_facts,
    mark_interrupted,
    start_sending,
)
from services.reminders import (
    AssignmentFacts,
    ReminderPolicy,
    deadline_slots,
    due_slots,
    in_quiet_hours,
    plan_due_deliveries,
)
from services.slots import Slot
from services.workdays import WorkingCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
POLICY = ReminderPolicy(tz=TZ)
FRIDAY = date(2026, 1, 16)
MONDAY = date(2026, 1, 19)


def local(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ).astimezone(UTC)


def names(slots) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.name for s in slots]


def facts(due_on: date | None, assigned: datetime, **kw) -> AssignmentFacts:  # type: ignore[no-untyped-def]
    return AssignmentFacts(due_on=due_on, recurring=due_on is None, assigned_at=assigned, **kw)


# --- Pure rules -----------------------------------------------------------------------------


def test_deadline_slots_follow_the_offsets_at_reminder_time() -> None:
    slots = [s for s in deadline_slots(FRIDAY, POLICY) if s.name.startswith("due")]
    assert [(s.name, s.day) for s in slots] == [
        ("due-7:2026-01-16", date(2026, 1, 9)),
        ("due-3:2026-01-16", date(2026, 1, 13)),
        ("due-1:2026-01-16", date(2026, 1, 15)),
        ("due-0:2026-01-16", FRIDAY),
    ]
    assert all(s.due_at == local(s.day) for s in slots)


def test_a_reminder_on_a_weekend_moves_to_the_previous_working_day() -> None:
    # D is Monday: D-1 is Sunday → Friday, where it meets D-3 (Friday): the later one stays.
    slots = [s for s in deadline_slots(MONDAY, POLICY) if s.name.startswith("due")]
    assert [(s.name, s.day) for s in slots] == [
        ("due-7:2026-01-19", date(2026, 1, 12)),
        ("due-1:2026-01-19", date(2026, 1, 16)),
        ("due-0:2026-01-19", MONDAY),
    ]


def test_overdue_reminders_repeat_every_n_days_up_to_the_maximum() -> None:
    policy = replace(POLICY, overdue_every_days=2, overdue_max_reminders=3)
    over = [s for s in deadline_slots(date(2026, 1, 13), policy) if s.name.startswith("over")]
    assert [(s.name, s.day) for s in over] == [
        ("over-1:2026-01-13", date(2026, 1, 14)),
        ("over-2:2026-01-13", date(2026, 1, 16)),
        ("over-3:2026-01-13", date(2026, 1, 19)),  # Sunday 18th → Monday
    ]


def test_the_office_gets_the_late_list_then_the_escalation() -> None:
    slots = deadline_slots(date(2026, 1, 13), POLICY)
    supervisors = [(s.name, s.day) for s in slots if s.audience == "office"]
    assert supervisors == [
        ("late:2026-01-13", date(2026, 1, 14)),
        ("esc:2026-01-13", date(2026, 1, 16)),
    ]


def test_slot_names_fit_the_ledger_column() -> None:
    policy = replace(POLICY, offsets_days=(365, 0), overdue_max_reminders=1000)
    assert max(len(s.name) for s in deadline_slots(date(2999, 12, 31), policy)) <= 64


def test_offsets_already_past_at_assignment_are_skipped() -> None:
    assigned = local(date(2026, 1, 14), 10)  # Wednesday, after D-3 (Tuesday) had passed
    sent = []
    now = assigned
    while now < local(FRIDAY, 23):
        now += timedelta(hours=1)
        plan = due_slots(facts(FRIDAY, assigned), POLICY, now)
        sent += [s.name for s in plan.send if s.name not in sent]
    assert sent == ["due-1:2026-01-16", "due-0:2026-01-16"]


def test_after_an_outage_only_the_latest_slot_is_sent_and_older_ones_skipped() -> None:
    policy = replace(POLICY, catchup_hours=72)
    plan = due_slots(facts(FRIDAY, local(date(2026, 1, 1))), policy, local(FRIDAY, 9))
    assert names(plan.send) == ["due-0:2026-01-16"]
    assert names(plan.skip) == ["due-1:2026-01-16"]  # Tuesday's D-3 is past the 72 h window


def test_slots_older_than_the_catch_up_window_are_never_sent() -> None:
    plan = due_slots(
        facts(FRIDAY, local(date(2026, 1, 1))), POLICY, local(FRIDAY, 9) + timedelta(days=1)
    )
    # Saturday 09:00: Friday 08:00 is 25 h ago, past CATCHUP_HOURS=24.
    assert plan.send == ()
    assert plan.skip == ()


def test_muted_units_get_no_pre_deadline_reminders_but_still_overdue_ones() -> None:
    muted = facts(FRIDAY, local(date(2026, 1, 1)), muted=True)
    assert due_slots(muted, POLICY, local(FRIDAY, 9)).send == ()
    plan = due_slots(muted, POLICY, local(date(2026, 1, 21), 9))
    assert names(plan.send) == ["over-3:2026-01-16"]


def test_answered_assignments_get_nothing() -> None:
    for status in (AssignmentStatus.DONE, AssignmentStatus.EXTENSION_REQUESTED):
        plan = due_slots(
            facts(FRIDAY, local(date(2026, 1, 1)), status=status), POLICY, local(FRIDAY, 9)
        )
        assert plan.send == ()


def test_recurring_tasks_get_a_check_in_on_the_first_working_day_of_the_month() -> None:
    recurring = facts(None, local(date(2026, 1, 10)))
    # 1 February 2026 is a Sunday: the check-in is Monday the 2nd.
    assert due_slots(recurring, POLICY, local(date(2026, 2, 1), 9)).send == ()
    plan = due_slots(recurring, POLICY, local(date(2026, 2, 2), 9))
    assert names(plan.send) == ["check:2026-02"]


def test_an_extension_gives_new_slots_and_the_old_ones_are_never_due() -> None:
    old = {s.name for s in deadline_slots(FRIDAY, POLICY)}
    new = {s.name for s in deadline_slots(date(2026, 1, 30), POLICY)}
    assert not old & new


def test_quiet_hours_span_midnight() -> None:
    assert in_quiet_hours(local(FRIDAY, 20), POLICY)
    assert in_quiet_hours(local(FRIDAY, 6, 59), POLICY)
    assert not in_quiet_hours(local(FRIDAY, 7), POLICY)
    assert not in_quiet_hours(local(FRIDAY, 19, 59), POLICY)


def test_a_reminder_time_inside_quiet_hours_waits_for_the_morning() -> None:
    policy = replace(POLICY, reminder_time=time(21, 30))
    [first, *_] = deadline_slots(FRIDAY, policy)
    assert first.due_at == local(date(2026, 1, 9), 7)


# --- Planning on the database ---------------------------------------------------------------


class World:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.task_id: int | None = None
        self.chat = 1000

    async def unit(
        self, name: str, *, chats: int = 1, muted: bool = False, head: str | None = None
    ) -> int:
        unit = Unit(name=name, aliases=[], muted=muted)
        self.session.add(unit)
        await self.session.flush()
        for _ in range(chats):
            self.chat += 1
            self.session.add(
                Contact(
                    chat_id=self.chat, kind="private", unit_id=unit.id, created_at=local(FRIDAY)
                )
            )
        if head:
            self.session.add(
                Person(
                    telegram_user_id=self.chat + 50_000,
                    name=head,
                    role=Role.HEAD,
                    unit_id=unit.id,
                    created_at=local(FRIDAY),
                )
            )
        await self.session.flush()
        return unit.id

    async def supervisor(self) -> int:
        self.chat += 1
        person = Person(
            telegram_user_id=self.chat,
            name="Văn phòng",
            role=Role.SUPERVISOR,
            created_at=local(FRIDAY),
        )
        self.session.add(person)
        await self.session.flush()
        self.session.add(
            Contact(
                chat_id=self.chat, kind="private", person_id=person.id, created_at=local(FRIDAY)
            )
        )
        await self.session.flush()
        return self.chat

    async def assignment(
        self,
        unit_id: int,
        due_on: date | None,
        assigned_at: datetime,
        status: str = AssignmentStatus.OPEN,
    ) -> int:
        dispatch = Dispatch(
            status="active", kind="cong_van", number="1/UBND", created_at=assigned_at
        )
        self.session.add(dispatch)
        await self.session.flush()
        task = Task(dispatch_id=dispatch.id, position=1, ref="1", text="Báo cáo")
        self.session.add(task)
        await self.session.flush()
        assignment = Assignment(
            task_id=task.id,
            unit_id=unit_id,
            status=status,
            due_on=due_on,
            original_due_on=due_on,
            recurring=due_on is None,
            assigned_at=assigned_at,
        )
        self.session.add(assignment)
        await self.session.flush()
        return assignment.id


async def ledger(session: AsyncSession) -> set[tuple[int, str, int, str]]:
    rows = await session.execute(
        select(
            ReminderDelivery.assignment_id,
            ReminderDelivery.slot,
            ReminderDelivery.chat_id,
            ReminderDelivery.status,
        )
    )
    return {tuple(row) for row in rows}


async def test_planning_claims_one_row_per_chat_and_never_twice(session: AsyncSession) -> None:
    world = World(session)
    unit = await world.unit("Sở Tài chính", chats=2)
    task = await world.assignment(unit, FRIDAY, local(date(2026, 1, 1)))
    first = await plan_due_deliveries(session, local(FRIDAY, 8, 1), POLICY)
    again = await plan_due_deliveries(session, local(FRIDAY, 8, 2), POLICY)
    assert len(first) == 2
    assert again == []
    assert await ledger(session) == {
        (task, "due-0:2026-01-16", 1001, "pending"),
        (task, "due-0:2026-01-16", 1002, "pending"),
    }


async def test_nothing_is_claimed_before_reminder_time(session: AsyncSession) -> None:
    world = World(session)
    # Given on Thursday after D-1's time: the next slot is D itself, Friday 08:00.
    await world.assignment(await world.unit("Sở Y tế"), FRIDAY, local(date(2026, 1, 15), 10))
    assert await plan_due_deliveries(session, local(FRIDAY, 7, 59), POLICY) == []
    assert len(await plan_due_deliveries(session, local(FRIDAY, 8), POLICY)) == 1


async def test_only_open_assignments_are_claimed(session: AsyncSession) -> None:
    world = World(session)
    unit = await world.unit("Sở Xây dựng")
    assigned = local(date(2026, 1, 1))
    await world.assignment(unit, FRIDAY, assigned, AssignmentStatus.DONE)
    await world.assignment(unit, FRIDAY, assigned, AssignmentStatus.EXTENSION_REQUESTED)
    open_id = await world.assignment(unit, FRIDAY, assigned)
    claims = await plan_due_deliveries(session, local(FRIDAY, 9), POLICY)
    assert {a for a, *_ in await ledger(session)} == {open_id}
    assert len(claims) == 1


async def test_muted_unit_is_skipped_before_the_deadline_but_not_after(
    session: AsyncSession,
) -> None:
    world = World(session)
    unit = await world.unit("Sở Công Thương", muted=True)
    supervisor = await world.supervisor()
    task = await world.assignment(unit, FRIDAY, local(date(2026, 1, 1)))
    assert await plan_due_deliveries(session, local(FRIDAY, 9), POLICY) == []
    await plan_due_deliveries(session, local(date(2026, 1, 19), 9), POLICY)
    assert await ledger(session) == {
        (task, "over-2:2026-01-16", 1001, "pending"),
        (task, "esc:2026-01-16", supervisor, "pending"),
    }


async def test_catch_up_after_three_days_sends_the_latest_and_records_the_rest(
    session: AsyncSession,
) -> None:
    world = World(session)
    unit = await world.unit("Sở Nội vụ")
    task = await world.assignment(unit, FRIDAY, local(date(2026, 1, 1)))
    # Down from Tuesday 07:00 to Friday 10:00, catch-up 72 h: D-1 (Thu) and D (Fri) missed.
    policy = replace(POLICY, catchup_hours=72)
    claims = await plan_due_deliveries(session, local(FRIDAY, 10), policy)
    assert len(claims) == 1
    assert await ledger(session) == {
        (task, "due-1:2026-01-16", 1001, "skipped"),
        (task, "due-0:2026-01-16", 1001, "pending"),
    }


async def test_sql_planning_matches_the_pure_rule(session: AsyncSession) -> None:
    world = World(session)
    rng = random.Random(7)
    units = [await world.unit(f"Đơn vị {i}", muted=i % 4 == 0) for i in range(8)]
    supervisor = await world.supervisor()
    start = date(2026, 1, 5)
    policy = replace(POLICY, catchup_hours=30)
    made: dict[int, AssignmentFacts] = {}
    unit_chat = {unit: 1001 + i for i, unit in enumerate(units)}
    unit_of: dict[int, int] = {}
    for _ in range(60):
        unit = rng.choice(units)
        due = None if rng.random() < 0.1 else start + timedelta(days=rng.randrange(-10, 30))
        assigned = local(start - timedelta(days=rng.randrange(0, 12)), rng.randrange(0, 24))
        status = rng.choice([AssignmentStatus.OPEN] * 4 + [AssignmentStatus.DONE])
        assignment_id = await world.assignment(unit, due, assigned, status)
        made[assignment_id] = AssignmentFacts(
            due, due is None, assigned, status, unit in units[::4]
        )
        unit_of[assignment_id] = unit
    ticks, now = [], local(start, 7)
    for _ in range(40):
        now += timedelta(hours=rng.randrange(5, 30))
        ticks.append(now)
    for now in ticks:
        await plan_due_deliveries(session, now, policy)
    # The same ticks through the pure rule: the first claim of a key wins, as in the ledger.
    expected: dict[tuple[int, str, int], str] = {}
    for now in ticks:
        for assignment_id, fact in made.items():
            plan = due_slots(fact, policy, now)
            for slot in plan.send + plan.skip:
                chat = unit_chat[unit_of[assignment_id]] if slot.audience == "unit" else supervisor
                status = "pending" if slot in plan.send else "skipped"
                expected.setdefault((assignment_id, slot.name, chat), status)
    actual = {(a, s, c): st for a, s, c, st in await ledger(session)}
    assert actual == expected


async def test_stale_pending_reminders_are_skipped_but_new_task_notices_are_sent(
    session: AsyncSession,
) -> None:
    world = World(session)
    unit = await world.unit("Sở Tư pháp")
    task = await world.assignment(unit, FRIDAY, local(date(2026, 1, 1)))
    await plan_due_deliveries(session, local(FRIDAY, 9), POLICY)
    await claim(
        session,
        Slot.new(),
        [(task, 1001)],
        due_at=local(date(2026, 1, 1)),
        now=local(date(2026, 1, 1)),
    )
    later = local(FRIDAY, 9) + timedelta(days=2)
    rows = await deliverable(session, later, POLICY.window)
    assert await ledger(session) == {
        (task, "due-0:2026-01-16", 1001, "skipped"),
        (task, "new", 1001, "pending"),
    }
    assert [r.chat_id for r in rows] == [1001]


async def test_a_claimed_reminder_no_longer_applies_after_an_extension(
    session: AsyncSession,
) -> None:
    world = World(session)
    unit = await world.unit("Sở Giáo dục", head="Trần Thị Hoa")
    task = await world.assignment(unit, FRIDAY, local(date(2026, 1, 1)))
    [claim] = await plan_due_deliveries(session, local(FRIDAY, 9), POLICY)
    [before] = await delivery_facts(session, [claim.delivery_id])
    assert before.still_due()
    await session.execute(
        update(Assignment).where(Assignment.id == task).values(due_on=date(2026, 1, 30))
    )
    [after] = await delivery_facts(session, [claim.delivery_id])
    assert not after.still_due()


async def test_a_crash_between_claim_and_send_loses_nothing_and_duplicates_nothing(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory.begin() as session:
        world = World(session)
        unit = await world.unit("Sở Văn hóa", chats=3)
        await world.assignment(unit, FRIDAY, local(date(2026, 1, 1)))
        claims = await plan_due_deliveries(session, local(FRIDAY, 9), POLICY)
    first, second, _third = sorted(c.delivery_id for c in claims)
    async with session_factory.begin() as session:
        assert await start_sending(session, [first])  # then the process dies mid-request
    async with session_factory.begin() as session:
        await session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id == second)
            .values(status=DeliveryStatus.SENT, message_id=5)
        )
    # Restart: the interrupted one is unknown (never resent), the untouched one still pending.
    async with session_factory.begin() as session:
        assert await mark_interrupted(session) == 1
        rows = await deliverable(session, local(FRIDAY, 9, 5), POLICY.window)
        statuses = dict(
            (await session.execute(select(ReminderDelivery.id, ReminderDelivery.status))).all()
        )
    assert statuses[first] == DeliveryStatus.UNKNOWN
    assert [r.delivery_id for r in rows] == [_third]
    async with session_factory.begin() as session:
        assert await plan_due_deliveries(session, local(FRIDAY, 9, 5), POLICY) == []


@pytest.mark.parametrize("hour", [20, 23, 3, 6])
def test_the_tick_is_quiet_at_night(hour: int) -> None:
    assert in_quiet_hours(local(FRIDAY, hour), POLICY)


def test_no_reminder_falls_on_a_day_off_across_tet_2027() -> None:
    # Tết 2027 closes the office 04/02 to 10/02 (mùng 1 is Saturday 06/02).
    calendar = POLICY.calendar
    start = date(2027, 1, 20)
    for offset in range(40):
        due_on = start + timedelta(days=offset)
        for slot in deadline_slots(due_on, POLICY):
            assert calendar.is_working_day(slot.day), (due_on, slot.name, slot.day)


def test_a_reminder_on_a_tet_holiday_moves_to_the_last_working_day_before_tet() -> None:
    # D = Friday 12/02/2027: D-7 (05/02) and D-3 (09/02) are Tết → Wednesday 03/02.
    slots = [s for s in deadline_slots(date(2027, 2, 12), POLICY) if s.name.startswith("due")]
    assert [(s.name, s.day) for s in slots] == [
        ("due-3:2027-02-12", date(2027, 2, 3)),
        ("due-1:2027-02-12", date(2027, 2, 11)),
        ("due-0:2027-02-12", date(2027, 2, 12)),
    ]


def test_an_overdue_reminder_on_a_tet_holiday_waits_for_the_first_working_day() -> None:
    # D = Wednesday 03/02/2027: the overdue reminders of 04/02 to 10/02 all wait for 11/02,
    # where only the latest of each audience is kept.
    after = [s for s in deadline_slots(date(2027, 2, 3), POLICY) if s.day > date(2027, 2, 3)]
    assert min(s.day for s in after) == date(2027, 2, 11)
    assert [s.name for s in after if s.day == date(2027, 2, 11)] == [
        "over-4:2027-02-03",
        "esc:2027-02-03",
    ]


def test_an_extra_day_off_moves_a_reminder_too() -> None:
    policy = replace(POLICY, calendar=WorkingCalendar.build(extra_days_off=[date(2026, 1, 15)]))
    slots = {s.name: s.day for s in deadline_slots(FRIDAY, policy)}
    assert slots["due-1:2026-01-16"] == date(2026, 1, 14)


async def test_ticks_through_tet_2027_claim_nothing_on_a_day_off(session: AsyncSession) -> None:
    # Deadlines from 01/02 to 19/02/2027, assigned in January; a tick every morning at 08:00
    # from 25/01 to 25/02 claims reminders on working days only (Tết: 04/02 to 10/02).
    world = World(session)
    unit = await world.unit("Sở Nội vụ")
    for offset in range(19):
        await world.assignment(
            unit, date(2027, 2, 1) + timedelta(days=offset), local(date(2027, 1, 4))
        )
    claimed_on: dict[date, int] = {}
    for offset in range(32):
        day = date(2027, 1, 25) + timedelta(days=offset)
        claims = await plan_due_deliveries(session, local(day, 8, 1), POLICY)
        if claims:
            claimed_on[day] = len(claims)
    assert claimed_on
    assert all(POLICY.calendar.is_working_day(day) for day in claimed_on), sorted(claimed_on)
    assert date(2027, 2, 3) in claimed_on
    assert date(2027, 2, 11) in claimed_on
