"""The office's path end to end: a dispatch file in, a reviewed draft, tasks out."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from models import Assignment, Dispatch, Role, Task, Unit
from services.events import Origin
from services.units import import_units
from tests.conftest import SHARED
from tests.e2e.conftest import BotHarness
from tests.fakes import RateLimits, inline_buttons

CORPUS = SHARED / "corpus"
DOC = "003_e552f049e211c568"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


async def load_registry(bot: BotHarness) -> dict[str, int]:
    async with bot.session_factory.begin() as session:
        result = await import_units(
            session,
            (CORPUS / "units" / "cantho.csv").read_bytes(),
            now=bot.clock.now(),
            origin=Origin(),
        )
        assert result.ok, result.problems
        return {u.name: u.id for u in await session.scalars(select(Unit))}


def button(message: dict, prefix: str, text: str | None = None) -> str:
    for label, data in inline_buttons(message):
        if data.startswith(prefix) and (text is None or label == text):
            return data
    raise AssertionError(f"no button {prefix!r} {text!r} in {inline_buttons(message)}")


def hanam_plan(rows: list[list[str]]) -> bytes:
    """A provincial plan (.docx) whose tasks are the given rows of its task table."""
    from tests.ingest.builders import build_table_docx

    return build_table_docx(
        [
            ("ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("Số: 100/KH-UBND", "Hà Nam, ngày 06 tháng 10 năm 2025"),
        ],
        ["KẾ HOẠCH", "Triển khai Chỉ thị số 05/CT-TTg", "Phân công nhiệm vụ như sau:"],
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
        rows,
        ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"],
    )


async def confirm(bot: BotHarness, office, message: dict) -> dict:  # type: ignore[no-untyped-def]
    """«Xác nhận, giao việc»; a draft with warnings asks once, then «Vẫn xác nhận»."""
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


async def open_task_menu(bot: BotHarness, office, last: dict, ref: str) -> dict:  # type: ignore[no-untyped-def]
    """From the draft's last message: ✏️ Sửa nhiệm vụ, then the task ``ref``; its menu."""
    await bot.api.press_button(office, last, button(last, "dr:edit:"))
    [tasks] = await bot.api.wait_for_messages(
        office, predicate=lambda m: any(d.startswith("dr:t:") for _, d in inline_buttons(m))
    )
    await bot.api.press_button(office, tasks, button(tasks, "dr:t:", ref))
    [menu] = await bot.api.wait_for_messages(office, predicate=lambda m: "Chọn việc" in m["text"])
    return menu


async def send_dispatch(bot: BotHarness, user, data: bytes, name: str) -> list[dict]:  # type: ignore[no-untyped-def]
    before = len(bot.api.sent_messages(user))
    sent = await bot.api.send_document(user, name, data)
    # The draft ends with its buttons; a known dispatch ends with the duplicate warning.
    await bot.api.wait_for_messages(
        user,
        predicate=lambda m: bool(inline_buttons(m)) or "trước đây" in m["text"],
        after=sent,
    )
    return bot.api.sent_messages(user)[before:]


