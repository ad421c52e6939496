"""The demo's parts: its clock, its start, its sample dispatch, its kept chats, and the page's
API end to end (``nhacviec demo`` as a process, driven over HTTP without a browser)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from ingest import parse_document
from nhacviec.app import build_application
from nhacviec.botapi.server import LocalBotApi
from nhacviec.demo.app import (
    demo_settings,
    load_cast,
    sample_files,
    sample_text,
    start_moment,
)
from nhacviec.demo.clock import DemoClock
from tests.fakes.demo import running_demo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_demo_clock_runs_from_where_it_was_put_and_only_moves_forward() -> None:
    start = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
    clock = DemoClock(start)
    assert abs(clock.now() - start) < timedelta(seconds=5)
    moved = clock.advance(timedelta(days=7))
    assert abs(moved - (start + timedelta(days=7))) < timedelta(seconds=5)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(timedelta(days=-1))


def test_demo_clock_gets_the_periodic_jobs(engine: AsyncEngine, tmp_path: Path) -> None:
    settings = demo_settings(tmp_path)
    application = build_application(settings, engine, clock=DemoClock())
    assert application.job_queue is not None
    names = {job.name for job in application.job_queue.jobs()}
    assert {"send_due_reminders", "check_weekly_digest", "expire_old_drafts"} <= names


def test_demo_starts_on_the_first_working_monday_morning_after_today(tmp_path: Path) -> None:
    settings = demo_settings(tmp_path)
    # Monday 27/04/2026 is the day off for Giỗ Tổ Hùng Vương (a Sunday that year).
    moment = start_moment(date(2026, 4, 26), settings)
    assert moment.astimezone(TZ) == datetime(2026, 5, 4, 8, 30, tzinfo=TZ)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_sample_dispatch_reads_as_three_tasks_due_after_the_start(kind: str) -> None:
    start = date(2026, 12, 7)
    [sample] = [s for s in sample_files(start) if s.name.endswith(kind)]
    parsed = parse_document(sample.data, sample.name)
    assert parsed.number == "125/UBND-VP"
    assert parsed.issued_on == start
    leads = [task.lead for task in parsed.tasks]
    assert leads == [("Sở Nội vụ",), ("Sở Tài chính",), ("Ủy ban nhân dân phường Tân An",)]
    dues = [[d.date for d in task.due] for task in parsed.tasks]
    assert dues == [[start + timedelta(days=n)] for n in (7, 3, 10)]
    assert not any(task.unsure for task in parsed.tasks)
    assert not parsed.recipients_unsure


def test_cast_has_an_admin_two_office_people_and_three_unit_heads() -> None:
    roles = [person.role for person in load_cast()]
    assert roles == ["admin", "supervisor", "supervisor", "head", "head", "head"]


async def test_kept_chats_come_back_and_message_ids_go_on() -> None:
    async with LocalBotApi() as first:
        user = first.user(5, "An")
        await first.send_text(user, "một")
        await first.send_document(user, "a.txt", b"abc")
        state = first.snapshot()
    async with LocalBotApi() as second:
        second.restore(state)
        [text, document] = second.history(5)
        assert text["text"] == "một"
        stored = second.stored_file(document["document"]["file_id"])
        assert stored is not None
        assert stored.data == b"abc"
        sent = await second.send_text(second.user(5, "An"), "hai")
        assert sent["message_id"] == 3


async def test_wait_for_change_returns_the_new_version_or_after_the_timeout() -> None:
    async with LocalBotApi() as server:
        before = server.version
        assert await server.wait_for_change(before, 0.05) == before
        await server.send_text(server.user(5, "An"), "một")
        assert await server.wait_for_change(before, 5.0) > before


# --- the page's API, on the demo process ----------------------------------------------------


@pytest.mark.e2e
def test_page_api_takes_a_dispatch_to_the_units_and_a_week_to_a_reminder(tmp_path: Path) -> None:
    with running_demo(tmp_path) as demo:
        demo.post("/api/sample", {"chat": 1002, "name": "cong-van-mau.pdf"})
        draft = demo.bot_message(1002, "125/UBND-VP")
        buttons = {
            button["text"]: button["callback_data"]
            for row in draft["reply_markup"]["inline_keyboard"]
            for button in row
        }
        confirm = buttons[texts.BUTTON_CONFIRM]
        demo.post("/api/press", {"chat": 1002, "message_id": draft["message_id"], "data": confirm})
        task = demo.bot_message(2001, "Nhiệm vụ mới")
        demo.post("/api/send", {"chat": 2001, "text": "xong", "reply_to": task["message_id"]})
        demo.bot_message(2001, "Đã ghi nhận hoàn thành")
        moved = demo.post("/api/clock", {"days": 7})
        assert moved["clock"].startswith("Thứ Hai")
        demo.bot_message(2002, "Quá hạn 4 ngày")
        demo.bot_message(2003, "còn 3 ngày")


@pytest.mark.e2e
def test_page_uploads_a_file_of_ones_own_and_a_picture(tmp_path: Path) -> None:
    text = sample_text(date(2026, 12, 7)).encode()
    with running_demo(tmp_path) as demo:
        sent = demo.upload(1003, "cong-van.txt", text, "text/plain")
        demo.bot_message(1003, "125/UBND-VP")
        picture = demo.upload(2001, "anh.png", _png(), "image/png")
        broken = demo.upload(2002, "hong.png", b"not a picture", "image/png")

        def history(state: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
            return {chat: state["chats"][chat] for chat in ("1003", "2001", "2002")}

        chats = demo.wait(history, "the chats")
    [document] = [m for m in chats["1003"] if m["message_id"] == sent["message_id"]]
    assert document["document"]["file_name"] == "cong-van.txt"
    [photo] = [m for m in chats["2001"] if m["message_id"] == picture["message_id"]]
    assert photo["photo"]
    [file] = [m for m in chats["2002"] if m["message_id"] == broken["message_id"]]
    assert file["document"]["file_name"] == "hong.png"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()
