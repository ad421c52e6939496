"""Where a task starts and ends: closing formulas, preambles, delivery sentences, numbering
forms, text between items, flat tables (SCHEMA.md "tasks" and "Not tasks")."""

from __future__ import annotations

import datetime

import pytest

from ingest import parse_text
from tests.ingest.builders import pdf_lines
from tests.ingest.helpers import FOOTER, dated, tasks_of

D = datetime.date
R = ("@recipients",)

LETTER = """UBND TỈNH HÀ NAM
SỞ NỘI VỤ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 210/SNV-VP
V/v rà soát hồ sơ

Hà Nam, ngày 06 tháng 10 năm 2025

Kính gửi:
- Các sở, ban, ngành tỉnh;
- UBND các huyện, thành phố.

"""


def letter(body: str) -> dict[str, object]:
    return {t.ref: t for t in parse_text(LETTER + body + FOOTER).tasks}


@pytest.mark.parametrize(
    "closing",
    [
        "Sở Nội vụ thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        "Đề nghị các cơ quan, đơn vị quan tâm thực hiện./.",
        "Sở Nội vụ yêu cầu các cơ quan, đơn vị khẩn trương tổ chức thực hiện.",
        "Văn phòng xin thông báo để các địa phương biết và thực hiện./.",
    ],
)
def test_a_closing_formula_of_an_unnumbered_letter_is_no_task(closing: str) -> None:
    tasks = letter(
        "Sở Nội vụ đề nghị các cơ quan, đơn vị rà soát hồ sơ cán bộ, gửi về Sở Nội vụ "
        f"trước ngày 20/10/2025.\n\n{closing}\n"
    )
    assert list(tasks) == ["p1"]


def test_a_preamble_citing_a_decision_is_no_task() -> None:
    tasks = letter(
        "Thực hiện Quyết định số 3242/QĐ-UBND ngày 22/12/2024 của UBND tỉnh về việc ban "
        "hành Kế hoạch cải cách hành chính năm 2025.\n\n"
        "Sở Nội vụ đề nghị các cơ quan, đơn vị lựa chọn tập thể tiêu biểu, gửi hồ sơ về "
        "Sở Nội vụ trước ngày 18/10/2025.\n"
    )
    assert list(tasks) == ["p1"]
    assert tasks["p1"].text_starts.startswith("Sở Nội vụ đề nghị")


def test_a_closing_that_names_real_work_is_a_task() -> None:
    tasks = letter("Đề nghị các cơ quan, đơn vị rà soát danh sách cán bộ nghỉ hưu năm 2026.\n")
    assert list(tasks) == ["p1"]


def test_a_delivery_sentence_gives_its_date_to_the_request_before_it() -> None:
    tasks = letter(
        "Sở Nội vụ đề nghị các cơ quan, đơn vị báo cáo tình hình thực hiện chế độ "
        "một cửa tại đơn vị.\n\n"
        "Thời gian gửi báo cáo trước ngày 20 tháng 10 năm 2025.\n"
    )
    assert list(tasks) == ["p1"]
    assert dated(tasks["p1"]) == [("deadline", D(2025, 10, 19))]
    assert "due" in tasks["p1"].unsure  # a date from another sentence


def test_a_delivery_sentence_after_a_list_times_every_item_of_it() -> None:
    tasks = letter(
        "Sở Nội vụ đề nghị các cơ quan, đơn vị:\n\n"
        "(1) Tổng hợp danh sách công chức đủ điều kiện nâng ngạch;\n\n"
        "(2) Tổng hợp danh sách viên chức đủ điều kiện thăng hạng.\n\n"
        "Danh sách gửi về Sở Nội vụ trước ngày 15/10/2025 (bản mềm gửi qua thư điện tử).\n"
    )
    assert list(tasks) == ["1", "2"]
    assert dated(tasks["1"]) == dated(tasks["2"]) == [("deadline", D(2025, 10, 14))]


def test_the_units_that_only_carry_out_by_a_date_time_the_request() -> None:
    tasks = letter(
        "Đề nghị các đơn vị rà soát việc thu quỹ phòng, chống thiên tai năm 2025.\n\n"
        "Các đơn vị thực hiện trước ngày 24/10/2025.\n"
    )
    assert list(tasks) == ["p1"]
    assert dated(tasks["p1"]) == [("deadline", D(2025, 10, 23))]


def test_items_numbered_in_parentheses_are_items() -> None:
    tasks = tasks_of("(1) Rà soát hồ sơ cán bộ;\n\n(2) Lập danh sách đề nghị khen thưởng.\n")
    assert list(tasks) == ["1", "2"]


