"""Summaries: the category rules, grouped counts, overdue list, history and weekly digest."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from jobs.digest import digest_missed, previous_fire_time
from models import Assignment, Contact, Dispatch, Event, Person, Task, TaskDue, TaskUnit, Unit
from services.events import record_event
from services.summaries import (
    DIGEST_SENT,
    Category,
    Counts,
    categorize,
    category_case,
    export_rows,
    find_dispatches,
    local_today,
    overdue_list,
    prepare_weekly_digest,
    split_percent,
    status_summary,
    task_history,
    weekly_digest,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Wednesday 15/10/2025, 10:00 in Hồ Chí Minh City.
NOW = datetime(2025, 10, 15, 3, 0, tzinfo=UTC)
TODAY = date(2025, 10, 15)
D = date.fromisoformat


class Data:
    """Builds units, dispatches and assignments straight through the models."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._count = itertools.count(1)

    async def unit(self, name: str) -> Unit:
        unit = Unit(name=name, aliases=[])
        self.session.add(unit)
        await self.session.flush()
        return unit

    async def dispatch(self, number: str, status: str = "active") -> Dispatch:
        dispatch = Dispatch(
            status=status,
            kind="cong_van",
            number=number,
            subject=f"V/v {number}",
            issued_on=D("2025-10-01"),
            created_at=NOW - timedelta(days=14),
            confirmed_at=NOW - timedelta(days=14, hours=-next(self._count)),
        )
        self.session.add(dispatch)
        await self.session.flush()
        return dispatch

    async def assignment(
        self,
        dispatch: Dispatch,
        unit: Unit,
        *,
        due: str | None = None,
        original: str | None = "same",
        status: str = "open",
        done: str | None = None,
        note: str | None = None,
    ) -> Assignment:
        position = next(self._count)
        task = Task(
            dispatch_id=dispatch.id, position=position, ref=str(position), text=f"Việc {position}"
        )
        self.session.add(task)
        await self.session.flush()
        done_on = D(done) if done else None
        assignment = Assignment(
            task_id=task.id,
            unit_id=unit.id,
            status="done" if done else status,
            due_on=D(due) if due else None,
            original_due_on=(D(due) if due else None)
            if original == "same"
            else (D(original) if original else None),
            assigned_at=NOW - timedelta(days=14),
            done_on=done_on,
            done_at=datetime(done_on.year, done_on.month, done_on.day, 2, tzinfo=UTC)
            if done_on
            else None,
            note=note,
        )
        self.session.add(assignment)
        await self.session.flush()
        return assignment

    async def person(self, unit: Unit | None, role: str, name: str, **extra: object) -> Person:
        person = Person(
            telegram_user_id=1000 + next(self._count),
            name=name,
            role=role,
            unit_id=unit.id if unit else None,
            created_at=NOW,
            **extra,
        )
        self.session.add(person)
        await self.session.flush()
        return person


@pytest.fixture
def data(session: AsyncSession) -> Data:
    return Data(session)


# --- The category rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "due_on", "done_on", "expected"),
    [
        pytest.param(True, "2025-10-10", "2025-10-10", Category.DONE_ON_TIME, id="done-on-the-day"),
        pytest.param(True, "2025-10-10", "2025-10-09", Category.DONE_ON_TIME, id="done-early"),
        pytest.param(True, "2025-10-10", "2025-10-11", Category.DONE_LATE, id="done-a-day-late"),
        pytest.param(True, None, "2025-10-11", Category.DONE_ON_TIME, id="done-no-deadline"),
        pytest.param(False, None, None, Category.NO_DEADLINE, id="open-no-deadline"),
        pytest.param(False, "2025-10-15", None, Category.IN_PROGRESS, id="due-today-in-time"),
        pytest.param(False, "2025-10-14", None, Category.OVERDUE, id="due-yesterday"),
    ],
)
def test_categorize(
    done: bool, due_on: str | None, done_on: str | None, expected: Category
) -> None:
    result = categorize(
        done=done,
        due_on=D(due_on) if due_on else None,
        done_on=D(done_on) if done_on else None,
        today=TODAY,
    )
    assert result is expected


def test_done_before_an_extended_deadline_is_on_time() -> None:
    # First deadline 10/10, extension approved to 20/10, done 18/10: on time.
    assert (
        categorize(done=True, due_on=D("2025-10-20"), done_on=D("2025-10-18"), today=TODAY)
        is Category.DONE_ON_TIME
    )


