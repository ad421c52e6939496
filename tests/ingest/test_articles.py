"""Articles ("Điều 1.", "Điều 2:") of a quyết định: which are tasks, their refs and leads."""

from __future__ import annotations

import datetime

import pytest

from ingest import ParsedDispatch, ParsedTask, parse_document, parse_text
from tests.ingest.builders import build_pdf, pdf_lines

QD_HEADER = """ỦY BAN NHÂN DÂN
TỈNH HÀ NAM

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 1520/QĐ-UBND

Hà Nam, ngày 10 tháng 11 năm 2025

QUYẾT ĐỊNH
Về việc ban hành Kế hoạch cải cách hành chính năm 2026

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2025;
Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 05/11/2025.

QUYẾT ĐỊNH:

"""
QD_FOOTER = """

Nơi nhận:
- Như Điều 3;
- Lưu: VT.

CHỦ TỊCH

Trương Quốc Huy
"""

EXECUTION = (
    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "Chánh Văn phòng UBND tỉnh, Giám đốc các Sở: Nội vụ, Tài chính, Tư pháp; Chủ tịch UBND "
    "các huyện, thành phố và Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi "
    "hành Quyết định này./.\n"
)


def _qd(articles: str) -> ParsedDispatch:
    return parse_text(QD_HEADER + articles + QD_FOOTER)


def _tasks(articles: str) -> dict[str, ParsedTask]:
    return {task.ref: task for task in _qd(articles).tasks}


TEAM = (
    "Điều 1. Thành lập Tổ công tác rà soát thủ tục hành chính tỉnh (sau đây gọi là Tổ công "
    "tác), gồm các ông, bà có tên sau:\n"
    "1. Ông Nguyễn Văn Bình, Phó Chủ tịch UBND tỉnh - Tổ trưởng;\n"
    "2. Bà Trần Thị Hoa, Giám đốc Sở Nội vụ - Tổ phó.\n\n"
    "Điều 2. Tổ công tác có nhiệm vụ:\n"
    "1. Rà soát thủ tục hành chính thuộc thẩm quyền giải quyết của UBND tỉnh, hoàn thành "
    "trước ngày 31/12/2025.\n"
    "2. Đề xuất phương án đơn giản hóa thủ tục, báo cáo Chủ tịch UBND tỉnh trong quý I/2026.\n"
    "Sở Nội vụ là cơ quan thường trực của Tổ công tác.\n\n" + EXECUTION
)


def test_execution_article_is_the_task_and_enacting_article_is_not() -> None:
    tasks = _tasks(
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2026.\n\n"
        "Điều 2. Giao Sở Nội vụ chủ trì, phối hợp với các sở, ngành liên quan theo dõi, đôn "
        "đốc việc thực hiện Kế hoạch; định kỳ hằng quý báo cáo UBND tỉnh.\n\n" + EXECUTION
    )
    assert list(tasks) == ["Điều 2", "Điều 3"]
    assert tasks["Điều 2"].lead == ("Sở Nội vụ",)
    assert tasks["Điều 2"].support == ("các sở, ngành liên quan",)
    assert [d.kind for d in tasks["Điều 2"].due] == ["recurring"]
    third = tasks["Điều 3"]
    # The entry-into-force sentence is not part of the task.
    assert third.text_starts == "Chánh Văn phòng UBND tỉnh, Giám"
    assert third.text.endswith("thi hành Quyết định này./.")
    lead = " ".join(third.lead)
    assert lead.startswith("Chánh Văn phòng UBND tỉnh, Giám đốc các Sở: Nội vụ, Tài chính")
    assert "Chủ tịch UBND các huyện, thành phố" in lead
    assert third.due == ()


