"""Task tables copied from a web page as one cell per line.

A portal's table pasted as text loses its grid: each cell becomes a line (blank cells a blank
line, or nothing), so columns cannot be counted. What stays is the shape: an index heading
("TT", "STT") and the column headings under it, then rows that each start with a line that
is only the row's number, counting 1, 2, 3 … A row runs to the next number; its cells are:

- a date alone ("21/01/2021", "07/02/2021 (chủ Nhật)"): the time column, when the headings
  name one (thời gian, thời hạn, hoàn thành);
- a count of days ("105 ngày") or a cited article in parentheses: not the task's text;
- a unit alone, when the headings name a lead column (chủ trì, đơn vị thực hiện): the lead;
- anything else: the task's text, in reading order (its first cell is the row's title).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.header import FOOTER
from ingest.items import TableRow, paragraphs
from ingest.text import one_line
from ingest.units import find_lead, unit_phrase

_INDEX = re.compile(r"^(?:STT|TT|Số TT|Số thứ tự)\.?$", re.I)
_CONTENT = re.compile(r"nội dung|nhiệm vụ|công việc", re.I)
_LEAD = re.compile(r"chủ trì|(?:cơ quan|đơn vị|bộ phận)\s+(?:thực hiện|phụ trách)", re.I)
_SUPPORT = re.compile(r"phối hợp", re.I)
_TIME = re.compile(r"thời gian|thời hạn|hoàn thành|tiến độ", re.I)
_ROW_NUMBER = re.compile(r"^(\d{1,3})\.?$")
_DATE_CELL = re.compile(
    r"^(?:ngày\s+)?\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{4})?\s*(?:\([^()]{0,20}\))?$", re.I
)
_NOT_TEXT = re.compile(r"^(?:\d+\s+ngày(?:\s+làm việc)?|\(.*\)\.?)$", re.I)
_MAX_HEADINGS = 8


def _headings(cells: Sequence[str]) -> tuple[bool, bool, bool] | None:
    """(lead, support, time) columns named by the headings, or None if no task table."""
    if not any(_CONTENT.search(c) for c in cells):
        return None
    lead = any(_LEAD.search(c) and not _SUPPORT.search(c) for c in cells)
    support = any(_SUPPORT.search(c) for c in cells)
    time = any(_TIME.search(c) for c in cells)
    return (lead, support, time) if lead or time else None


def _row(ref: str, cells: Sequence[str], columns: tuple[bool, bool, bool]) -> TableRow:
    has_lead, _, has_time = columns
    text: list[str] = []
    lead: tuple[str, ...] = ()
    time = ""
    for cell in cells:
        if has_time and _DATE_CELL.match(cell):
            time = re.sub(r"\s*\([^()]*\)$", "", cell)
            continue
        if _NOT_TEXT.match(cell):
            continue
        whole = unit_phrase(cell)
        if has_lead and not lead and text and whole and whole[1] >= len(cell.rstrip(" .;")):
            lead = (whole[0],)
            continue
        text.append(cell)
    if not lead:
        # No lead column: the unit a cell's sentence makes its subject.
        lead = next(filter(None, (find_lead(c, ()) for c in text[1:])), ())
    return TableRow(ref=ref, text=" ".join(text), lead=lead, support=(), time=time)


def lift_flat_tables(lines: list[str], tables: list[list[TableRow]]) -> list[str]:
    """``lines`` with each flat task table replaced by a table mark (appended to ``tables``)."""
    clean = [one_line(line) for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        found = _table_at(clean, i) if _INDEX.match(clean[i]) else None
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        rows, end = found
        out += ["", f"\x00TABLE{len(tables)}\x00", ""]
        tables.append(rows)
        i = end
    return out


def _table_at(clean: Sequence[str], start: int) -> tuple[list[TableRow], int] | None:
    cells = [c for c in clean[start + 1 : start + 1 + 3 * _MAX_HEADINGS] if c]
    first = next((n for n, c in enumerate(cells) if _ROW_NUMBER.match(c)), None)
    if first is None or first > _MAX_HEADINGS or cells[first].rstrip(".") != "1":
        return None
    columns = _headings(cells[:first])
    if columns is None:
        return None
    rows: list[TableRow] = []
    ref: str | None = None
    row_cells: list[str] = []
    expected = 1
    i = start + 1
    body_seen = 0
    while i < len(clean):
        line = clean[i]
        if FOOTER.match(line):
            break
        number = _ROW_NUMBER.match(line)
        if number and int(number.group(1)) == expected:
            if ref is not None:
                rows.append(_row(ref, paragraphs(row_cells), columns))
            ref, row_cells, expected = number.group(1), [], expected + 1
        elif ref is not None:
            # Blank lines stay: they part cells; a cell wrapped over lines (a PDF) is joined.
            if _DATE_CELL.match(line) or _NOT_TEXT.match(line):
                row_cells += ["", line, ""]  # a cell of its own, never a wrapped line
            else:
                row_cells.append(line)
            body_seen += bool(line)
        i += 1
    if ref is not None:
        rows.append(_row(ref, paragraphs(row_cells), columns))
    return (rows, i) if rows and body_seen else None