def test_a_deadline_moved_after_completion_is_judged_by_the_deadline_in_force() -> None:
    # Done 12/10 against 15/10, then the deadline was moved back to 10/10: now late.
    assert (
        categorize(done=True, due_on=D("2025-10-10"), done_on=D("2025-10-12"), today=TODAY)
        is Category.DONE_LATE
    )


def test_today_is_the_local_date() -> None:
    # 18:00 UTC on the 14th is already 01:00 on the 15th in Vietnam.
    assert local_today(datetime(2025, 10, 14, 18, 0, tzinfo=UTC), TZ) == TODAY


async def test_sql_case_agrees_with_python_on_every_combination(
    session: AsyncSession, data: Data
) -> None:
    unit, dispatch = await data.unit("Sở Nội vụ"), await data.dispatch("1/KH")
    days = [None, "2025-10-13", "2025-10-14", "2025-10-15", "2025-10-16"]
    expected = {}
    for status, due, done in itertools.product(("open", "extension_requested", "done"), days, days):
        if (status == "done") != (done is not None):
            continue
        assignment = await data.assignment(dispatch, unit, due=due, status=status, done=done)
        expected[assignment.id] = categorize(
            done=status == "done",
            due_on=D(due) if due else None,
            done_on=D(done) if done else None,
            today=TODAY,
        )
    rows = await session.execute(select(Assignment.id, category_case(TODAY)))
    assert {row[0]: Category(row[1]) for row in rows} == expected


# --- Counts -----------------------------------------------------------------------------------


def test_split_percent_adds_up_to_100() -> None:
    assert split_percent([3, 3, 1]) == (43, 43, 14)
    assert sum(split_percent([7, 3, 5, 0, 2])) == 100
    assert split_percent([0, 0]) == (0, 0)


def test_split_percent_gives_equal_counts_equal_shares() -> None:
    # 3 of 200 is 1.5 %: both 3s get 1 %, never one 2 % and the other 1 %.
    assert split_percent([3, 194, 3]) == (1, 97, 1)
    assert split_percent([1, 1, 1]) == (33, 33, 33)


def test_split_percent_reaches_100_by_rounding_up_a_group_that_fits() -> None:
    # Exact 16.7 ×4 and 33.3: four 1s cannot all round up with 3 points left; the 2 can.
    assert split_percent([2, 1, 1, 1, 1]) == (34, 16, 16, 16, 16)
    # Of 43: 5 points left after rounding down; the three 8s (18.6 %) round up rather than the
    # two 5s (11.63 %, a larger remainder), since only then is the total 100.
    assert split_percent([8, 8, 8, 6, 5, 5, 3]) == (19, 19, 19, 14, 11, 11, 7)


def test_split_percent_never_rounds_a_share_by_more_than_one() -> None:
    counts = [13, 13, 7, 7, 7, 1, 0]
    total = sum(counts)
    for count, share in zip(counts, split_percent(counts), strict=True):
        assert abs(share - count * 100 / total) < 1
        assert count or share == 0


async def test_summary_counts_by_unit_worst_first_and_by_dispatch(data: Data) -> None:
    noi_vu, tai_chinh = await data.unit("Sở Nội vụ"), await data.unit("Sở Tài chính")
    first, second = await data.dispatch("1/KH"), await data.dispatch("2/CV")
    draft = await data.dispatch("3/CV", status="draft")
    await data.assignment(first, noi_vu, due="2025-10-10", done="2025-10-10")
    await data.assignment(first, noi_vu, due="2025-10-20", original="2025-10-10", done="2025-10-18")
    await data.assignment(first, tai_chinh, due="2025-10-01")  # overdue
    await data.assignment(second, tai_chinh, due="2025-10-05", done="2025-10-07")
    await data.assignment(second, noi_vu, due="2025-10-30")
    await data.assignment(second, noi_vu)
    await data.assignment(draft, noi_vu, due="2025-10-01")  # not counted: draft

    summary = await status_summary(data.session, today=TODAY)

    assert summary.total == Counts(
        done_on_time=2, done_late=1, in_progress=1, overdue=1, no_deadline=1, extended=1
    )
    assert [row.name for row in summary.by_unit] == ["Sở Tài chính", "Sở Nội vụ"]
    assert summary.by_unit[0].counts == Counts(done_late=1, overdue=1)
    # Newest confirmed dispatch first; the draft is absent.
    assert [row.number for row in summary.by_dispatch] == ["2/CV", "1/KH"]
    assert summary.by_dispatch[1].counts.total == 3
    assert sum(summary.total.percentages().values()) == 98  # 2, 1, 1, 1, 1 of 6: see split_percent


