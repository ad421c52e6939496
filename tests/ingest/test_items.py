"""Items, hierarchy, paragraphs, lead and support units (SCHEMA.md "tasks")."""

from __future__ import annotations

from ingest import parse_text
from tests.ingest.helpers import HEADER, one_task, parse_body, tasks_of

R = ("@recipients",)


def test_numbering_depths_give_refs_and_parents() -> None:
    tasks = tasks_of(
        "1. Sở Tài chính thực hiện các nội dung sau:\n\n"
        "1.1. Rà soát kinh phí.\n\n1.1.1. Lập dự toán chi tiết.\n\n2. Tổ chức tập huấn.\n"
    )
    assert list(tasks) == ["1", "1.1", "1.1.1", "2"]
    assert tasks["1.1.1"].parent_ref == "1.1"
    assert tasks["1.1"].parent_ref == "1"
    assert tasks["2"].parent_ref is None


def test_bold_number_is_an_item() -> None:
    tasks = tasks_of("9. Rà soát quy trình.\n\n**10.** Tăng cường kiểm tra, giám sát.\n")
    assert tasks["10"].text_starts == "Tăng cường kiểm tra, giám sát."


def test_text_starts_is_first_six_words_without_markdown() -> None:
    task = one_task("1. Tiếp tục *kiện toàn* tổ chức bên trong của các cơ quan, đơn vị.\n")
    assert task.text_starts == "Tiếp tục kiện toàn tổ chức"


def test_wrapped_line_joins_the_sentence() -> None:
    task = one_task("1. Sở Nội vụ phối hợp với\nSở Tài chính rà soát biên chế.\n")
    assert task.text == "Sở Nội vụ phối hợp với Sở Tài chính rà soát biên chế."
    assert task.support == ("Sở Tài chính",)


def test_page_break_inside_a_sentence_joins_it() -> None:
    task = one_task(
        "1. Tổng kết việc thực hiện mô hình\n\n\n\nthí điểm bí thư đồng thời là chủ tịch.\n"
    )
    assert task.text.endswith("mô hình thí điểm bí thư đồng thời là chủ tịch.")


def test_pasted_items_on_single_lines_split() -> None:
    tasks = tasks_of("1. Rà soát hồ sơ.\n2. Báo cáo kết quả.\n3. Lưu trữ tài liệu.\n")
    assert list(tasks) == ["1", "2", "3"]


def test_child_inherits_parent_lead() -> None:
    tasks = tasks_of(
        "2. Đảng ủy Ủy ban nhân dân tỉnh lãnh đạo thực hiện một số nội dung sau:\n\n"
        "2.1. Chủ trì, phối hợp các cơ quan, đơn vị chủ động báo cáo kết quả.\n"
    )
    assert tasks["2"].lead == ("Đảng ủy Ủy ban nhân dân tỉnh",)
    assert tasks["2.1"].lead == ("Đảng ủy Ủy ban nhân dân tỉnh",)
    assert tasks["2.1"].support == ("các cơ quan, đơn vị",)


def test_item_without_unit_leads_to_recipients() -> None:
    assert one_task("1. Quán triệt, phổ biến nội dung Kết luận.\n").lead == R


def test_general_subject_restating_addressees_is_recipients() -> None:
    task = one_task("1. Các cấp ủy, tổ chức đảng, cơ quan, đơn vị khẩn trương quán triệt.\n")
    assert task.lead == R


def test_preposed_clause_is_not_a_unit() -> None:
    task = one_task("1. Căn cứ chức năng, nhiệm vụ, cơ quan, đơn vị khẩn trương quán triệt.\n")
    assert task.lead == R


def test_grammatical_subject_is_lead() -> None:
    task = one_task("1. Sở Nội vụ chủ động nghiên cứu tham mưu triển khai Nghị định.\n")
    assert task.lead == ("Sở Nội vụ",)


def test_chu_tri_and_phoi_hop() -> None:
    task = one_task(
        "1. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Ban cán sự đảng UBND tỉnh và các cơ quan, "
        "đơn vị liên quan thường xuyên đôn đốc.\n"
    )
    assert task.lead == ("Ban Tổ chức Tỉnh ủy",)
    assert task.support == ("Ban cán sự đảng UBND tỉnh", "các cơ quan, đơn vị liên quan")


