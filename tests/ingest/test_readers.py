"""Inputs: text encodings, .docx (Word numbering, task tables), .pdf, and bad files."""

from __future__ import annotations

import datetime
import io
import shutil
import unicodedata
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import IngestError, parse_document
from ingest.errors import ERROR_CODES
from ingest.readers import read_blocks
from tests.ingest.builders import (
    build_numbered_docx,
    build_pdf,
    build_plain_docx,
    build_table_docx,
    pdf_lines,
)
from tests.ingest.helpers import FOOTER, HEADER

BODY = "1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính báo cáo trước ngày 15/10/2025.\n"
TEXT = HEADER + BODY + FOOTER

DOCX_HEADER = [
    (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    ),
    ("Số: 100/UBND-VP\nV/v triển khai nhiệm vụ", "Hà Nam, ngày 06 tháng 10 năm 2025"),
]
KINH_GUI = ["Kính gửi:", "- Các sở, ban, ngành tỉnh;", "- UBND các huyện, thành phố."]
SIGNATURE = ["Nơi nhận:", "- Như trên;", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]


def _refs(data: bytes, name: str) -> list[str]:
    return [t.ref for t in parse_document(data, name).tasks]


# --- text ---------------------------------------------------------------------------------------


def test_nfd_text_is_normalised_to_nfc() -> None:
    d = parse_document(unicodedata.normalize("NFD", TEXT).encode(), "cv.txt")
    assert d.tasks[0].lead == ("Sở Nội vụ",)
    assert unicodedata.is_normalized("NFC", d.tasks[0].text)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_text_with_bom(encoding: str) -> None:
    d = parse_document(TEXT.encode(encoding), "cv.txt")
    assert d.number == "100/UBND-VP"


def test_markdown_file() -> None:
    assert _refs(("**" + HEADER + "**" + BODY).encode(), "cv.md") == ["1"]


def test_crlf_line_endings() -> None:
    assert _refs(TEXT.replace("\n", "\r\n").encode(), "cv.txt") == ["1"]


# --- docx ---------------------------------------------------------------------------------------


def test_docx_list_that_word_restarts_counts_from_one_again() -> None:
    items = [
        (0, "Sở Nội vụ rà soát hồ sơ cán bộ."),
        (0, "Sở Tài chính bố trí kinh phí."),
        (0, "Sở Y tế kiểm tra an toàn thực phẩm."),
        (0, "Sở Công Thương kiểm tra thị trường."),
    ]
    data = build_numbered_docx(DOCX_HEADER, KINH_GUI, items, SIGNATURE, restart_at=2)
    refs = [t.ref for t in parse_document(data, "cv.docx").tasks]
    # Word shows 1., 2. under the first heading and 1., 2. again after "Restart Numbering".
    assert refs == ["1", "2", "II.1", "II.2"]


def test_docx_with_word_automatic_numbering() -> None:
    data = build_numbered_docx(
        DOCX_HEADER,
        [*KINH_GUI, "Thực hiện chỉ đạo của Chính phủ, UBND tỉnh yêu cầu:"],
        [
            (0, "Đảng ủy Ủy ban nhân dân tỉnh lãnh đạo thực hiện một số nội dung sau:"),
            (1, "Chủ trì, phối hợp các sở báo cáo trước ngày 08/10/2025."),
            (1, "Chỉ đạo rà soát hồ sơ (thực hiện thường xuyên)."),
            (0, "Sở Nội vụ chủ động tham mưu, hoàn thành trong tháng 10/2025."),
            (1, "Tổ chức tập huấn nghiệp vụ."),
        ],
        SIGNATURE,
    )
    d = parse_document(data, "cv.docx")
    assert [t.ref for t in d.tasks] == ["1", "1.1", "1.2", "2", "2.1"]
    tasks = {t.ref: t for t in d.tasks}
    assert tasks["1.1"].lead == ("Đảng ủy Ủy ban nhân dân tỉnh",)
    assert [(x.kind, x.date) for x in tasks["1.1"].due] == [
        ("deadline", datetime.date(2025, 10, 7))
    ]
    assert [(x.kind, x.date) for x in tasks["2"].due] == [("deadline", datetime.date(2025, 10, 31))]
    assert tasks["2.1"].lead == ("Sở Nội vụ",)
    assert d.issuer == "Ủy ban nhân dân tỉnh Hà Nam"
    assert d.number == "100/UBND-VP"
    assert d.issued_on == datetime.date(2025, 10, 6)
    assert d.recipients == ("Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố")
    assert d.signer is not None
    assert d.signer.title == "Phó Chủ tịch"


