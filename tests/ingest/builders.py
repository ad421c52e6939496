"""Build .docx and .pdf dispatches in memory, so tests and the benchmark need no binary fixtures.

The PDF writer is hand-written on purpose: a Type0 font with Identity-H encoding and a
ToUnicode map gives a real, extractable Vietnamese text layer with no extra dependency.
"""

from __future__ import annotations

import io
import random
import textwrap
import zlib
from collections.abc import Sequence
from pathlib import Path

import docx
import matplotlib
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from PIL import Image, ImageDraw, ImageFilter, ImageFont

_DEJAVU = Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")

# --- docx ---------------------------------------------------------------------------------------

_ABSTRACT_ID = "90"
_NUM_ID = "90"


def _add_decimal_numbering(document: docx.document.Document) -> str:
    """Define a "1." / "1.1." / "a)" multilevel list in numbering.xml; return its numId."""
    numbering = document.part.numbering_part.element
    levels = [("decimal", "%1."), ("decimal", "%1.%2."), ("lowerLetter", "%3)")]
    level_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{_ABSTRACT_ID}">'
        f'<w:multiLevelType w:val="multilevel"/>{level_xml}</w:abstractNum>'
    )
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{_NUM_ID}">'
        f'<w:abstractNumId w:val="{_ABSTRACT_ID}"/></w:num>'
    )
    # abstractNum elements must precede num elements in the schema.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return _NUM_ID


def _number(paragraph: docx.text.paragraph.Paragraph, num_id: str, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def _header(document: docx.document.Document, header: Sequence[tuple[str, str]]) -> None:
    """The two-column header table of a dispatch (issuer | motto and date)."""
    table = document.add_table(rows=len(header), cols=2)
    for row, (left, right) in zip(table.rows, header, strict=True):
        row.cells[0].text = left
        row.cells[1].text = right


def _bold(paragraph: docx.text.paragraph.Paragraph, text: str) -> None:
    paragraph.add_run(text).bold = True


def _restarted_list(document: docx.document.Document, num_id: str) -> str:
    """A new list on the same definition that Word restarts at 1 ("Restart Numbering")."""
    restarted = str(int(num_id) + 1)
    document.part.numbering_part.element.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{restarted}">'
            f'<w:abstractNumId w:val="{_ABSTRACT_ID}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    return restarted


def build_numbered_docx(
    header: Sequence[tuple[str, str]],
    preamble: Sequence[str],
    items: Sequence[tuple[int, str]],
    closing: Sequence[str] = (),
    *,
    restart_at: int | None = None,
) -> bytes:
    """A dispatch whose items use Word automatic numbering: (level, text) pairs. With
    ``restart_at``, the items from that index on are a second list Word restarts at 1."""
    document = docx.Document()
    _header(document, header)
    for text in preamble:
        document.add_paragraph(text)
    num_id = _add_decimal_numbering(document)
    restarted = _restarted_list(document, num_id) if restart_at is not None else num_id
    for index, (level, text) in enumerate(items):
        if index == restart_at:
            document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
            num_id = restarted
        paragraph = document.add_paragraph()
        _bold(paragraph, text.split(" ", 1)[0] + " ")
        paragraph.add_run(text.split(" ", 1)[1] if " " in text else "")
        _number(paragraph, num_id, level)
    for text in closing:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_table_docx(
    header: Sequence[tuple[str, str]],
    preamble: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    closing: Sequence[str] = (),
) -> bytes:
    """A plan whose tasks sit in a table (STT | Nội dung | Chủ trì | Phối hợp | Thời gian)."""
    document = docx.Document()
    _header(document, header)
    for text in preamble:
        document.add_paragraph(text)
    table = document.add_table(rows=1 + len(rows), cols=len(columns))
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    for text in closing:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_plain_docx(paragraphs: Sequence[str]) -> bytes:
    """Each text becomes one Word paragraph; "\\n" inside a text becomes a line break."""
    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for i, line in enumerate(text.split("\n")):
            if i:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- pdf ----------------------------------------------------------------------------------------

_LINES_PER_PAGE = 48


def _tounicode(codes: Sequence[int]) -> bytes:
    chunks = []
    ordered = list(codes)
    for start in range(0, len(ordered), 100):
        part = ordered[start : start + 100]
        body = "\n".join(f"<{c:04X}> <{c:04X}>" for c in part)
        chunks.append(f"{len(part)} beginbfchar\n{body}\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(chunks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def pdf_lines(text: str, width: int = 90) -> list[str]:
    """Lay text out as a PDF page does: paragraphs wrapped, no blank lines between them."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if paragraph.strip():
            lines += textwrap.wrap(paragraph, width) or [paragraph]
    return lines


def build_pdf(lines: Sequence[str], lines_per_page: int = _LINES_PER_PAGE) -> bytes:
    """A PDF whose text layer holds ``lines`` (one text line each, NFC Vietnamese)."""
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    codes = sorted({ord(c) for line in lines for c in line if ord(c) <= 0xFFFF})
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        packed = zlib.compress(data)
        head = f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n"
        return head.encode("ascii") + packed + b"\nendstream"

    catalog = add(b"")  # filled in at the end
    pages_id = add(b"")
    tounicode = add(stream(_tounicode(codes)))
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/DW 600 /CIDToGIDMap /Identity >>"
    )
    font = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H "
        f"/DescendantFonts [{descendant} 0 R] /ToUnicode {tounicode} 0 R >>".encode("ascii")
    )
    page_ids = []
    for page_lines in pages:
        ops = ["BT", "/F1 10 Tf", "12 TL", "50 800 Td"]
        for line in page_lines:
            hexed = "".join(f"{ord(c):04X}" for c in line if ord(c) <= 0xFFFF)
            ops.append(f"<{hexed}> Tj T*")
        ops.append("ET")
        content = add(stream("\n".join(ops).encode("ascii")))
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode(
                    "ascii"
                )
            )
        )
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects[pages_id - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\n"
    out.write(f"{trailer}startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


# --- scans (OCR input) --------------------------------------------------------------------------


def render_scan(text: str, *, degrade: bool = False, font_px: int = 28) -> Image.Image:
    """Draw dispatch text on a white page, as a scanner would deliver it.

    DejaVu Sans (shipped inside matplotlib) covers every Vietnamese letter. ``degrade``
    imitates a cheap office scan: a slight skew, a lower resolution, blur and speckle.
    """
    font = ImageFont.truetype(str(_DEJAVU), font_px)
    lines = text.split("\n")
    step = int(font_px * 1.45)
    width = 80 + max(int(font.getlength(line)) for line in lines) + 80
    image = Image.new("L", (width, 80 + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((80, 40 + n * step), line, font=font, fill=0)
    if degrade:
        image = image.rotate(0.8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        size = (int(image.width * 0.85), int(image.height * 0.85))
        image = image.resize(size, Image.Resampling.BILINEAR)
        image = image.filter(ImageFilter.GaussianBlur(0.7))
        speckle = random.Random(1)
        pixels = image.load()
        assert pixels is not None
        for _ in range(image.width * image.height // 80):
            xy = (speckle.randrange(image.width), speckle.randrange(image.height))
            pixels[xy] = speckle.choice((0, 128, 255))
    return image


def image_bytes(image: Image.Image, fmt: str, **options: object) -> bytes:
    """The image encoded as PNG, JPEG, ... or as a PDF page with no text layer."""
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()
