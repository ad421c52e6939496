"""/baocao over the fake Bot API: a .docx whose table is /tonghop's figures."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document

from bot import texts
from models import Role
from services.summaries import status_summary
from tests.e2e.conftest import BotHarness
from tests.e2e.test_summaries import TODAY, seed

pytestmark = pytest.mark.e2e


def _table_rows(data: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(data))
    grid = document.tables[1]  # the first is the header block
    return [[cell.text for cell in row.cells] for row in grid.rows]


async def test_baocao_table_equals_the_tonghop_figures(bot: BotHarness) -> None:
    await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR, name="Nguyễn Văn Giám")
    sent = await bot.api.send_command(office, "/baocao")
    [message] = await bot.api.wait_for_messages(office, after=sent)
    assert message["document"]["file_name"] == "bao-cao-2026-01-05.docx"
    [call] = bot.api.calls_of("sendDocument")
    rows = _table_rows(call["document"].data)
    if folder := os.environ.get("DASHBOARD_SCREENSHOTS"):  # the sample the README shows
        (Path(folder) / "bao-cao-mau.docx").write_bytes(call["document"].data)
    async with bot.session_factory() as session:
        summary = await status_summary(session, today=TODAY)
    expected = [
        list(texts.report_table_row(str(i), unit.name, unit.counts))
        for i, unit in enumerate(summary.by_unit, start=1)
    ]
    expected.append(list(texts.report_table_row("", texts.REPORT_TOTAL_ROW, summary.total)))
    assert rows[0] == list(texts.REPORT_TABLE_HEADERS)
    assert rows[1:] == expected
    assert rows[-1][2:7] == ["3", "1", "0", "1", "1"]


async def test_baocao_for_one_dispatch_names_it_and_the_period(bot: BotHarness) -> None:
    await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/baocao", "14-CV/TU", "quý", "I/2026")
    [reply] = await bot.api.wait_for_messages(office, after=sent)
    assert "document" in reply, reply.get("text")
    [call] = bot.api.calls_of("sendDocument")
    document = Document(io.BytesIO(call["document"].data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tình hình thực hiện nhiệm vụ theo Công văn số 14-CV/TU quý I/2026" in text
    assert "Sở Nội vụ thành phố Cần Thơ: 1. Việc 1 (Công văn số 14-CV/TU)" in text


async def test_baocao_is_refused_to_a_unit_member(bot: BotHarness) -> None:
    noi_vu, _ = await seed(bot)
    member = await bot.register(200, Role.MEMBER, noi_vu)
    sent = await bot.api.send_command(member, "/baocao")
    [refusal] = await bot.api.wait_for_messages(member, after=sent)
    assert "chỉ dành cho" in refusal["text"]
    assert bot.api.calls_of("sendDocument") == []