def test_giao_names_the_lead() -> None:
    assert one_task("1. Giao Sở Tài chính bố trí kinh phí.\n").lead == ("Sở Tài chính",)


def test_unit_being_helped_is_not_support() -> None:
    task = one_task(
        "1. Sở Khoa học và Công nghệ phối hợp với Công an tỉnh hỗ trợ Ủy ban Mặt trận Tổ quốc "
        "Việt Nam tỉnh kết nối cơ sở dữ liệu.\n"
    )
    assert task.lead == ("Sở Khoa học và Công nghệ",)
    assert task.support == ("Công an tỉnh",)


def test_unit_name_with_va_stays_whole() -> None:
    task = one_task("1. Sở Giáo dục và Đào tạo chủ trì tổ chức kỳ thi.\n")
    assert task.lead == ("Sở Giáo dục và Đào tạo",)


def test_continuation_paragraph_adds_units_and_timings() -> None:
    tasks = tasks_of(
        "5. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp các địa phương báo cáo trước ngày 15/10/2025.\n\n"
        "Phối hợp Sở Nội vụ tăng cường tập huấn; định kỳ báo cáo Ban Thường vụ Tỉnh ủy.\n"
    )
    task = tasks["5"]
    assert task.support == ("các địa phương", "Sở Nội vụ")
    assert [d.kind for d in task.due] == ["deadline", "recurring"]


def test_dash_bullets_belong_to_the_item() -> None:
    task = one_task(
        "3. Giao Sở Xây dựng:\n- Hoàn chỉnh hồ sơ quy hoạch;\n"
        "- Trình UBND tỉnh trước ngày 30/10/2025.\n"
    )
    assert task.lead == ("Sở Xây dựng",)
    assert "Hoàn chỉnh hồ sơ quy hoạch" in task.text
    assert [d.kind for d in task.due] == ["deadline"]


def test_lettered_items_are_children() -> None:
    tasks = tasks_of(
        "3. UBND các huyện, thành phố:\na) Tổ chức quán triệt Chỉ thị.\nb) Báo cáo kết quả.\n"
    )
    assert list(tasks) == ["3", "3.a", "3.b"]
    assert tasks["3.b"].lead == ("UBND các huyện, thành phố",)


def test_preamble_and_closing_are_not_tasks() -> None:
    d = parse_body(
        "1. Rà soát hồ sơ.\n\nNhận được Công văn này, yêu cầu các cơ quan triển khai thực hiện./.\n"
    )
    assert [t.ref for t in d.tasks] == ["1"]
    assert "Nhận được" not in d.tasks[0].text
    assert "Thực hiện chỉ đạo" not in d.tasks[0].text


def test_noting_item_without_instruction_is_not_a_task() -> None:
    tasks = tasks_of(
        "1. Thống nhất chủ trương điều chỉnh quy hoạch chung.\n\n"
        "2. Thống nhất thôi thực hiện mô hình Văn phòng cấp ủy (thực hiện từ tháng 11/2025).\n"
    )
    assert list(tasks) == ["2"]


def test_descriptive_roman_section_is_skipped() -> None:
    tasks = tasks_of(
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao hiệu quả cải cách hành chính.\n"
        "II. NHIỆM VỤ\n1. Rà soát thủ tục hành chính.\n2. Công khai thủ tục.\n"
        "III. TỔ CHỨC THỰC HIỆN\n1. Văn phòng theo dõi, đôn đốc.\n"
    )
    assert list(tasks) == ["II.1", "II.2", "III.1"]
    assert tasks["III.1"].lead == ("Văn phòng",)


def test_heading_item_takes_lead_from_its_first_paragraph() -> None:
    tasks = tasks_of(
        "1. Cải cách thủ tục hành chính\n"
        "Văn phòng Sở chủ trì, phối hợp với các phòng chuyên môn công bố thủ tục.\n"
        "2. Hiện đại hóa hành chính\nPhòng Tổ chức triển khai phần mềm.\n"
    )
    assert tasks["1"].lead == ("Văn phòng Sở",)
    assert tasks["2"].lead == ("Phòng Tổ chức",)


