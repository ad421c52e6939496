"""/tonghop, /xuat, /quahan, /nhiemvu and the weekly digest, through the real Application."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from telegram.ext import CommandHandler

from bot import texts
from bot.context import DEPS_KEY, AnyApplication, AppContext, Deps
from bot.handlers import summaries
from jobs.digest import send_weekly_digest, send_weekly_digest_if_due
from models import Assignment, Contact, Dispatch, DispatchStatus, Event, Role, Task
from services.charts import PNG_SIGNATURE
from services.summaries import DIGEST_SENT
from tests.e2e.conftest import BotHarness

pytestmark = pytest.mark.e2e

# The harness clock starts on Monday 05/01/2026, 08:00 local.
TODAY = date(2026, 1, 5)


def wire_summaries(app: AnyApplication) -> None:
    """Register the summary commands when bot/app.py does not (yet) do it.

    They must come before the catch-all "unknown command" handler of group 0, so the
    new handlers are moved to the front of that group.
    """
    wired = any(
        isinstance(handler, CommandHandler) and "tonghop" in handler.commands
        for handlers in app.handlers.values()
        for handler in handlers
    )
    if wired:
        return
    before = list(app.handlers.get(0, []))
    summaries.register(app)
    added = [handler for handler in app.handlers[0] if handler not in before]
    app.handlers[0][:] = added + before


async def seed(bot: BotHarness) -> tuple[int, int]:
    """Two units and one dispatch: Nội vụ has one overdue and one on-time; Tài chính one open."""
    noi_vu = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    tai_chinh = await bot.add_unit("Sở Tài chính thành phố Cần Thơ", aliases=["Sở Tài chính"])
    now = bot.clock.now()
    async with bot.session_factory.begin() as session:
        dispatch = Dispatch(
            status=DispatchStatus.ACTIVE,
            kind="cong_van",
            number="14-CV/TU",
            subject="V/v báo cáo",
            recipients=[],
            created_at=now,
            confirmed_at=now,
        )
        session.add(dispatch)
        await session.flush()
        for position, (unit, due, done) in enumerate(
            [
                (noi_vu, date(2026, 1, 2), None),
                (noi_vu, date(2025, 12, 31), date(2025, 12, 30)),
                (tai_chinh, date(2026, 1, 9), None),
            ],
            start=1,
        ):
            task = Task(
                dispatch_id=dispatch.id,
                position=position,
                ref=str(position),
                text=f"Việc {position}",
            )
            session.add(task)
            await session.flush()
            session.add(
                Assignment(
                    task_id=task.id,
                    unit_id=unit,
                    status="done" if done else "open",
                    due_on=due,
                    original_due_on=due,
                    assigned_at=now,
                    done_on=done,
                    done_at=datetime(done.year, done.month, done.day, 3, tzinfo=UTC)
                    if done
                    else None,
                )
            )
    wire_summaries(bot.app)
    return noi_vu, tai_chinh


async def test_tonghop_answers_with_text_and_a_chart(bot: BotHarness) -> None:
    await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/tonghop")
    report, chart = await bot.api.wait_for_messages(office, count=2, after=sent)
    assert "Quá hạn chưa hoàn thành: 1 (33%)" in report["text"]
    assert report["text"].index("Sở Nội vụ") < report["text"].index("Sở Tài chính")
    assert "photo" in chart
    [photo_call] = bot.api.calls_of("sendPhoto")
    assert photo_call["photo"].data.startswith(PNG_SIGNATURE)


async def test_xuat_sends_a_workbook_with_the_totals(bot: BotHarness) -> None:
    await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/xuat")
    [message] = await bot.api.wait_for_messages(office, after=sent)
    assert message["document"]["file_name"].endswith(".xlsx")
    [call] = bot.api.calls_of("sendDocument")
    workbook = load_workbook(io.BytesIO(call["document"].data))
    header = 5  # title, which documents and period, as of when, an empty row, then the header
    sheet = workbook[texts.WORKBOOK_SHEET_UNITS]
    assert sheet["A1"].value == texts.WORKBOOK_TITLE.format(sheet=texts.WORKBOOK_SHEET_UNITS)
    assert "3 lượt giao nhiệm vụ" in sheet["A2"].value
    assert sheet["A3"].value == "Số liệu tính đến 08:00 ngày 05/01/2026."
    units = list(sheet.iter_rows(min_row=header, values_only=True))
    assert units[-1][:3] == (None, texts.WORKBOOK_TOTAL_ROW, 3)
    assert units[1][:2] == (1, "Sở Nội vụ thành phố Cần Thơ")
    details = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    assert details.max_row == header + 3
    headers = [cell.value for cell in details[header]]
    due = headers.index(texts.WORKBOOK_COLUMNS["due_on"]) + 1
    assert details.cell(row=header + 1, column=due).is_date


async def test_a_unit_member_sees_only_their_unit(bot: BotHarness) -> None:
    noi_vu, _ = await seed(bot)
    member = await bot.register(200, Role.MEMBER, noi_vu)
    sent = await bot.api.send_command(member, "/tonghop")
    [report] = await bot.api.wait_for_messages(member, after=sent)
    assert "Sở Nội vụ" in report["text"]
    assert "Sở Tài chính" not in report["text"]
    assert "2 nhiệm vụ của các văn bản" in report["text"]
    assert bot.api.calls_of("sendPhoto") == []

    sent = await bot.api.send_command(member, "/xuat")
    [refusal] = await bot.api.wait_for_messages(member, after=sent)
    assert "chỉ dành cho" in refusal["text"]


async def test_quahan_names_days_and_head_and_nhiemvu_shows_history(bot: BotHarness) -> None:
    noi_vu, tai_chinh = await seed(bot)
    await bot.register(300, Role.HEAD, noi_vu, name="Nguyễn Văn An")
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/quahan")
    [overdue] = await bot.api.wait_for_messages(office, after=sent)
    assert "quá hạn 3 ngày" in overdue["text"]
    assert "Nguyễn Văn An" in overdue["text"]

    other_unit = await bot.register(400, Role.HEAD, tai_chinh)
    async with bot.session_factory() as session:
        late_id = await session.scalar(
            select(Assignment.id).where(Assignment.due_on == date(2026, 1, 2))
        )
    sent = await bot.api.send_command(other_unit, "/nhiemvu", str(late_id))
    [hidden] = await bot.api.wait_for_messages(other_unit, after=sent)
    assert f"Không tìm thấy nhiệm vụ mã {late_id}" in hidden["text"]
    sent = await bot.api.send_command(office, "/nhiemvu", f"#{late_id}")
    [history] = await bot.api.wait_for_messages(office, after=sent)
    assert f"Nhiệm vụ #{late_id}" in history["text"]


async def test_weekly_digest_reaches_supervisors_and_units(bot: BotHarness) -> None:
    noi_vu, _ = await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    head = await bot.register(300, Role.HEAD, noi_vu)
    await send_weekly_digest(AppContext(bot.app))
    [digest] = await bot.api.wait_for_messages(office)
    assert "Tổng hợp tuần" in digest["text"]
    assert "Quá hạn chưa hoàn thành: 1" in digest["text"]
    [weekly] = await bot.api.wait_for_messages(head)
    assert "quá hạn 3 ngày" in weekly["text"]


async def digests_recorded(bot: BotHarness) -> int:
    async with bot.session_factory() as session:
        return len((await session.scalars(select(Event).where(Event.kind == DIGEST_SENT))).all())


async def test_a_standby_sends_no_digest(bot: BotHarness) -> None:
    noi_vu, _ = await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.register(300, Role.HEAD, noi_vu)
    deps: Deps = bot.app.bot_data[DEPS_KEY]
    deps.runtime.leader = False
    await send_weekly_digest(AppContext(bot.app))
    await send_weekly_digest_if_due(AppContext(bot.app))
    assert bot.api.sent_messages(office) == []
    assert await digests_recorded(bot) == 0


async def test_the_due_digest_goes_out_once_whoever_checks(bot: BotHarness) -> None:
    """The scheduled time (Monday 08:00, the harness' start) passed: the leader sends it
    once; later checks, here or after a hand-over, find it recorded and send nothing."""
    noi_vu, _ = await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.register(300, Role.HEAD, noi_vu)
    bot.clock.advance(minutes=20)  # a standby took over after the leader died
    await send_weekly_digest_if_due(AppContext(bot.app))
    [digest] = await bot.api.wait_for_messages(office)
    assert "Tổng hợp tuần" in digest["text"]
    bot.clock.advance(minutes=5)
    await send_weekly_digest_if_due(AppContext(bot.app))
    assert len(bot.api.sent_messages(office)) == 1
    assert await digests_recorded(bot) == 1


async def test_tonghop_for_one_dispatch_and_donvi_for_one_unit(bot: BotHarness) -> None:
    await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/tonghop", "14-cv/tu")
    report, _chart = await bot.api.wait_for_messages(office, count=2, after=sent)
    assert "Tình hình thực hiện — Công văn số 14-CV/TU" in report["text"]

    sent = await bot.api.send_command(office, "/donvi", "Sở Tài chính")
    [unit] = await bot.api.wait_for_messages(office, after=sent)
    assert "Sở Tài chính thành phố Cần Thơ" in unit["text"]
    assert "1 nhiệm vụ của các văn bản" in unit["text"]


async def test_tonghop_of_another_units_dispatch_reads_as_one_that_does_not_exist(
    bot: BotHarness,
) -> None:
    await seed(bot)
    other = await bot.add_unit("Sở Y tế thành phố Cần Thơ")
    member = await bot.register(300, Role.MEMBER, other)
    sent = await bot.api.send_command(member, "/tonghop", "14-CV/TU")  # exists, not theirs
    [existing] = await bot.api.wait_for_messages(member, after=sent)
    sent = await bot.api.send_command(member, "/tonghop", "15-CV/TU")  # does not exist
    [missing] = await bot.api.wait_for_messages(member, after=sent)
    assert existing["text"] == texts.summary_dispatch_not_found("14-CV/TU")
    assert missing["text"] == texts.summary_dispatch_not_found("15-CV/TU")
    # By its prefix too: "14" would otherwise list the other unit's dispatch.
    sent = await bot.api.send_command(member, "/tonghop", "14")
    [prefix] = await bot.api.wait_for_messages(member, after=sent)
    assert prefix["text"] == texts.summary_dispatch_not_found("14")


async def test_the_digest_reaches_the_admins_and_is_paced_like_every_send(bot: BotHarness) -> None:
    """Who hears the digest is the office, admins included (services.audience); a 429 waits
    and sends, a chat that blocked the bot is deactivated, as for the ledger's rows."""
    noi_vu, _ = await seed(bot)
    admin = await bot.register(90, Role.ADMIN)
    office = await bot.register(100, Role.SUPERVISOR)
    gone = await bot.register(110, Role.SUPERVISOR)
    head = await bot.register(300, Role.HEAD, noi_vu)
    bot.api.block(gone.id)
    bot.api.inject_error(
        "sendMessage",
        429,
        "Too Many Requests: retry after 1",
        parameters={"retry_after": 1},
        chat_id=office.id,
    )
    await send_weekly_digest(AppContext(bot.app))
    [to_admin] = await bot.api.wait_for_messages(admin)
    assert "Tổng hợp tuần" in to_admin["text"]
    [to_office] = await bot.api.wait_for_messages(office)
    assert "Tổng hợp tuần" in to_office["text"]
    assert len(await bot.api.wait_for_messages(head)) == 1
    async with bot.session_factory() as session:
        contact = await session.scalar(select(Contact).where(Contact.chat_id == gone.id))
    assert contact is not None
    assert contact.blocked_at is not None
