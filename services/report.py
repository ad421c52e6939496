"""The official report (/baocao) as a .docx laid out as Nghị định 30/2020/NĐ-CP asks.

Layout only: every word comes from the caller (bot.texts) in a :class:`ReportDocument`.
A4 portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 for
the text and the table, 14 for the title; the header block is a borderless two-column
table (issuing body and number on the left, national motto and place/date on the right);
the signature block sits on the right under the title of the person who signs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
TEXT_PT = 13
TITLE_PT = 14
SMALL_PT = 12
# STT, đơn vị, số nhiệm vụ, đúng hạn, quá hạn, đang thực hiện, quá hạn, ghi chú: 165 mm.
TABLE_WIDTHS_MM = (13, 48, 17, 19, 19, 17, 15, 17)


@dataclass(frozen=True, slots=True)
class ReportDocument:
    issuer: str  # the issuing body, upper case
    number_line: str  # "Số:      /BC-…", the number left blank for the clerk
    motto: tuple[str, str]  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
    place_date: str
    title: str
    subject: str  # trích yếu
    body: tuple[str, ...]
    table_headers: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]  # the last row is the total
    after_table: tuple[str, ...]  # a heading, then the overdue tasks
    recipients_heading: str
    recipients: tuple[str, ...]
    signer_title: str
    signer_name: str


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    size: int = TEXT_PT,
    bold: bool = False,
    italic: bool = False,
) -> None:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    # Word picks the East Asian slot for some Vietnamese letters: name the font there too.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _line(
    container: _Cell | DocxDocument,
    text: str,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: int = TEXT_PT,
    bold: bool = False,
    italic: bool = False,
    indent: bool = False,
) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(12.7)
        paragraph.paragraph_format.space_after = Pt(6)
    _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _first_line(cell: _Cell, text: str, **style: object) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, **style)  # type: ignore[arg-type]


def _no_borders(table: object) -> None:
    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = properties.first_child_found_in("w:tblBorders")
    if borders is not None:
        properties.remove(borders)


def _table(document: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _first_line(cell, header, size=SMALL_PT, bold=True)
    for index, values in enumerate(rows):
        total = index == len(rows) - 1
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT
                if column in (1, len(values) - 1)
                else WD_ALIGN_PARAGRAPH.CENTER
            )
            _run(paragraph, value, size=SMALL_PT, bold=total)
    if len(headers) == len(TABLE_WIDTHS_MM):
        _widths(table, TABLE_WIDTHS_MM)


def _widths(table: Any, millimetres: Sequence[int]) -> None:
    """Fixed column widths; Word reads the cells', LibreOffice the grid's."""
    table.autofit = False
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, millimetres, strict=True):
            cell.width = Mm(width)


def build_report(content: ReportDocument) -> bytes:
    """The .docx bytes of ``content``."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(TEXT_PT)  # type: ignore[attr-defined]

    header = document.add_table(rows=1, cols=2)
    _no_borders(header)
    _widths(header, (68, 97))
    left, right = header.rows[0].cells
    _first_line(left, content.issuer, size=SMALL_PT, bold=True)
    _line(left, "———", align=WD_ALIGN_PARAGRAPH.CENTER, size=SMALL_PT)
    _line(left, content.number_line, align=WD_ALIGN_PARAGRAPH.CENTER, size=TEXT_PT)
    _first_line(right, content.motto[0], size=SMALL_PT, bold=True)
    _line(right, content.motto[1], align=WD_ALIGN_PARAGRAPH.CENTER, size=TEXT_PT, bold=True)
    _line(right, "———————————", align=WD_ALIGN_PARAGRAPH.CENTER, size=SMALL_PT)
    _line(right, content.place_date, align=WD_ALIGN_PARAGRAPH.CENTER, italic=True)

    _line(document, "")
    _line(document, content.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, bold=True)
    _line(document, content.subject, align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, bold=True)
    _line(document, "————", align=WD_ALIGN_PARAGRAPH.CENTER)
    _line(document, "")
    for paragraph in content.body:
        _line(document, paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    _table(document, content.table_headers, content.table_rows)
    _line(document, "")
    for index, paragraph in enumerate(content.after_table):
        _line(document, paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, bold=index == 0)

    _line(document, "")
    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    _widths(closing, (80, 85))
    recipients, signature = closing.rows[0].cells
    heading = recipients.paragraphs[0]
    _run(heading, content.recipients_heading, size=SMALL_PT, bold=True, italic=True)
    for name in content.recipients:
        _line(recipients, name, size=11)
    _first_line(signature, content.signer_title, size=TEXT_PT, bold=True)
    for _ in range(4):
        _line(signature, "")
    _line(signature, content.signer_name, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