def test_text_without_numbering_gives_one_task_per_asking_paragraph() -> None:
    text = HEADER + (
        "Đề nghị các sở, ngành rà soát số liệu, gửi về Sở Nội vụ trước ngày 20/10/2025.\n\n"
        "Sở Nội vụ tổng hợp, báo cáo UBND tỉnh kết quả thực hiện.\n\nTrân trọng./.\n"
    )
    tasks = parse_text(text).tasks
    assert [t.ref for t in tasks] == ["p1", "p2"]
    assert tasks[1].lead == ("Sở Nội vụ",)


def test_plan_attached_after_the_decisions_signature() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n\nSố: 321/QĐ-UBND\n\n"
        "Bắc Ninh, ngày 02 tháng 6 năm 2025\n\n"
        "QUYẾT ĐỊNH\nBan hành Kế hoạch chuyển đổi số năm 2025\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/02/2025;\n"
        "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2025.\n\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
        "Nơi nhận:\n- Lưu: VT.\n\nCHỦ TỊCH\n\nNguyễn Anh Tuấn\n\n"
        "KẾ HOẠCH\nChuyển đổi số năm 2025\n\nI. NHIỆM VỤ\n"
        "1. Sở Khoa học và Công nghệ xây dựng nền tảng dữ liệu, hoàn thành trong quý III/2025.\n"
    )
    d = parse_text(text)
    assert d.kind == "quyet_dinh"
    assert [t.lead for t in d.tasks] == [("Sở Khoa học và Công nghệ",)]
    assert d.signer is not None
    assert d.signer.name == "Nguyễn Anh Tuấn"


def test_paragraph_under_an_assigning_heading_is_a_task() -> None:
    tasks = tasks_of(
        "I. NHIỆM VỤ\n1. Rà soát thủ tục hành chính.\n\nII. TỔ CHỨC THỰC HIỆN\n"
        "Văn phòng UBND tỉnh theo dõi, đôn đốc, báo cáo UBND tỉnh kết quả thực hiện.\n"
    )
    assert tasks["p1"].lead == ("Văn phòng UBND tỉnh",)


def test_wrapped_document_number_at_line_start_is_not_an_item() -> None:
    tasks = tasks_of(
        "1. Thực hiện Nghị quyết số\n18-NQ/TW của Ban Chấp hành Trung ương.\n2- Rà soát hồ sơ.\n"
    )
    assert list(tasks) == ["1", "2"]


def test_lead_after_a_topic_label_or_fronted_adverbial() -> None:
    tasks = tasks_of(
        "1. Về công tác tuyên truyền: Sở Văn hóa chủ trì tổ chức các hoạt động.\n\n"
        "2. Trong tháng 11/2025, Sở Nội vụ hoàn thành việc rà soát biên chế.\n"
    )
    assert tasks["1"].lead == ("Sở Văn hóa",)
    assert tasks["2"].lead == ("Sở Nội vụ",)


def test_several_units_separated_by_semicolon_lead_together() -> None:
    task = one_task(
        "1. Thủ trưởng các sở, ban, ngành; Chủ tịch UBND các huyện có trách nhiệm triển khai.\n"
    )
    assert task.lead == ("Thủ trưởng các sở, ban, ngành; Chủ tịch UBND các huyện",)


def test_capital_letter_sections_group_like_roman_ones() -> None:
    """ "A. MỤC ĐÍCH, YÊU CẦU" describes; tasks are the items under "B. NHIỆM VỤ"."""
    tasks = tasks_of(
        "A. MỤC ĐÍCH, YÊU CẦU\n\n"
        "1. Nâng cao nhận thức về chuyển đổi số; hoàn thành trong năm 2025.\n\n"
        "B. NHIỆM VỤ CỤ THỂ\n\n"
        "1. Sở Khoa học và Công nghệ chủ trì xây dựng kế hoạch, trình UBND tỉnh "
        "trước ngày 30/11/2025.\n"
    )
    assert list(tasks) == ["B.1"]
    assert tasks["B.1"].lead == ("Sở Khoa học và Công nghệ",)