async def test_summary_for_one_unit_and_one_dispatch(data: Data) -> None:
    noi_vu, tai_chinh = await data.unit("Sở Nội vụ"), await data.unit("Sở Tài chính")
    first, second = await data.dispatch("1/KH"), await data.dispatch("2/CV")
    await data.assignment(first, noi_vu, due="2025-10-01")
    await data.assignment(first, tai_chinh, due="2025-10-01")
    await data.assignment(second, noi_vu, due="2025-10-20")

    unit_view = await status_summary(data.session, today=TODAY, unit_id=noi_vu.id)
    assert [row.name for row in unit_view.by_unit] == ["Sở Nội vụ"]
    assert unit_view.total == Counts(overdue=1, in_progress=1)

    both = await status_summary(data.session, today=TODAY, unit_id=noi_vu.id, dispatch_id=first.id)
    assert both.total == Counts(overdue=1)
    assert [row.dispatch_id for row in both.by_dispatch] == [first.id]


async def test_empty_summary(data: Data) -> None:
    summary = await status_summary(data.session, today=TODAY)
    assert summary.total.total == 0
    assert summary.by_unit == ()
    assert summary.by_dispatch == ()
    assert texts.SUMMARY_EMPTY in texts.summary_report(summary, title=texts.SUMMARY_TITLE)


async def test_find_dispatches_by_number(data: Data) -> None:
    await data.dispatch("14-CV/TU")
    await data.dispatch("123/KH-UBND")
    await data.dispatch("123/CV-UBND")
    await data.dispatch("99/KH", status="draft")
    assert [d.number for d in await find_dispatches(data.session, "14-cv/tu")] == ["14-CV/TU"]
    assert len(await find_dispatches(data.session, "123")) == 2
    assert await find_dispatches(data.session, "99/KH") == []


async def test_export_rows_are_plain_values_decided_in_sql(data: Data) -> None:
    noi_vu, tai_chinh = await data.unit("Sở Nội vụ"), await data.unit("Sở Tài chính")
    first, second = await data.dispatch("1/KH"), await data.dispatch("2/CV")
    draft = await data.dispatch("3/CV", status="draft")
    extended = await data.assignment(
        first, noi_vu, due="2025-10-20", original="2025-10-10", done="2025-10-18", note="Xong"
    )
    late = await data.assignment(first, tai_chinh, due="2025-10-01")
    moved_earlier = await data.assignment(second, noi_vu, due="2025-10-05", original="2025-10-09")
    open_ended = await data.assignment(second, tai_chinh)
    await data.assignment(draft, noi_vu, due="2025-10-01")  # not counted: draft

    rows = await export_rows(data.session, today=TODAY)

    # By dispatch, then task order; the draft's assignment is left out.
    assert [row.assignment_id for row in rows] == [
        extended.id,
        late.id,
        moved_earlier.id,
        open_ended.id,
    ]
    first_row = rows[0]
    assert first_row == (
        extended.id,
        "1/KH",
        first_row.task_ref,
        first_row.task_text,
        "Sở Nội vụ",
        D("2025-10-20"),
        D("2025-10-10"),  # the first deadline, since an extension moved it later
        "done_on_time",
        datetime(2025, 10, 18, 2, tzinfo=UTC),
        "Xong",
        None,  # no support unit, no undated timing, no progress report
        None,
        None,
        None,
        None,  # not a period of a periodic obligation
    )
    assert [row.category for row in rows] == [
        Category.DONE_ON_TIME,
        Category.OVERDUE,
        Category.OVERDUE,
        Category.NO_DEADLINE,
    ]
    # No first deadline unless the deadline in force is later than it.
    assert [row.original_due_on for row in rows[1:]] == [None, None, None]
    only_noi_vu = await export_rows(data.session, today=TODAY, unit_id=noi_vu.id)
    assert [row.assignment_id for row in only_noi_vu] == [extended.id, moved_earlier.id]