@pytest.mark.parametrize("kind", ["txt", "pdf"])
def test_clauses_of_an_article_inherit_its_lead_and_carry_its_number(kind: str) -> None:
    text = QD_HEADER + TEAM + QD_FOOTER
    if kind == "pdf":
        dispatch = parse_document(build_pdf(pdf_lines(text)), "qd.pdf")
    else:
        dispatch = parse_text(text)
    tasks = {task.ref: task for task in dispatch.tasks}
    # The member list of an establishing article and the designation are not tasks.
    assert list(tasks) == ["Điều 2", "Điều 2.1", "Điều 2.2", "Điều 3"]
    assert tasks["Điều 2"].lead == ("Tổ công tác",)
    assert tasks["Điều 2.1"].lead == ("Tổ công tác",)
    assert tasks["Điều 2.1"].parent_ref == "Điều 2"
    assert [(d.kind, d.date) for d in tasks["Điều 2.1"].due] == [
        ("deadline", datetime.date(2025, 12, 30))
    ]
    assert [(d.kind, d.date) for d in tasks["Điều 2.2"].due] == [
        ("deadline", datetime.date(2026, 3, 31))
    ]


def test_heading_on_its_own_line_capitals_and_colon() -> None:
    tasks = _tasks(
        "ĐIỀU 1:\nPhê duyệt Đề án chuyển đổi số của tỉnh giai đoạn 2026 - 2030.\n\n"
        "ĐIỀU 2:\nSở Khoa học và Công nghệ chủ trì triển khai Đề án; hoàn thành hạ tầng dùng "
        "chung trong năm 2026.\n\n" + EXECUTION
    )
    assert list(tasks) == ["Điều 2", "Điều 3"]
    assert tasks["Điều 2"].lead == ("Sở Khoa học và Công nghệ",)
    assert [(d.kind, d.date) for d in tasks["Điều 2"].due] == [
        ("deadline", datetime.date(2026, 12, 31))
    ]


def test_approving_article_with_an_instruction_is_a_task() -> None:
    tasks = _tasks(
        "Điều 1. Phê duyệt danh mục dự án chuyển đổi số năm 2026 và giao Sở Tài chính bố trí "
        "kinh phí trước ngày 15/12/2025.\n\n"
        "Điều 2. Kinh phí thực hiện từ nguồn ngân sách tỉnh năm 2026.\n\n" + EXECUTION
    )
    assert list(tasks) == ["Điều 1", "Điều 3"]
    assert [(d.kind, d.date) for d in tasks["Điều 1"].due] == [
        ("deadline", datetime.date(2025, 12, 14))
    ]


def test_clauses_of_an_approved_plan_are_tasks_only_when_they_assign() -> None:
    tasks = _tasks(
        "Điều 1. Phê duyệt Kế hoạch tuyên truyền cải cách hành chính năm 2026 với các nội dung "
        "sau:\n"
        "1. Mục tiêu: nâng cao nhận thức của cán bộ, công chức và người dân.\n"
        "2. Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức tuyên truyền trên các phương tiện "
        "thông tin đại chúng, thực hiện thường xuyên.\n\n" + EXECUTION
    )
    assert list(tasks) == ["Điều 1.2", "Điều 3"]
    assert tasks["Điều 1.2"].lead == ("Sở Văn hóa, Thể thao và Du lịch",)
    assert [d.kind for d in tasks["Điều 1.2"].due] == ["recurring"]


def test_effect_only_article_is_not_a_task() -> None:
    tasks = _tasks(
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Tổ công tác.\n\n"
        "Điều 2. Quyết định này có hiệu lực từ ngày 01/12/2025.\n\n" + EXECUTION
    )
    assert list(tasks) == ["Điều 3"]
    assert all(due.date is None for task in tasks.values() for due in task.due)


def test_a_cong_van_citing_an_article_is_unaffected() -> None:
    text = QD_HEADER.replace("QUYẾT ĐỊNH:\n", "") + (
        "1. Sở Nội vụ thực hiện theo quy định tại Điều 3 Nghị định số 30/2020/NĐ-CP, báo cáo "
        "trước ngày 20/11/2025.\n"
    )
    tasks = {t.ref: t for t in parse_text(text + QD_FOOTER).tasks}
    assert list(tasks) == ["1"]


