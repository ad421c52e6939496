"""Dates typed by people: each form, year inference, relative forms, and the refusals."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import texts
from services.date_input import (
    DateInputError,
    find_user_date,
    parse_duration_days,
    parse_past_date,
    parse_user_date,
)
from services.workdays import WorkingCalendar

TODAY = date(2025, 10, 10)  # a Friday
DUE = date(2025, 10, 15)  # a Wednesday

FORMS = [
    ("20/10", date(2025, 10, 20)),
    ("20/10/2025", date(2025, 10, 20)),
    ("20-10-2025", date(2025, 10, 20)),
    ("20.10.2025", date(2025, 10, 20)),
    ("20/10/25", date(2025, 10, 20)),
    ("01/10 năm 2025", date(2025, 10, 1)),
    ("5/1/2026", date(2026, 1, 5)),
    ("05/01", date(2026, 1, 5)),  # already passed this year: next year
    ("10/10", date(2025, 10, 10)),  # today is not past
    ("ngày 20 tháng 10", date(2025, 10, 20)),
    ("ngay 20 thang 10", date(2025, 10, 20)),
    ("ngày 20 tháng 10 năm 2025", date(2025, 10, 20)),
    ("NGAY 20 THANG 10 NAM 2026", date(2026, 10, 20)),
    ("20 tháng 10", date(2025, 10, 20)),
    ("ngày 25", date(2025, 10, 25)),
    ("ngày 5", date(2025, 11, 5)),
    ("cuối tháng 11", date(2025, 11, 30)),
    ("cuoi thang 2", date(2026, 2, 28)),  # the next end of February that is not past
    ("cuối tháng 11/2026", date(2026, 11, 30)),
    ("cuối tháng", date(2025, 10, 31)),
    ("cuối tháng này", date(2025, 10, 31)),
    ("hết tháng", date(2025, 10, 31)),
    ("cuối tháng sau", date(2025, 11, 30)),
    ("cuối năm", date(2025, 12, 31)),
    ("cuoi nam", date(2025, 12, 31)),
    ("cuối quý", date(2025, 12, 31)),
    ("cuối quý 4", date(2025, 12, 31)),
    ("cuối quý IV", date(2025, 12, 31)),
    ("cuối quý 1", date(2026, 3, 31)),
    ("thứ sáu tuần này", date(2025, 10, 10)),
    ("thứ 6", date(2025, 10, 10)),
    ("thứ hai", date(2025, 10, 13)),
    ("thu 2 tuan sau", date(2025, 10, 13)),
    ("thứ sáu tuần sau", date(2025, 10, 17)),
    ("chủ nhật", date(2025, 10, 12)),
    ("5 ngày", date(2025, 10, 15)),
    ("thêm 5 ngày", date(2025, 10, 15)),
    ("them 5 ngay", date(2025, 10, 15)),
    ("ba ngày", date(2025, 10, 13)),
    ("5 ngày làm việc", date(2025, 10, 17)),
    ("1 tuần", date(2025, 10, 17)),
    ("2 tuần", date(2025, 10, 24)),
    ("hai tuan", date(2025, 10, 24)),
    ("tuần sau", date(2025, 10, 17)),
    ("tuan toi", date(2025, 10, 17)),
    ("1 tháng", date(2025, 11, 10)),
    ("nửa tháng", date(2025, 10, 25)),
    ("hôm nay", date(2025, 10, 10)),
    ("ngày mai", date(2025, 10, 11)),
    ("đến hết ngày 20/10 ạ", date(2025, 10, 20)),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_reads_form(text: str, expected: date) -> None:
    assert parse_user_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_reads_form_in_nfd(text: str, expected: date) -> None:
    assert parse_user_date(unicodedata.normalize("NFD", text), TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 ngày", date(2025, 10, 20)),
        ("thêm 1 tuần", date(2025, 10, 22)),
        ("5 ngày làm việc", date(2025, 10, 22)),
        ("1 tháng", date(2025, 11, 15)),
        ("20/10", date(2025, 10, 20)),  # absolute dates ignore the base
    ],
)
def test_relative_forms_count_from_base(text: str, expected: date) -> None:
    assert parse_user_date(text, TODAY, base=DUE) == expected


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert parse_user_date("1 tháng", TODAY, base=date(2026, 1, 31)) == date(2026, 2, 28)


def test_end_of_month_rolls_to_next_year_once_past() -> None:
    assert parse_user_date("cuối tháng 9", TODAY) == date(2026, 9, 30)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02", "31/02"),
        ("30/2/2025", "30/02/2025"),
        ("32/1", "32/01"),
        ("13/13", "13/13"),
        ("0/5", "00/05"),
        ("29/02/2025", "29/02/2025"),
        ("31/4", "31/04"),
        ("ngày 31 tháng 2", "31/02"),
    ],
)
def test_refuses_impossible_date(text: str, fragment: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_user_date(text, TODAY)
    assert caught.value.code == "not_a_date"
    assert caught.value.fragment == fragment


def test_leap_day_of_a_leap_year_is_a_date() -> None:
    assert parse_user_date("29/02/2028", TODAY) == date(2028, 2, 29)


@pytest.mark.parametrize("text", ["", "   ", "...", "\n"])
def test_refuses_empty(text: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_user_date(text, TODAY)
    assert caught.value.code == "empty"


@pytest.mark.parametrize("text", ["sớm nhất có thể", "2025", "abc", "từ ngày nghỉ"])
def test_refuses_unrecognised(text: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_user_date(text, TODAY)
    assert caught.value.code == "unrecognised"


def test_past_date_is_accepted_by_default() -> None:
    assert parse_user_date("01/10/2025", TODAY) == date(2025, 10, 1)


def test_past_date_is_refused_when_asked() -> None:
    with pytest.raises(DateInputError) as caught:
        parse_user_date("01/10/2025", TODAY, allow_past=False)
    assert caught.value.code == "in_the_past"
    assert caught.value.fragment == "01/10/2025"


def test_find_user_date_returns_none_instead_of_raising() -> None:
    assert find_user_date("31/02", TODAY) is None
    assert find_user_date("không rõ", TODAY) is None
    assert find_user_date("đến 20/10", TODAY) == date(2025, 10, 20)


@pytest.mark.parametrize(
    ("text", "days"),
    [("5 ngày", 5), ("thêm 3 ngay", 3), ("1 tuần", 7), ("hai tuần", 14), ("20/10", None)],
)
def test_parse_duration_days(text: str, days: int | None) -> None:
    assert parse_duration_days(text) == days


@pytest.mark.parametrize("code", ["empty", "unrecognised", "not_a_date", "in_the_past", "other"])
def test_every_error_code_has_a_vietnamese_message(code: str) -> None:
    message = texts.date_input_error(code, "31/02")
    assert "dd/mm/yyyy" in message
    assert unicodedata.normalize("NFC", message) == message


def test_not_a_date_message_names_the_date() -> None:
    assert texts.date_input_error("not_a_date", "31/02").startswith("Ngày 31/02 không tồn tại.")


def _outcome(text: str) -> str:
    try:
        parse_user_date(text, TODAY)
    except DateInputError as error:
        return error.code
    return "date"


@given(st.text(max_size=60))
def test_any_text_gives_a_date_or_a_known_error(text: str) -> None:
    assert _outcome(text) in {"date", "empty", "unrecognised", "not_a_date"}


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_numeric_full_date_round_trips(value: date) -> None:
    for separator in "/-.":
        text = f"{value.day}{separator}{value.month}{separator}{value.year}"
        assert parse_user_date(text, TODAY) == value


def test_working_days_skip_tet_2027() -> None:
    # From Friday 05/02/2027 (Tết closes the office 04/02 to 10/02): 11, 12, 15 February.
    assert parse_user_date("thêm 3 ngày làm việc", date(2027, 2, 3), base=date(2027, 2, 5)) == (
        date(2027, 2, 15)
    )


def test_working_days_skip_the_offices_extra_days_off() -> None:
    calendar = WorkingCalendar.build(extra_days_off=[date(2027, 2, 11)])
    on = parse_user_date(
        "thêm 3 ngày làm việc", date(2027, 2, 3), base=date(2027, 2, 5), calendar=calendar
    )
    assert on == date(2027, 2, 16)


def test_a_received_day_without_a_year_is_the_last_one_up_to_today() -> None:
    assert parse_past_date("20/12", date(2027, 1, 5)) == date(2026, 12, 20)
    assert parse_past_date("03/01", date(2027, 1, 5)) == date(2027, 1, 3)


def test_a_received_day_in_the_future_is_refused() -> None:
    with pytest.raises(DateInputError) as error:
        parse_past_date("20/01/2027", date(2027, 1, 5))
    assert error.value.code == "in_the_future"
    assert "20/01/2027" in texts.date_input_error(error.value.code, error.value.fragment)
