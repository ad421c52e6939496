"""Correcting a draft in the chat: lead and support units one by one, typed tasks, dates."""

from __future__ import annotations

from sqlalchemy import select

from models import Assignment, Role, Task
from tests.e2e.conftest import BotHarness
from tests.fakes import RateLimits, inline_buttons

# The harness clock starts on Monday 05/01/2026.
DISPATCH = """ỦY BAN NHÂN DÂN
TỈNH HÀ NAM
Số: 251/UBND-VP
V/v rà soát biên chế và kinh phí
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nam, ngày 02 tháng 01 năm 2026

Kính gửi:
- Sở Nội vụ;
- Sở Tài chính.

Ủy ban nhân dân tỉnh đề nghị các cơ quan thực hiện các nội dung sau:
1. Sở Nội vụ rà soát biên chế các cơ quan hành chính, báo cáo trước ngày 20/02/2026.
2. Sở Tài chính rà soát kinh phí thực hiện tinh giản biên chế, báo cáo trước ngày 20/02/2026.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn An
"""


def button(message: dict, prefix: str, text: str | None = None) -> str:
    for label, data in inline_buttons(message):
        if data.startswith(prefix) and (text is None or text in label):
            return data
    raise AssertionError(f"no button {prefix!r} {text!r} in {inline_buttons(message)}")


def has_button(prefix: str):  # type: ignore[no-untyped-def]
    return lambda m: any(d.startswith(prefix) for _, d in inline_buttons(m))


async def setup(bot: BotHarness):  # type: ignore[no-untyped-def]
    bot.api.rate_limits = RateLimits.disabled()
    units = {
        "nv": await bot.add_unit("Sở Nội vụ tỉnh Hà Nam", ["Sở Nội vụ"]),
        "tc": await bot.add_unit("Sở Tài chính tỉnh Hà Nam", ["Sở Tài chính"]),
        "tg": await bot.add_unit("Ban Tuyên giáo Tỉnh ủy Hà Nam"),
        "tch": await bot.add_unit("Ban Tổ chức Tỉnh ủy Hà Nam"),
    }
    office = await bot.register(100, Role.SUPERVISOR)
    heads = {
        "nv": await bot.register(201, Role.HEAD, units["nv"]),
        "tc": await bot.register(202, Role.HEAD, units["tc"]),
    }
    sent = await bot.api.send_text(office, DISPATCH)
    [*_, last] = await bot.api.wait_for_messages(
        office, predicate=lambda m: bool(inline_buttons(m)), after=sent, timeout=10
    )
    return office, heads, units, last


async def task_menu(bot: BotHarness, office, last: dict, ref: str) -> dict:  # type: ignore[no-untyped-def]
    query = await bot.api.press_button(office, last, button(last, "dr:edit:"))
    await bot.api.wait_for_callback_answer(query)
    tasks = bot.api.message(office, last["message_id"])
    await bot.api.press_button(office, tasks, button(tasks, "dr:t:", ref))
    [menu] = await bot.api.wait_for_messages(office, predicate=lambda m: "Chọn việc" in m["text"])
    return menu


async def press(
    bot: BotHarness, office, message: dict, prefix: str, text: str | None = None
) -> dict:  # type: ignore[no-untyped-def]
    """Press a button; the bot's next message with buttons."""
    latest = bot.api.sent_messages(office)[-1]
    await bot.api.press_button(office, message, button(message, prefix, text))
    [reply] = await bot.api.wait_for_messages(
        office, predicate=lambda m: bool(inline_buttons(m)), after=latest
    )
    return reply


async def type_text(bot: BotHarness, office, text: str) -> dict:  # type: ignore[no-untyped-def]
    sent = await bot.api.send_text(office, text)
    [reply] = await bot.api.wait_for_messages(office, after=sent)
    return reply


