"""The /xuat workbook: one sheet by unit, one by dispatch, one row per assignment.

Written with XlsxWriter; openpyxl reads the result back in the tests.

What the sheets hold: a title (what, the caller's heading lines: which period, as of when),
an empty row, then a bold header row, frozen and with an auto-filter, and an STT column
(row numbers, none on the total row); real date cells
shown dd/mm/yyyy; completion times as local wall-clock times shown dd/mm/yyyy hh:mm
(Excel has no time zones); shares as percentages; text always written as text (never as
a formula, so "=..." from a document cannot run); column widths fitted to the data.
The headers come from the caller (bot.texts), like every other user-facing string.

The detail sheet (:data:`ASSIGNMENT_COLUMNS`) names each assignment's dispatch by its
number only: the dispatch's date and subject are on the by-dispatch sheet, once per
dispatch rather than once per assignment. The first deadline is shown only when an
extension moved it, days overdue only for overdue assignments.

Speed (100,000 assignments are about 820,000 cells; see benchmarks/summaries.py). Nearly
all the time is XlsxWriter's own work per cell (storing it, then writing its XML at
``close()``), so the levers are fewer cells and less work per cell:

- No empty cells, and no column that repeats another sheet (see above).
- ``in_memory`` mode. ``constant_memory`` (rows streamed to temporary files, inline
  strings) was measured too and takes about a quarter more CPU time; XlsxWriter ignores
  ``constant_memory`` when ``in_memory`` is set, so the two are not combined.
- Each column has one ``write_*`` method chosen up front: no cell goes through
  ``write()``'s type dispatch. Dates are written as what Excel stores, a serial day
  number with a date format (:func:`date_serial`, :func:`local_serial`), through
  ``write_number``: the same cell ``write_datetime`` makes, without its per-cell
  conversion (about 0.1 s at 100,000 assignments).
- Text is cleaned (:func:`clean_text`) only when ``str.isprintable()`` says it may need it.
- The cyclic garbage collector is paused while the workbook is built
  (:func:`services.summaries.collector_paused`): XlsxWriter keeps a small tuple per cell
  until ``close()``, and the collector would scan the growing heap again and again.
- Column widths use XlsxWriter's :func:`cell_autofit_width` on the first
  :data:`WIDTH_SAMPLE` rows: ``Worksheet.autofit()`` measures every cell (0.9 s more
  at 100,000 assignments for the same widths), and cannot cap a header's share of a width.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import cell_autofit_width, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from services.summaries import (
    Category,
    Counts,
    DispatchRow,
    ExportRow,
    Summary,
    UnitRow,
    collector_paused,
)

# Column widths in pixels (Calibri 11: 7 per digit; Excel's default column is 64).
MIN_WIDTH_PX, MAX_WIDTH_PX = 48, 420
# A header wraps onto a second line rather than widening its column beyond this.
HEADER_WIDTH_PX = 200
FILTER_BUTTON_PX = 16  # the auto-filter's drop-down arrow in each header cell
# Width is measured on at most this many rows per sheet: enough to be right, cheap at 100k.
WIDTH_SAMPLE = 2000
HEADER_HEIGHT = 32  # points: two lines, since Excel does not grow rows on opening
CATEGORY_ORDER = tuple(Category)
# Characters XML 1.0 forbids (document text extracted from .docx/.pdf may carry them):
# dropped, as they carry nothing a reader wants (XlsxWriter would keep them as _xHHHH_).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_OPTIONS = {
    "in_memory": True,
    # Only write() consults these (the cell writers below never call it); set anyway so no
    # future write() turns document text into a formula, a link or a number.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass(frozen=True, slots=True)
class WorkbookLabels:
    """Sheet names, column headers (by key, see :data:`COLUMN_KEYS`) and category names."""

    sheet_units: str
    sheet_dispatches: str
    sheet_assignments: str
    columns: Mapping[str, str]
    categories: Mapping[str, str]
    percent: str  # a format string with {label}: the header of a share column
    total_row: str
    title: str = "{sheet}"  # a format string with {sheet}: each sheet's first line
    timings: Mapping[str, str] = field(default_factory=dict)  # DueKind value → label


# The keys a WorkbookLabels.columns mapping must name.
COLUMN_KEYS = (
    "row_number",
    "unit",
    "support_units",
    "timing",
    "progress_note",
    "dispatch_number",
    "dispatch_date",
    "dispatch_subject",
    "total",
    "extended",
    "assignment_id",
    "task_ref",
    "period",
    "task_text",
    "due_on",
    "original_due_on",
    "status",
    "days_overdue",
    "done_at",
    "note",
)


class Kind:
    """What a column holds; it picks the cell writer and the number format.

    DATE and DATETIME cells hold Excel serial numbers (:func:`date_serial`,
    :func:`local_serial`): numbers that the date formats show as dates.
    """

    TEXT = "text"
    NUMBER = "number"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"


_NUMBER_FORMATS = {Kind.PERCENT: "0.0%", Kind.DATE: "dd/mm/yyyy", Kind.DATETIME: "dd/mm/yyyy hh:mm"}
# Pixel widths of the formatted values ("100.0%", "31/12/2025", "31/12/2025 23:59"),
# padding included.
_FIXED_WIDTHS = {
    kind: cell_autofit_width(sample)
    for kind, sample in (
        (Kind.PERCENT, "100.0%"),
        (Kind.DATE, "31/12/2025"),
        (Kind.DATETIME, "31/12/2025 23:59"),
    )
}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    return xl_col_to_name(index)


# Excel's day 0 (its serial numbers count days from 30 December 1899 for every date from
# 1 March 1900 on: Excel counts a 29 February 1900 that never was).
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()


def date_serial(day: date) -> int:
    """``day`` as Excel stores a date: a day number, shown as a date by its number format.

    What ``write_datetime`` computes, without its per-cell overhead (type checks, a
    datetime subtraction); valid from 1 March 1900, which every date here is.
    """
    return day.toordinal() - _EXCEL_EPOCH


def local_serial(moment: datetime, tz: tzinfo) -> float:
    """``moment`` (aware) as an Excel date and time: the wall-clock time in ``tz``.

    Excel cells hold no time zone, so the office's local time is written. The fraction is
    computed as XlsxWriter's ``write_datetime`` does, to the same float.
    """
    local = moment.astimezone(tz)
    seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    return local.toordinal() - _EXCEL_EPOCH + seconds / 86400


def clean_text(value: str | None) -> str | None:
    """``value`` without the characters an .xlsx cannot hold; None for no text."""
    if not value:
        return None
    # Most text is printable: skip the regex then.
    return value if value.isprintable() else _ILLEGAL.sub("", value) or None


@dataclass(frozen=True, slots=True)
class _SheetData:
    title: str
    headers: Sequence[str]
    kinds: Sequence[str]  # one Kind per column
    rows: Sequence[Sequence[Any]]  # None for an empty cell; text already cleaned


def _sheet_name(title: str) -> str:
    # Excel's rules: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def _value_width(kind: str, value: Any) -> int:
    """Pixels, with Excel's cell padding, as XlsxWriter's autofit() would count them."""
    if kind == Kind.TEXT:
        return cell_autofit_width(value)
    if kind == Kind.NUMBER:
        return cell_autofit_width(str(value))
    return _FIXED_WIDTHS[kind]


def _widths(sheet: _SheetData) -> list[int]:
    """Pixel widths: the widest value in the sample, the header up to HEADER_WIDTH_PX."""
    widths = [
        min(cell_autofit_width(header) + FILTER_BUTTON_PX, HEADER_WIDTH_PX)
        for header in sheet.headers
    ]
    for row in sheet.rows[:WIDTH_SAMPLE]:
        for index, value in enumerate(row):
            if value is not None:
                widths[index] = max(widths[index], _value_width(sheet.kinds[index], value))
    return [min(max(width, MIN_WIDTH_PX), MAX_WIDTH_PX) for width in widths]


CellWriter = Callable[[int, int, Any, Format | None], int]


def _writers(sheet: Worksheet, kinds: Sequence[str]) -> list[CellWriter]:
    by_kind: dict[str, CellWriter] = {
        Kind.TEXT: sheet.write_string,
        Kind.NUMBER: sheet.write_number,
        Kind.PERCENT: sheet.write_number,
        Kind.DATE: sheet.write_number,
        Kind.DATETIME: sheet.write_number,
    }
    return [by_kind[kind] for kind in kinds]


@dataclass(frozen=True, slots=True)
class _Formats:
    header: Format
    title: Format
    heading: Format
    cells: Mapping[str, Format]


def _write_sheet(
    workbook: Workbook,
    data: _SheetData,
    formats: _Formats,
    *,
    title: str,
    heading: Sequence[str],
) -> None:
    """The title and heading lines, an empty row, the header, then the rows.

    The title lines are not counted in the widths: their text runs on over the empty cells to
    their right, as a title at the top of an office's table does.
    """
    sheet = workbook.add_worksheet(_sheet_name(data.title))
    sheet.write_string(0, 0, title, formats.title)
    for line, text in enumerate(heading, start=1):
        sheet.write_string(line, 0, text, formats.heading)
    top = len(heading) + 2  # the header row, after the title, the heading and an empty row
    for index, width in enumerate(_widths(data)):
        sheet.set_column_pixels(index, index, width)
    sheet.freeze_panes(top + 1, 0)
    sheet.set_row(top, HEADER_HEIGHT)
    sheet.autofilter(top, 0, top + len(data.rows), len(data.headers) - 1)
    for col, header in enumerate(data.headers):
        sheet.write_string(top, col, header, formats.header)
    writers = _writers(sheet, data.kinds)
    cell_formats = [formats.cells.get(kind) for kind in data.kinds]
    cells = list(enumerate(zip(writers, cell_formats, strict=True)))
    for line, row in enumerate(data.rows, start=top + 1):
        for col, (write, cell_format) in cells:
            value = row[col]
            if value is not None:
                write(line, col, value, cell_format)


def _counts_values(counts: Counts) -> list[Any]:
    values: list[Any] = [counts.total]
    for category in CATEGORY_ORDER:
        count = counts.of(category)
        values += [count, count / counts.total if counts.total else 0.0]
    values.append(counts.extended)
    return values


def _counts_columns(labels: WorkbookLabels) -> tuple[list[str], list[str]]:
    headers = [labels.columns["total"]]
    kinds = [Kind.NUMBER]
    for category in CATEGORY_ORDER:
        label = labels.categories[category.value]
        headers += [label, labels.percent.format(label=label)]
        kinds += [Kind.NUMBER, Kind.PERCENT]
    headers.append(labels.columns["extended"])
    kinds.append(Kind.NUMBER)
    return headers, kinds


def _unit_rows(rows: Sequence[UnitRow], total: Counts, labels: WorkbookLabels) -> list[list[Any]]:
    table = [
        [number, clean_text(row.name), *_counts_values(row.counts)]
        for number, row in enumerate(rows, start=1)
    ]
    table.append([None, labels.total_row, *_counts_values(total)])
    return table


def _dispatch_rows(
    rows: Sequence[DispatchRow], total: Counts, labels: WorkbookLabels
) -> list[list[Any]]:
    table = [
        [
            number,
            clean_text(row.number),
            None if row.issued_on is None else date_serial(row.issued_on),
            clean_text(row.subject),
            *_counts_values(row.counts),
        ]
        for number, row in enumerate(rows, start=1)
    ]
    table.append([None, labels.total_row, None, None, *_counts_values(total)])
    return table


# The detail sheet's columns (keys of WorkbookLabels.columns) and what each holds, in the
# order _assignment_rows builds its rows.
ASSIGNMENT_COLUMNS = (
    ("row_number", Kind.NUMBER),
    ("assignment_id", Kind.NUMBER),
    ("dispatch_number", Kind.TEXT),
    ("task_ref", Kind.TEXT),
    ("period", Kind.TEXT),
    ("task_text", Kind.TEXT),
    ("unit", Kind.TEXT),
    ("support_units", Kind.TEXT),
    ("due_on", Kind.DATE),
    ("timing", Kind.TEXT),
    ("original_due_on", Kind.DATE),
    ("status", Kind.TEXT),
    ("days_overdue", Kind.NUMBER),
    ("done_at", Kind.DATETIME),
    ("note", Kind.TEXT),
    ("progress_note", Kind.TEXT),
)


def _assignment_rows(
    rows: Sequence[ExportRow], labels: WorkbookLabels, today: date, tz: tzinfo
) -> list[tuple[Any, ...]]:
    """The detail sheet's cell values, one tuple per row in :data:`ASSIGNMENT_COLUMNS` order."""
    status = {category.value: labels.categories[category.value] for category in Category}
    overdue = Category.OVERDUE.value
    today_serial = date_serial(today)
    table = []
    for number, (
        assignment_id,
        dispatch_number,
        task_ref,
        task_text,
        unit_name,
        due_on,
        original_due_on,
        category,
        done_at,
        note,
        support_units,
        timing,
        progress_at,
        progress_note,
        period_key,
    ) in enumerate(rows, start=1):
        due = None if due_on is None else date_serial(due_on)
        table.append(
            (
                number,
                assignment_id,
                clean_text(dispatch_number),
                clean_text(task_ref),
                period_key,
                clean_text(task_text),
                clean_text(unit_name),
                clean_text(support_units),
                due,
                None if timing is None else labels.timings.get(timing, timing),
                None if original_due_on is None else date_serial(original_due_on),
                status[category],
                today_serial - due if category == overdue and due is not None else None,
                None if done_at is None else local_serial(done_at, tz),
                clean_text(note),
                _progress(progress_at, progress_note, tz),
            )
        )
    return table


