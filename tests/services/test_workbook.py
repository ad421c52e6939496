"""The /xuat workbook, read back with openpyxl: sheets, totals, frozen header, real dates."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter import Workbook as XlsxWorkbook

from bot import texts
from bot.handlers.summaries import WORKBOOK_LABELS
from services.summaries import Category, Counts, DispatchRow, ExportRow, Summary, UnitRow
from services.workbook import (
    ASSIGNMENT_COLUMNS,
    COLUMN_KEYS,
    build_workbook,
    column_letter,
    date_serial,
    local_serial,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2025, 10, 15)
HEADING = ["Kỳ báo cáo: văn bản ban hành từ 01/10/2025", "Số liệu tính đến 08:00 ngày 15/10/2025."]
# Row 1 the title, 2–3 the heading, 4 empty, 5 the column headers, data from row 6.
HEADER = len(HEADING) + 3
FIRST = HEADER + 1


def row(
    assignment_id: int,
    unit: str,
    due: date | None,
    category: Category,
    *,
    text: str = "Báo cáo",
    original: date | None = None,
    done_at: datetime | None = None,
    note: str | None = None,
    support: str | None = None,
    timing: str | None = None,
    progress: tuple[datetime, str] | None = None,
) -> ExportRow:
    return ExportRow(
        assignment_id=assignment_id,
        dispatch_number="14-CV/TU",
        task_ref=str(assignment_id),
        task_text=text,
        unit_name=unit,
        due_on=due,
        original_due_on=original,
        category=category.value,
        done_at=done_at,
        note=note,
        support_units=support,
        timing=timing,
        progress_at=progress[0] if progress else None,
        progress_note=progress[1] if progress else None,
    )


def column(sheet: Worksheet, key: str) -> str:
    """The letter of the column headed by ``texts.WORKBOOK_COLUMNS[key]``."""
    headers = [cell.value for cell in sheet[HEADER]]
    return column_letter(headers.index(texts.WORKBOOK_COLUMNS[key]))


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
        row(
            1,
            "Sở Nội vụ",
            date(2025, 10, 10),
            Category.DONE_ON_TIME,
            original=date(2025, 10, 3),
            done_at=datetime(2025, 10, 9, 3, 30, tzinfo=UTC),
            note='=HYPERLINK("http://x")',
        ),
        row(
            2,
            "Sở Nội vụ",
            date(2025, 10, 5),
            Category.OVERDUE,
            text="Nội dung\x0bcó ký tự lạ",
            support="Sở Tài chính; Sở Xây dựng",
            progress=(datetime(2025, 10, 13, 2, tzinfo=UTC), "Đang tổng hợp, 60%"),
        ),
        row(3, "Sở Tài chính", None, Category.NO_DEADLINE, timing="recurring"),
    ]
    data = build_workbook(summary, rows, WORKBOOK_LABELS, tz=TZ, heading=HEADING)
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
    rows = list(sheet.iter_rows(min_row=HEADER, values_only=True))
    assert rows[0][:4] == ("STT", "Đơn vị chủ trì", "Tổng số nhiệm vụ", "Hoàn thành đúng hạn")
    assert rows[1][:4] == (1, "Sở Nội vụ", 2, 1)
    assert rows[1][4] == pytest.approx(0.5)
    assert rows[-1][:3] == (None, texts.WORKBOOK_TOTAL_ROW, 3)
    assert sheet[f"E{FIRST}"].number_format == "0.0%"


def test_every_sheet_opens_with_a_title_the_period_and_the_time(workbook: Workbook) -> None:
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == texts.WORKBOOK_TITLE.format(sheet=sheet.title)
        assert sheet["A1"].font.bold
        assert [sheet["A2"].value, sheet["A3"].value] == HEADING
        assert sheet["A4"].value is None


def test_rows_are_numbered_but_not_the_total(workbook: Workbook) -> None:
    details = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    numbers = [r[0] for r in details.iter_rows(min_row=FIRST, values_only=True)]
    assert numbers == [1, 2, 3]
    units = workbook[texts.WORKBOOK_SHEET_UNITS]
    assert [r[0] for r in units.iter_rows(min_row=FIRST, values_only=True)] == [1, 2, None]


def test_details_show_support_units_undated_timing_and_latest_progress(
    workbook: Workbook,
) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    second, third = FIRST + 1, FIRST + 2
    assert sheet[f"{column(sheet, 'support_units')}{second}"].value == ("Sở Tài chính; Sở Xây dựng")
    assert sheet[f"{column(sheet, 'timing')}{third}"].value == "Thường xuyên"
    assert sheet[f"{column(sheet, 'due_on')}{third}"].value is None
    # 02:00 UTC on 13/10 is 09:00 that day in Hồ Chí Minh City.
    assert sheet[f"{column(sheet, 'progress_note')}{second}"].value == "13/10: Đang tổng hợp, 60%"
    assert sheet[f"{column(sheet, 'progress_note')}{FIRST}"].value is None


def test_an_after_event_timing_reads_as_waiting_for_a_document() -> None:
    summary = Summary(today=TODAY, total=Counts(no_deadline=1), by_unit=(), by_dispatch=())
    rows = [row(1, "Sở Nội vụ", None, Category.NO_DEADLINE, timing="after_event")]
    book = load_workbook(io.BytesIO(build_workbook(summary, rows, WORKBOOK_LABELS, tz=TZ)))
    sheet = book[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    header = 3  # no heading lines: title, empty row, header
    headers = [cell.value for cell in sheet[header]]
    timing = headers.index(texts.WORKBOOK_COLUMNS["timing"]) + 1
    assert sheet.cell(row=header + 1, column=timing).value == "Chờ văn bản/sự kiện"


def test_headers_are_frozen_and_bold(workbook: Workbook) -> None:
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == f"A{FIRST}"
        assert sheet[f"A{HEADER}"].font.bold


def test_dates_are_date_cells(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    due = sheet[f"{column(sheet, 'due_on')}{FIRST}"]
    assert due.is_date
    assert due.value.date() == date(2025, 10, 10)  # openpyxl reads dates back as datetimes
    assert due.number_format == "dd/mm/yyyy"
    done_at = sheet[f"{column(sheet, 'done_at')}{FIRST}"]
    assert done_at.is_date
    # Wall-clock time in Hồ Chí Minh City: 03:30 UTC is 10:30 there.
    assert done_at.value.isoformat() == "2025-10-09T10:30:00"
    assert done_at.number_format == "dd/mm/yyyy hh:mm"
    assert workbook[texts.WORKBOOK_SHEET_DISPATCHES][f"C{FIRST}"].is_date


@pytest.mark.parametrize(
    "moment",
    [
        date(1900, 3, 1),
        date(2025, 10, 15),
        datetime(2025, 10, 9, 3, 30, tzinfo=UTC),
        datetime(2025, 12, 31, 16, 59, 59, 999_999, tzinfo=UTC),
        datetime(2099, 2, 28, 23, 0, 1, 250_000, tzinfo=UTC),
    ],
)
def test_serials_are_what_write_datetime_writes(moment: date) -> None:
    """The serial numbers written for dates are exactly XlsxWriter's own conversion."""
    buffer = io.BytesIO()
    book = XlsxWorkbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    if isinstance(moment, datetime):
        sheet.write_datetime(0, 0, moment.astimezone(TZ).replace(tzinfo=None))
        sheet.write_number(0, 1, local_serial(moment, TZ))
    else:
        sheet.write_datetime(0, 0, moment)
        sheet.write_number(0, 1, date_serial(moment))
    book.close()
    with zipfile.ZipFile(buffer) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    theirs, ours = re.findall(r"<v>([^<]*)</v>", xml)
    assert ours == theirs


