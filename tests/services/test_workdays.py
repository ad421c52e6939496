"""The working calendar: Vietnam's public holidays, weekends and the office's exceptions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.settings import load_settings
from services.workdays import WorkingCalendar

CALENDAR = WorkingCalendar()
# Tết Đinh Mùi: mùng 1 is Saturday 06/02/2027. The package gives 04/02 (29 Tết) to 10/02
# (the two days after mùng 4 make up for the weekend inside the five days of Tết).
TET_2027 = date(2027, 2, 6)
FRIDAY_BEFORE_TET_2027 = date(2027, 2, 5)


def off(calendar: WorkingCalendar, day: date) -> bool:
    return not calendar.is_working_day(day)


@pytest.mark.parametrize(
    ("year", "tet", "gio_to"),
    [
        (2025, date(2025, 1, 29), date(2025, 4, 7)),
        (2026, date(2026, 2, 17), date(2026, 4, 26)),
        (2027, TET_2027, date(2027, 4, 16)),
    ],
)
def test_every_holiday_of_labour_code_article_112_is_a_day_off(
    year: int, tet: date, gio_to: date
) -> None:
    # Bộ luật Lao động 2019, Điều 112: Tết Dương lịch 01/01; Tết Âm lịch 5 days; Giỗ Tổ
    # Hùng Vương 10/3 âm lịch; 30/4; 01/5; Quốc khánh 02/9 and one day before or after it.
    names = {d.day: d.name for d in CALENDAR.non_working_days(year)}
    assert off(CALENDAR, date(year, 1, 1))
    assert "Tết Nguyên Đán" in (names[tet] or "")
    tet_days = [d for d in names if abs((d - tet).days) <= 5 and "Tết" in (names[d] or "")]
    assert len(tet_days) >= 5
    assert "Giỗ Tổ Hùng Vương" in (names[gio_to] or "")
    assert off(CALENDAR, date(year, 4, 30))
    assert off(CALENDAR, date(year, 5, 1))
    assert off(CALENDAR, date(year, 9, 2))
    assert off(CALENDAR, date(year, 9, 1)) or off(CALENDAR, date(year, 9, 3))


def test_tet_2027_starts_on_saturday_and_keeps_the_office_closed_to_10_february() -> None:
    assert TET_2027.weekday() == 5
    closed = [
        d for d in (date(2027, 2, 3) + timedelta(days=i) for i in range(10)) if off(CALENDAR, d)
    ]
    assert closed == [date(2027, 2, 4) + timedelta(days=i) for i in range(7)]


def test_a_holiday_on_a_weekend_gives_a_compensatory_day_off() -> None:
    # Giỗ Tổ 2026 is Sunday 26/04: Monday 27/04 is off instead.
    assert off(CALENDAR, date(2026, 4, 27))
    assert CALENDAR.holiday_name(date(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"


def test_a_saturday_worked_for_a_bridge_day_is_a_working_day() -> None:
    # 02/05/2025 was off in exchange for working Saturday 26/04/2025.
    assert off(CALENDAR, date(2025, 5, 2))
    assert CALENDAR.is_working_day(date(2025, 4, 26))


def test_previous_and_next_working_day_step_over_tet() -> None:
    assert CALENDAR.previous_working_day(date(2027, 2, 8)) == date(2027, 2, 3)
    assert CALENDAR.next_working_day(date(2027, 2, 8)) == date(2027, 2, 11)
    assert CALENDAR.next_working_day(date(2027, 2, 11)) == date(2027, 2, 11)


def test_five_working_days_from_the_friday_before_tet_2027() -> None:
    # Received Friday 05/02/2027 (itself a day off): 11, 12, 15, 16, 17 February.
    assert CALENDAR.add_working_days(FRIDAY_BEFORE_TET_2027, 5) == date(2027, 2, 17)


def test_working_days_count_backwards_too() -> None:
    assert CALENDAR.add_working_days(date(2027, 2, 11), -1) == date(2027, 2, 3)


def test_extra_days_off_from_the_settings_are_skipped() -> None:
    calendar = load_settings({"EXTRA_DAYS_OFF": "11/02/2027, 12/02/2027"}, env_file=None).calendar()
    assert calendar.add_working_days(FRIDAY_BEFORE_TET_2027, 5) == date(2027, 2, 19)


def test_extra_working_days_from_the_settings_are_counted() -> None:
    calendar = load_settings({"EXTRA_WORKING_DAYS": "13/02/2027"}, env_file=None).calendar()
    assert calendar.add_working_days(FRIDAY_BEFORE_TET_2027, 5) == date(2027, 2, 16)


def test_extra_working_day_wins_over_a_public_holiday() -> None:
    calendar = WorkingCalendar.build(extra_working_days=[date(2027, 2, 10)])
    assert calendar.is_working_day(date(2027, 2, 10))


def test_non_working_days_name_holidays_and_leave_weekends_unnamed() -> None:
    days = {
        d.day: d
        for d in WorkingCalendar.build(extra_days_off=[date(2027, 3, 8)]).non_working_days(2027)
    }
    assert days[date(2027, 1, 1)].name == "Tết Dương lịch"
    assert days[date(2027, 1, 2)].name is None  # a Saturday
    assert days[date(2027, 3, 8)].extra
    assert date(2027, 1, 4) not in days  # a Monday


def test_a_calendar_without_working_weekdays_does_not_loop() -> None:
    calendar = WorkingCalendar.build(weekdays=[], public_holidays=False)
    assert calendar.next_working_day(date(2027, 2, 8)) == date(2027, 2, 8)
    assert calendar.add_working_days(date(2027, 2, 8), 3) == date(2027, 2, 11)
