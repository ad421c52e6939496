"""Parser speed: median parse time per document and pages per second for .txt, .docx, .pdf.

    python benchmarks/parse.py [CORPUS_DIR] [--repeat N]

A "page" is 3,000 characters of dispatch text (about one printed A4 page of a công văn).
The .docx and .pdf inputs are generated at run time from the corpus text with the same
builders the tests use. Target: under 50 ms per page. The last line printed is
``ms_per_page=<median over every document and format>``.

``--ocr`` also times one scanned page (a rendered image as PNG and as an image-only PDF)
through tesseract, when it is installed; those figures are printed before the last line and
are not part of ms_per_page, because they measure the external OCR program.

The large texts (a 1,000-item dispatch and about 1 MB of prose, plain and wrapped like a PDF
text layer) print their ms per page and its ratio to the corpus's .txt median: a ratio that
stays near 1 as the text grows says the parser is linear.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import parse_document  # noqa: E402  (needs the repository root on sys.path)
from tests.ingest.builders import (  # noqa: E402
    build_pdf,
    build_plain_docx,
    image_bytes,
    pdf_lines,
    render_scan,
)
from tests.ingest.helpers import FOOTER, HEADER  # noqa: E402

CHARS_PER_PAGE = 3000
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def _documents(corpus: Path) -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))}
    if not texts:
        # No labelled corpus here: time a synthetic dispatch of about two pages instead.
        items = "".join(
            f"{n}. Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan rà soát hồ sơ, "
            f"báo cáo UBND tỉnh trước ngày {n}/11/2025 (thực hiện thường xuyên).\n\n"
            for n in range(1, 25)
        )
        texts = {"synthetic.txt": HEADER + items + FOOTER}
    return texts


def _inputs(name: str, text: str) -> dict[str, tuple[bytes, str]]:
    stem = Path(name).stem
    return {
        "txt": (text.encode("utf-8"), f"{stem}.txt"),
        "docx": (build_plain_docx(text.split("\n\n")), f"{stem}.docx"),
        "pdf": (build_pdf(pdf_lines(text)), f"{stem}.pdf"),
    }


def _median_ms(data: bytes, filename: str, repeat: int) -> float:
    parse_document(data, filename)  # warm-up: imports and regex compilation
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_document(data, filename)
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def _time_ocr(repeat: int) -> None:
    if shutil.which("tesseract") is None:
        print("ocr  skipped: tesseract is not installed")
        return
    page = render_scan(HEADER + "1. Sở Nội vụ chủ trì, báo cáo trước ngày 15/10/2025.\n" + FOOTER)
    inputs = {"png": (image_bytes(page, "PNG"), "scan.png")}
    if shutil.which("pdftoppm") is not None:
        inputs["scan-pdf"] = (image_bytes(page, "PDF", resolution=300.0), "scan.pdf")
    for kind, (data, filename) in inputs.items():
        print(f"ocr  {kind}: {_median_ms(data, filename, repeat):7.1f} ms/page")


def _large_documents() -> dict[str, str]:
    """A 1,000-item dispatch and about 1 MB of prose, each also wrapped like a PDF text
    layer (every line a fixed width, the case that once made paragraphs quadratic)."""
    items = "".join(
        f"{n}. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát hồ sơ đợt {n}, "
        f"báo cáo UBND tỉnh trước ngày 20/11/2025.\n\n"
        for n in range(1, 1001)
    )
    sentence = (
        "Các cơ quan, đơn vị tiếp tục quán triệt và triển khai thực hiện nghiêm túc các nội "
        "dung đã được giao, bảo đảm chất lượng và hiệu quả công việc, "
    )
    prose = "Sở Nội vụ đề nghị " + sentence * (1_000_000 // len(sentence)) + "báo cáo.\n"
    out = {}
    for name, body in (("1000-items", items), ("1MB-prose", prose)):
        text = HEADER + body + FOOTER
        out[name] = text
        out[f"{name}-wrapped"] = "\n".join(pdf_lines(text))
    return out


def _time_large(corpus_ms_per_page: float) -> None:
    """ms per page of each large text, and its ratio to the corpus's: flat means linear."""
    for name, text in _large_documents().items():
        pages = len(text) / CHARS_PER_PAGE
        ms = _median_ms(text.encode("utf-8"), f"{name}.txt", 3) / pages
        print(f"large {name}: {ms:6.2f} ms/page, ratio={ms / corpus_ms_per_page:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--ocr", action="store_true", help="also time a scanned page (tesseract)")
    parser.add_argument(
        "--no-large", action="store_true", help="skip the 1,000-item and 1 MB texts"
    )
    args = parser.parse_args(argv)
    per_page: dict[str, list[float]] = {"txt": [], "docx": [], "pdf": []}
    per_doc: dict[str, list[float]] = {"txt": [], "docx": [], "pdf": []}
    total_pages: dict[str, float] = {"txt": 0.0, "docx": 0.0, "pdf": 0.0}
    total_ms: dict[str, float] = {"txt": 0.0, "docx": 0.0, "pdf": 0.0}
    for name, text in _documents(args.corpus).items():
        pages = max(len(text) / CHARS_PER_PAGE, 1 / CHARS_PER_PAGE)
        for kind, (data, filename) in _inputs(name, text).items():
            ms = _median_ms(data, filename, args.repeat)
            per_doc[kind].append(ms)
            per_page[kind].append(ms / pages)
            total_pages[kind] += pages
            total_ms[kind] += ms
            print(f"{kind:4} {name}: {ms:7.2f} ms, {pages:4.2f} pages, {ms / pages:6.2f} ms/page")
    for kind in per_doc:
        rate = total_pages[kind] / (total_ms[kind] / 1000) if total_ms[kind] else 0.0
        print(
            f"{kind:4} median {statistics.median(per_doc[kind]):7.2f} ms/document, "
            f"{statistics.median(per_page[kind]):6.2f} ms/page, {rate:7.1f} pages/s"
        )
    if args.ocr:
        _time_ocr(min(args.repeat, 3))
    overall = statistics.median([v for values in per_page.values() for v in values])
    if not args.no_large:
        _time_large(statistics.median(per_page["txt"]))
    print(f"ms_per_page={overall:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
