"""Recurring duties with their period and day, relative deadlines, hours (SCHEMA.md "due")."""

from __future__ import annotations

import datetime

import pytest

from ingest.model import Due
from ingest.schema import due_schema
from ingest.timing import find_dues

ISSUED = datetime.date(2024, 9, 3)


def shapes(text: str) -> list[dict[str, object]]:
    """The scored fields of each timing (phrase and time left out, as score.py does)."""
    return [
        {k: v for k, v in due_schema(d).items() if k not in {"phrase", "time"}}
        for d in find_dues(text, ISSUED)
    ]


def recurring(**fields: object) -> dict[str, object]:
    return {"kind": "recurring", "date": None, **fields}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The day before the frequency word, by the "trước" rule of deadlines.
        ("Các đơn vị báo cáo kết quả trước ngày 20 hằng tháng.", [{"every": "month", "day": 19}]),
        ("gửi báo cáo chậm nhất là ngày 05 hằng tháng", [{"every": "month", "day": 5}]),
        ("báo cáo trước ngày 10 tháng 12 hằng năm", [{"every": "year", "month": 12, "day": 9}]),
        # The day after it, in the same sentence.
        (
            "báo cáo hằng quý, trước ngày 15 của tháng cuối quý",
            [{"every": "quarter", "month": 3, "day": 14}],
        ),
        (
            "Hằng tháng, các đơn vị gửi báo cáo về Sở trước ngày 25.",
            [{"every": "month", "day": 24}],
        ),
        # No day: the period only.
        ("định kỳ hằng tháng báo cáo UBND tỉnh", [{"every": "month"}]),
        ("định kỳ 6 tháng báo cáo Bộ Nội vụ", [{"every": "half_year"}]),
        ("tổ chức giao ban hằng tuần", [{"every": "week"}]),
    ],
)
def test_a_named_period_gives_every_and_the_last_day(
    text: str, expected: list[dict[str, object]]
) -> None:
    assert shapes(text) == [recurring(**e) for e in expected]


def test_a_daily_duty_keeps_its_hour() -> None:
    (due,) = find_dues("báo cáo tình hình trước 14 giờ 00 hàng ngày", ISSUED)
    assert (due.every, due.time, due.day) == ("day", "14:00", None)


def test_a_yearly_cycle_with_two_days_gives_one_entry_per_day_and_no_deadline() -> None:
    text = (
        "Hằng năm, các đơn vị gửi báo cáo trước ngày 10/6 đối với báo cáo 6 tháng; "
        "trước ngày 10/12 đối với báo cáo năm."
    )
    assert shapes(text) == [
        recurring(every="year", month=6, day=9),
        recurring(every="year", month=12, day=9),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "thực hiện thường xuyên",
        "định kỳ báo cáo Thường trực Tỉnh ủy",
        # Several periods: no single one.
        "định kỳ (tháng, quý, năm) báo cáo UBND tỉnh",
        "báo cáo định kỳ 6 tháng, năm",
    ],
)
def test_no_single_period_gives_no_every(text: str) -> None:
    assert shapes(text) == [recurring()]


@pytest.mark.parametrize(
    "text",
    [
        "bảo đảm hoạt động thường xuyên của các Bộ, ngành",
        "kinh phí chi thường xuyên năm 2025",
        "các đơn vị không phải báo cáo hằng quý",
    ],
)
def test_a_descriptive_or_negated_frequency_is_no_timing(text: str) -> None:
    assert shapes(text) == []


def test_a_dated_deadline_next_to_a_monthly_duty_stays_dated() -> None:
    text = "báo cáo hằng tháng; hoàn thành tổng kết trước ngày 20/12/2024."
    assert shapes(text) == [
        recurring(every="month"),
        {"kind": "deadline", "date": "2024-12-19"},
    ]


@pytest.mark.parametrize(
    ("text", "days", "working", "origin"),
    [
        (
            "trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản này",
            5,
            True,
            "receipt",
        ),
        ("gửi ý kiến trong vòng 10 ngày kể từ ngày ký", 10, False, "issue"),
        ("chậm nhất 07 ngày kể từ ngày ban hành Kế hoạch này", 7, False, "issue"),
        ("trong 15 (mười lăm) ngày làm việc kể từ ngày nhận được công văn", 15, True, "receipt"),
    ],
)
def test_a_relative_deadline_counts_from_receipt_or_issue(
    text: str, days: int, working: bool, origin: str
) -> None:
    assert shapes(text) == [
        {"kind": "relative", "date": None, "days": days, "working": working, "from": origin}
    ]


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("gửi về Sở trước 10h00 ngày 15/9/2024", datetime.date(2024, 9, 15), "10:00"),
        ("nộp trước 16 giờ 30 chiều ngày 20/9/2024", datetime.date(2024, 9, 20), "16:30"),
        (
            "dự họp vào lúc 14h30 ngày thứ Năm 12/9/2024",
            datetime.date(2024, 9, 12),
            "14:30",
        ),
        ("tổ chức hội nghị vào ngày 05/11/2024", datetime.date(2024, 11, 5), None),
    ],
)
def test_an_hour_puts_the_deadline_on_that_day(
    text: str, date: datetime.date, time: str | None
) -> None:
    (due,) = find_dues(text, ISSUED)
    assert (due.kind, due.date, due.time) == ("deadline", date, time)


def test_another_bodys_event_day_is_no_deadline() -> None:
    text = "cử lãnh đạo dự Hội nghị do Bộ Nội vụ tổ chức vào ngày 05/12/2024"
    assert find_dues(text, ISSUED) == ()


@pytest.mark.parametrize(
    "text",
    [
        "thực hiện theo lộ trình quy định",
        "triển khai theo nội dung và tiến độ quy định",
        "hoàn thành theo đúng tiến độ đề ra",
    ],
)
def test_a_roadmap_qualifies_the_action(text: str) -> None:
    assert [d.kind for d in find_dues(text, ISSUED)] == ["roadmap"]


def test_schema_prints_only_the_fields_a_timing_has() -> None:
    due = Due("recurring", None, "trước ngày 20 hằng tháng", every="month", day=19)
    assert due_schema(due) == {
        "kind": "recurring",
        "date": None,
        "phrase": "trước ngày 20 hằng tháng",
        "every": "month",
        "day": 19,
    }
