"""Bytes → text blocks: plain text, .docx (with Word numbering and tables), .pdf, OCR, .doc.

Every failure becomes an IngestError with a code; no reader lets a library traceback escape.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ingest.dispatch import Block, Table
from ingest.errors import IngestError

_ZIP = b"PK\x03\x04"
_PDF = b"%PDF"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")
_TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text", ""}
_OCR_TIMEOUT = 120


def read_blocks(data: bytes, filename: str) -> list[Block]:
    """Choose a reader by magic bytes first (names lie), then by extension."""
    extension = Path(filename).suffix.lower()
    head = data[:8]
    if head.startswith(_ZIP):
        if not _is_docx(data):
            # A spreadsheet, slides or an archive: a valid file of a kind we do not read.
            raise IngestError("unsupported", extension=extension)
        return read_docx(data)
    if head.startswith(_PDF):
        return read_pdf(data)
    if head.startswith(_OLE):
        return read_legacy_doc(data)
    if any(head.startswith(m) for m in _IMAGES):
        return [ocr_image(data)]
    if extension in {".docx", ".pdf", ".doc"}:
        # The name promises a container the bytes do not hold.
        raise IngestError("corrupt", extension=extension)
    if extension in {".png", ".jpg", ".jpeg", ".tif", ".tiff"}:
        raise IngestError("corrupt", extension=extension)
    if extension in {".rtf", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".zip", ".rar"}:
        raise IngestError("unsupported", extension=extension)
    text = decode_text(data)
    if extension in {".html", ".htm"} or re.match(r"\s*<(?:!doctype html|html)\b", text, re.I):
        return [html_to_text(text)]
    # Any other name: accepted only because the bytes decode as text.
    return [text]


class _HtmlText(HTMLParser):
    """Block elements become line breaks; scripts and styles are dropped."""

    _BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "section",
            "article",
            "header",
            "footer",
            "ul",
            "ol",
        ]
    )
    _SKIP = frozenset({"script", "style", "noscript", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """A saved web page (an article about a dispatch) → its text, one block per line."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _is_docx(data: bytes) -> bool:
    """A zip holding word/document.xml; a damaged zip counts as a (corrupt) docx."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return True


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise IngestError("binary") from error
    elif b"\x00" in data[:4096]:
        # UTF-16 without BOM shows NULs on every other byte of ASCII text.
        sample = data[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        quarter = len(sample) // 4
        codec = "utf-16-le" if odd > quarter else "utf-16-be" if even > quarter else None
        if codec is None:
            raise IngestError("binary")
        try:
            return data.decode(codec)
        except UnicodeDecodeError as error:
            raise IngestError("binary") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise IngestError("binary") from error
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(4, len(text[:4096]) // 100):
        raise IngestError("binary")
    return text


# --- docx ---------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _int_attr(element: Any, name: str, default: int = 0) -> int:
    if element is None:
        return default
    value = element.get(_W + name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Numbering:
    """Reconstructs the text Word draws for automatic numbering ("1.", "1.2.", "a)")."""

    def __init__(self, document: Any) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        # Word's "Restart Numbering": a list that shares a definition but starts over
        # (w:lvlOverride/w:startOverride), applied when the list is first used.
        self.restarts: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstracts: dict[str, dict[int, tuple[str, str, int]]] = {}
        for abstract in root.iter(_W + "abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.iter(_W + "lvl"):
                ilvl = _int_attr(lvl, "ilvl")
                fmt = lvl.find(_W + "numFmt")
                text = lvl.find(_W + "lvlText")
                start = lvl.find(_W + "start")
                levels[ilvl] = (
                    fmt.get(_W + "val") if fmt is not None else "decimal",
                    text.get(_W + "val") if text is not None else f"%{ilvl + 1}.",
                    _int_attr(start, "val", 1),
                )
            abstracts[abstract.get(_W + "abstractNumId") or ""] = levels
        for num in root.iter(_W + "num"):
            num_id = num.get(_W + "numId") or ""
            ref = num.find(_W + "abstractNumId")
            abstract_id = ref.get(_W + "val") if ref is not None else ""
            self.abstract_of[num_id] = abstract_id or ""
            for ilvl, spec in abstracts.get(abstract_id or "", {}).items():
                self.formats[(num_id, ilvl)] = spec
            for override in num.iter(_W + "lvlOverride"):
                start = override.find(_W + "startOverride")
                if start is None:
                    level = override.find(_W + "lvl")
                    start = level.find(_W + "start") if level is not None else None
                if start is not None:
                    level_index = _int_attr(override, "ilvl")
                    self.restarts.setdefault(num_id, {})[level_index] = _int_attr(start, "val", 1)

    def label(self, num_id: str, ilvl: int) -> str | None:
        if (num_id, ilvl) not in self.formats or num_id == "0":
            return None
        fmt, pattern, start = self.formats[(num_id, ilvl)]
        # Lists sharing an abstract definition continue one another, as Word shows them.
        key = self.abstract_of.get(num_id, num_id)
        counters = self.counters.setdefault(key, [])
        if num_id not in self.started:
            self.started.add(num_id)
            for level, first in sorted(self.restarts.get(num_id, {}).items()):
                del counters[level:]
                while len(counters) < level:
                    counters.append(0)
                counters.append(first - 1)
        while len(counters) <= ilvl:
            level_start = self.formats.get((num_id, len(counters)), ("", "", 1))[2]
            counters.append(level_start - 1)
        counters[ilvl] += 1
        del counters[ilvl + 1 :]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return None

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            value = counters[level] if level < len(counters) else start
            level_fmt = self.formats.get((num_id, level), (fmt, "", 1))[0]
            return _format_number(value, level_fmt)

        return re.sub(r"%(\d)", render, pattern)


def _format_number(value: int, fmt: str) -> str:
    if fmt in {"lowerLetter", "upperLetter"}:
        letters = "abcdefghijklmnopqrstuvwxyz"
        text = letters[(value - 1) % 26]
        return text.upper() if fmt == "upperLetter" else text
    if fmt in {"lowerRoman", "upperRoman"}:
        numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out = ""
        rest = value
        for amount, numeral in numerals:
            while rest >= amount:
                out += numeral
                rest -= amount
        return out.lower() if fmt == "lowerRoman" else out
    return str(value)


def _paragraph_numbering(paragraph: Any) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph's own properties or its style's."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        if ppr is None or ppr.numPr is None:
            continue
        num_pr = ppr.numPr
        num_id = num_pr.numId.val if num_pr.numId is not None else None
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        if num_id is not None:
            return str(num_id), int(ilvl)
    return None


def _docx_paragraph(paragraph: Any, numbering: _Numbering) -> str:
    text = paragraph.text
    numbered = _paragraph_numbering(paragraph)
    if numbered and text.strip():
        label = numbering.label(*numbered)
        if label:
            text = f"{label} {text.lstrip()}"
    return text


def _iter_block_items(document: Any) -> Iterator[Any]:
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    body = document.element.body
    for child in body.iterchildren():
        if child.tag == _W + "p":
            yield Paragraph(child, document)
        elif child.tag == _W + "tbl":
            yield DocxTable(child, document)


def read_docx(data: bytes) -> list[Block]:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as error:  # pragma: no cover - python-docx is a dependency
        raise IngestError("unsupported") from error
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise IngestError("corrupt") from error
    except Exception as error:  # lxml and zip errors vary by damage; all mean "corrupt"
        raise IngestError("corrupt") from error
    numbering = _Numbering(document)
    blocks: list[Block] = []
    try:
        for item in _iter_block_items(document):
            if item.__class__.__name__ == "Paragraph":
                blocks.append(_docx_paragraph(item, numbering))
            else:
                rows = []
                for row in item.rows:
                    cells: list[str] = []
                    seen: set[int] = set()
                    for cell in row.cells:
                        # Merged cells repeat the same object; read each once.
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        cells.append(
                            "\n".join(_docx_paragraph(p, numbering) for p in cell.paragraphs)
                        )
                    rows.append(tuple(cells))
                blocks.append(Table(tuple(rows)))
    except Exception as error:  # malformed XML inside an otherwise valid package
        raise IngestError("corrupt") from error
    return blocks


# --- pdf ----------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$|^\s*Trang\s+\d+(?:\s*/\s*\d+)?\s*$", re.I
)


def read_pdf(data: bytes) -> list[Block]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as error:  # pragma: no cover - pypdf is a dependency
        raise IngestError("unsupported") from error
    # pypdf logs every repair it makes on a damaged file; the caller gets one IngestError
    # instead, so the chatter is held back while reading (and restored afterwards).
    pypdf_logger = logging.getLogger("pypdf")
    previous_level = pypdf_logger.level
    pypdf_logger.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as error:
                raise IngestError("corrupt", reason="encrypted") from error
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise IngestError("corrupt") from error
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise IngestError("corrupt") from error
    finally:
        pypdf_logger.setLevel(previous_level)
    letters = sum(1 for page in pages for c in page if c.isalpha())
    if letters < 40 * max(1, len(pages)) // 4:
        return [ocr_pdf(data)]
    # Running page numbers are not text; pages join with a single newline, because a
    # sentence often runs on to the next page.
    return [_strip_page_numbers(pages)]


# --- OCR and legacy formats ---------------------------------------------------------------------

# Below this many letters an OCR result is noise (a blank page, a photo), not a dispatch.
_MIN_OCR_LETTERS = 40
# tesseract's Vietnamese model (Debian: tesseract-ocr-vie).
_OCR_LANG = "vie"


def _run(command: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    # One OpenMP thread: on a small machine tesseract's thread start-up costs far more than
    # the recognition of one page (2.5 s against 0.4 s measured).
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run(
        command, cwd=cwd, capture_output=True, timeout=_OCR_TIMEOUT, check=False, env=env
    )


def _tesseract(tesseract: str, image: Path, cwd: str) -> str:
    try:
        result = _run([tesseract, str(image), "stdout", "-l", _OCR_LANG], cwd)
    except (subprocess.TimeoutExpired, OSError) as error:
        raise IngestError("ocr_unreadable") from error
    if result.returncode != 0:
        # Leptonica cannot open the image (a damaged or exotic file).
        raise IngestError("corrupt")
    return result.stdout.decode("utf-8", errors="replace")


# Lines of OCR output: what tesseract typically gets wrong on a scanned dispatch.
_OCR_LEADING_JUNK = re.compile(r"^[\s'\"`‘’“”.,:;_|^ˆ]+(?=[^\W\d_]|\d|[-–=~¬])")
_OCR_BULLET = re.compile(r"^[=~¬]+\s*")
_OCR_NUMBER_MARK = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\s*[:,;](?=\s+(\w))")
_OCR_GLUED_COLON = re.compile(r"(?<=[^\W\d_]):(?=[^\W\d_])")
# A full stop before a lower-case word ("thành.trong", "Sở Tài. chính"); "v.v." keeps its own.
_OCR_GLUED_STOP = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_]{2})|(?<=[^\W\d_]{2})\.\s+(?=\w{2})")
# "Hà Nam; ngày 06 tháng 10 năm 2025": the place-and-date line's comma read as ";".
_OCR_DATE_LINE = re.compile(r"(?<=\w)\s*[;:.](?=\s*ngày\s+\d{1,2}\s+tháng\s+\d)")
# Speckle read as punctuation standing alone at the end of a line ("2025. :", "trong . -").
_OCR_TRAILING = re.compile(r"(?:\s+[^\w\s]{1,2})+\s*$")


def _number_mark(m: re.Match[str]) -> str:
    """ "2: Sở Y tế" → "2. Sở Y tế" (only before a capital, as an item's first word is)."""
    return m.group(1) + "." if m.group(2).isupper() else m.group(0)


def _glued_stop(m: re.Match[str]) -> str:
    following = m.string[m.end() : m.end() + 1]
    return " " if following.islower() else m.group(0)


def clean_ocr_text(text: str) -> str:
    """Undo the slips tesseract makes on dispatch scans, without inventing content.

    Only punctuation is touched: "2:" or "2," opening a line becomes "2." (a numbered item),
    a colon or full stop stuck between two words becomes a space ("Kính:gửi", "thành.trong",
    "Sở Tài. chính"), "Hà Nam; ngày 06 tháng 10" gets its comma back, speckle before a
    line's first word or standing alone at its end goes, and "=" or "~" opening a line is a
    misread dash bullet. Letters and digits are never changed, so a date the parser
    reads afterwards is always one that is printed in the OCR text.
    """
    lines = text.replace("¬", "-").split("\n")
    out = []
    for n, raw in enumerate(lines):
        line = _OCR_LEADING_JUNK.sub("", raw.strip())
        line = _OCR_BULLET.sub("- ", line)
        line = _OCR_NUMBER_MARK.sub(_number_mark, line)
        line = _OCR_GLUED_COLON.sub(" ", line)
        line = _OCR_GLUED_STOP.sub(_glued_stop, line)
        line = _OCR_DATE_LINE.sub(",", line)
        trailing = _OCR_TRAILING.search(line)
        if trailing and trailing.start() > 0:
            following = next((x.strip() for x in lines[n + 1 :] if x.strip()), "")
            before = line[: trailing.start()]
            # Junk after a sentence's end, or inside a sentence that goes on in lower case
            # on the next line; "2025 -" before "2030" is a range and stays.
            if before[-1] in ".,;:!?" or following[:1].islower():
                line = before
        out.append(line)
    return "\n".join(out)


def _strip_page_numbers(pages: list[str]) -> str:
    cleaned: list[str] = []
    for page in pages:
        lines = page.rstrip("\f\n ").split("\n")
        while lines and _PAGE_NUMBER.match(lines[-1]):
            lines.pop()
        while lines and _PAGE_NUMBER.match(lines[0]):
            lines.pop(0)
        cleaned.append("\n".join(lines))
    return "\n".join(cleaned)


def _checked_ocr(text: str) -> str:
    if sum(1 for c in text if c.isalpha()) < _MIN_OCR_LETTERS:
        raise IngestError("ocr_unreadable")
    return clean_ocr_text(text)


def ocr_image(data: bytes) -> str:
    """Scanned page or photo (PNG, JPEG, TIFF, ...) → text with tesseract's Vietnamese model.

    Without the tesseract binary: IngestError("no_text_layer"); when it reads (almost)
    nothing: IngestError("ocr_unreadable").
    """
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise IngestError("no_text_layer")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "page.img")
        source.write_bytes(data)
        return _checked_ocr(_tesseract(tesseract, source, tmp))


