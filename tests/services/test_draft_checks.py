"""What the office must check before confirming, and where the draft shows ⚠."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.handlers.dispatches import task_block
from ingest.model import Due, ParsedDispatch, ParsedTask
from models import Unit
from services.draft_checks import CheckKind, DraftCheck, draft_checks, tasks_to_check
from services.drafts import DispatchView, create_draft, load_dispatch
from services.events import Origin
from services.units import load_unit_index

TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


def task(
    ref: str,
    lead: tuple[str, ...] = ("Sở Nội vụ",),
    due: tuple[Due, ...] = (),
    unsure: frozenset[str] = frozenset(),
) -> ParsedTask:
    return ParsedTask(ref, f"Nội dung {ref}", f"Nội dung {ref}", lead, (), due, None, unsure)


def dispatch(*tasks: ParsedTask, recipients_unsure: bool = False) -> ParsedDispatch:
    return ParsedDispatch(
        kind="cong_van",
        number="9-CV/TU",
        issuer="Thành ủy",
        issued_on=date(2025, 10, 1),
        subject="V/v kiểm tra",
        signer=None,
        recipients=("Sở Nội vụ",),
        tasks=tasks,
        recipients_unsure=recipients_unsure,
    )


async def view_of(session: AsyncSession, parsed: ParsedDispatch) -> DispatchView:
    session.add(Unit(name="Sở Nội vụ", aliases=[]))
    await session.flush()
    outcome = await create_draft(
        session,
        parsed,
        index=await load_unit_index(session),
        stored=None,
        file_name=None,
        now=NOW,
        ttl=timedelta(hours=48),
        origin=Origin(),
        received_on=TODAY,
    )
    view = await load_dispatch(session, outcome.dispatch_id)
    assert view is not None
    return view


async def test_a_clean_draft_has_nothing_to_check(session: AsyncSession) -> None:
    due = Due("deadline", date(2026, 12, 20), "trước ngày 20/12/2026")
    view = await view_of(session, dispatch(task("1", due=(due,))))
    assert draft_checks(view, TODAY) == ()


async def test_fields_the_parser_was_unsure_of_are_listed(session: AsyncSession) -> None:
    view = await view_of(session, dispatch(task("1", unsure=frozenset({"lead", "due"}))))
    assert draft_checks(view, TODAY) == (DraftCheck(CheckKind.UNSURE, "1", ("due", "lead")),)


async def test_a_task_without_a_lead_unit_is_listed(session: AsyncSession) -> None:
    view = await view_of(session, dispatch(task("1", lead=("Ban Không Có",))))
    assert draft_checks(view, TODAY) == (DraftCheck(CheckKind.NO_LEAD, "1"),)


async def test_a_deadline_already_past_is_listed_with_its_days(session: AsyncSession) -> None:
    due = Due("deadline", date(2025, 10, 31), "trước ngày 31/10/2025")
    view = await view_of(session, dispatch(task("1", due=(due,))))
    [check] = draft_checks(view, TODAY)
    assert (check.kind, check.deadline, check.days) == (CheckKind.PAST_DEADLINE, due.date, 398)
    assert texts.draft_check_reason(check.kind, (), check.deadline, check.days) == (
        "⚠ hạn 31/10/2025 đã qua 398 ngày"
    )


async def test_a_deadline_today_is_not_past(session: AsyncSession) -> None:
    view = await view_of(session, dispatch(task("1", due=(Due("deadline", TODAY, "hôm nay"),))))
    assert draft_checks(view, TODAY) == ()


async def test_an_unsure_recipient_list_is_listed_for_the_dispatch(session: AsyncSession) -> None:
    view = await view_of(session, dispatch(task("1"), recipients_unsure=True))
    checks = draft_checks(view, TODAY)
    assert checks == (DraftCheck(CheckKind.RECIPIENTS),)
    assert tasks_to_check(checks) == ()


async def test_tasks_to_check_counts_each_task_once(session: AsyncSession) -> None:
    past = Due("deadline", date(2025, 10, 31), "trước ngày 31/10/2025")
    parsed = dispatch(
        task("1", lead=("Ban Không Có",), due=(past,), unsure=frozenset({"text"})),
        task("2"),
        task("3", due=(past,)),
    )
    view = await view_of(session, parsed)
    assert tasks_to_check(draft_checks(view, TODAY)) == ("1", "3")


async def test_the_draft_marks_exactly_the_unsure_fields(session: AsyncSession) -> None:
    due = Due("deadline", date(2026, 12, 20), "trước ngày 20/12/2026")
    view = await view_of(session, dispatch(task("1", due=(due,), unsure=frozenset({"due"}))))
    block = task_block(view.tasks[0])
    assert "⏰ ⚠ Hạn 20/12/2026" in block
    assert block.count("⚠") == 1


async def test_the_draft_marks_an_unsure_lead_and_text(session: AsyncSession) -> None:
    view = await view_of(session, dispatch(task("1", unsure=frozenset({"lead", "text"}))))
    block = task_block(view.tasks[0])
    assert "<b>1.</b> ⚠ Nội dung 1" in block
    assert "Chủ trì: ⚠ Sở Nội vụ" in block
    assert block.count("⚠") == 2


async def test_a_relative_deadline_shows_how_it_was_counted(session: AsyncSession) -> None:
    # Received Thursday 03/12/2026: 04, 07, 08, 09, 10 December.
    due = Due("relative", None, "trong 05 ngày làm việc", days=5, working=True, origin="receipt")
    view = await view_of(session, dispatch(task("1", due=(due,))))
    assert "05 ngày làm việc kể từ ngày nhận (03/12/2026) → hạn <b>10/12/2026</b>" in (
        task_block(view.tasks[0])
    )


async def test_an_unsure_support_line_is_shown_even_when_none_was_read(
    session: AsyncSession,
) -> None:
    view = await view_of(session, dispatch(task("1", unsure=frozenset({"support"}))))
    block = task_block(view.tasks[0])
    assert "Phối hợp: ⚠ chưa đọc được đơn vị phối hợp" in block
    assert block.count("⚠") == 1
