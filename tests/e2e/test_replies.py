"""A unit's answers end to end: replies, buttons, extensions, undo, returns, report files."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from bot import texts
from bot.notifier import deliver
from models import (
    Assignment,
    Attachment,
    Contact,
    Dispatch,
    Event,
    ExtensionRequest,
    Role,
    Task,
)
from services.deliveries import claim
from services.slots import Slot
from tests.e2e.conftest import BotHarness
from tests.fakes import SimUser, inline_buttons
from tests.fakes.entities import parse_text

DUE = date(2026, 1, 20)  # the harness clock starts on Monday 05/01/2026 08:00 local
NOW_TEXT = "08:00 05/01/2026"
UNIT = "Sở Nội vụ thành phố Cần Thơ"


def shown(html: str) -> str:
    """A message as Telegram shows it: what the bot sends (HTML), without tags or entities."""
    return parse_text(html, "HTML")[0]


def task_text(ref: str) -> str:
    """The task text ``assign`` gives task ``ref``."""
    return f"Báo cáo nội dung {ref}"


@dataclass
class Assigned:
    assignment_id: int
    messages: dict[int, dict]  # chat id → the "Nhiệm vụ mới" message there


async def assign(
    bot: BotHarness, unit_id: int, chats: Sequence[int], ref: str = "1", due: date | None = DUE
) -> Assigned:
    """An active dispatch with one task for the unit, sent through the ledger to ``chats``."""
    now = bot.clock.now()
    async with bot.session_factory.begin() as session:
        dispatch = Dispatch(status="active", kind="cong_van", number=f"{ref}/UBND", created_at=now)
        session.add(dispatch)
        await session.flush()
        task = Task(dispatch_id=dispatch.id, position=1, ref=ref, text=task_text(ref))
        session.add(task)
        await session.flush()
        assignment = Assignment(
            task_id=task.id, unit_id=unit_id, due_on=due, original_due_on=due, assigned_at=now
        )
        session.add(assignment)
        await session.flush()
        claims = await claim(
            session, Slot.new(), [(assignment.id, c) for c in chats], due_at=now, now=now
        )
        chat_of = dict(claims)
        assignment_id = assignment.id
    await deliver(bot.app.bot, bot.app.bot_data["deps"], list(chat_of), chat_of)
    today = now.astimezone(bot.settings.timezone).date()
    expected = shown(
        texts.new_task(
            texts.dispatch_title("cong_van", f"{ref}/UBND", None),
            None,
            ref,
            task_text(ref),
            texts.deadline_text(due, None, today),
        )
    )
    messages = {}
    for chat in chats:
        found = await bot.api.wait_for_messages(chat, predicate=lambda m: m["text"] == expected)
        messages[chat] = found[-1]
    return Assigned(assignment_id, messages)


async def say(bot: BotHarness, user: SimUser, text: str, **kwargs) -> dict:  # type: ignore[no-untyped-def]
    """Send a text and return the bot's first answer to it."""
    sent = await bot.api.send_text(user, text, **kwargs)
    chat = kwargs.get("chat") or user
    [answer, *_] = await bot.api.wait_for_messages(chat, after=sent)
    return answer


async def press(bot: BotHarness, user: SimUser, message: dict, data: str, **kwargs) -> dict:  # type: ignore[no-untyped-def]
    """Press a button and return the bot's next message in that chat."""
    before = bot.api.sent_messages(message["chat"]["id"])[-1]
    await bot.api.press_button(user, message, data, **kwargs)
    [answer, *_] = await bot.api.wait_for_messages(message["chat"]["id"], after=before)
    return answer


async def state(bot: BotHarness, assignment_id: int) -> Assignment:
    async with bot.session_factory() as session:
        row = await session.get(Assignment, assignment_id)
    assert row is not None
    return row


async def count_events(bot: BotHarness, kind: str) -> int:
    async with bot.session_factory() as session:
        return int(
            await session.scalar(select(func.count()).select_from(Event).where(Event.kind == kind))
            or 0
        )


