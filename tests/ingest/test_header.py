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
    assert d.number == "7890/UBND-KT"  # the reported dispatch's, as the article prints it
    assert d.issuer == "UBND tỉnh Nghệ An"
    assert d.issued_on == datetime.date(2025, 9, 15)
    assert d.subject == "UBND tỉnh Nghệ An yêu cầu đẩy nhanh giải ngân vốn đầu tư công"
    assert d.signer is None
    assert d.recipients == ("các sở, ban, ngành, UBND các huyện",)


def test_article_paragraphs_that_ask_for_action_are_tasks() -> None:
    tasks = parse_text(ARTICLE).tasks
    assert [t.ref for t in tasks] == ["p1", "p2"]
    # The units are named; it is the same list as the report's addressees.
    assert tasks[0].lead == ("các sở, ban, ngành, UBND các huyện",)
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


# --- Texts without the standard header block, and wrapped layouts ------------------------------


def test_a_title_line_gives_kind_number_date_and_subject() -> None:
    text = (
        "Công văn số 1379/SNV-CCHC ngày 07/12/2025 V/v khen thưởng cải cách hành chính .\n\n"
        "Đăng ngày: 08/12/2025 10:52:45\n\n"
        "Kính gửi:\n\n– Các cơ quan chuyên môn thuộc UBND tỉnh;\n\n– Công an tỉnh.\n\n"
        "Thực hiện Quyết định số 914/QĐ-UBND ngày 19/4/2025 của UBND tỉnh Sơn La.\n\n"
        "Sở Nội vụ đề nghị các cơ quan, đơn vị lập hồ sơ khen thưởng, gửi về Sở Nội vụ "
        "trước ngày 18/12/2025.\n"
    )
    d = parse_text(text)
    assert (d.kind, d.number, d.issued_on) == (
        "cong_van",
        "1379/SNV-CCHC",
        datetime.date(2025, 12, 7),
    )
    assert d.subject == "V/v khen thưởng cải cách hành chính ."
    # The body speaks for the issuer; a department takes the province the text names.
    assert d.issuer == "Sở Nội vụ tỉnh Sơn La"


def test_a_notice_titled_by_its_date_has_no_subject() -> None:
    text = (
        "Thông báo Khẩn ngày 18/10/2025\n\nKính gửi:\n\nHiệu trưởng các trường trên địa bàn\n"
        "Do mưa lũ kéo dài, Phòng GD&ĐT yêu cầu:\n"
        "1. Các đơn vị cho học sinh nghỉ học đến khi có thông báo mới.\n"
    )
    d = parse_text(text)
    assert (d.kind, d.issued_on, d.subject) == ("thong_bao", datetime.date(2025, 10, 18), None)
    assert d.issuer == "Phòng GD&ĐT"
    assert d.recipients == ("Hiệu trưởng các trường trên địa bàn",)


def test_a_plan_title_is_its_subject_and_an_update_stamp_no_date() -> None:
    text = (
        "Kế hoạch triển khai công tác tổng vệ sinh môi trường trên địa bàn xã năm 2025\n"
        "Ngày cập nhật 05/10/2025\n\n"
        "UBND xã yêu cầu:\n\n1. Các thôn tổ chức ra quân tổng vệ sinh.\n"
    )
    d = parse_text(text)
    assert d.kind == "ke_hoach"
    assert d.subject == (
        "Kế hoạch triển khai công tác tổng vệ sinh môi trường trên địa bàn xã năm 2025"
    )
    assert d.issued_on is None
    assert d.issuer == "UBND xã"


def test_a_number_is_kept_as_printed() -> None:
    text = HEADER.replace("Số: 100/UBND-VP", "Số: 2529/VPCP-V .I") + BODY + FOOTER
    assert parse_text(text).number == "2529/VPCP-V .I"


def test_a_trích_yếu_wrapped_over_a_blank_line_is_whole() -> None:
    text = (
        HEADER.replace(
            "V/v triển khai một số nhiệm vụ",
            "V/v đề xuất kinh phí thực hiện\n\nĐề án phát triển khoa học",
        )
        + BODY
        + FOOTER
    )
    assert parse_text(text).subject == "V/v đề xuất kinh phí thực hiện Đề án phát triển khoa học"


def test_the_older_spelling_uỷ_is_kept() -> None:
    text = HEADER.replace("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN") + BODY + FOOTER
    assert parse_text(text).issuer == "Uỷ ban nhân dân tỉnh Hà Nam"


def test_a_letter_with_kính_gửi_and_no_title_is_a_công_văn() -> None:
    text = (
        "Kính gửi:\n- Hiệu trưởng các trường Tiểu học,\n- Hiệu trưởng các trường THCS.\n"
        "Đề nghị Hiệu trưởng các trường rà soát việc thu quỹ.\n"
    )
    assert parse_text(text).kind == "cong_van"


RECIPIENTS = (
    "Các sở, ban, ngành tỉnh",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh",
    "UBND các huyện, thành phố",
)


def test_kính_gửi_with_one_paragraph_per_item_is_whole() -> None:
    text = HEADER.replace(
        "Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- UBND các huyện, thành phố.\n",
        "Kính gửi:\n\n- Các sở, ban, ngành tỉnh;\n\n- Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh\n\n"
        "và các tổ chức chính trị - xã hội tỉnh;\n\nUBND các huyện, thành phố.\n",
    )
    d = parse_text(text + BODY + FOOTER)
    assert d.recipients == RECIPIENTS
    assert not d.recipients_unsure


def test_kính_gửi_in_a_docx_with_one_paragraph_per_line_is_whole() -> None:
    from ingest import parse_document
    from tests.ingest.builders import build_plain_docx

    text = HEADER.replace(
        "- UBND các huyện, thành phố.",
        "- Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh\nvà các tổ chức chính trị - xã hội tỉnh;\n"
        "- UBND các huyện, thành phố.",
    )
    document = parse_document(build_plain_docx((text + BODY + FOOTER).split("\n")), "cv.docx")
    assert document.recipients == RECIPIENTS


def test_a_body_on_the_kính_gửi_line_is_the_body() -> None:
    text = HEADER.split("Kính gửi:")[0] + (
        "Kính gửi: Sở Nội vụ. Thực hiện chỉ đạo của UBND tỉnh, đề nghị Sở Nội vụ rà soát hồ "
        "sơ, báo cáo trước ngày 20/10/2025.\n"
    )
    d = parse_text(text + FOOTER)
    assert d.recipients == ("Sở Nội vụ",)
    assert [t.lead for t in d.tasks] == [("@recipients",)]


def test_a_list_cut_after_a_comma_is_marked_unsure() -> None:
    text = HEADER.split("Kính gửi:")[0] + (
        "Kính gửi:\n- Các sở, ban, ngành tỉnh;\n\n"
        "Thực hiện chỉ đạo của UBND tỉnh, đề nghị các đơn vị rà soát hồ sơ.\n"
    )
    assert parse_text(text + FOOTER).recipients_unsure
