"""Scans and legacy Word files: OCR with tesseract, .doc conversion with LibreOffice.

The page images are drawn at test time (tests/ingest/builders.py), so no binary fixture is
stored. Tests that need an external program skip, naming it, when it is not installed; the
fallback tests simulate a machine without the programs and run everywhere.
"""

from __future__ import annotations

import datetime
import functools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot import texts
from ingest import IngestError, ParsedDispatch, parse_document, parse_text
from ingest.readers import clean_ocr_text, read_blocks
from tests.ingest.builders import build_plain_docx, image_bytes, render_scan
from tests.ingest.helpers import FOOTER, HEADER

BODY = """1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát hồ sơ, báo cáo
UBND tỉnh trước ngày 15/10/2025.

2. Sở Y tế tổ chức kiểm tra các cơ sở khám chữa bệnh, hoàn thành trong
tháng 11/2025.

3. UBND các huyện, thành phố thường xuyên theo dõi, báo cáo kết quả.
"""
PAGE = HEADER + BODY + FOOTER


@functools.cache
def _tesseract_has_vietnamese() -> bool:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    listed = subprocess.run(
        [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    return "vie" in (listed.stdout + listed.stderr).split()


needs_tesseract = pytest.mark.skipif(
    not _tesseract_has_vietnamese(),
    reason="tesseract with the Vietnamese model is not installed "
    "(apt-get install tesseract-ocr tesseract-ocr-vie)",
)
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None,
    reason="pdftoppm is not installed (apt-get install poppler-utils)",
)
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed (apt-get install libreoffice-writer-nogui)",
)


@functools.cache
def _scan(degrade: bool = False) -> bytes:
    return image_bytes(render_scan(PAGE, degrade=degrade), "PNG")


def _printed(day: datetime.date, text: str) -> bool:
    """Whether ``day`` (or, for "trước ngày X", the day after it) or its month is printed."""
    flat = " ".join(text.split())
    for candidate in (day, day + datetime.timedelta(days=1)):
        d, m = candidate.day, candidate.month
        if re.search(rf"(?<!\d)0?{d}\s*[/.\-]\s*0?{m}(?!\d)|(?<!\d)0?{d} tháng 0?{m}(?!\d)", flat):
            return True
    # Month, quarter and year deadlines end on the last day of a printed month or year.
    return re.search(rf"tháng 0?{day.month}\b|quý|năm {day.year}", flat) is not None


def _assert_dates_are_printed(dispatch: ParsedDispatch, ocr_text: str) -> None:
    for task in dispatch.tasks:
        for due in task.due:
            assert due.phrase in " ".join(ocr_text.split()) or due.phrase in task.text
            if due.date is not None:
                assert _printed(due.date, due.phrase), (due, task.ref)


def _assert_reads_the_page(dispatch: ParsedDispatch) -> None:
    assert dispatch.number == "100/UBND-VP"
    assert dispatch.issued_on == datetime.date(2025, 10, 6)
    by_ref = {task.ref: task for task in dispatch.tasks}
    assert set(by_ref) == {"1", "2", "3"}
    assert by_ref["1"].lead == ("Sở Nội vụ",)
    assert [(d.kind, d.date) for d in by_ref["1"].due] == [
        ("deadline", datetime.date(2025, 10, 14))
    ]
    assert [(d.kind, d.date) for d in by_ref["2"].due] == [
        ("deadline", datetime.date(2025, 11, 30))
    ]
    assert [d.kind for d in by_ref["3"].due] == ["recurring"]


# --- with the programs installed ----------------------------------------------------------------


@needs_tesseract
def test_png_scan_is_read_by_ocr() -> None:
    dispatch = parse_document(_scan(), "scan.png")
    _assert_reads_the_page(dispatch)
    ocr_text = read_blocks(_scan(), "scan.png")[0]
    assert isinstance(ocr_text, str)
    _assert_dates_are_printed(dispatch, ocr_text)
    assert dispatch.signer is not None
    assert dispatch.signer.name == "Nguyễn Văn An"


@needs_tesseract
@needs_pdftoppm
def test_pdf_without_text_layer_is_read_by_ocr() -> None:
    # Pillow writes the page as an image-only PDF; 300 dpi keeps the rasterised page small.
    pdf = image_bytes(render_scan(PAGE), "PDF", resolution=300.0)
    dispatch = parse_document(pdf, "scan.pdf")
    _assert_reads_the_page(dispatch)


@needs_tesseract
def test_degraded_jpeg_scan_keeps_items_and_the_deadline() -> None:
    # A skewed, blurred, speckled JPEG: OCR misreads some letters and punctuation.
    data = image_bytes(render_scan(PAGE, degrade=True), "JPEG", quality=45)
    ocr_text = read_blocks(data, "scan.jpg")[0]
    assert isinstance(ocr_text, str)
    dispatch = parse_document(data, "scan.jpg")
    refs = [task.ref for task in dispatch.tasks]
    assert {"1", "2", "3"} <= set(refs)
    first = next(task for task in dispatch.tasks if task.ref == "1")
    assert ("deadline", datetime.date(2025, 10, 14)) in [(d.kind, d.date) for d in first.due]
    _assert_dates_are_printed(dispatch, ocr_text)