def ocr_pdf(data: bytes) -> str:
    """A PDF without a text layer: rasterise each page with pdftoppm (300 dpi), then OCR."""
    tesseract = shutil.which("tesseract")
    pdftoppm = shutil.which("pdftoppm")
    if tesseract is None or pdftoppm is None:
        raise IngestError("no_text_layer")
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "in.pdf").write_bytes(data)
        try:
            result = _run([pdftoppm, "-r", "300", "-gray", "-png", "in.pdf", "page"], tmp)
        except (subprocess.TimeoutExpired, OSError) as error:
            raise IngestError("ocr_unreadable") from error
        images = sorted(
            Path(tmp).glob("page*.png"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0)
        )
        if result.returncode != 0 or not images:
            raise IngestError("corrupt")
        pages = [_tesseract(tesseract, image, tmp) for image in images]
    return _checked_ocr(_strip_page_numbers(pages))


def read_legacy_doc(data: bytes) -> list[Block]:
    """Word 97-2003 .doc: convert to .docx with LibreOffice (soffice) when installed.

    A private LibreOffice profile per call lets conversions run side by side (a shared
    profile is locked by the first instance).
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise IngestError("legacy_doc")
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "in.doc").write_bytes(data)
        profile = Path(tmp, "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            "in.doc",
        ]
        try:
            result = _run(command, tmp)
        except (subprocess.TimeoutExpired, OSError) as error:
            raise IngestError("legacy_doc") from error
        converted = Path(tmp, "in.docx")
        if result.returncode != 0 or not converted.exists():
            raise IngestError("corrupt")
        return read_docx(converted.read_bytes())
