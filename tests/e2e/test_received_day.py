"""The day a dispatch reaches the bot dates what the text leaves open: a year-less deadline
in a letter without an issue date, and a deadline counted in working days from receipt."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import Dispatch, Role, TaskDue
from tests.e2e.conftest import BotHarness
from tests.fakes import RateLimits, inline_buttons

# The harness clock starts on Monday 05/01/2026 (Asia/Ho_Chi_Minh).
# A pasted text must be long enough to read as a dispatch, not as a reply.
PREAMBLE = """ỦY BAN NHÂN DÂN TỈNH HÀ NAM

V/v rà soát hồ sơ cán bộ, công chức, viên chức nghỉ hưu và thực hiện chế độ, chính sách \
đối với người nghỉ hưu trên địa bàn tỉnh

"""
NO_DATE = (
    PREAMBLE
    + """Kính gửi:
- Sở Nội vụ;
- Sở Tài chính.

Thực hiện chỉ đạo của Thường trực Tỉnh ủy về công tác cán bộ, Ủy ban nhân dân tỉnh đề nghị \
các cơ quan rà soát hồ sơ cán bộ nghỉ hưu, lập danh sách theo mẫu đính kèm, báo cáo Ủy ban \
nhân dân tỉnh trước ngày 20/01.
"""
)
RELATIVE = (
    PREAMBLE
    + """Kính gửi:
- Sở Nội vụ;
- Sở Tài chính.

Thực hiện chỉ đạo của Thường trực Tỉnh ủy về công tác cán bộ, Ủy ban nhân dân tỉnh đề nghị \
các cơ quan rà soát hồ sơ cán bộ nghỉ hưu, lập danh sách theo mẫu đính kèm, báo cáo Ủy ban \
nhân dân tỉnh trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản này.
"""
)


async def draft_of(bot: BotHarness, text: str) -> dict:
    bot.api.rate_limits = RateLimits.disabled()
    await bot.add_unit("Sở Nội vụ tỉnh Hà Nam", ["Sở Nội vụ"])
    await bot.add_unit("Sở Tài chính tỉnh Hà Nam", ["Sở Tài chính"])
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_text(office, text)
    [*_, last] = await bot.api.wait_for_messages(
        office, predicate=lambda m: bool(inline_buttons(m)), after=sent, timeout=10
    )
    return last


async def stored_dues(bot: BotHarness) -> list[tuple[str, date | None]]:
    async with bot.session_factory() as session:
        rows = await session.execute(select(TaskDue.kind, TaskDue.due_on))
        return [(kind, due_on) for kind, due_on in rows]


async def test_a_yearless_deadline_takes_the_year_of_the_day_received(bot: BotHarness) -> None:
    await draft_of(bot, NO_DATE)
    assert await stored_dues(bot) == [("deadline", date(2026, 1, 19))]
    async with bot.session_factory() as session:
        received = await session.scalar(select(Dispatch.received_on))
    assert received == date(2026, 1, 5)


async def test_working_days_from_receipt_give_the_deadline_and_its_reasoning(
    bot: BotHarness,
) -> None:
    draft = await draft_of(bot, RELATIVE)
    # Monday 05/01/2026 + 5 working days: 06, 07, 08, 09, 12 January.
    assert await stored_dues(bot) == [("relative", date(2026, 1, 12))]
    assert "05 ngày làm việc kể từ ngày nhận (05/01/2026) → hạn 12/01/2026" in draft["text"]
