"""/han (set a deadline) and /viec from the unit's side."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot import texts
from bot.splitting import BLOCK_GAP
from models import Assignment, Event, Role
from services.assignments import DeadlineSet, get_assignment
from tests.e2e.conftest import BotHarness
from tests.e2e.test_registration import assign
from tests.e2e.test_replies import shown

UNIT = "Sở Nội vụ thành phố Cần Thơ"


async def test_office_sets_a_deadline_for_an_undated_task(bot: BotHarness) -> None:
    unit = await bot.add_unit(UNIT)
    assignment_id = await assign(bot, unit, "4", None)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/han", str(assignment_id), "20/01/2026")
    [reply] = await bot.api.wait_for_messages(office, after=sent)
    assert reply["text"] == shown(
        texts.HAN_SET.format(id=assignment_id, ref="4", unit=UNIT, date="20/01/2026")
    )
    async with bot.session_factory() as session:
        row = await session.get(Assignment, assignment_id)
        kinds = set(await session.scalars(select(Event.kind)))
    assert row is not None
    assert (row.due_on, row.original_due_on) == (date(2026, 1, 20), date(2026, 1, 20))
    assert "assignment.deadline_set" in kinds


async def test_the_unit_is_told_when_the_office_moves_its_deadline(bot: BotHarness) -> None:
    unit = await bot.add_unit(UNIT)
    assignment_id = await assign(bot, unit, "4", date(2026, 1, 15))
    head = await bot.register(200, Role.HEAD, unit)
    other = await bot.register(300, Role.HEAD, await bot.add_unit("Sở Tài chính"))
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/han", str(assignment_id), "20/01/2026")
    await bot.api.wait_for_messages(office, after=sent)
    [told] = await bot.api.wait_for_messages(head)
    async with bot.session_factory() as session:
        moved = await get_assignment(session, assignment_id)
    assert moved is not None
    assert told["text"] == shown(
        texts.deadline_moved_to_unit(DeadlineSet(moved, date(2026, 1, 15), UNIT))
    )
    assert "15/01/2026" in told["text"]  # the old and the new deadline, as people read dates
    assert "20/01/2026" in told["text"]
    assert bot.api.sent_messages(other) == []


async def test_a_date_that_does_not_exist_is_refused(bot: BotHarness) -> None:
    unit = await bot.add_unit(UNIT)
    assignment_id = await assign(bot, unit, "4", None)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/han", str(assignment_id), "31/02/2026")
    [reply] = await bot.api.wait_for_messages(office, after=sent)
    assert reply["text"] == shown(texts.date_input_error("not_a_date", "31/02/2026"))
    async with bot.session_factory() as session:
        row = await session.get(Assignment, assignment_id)
    assert row is not None
    assert row.due_on is None


async def test_units_cannot_set_deadlines(bot: BotHarness) -> None:
    unit = await bot.add_unit(UNIT)
    assignment_id = await assign(bot, unit, "4", None)
    head = await bot.register(200, Role.HEAD, unit)
    sent = await bot.api.send_command(head, "/han", str(assignment_id), "20/01/2026")
    [reply] = await bot.api.wait_for_messages(head, after=sent)
    assert reply["text"] == shown(texts.NOT_ALLOWED)


async def test_viec_shows_days_left_and_overdue(bot: BotHarness) -> None:
    unit = await bot.add_unit(UNIT)
    today = date(2026, 1, 5)  # the harness clock's first day
    late = await assign(bot, unit, "1", date(2026, 1, 2))
    soon = await assign(bot, unit, "2", date(2026, 1, 9))
    head = await bot.register(200, Role.HEAD, unit)
    sent = await bot.api.send_command(head, "/viec")
    [reply] = await bot.api.wait_for_messages(head, after=sent)
    lines = [
        texts.my_task_line(
            assignment_id,
            ref,
            f"Nhiệm vụ {ref}",
            texts.dispatch_title("cong_van", f"{ref}-CV/TU", None),
            due,
            "open",
            today,
        )
        for assignment_id, ref, due in (
            (late, "1", date(2026, 1, 2)),
            (soon, "2", date(2026, 1, 9)),
        )
    ]
    header = texts.MY_TASKS_HEADER.format(unit=UNIT, count=2)
    assert reply["text"] == shown(BLOCK_GAP.join([header, *lines]))
    # The day counts are computed in the texts function itself, so they are checked here.
    assert "quá hạn 3 ngày" in reply["text"]
    assert "còn 4 ngày" in reply["text"]
