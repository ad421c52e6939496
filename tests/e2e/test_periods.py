"""A periodic obligation end to end: confirmed, reminded per period, completed per period."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.context import DEPS_KEY, Deps
from bot.notifier import deliver, use_pacer
from bot.pacing import Pacer, SendLimits
from ingest.model import Due, ParsedDispatch, ParsedTask
from jobs.reminders import policy_from, run_tick
from models import Assignment, Period, Role
from services.drafts import confirm_draft, create_draft
from services.events import Origin
from services.units import load_unit_index
from tests.e2e.conftest import BotHarness
from tests.fakes import inline_buttons

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT = "Sở Nội vụ thành phố Cần Thơ"
MONTHLY = Due("recurring", None, "trước ngày 20 hằng tháng", every="month", day=19)


def local(day: date, hour: int = 8, minute: int = 1) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ).astimezone(UTC)


@pytest.fixture(autouse=True)
def fast_pacer(bot: BotHarness) -> None:
    use_pacer(deps_of(bot), Pacer(SendLimits().scaled(0.01)))


def deps_of(bot: BotHarness) -> Deps:
    deps: Deps = bot.app.bot_data[DEPS_KEY]
    return deps


async def confirm_monthly_report(bot: BotHarness) -> None:
    """A dispatch asking the unit to report before the 20th of every month, confirmed."""
    parsed = ParsedDispatch(
        kind="cong_van",
        number="9-CV/TU",
        issuer="Thành ủy Cần Thơ",
        issued_on=date(2026, 1, 5),
        subject="Chế độ báo cáo",
        signer=None,
        recipients=(UNIT,),
        tasks=(
            ParsedTask("1", "Báo cáo kết quả thực hiện", "Báo cáo", (UNIT,), (), (MONTHLY,), None),
        ),
    )
    now = bot.clock.now()
    async with bot.session_factory.begin() as session:
        draft = await create_draft(
            session,
            parsed,
            index=await load_unit_index(session),
            stored=None,
            file_name=None,
            now=now,
            ttl=timedelta(hours=48),
            origin=Origin(),
        )
        outcome = await confirm_draft(
            session, draft.dispatch_id, 1, now=now, origin=Origin(), tz=TZ
        )
        chat_of = dict(outcome.claims)
    await deliver(bot.app.bot, deps_of(bot), list(chat_of), chat_of)


async def tick(bot: BotHarness, at: datetime) -> None:
    bot.clock.set(at)
    deps = deps_of(bot)
    await run_tick(bot.app.bot, deps, policy_from(deps.settings))


async def test_a_monthly_obligation_is_reminded_and_completed_period_by_period(
    bot: BotHarness,
) -> None:
    unit = await bot.add_unit(UNIT)
    head = await bot.register(201, Role.HEAD, unit)
    await confirm_monthly_report(bot)
    [announcement] = await bot.api.wait_for_messages(head)
    assert "Nhiệm vụ 1:" in announcement["text"]

    await tick(bot, local(date(2026, 1, 12)))  # Monday, seven days before 19/01
    [reminder] = await bot.api.wait_for_messages(head, after=announcement)
    assert "còn 7 ngày" in reminder["text"]
    assert "kỳ tháng 01/2026" in reminder["text"]

    sent = await bot.api.send_text(head, "xong", reply_to=reminder)
    [answer, *_] = await bot.api.wait_for_messages(head, after=sent)
    assert "kỳ tháng 01/2026" in answer["text"]
    assert "Kỳ tiếp theo (tháng 02/2026): hạn 19/02/2026." in answer["text"]

    await tick(bot, local(date(2026, 1, 19)))  # January is done: no deadline-day reminder
    assert bot.api.sent_messages(head)[-1]["message_id"] == answer["message_id"]

    await tick(bot, local(date(2026, 2, 12)))  # a month on: February's reminder
    [february] = await bot.api.wait_for_messages(head, after=answer)
    assert "kỳ tháng 02/2026" in february["text"]
    assert "19/02/2026" in february["text"]


async def test_the_done_button_on_a_reminder_completes_that_reminders_period(
    bot: BotHarness,
) -> None:
    # January is left open (late); ✅ on February's reminder is about February.
    unit = await bot.add_unit(UNIT)
    head = await bot.register(201, Role.HEAD, unit)
    await confirm_monthly_report(bot)
    [announcement] = await bot.api.wait_for_messages(head)
    await tick(bot, local(date(2026, 1, 12)))
    [january] = await bot.api.wait_for_messages(head, after=announcement)
    await tick(bot, local(date(2026, 2, 12)))
    [february] = await bot.api.wait_for_messages(
        head, after=january, predicate=lambda m: "kỳ tháng 02/2026" in m["text"]
    )
    await bot.api.press_button(head, february, button_data(february, "a:done:"))
    [question] = await bot.api.wait_for_messages(head, after=february)
    await bot.api.press_button(head, question, button_data(question, "a:skip:"))
    [answer] = await bot.api.wait_for_messages(
        head, after=question, predicate=lambda m: "kỳ tháng" in m["text"]
    )
    assert "kỳ tháng 02/2026" in answer["text"]
    async with bot.session_factory() as session:
        statuses = dict((await session.execute(select(Period.key, Period.status))).all())
    assert statuses["2026-01"] == "open"
    assert statuses["2026-02"] != "open"


async def test_the_office_stops_an_obligation_and_the_unit_is_told(bot: BotHarness) -> None:
    unit = await bot.add_unit(UNIT)
    head = await bot.register(201, Role.HEAD, unit)
    office = await bot.register(100, Role.SUPERVISOR)
    await confirm_monthly_report(bot)
    [announcement] = await bot.api.wait_for_messages(head)
    async with bot.session_factory() as session:
        assignment_id = await session.scalar(select(Assignment.id))
    sent = await bot.api.send_command(office, "dungky", str(assignment_id), "đã", "thay", "thế")
    [confirmed, *_] = await bot.api.wait_for_messages(office, after=sent)
    assert "Đã dừng báo cáo định kỳ" in confirmed["text"]
    [told] = await bot.api.wait_for_messages(head, after=announcement)
    assert "Lý do: đã thay thế" in told["text"]
    await tick(bot, local(date(2026, 1, 12)))  # no reminder for a stopped obligation
    assert bot.api.sent_messages(head)[-1]["message_id"] == told["message_id"]


DISPATCH_TEXT = """THÀNH ỦY CẦN THƠ
Số 12-CV/TU
Cần Thơ, ngày 05 tháng 01 năm 2026

