"""`nhacviec calendar [YEAR]`: the year's days off, holidays listed, weekends summarised."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nhacviec.calendar_report import calendar_report
from nhacviec.cli import main
from services.workdays import WorkingCalendar


def test_holidays_are_listed_with_date_weekday_and_name() -> None:
    report = calendar_report(WorkingCalendar(), 2027)
    assert "  06/02/2027  Thứ Bảy   Tết Nguyên Đán" in report
    assert "  03/05/2027  Thứ Hai   Ngày Quốc tế Lao động (nghỉ bù)" in report
    assert "Nghỉ hằng tuần: Thứ Bảy, Chủ nhật" in report
    assert "02/01/2027" not in report  # a plain Saturday is summarised, not listed


def test_extra_days_off_and_working_days_are_shown() -> None:
    calendar = WorkingCalendar.build(
        extra_days_off=[date(2027, 3, 8)], extra_working_days=[date(2027, 2, 13)]
    )
    report = calendar_report(calendar, 2027)
    assert "  08/03/2027  Thứ Hai   Ngày nghỉ theo EXTRA_DAYS_OFF" in report
    assert "13/02/2027 (Thứ Bảy)" in report


def test_the_command_prints_the_year_asked_for(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EXTRA_DAYS_OFF", "08/03/2027")
    assert main(["calendar", "2027"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Lịch nghỉ năm 2027")
    assert "08/03/2027" in out


def test_a_bad_extra_day_stops_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EXTRA_DAYS_OFF", "30/02/2027")
    assert main(["calendar", "2027"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi cấu hình: EXTRA_DAYS_OFF")
    assert "\n" not in err
