"""The sample dispatch of the demo, as .docx and .pdf, built in memory.

The PDF writer is hand-written on purpose: a Type0 font with Identity-H encoding and a
ToUnicode map gives a real, extractable Vietnamese text layer with no extra dependency. The
tests build their PDFs with it too (``tests.ingest.builders``).
"""

from __future__ import annotations

import io
import textwrap
import zlib
from collections.abc import Sequence

import docx

__all__ = ["build_pdf", "build_plain_docx", "pdf_lines"]


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
