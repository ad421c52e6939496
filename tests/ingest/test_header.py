"""Header and footer fields (SCHEMA.md: kind, number, issuer, issued_on, subject, signer)."""

from __future__ import annotations

import datetime

import pytest

from ingest import parse_text
from tests.ingest.helpers import FOOTER, HEADER, parse_body

BODY = "1. Sở Nội vụ chủ trì rà soát, báo cáo UBND tỉnh.\n"


def test_state_header_fields() -> None:
    d = parse_body(BODY)
    assert d.kind == "cong_van"
    assert d.number == "100/UBND-VP"
    assert d.issuer == "Ủy ban nhân dân tỉnh Hà Nam"
    assert d.issued_on == datetime.date(2025, 10, 6)
    assert d.subject == "V/v triển khai một số nhiệm vụ"


def test_party_header_with_department_joins_parent() -> None:
    text = (
        "HUYỆN ỦY VĨNH BẢO\nBAN TUYÊN GIÁO\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n*\n\n"
        "Số 229-CV/BTGHU\nV/v đẩy mạnh tuyên truyền\nchủ trương sắp xếp bộ máy\n\n"
        "Vĩnh Bảo, ngày 24 tháng 12 năm 2024\n\nKính gửi: - Các chi bộ trực thuộc.\n\n" + BODY
    )
    d = parse_text(text)
    assert d.issuer == "Ban Tuyên giáo Huyện ủy Vĩnh Bảo"
    assert d.number == "229-CV/BTGHU"
    assert d.subject == "V/v đẩy mạnh tuyên truyền chủ trương sắp xếp bộ máy"
    assert d.issued_on == datetime.date(2024, 12, 24)


def test_department_of_peoples_committee_takes_locality() -> None:
    text = "UBND TỈNH BÌNH ĐỊNH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n\nSố: 5/SKHCN-VP\n\n" + BODY
    assert parse_text(text).issuer == "Sở Khoa học và Công nghệ tỉnh Bình Định"


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("750-CV/TU", "cong_van"),
        ("45-KH/TU", "ke_hoach"),
        ("12-TB/TU", "thong_bao"),
        ("123/UBND-VP", "cong_van"),
        ("45/KH-UBND", "ke_hoach"),
        ("10/CT-UBND", "chi_thi"),
        ("88/TB-VP", "thong_bao"),
    ],
)
def test_kind_from_registration_number(number: str, kind: str) -> None:
    text = f"THÀNH ỦY CẦN THƠ\n\nSố {number}\n\nCần Thơ, ngày 1 tháng 2 năm 2025\n\n" + BODY
    assert parse_text(text).kind == kind


def test_title_gives_kind_and_subject() -> None:
    text = (
        "UBND TỈNH BÌNH ĐỊNH\nSỞ NỘI VỤ\n\nSố: 45/SNV\n\nBình Định, ngày 05 tháng 01 năm 2025\n\n"
        "KẾ HOẠCH\nCông tác cải cách hành chính năm 2025\n\n" + BODY
    )
    d = parse_text(text)
    assert d.kind == "ke_hoach"
    assert d.subject == "Công tác cải cách hành chính năm 2025"


def test_italic_subject_over_several_lines() -> None:
    text = (
        "THÀNH ỦY CẦN THƠ\n\n*\n\nSố 14-CV/TU\n\n*Quán triệt, triển khai thực hiện\n"
        "Kết luận số 195-KL/TW ngày 26/9/2025\ncủa Bộ Chính trị*\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n"
        "Cần Thơ, ngày 06 tháng 10 năm 2025\n\n" + BODY
    )
    assert parse_text(text).subject == (
        "Quán triệt, triển khai thực hiện Kết luận số 195-KL/TW ngày 26/9/2025 của Bộ Chính trị"
    )


def test_recipients_one_per_dash_with_wrapped_item_joined() -> None:
    text = (
        "THÀNH ỦY CẦN THƠ\n\nSố 750-CV/TU\n\nCần Thơ, ngày 27 tháng 4 năm 2023\n\n"
        "Kính gửi: - Các quận ủy, huyện ủy,\n- Các đảng đoàn, ban cán sự đảng\n"
        "và đảng ủy trực thuộc Thành ủy,\n- **Trường Chính trị thành phố**.\n\n" + BODY
    )
    assert parse_text(text).recipients == (
        "Các quận ủy, huyện ủy",
        "Các đảng đoàn, ban cán sự đảng và đảng ủy trực thuộc Thành ủy",
        "Trường Chính trị thành phố",
    )