def test_review_section_of_a_conclusion_is_not_a_task() -> None:
    tasks = tasks_of(
        "1. Đánh giá chung\n\nĐến nay, tỷ lệ giải ngân đạt 52%, các chủ đầu tư chưa quyết liệt.\n\n"
        "2. Giao Sở Tài chính chủ trì rà soát, báo cáo UBND tỉnh trước ngày 20/11/2025.\n"
    )
    assert list(tasks) == ["2"]


def test_unit_names_with_verb_syllables_stay_whole() -> None:
    task = one_task(
        "1. Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng tỉnh khẩn trương "
        "hoàn thiện hồ sơ thanh toán; Các sở, ngành, địa phương tổ chức trực ban 24/24 giờ.\n"
    )
    assert task.lead == ("Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng tỉnh",)
    tasks = tasks_of(
        "1. Các sở, ban, ngành, địa phương tổ chức trực ban 24/24 giờ.\n\n"
        "2. Phòng Kinh tế phối hợp với Đội Quản lý thị trường số 13 kiểm tra thị trường.\n"
    )
    assert tasks["1"].lead == ("Các sở, ban, ngành, địa phương",)
    assert tasks["2"].support == ("Đội Quản lý thị trường số 13",)


def test_word_table_copied_with_tabs_is_a_task_table() -> None:
    tasks = tasks_of(
        "STT\tNội dung\tĐơn vị chủ trì\tThời gian\n"
        "1\tRà soát danh sách trẻ\tTrung tâm Kiểm soát bệnh tật\tTrước ngày 25/11/2025\n"
        "2\tTập huấn cán bộ\tBệnh viện tỉnh\tTháng 12/2025\n"
    )
    assert tasks["1"].lead == ("Trung tâm Kiểm soát bệnh tật",)
    assert [(d.kind, d.date) for d in tasks["2"].due] == [
        ("deadline", __import__("datetime").date(2025, 12, 31))
    ]


def test_labelled_fields_of_a_plan_item_name_lead_and_support() -> None:
    """ "- Đơn vị chủ trì: ...", "- Đơn vị phối hợp: ...", "Chủ trì: ...; phối hợp: ..."."""
    tasks = tasks_of(
        "1. Tổ chức hội nghị quán triệt Nghị quyết\n"
        "- Đơn vị chủ trì: Ban Tuyên giáo Huyện ủy.\n"
        "- Đơn vị phối hợp: Văn phòng Huyện ủy, Trung tâm Chính trị huyện.\n"
        "- Thời gian: Trong tháng 12/2025.\n\n"
        "2. Tuyên truyền trên hệ thống truyền thanh\n"
        "Chủ trì: Trung tâm Văn hóa - Thông tin và Thể thao huyện; phối hợp: UBND các xã.\n\n"
        "3. Đề nghị các đơn vị thực hiện: Sở Nội vụ rà soát biên chế.\n"
    )
    assert tasks["1"].lead == ("Ban Tuyên giáo Huyện ủy",)
    assert tasks["1"].support == ("Văn phòng Huyện ủy, Trung tâm Chính trị huyện",)
    assert tasks["2"].lead == ("Trung tâm Văn hóa - Thông tin và Thể thao huyện",)
    assert tasks["2"].support == ("UBND các xã",)
    # A sentence after "thực hiện:" is prose, not a field.
    assert tasks["3"].lead == R


def test_department_directing_its_agency_leads() -> None:
    """ "Sở X chỉ đạo Chi cục Y ...": the department is tasked; a governing body's "chỉ đạo"
    hands the task to its object."""
    tasks = tasks_of(
        "1. Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Kiểm lâm tổ chức trực 24/24 giờ.\n\n"
        "2. UBND tỉnh chỉ đạo Sở Y tế khẩn trương kiểm tra an toàn thực phẩm.\n"
    )
    assert tasks["1"].lead == ("Sở Nông nghiệp và Môi trường",)
    assert tasks["2"].lead == ("Sở Y tế",)