def test_docx_task_table_gives_one_task_per_numbered_row() -> None:
    data = build_table_docx(
        DOCX_HEADER,
        ["KẾ HOẠCH", "Triển khai Chỉ thị số 05/CT-TTg", "Phân công nhiệm vụ như sau:"],
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
        [
            ["I", "Công tác tuyên truyền", "", "", ""],
            [
                "1",
                "Xây dựng kế hoạch tuyên truyền",
                "Sở Văn hóa",
                "Báo Hà Nam\nĐài Phát thanh",
                "15/11/2025",
            ],
            ["2", "Tổng kết, báo cáo kết quả", "Sở Nội vụ", "Các sở, ngành", "Quý IV/2025"],
            ["3", "Kiểm tra việc thực hiện", "Thanh tra tỉnh", "", "Thường xuyên"],
        ],
        SIGNATURE,
    )
    d = parse_document(data, "kh.docx")
    tasks = {t.ref: t for t in d.tasks}
    assert list(tasks) == ["1", "2", "3"]
    assert tasks["1"].lead == ("Sở Văn hóa",)
    assert tasks["1"].support == ("Báo Hà Nam", "Đài Phát thanh")
    assert [(x.kind, x.date) for x in tasks["1"].due] == [("deadline", datetime.date(2025, 11, 15))]
    assert [(x.kind, x.date) for x in tasks["2"].due] == [("deadline", datetime.date(2025, 12, 31))]
    assert [x.kind for x in tasks["3"].due] == ["recurring"]
    assert d.kind == "ke_hoach"


def test_docx_plain_paragraphs_match_the_text_reader() -> None:
    from_docx = parse_document(build_plain_docx(TEXT.split("\n\n")), "cv.docx")
    from_text = parse_document(TEXT.encode(), "cv.txt")
    assert from_docx.tasks == from_text.tasks


