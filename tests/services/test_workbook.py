"""The /xuat workbook, read back with openpyxl: sheets, totals, frozen header, real dates."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from bot import texts
from bot.handlers.summaries import WORKBOOK_LABELS
from services.summaries import (
    Category,
    Counts,
    DispatchRow,
    ExportRow,
    Summary,
    TaskLine,
    UnitRow,
)
from services.workbook import COLUMN_KEYS, build_workbook, column_letter

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2025, 10, 15)


def line(assignment_id: int, unit: str, due: date | None, text: str = "Báo cáo") -> TaskLine:
    return TaskLine(
        assignment_id=assignment_id,
        unit_id=1 if unit == "Sở Nội vụ" else 2,
        unit_name=unit,
        dispatch_id=7,
        dispatch_kind="cong_van",
        dispatch_number="14-CV/TU",
        dispatch_subject="V/v báo cáo",
        task_ref=str(assignment_id),
        task_text=text,
        status="open",
        due_on=due,
        original_due_on=due,
    )


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    noi_vu = Counts(done_on_time=1, overdue=1)
    tai_chinh = Counts(in_progress=1)
    summary = Summary(
        today=TODAY,
        total=noi_vu + tai_chinh,
        by_unit=(UnitRow(1, "Sở Nội vụ", noi_vu), UnitRow(2, "Sở Tài chính", tai_chinh)),
        by_dispatch=(
            DispatchRow(
                7, "cong_van", "14-CV/TU", "V/v báo cáo", date(2025, 10, 1), noi_vu + tai_chinh
            ),
        ),
    )
    rows = [
        ExportRow(
            line(1, "Sở Nội vụ", date(2025, 10, 10)),
            date(2025, 10, 1),
            Category.DONE_ON_TIME,
            datetime(2025, 10, 9, 3, 30, tzinfo=UTC),
            date(2025, 10, 9),
            '=HYPERLINK("http://x")',
        ),
        ExportRow(
            line(2, "Sở Nội vụ", date(2025, 10, 5), "Nội dung\x0bcó ký tự lạ"),
            date(2025, 10, 1),
            Category.OVERDUE,
            None,
            None,
            None,
        ),
        ExportRow(
            line(3, "Sở Tài chính", date(2025, 10, 20)),
            date(2025, 10, 1),
            Category.IN_PROGRESS,
            None,
            None,
            None,
        ),
    ]
    data = build_workbook(summary, rows, WORKBOOK_LABELS, tz=TZ)
    return load_workbook(io.BytesIO(data))


def test_labels_name_every_column() -> None:
    assert set(COLUMN_KEYS) <= set(texts.WORKBOOK_COLUMNS)


def test_a_sheet_per_view(workbook: Workbook) -> None:
    assert workbook.sheetnames == [
        texts.WORKBOOK_SHEET_UNITS,
        texts.WORKBOOK_SHEET_DISPATCHES,
        texts.WORKBOOK_SHEET_ASSIGNMENTS,
    ]


def test_unit_sheet_totals(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_UNITS]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Đơn vị chủ trì", "Tổng số nhiệm vụ", "Hoàn thành đúng hạn")
    assert rows[1][:3] == ("Sở Nội vụ", 2, 1)
    assert rows[1][3] == pytest.approx(0.5)
    assert rows[-1][:2] == (texts.WORKBOOK_TOTAL_ROW, 3)
    assert sheet["D2"].number_format == "0.0%"


def test_headers_are_frozen_and_bold(workbook: Workbook) -> None:
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold


def test_dates_are_date_cells(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    due = sheet["H2"]
    assert due.is_date
    assert due.value.date() == date(2025, 10, 10)  # openpyxl reads dates back as datetimes
    assert due.number_format == "dd/mm/yyyy"
    done_at = sheet["L2"]
    # Wall-clock time in Hồ Chí Minh City: 03:30 UTC is 10:30 there.
    assert done_at.value.isoformat() == "2025-10-09T10:30:00"
    assert done_at.number_format == "dd/mm/yyyy hh:mm"
    assert workbook[texts.WORKBOOK_SHEET_DISPATCHES]["B2"].is_date


def test_every_assignment_with_its_status(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [1, 2, 3]
    assert rows[1][9] == "Quá hạn chưa hoàn thành"
    assert rows[1][10] == 10  # days overdue


def test_document_text_is_never_a_formula(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    assert sheet["M2"].data_type == "s"
    assert sheet["M2"].value == '=HYPERLINK("http://x")'
    assert sheet["F3"].value == "Nội dungcó ký tự lạ"


def test_columns_are_wide_enough(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    assert sheet.column_dimensions["H"].width >= 10
    assert sheet.column_dimensions["D"].width >= len("V/v báo cáo")


def test_header_has_a_filter(workbook: Workbook) -> None:
    assert workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS].auto_filter.ref == "A1:M4"


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index: int, letter: str) -> None:
    assert column_letter(index) == letter