async def test_dispatch_is_drafted_corrected_confirmed_and_assigned(bot: BotHarness) -> None:
    bot.api.rate_limits = RateLimits.disabled()
    units = await load_registry(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    heads = {
        name: await bot.register(200 + i, Role.HEAD, units[name])
        for i, name in enumerate(
            [
                "Sở Nội vụ thành phố Cần Thơ",
                "Sở Khoa học và Công nghệ thành phố Cần Thơ",
                "Sở Tài chính thành phố Cần Thơ",
                "Ban Tổ chức Thành ủy Cần Thơ",
                "Đảng ủy Ủy ban nhân dân thành phố Cần Thơ",
            ]
        )
    }
    data = (CORPUS / f"{DOC}.txt").read_bytes()
    draft = await send_dispatch(bot, office, data, f"{DOC}.txt")
    text = "\n".join(m["text"] for m in draft)
    assert all(len(m["text"]) <= 4096 for m in draft)

    # Every gold task is listed, with its gold deadlines as dd/mm/yyyy.
    gold = json.loads((CORPUS / f"{DOC}.gold.json").read_text(encoding="utf-8"))
    assert "Số nhiệm vụ: 15" in text
    for task in gold["tasks"]:
        block = re.search(rf"^{re.escape(task['ref'])}\. .*?(?=^\S|\Z)", text, re.M | re.S)
        assert block, (task["ref"], text)
        for due in task["due"]:
            if due["date"]:
                y, m, d = due["date"].split("-")
                assert f"{d}/{m}/{y}" in block.group(0), (task["ref"], due)

    # Change the lead of 2.2.2 from Sở Khoa học và Công nghệ to Sở Tài chính.
    last = draft[-1]
    await bot.api.press_button(office, last, button(last, "dr:edit:"))
    edited = await bot.api.wait_for_messages(
        office, predicate=lambda m: any(t == "2.2.2" for t, _ in inline_buttons(m))
    )
    await bot.api.press_button(office, edited[-1], button(edited[-1], "dr:t:", "2.2.2"))
    [menu] = await bot.api.wait_for_messages(
        office, predicate=lambda m: "Chọn việc cần sửa" in m["text"]
    )
    await bot.api.press_button(office, menu, button(menu, "dr:ul:"))
    [screen] = await bot.api.wait_for_messages(
        office, predicate=lambda m: "Đơn vị chủ trì của nhiệm vụ 2.2.2" in m["text"]
    )
    await bot.api.press_button(office, screen, button(screen, "dr:fl:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Nhập tên đơn vị" in m["text"])
    await bot.api.send_text(office, "Sở Tài chính")
    [added] = await bot.api.wait_for_messages(office, predicate=lambda m: "Đã thêm" in m["text"])
    assert "Sở Tài chính thành phố Cần Thơ" in added["text"]
    # The unit the parser read leaves; the one added stays.
    await bot.api.press_button(
        office, added, button(added, "dr:rl:", "➖ Bỏ Sở Khoa học và Công nghệ thành phố Cần Thơ")
    )
    [removed] = await bot.api.wait_for_messages(office, predicate=lambda m: "Đã bỏ" in m["text"])
    query = await bot.api.press_button(office, removed, button(removed, "dr:back:"))
    await bot.api.wait_for_callback_answer(query)
    done = bot.api.message(office, removed["message_id"])

    confirmed = await confirm(bot, office, done)

    # Every registered lead unit receives exactly its own tasks.
    async with bot.session_factory() as session:
        rows = await session.execute(
            select(Assignment.unit_id, Task.ref).join(Task, Task.id == Assignment.task_id)
        )
        expected: dict[int, set[str]] = defaultdict(set)
        for unit_id, ref in rows:
            expected[unit_id].add(ref)
    assert "2.2.2" in expected[units["Sở Tài chính thành phố Cần Thơ"]]
    assert "2.2.2" not in expected[units["Sở Khoa học và Công nghệ thành phố Cần Thơ"]]
    assert expected[units["Ban Tổ chức Thành ủy Cần Thơ"]] >= {"5"}
    assert expected[units["Sở Nội vụ thành phố Cần Thơ"]] >= {"2.2.3"}
    assert expected[units["Đảng ủy Ủy ban nhân dân thành phố Cần Thơ"]] >= {"2", "2.1", "2.2"}
    for name, user in heads.items():
        want = expected[units[name]]
        got = await bot.api.wait_for_messages(
            user, count=len(want), predicate=lambda m: "Nhiệm vụ mới" in m["text"], timeout=20
        )
        refs = {re.search(r"Nhiệm vụ (\S+):", m["text"]).group(1) for m in got}  # type: ignore[union-attr]
        assert refs == want, name
        assert all(
            {d.split(":")[1] for _, d in inline_buttons(m)} == {"done", "ext", "orig"} for m in got
        )
    assert "chưa có ai đăng ký" in confirmed["text"]

    # The same file again: a warning and the existing record, no duplicate.
    again = await send_dispatch(bot, office, data, "ban-sao.txt")
    assert "đã được nhập trước đây" in again[-1]["text"]
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Dispatch)) == 1


async def test_corrupt_docx_is_refused_and_nothing_is_stored(bot: BotHarness) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.api.send_document(office, "cong-van.docx", b"PK\x03\x04 this is not a zip")
    replies = await bot.api.wait_for_messages(office, count=2)
    assert "Traceback" not in replies[-1]["text"]
    assert "docx" in replies[-1]["text"].lower() or "tệp" in replies[-1]["text"].lower()
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Dispatch)) == 0