async def confirm(bot: BotHarness, office, message: dict) -> dict:  # type: ignore[no-untyped-def]
    latest = bot.api.sent_messages(office)[-1]
    await bot.api.press_button(office, message, button(message, "dr:ok:"))
    [reply] = await bot.api.wait_for_messages(
        office,
        predicate=lambda m: "Đã giao" in m["text"] or "cần kiểm tra" in m["text"],
        after=latest,
    )
    if "cần kiểm tra" in reply["text"]:
        await bot.api.press_button(office, reply, button(reply, "dr:go:"))
        [reply] = await bot.api.wait_for_messages(
            office, predicate=lambda m: "Đã giao" in m["text"], after=reply
        )
    return reply


async def leads_of(bot: BotHarness, ref: str) -> set[int]:
    async with bot.session_factory() as session:
        rows = await session.scalars(
            select(Assignment.unit_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.ref == ref)
        )
        return set(rows)


async def test_a_lead_unit_is_added_and_another_removed(bot: BotHarness) -> None:
    office, _, units, last = await setup(bot)
    menu = await task_menu(bot, office, last, "1")
    screen = await press(bot, office, menu, "dr:ul:")
    assert (
        "Đơn vị chủ trì của nhiệm vụ <b>1</b>" in screen["text"]
        or "Đơn vị chủ trì của nhiệm vụ 1" in screen["text"]
    )
    assert "Sở Nội vụ tỉnh Hà Nam" in screen["text"]
    await bot.api.press_button(office, screen, button(screen, "dr:fl:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Nhập tên đơn vị" in m["text"])
    added = await type_text(bot, office, "Sở Tài chính")
    assert "Đã thêm" in added["text"]
    assert "Sở Tài chính tỉnh Hà Nam" in added["text"]
    assert "Sở Nội vụ tỉnh Hà Nam" in added["text"]
    removed = await press(bot, office, added, "dr:rl:", "Sở Nội vụ")
    assert "Đã bỏ" in removed["text"]
    query = await bot.api.press_button(office, removed, button(removed, "dr:back:"))
    await bot.api.wait_for_callback_answer(query)
    back = bot.api.message(office, removed["message_id"])
    await confirm(bot, office, back)
    assert await leads_of(bot, "1") == {units["tc"]}
    assert await leads_of(bot, "2") == {units["tc"]}


async def test_support_units_are_added_and_the_supporter_is_told(bot: BotHarness) -> None:
    office, heads, _, last = await setup(bot)
    menu = await task_menu(bot, office, last, "2")
    screen = await press(bot, office, menu, "dr:us:")
    assert "Đơn vị phối hợp của nhiệm vụ" in screen["text"]
    await bot.api.press_button(office, screen, button(screen, "dr:fs:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Nhập tên đơn vị" in m["text"])
    added = await type_text(bot, office, "Sở Nội vụ")
    assert "Phối hợp: Sở Nội vụ tỉnh Hà Nam" in added["text"]
    query = await bot.api.press_button(office, added, button(added, "dr:back:"))
    await bot.api.wait_for_callback_answer(query)
    await confirm(bot, office, bot.api.message(office, added["message_id"]))
    [copy] = await bot.api.wait_for_messages(
        heads["nv"], predicate=lambda m: "Phối hợp" in m["text"], timeout=10
    )
    assert "nhiệm vụ 2:" in copy["text"]


async def test_an_unsure_unit_name_is_asked_about(bot: BotHarness) -> None:
    office, _, _, last = await setup(bot)
    menu = await task_menu(bot, office, last, "1")
    screen = await press(bot, office, menu, "dr:us:")
    await bot.api.press_button(office, screen, button(screen, "dr:fs:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Nhập tên đơn vị" in m["text"])
    asked = await type_text(bot, office, "Ban Tỉnh ủy")
    assert "«Ban Tỉnh ủy»" in asked["text"]
    labels = [t for t, d in inline_buttons(asked) if d.startswith("dr:as:")]
    assert any("Ban Tuyên giáo Tỉnh ủy Hà Nam" in t for t in labels)
    assert any("Ban Tổ chức Tỉnh ủy Hà Nam" in t for t in labels)
    picked = await press(bot, office, asked, "dr:as:", "Ban Tuyên giáo")
    assert "Phối hợp: Ban Tuyên giáo Tỉnh ủy Hà Nam" in picked["text"]
    # The confident part of a typed name needs no question: it is added at once.
    await bot.api.press_button(office, picked, button(picked, "dr:fs:"))
    await bot.api.wait_for_messages(
        office, predicate=lambda m: "Nhập tên đơn vị" in m["text"], after=picked
    )
    both = await type_text(bot, office, "Sở Tài chính, Ban Tỉnh ủy")
    support = next(line for line in both["text"].splitlines() if "Phối hợp:" in line)
    assert "Ban Tuyên giáo Tỉnh ủy Hà Nam" in support
    assert "Sở Tài chính tỉnh Hà Nam" in support
    assert "«Ban Tỉnh ủy»" in both["text"]


async def test_a_typed_task_is_read_numbered_and_marked_as_added(bot: BotHarness) -> None:
    office, heads, _, last = await setup(bot)
    await bot.api.press_button(office, last, button(last, "dr:add:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Nhập nội dung" in m["text"])
    added = await type_text(
        bot,
        office,
        "Sở Tài chính chủ trì, phối hợp Sở Nội vụ rà soát danh sách đối tượng tinh giản, "
        "báo cáo kết quả trước ngày 18/12/2026.",
    )
    text = added["text"]
    assert "Đã thêm nhiệm vụ 3" in text
    assert "do văn phòng bổ sung" in text
    assert "Chủ trì: Sở Tài chính tỉnh Hà Nam" in text
    assert "Phối hợp: Sở Nội vụ tỉnh Hà Nam" in text
    assert "17/12/2026" in text
    assert "không có hạn" not in text.lower()
    await confirm(bot, office, added)
    [task] = await bot.api.wait_for_messages(
        heads["tc"],
        predicate=lambda m: "Nhiệm vụ mới" in m["text"] and "đối tượng" in m["text"],
        timeout=10,
    )
    assert "Nhiệm vụ 3 (do văn phòng bổ sung):" in task["text"]
    assert "17/12/2026" in task["text"]
    [copy] = await bot.api.wait_for_messages(
        heads["nv"], predicate=lambda m: "Phối hợp" in m["text"], timeout=10
    )
    assert "do văn phòng bổ sung" in copy["text"]


async def test_a_typed_relative_deadline_reaches_the_unit_as_a_date(bot: BotHarness) -> None:
    office, heads, _, last = await setup(bot)
    menu = await task_menu(bot, office, last, "1")
    await bot.api.press_button(office, menu, button(menu, "dr:due:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Nhập hạn" in m["text"])
    updated = await type_text(bot, office, "ngày mai")
    assert "06/01/2026" in updated["text"]
    # Confirmed the next day: «ngày mai» typed yesterday is today.
    bot.clock.advance(days=1)
    await confirm(bot, office, updated)
    [task] = await bot.api.wait_for_messages(
        heads["nv"], predicate=lambda m: "Nhiệm vụ mới" in m["text"], timeout=10
    )
    assert "06/01/2026" in task["text"]
    assert "ngày mai" not in task["text"]
    assert "hôm nay" in task["text"]


async def test_the_lead_typed_as_support_changes_nothing_and_says_so(bot: BotHarness) -> None:
    office, _, units, last = await setup(bot)
    menu = await task_menu(bot, office, last, "2")
    screen = await press(bot, office, menu, "dr:us:")
    await bot.api.press_button(office, screen, button(screen, "dr:fs:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Nhập tên đơn vị" in m["text"])
    same = await type_text(bot, office, "Sở Tài chính")
    assert "Không có gì thay đổi" in same["text"]
    assert "Phối hợp:" not in same["text"]
    query = await bot.api.press_button(office, same, button(same, "dr:back:"))
    await bot.api.wait_for_callback_answer(query)
    await confirm(bot, office, bot.api.message(office, same["message_id"]))
    assert await leads_of(bot, "2") == {units["tc"]}