def _progress(at: datetime | None, note: str | None, tz: tzinfo) -> str | None:
    """The latest progress note, dated: "05/01: đang tổng hợp, 60%"."""
    text = clean_text(note)
    if text is None or at is None:
        return text
    return f"{at.astimezone(tz):%d/%m}: {text}"


def build_workbook(
    summary: Summary,
    rows: Sequence[ExportRow],
    labels: WorkbookLabels,
    *,
    tz: tzinfo,
    heading: Sequence[str] = (),
) -> bytes:
    """The .xlsx bytes: sheets by unit, by dispatch and every assignment in ``rows``.

    Each sheet opens with ``labels.title`` and the ``heading`` lines (which period, as of
    when: the caller words them).
    """
    with collector_paused():
        return _build(summary, rows, labels, tz, heading)


def _build(
    summary: Summary,
    rows: Sequence[ExportRow],
    labels: WorkbookLabels,
    tz: tzinfo,
    heading: Sequence[str],
) -> bytes:
    columns = labels.columns
    count_headers, count_kinds = _counts_columns(labels)
    sheets = [
        _SheetData(
            labels.sheet_units,
            [columns["row_number"], columns["unit"], *count_headers],
            [Kind.NUMBER, Kind.TEXT, *count_kinds],
            _unit_rows(summary.by_unit, summary.total, labels),
        ),
        _SheetData(
            labels.sheet_dispatches,
            [
                columns["row_number"],
                columns["dispatch_number"],
                columns["dispatch_date"],
                columns["dispatch_subject"],
                *count_headers,
            ],
            [Kind.NUMBER, Kind.TEXT, Kind.DATE, Kind.TEXT, *count_kinds],
            _dispatch_rows(summary.by_dispatch, summary.total, labels),
        ),
        _SheetData(
            labels.sheet_assignments,
            [columns[key] for key, _ in ASSIGNMENT_COLUMNS],
            [kind for _, kind in ASSIGNMENT_COLUMNS],
            _assignment_rows(rows, labels, summary.today, tz),
        ),
    ]
    buffer = io.BytesIO()
    workbook = Workbook(buffer, _OPTIONS)
    formats = _Formats(
        header=workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"}),
        title=workbook.add_format({"bold": True, "font_size": 14}),
        heading=workbook.add_format({"italic": True}),
        cells={
            kind: workbook.add_format({"num_format": number_format})
            for kind, number_format in _NUMBER_FORMATS.items()
        },
    )
    for sheet in sheets:
        _write_sheet(
            workbook,
            sheet,
            formats,
            title=labels.title.format(sheet=sheet.title),
            heading=heading,
        )
    workbook.close()
    return buffer.getvalue()