def test_corrupt_docx() -> None:
    data = build_plain_docx([TEXT])
    with pytest.raises(IngestError) as error:
        parse_document(data[: len(data) // 2], "cv.docx")
    assert error.value.code == "corrupt"


def test_zip_that_is_not_a_docx_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(IngestError) as error:
        parse_document(buffer.getvalue(), "cv.docx")
    assert error.value.code == "unsupported"


# --- pdf ----------------------------------------------------------------------------------------


def test_pdf_with_text_layer_over_two_pages() -> None:
    data = build_pdf(pdf_lines(TEXT), lines_per_page=12)
    d = parse_document(data, "cv.pdf")
    assert d.number == "100/UBND-VP"
    task = d.tasks[0]
    assert task.lead == ("Sở Nội vụ",)
    assert task.support == ("Sở Tài chính",)
    assert [(x.kind, x.date) for x in task.due] == [("deadline", datetime.date(2025, 10, 14))]


def test_pdf_without_text_and_without_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(IngestError) as error:
        parse_document(build_pdf(["   "]), "scan.pdf")
    assert error.value.code == "no_text_layer"


def test_image_without_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(IngestError) as error:
        parse_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.png")
    assert error.value.code == "no_text_layer"


def test_corrupt_pdf() -> None:
    with pytest.raises(IngestError) as error:
        parse_document(b"%PDF-1.7\n garbage without objects", "cv.pdf")
    assert error.value.code in {"corrupt", "no_text_layer"}


def test_legacy_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(IngestError) as error:
        parse_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "cv.doc")
    assert error.value.code == "legacy_doc"


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\n  "])
def test_empty(data: bytes) -> None:
    with pytest.raises(IngestError) as error:
        parse_document(data, "cv.txt")
    assert error.value.code == "empty"


def test_binary_garbage() -> None:
    with pytest.raises(IngestError) as error:
        parse_document(bytes(range(256)) * 8, "cv.txt")
    assert error.value.code == "binary"


def test_oversized() -> None:
    with pytest.raises(IngestError) as error:
        parse_document(TEXT.encode(), "cv.txt", max_bytes=100)
    assert error.value.code == "too_large"
    assert error.value.params["limit_bytes"] == 100


def test_dispatch_without_tasks() -> None:
    with pytest.raises(IngestError) as error:
        parse_document((HEADER + "Trân trọng./.\n" + FOOTER).encode(), "cv.txt")
    assert error.value.code == "no_tasks"


def test_text_that_is_not_a_dispatch() -> None:
    with pytest.raises(IngestError) as error:
        parse_document("Hôm nay trời đẹp.\nChúng tôi đi chơi công viên.".encode(), "note.txt")
    assert error.value.code == "not_dispatch"


def test_misnamed_text_is_read_by_content() -> None:
    assert read_blocks(b"xin chao", "notes.log") == ["xin chao"]


def _outcome(text: str) -> str:
    """The IngestError code, or "parsed"; any other exception fails the test."""
    try:
        parse_document(text.encode("utf-8"), "any.txt")
    except IngestError as error:
        return error.code
    return "parsed"


@given(text=st.text(max_size=400))
@settings(max_examples=150, deadline=None)
def test_any_text_parses_or_raises_ingest_error(text: str) -> None:
    assert _outcome(text) in {*ERROR_CODES, "parsed"}


@given(
    lines=st.lists(
        st.sampled_from(
            [
                "1. Sở Nội vụ chủ trì, báo cáo trước ngày 15/10/2025.",
                "1.1. Rà soát hồ sơ",
                "a) Tổ chức tập huấn",
                "- Như trên;",
                "Kính gửi:",
                "II. NHIỆM VỤ",
                "Số: 12/UBND-VP",
                "KT. CHỦ TỊCH",
                "Nguyễn Văn An",
                "",
                "trước ngày 31/02/2025",
                "Theo đó, UBND tỉnh yêu cầu các sở triển khai.",
            ]
        ),
        max_size=25,
    )
)
@settings(max_examples=150, deadline=None)
def test_shuffled_dispatch_lines_never_crash(lines: list[str]) -> None:
    assert _outcome("\n".join(lines)) in {*ERROR_CODES, "parsed"}


def test_markdown_task_table() -> None:
    table = (
        "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Rà soát thủ tục hành chính | Văn phòng UBND tỉnh | Các sở, ngành | 30/11/2025 |\n"
        "| 2 | Tổng kết, báo cáo | Sở Nội vụ | | Thường xuyên |\n"
    )
    d = parse_document((HEADER + table + FOOTER).encode(), "kh.md")
    tasks = {t.ref: t for t in d.tasks}
    assert list(tasks) == ["1", "2"]
    assert tasks["1"].lead == ("Văn phòng UBND tỉnh",)
    assert tasks["1"].support == ("Các sở, ngành",)
    assert [(x.kind, x.date) for x in tasks["1"].due] == [("deadline", datetime.date(2025, 11, 30))]


def test_saved_web_page_of_an_article() -> None:
    page = (
        "<!DOCTYPE html><html><head><script>var x = 1;</script></head><body>"
        "<h1>UBND tỉnh Nghệ An yêu cầu đẩy nhanh giải ngân vốn đầu tư công</h1>"
        "<div>Thứ hai, 15/09/2025 - 08:30</div>"
        "<p>UBND tỉnh Nghệ An vừa ban hành Công văn số 7890/UBND-KT về giải ngân vốn.</p>"
        "<p>Theo đó, UBND tỉnh yêu cầu các sở, ban, ngành tập trung chỉ đạo quyết liệt, "
        "hoàn thành giải ngân trước ngày 31/12/2025.</p></body></html>"
    )
    d = parse_document(page.encode(), "bai-bao.html")
    assert (d.kind, d.issuer) == ("article", "UBND tỉnh Nghệ An")
    assert [(x.kind, x.date) for x in d.tasks[0].due] == [("deadline", datetime.date(2025, 12, 30))]