def test_a_dispatch_with_more_than_a_hundred_items_keeps_every_item() -> None:
    body = "".join(f"{n}. Sở Nội vụ rà soát hồ sơ đợt {n}.\n\n" for n in range(1, 131))
    assert list(tasks_of(body)) == [str(n) for n in range(1, 131)]


def test_a_year_at_the_start_of_a_wrapped_line_is_no_item() -> None:
    tasks = tasks_of(
        "1. Sở Nội vụ tổng kết công tác cán bộ năm\n2025. Các sở phối hợp thực hiện.\n"
    )
    assert list(tasks) == ["1"]


def test_text_with_its_own_subject_between_two_items_belongs_to_the_first() -> None:
    tasks = tasks_of(
        "1. Sở Tài chính ứng trước kinh phí cho Sở Nội vụ, hoàn thành trong tháng 11/2025.\n\n"
        "Giám đốc Sở Tài chính quyết định mức ứng cụ thể.\n\n"
        "2. Sở Kế hoạch và Đầu tư bố trí vốn năm 2026.\n"
    )
    assert list(tasks) == ["1", "2"]
    assert tasks["1"].lead == ("Sở Tài chính",)
    assert "mức ứng cụ thể" in tasks["1"].text


@pytest.mark.parametrize("word", ["Cho phép", "Chấp thuận", "Đồng ý"])
def test_an_item_that_only_grants_is_no_task(word: str) -> None:
    tasks = tasks_of(
        f"1. {word} Sở Y tế bổ sung bệnh viện vào quy hoạch.\n\n2. Sở Y tế lập dự án.\n"
    )
    assert list(tasks) == ["2"]


def test_a_flat_table_row_keeps_its_date_cell_after_a_note_line() -> None:
    text = (
        "Kế hoạch triển khai công tác bầu cử năm 2026\n\n"
        "TT\n\nNội dung công việc\n\nNgày chậm nhất phải hoàn thành\n\n"
        "1\n\nTriển khai công tác bầu cử\n\nTriệu tập hội nghị triển khai ở tỉnh.\n\n"
        "21/01/2026\n\n"
        "2\n\nDự kiến người ứng cử\n\n"
        "Căn cứ số lượng đại biểu được bầu, Thường trực HĐND các cấp dự kiến cơ cấu.\n\n"
        "(Điều 9 Luật Bầu cử).\n\n105 ngày\n\n07/02/2026 (chủ Nhật)\n"
    )
    for layout in (text, "\n".join(pdf_lines(text))):
        d = parse_text(layout)
        got = {t.ref: (t.text_starts, t.lead, dated(t)) for t in d.tasks}
        assert got == {
            "1": ("Triển khai công tác bầu cử", (), [("deadline", D(2026, 1, 21))]),
            "2": (
                "Dự kiến người ứng cử Căn",
                ("Thường trực HĐND các cấp",),
                [("deadline", D(2026, 2, 7))],
            ),
        }
        assert d.kind == "ke_hoach"


def test_wrapped_pdf_text_starts_the_task_after_the_narrative() -> None:
    body = (
        "Ngày 17 tháng 9 năm 2025, Báo Nhân Dân có đăng bài phản ánh việc khai thác cát trái "
        "phép trên sông.\n"
        "Về việc này, Phó Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:\n"
        "Giám đốc Sở Tài nguyên và Môi trường kiểm tra, xử lý nghiêm việc khai thác cát trái "
        "phép, báo cáo UBND tỉnh trước ngày 30 tháng 10 năm 2025.\n"
    )
    d = parse_text("\n".join(pdf_lines(LETTER + body + FOOTER)))
    assert [t.text_starts for t in d.tasks] == ["Giám đốc Sở Tài nguyên và"]


def test_a_task_starts_at_its_purpose_clause_not_at_the_story_before_it() -> None:
    tasks = letter(
        "Ngày 02/10/2025, Sở Nội vụ nhận được Công văn số 12/BNV-TCBC của Bộ Nội vụ về việc "
        "rà soát biên chế. Để có cơ sở tổng hợp, Sở Nội vụ đề nghị các cơ quan, đơn vị báo "
        "cáo số liệu biên chế, gửi về Sở Nội vụ trước ngày 20/10/2025.\n"
    )
    assert [t.text_starts for t in tasks.values()] == ["Để có cơ sở tổng hợp,"]
    assert dated(tasks["p1"]) == [("deadline", D(2025, 10, 19))]
