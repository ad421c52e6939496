"""Confirming a draft with warnings asks once; a unit is told when a deadline has passed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from models import Assignment, Dispatch, Role, Task, TaskDue
from tests.e2e.conftest import BotHarness
from tests.fakes import RateLimits, inline_buttons

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The harness clock starts on Monday 05/01/2026: 19/10/2025 was 78 days earlier.
DISPATCH = """ỦY BAN NHÂN DÂN
TỈNH HÀ NAM
Số: 250/UBND-VP
V/v báo cáo kết quả cải cách hành chính
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nam, ngày 06 tháng 10 năm 2025

Kính gửi:
- Sở Nội vụ;
- Sở Tài chính.

Ủy ban nhân dân tỉnh đề nghị các cơ quan thực hiện các nội dung sau:
1. Sở Nội vụ tổng hợp, báo cáo kết quả cải cách hành chính quý III, gửi Ủy ban nhân dân \
tỉnh trước ngày {first}.
2. Sở Tài chính rà soát kinh phí thực hiện cải cách hành chính, báo cáo trước ngày 20/10/2027.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn An
"""


def button(message: dict, prefix: str) -> str:
    for _, data in inline_buttons(message):
        if data.startswith(prefix):
            return data
    raise AssertionError(f"no button {prefix!r} in {inline_buttons(message)}")


async def paste_draft(bot: BotHarness, office, first: str) -> dict:  # type: ignore[no-untyped-def]
    sent = await bot.api.send_text(office, DISPATCH.format(first=first))
    [*_, last] = await bot.api.wait_for_messages(
        office, predicate=lambda m: bool(inline_buttons(m)), after=sent, timeout=10
    )
    return last


async def assignments(bot: BotHarness) -> int:
    async with bot.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(Assignment)) or 0)


async def setup(bot: BotHarness):  # type: ignore[no-untyped-def]
    bot.api.rate_limits = RateLimits.disabled()
    home = await bot.add_unit("Sở Nội vụ tỉnh Hà Nam", ["Sở Nội vụ"])
    await bot.add_unit("Sở Tài chính tỉnh Hà Nam", ["Sở Tài chính"])
    office = await bot.register(100, Role.SUPERVISOR)
    head = await bot.register(201, Role.HEAD, home)
    return office, head


async def test_a_past_deadline_asks_once_before_confirming(bot: BotHarness) -> None:
    office, head = await setup(bot)
    last = await paste_draft(bot, office, "20/10/2025")
    await bot.api.press_button(office, last, button(last, "dr:ok:"))
    [ask] = await bot.api.wait_for_messages(
        office, predicate=lambda m: "cần kiểm tra" in m["text"], after=last
    )
    assert "1 nhiệm vụ cần kiểm tra" in ask["text"]
    assert "Nhiệm vụ 1: ⚠ hạn 19/10/2025 đã qua 78 ngày" in ask["text"]
    assert "Nhiệm vụ 2" not in ask["text"]
    assert [t for t, _ in inline_buttons(ask)] == ["✅ Vẫn xác nhận", "✏️ Quay lại sửa"]
    assert await assignments(bot) == 0

    await bot.api.press_button(office, ask, button(ask, "dr:go:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Đã giao" in m["text"], after=ask)
    [task] = await bot.api.wait_for_messages(
        head, predicate=lambda m: "Nhiệm vụ mới" in m["text"], timeout=10
    )
    assert "⚠ Hạn đã qua 78 ngày" in task["text"]
    assert await assignments(bot) == 2


async def test_going_back_to_edit_assigns_nothing(bot: BotHarness) -> None:
    office, _ = await setup(bot)
    last = await paste_draft(bot, office, "20/10/2025")
    await bot.api.press_button(office, last, button(last, "dr:ok:"))
    [ask] = await bot.api.wait_for_messages(
        office, predicate=lambda m: "cần kiểm tra" in m["text"], after=last
    )
    query = await bot.api.press_button(office, ask, button(ask, "dr:edit:"))
    await bot.api.wait_for_callback_answer(query)
    edited = bot.api.calls_of("editMessageReplyMarkup")[-1]
    assert "dr:t:" in str(edited["reply_markup"])
    assert await assignments(bot) == 0


async def test_a_draft_without_warnings_confirms_at_once(bot: BotHarness) -> None:
    office, head = await setup(bot)
    last = await paste_draft(bot, office, "20/10/2026")
    await bot.api.press_button(office, last, button(last, "dr:ok:"))
    [done] = await bot.api.wait_for_messages(office, predicate=lambda m: "Đã giao" in m["text"])
    assert not any("cần kiểm tra" in m["text"] for m in bot.api.sent_messages(office))
    [task] = await bot.api.wait_for_messages(
        head, predicate=lambda m: "Nhiệm vụ mới" in m["text"], timeout=10
    )
    assert "Hạn đã qua" not in task["text"]
    assert done["message_id"] > last["message_id"]


async def make_relative(bot: BotHarness, days: int) -> None:
    """Task 1's deadline as the parser will read «trong thời hạn 05 ngày làm việc kể từ
    ngày nhận được văn bản này» (the parser in this tree does not read it yet)."""
    async with bot.session_factory.begin() as session:
        task_id = await session.scalar(select(Task.id).where(Task.ref == "1"))
        due = await session.scalar(select(TaskDue).where(TaskDue.task_id == task_id))
        assert due is not None
        due.kind, due.days, due.working, due.origin = "relative", days, True, "receipt"
        due.due_on = date(2027, 2, 17)  # as counted from 05/02/2027


async def test_changing_the_received_day_counts_relative_deadlines_again(
    bot: BotHarness,
) -> None:
    office, _ = await setup(bot)
    bot.clock.set(datetime(2027, 2, 5, 9, 0, tzinfo=TZ))  # Friday before Tết 2027
    last = await paste_draft(bot, office, "20/12/2027")
    draft_text = "\n".join(m["text"] for m in bot.api.sent_messages(office))
    assert "Ngày nhận văn bản: 05/02/2027" in draft_text
    await make_relative(bot, 5)

    await bot.api.press_button(office, last, button(last, "dr:recv:"))
    [ask] = await bot.api.wait_for_messages(
        office, predicate=lambda m: "Nhập ngày nhận văn bản" in m["text"], after=last
    )
    assert "hiện là 05/02/2027" in ask["text"]
    sent = await bot.api.send_text(office, "01/02/2027")
    [done] = await bot.api.wait_for_messages(office, after=sent)
    # From Monday 01/02: 02, 03, (Tết 04–10), 11, 12, 15.
    assert "Đã đổi ngày nhận văn bản thành 01/02/2027" in done["text"]
    assert "05 ngày làm việc kể từ ngày nhận (01/02/2027) → hạn 15/02/2027" in done["text"]
    async with bot.session_factory() as session:
        assert await session.scalar(select(Dispatch.received_on)) == date(2027, 2, 1)
        assert await session.scalar(select(TaskDue.due_on).where(TaskDue.kind == "relative")) == (
            date(2027, 2, 15)
        )


async def test_a_nonexistent_or_future_received_day_changes_nothing(bot: BotHarness) -> None:
    office, _ = await setup(bot)
    bot.clock.set(datetime(2027, 2, 5, 9, 0, tzinfo=TZ))
    last = await paste_draft(bot, office, "20/12/2027")
    await make_relative(bot, 5)
    await bot.api.press_button(office, last, button(last, "dr:recv:"))
    await bot.api.wait_for_messages(
        office, predicate=lambda m: "Nhập ngày nhận văn bản" in m["text"], after=last
    )
    sent = await bot.api.send_text(office, "31/02/2027")
    [refused] = await bot.api.wait_for_messages(office, after=sent)
    assert "Ngày 31/02/2027 không tồn tại." in refused["text"]
    sent = await bot.api.send_text(office, "20/02/2027")
    [refused] = await bot.api.wait_for_messages(office, after=sent)
    assert "Ngày 20/02/2027 chưa tới" in refused["text"]
    async with bot.session_factory() as session:
        dispatch = await session.scalar(select(Dispatch))
        assert dispatch is not None
        assert (dispatch.received_on, dispatch.version) == (date(2027, 2, 5), 1)
        assert await session.scalar(select(TaskDue.due_on).where(TaskDue.kind == "relative")) == (
            date(2027, 2, 17)
        )
