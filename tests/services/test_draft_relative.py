"""Relative deadlines in a draft: counted from the received or issue day on the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ingest.model import Due, ParsedDispatch, ParsedTask
from models import Assignment, Unit
from services.drafts import (
    confirm_draft,
    create_draft,
    load_dispatch,
    set_received_on,
    set_task_deadline,
)
from services.events import Origin
from services.units import load_unit_index
from services.workdays import WorkingCalendar

NOW = datetime(2027, 2, 5, 2, 0, tzinfo=UTC)
TTL = timedelta(hours=48)
CALENDAR = WorkingCalendar()
# Friday 05/02/2027, the Friday before Tết 2027 (the office is closed 04/02 to 10/02).
RECEIVED = date(2027, 2, 5)


def relative(days: int, *, working: bool = True, origin: str = "receipt") -> Due:
    phrase = f"trong thời hạn {days:02d} ngày làm việc kể từ ngày nhận được văn bản này"
    return Due("relative", None, phrase, days=days, working=working, origin=origin)


def parsed(*dues: Due, issued_on: date | None = date(2027, 1, 29)) -> ParsedDispatch:
    tasks = tuple(
        ParsedTask(
            str(i + 1), f"Báo cáo {i + 1}", f"Báo cáo {i + 1}", ("Sở Nội vụ",), (), (d,), None
        )
        for i, d in enumerate(dues)
    )
    return ParsedDispatch(
        kind="cong_van",
        number="7-CV/TU",
        issuer="Thành ủy",
        issued_on=issued_on,
        subject="V/v báo cáo",
        signer=None,
        recipients=("Sở Nội vụ",),
        tasks=tasks,
    )


async def draft(session: AsyncSession, dispatch: ParsedDispatch, calendar=CALENDAR) -> int:  # type: ignore[no-untyped-def]
    session.add(Unit(name="Sở Nội vụ", aliases=[]))
    await session.flush()
    outcome = await create_draft(
        session,
        dispatch,
        index=await load_unit_index(session),
        stored=None,
        file_name=None,
        now=NOW,
        ttl=TTL,
        origin=Origin(),
        received_on=RECEIVED,
        calendar=calendar,
    )
    return outcome.dispatch_id


async def test_five_working_days_from_receipt_before_tet_2027(session: AsyncSession) -> None:
    # 11, 12, 15, 16, 17 February: Tết and two weekends are skipped.
    view = await load_dispatch(session, await draft(session, parsed(relative(5))))
    assert view is not None
    assert view.tasks[0].deadline == date(2027, 2, 17)
    assert view.tasks[0].dues[0].since == RECEIVED


async def test_calendar_days_from_receipt_count_every_day(session: AsyncSession) -> None:
    view = await load_dispatch(session, await draft(session, parsed(relative(5, working=False))))
    assert view is not None
    assert view.tasks[0].deadline == date(2027, 2, 10)


async def test_days_from_issue_count_from_the_issue_date(session: AsyncSession) -> None:
    # Issued Friday 29/01/2027: 01, 02, 03 February, then Tết, then 11, 12.
    view = await load_dispatch(session, await draft(session, parsed(relative(5, origin="issue"))))
    assert view is not None
    assert view.tasks[0].deadline == date(2027, 2, 12)


async def test_days_from_issue_without_an_issue_date_count_from_receipt(
    session: AsyncSession,
) -> None:
    dispatch = parsed(relative(5, origin="issue"), issued_on=None)
    view = await load_dispatch(session, await draft(session, dispatch))
    assert view is not None
    assert view.tasks[0].deadline == date(2027, 2, 17)


async def test_an_extra_day_off_moves_a_relative_deadline(session: AsyncSession) -> None:
    calendar = WorkingCalendar.build(extra_days_off=[date(2027, 2, 11)])
    view = await load_dispatch(session, await draft(session, parsed(relative(5)), calendar))
    assert view is not None
    assert view.tasks[0].deadline == date(2027, 2, 18)


async def test_changing_the_received_day_counts_every_relative_deadline_again(
    session: AsyncSession,
) -> None:
    dispatch_id = await draft(session, parsed(relative(5), relative(3)))
    version = await set_received_on(
        session,
        dispatch_id,
        1,
        date(2027, 2, 1),
        calendar=CALENDAR,
        now=NOW,
        origin=Origin(),
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert version == 2
    assert view.received_on == date(2027, 2, 1)
    # From Monday 01/02: 02, 03, then Tết, then 11, 12, 15 (five) and 02, 03, 11 (three).
    assert [t.deadline for t in view.tasks] == [date(2027, 2, 15), date(2027, 2, 11)]


async def test_a_relative_deadline_is_the_assignments_deadline(session: AsyncSession) -> None:
    dispatch_id = await draft(session, parsed(relative(5)))
    await confirm_draft(
        session, dispatch_id, 1, now=NOW, origin=Origin(), tz=ZoneInfo("Asia/Ho_Chi_Minh")
    )
    assert await session.scalar(select(Assignment.due_on)) == date(2027, 2, 17)


async def test_a_deadline_set_by_the_office_replaces_a_relative_one(session: AsyncSession) -> None:
    dispatch_id = await draft(session, parsed(relative(5)))
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    await set_task_deadline(
        session,
        dispatch_id,
        1,
        view.tasks[0].id,
        date(2027, 2, 12),
        "12/02/2027",
        now=NOW,
        origin=Origin(),
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert [(d.kind, d.on) for d in view.tasks[0].dues] == [("deadline", date(2027, 2, 12))]
