"""The "waiting for your typed answer" state is in the database: the typed answer is
understood by another instance than the one that asked (here: a process whose user_data
was lost, which is what another instance behind a round-robin proxy has)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot import texts
from bot.pending import PASTED_DISPATCH
from models import Event, ExtensionRequest, PendingInput, Role
from tests.e2e.conftest import BotHarness
from tests.e2e.test_replies import press, say, setup, state
from tests.fakes import inline_buttons

PASTED = (
    "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 12/KH-UBND\n"
    "Cần Thơ, ngày 05 tháng 01 năm 2026\nKẾ HOẠCH\nTriển khai công tác cải cách hành chính\n"
    "1. Sở Nội vụ chủ trì rà soát, sắp xếp tổ chức bộ máy các cơ quan chuyên môn, "
    "hoàn thành trước ngày 20/01/2026.\n"
    "2. Sở Nội vụ tổng hợp kết quả thực hiện, báo cáo Ủy ban nhân dân thành phố "
    "trước ngày 30/01/2026.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n"
)


async def stored(bot: BotHarness, user_id: int) -> PendingInput | None:
    async with bot.session_factory() as session:
        return await session.get(PendingInput, user_id)


async def test_the_typed_answer_reaches_an_instance_that_did_not_ask(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    prompt = await press(bot, head, task.messages[head.id], f"a:ext:{task.assignment_id}")
    assert "ngày đề nghị" in prompt["text"]
    async with asyncio.timeout(5):  # saved right after the handler's reply
        while await stored(bot, head.id) is None:  # noqa: ASYNC110 - the database
            await asyncio.sleep(0.01)
    bot.app.user_data[head.id].clear()  # this process forgets: as if another one answered
    answer = await say(bot, head, "thêm 5 ngày vì chờ ý kiến Sở Tài chính")
    assert "25/01/2026" in answer["text"]
    async with bot.session_factory() as session:
        request = await session.scalar(select(ExtensionRequest))
    assert request is not None
    assert request.reason == "chờ ý kiến Sở Tài chính"
    async with asyncio.timeout(5):  # answered: the question is gone
        while await stored(bot, head.id) is not None:  # noqa: ASYNC110 - the database
            await asyncio.sleep(0.01)


# --- One question at a time, one rule for every flow (bot.pending) ----------------------------


async def returned_reason(bot: BotHarness, assignment_id: int) -> str | None:
    async with bot.session_factory() as session:
        event = await session.scalar(
            select(Event).where(
                Event.kind == "assignment.returned", Event.assignment_id == assignment_id
            )
        )
    return event.note if event is not None else None


async def test_a_reason_of_390_characters_is_the_answer(bot: BotHarness) -> None:
    """Between 300 and 400 characters a typed reason used to be neither an answer nor a
    pasted dispatch, and was refused; under 400 it answers the question."""
    _, head, _, task = await setup(bot)
    supervisor = await bot.register(100, Role.SUPERVISOR)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    await say(bot, supervisor, f"/tralai {task.assignment_id}")
    reason = ("Báo cáo còn thiếu số liệu của quý IV và chưa có chữ ký, đóng dấu. " * 6)[:390]
    answer = await say(bot, supervisor, reason)
    assert answer["text"] != texts.UNKNOWN_MESSAGE_OFFICE
    assert (await state(bot, task.assignment_id)).status == "open"
    assert await returned_reason(bot, task.assignment_id) == reason.strip()


async def test_a_pasted_dispatch_while_a_question_waits_is_read_as_a_dispatch(
    bot: BotHarness,
) -> None:
    _, head, _, task = await setup(bot)
    supervisor = await bot.register(100, Role.SUPERVISOR)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    await say(bot, supervisor, f"/tralai {task.assignment_id}")
    sent = await bot.api.send_text(supervisor, PASTED)
    await bot.api.wait_for_messages(
        supervisor, predicate=lambda m: bool(inline_buttons(m)), after=sent, timeout=10
    )
    assert (await state(bot, task.assignment_id)).status == "done"  # not returned with it
    assert await returned_reason(bot, task.assignment_id) is None


async def test_a_question_is_forgotten_after_its_time_in_every_flow(bot: BotHarness) -> None:
    """The draft review's question used to wait forever; now it expires like the others."""
    supervisor = await bot.register(100, Role.SUPERVISOR)
    await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    sent = await bot.api.send_text(supervisor, PASTED)
    [*_, draft] = await bot.api.wait_for_messages(
        supervisor, predicate=lambda m: bool(inline_buttons(m)), after=sent, timeout=10
    )
    add = next(d for _, d in inline_buttons(draft) if d.startswith("dr:add:"))
    await bot.api.press_button(supervisor, draft, add)
    await bot.api.wait_for_messages(supervisor, predicate=lambda m: "Nhập nội dung" in m["text"])
    bot.clock.advance(minutes=11)
    answer = await say(bot, supervisor, "Sở Nội vụ rà soát biên chế trước ngày 20/01/2026.")
    assert answer["text"] == texts.UNKNOWN_MESSAGE_OFFICE


async def test_cancel_forgets_the_draft_question_too(bot: BotHarness) -> None:
    supervisor = await bot.register(100, Role.SUPERVISOR)
    await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    sent = await bot.api.send_text(supervisor, PASTED)
    [*_, draft] = await bot.api.wait_for_messages(
        supervisor, predicate=lambda m: bool(inline_buttons(m)), after=sent, timeout=10
    )
    add = next(d for _, d in inline_buttons(draft) if d.startswith("dr:add:"))
    await bot.api.press_button(supervisor, draft, add)
    await bot.api.wait_for_messages(supervisor, predicate=lambda m: "Nhập nội dung" in m["text"])
    assert (await say(bot, supervisor, "/huy"))["text"] == texts.INPUT_CANCELLED
    assert (await say(bot, supervisor, "/huy"))["text"] == texts.NOTHING_TO_CANCEL


def test_a_typed_answer_is_shorter_than_a_pasted_dispatch() -> None:
    assert len(PASTED) >= PASTED_DISPATCH