def test_every_assignment_with_its_status(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    rows = list(sheet.iter_rows(min_row=FIRST, values_only=True))
    keys = [key for key, _ in ASSIGNMENT_COLUMNS]
    status, days = keys.index("status"), keys.index("days_overdue")
    assert [row[1] for row in rows] == [1, 2, 3]
    assert rows[1][status] == "Quá hạn chưa hoàn thành"
    assert rows[1][days] == 10
    assert [row[days] for row in (rows[0], rows[2])] == [None, None]  # not overdue: empty


def test_details_name_the_dispatch_by_number_only(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    headers = [cell.value for cell in sheet[HEADER]]
    assert headers == [texts.WORKBOOK_COLUMNS[key] for key, _ in ASSIGNMENT_COLUMNS]
    assert headers[0] == "STT"
    assert texts.WORKBOOK_COLUMNS["dispatch_number"] in headers
    # Date and subject are on the by-dispatch sheet, once per dispatch.
    assert texts.WORKBOOK_COLUMNS["dispatch_date"] not in headers
    assert texts.WORKBOOK_COLUMNS["dispatch_subject"] not in headers


def test_first_deadline_only_when_extended(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    original = column(sheet, "original_due_on")
    assert sheet[f"{original}{FIRST}"].value.date() == date(2025, 10, 3)
    assert sheet[f"{original}{FIRST}"].number_format == "dd/mm/yyyy"
    assert sheet[f"{original}{FIRST + 1}"].value is None


def test_document_text_is_never_a_formula(workbook: Workbook) -> None:
    sheet = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    note = sheet[f"{column(sheet, 'note')}{FIRST}"]
    assert note.data_type == "s"
    assert note.value == '=HYPERLINK("http://x")'
    assert sheet[f"{column(sheet, 'task_text')}{FIRST + 1}"].value == "Nội dungcó ký tự lạ"


def test_columns_are_wide_enough(workbook: Workbook) -> None:
    details = workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS]
    assert details.column_dimensions[column(details, "due_on")].width >= 10
    dispatches = workbook[texts.WORKBOOK_SHEET_DISPATCHES]
    subject = column(dispatches, "dispatch_subject")
    assert dispatches.column_dimensions[subject].width >= len("V/v báo cáo")


def test_header_has_a_filter(workbook: Workbook) -> None:
    last = column_letter(len(ASSIGNMENT_COLUMNS) - 1)
    ref = f"A{HEADER}:{last}{HEADER + 3}"
    assert workbook[texts.WORKBOOK_SHEET_ASSIGNMENTS].auto_filter.ref == ref


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index: int, letter: str) -> None:
    assert column_letter(index) == letter