async def test_unit_member_cannot_ingest(bot: BotHarness) -> None:
    units = await load_registry(bot)
    member = await bot.register(300, Role.MEMBER, units["Sở Nội vụ thành phố Cần Thơ"])
    await bot.api.send_document(member, "cv.txt", (CORPUS / f"{DOC}.txt").read_bytes())
    [reply] = await bot.api.wait_for_messages(member)
    assert "chỉ dành cho bộ phận văn phòng" in reply["text"]
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Dispatch)) == 0


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [])
async def test_every_corpus_draft_fits_telegram(bot: BotHarness, path) -> None:  # type: ignore[no-untyped-def]
    bot.api.rate_limits = RateLimits.disabled()
    await load_registry(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    draft = await send_dispatch(bot, office, path.read_bytes(), path.name)
    assert all(len(m["text"]) <= 4096 for m in draft)
    text = "\n".join(m["text"] for m in draft[1:])
    # No task is split across two messages: each task block sits whole in one message.
    for message in draft[1:]:
        for block in re.split(r"\n\n", message["text"]):
            assert block.strip()
    n = int(re.search(r"Số nhiệm vụ: (\d+)", text).group(1))  # type: ignore[union-attr]
    refs = re.findall(r"^(\S+)\. ", text, re.M)
    assert len(refs) == n


async def test_a_file_over_telegrams_limit_gets_a_clear_message(bot: BotHarness) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    await bot.api.send_document(office, "ke-hoach.pdf", b"%PDF-1.4", file_size=25 * 1024 * 1024)
    [reply] = await bot.api.wait_for_messages(office)
    assert "20 MB" in reply["text"]
    assert not bot.api.calls_of("getFile")


async def test_pasted_dispatch_text_makes_a_draft(bot: BotHarness) -> None:
    bot.api.rate_limits = RateLimits.disabled()
    await load_registry(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    text = (CORPUS / "000_3e1fcb50a0b3fd73.txt").read_text(encoding="utf-8")
    sent = await bot.api.send_text(office, text)
    await bot.api.wait_for_messages(
        office, predicate=lambda m: bool(inline_buttons(m)), after=sent, timeout=10
    )
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Dispatch)) == 1


async def test_a_docx_plan_with_a_task_table_is_assigned(bot: BotHarness) -> None:
    culture = await bot.add_unit("Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Nam", ["Sở Văn hóa"])
    home = await bot.add_unit("Sở Nội vụ tỉnh Hà Nam", ["Sở Nội vụ"])
    office = await bot.register(100, Role.SUPERVISOR)
    head = await bot.register(201, Role.HEAD, home)
    data = hanam_plan(
        [
            ["1", "Xây dựng kế hoạch tuyên truyền", "Sở Văn hóa", "Sở Nội vụ", "15/11/2025"],
            ["2", "Tổng kết, báo cáo kết quả", "Sở Nội vụ", "", "Quý IV/2025"],
        ]
    )
    draft = await send_dispatch(bot, office, data, "ke-hoach.docx")
    text = "\n".join(m["text"] for m in draft)
    assert "15/11/2025" in text
    assert "31/12/2025" in text
    await confirm(bot, office, draft[-1])
    [task] = await bot.api.wait_for_messages(
        head, predicate=lambda m: "Nhiệm vụ mới" in m["text"], timeout=10
    )
    assert "Tổng kết, báo cáo kết quả" in task["text"]
    [copy] = await bot.api.wait_for_messages(head, predicate=lambda m: "Phối hợp" in m["text"])
    assert "Xây dựng kế hoạch tuyên truyền" in copy["text"]
    async with bot.session_factory() as session:
        leads = set(await session.scalars(select(Assignment.unit_id)))
    assert leads == {culture, home}
    # 📄 sends the stored original back to the unit.
    await bot.api.press_button(head, task, button(task, "a:orig:"))
    call = await bot.api.wait_for_call("sendDocument")
    assert call.params["chat_id"] in (201, "201")
    assert "Văn bản gốc của Kế hoạch số 100/KH-UBND" in call.params.get("caption", "")


