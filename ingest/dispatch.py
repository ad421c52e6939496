"""Assemble a ParsedDispatch from reader output (text lines and task tables)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.errors import IngestError
from ingest.flat_tables import lift_flat_tables
from ingest.header import footer_start, parse_header, parse_signer
from ingest.items import TABLE_MARK, TableRow, build_tasks, paragraphs
from ingest.model import ParsedDispatch
from ingest.text import normalize, one_line
from ingest.units import addressees


@dataclass(frozen=True, slots=True)
class Table:
    """A table as read from a document: rows of cell texts."""

    rows: tuple[tuple[str, ...], ...]


Block = str | Table

_CONTENT = re.compile(r"nội dung|nhiệm vụ|công việc", re.I)
# Lead column: "chủ trì" first; else "Đơn vị thực hiện" (never "Thời gian thực hiện").
_LEAD_COLS = (
    re.compile(r"chủ trì", re.I),
    re.compile(r"(?:cơ quan|đơn vị|bộ phận|người)\s+(?:thực hiện|phụ trách)|phân công", re.I),
)
_SUPPORT_COL = re.compile(r"phối hợp", re.I)
_TIME_COL = re.compile(r"thời gian|thời hạn|hoàn thành|tiến độ|hạn", re.I)
_INDEX_COL = re.compile(r"^(?:stt|tt|số tt|số thứ tự)$", re.I)
_ROW_REF = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.?$")


def _task_rows(table: Table) -> list[TableRow] | None:
    """Rows of a task table, or None when the table is not one (header or signature layout)."""
    for h, header in enumerate(table.rows[:3]):
        cells = [one_line(c) for c in header]
        content = next((i for i, c in enumerate(cells) if _CONTENT.search(c)), None)
        lead = next(
            (
                i
                for pattern in _LEAD_COLS
                for i, c in enumerate(cells)
                if pattern.search(c) and i != content and not _SUPPORT_COL.search(c)
            ),
            None,
        )
        if content is None:
            continue
        support = next(
            (i for i, c in enumerate(cells) if _SUPPORT_COL.search(c) and i != lead), None
        )
        taken = {content, lead, support}
        time = next(
            (i for i, c in enumerate(cells) if _TIME_COL.search(c) and i not in taken), None
        )
        index = next((i for i, c in enumerate(cells) if _INDEX_COL.match(c)), None)
        # A task table names who or when per row; "Nội dung" alone is prose laid out in cells.
        if lead is None and (time is None or index is None):
            continue
        rows: list[TableRow] = []
        for n, row in enumerate(table.rows[h + 1 :], start=1):
            cell = [one_line(c) for c in row] + [""] * (len(cells) - len(row))
            ref_text = cell[index] if index is not None else str(n)
            m = _ROW_REF.match(ref_text)
            if not m or not cell[content]:
                # Group rows ("I", "A", blank) and the column-number row ("(1)") are not tasks.
                continue

            def units(i: int | None, row: tuple[str, ...] = row) -> tuple[str, ...]:
                if i is None or i >= len(row):
                    return ()
                parts = re.split(r"\n+|;\s*", row[i])
                return tuple(x for x in (one_line(p).strip(" ,.-–•") for p in parts) if x)

            rows.append(
                TableRow(
                    ref=m.group(1),
                    text=cell[content],
                    lead=units(lead),
                    support=units(support),
                    time=cell[time] if time is not None else "",
                )
            )
        return rows
    return None


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _bare_cells(line: str) -> list[str] | None:
    """Cells of "STT | Nội dung | Chủ trì" (a table pasted without outer bars) or of a Word
    table copied as text (cells between tabs), else None."""
    sep = "|" if line.count("|") >= 2 else "\t" if line.strip(" ").count("\t") >= 2 else None
    if sep is None:
        return None
    cells = [c.strip() for c in line.strip(" \r").split(sep)]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells if len(cells) >= 3 else None


def _is_task_table(lines: Sequence[str]) -> bool:
    rows = tuple(tuple(normalize(c) for c in _bare_cells(line) or ()) for line in lines)
    return _task_rows(Table(rows)) is not None


def _bare_table_lines(lines: Sequence[str]) -> set[int]:
    """Lines of runs of at least two rows with the same number (≥ 3) of "|"-separated cells.

    A word processor's or portal's table copied as text keeps its column bars but not the
    outer ones; a two-column layout ("left | right") has fewer cells and is read cell by cell.
    """
    found: set[int] = set()
    run: list[int] = []
    width = 0
    for i, line in enumerate([*lines, ""]):
        cells = None if _PIPE_ROW.match(line) else _bare_cells(line)
        if cells is not None and (not run or len(cells) == width):
            run.append(i)
            width = len(cells)
            continue
        if len(run) >= 2 and ("|" in lines[run[0]] or _is_task_table([lines[k] for k in run])):
            # Tabs also separate a header's two columns ("UBND TỈNH X<tab><tab>CỘNG HÒA
            # ..."): a tab run is a table only when its columns say what, who or when.
            found.update(run)
        run, width = ([i], len(cells)) if cells is not None else ([], 0)
    return found


def _markdown_tables(text: str) -> list[Block]:
    """Split pasted text at markdown tables ("| STT | Nội dung | Chủ trì |") into blocks."""
    blocks: list[Block] = []
    plain: list[str] = []
    rows: list[tuple[str, ...]] = []
    all_lines = text.split("\n")
    bare = _bare_table_lines(all_lines)
    for n, line in enumerate(all_lines):
        if n in bare:
            if plain:
                blocks.append("\n".join(plain))
                plain = []
            rows.append(tuple(_bare_cells(line) or ()))
            continue
        if not _PIPE_ROW.match(line) and "|" in line:
            # A two-column layout pasted as "left | right |": one line per cell.
            cells = [c.strip() for c in line.split("|")]
            plain += [c for c in cells if c]
            continue
        if _PIPE_ROW.match(line):
            if plain:
                blocks.append("\n".join(plain))
                plain = []
            if not _PIPE_RULE.match(line):
                rows.append(tuple(cell.strip() for cell in line.strip().strip("|").split("|")))
            continue
        if rows:
            blocks.append(Table(tuple(rows)))
            rows = []
        plain.append(line)
    if rows:
        blocks.append(Table(tuple(rows)))
    if plain:
        blocks.append("\n".join(plain))
    return blocks


def _flatten(blocks: Sequence[Block]) -> tuple[list[str], list[list[TableRow]]]:
    lines: list[str] = []
    tables: list[list[TableRow]] = []
    expanded: list[Block] = []
    for block in blocks:
        tabular = isinstance(block, str) and ("|" in block or "\t" in block)
        expanded += _markdown_tables(block) if isinstance(block, str) and tabular else [block]
    for block in expanded:
        if isinstance(block, Table):
            block = Table(tuple(tuple(normalize(cell) for cell in row) for row in block.rows))
            rows = _task_rows(block)
            if rows is not None:
                lines += ["", f"\x00TABLE{len(tables)}\x00", ""]
                tables.append(rows)
                continue
            # Layout tables (header, signature): read cell by cell, row by row.
            for row in block.rows:
                for cell in row:
                    lines += [*normalize(cell).split("\n"), ""]
            continue
        lines += [*normalize(block).split("\n"), ""]
    return lift_flat_tables(lines, tables), tables


_APPENDIX_TITLE = re.compile(
    r"^(?:PHỤ LỤC|KẾ HOẠCH|CHƯƠNG TRÌNH|DANH MỤC|BẢNG PHÂN CÔNG|PHÂN CÔNG)\b"
)


def _appendix_start(lines: Sequence[str], footer: int) -> int:
    """Index of an attachment's title (or task table) after the signature block."""
    for i in range(footer, len(lines)):
        text = one_line(lines[i])
        if TABLE_MARK.match(text) or _APPENDIX_TITLE.match(text):
            return i
    return len(lines)


