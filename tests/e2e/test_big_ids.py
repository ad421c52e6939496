"""Ids beyond 64 bits in a command or a button are an unknown task, not a database error."""

from __future__ import annotations

from bot import texts
from models import Role
from tests.e2e.conftest import BotHarness

HUGE = "9223372036854775808"  # 2**63: one past PostgreSQL's BIGINT


async def test_nhiemvu_with_an_id_past_64_bits_is_an_unknown_task(bot: BotHarness) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.api.send_command(office, "/nhiemvu", HUGE)
    [reply] = await bot.api.wait_for_messages(office)
    assert reply["text"].startswith(f"Không tìm thấy nhiệm vụ mã {HUGE}")


async def test_han_with_an_id_past_64_bits_is_an_unknown_task(bot: BotHarness) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.api.send_command(office, "/han", HUGE, "20/10/2026")
    [reply] = await bot.api.wait_for_messages(office)
    assert reply["text"] == texts.HAN_ERRORS["unknown"].format(id=HUGE)


async def test_tralai_with_an_id_past_64_bits_changes_nothing(bot: BotHarness) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.api.send_command(office, "/tralai", HUGE, "thiếu", "số", "liệu")
    [reply] = await bot.api.wait_for_messages(office)
    assert "lỗi" not in reply["text"]


async def test_a_button_with_an_id_past_64_bits_is_not_yours(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ")
    head = await bot.register(201, Role.HEAD, unit)
    await bot.api.send_command(head, "/viec")
    [message] = await bot.api.wait_for_messages(head)
    for data in (f"a:done:{HUGE}", f"a:orig:{HUGE}", f"a:ext:{HUGE}"):
        query = await bot.api.press_button(head, message, data, forged=True)
        answer = await bot.api.wait_for_callback_answer(query)
        assert answer.text != texts.INTERNAL_ERROR, data
        assert answer.text is not None
        assert answer.text.endswith("không có gì thay đổi."), (data, answer.text)


async def test_a_draft_button_with_ids_past_64_bits_is_stale(bot: BotHarness) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.api.send_command(office, "/nhiemvu", "1")
    [message] = await bot.api.wait_for_messages(office)
    for data in (f"dr:show:{HUGE}:1", f"dr:ok:1:{HUGE}", f"dr:t:1:1:{HUGE}"):
        query = await bot.api.press_button(office, message, data, forged=True)
        answer = await bot.api.wait_for_callback_answer(query)
        assert answer.text != texts.INTERNAL_ERROR, data


async def test_dungky_with_an_id_past_64_bits_is_an_unknown_task(bot: BotHarness) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.api.send_command(office, "/dungky", HUGE, "hết", "nhiệm", "vụ")
    [reply] = await bot.api.wait_for_messages(office)
    assert reply["text"] != texts.INTERNAL_ERROR
    assert "lỗi" not in reply["text"]
