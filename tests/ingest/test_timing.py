"""Timing expressions (SCHEMA.md "due"): each kind, and dates that must never be deadlines."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.model import DUE_KINDS
from ingest.timing import find_dues, time_cell_dues
from tests.ingest.helpers import ISSUED_ON, dated, one_task

D = datetime.date


def dues(text: str, issued_on: datetime.date | None = ISSUED_ON) -> list[tuple[str, D | None]]:
    return [(due.kind, due.date) for due in find_dues(text, issued_on)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("báo cáo trước ngày 15/10/2025", D(2025, 10, 14)),
        ("chậm nhất ngày 15/10/2025", D(2025, 10, 15)),
        ("hoàn thành ngày 15/10/2025", D(2025, 10, 15)),
        ("thực hiện đến ngày 15/10/2025", D(2025, 10, 15)),
        ("đến hết ngày 15/10/2025", D(2025, 10, 15)),
        ("hoàn thành trước ngày 15 tháng 10 năm 2025", D(2025, 10, 14)),
        ("chậm nhất hoàn thành trong tháng 5/2023", D(2023, 5, 31)),
        ("hoàn thành trong tháng 02/2024", D(2024, 2, 29)),
        ("hoàn thành trước tháng 7/2020", D(2020, 6, 30)),
        ("triển khai trong quý II/2023", D(2023, 6, 30)),
        ("hoàn thành trong quý IV năm 2025", D(2025, 12, 31)),
        ("hoàn thành trong năm 2023", D(2023, 12, 31)),
        ("gửi về Sở trước 17 giờ ngày 20/10/2025", D(2025, 10, 20)),
        ("Thời hạn: 30/11/2025", D(2025, 11, 30)),
    ],
)
def test_deadline_forms(text: str, expected: D) -> None:
    assert dues(text, issued_on=D(2020, 1, 2)) == [("deadline", expected)]


def test_deadline_already_past_at_issue_is_dropped() -> None:
    assert dues("đánh giá kết quả thực hiện trong năm 2024") == []
    assert dues("hoàn thành trong tháng 9/2025") == []


def test_day_without_year_takes_issue_year() -> None:
    assert dues("báo cáo trước ngày 20/10") == [("deadline", D(2025, 10, 19))]


def test_day_without_year_already_past_takes_next_year() -> None:
    assert dues("báo cáo trước ngày 15/01") == [("deadline", D(2026, 1, 14))]


def test_day_without_year_and_without_issue_date_has_no_date() -> None:
    assert dues("báo cáo trước ngày 20/10", issued_on=None) == [("deadline", None)]


@pytest.mark.parametrize(
    "text", ["trước ngày 31/02/2025", "chậm nhất ngày 32/1/2025", "trước ngày 15/13/2025"]
)
def test_nonexistent_date_is_no_deadline(text: str) -> None:
    assert dues(text) == []


def test_start_from_month_and_from_day() -> None:
    assert dues("(thực hiện từ tháng 4/2023)", D(2023, 4, 17)) == [("start", D(2023, 4, 1))]
    assert dues("áp dụng từ ngày 30/4/2021", D(2021, 4, 2)) == [("start", D(2021, 4, 30))]


def test_past_period_is_neither_start_nor_deadline() -> None:
    assert dues("kết quả thực hiện từ ngày 01/01/2025 đến nay") == []
    assert dues("thực hiện từ ngày 01/01/2020 đến ngày 31/12/2024") == []


def test_thing_described_by_when_it_was_issued_is_not_a_deadline() -> None:
    assert dues("các văn bản ban hành trước ngày 15/12/2025 vẫn được áp dụng") == []


def test_range_gives_start_and_deadline() -> None:
    assert dues("thực hiện từ ngày 01/4/2024 đến ngày 31/12/2024", D(2024, 3, 1)) == [
        ("start", D(2024, 4, 1)),
        ("deadline", D(2024, 12, 31)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "(thực hiện thường xuyên)",
        "thường xuyên đôn đốc, kiểm tra, giám sát",
        "định kỳ báo cáo Thường trực Tỉnh ủy",
        "báo cáo hằng tháng về Sở Nội vụ",
        "hàng quý tổng hợp kết quả",
    ],
)
def test_recurring(text: str) -> None:
    assert dues(text) == [("recurring", None)]


def test_yearly_as_a_noun_modifier_is_not_recurring() -> None:
    assert dues("là tiêu chí đánh giá, xếp loại chất lượng hàng năm của tập thể") == []


@pytest.mark.parametrize(
    "text",
    ["(thực hiện khi có yêu cầu của cấp trên)", "thực hiện ngay khi có yêu cầu của Trung ương"],
)
def test_on_request(text: str) -> None:
    assert dues(text) == [("on_request", None)]


@pytest.mark.parametrize(
    "text",
    [
        "(sau khi Trung ương ban hành các văn bản sửa đổi, bổ sung)",
        "khi Chính phủ, Bộ, ngành Trung ương ban hành các quy định, hướng dẫn",
        "triển khai sau khi có hướng dẫn",
    ],
)
def test_after_event(text: str) -> None:
    assert dues(text) == [("after_event", None)]


def test_before_and_after_arrangement_is_not_after_event() -> None:
    assert dues("đánh giá đội ngũ cán bộ trước và sau khi sắp xếp đơn vị hành chính") == []


def test_roadmap_only_when_qualifying_the_action() -> None:
    assert dues("(thực hiện theo lộ trình quy định)") == [("roadmap", None)]
    assert dues("Hoàn thành lộ trình tính giá dịch vụ sự nghiệp công") == []


def test_several_timings_in_text_order() -> None:
    text = "báo cáo trước ngày 08/10/2025; chi trả dứt điểm, hoàn thành trước ngày 15/10/2025"
    assert dues(text) == [("deadline", D(2025, 10, 7)), ("deadline", D(2025, 10, 14))]


# --- never a deadline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "thực hiện các nhiệm vụ nêu tại Kế hoạch số 02-KH/BCĐ ngày 19/6/2025 của Ban Chỉ đạo",
        "theo Công văn số 59-CV/BCĐ, ngày 12/9/2025 của Ban Chỉ đạo Trung ương",
        "chi trả cho người đã có quyết định nghỉ hưu trước ngày 31/8/2025 chưa được thanh toán",
        "cấp giấy cho hộ dân đã sử dụng đất ổn định trước ngày 01/7/2014",
        "tuyên truyền kết quả Đại hội, nhiệm kỳ 2025 - 2030",
        "quản lý biên chế giai đoạn 2022 - 2026",
        "phát triển đến năm 2020, tầm nhìn đến năm 2030",
        "Kế hoạch cải cách hành chính năm 2016",
        "số liệu tính đến ngày 30/9/2025",
        "khẩn trương, kịp thời triển khai ngay",
        "Hội nghị Ban Chấp hành Trung ương ngày 25/11/2024",
        "Trong năm 2025, toàn tỉnh đã giải ngân 90% kế hoạch vốn",
        "Quyết định này có hiệu lực từ ngày 01/01/2026",
    ],
)
def test_never_a_timing(text: str) -> None:
    assert [d for d in dues(text) if d[1] is not None] == []


def test_issue_date_is_not_a_deadline() -> None:
    task = one_task("1. Rà soát hồ sơ nhân sự.\n")
    assert task.due == ()


def test_condition_and_real_deadline_in_one_item() -> None:
    task = one_task(
        "1. Chi trả chế độ cho người đã có quyết định nghỉ hưu trước ngày 31/8/2025, "
        "hoàn thành trước ngày 15/10/2025.\n"
    )
    assert dated(task) == [("deadline", D(2025, 10, 14))]


def test_time_cell_date_is_the_deadline() -> None:
    assert [(d.kind, d.date) for d in time_cell_dues("15/10/2025", ISSUED_ON)] == [
        ("deadline", D(2025, 10, 15))
    ]
    assert [(d.kind, d.date) for d in time_cell_dues("Quý IV/2025", ISSUED_ON)] == [
        ("deadline", D(2025, 12, 31))
    ]
    assert [(d.kind, d.date) for d in time_cell_dues("Thường xuyên", ISSUED_ON)] == [
        ("recurring", None)
    ]


# --- properties ---------------------------------------------------------------------------------

_DOC_TYPES = [
    "Kế hoạch",
    "Công văn",
    "Nghị quyết",
    "Kết luận",
    "Quyết định",
    "Chỉ thị",
    "Thông báo",
]
_ACTIONS = [
    "Triển khai thực hiện",
    "Báo cáo kết quả thực hiện",
    "Tổ chức quán triệt",
    "Hoàn thành các nhiệm vụ nêu tại",
    "Rà soát theo",
    "Khẩn trương thực hiện",
]
_dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))
_number = st.from_regex(
    r"\A[0-9]{1,4}-(KH|CV|NQ|KL)/(TU|TW|BCĐ|HU)\Z|\A[0-9]{1,4}/(QĐ|KH|CT)-UBND\Z"
)


def _date_text(day: D, style: int) -> str:
    if style == 0:
        return f"{day.day}/{day.month}/{day.year}"
    if style == 1:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} tháng {day.month} năm {day.year}"


@given(
    action=st.sampled_from(_ACTIONS),
    doc_type=st.sampled_from(_DOC_TYPES),
    number=_number,
    day=_dates,
    style=st.integers(0, 2),
    comma=st.booleans(),
)
def test_date_of_a_cited_document_is_never_a_deadline(
    action: str, doc_type: str, number: str, day: D, style: int, comma: bool
) -> None:
    separator = "," if comma else ""
    when = _date_text(day, style)
    text = f"{action} {doc_type} số {number}{separator} ngày {when} của Ban Thường vụ."
    assert all(due.date != day for due in find_dues(text, ISSUED_ON))
    assert all(due.date is None for due in find_dues(text, ISSUED_ON))


@given(
    word=st.sampled_from(["nhiệm kỳ", "giai đoạn", "thời kỳ"]),
    start=st.integers(1990, 2040),
    length=st.integers(1, 10),
    lead=st.sampled_from(["trong", "thực hiện trong", "hoàn thành trong", "", "chậm nhất trong"]),
)
def test_term_is_never_a_deadline(word: str, start: int, length: int, lead: str) -> None:
    text = f"{lead} {word} {start} - {start + length}".strip()
    assert all(due.date is None for due in find_dues(text, ISSUED_ON))


@given(day=_dates, style=st.integers(0, 2))
def test_condition_on_people_is_never_a_deadline(day: D, style: int) -> None:
    text = f"rà soát các trường hợp đã có quyết định nghỉ hưu trước ngày {_date_text(day, style)}"
    assert all(due.date is None for due in find_dues(text, ISSUED_ON))


@given(text=st.text(max_size=200))
def test_any_text_never_crashes(text: str) -> None:
    for due in find_dues(text, ISSUED_ON):
        assert due.kind in DUE_KINDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A time of day before the date, with a part of the day: the day itself is the last.
        ("báo cáo trước 9 giờ sáng ngày 20/10/2025", [("deadline", D(2025, 10, 20))]),
        ("gửi trước 14h30 chiều, ngày 20/10/2025", [("deadline", D(2025, 10, 20))]),
        # "(ngay) trong ngày X": by the end of that day.
        ("kêu gọi tàu thuyền vào bờ ngay trong ngày 19/10/2025", [("deadline", D(2025, 10, 19))]),
        ("báo cáo UBND tỉnh trong ngày 20/10/2025", [("deadline", D(2025, 10, 20))]),
        # ... but a bare "trong ngày X" without an asked action places an event.
        ("Đoàn kiểm tra làm việc trong ngày 25/10/2025 tại xã", []),
        # A period written without "ngày": its first and last day.
        (
            "Từ 01/12/2025 đến 31/12/2025",
            [("start", D(2025, 12, 1)), ("deadline", D(2025, 12, 31))],
        ),
        (
            "từ 7 giờ ngày 20/10/2025 đến 17 giờ ngày 21/10/2025",
            [("start", D(2025, 10, 20)), ("deadline", D(2025, 10, 21))],
        ),
        (
            "Thời gian thực hiện: từ tháng 12/2025 đến tháng 3/2026",
            [("start", D(2025, 12, 1)), ("deadline", D(2026, 3, 31))],
        ),
        # "vốn được giao" is an allocation, not a dated event: the date is the deadline.
        (
            "giải ngân 100% kế hoạch vốn được giao trước ngày 31/01/2026",
            [("deadline", D(2026, 1, 30))],
        ),
        # One day of a schedule that repeats: recurring, never a one-off date.
        ("báo cáo năm gửi về Sở trước ngày 10 tháng 12 hằng năm", [("recurring", None)]),
        ("gửi báo cáo trước ngày 05/12 hàng năm", [("recurring", None)]),
        # Not dates: round-the-clock duty, a two-day span, a monthly schedule without a month.
        ("tổ chức trực ban 24/24 giờ", []),
        ("tổ chức trong 02 ngày (từ ngày 10-11/12/2025)", []),
        ("báo cáo định kỳ hằng tháng (trước ngày 25)", [("recurring", None)]),
    ],
)
def test_dispatch_phrasings_of_other_provinces(
    text: str, expected: list[tuple[str, D | None]]
) -> None:
    assert dues(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "số liệu tính đến 31/10/2025",
        "cán bộ được bổ nhiệm trước ngày 01/7/2025",
        "lập danh sách cán bộ sinh trước ngày 01/01/1970",
        "những người đủ tuổi nghỉ hưu trong năm 2026",
        "Đề án giai đoạn 2021 - 2025, tầm nhìn đến năm 2030",
        "theo Quyết định số 1234/QĐ-UBND ngày 15/3/2025",
    ],
)
def test_conditions_and_references_stay_undated(text: str) -> None:
    assert not [d for d in dues(text) if d[1] is not None]