async def test_export_rows_carry_support_units_undated_timing_and_latest_progress(
    data: Data,
) -> None:
    noi_vu, tai_chinh = await data.unit("Sở Nội vụ"), await data.unit("Sở Tài chính")
    xay_dung = await data.unit("Sở Xây dựng")
    dispatch = await data.dispatch("1/KH")
    assignment = await data.assignment(dispatch, noi_vu)
    other = await data.assignment(dispatch, tai_chinh, due="2025-10-20")
    data.session.add_all(
        [
            TaskUnit(task_id=assignment.task_id, unit_id=xay_dung.id, role="support"),
            TaskUnit(task_id=assignment.task_id, unit_id=tai_chinh.id, role="support"),
            TaskUnit(task_id=assignment.task_id, unit_id=noi_vu.id, role="lead"),
            TaskDue(task_id=assignment.task_id, position=0, kind="after_event", phrase="khi có"),
        ]
    )
    for hours, note in ((1, "Đang làm"), (3, "Đã xong 60%"), (2, "Đang tổng hợp")):
        record_event(
            data.session,
            "assignment.progress",
            NOW - timedelta(days=1) + timedelta(hours=hours),
            assignment_id=assignment.id,
            unit_id=noi_vu.id,
            note=note,
        )
    await data.session.flush()

    first, second = await export_rows(data.session, today=TODAY)

    assert first.support_units == "Sở Tài chính; Sở Xây dựng"
    assert first.timing == "after_event"
    assert (first.progress_at, first.progress_note) == (NOW - timedelta(hours=21), "Đã xong 60%")
    assert second.assignment_id == other.id
    assert (second.support_units, second.timing, second.progress_note) == (None, None, None)


# --- Overdue list and history -----------------------------------------------------------------


async def test_overdue_list_names_days_and_the_unit_head(data: Data) -> None:
    noi_vu, tai_chinh = await data.unit("Sở Nội vụ"), await data.unit("Sở Tài chính")
    dispatch = await data.dispatch("1/KH")
    await data.person(noi_vu, "head", "Nguyễn Văn An", username="an")
    await data.person(noi_vu, "member", "Trần Thị Bình")
    await data.person(noi_vu, "head", "Lê Cũ", active=False)
    late = await data.assignment(dispatch, noi_vu, due="2025-10-05", original="2025-10-01")
    later = await data.assignment(
        dispatch, tai_chinh, due="2025-10-14", status="extension_requested"
    )
    await data.assignment(dispatch, tai_chinh, due="2025-10-15")  # due today: in time
    await data.assignment(dispatch, tai_chinh, due="2025-10-01", done="2025-10-02")

    rows = await overdue_list(data.session, today=TODAY)

    assert [(r.task.assignment_id, r.days_overdue) for r in rows] == [(late.id, 10), (later.id, 1)]
    assert [h.name for h in rows[0].heads] == ["Nguyễn Văn An"]
    assert rows[1].heads == ()
    assert rows[0].task.extended
    only_tai_chinh = await overdue_list(data.session, today=TODAY, unit_id=tai_chinh.id)
    assert [r.task.assignment_id for r in only_tai_chinh] == [later.id]
    text = texts.overdue_report(rows, TODAY)
    assert "quá hạn <b>10 ngày</b>" in text
    assert "@an" in text


async def test_task_history_keeps_to_the_assignment_and_its_task(data: Data) -> None:
    noi_vu, tai_chinh = await data.unit("Sở Nội vụ"), await data.unit("Sở Tài chính")
    dispatch = await data.dispatch("1/KH")
    mine = await data.assignment(dispatch, noi_vu, due="2025-10-20", note="Đã gửi <báo cáo>")
    other = await data.assignment(dispatch, tai_chinh, due="2025-10-20")
    actor = await data.person(None, "supervisor", "Phạm Lãnh Đạo")
    data.session.add_all(
        [
            Event(at=NOW - timedelta(days=3), kind="draft.deadline_set", task_id=mine.task_id),
            Event(
                at=NOW - timedelta(days=2),
                kind="assignment.created",
                assignment_id=mine.id,
                task_id=mine.task_id,
                actor_id=actor.id,
            ),
            Event(at=NOW - timedelta(days=1), kind="assignment.created", assignment_id=other.id),
        ]
    )
    await data.session.flush()

    history = await task_history(data.session, mine.id, today=TODAY)

    assert history is not None
    assert [e.kind for e in history.events] == ["draft.deadline_set", "assignment.created"]
    assert history.events[1].actor_name == "Phạm Lãnh Đạo"
    assert history.category is Category.IN_PROGRESS
    assert await task_history(data.session, mine.id, today=TODAY, unit_id=tai_chinh.id) is None
    report = texts.task_history_report(history, TZ)
    assert "&lt;báo cáo&gt;" in report
    assert "Giao nhiệm vụ cho đơn vị" in report


# --- Weekly digest ----------------------------------------------------------------------------