def test_enacted_plan_after_the_signature_adds_its_items() -> None:
    text = (
        QD_HEADER
        + (
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026.\n\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
            "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở, Thủ trưởng các ban, ngành; Chủ "
            "tịch UBND các huyện, thành phố chịu trách nhiệm thi hành Quyết định này./.\n"
        )
        + QD_FOOTER
        + (
            "\nKẾ HOẠCH\nChuyển đổi số năm 2026\n(Ban hành kèm theo Quyết định số 1520/QĐ-UBND "
            "ngày 10/11/2025 của Chủ tịch UBND tỉnh)\n\nI. NHIỆM VỤ\n"
            "1. Sở Khoa học và Công nghệ chủ trì xây dựng nền tảng dữ liệu dùng chung, hoàn thành "
            "trong quý II/2026.\n"
            "2. Các sở, ngành rà soát, số hóa hồ sơ thủ tục hành chính trước ngày 30/6/2026.\n"
        )
    )
    dispatch = parse_text(text)
    tasks = {task.ref: task for task in dispatch.tasks}
    assert list(tasks) == ["Điều 3", "1", "2"]
    assert tasks["1"].lead == ("Sở Khoa học và Công nghệ",)
    assert [(d.kind, d.date) for d in tasks["2"].due] == [("deadline", datetime.date(2026, 6, 29))]
    assert dispatch.signer is not None
    assert dispatch.signer.name == "Trương Quốc Huy"


def test_a_citation_wrapped_onto_a_new_line_is_not_an_article() -> None:
    text = QD_HEADER.replace("QUYẾT ĐỊNH:\n", "") + (
        "1. Sở Nội vụ hướng dẫn các đơn vị thực hiện đúng quy định tại khoản 2\n"
        "Điều 5. Sở Tài chính bố trí kinh phí trước ngày 20/11/2025.\n"
    )
    tasks = [t.ref for t in parse_text(text + QD_FOOTER).tasks]
    assert tasks == ["1"]


def test_lettered_points_directly_under_an_article() -> None:
    tasks = _tasks(
        "Điều 1. Phê duyệt Đề án chuyển đổi số giai đoạn 2026 - 2030.\n\n"
        "Điều 2. Tổ chức thực hiện:\n"
        "a) Sở Khoa học và Công nghệ chủ trì hướng dẫn triển khai Đề án, báo cáo định kỳ hằng "
        "năm.\n"
        "b) Sở Tài chính bố trí kinh phí thực hiện trong dự toán năm 2026.\n\n" + EXECUTION
    )
    assert list(tasks) == ["Điều 2", "Điều 2.a", "Điều 2.b", "Điều 3"]
    assert tasks["Điều 2.a"].parent_ref == "Điều 2"
    assert tasks["Điều 2.a"].lead == ("Sở Khoa học và Công nghệ",)
    assert [d.kind for d in tasks["Điều 2.a"].due] == ["recurring"]
    assert tasks["Điều 2.b"].lead == ("Sở Tài chính",)
    # "trong dự toán năm 2026" names a budget, not a deadline; the plan period is a term.
    assert tasks["Điều 2.b"].due == ()


def test_head_of_units_as_subject_of_an_article() -> None:
    tasks = _tasks(
        "Điều 1. Giao chỉ tiêu tuyển sinh năm học 2026 - 2027 cho các trường trung học phổ "
        "thông (chi tiết tại Phụ lục kèm theo).\n\n"
        "Điều 2. Hiệu trưởng các trường tổ chức tuyển sinh đúng quy định; báo cáo kết quả về "
        "Sở Giáo dục và Đào tạo trước ngày 15/8/2026.\n\n" + EXECUTION
    )
    assert tasks["Điều 2"].lead == ("Hiệu trưởng các trường",)
    assert [(d.kind, d.date) for d in tasks["Điều 2"].due] == [
        ("deadline", datetime.date(2026, 8, 14))
    ]
