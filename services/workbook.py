"""The /xuat workbook: one sheet by unit, one by dispatch, one row per assignment.

openpyxl's write-only mode streams rows to the file, so 100,000 assignments fit in a few
seconds and little memory. Column widths and the frozen header must be set before the
first row in that mode, so widths are measured on the rows first. Dates are real date
cells shown dd/mm/yyyy; completion times are local wall-clock times (Excel has no zones).
The headers come from the caller (bot.texts), like every other user-facing string.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from services.summaries import Category, Counts, DispatchRow, ExportRow, Summary, UnitRow

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0%"
MIN_WIDTH, MAX_WIDTH = 6, 60
# Width is measured on at most this many rows per column: enough to be right, cheap at 100k.
WIDTH_SAMPLE = 2000
CATEGORY_ORDER = tuple(Category)


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


# The keys a WorkbookLabels.columns mapping must name.
COLUMN_KEYS = (
    "unit",
    "dispatch_number",
    "dispatch_date",
    "dispatch_subject",
    "total",
    "extended",
    "assignment_id",
    "task_ref",
    "task_text",
    "due_on",
    "original_due_on",
    "status",
    "days_overdue",
    "done_at",
    "note",
)


class _Sheet:
    """A write-only sheet with a bold, frozen, filterable header and fitted widths."""

    def __init__(self, workbook: Workbook, title: str) -> None:
        self.sheet: WriteOnlyWorksheet = workbook.create_sheet(title=title[:31])
        self._bold = Font(bold=True)
        self._header_alignment = Alignment(wrap_text=True, vertical="center")

    def cell(self, value: Any, number_format: str | None = None) -> WriteOnlyCell | Any:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("="):
                # Document text is data, never a formula: "=..." would run in Excel.
                cell = WriteOnlyCell(self.sheet, value)
                cell.data_type = "s"
                return cell
            return value
        if number_format is not None and value is not None:
            cell = WriteOnlyCell(self.sheet, value)
            cell.number_format = number_format
            return cell
        return value

    def start(self, headers: Sequence[str], widths: Sequence[int], rows: int) -> None:
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        last = get_column_letter(len(headers))
        self.sheet.auto_filter.ref = f"A1:{last}{rows + 1}"
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, header)
            cell.font = self._bold
            cell.alignment = self._header_alignment
            header_cells.append(cell)
        self.sheet.append(header_cells)

    def append(self, values: Iterable[Any]) -> None:
        self.sheet.append(list(values))


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return 6
    return len(str(value))


def _widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    widths = [min(max(len(h) * 0.9, MIN_WIDTH), 28) for h in headers]
    for row in rows[:WIDTH_SAMPLE]:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _display_width(value) + 2)
    return [int(min(width, MAX_WIDTH)) for width in widths]


def _counts_values(counts: Counts) -> list[Any]:
    values: list[Any] = [counts.total]
    for category in CATEGORY_ORDER:
        count = counts.of(category)
        values += [count, count / counts.total if counts.total else 0.0]
    values.append(counts.extended)
    return values


def _counts_headers(labels: WorkbookLabels) -> list[str]:
    headers = [labels.columns["total"]]
    for category in CATEGORY_ORDER:
        label = labels.categories[category.value]
        headers += [label, labels.percent.format(label=label)]
    headers.append(labels.columns["extended"])
    return headers


def _write(
    sheet: _Sheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Mapping[int, str],
) -> None:
    sheet.start(headers, _widths(headers, rows), len(rows))
    for row in rows:
        sheet.append(sheet.cell(value, formats.get(index)) for index, value in enumerate(row))


def _unit_rows(rows: Sequence[UnitRow], total: Counts, labels: WorkbookLabels) -> list[list[Any]]:
    table = [[row.name, *_counts_values(row.counts)] for row in rows]
    table.append([labels.total_row, *_counts_values(total)])
    return table


def _dispatch_rows(
    rows: Sequence[DispatchRow], total: Counts, labels: WorkbookLabels
) -> list[list[Any]]:
    table = [
        [row.number or "", row.issued_on, row.subject or "", *_counts_values(row.counts)]
        for row in rows
    ]
    table.append([labels.total_row, None, "", *_counts_values(total)])
    return table


def _local(moment: datetime | None, tz: tzinfo) -> datetime | None:
    # Excel cells cannot hold a zone: write the office's wall-clock time.
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None)


def _assignment_rows(
    rows: Sequence[ExportRow], labels: WorkbookLabels, today: date, tz: tzinfo
) -> list[list[Any]]:
    table = []
    for row in rows:
        task = row.task
        days_overdue = (
            (today - task.due_on).days
            if row.category is Category.OVERDUE and task.due_on is not None
            else None
        )
        table.append(
            [
                task.assignment_id,
                task.dispatch_number or "",
                row.dispatch_issued_on,
                task.dispatch_subject or "",
                task.task_ref,
                task.task_text,
                task.unit_name,
                task.due_on,
                task.original_due_on,
                labels.categories[row.category.value],
                days_overdue,
                _local(row.done_at, tz),
                row.note or "",
            ]
        )
    return table


def build_workbook(
    summary: Summary,
    rows: Sequence[ExportRow],
    labels: WorkbookLabels,
    *,
    tz: tzinfo,
) -> bytes:
    """The .xlsx bytes: sheets by unit, by dispatch and every assignment in ``rows``."""
    workbook = Workbook(write_only=True)
    columns = labels.columns
    count_headers = _counts_headers(labels)
    # On the unit sheet: name, total, then (count, share) per category: shares at 3, 5, ...
    share_columns = {3 + 2 * i: PERCENT_FORMAT for i in range(len(CATEGORY_ORDER))}

    _write(
        _Sheet(workbook, labels.sheet_units),
        [columns["unit"], *count_headers],
        _unit_rows(summary.by_unit, summary.total, labels),
        share_columns,
    )
    _write(
        _Sheet(workbook, labels.sheet_dispatches),
        [
            columns["dispatch_number"],
            columns["dispatch_date"],
            columns["dispatch_subject"],
            *count_headers,
        ],
        _dispatch_rows(summary.by_dispatch, summary.total, labels),
        {1: DATE_FORMAT} | {index + 2: fmt for index, fmt in share_columns.items()},
    )
    _write(
        _Sheet(workbook, labels.sheet_assignments),
        [
            columns["assignment_id"],
            columns["dispatch_number"],
            columns["dispatch_date"],
            columns["dispatch_subject"],
            columns["task_ref"],
            columns["task_text"],
            columns["unit"],
            columns["due_on"],
            columns["original_due_on"],
            columns["status"],
            columns["days_overdue"],
            columns["done_at"],
            columns["note"],
        ],
        _assignment_rows(rows, labels, summary.today, tz),
        {2: DATE_FORMAT, 7: DATE_FORMAT, 8: DATE_FORMAT, 11: DATETIME_FORMAT},
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