def test_single_recipient_on_the_kinh_gui_line() -> None:
    text = HEADER.replace(
        "Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- UBND các huyện, thành phố.",
        "Kính gửi: Ủy ban nhân dân các huyện, thành phố.",
    )
    d = parse_text(text + BODY + FOOTER)
    assert d.recipients == ("Ủy ban nhân dân các huyện, thành phố",)


def test_signer_title_skips_on_behalf_line() -> None:
    signer = parse_body(BODY).signer
    assert signer is not None
    assert (signer.name, signer.title) == ("Nguyễn Văn An", "Phó Chủ tịch")


def test_signer_from_bold_party_block() -> None:
    footer = "\n\nNơi nhận:\n- Như trên,\n\n**T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ**\n\n\n\nPhạm Văn Hiếu"
    signer = parse_text(HEADER + BODY + footer).signer
    assert signer is not None
    assert (signer.name, signer.title) == ("Phạm Văn Hiếu", "Phó Bí thư")


def test_no_signature_block_means_no_signer() -> None:
    assert parse_text(HEADER + BODY).signer is None


def test_footer_is_not_part_of_the_last_task() -> None:
    d = parse_body(BODY)
    assert d.tasks[-1].text == "Sở Nội vụ chủ trì rà soát, báo cáo UBND tỉnh."


ARTICLE = """UBND tỉnh Nghệ An yêu cầu đẩy nhanh giải ngân vốn đầu tư công
Thứ hai, 15/09/2025 - 08:30

(NA) UBND tỉnh Nghệ An vừa ban hành Công văn số 7890/UBND-KT về việc đẩy nhanh giải ngân vốn.

Theo đó, UBND tỉnh yêu cầu các sở, ban, ngành, UBND các huyện tập trung chỉ đạo quyết liệt,
hoàn thành giải ngân kế hoạch vốn trước ngày 31/12/2025.

Sở Tài chính chủ trì, phối hợp với Kho bạc Nhà nước tỉnh theo dõi, định kỳ hằng tháng
báo cáo UBND tỉnh.

Năm 2024, tỉnh giải ngân đạt 95% kế hoạch vốn.

Minh Châu
"""


def test_article_header_from_headline_dateline_and_report() -> None:
    d = parse_text(ARTICLE)
    assert d.kind == "article"
    assert d.number is None
    assert d.issuer == "UBND tỉnh Nghệ An"
    assert d.issued_on == datetime.date(2025, 9, 15)
    assert d.subject == "UBND tỉnh Nghệ An yêu cầu đẩy nhanh giải ngân vốn đầu tư công"
    assert d.signer is None
    assert d.recipients == ("các sở, ban, ngành, UBND các huyện",)


def test_article_paragraphs_that_ask_for_action_are_tasks() -> None:
    tasks = parse_text(ARTICLE).tasks
    assert [t.ref for t in tasks] == ["p1", "p2"]
    assert tasks[0].lead == ("@recipients",)
    assert tasks[1].lead == ("Sở Tài chính",)
    assert tasks[1].support == ("Kho bạc Nhà nước tỉnh",)


def test_superior_party_body_is_not_part_of_the_issuer() -> None:
    text = "ĐẢNG BỘ TỈNH THANH HÓA\nHUYỆN ỦY THIỆU HÓA\n*\nSố 112-KH/HU\n\n" + BODY
    assert parse_text(text).issuer == "Huyện ủy Thiệu Hóa"


def test_header_cells_broken_over_lines_by_a_copied_web_page() -> None:
    text = (
        "UỶ BAN NHÂN\nDÂN\nTỈNH QUẢNG BÌNH\n--------\n|\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n|\n"
        "Số:\n08/CT-UBND\n|\nQuảng Bình, ngày 25\ntháng 5 năm 2015\n|\n" + BODY
    )
    d = parse_text(text)
    assert d.issuer == "Uỷ ban nhân dân tỉnh Quảng Bình"  # printed "UỶ": spelling kept
    assert d.number == "08/CT-UBND"
    assert d.kind == "chi_thi"
    assert d.issued_on == datetime.date(2015, 5, 25)