CÔNG VĂN
V/v chế độ báo cáo

Kính gửi: Sở Nội vụ thành phố Cần Thơ

1. Sở Nội vụ thành phố Cần Thơ định kỳ báo cáo kết quả thực hiện về Thường trực Thành ủy.
"""


def button_data(message: dict, prefix: str) -> str:
    return next(data for _, data in inline_buttons(message) if data.startswith(prefix))


async def test_the_office_chooses_the_default_rule_in_the_draft(bot: BotHarness) -> None:
    unit = await bot.add_unit(UNIT)
    await bot.register(201, Role.HEAD, unit)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_document(office, "cv.txt", DISPATCH_TEXT.encode())
    [draft] = await bot.api.wait_for_messages(
        office, predicate=lambda m: bool(inline_buttons(m)), after=sent
    )
    assert "không nêu kỳ" in draft["text"]
    assert "hằng tháng, hạn ngày 19" in draft["text"]
    await bot.api.press_button(office, draft, button_data(draft, "dr:rule:"))
    [edited] = await bot.api.wait_for_messages(
        office, predicate=lambda m: "Theo dõi theo kỳ" in m["text"], after=draft
    )
    assert not any(d.startswith("dr:rule:") for _, d in inline_buttons(edited))
    await bot.api.press_button(office, edited, button_data(edited, "dr:ok:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Đã giao" in m["text"])
    async with bot.session_factory() as session:
        assignment = await session.scalar(select(Assignment))
    assert assignment is not None
    assert assignment.period_rule == "month:19"


MONTHLY_LETTER = """THÀNH ỦY CẦN THƠ

Số 9-CV/TU
V/v chế độ báo cáo kết quả thực hiện nhiệm vụ hằng tháng

ĐẢNG CỘNG SẢN VIỆT NAM

Cần Thơ, ngày 05 tháng 01 năm 2026

Kính gửi: Sở Nội vụ thành phố Cần Thơ.

Ban Thường vụ Thành ủy đề nghị Sở Nội vụ thành phố Cần Thơ tổng hợp, báo cáo kết quả \
thực hiện nhiệm vụ cải cách hành chính về Văn phòng Thành ủy trước ngày 20 hằng tháng.

Nơi nhận:
- Như trên;
- Lưu Văn phòng Thành ủy.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ

Nguyễn Văn An
"""


def _button(message: dict, prefix: str) -> str | None:
    return next((data for _, data in inline_buttons(message) if data.startswith(prefix)), None)


async def test_a_pasted_monthly_duty_is_parsed_confirmed_and_reminded_per_period(
    bot: BotHarness,
) -> None:
    """From the text: "trước ngày 20 hằng tháng" is every month, day 19, through the parser."""
    unit = await bot.add_unit(UNIT)
    head = await bot.register(201, Role.HEAD, unit)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_text(office, MONTHLY_LETTER)
    [*_, draft] = await bot.api.wait_for_messages(
        office, predicate=lambda m: bool(inline_buttons(m)), after=sent, timeout=10
    )
    assert "Theo dõi theo kỳ" in draft["text"]
    confirm = _button(draft, "dr:ok:")
    assert confirm is not None
    await bot.api.press_button(office, draft, confirm)
    asked = await bot.api.wait_for_messages(
        office,
        predicate=lambda m: "Đã giao" in m["text"] or _button(m, "dr:go:") is not None,
        after=draft,
        timeout=10,
    )
    anyway = _button(asked[-1], "dr:go:")
    if anyway is not None:  # the parser marked something to check: confirm anyway
        await bot.api.press_button(office, asked[-1], anyway)
    [announcement] = await bot.api.wait_for_messages(head, timeout=10)
    assert "Nhiệm vụ mới" in announcement["text"]

    await tick(bot, local(date(2026, 1, 12)))
    [reminder] = await bot.api.wait_for_messages(head, after=announcement)
    assert "kỳ tháng 01/2026" in reminder["text"]
    reply = await bot.api.send_text(head, "xong", reply_to=reminder)
    [answer, *_] = await bot.api.wait_for_messages(head, after=reply)
    assert "Kỳ tiếp theo (tháng 02/2026): hạn 19/02/2026." in answer["text"]

    await tick(bot, local(date(2026, 2, 12)))
    [february] = await bot.api.wait_for_messages(head, after=answer)
    assert "kỳ tháng 02/2026" in february["text"]