@needs_tesseract
def test_blank_scan_says_ocr_found_nothing() -> None:
    blank = image_bytes(render_scan(" "), "PNG")
    with pytest.raises(IngestError) as error:
        parse_document(blank, "blank.png")
    assert error.value.code == "ocr_unreadable"
    assert "OCR" in texts.ingest_error("ocr_unreadable")


@needs_soffice
def test_legacy_doc_is_converted_with_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    (tmp_path / "cv.docx").write_bytes(build_plain_docx(PAGE.split("\n\n")))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path / "out"),
            str(tmp_path / "cv.docx"),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = (tmp_path / "out" / "cv.doc").read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    _assert_reads_the_page(parse_document(data, "cv.doc"))


# --- without them (a fresh machine) -------------------------------------------------------------


@pytest.fixture
def bare_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """No tesseract, pdftoppm or LibreOffice on PATH."""
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)


def test_image_without_tesseract_explains_itself(bare_machine: None) -> None:
    with pytest.raises(IngestError) as error:
        parse_document(_scan(), "scan.png")
    assert error.value.code == "no_text_layer"
    message = texts.ingest_error(error.value.code)
    assert "OCR" in message
    assert ".docx" in message


def test_scanned_pdf_without_tools_explains_itself(bare_machine: None) -> None:
    pdf = image_bytes(render_scan(PAGE), "PDF", resolution=300.0)
    with pytest.raises(IngestError) as error:
        parse_document(pdf, "scan.pdf")
    assert error.value.code == "no_text_layer"


def test_scanned_pdf_with_tesseract_but_no_pdftoppm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: "/usr/bin/tesseract" if name == "tesseract" else None
    )
    pdf = image_bytes(render_scan(PAGE), "PDF", resolution=300.0)
    with pytest.raises(IngestError) as error:
        parse_document(pdf, "scan.pdf")
    assert error.value.code == "no_text_layer"


def test_legacy_doc_without_libreoffice_explains_itself(bare_machine: None) -> None:
    with pytest.raises(IngestError) as error:
        parse_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "cv.doc")
    assert error.value.code == "legacy_doc"
    message = texts.ingest_error(error.value.code)
    assert "LibreOffice" in message
    assert ".docx" in message


# --- OCR text clean-up and date safety (pure text, no programs needed) --------------------------


def test_ocr_cleanup_fixes_punctuation_only() -> None:
    raw = "Kính:gửi:\n'=UBND các huyện, thành phố.\n2: Sở Y tế tổ chức.kiểm tra\nSở Tài. chính"
    assert clean_ocr_text(raw).split("\n") == [
        "Kính gửi:",
        "- UBND các huyện, thành phố.",
        "2. Sở Y tế tổ chức kiểm tra",
        "Sở Tài chính",
    ]


def test_ocr_cleanup_restores_the_date_line_and_drops_trailing_speckle() -> None:
    raw = "Hà Nam; ngày 06 tháng 10 năm 2025\nhoàn thành trong . -\ntháng 11/2025. :\n"
    raw += "nhiệm kỳ 2025 -\n2030"
    assert clean_ocr_text(raw).split("\n") == [
        "Hà Nam, ngày 06 tháng 10 năm 2025",
        "hoàn thành trong",
        "tháng 11/2025.",
        "nhiệm kỳ 2025 -",
        "2030",
    ]


@pytest.mark.parametrize(
    "kept", ["kết quả. Đồng thời, Sở Y tế", "TP. Đà Nẵng", "TP.HCM", "v.v. và", "2: của"]
)
def test_ocr_cleanup_keeps_sentence_ends_and_abbreviations(kept: str) -> None:
    assert clean_ocr_text(kept) == kept


def test_ocr_cleanup_never_changes_letters_or_digits() -> None:
    raw = "trước ngày 15/1O/2025; TP.HCM; Số: 12/UBND; 1,5 tỷ; 3, 4 và 5"
    cleaned = clean_ocr_text(raw)
    assert re.sub(r"\W", "", cleaned) == re.sub(r"\W", "", raw)


@pytest.mark.parametrize(
    "garbled",
    [
        "báo cáo trước ngày 15/1 0/2025.",  # a split month: not 15/01
        "báo cáo trước ngày 15/1O/2025.",  # letter O for zero
        "báo cáo trước ngày l5/10/2025.",  # letter l for one
        "báo cáo trước ngày 15 tháng 1O năm 2025.",
        "hoàn thành trong tháng 1O/2025.",
        "hoàn thành trong tháng 1 0/2025.",
        "hoàn thành trong năm 2O25.",
    ],
)
def test_misread_dates_give_no_date_rather_than_a_wrong_one(garbled: str) -> None:
    dispatch = parse_text(HEADER + "1. Sở Nội vụ chủ trì, " + garbled + "\n" + FOOTER)
    assert [d.date for t in dispatch.tasks for d in t.due if d.date is not None] == []
