"""Parsing in a worker process within limits: each limit refuses, fast, and says which."""

from __future__ import annotations

import asyncio
import io
import time
import zipfile

import pytest

from ingest import IngestError
from services.parse_worker import (
    CHARS,
    ITEMS,
    MEMORY,
    PDF_PAGES,
    TIMEOUT,
    UNZIPPED_SIZE,
    ZIP_PARTS,
    ParseCancelled,
    ParseLimitError,
    ParseLimits,
    ParseWorkers,
    check_zip,
)
from tests.ingest.builders import build_plain_docx

DISPATCH = (
    "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 12/KH-UBND\n"
    "Cần Thơ, ngày 06 tháng 10 năm 2025\nKẾ HOẠCH\nTriển khai công tác chuyển đổi số\n"
    "1. Sở Nội vụ rà soát biên chế, hoàn thành trước ngày 20/10/2025.\n"
    "2. Sở Tài chính bố trí kinh phí, hoàn thành trước ngày 30/10/2025.\n"
    "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n"
)


def numbered(count: int) -> bytes:
    lines = [
        f"{i}. Sở Nội vụ thực hiện việc số {i}, xong trước ngày 20/10/2025." for i in range(count)
    ]
    return (DISPATCH + "\n".join(lines)).encode()


async def parse(data: bytes, name: str, limits: ParseLimits, workers: ParseWorkers | None = None):  # type: ignore[no-untyped-def]
    return await (workers or ParseWorkers()).parse(
        data, name, limits=limits, max_bytes=20 * 1024 * 1024, received_on=None
    )


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


async def test_a_dispatch_parses_in_the_worker() -> None:
    parsed = await parse(DISPATCH.encode(), "cv.txt", ParseLimits())
    assert len(parsed.tasks) == 2


async def test_a_real_docx_passes_the_zip_checks() -> None:
    data = build_plain_docx(DISPATCH.splitlines())
    parsed = await parse(data, "cv.docx", ParseLimits())
    assert len(parsed.tasks) == 2


async def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    bomb = zip_of({"word/document.xml": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(ParseLimitError) as caught:
        await parse(bomb, "bom.docx", ParseLimits(max_unzipped_mb=2))
    assert caught.value.limit == UNZIPPED_SIZE
    assert caught.value.bound == 2


def test_a_zip_that_lies_about_its_size_is_refused_while_reading() -> None:
    real = zip_of({"word/document.xml": b"\0" * (3 * 1024 * 1024)})
    # Declare 100 bytes in the central directory; the deflated stream still holds 3 MB.
    central = real.rindex(b"PK\x01\x02")
    lying = bytearray(real)
    lying[central + 24 : central + 28] = (100).to_bytes(4, "little")
    archive = zipfile.ZipFile(io.BytesIO(bytes(lying)))
    assert archive.infolist()[0].file_size == 100
    with pytest.raises((ParseLimitError, IngestError)):
        check_zip(bytes(lying), ParseLimits(max_unzipped_mb=2))


async def test_a_zip_of_too_many_parts_is_refused() -> None:
    data = zip_of({f"word/part{i}.xml": b"x" for i in range(30)})
    with pytest.raises(ParseLimitError) as caught:
        await parse(data, "nhieu.docx", ParseLimits(max_zip_parts=20))
    assert caught.value.limit == ZIP_PARTS


async def test_a_pdf_of_too_many_pages_is_refused() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(11):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ParseLimitError) as caught:
        await parse(buffer.getvalue(), "dai.pdf", ParseLimits(max_pdf_pages=10))
    assert caught.value.limit == PDF_PAGES


async def test_a_text_of_too_many_characters_is_refused() -> None:
    with pytest.raises(ParseLimitError) as caught:
        await parse(DISPATCH.encode() + b"a" * 5000, "dai.txt", ParseLimits(max_chars=2000))
    assert caught.value.limit == CHARS


async def test_ten_thousand_numbered_items_are_refused_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(ParseLimitError) as caught:
        await parse(numbered(10_000), "muc.txt", ParseLimits(max_items=1000))
    assert caught.value.limit == ITEMS
    assert time.monotonic() - started < 5


async def test_a_parse_past_its_time_is_killed_on_time() -> None:
    # The parser is linear (about 40 µs an item on the development machine), so the list is
    # long enough to need ten times the timeout on a machine several times faster.
    started = time.monotonic()
    with pytest.raises(ParseLimitError) as caught:
        await parse(
            numbered(60_000),
            "muc.txt",
            ParseLimits(timeout_seconds=0.25, max_items=10**6, max_chars=10**9),
        )
    assert caught.value.limit == TIMEOUT
    assert time.monotonic() - started < 2


async def test_a_parse_past_its_memory_is_refused() -> None:
    with pytest.raises(ParseLimitError) as caught:
        await parse(
            DISPATCH.encode() + "Sở Nội vụ ".encode() * 1_500_000,
            "lon.txt",
            ParseLimits(memory_mb=64, max_chars=10**9),
        )
    assert caught.value.limit == MEMORY


async def test_shutdown_kills_a_running_parse() -> None:
    workers = ParseWorkers()
    limits = ParseLimits(timeout_seconds=60, max_items=10**6)
    running = asyncio.create_task(parse(numbered(10_000), "muc.txt", limits, workers))
    while workers.running == 0:  # noqa: ASYNC110 - a child process starting, no event
        await asyncio.sleep(0.01)
    started = time.monotonic()
    workers.kill_all()
    with pytest.raises(ParseCancelled):
        await running
    assert time.monotonic() - started < 1
