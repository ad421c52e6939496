"""Layouts the labelled corpus does not cover, each read by a person first.

The fixtures in tests/ingest/fixtures/ are short, realistic dispatches: a ministry's công văn
to every province, a commune's thông báo, a kế hoạch with roman sections and a-b-c points, a
công văn with spelled-out and year-less deadlines, and a message pasted from Zalo. The
expectations below were written by reading each text, not by running the parser.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ingest import ParsedDispatch, parse_document
from ingest.model import RECIPIENTS
from tests.ingest.builders import build_pdf, build_plain_docx, pdf_lines

FIXTURES = Path(__file__).with_name("fixtures")
R = (RECIPIENTS,)
D = datetime.date


@dataclass(frozen=True)
class Expected:
    lead: tuple[str, ...]
    dues: list[tuple[str, datetime.date | None]]
    support: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    kind: str
    number: str | None
    issued_on: datetime.date | None
    recipients: tuple[str, ...]
    signer: tuple[str, str | None] | None
    tasks: dict[str, Expected]
    # Refs a reader could go either way on (a schedule line, an intro heading): allowed.
    optional: set[str] = field(default_factory=set)
    issuer: str | None = None


LAYOUTS: dict[str, Layout] = {
    "bo_cong_van.txt": Layout(
        kind="cong_van",
        number="5821/BNV-CCHC",
        issuer="Bộ Nội vụ",
        issued_on=D(2025, 11, 3),
        recipients=("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",),
        signer=("Trương Hải Long", "Thứ trưởng"),
        tasks={
            "1": Expected(R, []),
            "2": Expected(R, [("deadline", D(2025, 11, 24))]),
            # The conference day (05/12) is when to attend; the list is due 28/11.
            "3": Expected(R, [("deadline", D(2025, 11, 28))]),
        },
    ),
    "xa_thong_bao.txt": Layout(
        kind="thong_bao",
        number="87/TB-UBND",
        issuer="Ủy ban nhân dân xã Tân Phú",
        issued_on=D(2025, 11, 14),
        recipients=(),
        signer=("Lê Văn Tám", "Chủ tịch"),
        tasks={
            "1": Expected(R, []),
            "2": Expected(("Trưởng các thôn",), [("deadline", D(2025, 11, 29))]),
            "3": Expected(("Trạm Y tế xã",), [("recurring", None)], ("Đoàn Thanh niên xã",)),
            "4": Expected(("Công chức Văn hóa - Xã hội",), []),
        },
    ),
    "ke_hoach_la_ma.txt": Layout(
        kind="ke_hoach",
        number="215/KH-PGDĐT",
        issued_on=D(2025, 11, 5),
        recipients=(),
        signer=("Nguyễn Thị Lan", "Phó Trưởng phòng"),
        tasks={
            "II.2.a": Expected(("Các trường",), [("deadline", D(2025, 11, 19))]),
            "III.1": Expected(("Phòng Giáo dục và Đào tạo",), []),
            "III.1.a": Expected(("Phòng Giáo dục và Đào tạo",), [("deadline", D(2025, 11, 30))]),
            "III.1.b": Expected(("Phòng Giáo dục và Đào tạo",), [("deadline", D(2025, 12, 20))]),
            "III.2": Expected(("Các trường học",), []),
            "III.2.a": Expected(("Các trường học",), []),
            "III.2.b": Expected(("Các trường học",), [("on_request", None)]),
            "III.2.c": Expected(("Các trường học",), [], ("Ban Tổ chức hội thi",)),
        },
        optional={"II.2", "II.2.b"},
    ),
    "cong_van_han_chu.txt": Layout(
        kind="cong_van",
        number="3120/STC-QLNS",
        issued_on=D(2025, 11, 7),
        recipients=("Các sở, ban, ngành cấp tỉnh", "UBND các huyện, thành phố, thị xã"),
        signer=("Hồ Văn Minh", "Phó Giám đốc"),
        tasks={
            # "trước ngày 20 tháng 11 năm 2025": the day before.
            "1": Expected(R, [("deadline", D(2025, 11, 19))]),
            # "chậm nhất là ngày 05/12": that day, in the issue year.
            "2": Expected(("UBND các huyện, thành phố, thị xã",), [("deadline", D(2025, 12, 5))]),
            "3": Expected(
                ("Sở Kế hoạch và Đầu tư",), [("deadline", D(2025, 12, 31))], ("Sở Tài chính",)
            ),
        },
    ),
    "zalo_dan.txt": Layout(
        kind="other",
        number=None,
        issued_on=None,
        recipients=("các xã, thị trấn",),
        signer=None,
        tasks={
            "1": Expected(("Các xã",), [("deadline", D(2025, 11, 24))]),
            "2": Expected(("Trạm Y tế các xã",), [("recurring", None)]),
            # "trước 17h00 ngày 28/11": no year and no issue date; the day it was received
            # (20/11/2025) places it.
            "3": Expected(("Văn phòng HĐND-UBND các xã",), [("deadline", D(2025, 11, 28))]),
        },
    ),
}
RECEIVED = D(2025, 11, 20)


def _parse(name: str, kind: str = "txt") -> ParsedDispatch:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    if kind == "pdf":  # a text layer wrapped at a fixed width, no blank lines
        data, filename = build_pdf(pdf_lines(text)), "dispatch.pdf"
    elif kind == "docx":
        data, filename = build_plain_docx(text.split("\n\n")), "dispatch.docx"
    else:
        data, filename = text.encode("utf-8"), name
    return parse_document(data, filename, received_on=RECEIVED)


FORMATS = ["txt", "pdf", "docx"]


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_header(name: str, kind: str) -> None:
    layout, dispatch = LAYOUTS[name], _parse(name, kind)
    assert dispatch.kind == layout.kind
    assert dispatch.number == layout.number
    assert dispatch.issued_on == layout.issued_on
    assert dispatch.recipients == layout.recipients
    if layout.issuer is not None:
        assert dispatch.issuer == layout.issuer
    signer = (dispatch.signer.name, dispatch.signer.title) if dispatch.signer else None
    assert signer == layout.signer


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_tasks(name: str, kind: str) -> None:
    layout, dispatch = LAYOUTS[name], _parse(name, kind)
    got = {task.ref: task for task in dispatch.tasks}
    assert set(layout.tasks) <= set(got), sorted(got)
    assert set(got) <= set(layout.tasks) | layout.optional, sorted(got)
    for ref, expected in layout.tasks.items():
        task = got[ref]
        assert task.lead == expected.lead, ref
        assert task.support == expected.support, ref
        assert [(d.kind, d.date) for d in task.due] == expected.dues, ref


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_no_date_outside_the_expected_ones(name: str) -> None:
    """Dated timings anywhere (optional items included) are days a reader would set."""
    layout, dispatch = LAYOUTS[name], _parse(name)
    wanted = {date for e in layout.tasks.values() for _, date in e.dues if date}
    if name == "ke_hoach_la_ma.txt":
        wanted |= {D(2025, 12, 8), D(2025, 12, 12)}  # the practical exam's first and last day
    got = {d.date for task in dispatch.tasks for d in task.due if d.date}
    assert got <= wanted
    # "tính đến ngày 01/9/2025" (a condition on who may enter) is never a timing.
    assert D(2025, 9, 1) not in got


def test_pasted_text_without_a_received_day_leaves_the_yearless_date_open() -> None:
    data = (FIXTURES / "zalo_dan.txt").read_bytes()
    third = next(t for t in parse_document(data, "zalo.txt").tasks if t.ref == "3")
    assert [(d.kind, d.date) for d in third.due] == [("deadline", None)]