async def test_weekly_digest_since_the_last_one(data: Data) -> None:
    unit, dispatch = await data.unit("Sở Nội vụ"), await data.dispatch("1/KH")
    data.session.add(Event(at=NOW - timedelta(days=7), kind=DIGEST_SENT, data={}))
    await data.assignment(dispatch, unit, due="2025-10-10", done="2025-10-01")  # before "since"
    recent = await data.assignment(dispatch, unit, due="2025-10-10", done="2025-10-12")
    soon = await data.assignment(dispatch, unit, due="2025-10-21")  # last day of the week
    await data.assignment(dispatch, unit, due="2025-10-22")  # next week
    overdue = await data.assignment(dispatch, unit, due="2025-10-01")

    digest = await weekly_digest(data.session, now=NOW, tz=TZ)

    assert digest.since == NOW - timedelta(days=7)
    assert [(c.task.assignment_id, c.on_time) for c in digest.completed] == [(recent.id, False)]
    assert [line.assignment_id for line in digest.due_soon] == [soon.id]
    assert [row.task.assignment_id for row in digest.overdue] == [overdue.id]
    text = texts.weekly_digest(digest, TZ)
    assert "(trễ hạn)" in text
    assert "21/10/2025" in text


async def test_prepare_weekly_digest_records_and_finds_recipients(data: Data) -> None:
    noi_vu, tai_chinh = await data.unit("Sở Nội vụ"), await data.unit("Sở Tài chính")
    dispatch = await data.dispatch("1/KH")
    await data.assignment(dispatch, noi_vu, due="2025-10-20")
    await data.assignment(dispatch, tai_chinh, due="2025-10-20", done="2025-10-10")
    boss = await data.person(None, "supervisor", "Lãnh đạo")
    head = await data.person(noi_vu, "head", "Trưởng")
    data.session.add_all(
        [
            Contact(chat_id=1, kind="private", person_id=boss.id, created_at=NOW),
            Contact(
                chat_id=2, kind="private", person_id=head.id, unit_id=noi_vu.id, created_at=NOW
            ),
            Contact(chat_id=3, kind="group", unit_id=noi_vu.id, created_at=NOW),
            # Tài chính has nothing open: no weekly list for it.
            Contact(chat_id=4, kind="group", unit_id=tai_chinh.id, created_at=NOW),
        ]
    )
    await data.session.flush()

    first = await prepare_weekly_digest(data.session, now=NOW, tz=TZ)
    second = await prepare_weekly_digest(data.session, now=NOW + timedelta(days=7), tz=TZ)

    assert first.digest.since == NOW - timedelta(days=7)
    assert second.digest.since == NOW
    assert first.office_chats == (1,)
    assert [(u.unit_name, u.chat_ids) for u in first.units] == [("Sở Nội vụ", (2, 3))]
    assert "Sở Nội vụ" in texts.unit_weekly(first.units[0])


# --- Views ------------------------------------------------------------------------------------


async def test_summary_report_escapes_and_shows_percentages(data: Data) -> None:
    unit, dispatch = await data.unit("Sở <Nội> vụ"), await data.dispatch("1/KH")
    await data.assignment(dispatch, unit, due="2025-10-01")
    await data.assignment(dispatch, unit, due="2025-10-30")
    summary = await status_summary(data.session, today=TODAY)
    report = texts.summary_report(summary, title=texts.SUMMARY_TITLE)
    assert "Sở &lt;Nội&gt; vụ" in report
    assert "Quá hạn chưa hoàn thành: <b>1</b> (50%)" in report


def test_previous_fire_time_of_the_monday_digest() -> None:
    trigger = CronTrigger.from_crontab("0 8 * * mon", timezone=TZ)
    # Wednesday 15/10/2025 → Monday 13/10/2025 08:00 local = 01:00 UTC.
    assert previous_fire_time(trigger, NOW) == datetime(2025, 10, 13, 1, 0, tzinfo=UTC)
    monday_8am = datetime(2025, 10, 13, 1, 0, tzinfo=UTC)
    assert previous_fire_time(trigger, monday_8am) == monday_8am


def test_a_missed_digest_is_caught_up_once_within_the_window() -> None:
    fired = datetime(2025, 10, 13, 1, 0, tzinfo=UTC)
    window = timedelta(hours=24)
    later = fired + timedelta(hours=2)
    assert digest_missed(None, fired, later, window)
    assert digest_missed(fired - timedelta(days=7), fired, later, window)
    assert not digest_missed(fired + timedelta(seconds=1), fired, later, window)
    assert not digest_missed(None, fired, fired + timedelta(hours=25), window)
