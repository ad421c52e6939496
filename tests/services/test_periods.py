"""Periodic obligations: period rules, opening periods in the tick, per-period completion."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.handlers.summaries import WORKBOOK_LABELS
from ingest.model import Due, ParsedDispatch, ParsedTask
from models import Assignment, Contact, Period, Person, ReminderDelivery, Role, Unit
from services.assignments import open_assignments
from services.completions import (
    AlreadyDone,
    Completed,
    CompletionError,
    decide_extension,
    record_completion,
    request_extension,
    return_completion,
    stop_obligation,
    undo_completion,
)
from services.drafts import (
    DraftError,
    confirm_draft,
    create_draft,
    load_dispatch,
    set_task_reporting_rule,
)
from services.events import Origin
from services.people import Actor
from services.periods import (
    RuleEntry,
    RuleError,
    current_span,
    next_span,
    open_current_periods,
    parse_rule,
    plan_obligations,
    rule_from_dues,
    spans_around,
)
from services.reminders import ReminderPolicy
from services.summaries import (
    Category,
    Counts,
    export_rows,
    overdue_list,
    status_summary,
    task_history,
    unit_weekly_lists,
    weekly_digest,
)
from services.units import load_unit_index
from services.workbook import build_workbook

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
POLICY = ReminderPolicy(tz=TZ)
MONTHLY = Due("recurring", None, "trước ngày 20 hằng tháng", every="month", day=19)


def local(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ).astimezone(UTC)


START = local(date(2026, 10, 5), 9)  # Monday


# --- Pure rules -----------------------------------------------------------------------------


def test_a_monthly_rule_is_due_on_its_day_and_starts_after_the_previous_due() -> None:
    span = current_span(parse_rule("month:19"), date(2026, 12, 3))
    assert (span.key, span.starts_on, span.due_on) == (
        "2026-12",
        date(2026, 11, 20),
        date(2026, 12, 19),
    )


def test_the_period_after_its_due_date_is_the_next_one() -> None:
    assert current_span(parse_rule("month:19"), date(2026, 12, 20)).key == "2027-01"


def test_a_day_past_the_end_of_a_short_month_is_its_last_day() -> None:
    assert current_span(parse_rule("month:31"), date(2027, 2, 3)).due_on == date(2027, 2, 28)


def test_a_quarter_rule_counts_its_month_inside_the_quarter() -> None:
    span = current_span(parse_rule("quarter:3:14"), date(2026, 11, 2))
    assert (span.key, span.due_on) == ("2026-Q4", date(2026, 12, 14))


def test_a_half_year_without_a_day_is_due_on_its_last_day() -> None:
    span = current_span(parse_rule("half_year"), date(2026, 3, 2))
    assert (span.key, span.due_on) == ("2026-H1", date(2026, 6, 30))


def test_a_week_without_a_day_is_due_on_sunday() -> None:
    span = current_span(parse_rule("week"), date(2026, 12, 3))
    assert (span.key, span.due_on) == ("2026-W49", date(2026, 12, 6))


def test_a_daily_duty_is_due_every_day() -> None:
    span = current_span(parse_rule("day"), date(2026, 12, 3))
    assert (span.key, span.starts_on, span.due_on) == (
        "2026-12-03",
        date(2026, 12, 3),
        date(2026, 12, 3),
    )


def test_a_yearly_rule_with_two_days_has_two_periods_a_year() -> None:
    entries = parse_rule("year:6:9,year:12:9")
    spans = [s for s in spans_around(entries, date(2026, 7, 1)) if s.due_on.year == 2026]
    assert [(s.key, s.due_on) for s in spans] == [
        ("2026-06", date(2026, 6, 9)),
        ("2026-12", date(2026, 12, 9)),
    ]
    assert next_span(entries, date(2026, 6, 9)).starts_on == date(2026, 6, 10)


def test_a_rule_that_does_not_read_is_refused() -> None:
    for bad in ("fortnight:1", "month:40", "quarter:4:1", "week:9", "month:x"):
        with pytest.raises(RuleError):
            parse_rule(bad)


def test_the_rule_comes_from_the_recurring_entries_with_a_period() -> None:
    dues = [
        ("recurring", "year", 6, 9),
        ("recurring", "year", 12, 9),
        ("deadline", None, None, None),
    ]
    assert rule_from_dues(dues) == "year:6:9,year:12:9"
    assert rule_from_dues([("recurring", None, None, None)]) is None
    assert parse_rule("month:19") == (RuleEntry("month", None, 19),)


# --- On the database ------------------------------------------------------------------------


class World:
    def __init__(self) -> None:
        self.unit_id = 0
        self.chat_id = 5001
        self.head: Actor
        self.supervisor: Actor
        self.assignment_id = 0


async def _obligation(
    session: AsyncSession, dues: tuple[Due, ...], now: datetime = START, number: str = "7-CV/TU"
) -> int:
    parsed = ParsedDispatch(
        kind="cong_van",
        number=number,
        issuer="Thành ủy",
        issued_on=now.astimezone(TZ).date(),
        subject="Chế độ báo cáo",
        signer=None,
        recipients=("Sở Nội vụ",),
        tasks=(ParsedTask("1", "Báo cáo kết quả", "Báo cáo", ("Sở Nội vụ",), (), dues, None),),
    )
    outcome = await create_draft(
        session,
        parsed,
        index=await load_unit_index(session),
        stored=None,
        file_name=None,
        now=now,
        ttl=timedelta(hours=48),
        origin=Origin(),
    )
    await confirm_draft(session, outcome.dispatch_id, 1, now=now, origin=Origin(), tz=TZ)
    return int(await session.scalar(select(Assignment.id).order_by(Assignment.id.desc())) or 0)


async def _world(
    session_factory: async_sessionmaker[AsyncSession], dues: tuple[Due, ...] = (MONTHLY,)
) -> World:
    w = World()
    async with session_factory.begin() as session:
        unit = Unit(name="Sở Nội vụ", aliases=[])
        session.add(unit)
        await session.flush()
        w.unit_id = unit.id
        head = Person(
            telegram_user_id=w.chat_id,
            name="Trưởng phòng",
            role=Role.HEAD,
            unit_id=unit.id,
            created_at=START,
        )
        office = Person(
            telegram_user_id=9001, name="Văn phòng", role=Role.SUPERVISOR, created_at=START
        )
        session.add_all([head, office])
        await session.flush()
        session.add(
            Contact(
                chat_id=w.chat_id,
                kind="private",
                person_id=head.id,
                unit_id=unit.id,
                created_at=START,
            )
        )
        w.head = Actor(head.id, w.chat_id, head.name, Role.HEAD, unit.id, unit.name)
        w.supervisor = Actor(office.id, 9001, office.name, Role.SUPERVISOR, None, None)
        w.assignment_id = await _obligation(session, dues)
    return w


@pytest.fixture
async def world(session_factory: async_sessionmaker[AsyncSession]) -> World:
    return await _world(session_factory)


async def periods(session: AsyncSession) -> list[tuple[str, date, str]]:
    rows = await session.execute(
        select(Period.key, Period.due_on, Period.status).order_by(Period.due_on)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def slots(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(ReminderDelivery.slot)))


async def tick_daily(
    session_factory: async_sessionmaker[AsyncSession], first: date, last: date
) -> None:
    day = first
    while day <= last:
        async with session_factory.begin() as session:
            await plan_obligations(session, local(day, 8, 5), POLICY)
        day += timedelta(days=1)


async def complete(
    session: AsyncSession, w: World, at: datetime, due: date | None = None
) -> Completed | AlreadyDone:
    return await record_completion(
        session,
        w.assignment_id,
        w.head,
        now=at,
        tz=TZ,
        note=None,
        origin=w.head.origin(w.chat_id, 77),
        period_due=due,
    )


async def test_confirming_opens_the_first_period_and_no_deadline_on_the_assignment(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    async with session_factory() as session:
        assert await periods(session) == [("2026-10", date(2026, 10, 19), "open")]
        assignment = await session.get(Assignment, world.assignment_id)
        assert assignment is not None
        assert assignment.due_on is None
        assert assignment.period_rule == "month:19"


async def test_a_monthly_obligation_over_three_months_has_three_periods_with_reminders(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await tick_daily(session_factory, date(2026, 10, 5), date(2026, 12, 19))
    async with session_factory() as session:
        assert [key for key, *_ in await periods(session)] == ["2026-10", "2026-11", "2026-12"]
        claimed = await slots(session)
    # 19/12/2026 is a Saturday: the deadline-day reminder moves to Friday the 18th.
    for due in ("2026-10-19", "2026-11-19", "2026-12-19"):
        assert {f"due-7:{due}", f"due-0:{due}"} <= claimed


async def test_completing_november_does_not_complete_december(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await tick_daily(session_factory, date(2026, 10, 20), date(2026, 11, 25))
    async with session_factory.begin() as session:
        outcome = await complete(session, world, local(date(2026, 11, 25), 10), date(2026, 11, 19))
    assert isinstance(outcome, Completed)
    assert outcome.info.period_key == "2026-11"
    assert outcome.info.next_due_on == date(2026, 10, 19)  # October is still to report
    async with session_factory() as session:
        assert await periods(session) == [
            ("2026-10", date(2026, 10, 19), "open"),
            ("2026-11", date(2026, 11, 19), "done"),
            ("2026-12", date(2026, 12, 19), "open"),
        ]


async def test_a_completion_without_a_period_is_the_oldest_still_to_report(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    async with session_factory.begin() as session:
        outcome = await complete(session, world, local(date(2026, 10, 12), 10))
    assert isinstance(outcome, Completed)
    assert outcome.info.period_key == "2026-10"
    # Done early: the next period opens at once.
    assert (outcome.info.next_key, outcome.info.next_due_on) == ("2026-11", date(2026, 11, 19))


async def test_the_same_period_twice_is_one_completion(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    at = local(date(2026, 10, 12), 10)
    async with session_factory.begin() as session:
        await complete(session, world, at, date(2026, 10, 19))
    async with session_factory.begin() as session:
        again = await complete(session, world, at, date(2026, 10, 19))
    assert isinstance(again, AlreadyDone)
    assert again.info.period_key == "2026-10"


async def test_undo_and_return_reopen_only_that_period(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    at = local(date(2026, 10, 12), 10)
    async with session_factory.begin() as session:
        await complete(session, world, at)
        undone = await undo_completion(
            session, world.assignment_id, world.head, now=at, origin=Origin()
        )
    assert (undone.period_key, undone.status) == ("2026-10", "open")
    async with session_factory.begin() as session:
        await complete(session, world, at)
        returned = await return_completion(
            session,
            world.assignment_id,
            world.supervisor,
            reason="thiếu số liệu",
            now=at,
            origin=Origin(),
        )
    assert (returned.period_key, returned.status) == ("2026-10", "open")
    async with session_factory() as session:
        assert [s for _, _, s in await periods(session)] == ["open", "open"]


async def test_no_reminder_for_a_period_already_done(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    async with session_factory.begin() as session:
        await complete(session, world, local(date(2026, 10, 9), 10))
    await tick_daily(session_factory, date(2026, 10, 12), date(2026, 10, 25))
    async with session_factory() as session:
        assert not {s for s in await slots(session) if s.endswith("2026-10-19")}


async def test_re_running_the_tick_changes_nothing(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await tick_daily(session_factory, date(2026, 10, 5), date(2026, 10, 20))
    async with session_factory() as session:
        before = (await periods(session), await slots(session))
    async with session_factory.begin() as session:  # a restart: the same tick again
        again = await plan_obligations(session, local(date(2026, 10, 20), 8, 5), POLICY)
        assert await open_current_periods(session, local(date(2026, 10, 20), 9), TZ) == 0
    assert again == 0
    async with session_factory() as session:
        assert (await periods(session), await slots(session)) == before


async def test_an_obligation_stops_at_its_end_date(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    end = Due("deadline", date(2026, 11, 30), "đến hết tháng 11/2026")
    await _world(session_factory, (MONTHLY, end))
    await tick_daily(session_factory, date(2026, 10, 5), date(2027, 1, 10))
    async with session_factory() as session:
        assert [key for key, *_ in await periods(session)] == ["2026-10", "2026-11"]
        assignment = await session.scalar(select(Assignment))
        assert assignment is not None
        assert (assignment.due_on, assignment.ends_on) == (None, date(2026, 11, 30))


async def test_a_yearly_obligation_with_two_days_opens_both(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    dues = (
        Due("recurring", None, "định kỳ 6 tháng, năm", every="year", month=6, day=9),
        Due("recurring", None, "định kỳ 6 tháng, năm", every="year", month=12, day=9),
    )
    await _world(session_factory, dues)
    await tick_daily(session_factory, date(2026, 10, 5), date(2027, 6, 12))
    async with session_factory() as session:
        assert [(k, d) for k, d, _ in await periods(session)] == [
            ("2026-12", date(2026, 12, 9)),
            ("2027-06", date(2027, 6, 9)),
            ("2027-12", date(2027, 12, 9)),
        ]


async def _late_november(session_factory: async_sessionmaker[AsyncSession], world: World) -> None:
    """October on time, November done on 25/11 (due 19/11), December still open."""
    async with session_factory.begin() as session:
        await complete(session, world, local(date(2026, 10, 15), 10), date(2026, 10, 19))
    await tick_daily(session_factory, date(2026, 11, 20), date(2026, 11, 25))
    async with session_factory.begin() as session:
        await complete(session, world, local(date(2026, 11, 25), 10), date(2026, 11, 19))


async def test_a_late_period_counts_done_late_in_the_summary(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await _late_november(session_factory, world)
    async with session_factory() as session:
        summary = await status_summary(session, today=date(2026, 12, 1))
    assert summary.obligations == Counts(done_on_time=1, done_late=1, in_progress=1)
    assert summary.total == summary.obligations  # the obligation itself is not counted
    [unit] = summary.by_unit
    assert unit.counts.done_late == 1


async def test_a_summary_counts_only_periods_due_in_the_range(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await _late_november(session_factory, world)
    async with session_factory() as session:
        summary = await status_summary(
            session, today=date(2026, 12, 1), due_from=date(2026, 11, 1), due_to=date(2026, 11, 30)
        )
    assert summary.obligations == Counts(done_late=1)


async def test_the_workbook_has_one_row_per_period_and_the_late_one_says_so(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await _late_november(session_factory, world)
    today = date(2026, 12, 1)
    async with session_factory() as session:
        summary = await status_summary(session, today=today)
        rows = await export_rows(session, today=today)
    assert [(r.period_key, r.category) for r in rows] == [
        ("2026-10", Category.DONE_ON_TIME),
        ("2026-11", Category.DONE_LATE),
        ("2026-12", Category.IN_PROGRESS),
    ]
    book = load_workbook(io.BytesIO(build_workbook(summary, rows, WORKBOOK_LABELS, tz=TZ)))
    sheet = book[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    at = next(i for i, row in enumerate(table) if "Tình trạng" in row)  # after the title rows
    header = table[at]
    period, status = header.index("Kỳ báo cáo"), header.index("Tình trạng")
    november = table[at + 2]
    assert (november[period], november[status]) == ("2026-11", "Hoàn thành quá hạn")


async def test_an_overdue_period_is_in_the_overdue_list(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await tick_daily(session_factory, date(2026, 10, 20), date(2026, 10, 21))
    async with session_factory() as session:
        [row] = await overdue_list(session, today=date(2026, 10, 21))
    assert (row.task.period_key, row.days_overdue) == ("2026-10", 2)


async def test_the_unit_s_task_list_shows_the_period_to_report(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    async with session_factory.begin() as session:
        await complete(session, world, local(date(2026, 10, 15), 10))
    async with session_factory() as session:
        [row] = await open_assignments(session, world.unit_id)
    assert (row.period_key, row.due_on, row.status) == ("2026-11", date(2026, 11, 19), "open")


async def test_the_history_tells_on_time_late_and_missed_periods(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await _late_november(session_factory, world)
    await tick_daily(session_factory, date(2026, 12, 20), date(2026, 12, 21))
    async with session_factory() as session:
        history = await task_history(session, world.assignment_id, today=date(2026, 12, 21))
    assert history is not None
    assert history.obligation is not None
    assert [(p.key, p.category) for p in history.obligation.periods] == [
        ("2027-01", Category.IN_PROGRESS),
        ("2026-12", Category.OVERDUE),
        ("2026-11", Category.DONE_LATE),
        ("2026-10", Category.DONE_ON_TIME),
    ]
    report = texts.task_history_report(history, TZ)
    assert "tháng 12/2026: hạn 19/12/2026 — 🔴 bỏ lỡ" in report
    assert "tháng 11/2026: hạn 19/11/2026 — 🟠 quá hạn, nộp 25/11/2026" in report


async def test_the_office_stops_an_obligation_and_no_period_opens_after(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await tick_daily(session_factory, date(2026, 10, 20), date(2026, 10, 21))
    async with session_factory.begin() as session:
        info = await stop_obligation(
            session,
            world.assignment_id,
            world.supervisor,
            reason="đã có văn bản thay thế",
            now=local(date(2026, 10, 21), 10),
            tz=TZ,
            origin=Origin(),
        )
    assert info.unit_id == world.unit_id
    await tick_daily(session_factory, date(2026, 10, 22), date(2026, 12, 25))
    async with session_factory() as session:
        # October was missed and stays so; November, open when stopped, is not counted.
        assert await periods(session) == [
            ("2026-10", date(2026, 10, 19), "open"),
            ("2026-11", date(2026, 11, 19), "stopped"),
        ]
        assert not {s for s in await slots(session) if s.endswith("2026-11-19")}


async def test_only_the_office_stops_an_obligation_and_only_once(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    at = local(date(2026, 10, 6), 10)
    async with session_factory.begin() as session:
        with pytest.raises(CompletionError) as refused:
            await stop_obligation(
                session,
                world.assignment_id,
                world.head,
                reason=None,
                now=at,
                tz=TZ,
                origin=Origin(),
            )
        assert refused.value.code == "not_allowed"
        await stop_obligation(
            session,
            world.assignment_id,
            world.supervisor,
            reason=None,
            now=at,
            tz=TZ,
            origin=Origin(),
        )
        with pytest.raises(CompletionError) as again:
            await stop_obligation(
                session,
                world.assignment_id,
                world.supervisor,
                reason=None,
                now=at,
                tz=TZ,
                origin=Origin(),
            )
        assert again.value.code == "stopped"


# --- The office's default rule in the draft ---------------------------------------------------

REGULAR = Due("recurring", None, "thường xuyên")


async def _draft_with(session: AsyncSession, due: Due) -> tuple[int, int]:
    session.add(Unit(name="Sở Nội vụ", aliases=[]))
    await session.flush()
    parsed = ParsedDispatch(
        kind="cong_van",
        number="8-CV/TU",
        issuer="Thành ủy",
        issued_on=date(2026, 10, 5),
        subject=None,
        signer=None,
        recipients=(),
        tasks=(ParsedTask("1", "Báo cáo tình hình", "Báo cáo", ("Sở Nội vụ",), (), (due,), None),),
    )
    outcome = await create_draft(
        session,
        parsed,
        index=await load_unit_index(session),
        stored=None,
        file_name=None,
        now=START,
        ttl=timedelta(hours=48),
        origin=Origin(),
    )
    view = await load_dispatch(session, outcome.dispatch_id)
    assert view is not None
    return outcome.dispatch_id, view.tasks[0].id


async def test_a_recurring_task_without_a_period_is_offered_the_default_rule(
    session: AsyncSession,
) -> None:
    dispatch_id, _ = await _draft_with(session, REGULAR)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert view.tasks[0].period_undecided
    assert view.tasks[0].period_rule is None


async def test_choosing_the_default_rule_makes_an_obligation(session: AsyncSession) -> None:
    dispatch_id, task_id = await _draft_with(session, REGULAR)
    version = await set_task_reporting_rule(
        session, dispatch_id, 1, task_id, "month:19", now=START, origin=Origin()
    )
    await confirm_draft(session, dispatch_id, version, now=START, origin=Origin(), tz=TZ)
    assignment = await session.scalar(select(Assignment))
    assert assignment is not None
    assert (assignment.period_rule, assignment.due_on) == ("month:19", None)
    assert await periods(session) == [("2026-10", date(2026, 10, 19), "open")]


async def test_declining_keeps_the_monthly_check_in(session: AsyncSession) -> None:
    dispatch_id, task_id = await _draft_with(session, REGULAR)
    version = await set_task_reporting_rule(
        session, dispatch_id, 1, task_id, None, now=START, origin=Origin()
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert (view.tasks[0].period_undecided, view.tasks[0].period_declined) == (False, True)
    await confirm_draft(session, dispatch_id, version, now=START, origin=Origin(), tz=TZ)
    assignment = await session.scalar(select(Assignment))
    assert assignment is not None
    assert (assignment.period_rule, assignment.recurring) == (None, True)
    assert await periods(session) == []


async def test_a_rule_chosen_on_a_stale_draft_is_refused(session: AsyncSession) -> None:
    dispatch_id, task_id = await _draft_with(session, REGULAR)
    await set_task_reporting_rule(
        session, dispatch_id, 1, task_id, None, now=START, origin=Origin()
    )
    with pytest.raises(DraftError) as error:
        await set_task_reporting_rule(
            session, dispatch_id, 1, task_id, "month:19", now=START, origin=Origin()
        )
    assert error.value.code == "stale"


async def test_a_yearly_default_rule_writes_one_entry_per_day(session: AsyncSession) -> None:
    dispatch_id, task_id = await _draft_with(session, REGULAR)
    await set_task_reporting_rule(
        session, dispatch_id, 1, task_id, "year:6:9,year:12:9", now=START, origin=Origin()
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert view.tasks[0].period_rule == "year:6:9,year:12:9"


def test_rules_read_in_vietnamese() -> None:
    assert texts.rule_description("month:19") == "hằng tháng, hạn ngày 19"
    assert texts.rule_description("year:6:9,year:12:9") == "hằng năm, hạn ngày 09/06 và 09/12"
    assert texts.rule_description("week:5") == "hằng tuần, hạn thứ Sáu"
    assert texts.period_label("2026-Q4") == "quý IV/2026"
    assert texts.period_label("2026-H2") == "6 tháng cuối năm 2026"


async def test_two_ticks_at_once_open_each_period_once(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    """Two instances planning at the same moment (run it on PostgreSQL too): the unique key
    on assignment × period lets exactly one of them open the period."""
    async with session_factory.begin() as session:
        extra = [await _obligation(session, (MONTHLY,), number=f"{i}-BC/TU") for i in range(20)]
    at = local(date(2026, 10, 20), 8, 5)

    async def one() -> None:
        async with session_factory.begin() as session:
            await plan_obligations(session, at, POLICY)

    await asyncio.gather(one(), one())
    async with session_factory() as session:
        rows = (
            await session.execute(
                select(Period.assignment_id, Period.key).where(Period.key == "2026-11")
            )
        ).all()
    assert sorted(a for a, _ in rows) == sorted([world.assignment_id, *extra])


async def test_an_extension_moves_one_period_and_not_the_next(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await tick_daily(session_factory, date(2026, 10, 20), date(2026, 10, 21))  # November open
    at = local(date(2026, 11, 16), 10)
    async with session_factory.begin() as session:
        request = await request_extension(
            session,
            world.assignment_id,
            world.head,
            proposed_on=date(2026, 11, 26),
            reason="chờ số liệu",
            now=at,
            tz=TZ,
            origin=Origin(),
            period_due=date(2026, 11, 19),
        )
        assert request.assignment.period_key == "2026-11"
        decided = await decide_extension(
            session,
            request.request_id,
            world.supervisor,
            approve=True,
            now=at,
            tz=TZ,
            origin=Origin(),
        )
    assert (decided.assignment.period_key, decided.assignment.due_on) == (
        "2026-11",
        date(2026, 11, 26),
    )
    async with session_factory.begin() as session:
        outcome = await complete(session, world, local(date(2026, 11, 25), 10), date(2026, 11, 19))
    assert isinstance(outcome, Completed)
    assert outcome.info.period_key == "2026-11"
    async with session_factory() as session:
        rows = await periods(session)
    assert ("2026-11", date(2026, 11, 26), "done") in rows
    async with session_factory() as session:
        summary = await status_summary(session, today=date(2026, 11, 27))
    assert summary.obligations.done_on_time == 1  # on the extended date: on time
    assert summary.obligations.extended == 1


async def test_the_weekly_digest_shows_periods_due_and_reported(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    async with session_factory.begin() as session:
        await complete(session, world, local(date(2026, 10, 14), 10))
    async with session_factory() as session:
        digest = await weekly_digest(session, now=local(date(2026, 10, 16), 9), tz=TZ)
        weekly = await unit_weekly_lists(session, today=date(2026, 11, 13))
    [done] = digest.completed
    assert (done.task.period_key, done.on_time) == ("2026-10", True)
    assert [line.period_key for line in weekly[0].open_tasks] == ["2026-11"]


async def test_a_period_that_fell_due_during_downtime_still_counts_as_missed(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    await tick_daily(session_factory, date(2026, 10, 20), date(2026, 10, 20))
    await tick_daily(session_factory, date(2026, 12, 21), date(2026, 12, 21))  # down since
    async with session_factory() as session:
        assert [(k, s) for k, _, s in await periods(session)] == [
            ("2026-10", "open"),
            ("2026-11", "open"),
            ("2026-12", "open"),
            ("2027-01", "open"),
        ]
        summary = await status_summary(session, today=date(2026, 12, 21))
    assert summary.obligations.overdue == 3