async def setup(bot: BotHarness) -> tuple[int, SimUser, SimUser, Assigned]:
    unit = await bot.add_unit(UNIT, aliases=["Sở Nội vụ"])
    head = await bot.register(201, Role.HEAD, unit, name="Trần Văn A")
    member = await bot.register(202, Role.MEMBER, unit, name="Lê Thị B")
    task = await assign(bot, unit, [head.id, member.id])
    return unit, head, member, task


# --- Completion -------------------------------------------------------------------------------


async def test_reply_xong_marks_done_with_note_time_and_undo_button(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    answer = await say(
        bot, head, "Xong rồi ạ, đã gửi Báo cáo số 12", reply_to=task.messages[head.id]
    )
    assert answer["text"] == shown(
        texts.done_recorded("1", NOW_TEXT, "đã gửi Báo cáo số 12", True, DUE)
    )
    assert (texts.BUTTON_UNDO, f"a:undo:{task.assignment_id}") in inline_buttons(answer)
    row = await state(bot, task.assignment_id)
    assert (row.status, row.done_at, row.done_on) == ("done", bot.clock.now(), date(2026, 1, 5))
    assert row.note == "đã gửi Báo cáo số 12"
    async with bot.session_factory() as session:
        event = await session.scalar(select(Event).where(Event.kind == "assignment.done"))
    assert event is not None
    assert event.message_id is not None


async def test_negated_reply_is_a_progress_note_not_a_completion(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    answer = await say(bot, head, "chưa xong, đang làm 60%", reply_to=task.messages[head.id])
    assert answer["text"] == shown(texts.progress_recorded("1", NOW_TEXT, 60))
    assert "60%" in answer["text"]  # the share as people write it
    assert (await state(bot, task.assignment_id)).status == "open"
    async with bot.session_factory() as session:
        event = await session.scalar(select(Event).where(Event.kind == "assignment.progress"))
    assert event is not None
    assert (event.note, event.data["percent"]) == ("chưa xong, đang làm 60%", 60)


async def test_progress_reply_on_a_done_task_says_it_is_already_done(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    bot.clock.advance(hours=2)
    answer = await say(bot, head, "chưa xong, đang làm 60%", reply_to=task.messages[head.id])
    assert answer["text"] == shown(texts.progress_after_done("1", "10:00 05/01/2026", 60, NOW_TEXT))
    assert (await state(bot, task.assignment_id)).status == "done"


async def test_same_xong_delivered_twice_completes_once(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    message = task.messages[head.id]
    first = await bot.api.send_text(head, "xong", reply_to=message)
    second = await bot.api.send_text(head, "xong", reply_to=message)
    await bot.api.wait_for_messages(head, count=2, after=first)
    answers = [
        m["text"] for m in bot.api.sent_messages(head) if m["message_id"] > second["message_id"]
    ]
    assert shown(texts.already_done("1", NOW_TEXT, "Trần Văn A")) in answers
    assert await count_events(bot, "assignment.done") == 1


async def test_two_members_completing_at_once_give_one_completion(bot: BotHarness) -> None:
    _, head, member, task = await setup(bot)
    await asyncio.gather(
        bot.api.send_text(head, "xong", reply_to=task.messages[head.id]),
        bot.api.send_text(member, "hoàn thành", reply_to=task.messages[member.id]),
    )
    recorded = shown(texts.done_recorded("1", NOW_TEXT, None, True, DUE))
    names = {head.id: "Trần Văn A", member.id: "Lê Thị B"}  # as setup registered them
    already = {
        shown(texts.already_done("1", NOW_TEXT, names[user.id])): user for user in (head, member)
    }
    answers = {}
    for user in (head, member):
        [answers[user.id]] = await bot.api.wait_for_messages(
            user, predicate=lambda m: m["text"] == recorded or m["text"] in already
        )
    [winner] = [u for u in (head, member) if answers[u.id]["text"] == recorded]
    [loser] = [u for u in (head, member) if u is not winner]
    # The one who came second is told who came first.
    assert already[answers[loser.id]["text"]] is winner
    assert await count_events(bot, "assignment.done") == 1


async def test_unregistered_xong_is_refused_and_changes_nothing(bot: BotHarness) -> None:
    _, _, _, task = await setup(bot)
    stranger = bot.api.user(999, "Người lạ")
    answer = await say(bot, stranger, "xong")
    assert answer["text"] == shown(texts.NOT_REGISTERED)
    assert (await state(bot, task.assignment_id)).status == "open"
    assert await count_events(bot, "assignment.done") == 0


async def test_member_of_another_unit_cannot_complete_by_reply_or_forged_button(
    bot: BotHarness,
) -> None:
    unit, _, _, task = await setup(bot)
    other_unit = await bot.add_unit("Sở Tài chính thành phố Cần Thơ")
    other = await bot.register(301, Role.HEAD, other_unit)
    group = bot.api.group(-5001, "Nhóm Sở Nội vụ")
    async with bot.session_factory.begin() as session:
        session.add(
            Contact(chat_id=group.id, kind="group", unit_id=unit, created_at=bot.clock.now())
        )
    in_group = await assign(bot, unit, [group.id], ref="2")
    answer = await say(bot, other, "xong", chat=group, reply_to=in_group.messages[group.id])
    assert answer["text"] == shown(texts.flow_error("not_yours"))
    query = await bot.api.press_button(
        other, in_group.messages[group.id], f"a:done:{task.assignment_id}", forged=True
    )
    assert (await bot.api.wait_for_callback_answer(query)).text == texts.flow_error("not_yours")
    assert (await state(bot, task.assignment_id)).status == "open"
    assert (await state(bot, in_group.assignment_id)).status == "open"
    assert await count_events(bot, "assignment.done") == 0


async def test_reply_in_the_units_group_from_a_member_completes(bot: BotHarness) -> None:
    unit, _, member, _ = await setup(bot)
    group = bot.api.group(-5002, "Nhóm Sở Nội vụ")
    async with bot.session_factory.begin() as session:
        session.add(
            Contact(chat_id=group.id, kind="group", unit_id=unit, created_at=bot.clock.now())
        )
    task = await assign(bot, unit, [group.id], ref="3")
    answer = await say(bot, member, "done", chat=group, reply_to=task.messages[group.id])
    assert answer["text"] == shown(texts.done_recorded("3", NOW_TEXT, None, True, DUE))
    assert (await state(bot, task.assignment_id)).done_by_id is not None


async def test_done_button_asks_for_a_note_and_records_it(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    prompt = await press(bot, head, task.messages[head.id], f"a:done:{task.assignment_id}")
    assert prompt["text"] == shown(texts.ask_done_note("1"))
    assert (texts.BUTTON_SKIP_NOTE, f"a:skip:{task.assignment_id}") in inline_buttons(prompt)
    assert (await state(bot, task.assignment_id)).status == "open"
    answer = await say(bot, head, "Đã gửi công văn 45/SNV")
    assert answer["text"] == shown(
        texts.done_recorded("1", NOW_TEXT, "Đã gửi công văn 45/SNV", True, DUE)
    )
    assert (await state(bot, task.assignment_id)).note == "Đã gửi công văn 45/SNV"


async def test_skip_button_completes_without_a_note(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    prompt = await press(bot, head, task.messages[head.id], f"a:done:{task.assignment_id}")
    answer = await press(bot, head, prompt, f"a:skip:{task.assignment_id}")
    assert answer["text"] == shown(texts.done_recorded("1", NOW_TEXT, None, True, DUE))
    row = await state(bot, task.assignment_id)
    assert (row.status, row.note) == ("done", None)


async def test_bare_xong_with_one_open_task_asks_to_confirm(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    question = await say(bot, head, "xong, đã gửi bản cứng")
    assert question["text"] == shown(texts.pick_one("1", task_text("1")))
    assert [d for _, d in inline_buttons(question)] == [f"a:ok:{task.assignment_id}"]
    assert (await state(bot, task.assignment_id)).status == "open"
    answer = await press(bot, head, question, f"a:ok:{task.assignment_id}")
    assert answer["text"] == shown(texts.done_recorded("1", NOW_TEXT, "đã gửi bản cứng", True, DUE))
    assert (await state(bot, task.assignment_id)).note == "đã gửi bản cứng"


async def test_bare_xong_with_several_tasks_lists_them_and_marks_nothing(bot: BotHarness) -> None:
    unit, head, _, first = await setup(bot)
    second = await assign(bot, unit, [head.id], ref="2", due=date(2026, 1, 10))
    question = await say(bot, head, "xong")
    assert question["text"] == shown(texts.pick_many(UNIT, 2, 2))
    assert [d for _, d in inline_buttons(question)] == [
        f"a:ok:{second.assignment_id}",
        f"a:ok:{first.assignment_id}",
    ]
    assert await count_events(bot, "assignment.done") == 0
    await press(bot, head, question, f"a:ok:{first.assignment_id}")
    assert (await state(bot, first.assignment_id)).status == "done"
    assert (await state(bot, second.assignment_id)).status == "open"


async def test_undo_within_ten_minutes_reopens(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    confirmation = await say(bot, head, "xong", reply_to=task.messages[head.id])
    bot.clock.advance(minutes=9)
    answer = await press(bot, head, confirmation, f"a:undo:{task.assignment_id}")
    assert answer["text"] == shown(texts.undone("1", "08:09 05/01/2026"))
    assert (await state(bot, task.assignment_id)).status == "open"
    assert await count_events(bot, "assignment.undone") == 1


async def test_undo_after_ten_minutes_is_refused(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    confirmation = await say(bot, head, "xong", reply_to=task.messages[head.id])
    bot.clock.advance(minutes=11)
    query = await bot.api.press_button(head, confirmation, f"a:undo:{task.assignment_id}")
    refusal = (await bot.api.wait_for_callback_answer(query)).text
    assert refusal == texts.flow_error("undo_expired")
    assert (await state(bot, task.assignment_id)).status == "done"


# --- Report files -----------------------------------------------------------------------------


async def test_report_file_with_xong_caption_completes_and_is_stored(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    sent = await bot.api.send_document(
        head, "bao-cao.pdf", b"%PDF-1.4 report", caption="xong", reply_to=task.messages[head.id]
    )
    saved = shown(texts.attachment_saved("bao-cao.pdf", "1", NOW_TEXT))
    await bot.api.wait_for_messages(head, after=sent, predicate=lambda m: m["text"] == saved)
    assert (await state(bot, task.assignment_id)).status == "done"
    async with bot.session_factory() as session:
        attachment = await session.scalar(select(Attachment))
    assert attachment is not None
    assert attachment.file_name == "bao-cao.pdf"
    assert attachment.file_path.startswith("reports/")
    assert (bot.settings.data_dir / attachment.file_path).read_bytes() == b"%PDF-1.4 report"


async def test_photo_right_after_completion_is_linked(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    bot.clock.advance(minutes=3)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
        b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
        b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    sent = await bot.api.send_photo(head, png)
    [answer] = await bot.api.wait_for_messages(head, after=sent)
    name = f"anh-{sent['message_id']}.jpg"  # a photo has no name: the bot gives it one
    assert answer["text"] == shown(texts.attachment_saved(name, "1", "08:03 05/01/2026"))
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Attachment)) == 1


# --- Extensions -------------------------------------------------------------------------------


async def _supervisor(bot: BotHarness) -> SimUser:
    return await bot.register(100, Role.SUPERVISOR, name="Lãnh đạo C")


async def test_extension_reply_approved_moves_due_and_keeps_original(bot: BotHarness) -> None:
    _, head, member, task = await setup(bot)
    supervisor = await _supervisor(bot)
    answer = await say(
        bot, head, "xin gia hạn đến 30/01 vì chờ số liệu", reply_to=task.messages[head.id]
    )
    proposed = date(2026, 1, 30)
    assert answer["text"] == shown(texts.extension_requested("1", proposed, NOW_TEXT))
    assert "30/01/2026" in answer["text"]  # the date as people read it
    assert (await state(bot, task.assignment_id)).status == "extension_requested"
    expected = shown(
        texts.extension_notice(
            UNIT, "1", task_text("1"), DUE, proposed, "chờ số liệu", "Trần Văn A", NOW_TEXT
        )
    )
    [notice] = await bot.api.wait_for_messages(
        supervisor, predicate=lambda m: m["text"] == expected
    )
    approve = next(d for _, d in inline_buttons(notice) if d.startswith("x:ok:"))
    decided = await press(bot, supervisor, notice, approve)
    assert decided["text"] == shown(texts.extension_decided(UNIT, "1", True, proposed, NOW_TEXT))
    row = await state(bot, task.assignment_id)
    assert (row.status, row.due_on, row.original_due_on) == ("open", proposed, DUE)
    approved = shown(texts.extension_decision_to_unit("1", True, proposed, DUE, NOW_TEXT))
    for user in (head, member):
        [told] = await bot.api.wait_for_messages(user, predicate=lambda m: m["text"] == approved)
        assert "30/01/2026" in told["text"]
    assert await count_events(bot, "extension.approved") == 1


async def test_extension_button_then_text_and_rejection(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    supervisor = await _supervisor(bot)
    prompt = await press(bot, head, task.messages[head.id], f"a:ext:{task.assignment_id}")
    assert prompt["text"] == shown(texts.ask_extension("1", DUE))
    answer = await say(bot, head, "thêm 5 ngày vì chờ ý kiến Sở Tài chính")
    proposed = date(2026, 1, 25)
    assert answer["text"] == shown(texts.extension_requested("1", proposed, NOW_TEXT))
    assert "25/01/2026" in answer["text"]  # the date as people read it
    async with bot.session_factory() as session:
        request = await session.scalar(select(ExtensionRequest))
    assert request is not None
    assert request.reason == "chờ ý kiến Sở Tài chính"
    expected = shown(
        texts.extension_notice(
            UNIT, "1", task_text("1"), DUE, proposed, request.reason, "Trần Văn A", NOW_TEXT
        )
    )
    [notice] = await bot.api.wait_for_messages(
        supervisor, predicate=lambda m: m["text"] == expected
    )
    await press(bot, supervisor, notice, f"x:no:{request.id}")
    rejected = shown(texts.extension_decision_to_unit("1", False, DUE, DUE, NOW_TEXT))
    [told] = await bot.api.wait_for_messages(head, predicate=lambda m: m["text"] == rejected)
    assert "20/01/2026" in told["text"]
    row = await state(bot, task.assignment_id)
    assert (row.status, row.due_on) == ("open", DUE)


async def test_supervisor_may_choose_another_date(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    supervisor = await _supervisor(bot)
    await say(bot, head, "xin gia hạn 10 ngày", reply_to=task.messages[head.id])
    async with bot.session_factory() as session:
        request = await session.scalar(select(ExtensionRequest))
    assert request is not None
    assert request.proposed_on is not None
    expected = shown(
        texts.extension_notice(
            UNIT, "1", task_text("1"), DUE, request.proposed_on, None, "Trần Văn A", NOW_TEXT
        )
    )
    [notice] = await bot.api.wait_for_messages(
        supervisor, predicate=lambda m: m["text"] == expected
    )
    other = next(d for _, d in inline_buttons(notice) if d.startswith("x:d:"))
    prompt = await press(bot, supervisor, notice, other)
    assert prompt["text"] == shown(texts.ask_office_date("1", UNIT, request.proposed_on))
    answer = await say(bot, supervisor, "27/01/2026")
    chosen = date(2026, 1, 27)
    assert answer["text"] == shown(texts.extension_decided(UNIT, "1", True, chosen, NOW_TEXT))
    assert "27/01/2026" in answer["text"]  # the date as people read it
    assert (await state(bot, task.assignment_id)).due_on == chosen


async def test_unit_cannot_decide_its_own_extension(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    await _supervisor(bot)
    await say(bot, head, "xin gia hạn đến 30/01", reply_to=task.messages[head.id])
    async with bot.session_factory() as session:
        request_id = await session.scalar(select(ExtensionRequest.id))
    query = await bot.api.press_button(
        head, task.messages[head.id], f"x:ok:{request_id}", forged=True
    )
    assert (await bot.api.wait_for_callback_answer(query)).text == texts.NOT_ALLOWED
    assert (await state(bot, task.assignment_id)).due_on == DUE


# --- Supervisor review ------------------------------------------------------------------------


async def test_supervisor_hears_completion_and_returns_it(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    supervisor = await _supervisor(bot)
    answer = await say(bot, supervisor, "/baongay bat")
    assert answer["text"] == shown(texts.NOTIFY_ON)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    completed = shown(
        texts.completion_notice(UNIT, "1", task_text("1"), "Trần Văn A", NOW_TEXT, None, True)
    )
    [notice] = await bot.api.wait_for_messages(
        supervisor, predicate=lambda m: m["text"] == completed
    )
    prompt = await press(bot, supervisor, notice, f"r:ret:{task.assignment_id}")
    assert prompt["text"] == shown(texts.ask_return_reason("1", UNIT))
    confirmed = await say(bot, supervisor, "thiếu số liệu quý IV")
    assert confirmed["text"] == shown(texts.returned_confirmed(UNIT, "1", NOW_TEXT))
    returned = shown(texts.returned_to_unit("1", "thiếu số liệu quý IV", NOW_TEXT))
    await bot.api.wait_for_messages(head, predicate=lambda m: m["text"] == returned)
    assert (await state(bot, task.assignment_id)).status == "open"


async def test_return_by_command(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    supervisor = await _supervisor(bot)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    answer = await say(bot, supervisor, f"/tralai {task.assignment_id} chưa đóng dấu")
    assert answer["text"] == shown(texts.returned_confirmed(UNIT, "1", NOW_TEXT))
    assert (await state(bot, task.assignment_id)).status == "open"
    assert await count_events(bot, "assignment.returned") == 1


async def test_completions_go_to_the_digest_by_default(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    supervisor = await _supervisor(bot)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    # Updates are handled one after another: once /baongay is answered, the completion's
    # handler (and any notice it would send) has finished.
    usage = await say(bot, supervisor, "/baongay")
    assert usage["text"] == shown(texts.notify_usage(False))
    assert not any(
        d.startswith("r:ret:")
        for m in bot.api.sent_messages(supervisor)
        for _, d in inline_buttons(m)
    )


# --- Edges ------------------------------------------------------------------------------------


async def test_document_that_is_no_report_gets_the_office_only_answer(bot: BotHarness) -> None:
    _, head, _, _ = await setup(bot)
    sent = await bot.api.send_document(head, "cong-van.txt", b"CONG VAN SO 1")
    [answer] = await bot.api.wait_for_messages(head, after=sent)
    assert answer["text"] == shown(texts.ONLY_OFFICE_INGESTS)
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Attachment)) == 0


async def test_bare_xong_without_open_tasks_says_so(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    answer = await say(bot, head, "xong")
    assert answer["text"] == shown(texts.no_open_tasks(UNIT))


async def test_extension_without_a_date_asks_for_it_and_keeps_the_reason(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    await _supervisor(bot)
    question = await say(bot, head, "xin gia hạn vì chờ số liệu", reply_to=task.messages[head.id])
    assert question["text"] == shown(texts.ask_extension_date("1"))
    assert (await state(bot, task.assignment_id)).status == "open"
    too_early = await say(bot, head, "18/01")
    assert too_early["text"] == shown(
        texts.flow_error("not_later") + " " + texts.ask_extension_date("1")
    )
    answer = await say(bot, head, "25/01")
    assert answer["text"] == shown(texts.extension_requested("1", date(2026, 1, 25), NOW_TEXT))
    async with bot.session_factory() as session:
        request = await session.scalar(select(ExtensionRequest))
    assert request is not None
    assert (request.proposed_on, request.reason) == (date(2026, 1, 25), "chờ số liệu")


async def test_only_the_first_supervisor_decision_counts(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    first = await _supervisor(bot)
    second = await bot.register(101, Role.ADMIN, name="Quản trị D")
    await say(bot, head, "xin gia hạn đến 30/01", reply_to=task.messages[head.id])
    expected = shown(
        texts.extension_notice(
            UNIT, "1", task_text("1"), DUE, date(2026, 1, 30), None, "Trần Văn A", NOW_TEXT
        )
    )
    notices = {}
    for user in (first, second):
        [notices[user.id]] = await bot.api.wait_for_messages(
            user, predicate=lambda m: m["text"] == expected
        )
    await press(
        bot,
        first,
        notices[first.id],
        next(d for _, d in inline_buttons(notices[first.id]) if d.startswith("x:no:")),
    )
    query = await bot.api.press_button(
        second,
        notices[second.id],
        next(d for _, d in inline_buttons(notices[second.id]) if d.startswith("x:ok:")),
    )
    assert (await bot.api.wait_for_callback_answer(query)).text == texts.flow_error("decided")
    row = await state(bot, task.assignment_id)
    assert (row.status, row.due_on) == ("open", DUE)


async def test_baongay_tat_stops_completion_notices(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    supervisor = await _supervisor(bot)
    await say(bot, supervisor, "/baongay bat")
    answer = await say(bot, supervisor, "/baongay tắt")
    assert answer["text"] == shown(texts.NOTIFY_OFF)
    await say(bot, head, "xong", reply_to=task.messages[head.id])
    usage = await say(bot, supervisor, "/baongay")
    assert usage["text"] == shown(texts.notify_usage(False))
    assert not any(
        d.startswith("r:ret:")
        for m in bot.api.sent_messages(supervisor)
        for _, d in inline_buttons(m)
    )


async def test_xong_to_a_recurring_check_in_is_progress_not_completion(bot: BotHarness) -> None:
    unit = await bot.add_unit(UNIT)
    head = await bot.register(501, Role.HEAD, unit)
    assigned = await assign(bot, unit, [501], ref="3", due=None)
    now = bot.clock.now()
    async with bot.session_factory.begin() as session:
        row = await session.get(Assignment, assigned.assignment_id)
        assert row is not None
        row.recurring = True
        claims = await claim(
            session,
            Slot.check_in(2026, 1),
            [(assigned.assignment_id, 501)],
            due_at=now,
            now=now,
        )
        chat_of = dict(claims)
    await deliver(bot.app.bot, bot.app.bot_data["deps"], list(chat_of), chat_of)
    [check_in] = await bot.api.wait_for_messages(
        501, predicate=lambda m: m["message_id"] != assigned.messages[501]["message_id"]
    )
    await say(bot, head, "xong, tháng này đã tuyên truyền 3 đợt", reply_to=check_in)
    row = await state(bot, assigned.assignment_id)
    assert row.status == "open"
    async with bot.session_factory() as session:
        kinds = list(await session.scalars(select(Event.kind)))
    assert "assignment.progress" in kinds
    assert "assignment.done" not in kinds


async def test_extension_to_a_date_that_does_not_exist_says_so(bot: BotHarness) -> None:
    _, head, _, task = await setup(bot)
    await _supervisor(bot)
    answer = await say(bot, head, "xin gia hạn đến 31/02", reply_to=task.messages[head.id])
    assert answer["text"] == shown(
        texts.date_input_error("not_a_date", "31/02") + " " + texts.ask_extension_date("1")
    )
    assert (await state(bot, task.assignment_id)).status == "open"
