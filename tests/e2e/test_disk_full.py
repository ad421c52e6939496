"""A full disk: the person is told nothing was recorded, and the admins hear of it once."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from bot.handlers import dispatches
from bot.handlers.errors import is_disk_full
from models import Assignment, Dispatch, Role
from tests.e2e.conftest import ADMIN_ID, BotHarness
from tests.e2e.test_replies import say, setup, shown, state

DISPATCH = (
    "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 12/KH-UBND\n"
    "Cần Thơ, ngày 06 tháng 10 năm 2025\nKẾ HOẠCH\nTriển khai công tác chuyển đổi số\n"
    "1. Sở Nội vụ rà soát biên chế, hoàn thành trước ngày 20/10/2025.\n"
    "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n"
).encode()


def no_space() -> OSError:
    return OSError(errno.ENOSPC, "No space left on device")


@contextmanager
def commits_fail(engine: AsyncEngine) -> Iterator[None]:
    """Every database commit fails as on a full disk."""

    def refuse(_conn: object) -> None:
        raise no_space()

    event.listen(engine.sync_engine, "commit", refuse)
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "commit", refuse)


async def test_xong_on_a_full_disk_says_so_and_records_nothing(
    bot: BotHarness, engine: AsyncEngine
) -> None:
    admin = await bot.register(ADMIN_ID, Role.ADMIN)
    _, head, _, task = await setup(bot)
    with commits_fail(engine):
        first = await say(bot, head, "xong", reply_to=task.messages[head.id])
        second = await say(bot, head, "xong", reply_to=task.messages[head.id])
    assert first["text"] == second["text"] == shown(texts.DISK_FULL)
    assert (await state(bot, task.assignment_id)).status == "open"
    # The admins are told once, not at every failure.
    assert [m["text"] for m in bot.api.sent_messages(admin)] == [texts.DISK_FULL_ADMIN]


async def test_upload_on_a_full_disk_says_so_and_stores_nothing(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await bot.register(ADMIN_ID, Role.ADMIN)
    office = await bot.register(100, Role.SUPERVISOR)

    def store_file(*_args: object) -> None:
        raise no_space()

    monkeypatch.setattr(dispatches, "store_file", store_file)
    sent = await bot.api.send_document(office, "cv.txt", DISPATCH)
    receiving, answer = await bot.api.wait_for_messages(office, count=2, after=sent)
    seconds = int(bot.settings.parse_limits().timeout_seconds)
    assert receiving["text"] == shown(texts.receiving("cv.txt", seconds))
    assert answer["text"] == shown(texts.DISK_FULL)
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Dispatch)) == 0
        assert await session.scalar(select(func.count()).select_from(Assignment)) == 0
    [told] = await bot.api.wait_for_messages(admin)
    assert told["text"] == texts.DISK_FULL_ADMIN


@pytest.mark.parametrize(
    "error",
    [
        no_space(),
        OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full")),
    ],
)
def test_disk_full_is_recognised_from_files_and_databases(error: BaseException) -> None:
    assert is_disk_full(error)


def test_other_errors_are_not_disk_full() -> None:
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(ValueError("x"))
