"""One bad file stalls nobody: the bot as a real process, each bad file sent by the office
while a unit head keeps asking /viec.

For each file (a 2 MB .docx inflating to 2 GB, a text of 10,000 numbered items, a 19 MB
text) the head is answered within 2 s every time, the office is told which limit the file
passed within the time the bot promised, nothing is stored, and the bot's own memory (its
peak resident set, VmHWM) stays under 500 MB. Then SIGTERM while a parse runs stops the
process within a few seconds.
"""

from __future__ import annotations

import asyncio
import io
import signal
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from bot.settings import Settings
from models import Contact, Dispatch, Person, Role, Unit
from services.parse_worker import CHARS, ITEMS, UNZIPPED_SIZE
from tests.conftest import _empty_all_tables
from tests.e2e.test_failover import start_instance
from tests.e2e.test_replies import shown
from tests.e2e.test_two_instances import health, wait_for
from tests.fakes import RateLimits, running_fake_bot_api
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.ptb import free_port

OFFICE = 700_001
HEAD = 700_002
ANSWER_SECONDS = 2.0
MEMORY_MB = 500
TIMEOUT_SECONDS = 8


def zip_bomb() -> bytes:
    """A .docx-looking zip of about 2 MB whose document.xml inflates to 2 GB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(2048):
                member.write(chunk)
    return buffer.getvalue()


def numbered_items(count: int) -> bytes:
    head = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 12/KH-UBND\nKẾ HOẠCH\n"
    items = (f"{i}. Sở Nội vụ thực hiện việc {i} trước ngày 20/10/2025." for i in range(count))
    return (head + "\n".join(items)).encode()


def huge_text() -> bytes:
    line = "Sở Nội vụ chủ trì, phối hợp với các đơn vị liên quan triển khai thực hiện.\n"
    data = line.encode() * (19 * 1024 * 1024 // len(line.encode()))
    return numbered_items(3) + data


async def seed(engine: AsyncEngine) -> None:
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(Unit.__table__.insert().values(id=1, name="Sở Nội vụ", aliases=[]))
        for pid, user, role, unit in ((1, OFFICE, Role.SUPERVISOR, None), (2, HEAD, Role.HEAD, 1)):
            await conn.execute(
                Person.__table__.insert().values(
                    id=pid,
                    telegram_user_id=user,
                    name=f"Người {user}",
                    role=role,
                    unit_id=unit,
                    created_at=now,
                )
            )
            await conn.execute(
                Contact.__table__.insert().values(
                    chat_id=user, kind="private", person_id=pid, unit_id=unit, created_at=now
                )
            )


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


async def ask_viec(api: FakeBotApi, head) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    sent = await api.send_command(head, "/viec")
    await api.wait_for_messages(head, after=sent, timeout=10)
    return time.monotonic() - started


async def refused(
    api: FakeBotApi, office, head, name: str, data: bytes
) -> tuple[str, float, list[float]]:  # type: ignore[no-untyped-def]
    """Send a bad file; ask /viec until the office has its answer. Reply, seconds, waits."""
    started = time.monotonic()
    sent = await api.send_document(office, name, data)
    waits: list[float] = []
    receiving = shown(texts.receiving(name, TIMEOUT_SECONDS))

    def answered() -> list[dict]:
        return [
            m
            for m in api.sent_messages(office)
            if m["message_id"] > sent["message_id"] and m["text"] != receiving
        ]

    while True:  # at least once while the file is being handled
        waits.append(await ask_viec(api, head))
        await asyncio.sleep(0.2)  # another process: nothing to await but time
        if answered() or time.monotonic() - started > TIMEOUT_SECONDS + 10:
            break
    [reply] = answered()
    return reply["text"], time.monotonic() - started, waits


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc for memory")
async def test_bad_files_stall_nobody_and_sigterm_stops_a_parse(
    tmp_path: Path, database_url: str, engine: AsyncEngine
) -> None:
    await seed(engine)
    port = free_port()
    log = (tmp_path / "bot.log").open("wb")
    settings = {"PARSE_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS), "LOG_LEVEL": "INFO"}
    async with running_fake_bot_api() as api:
        api.rate_limits = RateLimits.disabled()  # the head asks faster than 1/s on purpose
        office, head = api.user(OFFICE, "Văn phòng"), api.user(HEAD, "Trưởng")
        process = await start_instance(api, tmp_path, database_url, "bad", port, settings, log)
        try:

            async def ready() -> bool:
                state = await health(port)
                return bool(state and state["leader"])

            await wait_for(ready, 30)
            results = {
                "bomb": await refused(api, office, head, "bom.docx", zip_bomb()),
                "items": await refused(api, office, head, "muc.txt", numbered_items(10_000)),
                "huge": await refused(api, office, head, "lon.txt", huge_text()),
            }
            peak = peak_rss_mb(process.pid)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=15)
            # SIGTERM with a parse running (limits raised so that it runs): gone within 5 s.
            settings.update(PARSE_TIMEOUT_SECONDS="120", PARSE_MAX_ITEMS="1000000")
            process = await start_instance(api, tmp_path, database_url, "bad", port, settings, log)
            await wait_for(ready, 30)
            sent = await api.send_document(office, "muc.txt", numbered_items(10_000))
            await api.wait_for_messages(office, after=sent, timeout=10)
            await asyncio.sleep(1)  # the worker is parsing (the parser takes far longer)
            stopping = time.monotonic()
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=15)
            stop_seconds = time.monotonic() - stopping
        except BaseException:
            log.flush()
            print((tmp_path / "bot.log").read_text(errors="replace")[-6000:])
            raise
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            log.close()
        async with engine.connect() as conn:
            stored = await conn.scalar(select(func.count()).select_from(Dispatch))
        await _empty_all_tables(engine)

    # The limits the bot ran with: the defaults, but for the timeout set above.
    limits = Settings(telegram_bot_token=api.token, parse_timeout_seconds=TIMEOUT_SECONDS)
    answers = {name: text for name, (text, _, _) in results.items()}
    assert answers == {
        "bomb": shown(texts.parse_limit("bom.docx", UNZIPPED_SIZE, limits.parse_max_unzipped_mb)),
        "items": shown(texts.parse_limit("muc.txt", ITEMS, limits.parse_max_items)),
        "huge": shown(texts.parse_limit("lon.txt", CHARS, limits.parse_max_chars)),
    }
    for name, (_, seconds, waits) in results.items():
        assert seconds < TIMEOUT_SECONDS + 2, (name, seconds)
        assert max(waits, default=0) < ANSWER_SECONDS, (name, waits)
    assert stored == 0
    assert peak < MEMORY_MB, peak
    assert stop_seconds < 5, stop_seconds
    print(
        "bad files: "
        + ", ".join(
            f"{n} answered in {s:.1f} s, others within {max(w, default=0):.2f} s"
            for n, (_, s, w) in results.items()
        )
        + f"; bot peak RSS {peak:.0f} MB; SIGTERM during a parse: exit in {stop_seconds:.1f} s"
    )