async def test_unit_search_results_name_the_task_being_edited(bot: BotHarness) -> None:
    await bot.add_unit("Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Nam", ["Sở Văn hóa"])
    await bot.add_unit("Sở Nội vụ tỉnh Hà Nam", ["Sở Nội vụ"])
    office = await bot.register(100, Role.SUPERVISOR)
    data = hanam_plan(
        [["1", "Xây dựng kế hoạch tuyên truyền", "Sở Văn hóa", "Sở Nội vụ", "15/11/2025"]]
    )
    draft = await send_dispatch(bot, office, data, "ke-hoach.docx")
    menu = await open_task_menu(bot, office, draft[-1], "1")
    await bot.api.press_button(office, menu, button(menu, "dr:ul:"))
    [screen] = await bot.api.wait_for_messages(
        office, predicate=lambda m: any(d.startswith("dr:fl:") for _, d in inline_buttons(m))
    )
    await bot.api.press_button(office, screen, button(screen, "dr:fl:"))
    await bot.api.wait_for_messages(office, predicate=lambda m: "Nhập tên" in m["text"])
    sent = await bot.api.send_text(office, "Sở Nội vụ")
    [found] = await bot.api.wait_for_messages(office, after=sent)
    assert "Đơn vị chủ trì của nhiệm vụ 1:" in found["text"]


async def test_old_menu_button_after_an_edit_explains_and_resends_the_draft(
    bot: BotHarness,
) -> None:
    await bot.add_unit("Sở Nội vụ tỉnh Hà Nam", ["Sở Nội vụ"])
    office = await bot.register(100, Role.SUPERVISOR)
    data = hanam_plan([["1", "Tổng kết, báo cáo kết quả", "Sở Nội vụ", "", "15/11/2025"]])
    draft = await send_dispatch(bot, office, data, "ke-hoach.docx")
    menu = await open_task_menu(bot, office, draft[-1], "1")
    await bot.api.press_button(office, menu, button(menu, "dr:nodue:"))
    [updated] = await bot.api.wait_for_messages(office, after=menu)
    # The menu above still shows the old version's buttons.
    query = await bot.api.press_button(office, menu, button(menu, "dr:ul:"))
    answer = await bot.api.wait_for_callback_answer(query)
    assert answer.text is not None
    assert "Không có gì bị ghi đè" in answer.text
    # The newest draft comes again, with buttons for its current version.
    await bot.api.wait_for_messages(
        office,
        predicate=lambda m: any(d.startswith("dr:ok:") for _, d in inline_buttons(m)),
        after=updated,
    )


async def test_the_expiry_job_closes_old_drafts(bot: BotHarness) -> None:
    from jobs.drafts import expire_old_drafts

    bot.api.rate_limits = RateLimits.disabled()
    await load_registry(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    draft = await send_dispatch(bot, office, (CORPUS / f"{DOC}.txt").read_bytes(), "cv.txt")
    bot.clock.advance(hours=bot.settings.draft_ttl_hours, seconds=1)
    await expire_old_drafts(SimpleNamespace(application=bot.app))  # type: ignore[arg-type]
    async with bot.session_factory() as session:
        status = await session.scalar(select(Dispatch.status))
    assert status == "expired"
    await bot.api.press_button(office, draft[-1], button(draft[-1], "dr:ok:"))
    answer = await bot.api.wait_for_call("answerCallbackQuery")
    assert "hết hạn" in answer.params["text"]


async def test_the_office_in_a_group_chat_is_not_answered_with_drafts(bot: BotHarness) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    member = await bot.register(300, Role.MEMBER, await bot.add_unit("Sở Nội vụ thành phố Cần Thơ"))
    group = bot.api.group(-6161, "Sở Nội vụ")
    # A dispatch shared in a unit's group must not turn into a draft shown to the group, and
    # files and talk there are not for the bot.
    await bot.api.send_document(
        office, f"{DOC}.txt", (CORPUS / f"{DOC}.txt").read_bytes(), chat=group
    )
    await bot.api.send_text(office, "Mọi người xem công văn nhé", chat=group)
    await bot.api.send_document(member, "anh.txt", b"ghi chu", chat=group)
    await bot.api.send_command(member, "/help", chat=group)
    [reply] = await bot.api.wait_for_messages(group)
    assert "Các lệnh" in reply["text"]
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Dispatch)) == 0