def _appendix(lines: Sequence[str], footer: int) -> list[str]:
    """Lines of an attachment after the signature block, from its title on; [] if none."""
    start = _appendix_start(lines, footer)
    if start >= len(lines):
        return []
    return list(lines[start : footer_start(lines, start + 1)])


def parse_blocks(
    blocks: Sequence[Block], *, received_on: datetime.date | None = None
) -> ParsedDispatch:
    """Parse reader output. ``received_on`` dates year-less deadlines when the text has no
    issue date (a pasted message); the dispatch's own date always wins."""
    lines, tables = _flatten(blocks)
    if not any(one_line(line) for line in lines):
        raise IngestError("empty")
    header = parse_header(lines)
    end = footer_start(lines, header.body_start)
    body = lines[header.body_start : end]
    if header.body_head:
        body = [header.body_head, *body]
    recipients = header.recipients
    if not recipients and header.is_article:
        # A news report names no "Kính gửi": the units its opening paragraphs ask to act are
        # the addressees (SCHEMA.md). A letter without the list has none.
        for para in paragraphs(body)[:3]:
            found = addressees(one_line(para))
            if found:
                recipients = (found,)
                break
    # A draft without its day still prints month and year; they place year-less deadlines
    # better than the day the text happened to arrive.
    reference_day = header.issued_on or header.month_of_issue or received_on
    tasks = build_tasks(body, tables, recipients, reference_day)
    appendix = _appendix(lines, end)
    # A decision's articles ("Điều 3. ... chịu trách nhiệm thi hành") say who executes it; the
    # work itself is in the plan it enacts, printed after the signature.
    articles_only = bool(tasks) and all(t.ref.startswith("Điều") for t in tasks)
    if appendix and (not tasks or articles_only or any(TABLE_MARK.match(x) for x in appendix)):
        # Tasks often sit after the signature: a "PHỤ LỤC" task table, or the plan a
        # decision approves ("KẾ HOẠCH ... ban hành kèm theo Quyết định ...").
        extra = build_tasks(appendix, tables, recipients, reference_day)
        numbered = any(not t.ref.startswith("p") for t in extra)
        if numbered and all(t.ref.startswith("p") for t in tasks):
            # Numbered items exist after all, so unnumbered body paragraphs are preamble.
            tasks = ()
        tasks = tasks + extra
    if not tasks:
        asks = re.search(r"\b(?:yêu cầu|đề nghị)\b", " ".join(body))
        official = header.looks_official or asks is not None
        raise IngestError("no_tasks" if official else "not_dispatch")
    signer_end = _appendix_start(lines, end)
    signer = None if header.is_article else parse_signer(lines[:signer_end], end)
    return ParsedDispatch(
        kind=header.kind,
        number=header.number,
        issuer=header.issuer,
        issued_on=header.issued_on,
        subject=header.subject,
        signer=signer,
        recipients=recipients,
        tasks=tasks,
        recipients_unsure=header.recipients_unsure,
    )


def parse_text(text: str, *, received_on: datetime.date | None = None) -> ParsedDispatch:
    """Parse dispatch text (a .txt file or a pasted message)."""
    return parse_blocks([text], received_on=received_on)
