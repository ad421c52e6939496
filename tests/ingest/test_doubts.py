"""The unsure marks: on the fields the rules could not settle, and not on plain ones."""

from __future__ import annotations

import datetime

from ingest.doubts import task_doubts
from ingest.model import Due
from tests.ingest.helpers import one_task

R = ("@recipients",)
DEADLINE = Due("deadline", datetime.date(2025, 10, 14), "trước ngày 15/10/2025")


def test_a_plain_item_carries_no_mark() -> None:
    task = one_task(
        "1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát, báo cáo trước ngày 15/10/2025.\n"
    )
    assert task.unsure == frozenset()


def test_a_lead_that_takes_in_an_unknown_word_is_unsure() -> None:
    text = "Bộ Tài chính khoanh nợ cho doanh nghiệp."
    assert "lead" in task_doubts(text, ("Bộ Tài chính khoanh nợ",), (), ())


def test_no_lead_at_all_is_unsure() -> None:
    assert "lead" in task_doubts("Tổ chức hội nghị triển khai.", (), (), ())


def test_a_lead_found_behind_fronted_clauses_is_unsure() -> None:
    text = "Căn cứ kết quả rà soát, sau khi thống nhất, Thường trực HĐND dự kiến cơ cấu."
    assert "lead" in task_doubts(text, ("Thường trực HĐND",), (), ())


def test_chủ_trì_with_every_addressee_as_lead_is_unsure() -> None:
    text = "Giao chủ trì xây dựng kế hoạch, báo cáo UBND tỉnh."
    assert "lead" in task_doubts(text, R, (), ())


def test_phối_hợp_với_and_no_support_found_is_unsure() -> None:
    text = "Sở Nội vụ chủ trì, phối hợp với các ngành rà soát."
    assert "support" in task_doubts(text, ("Sở Nội vụ",), (), ())


def test_a_deadline_without_a_year_to_give_it_is_unsure() -> None:
    due = Due("deadline", None, "trước ngày 20/10")
    assert "due" in task_doubts("Báo cáo trước ngày 20/10.", R, (), (due,))


def test_a_full_date_no_rule_read_is_unsure_but_a_cited_one_is_not() -> None:
    loose = "Các đơn vị gửi báo cáo, hạn 20/10/2025 theo kế hoạch."
    cited = "Thực hiện Công văn số 12/UBND ngày 20/09/2025, các đơn vị gửi báo cáo."
    assert "due" in task_doubts(loose, R, (), ())
    assert "due" not in task_doubts(cited, R, (), ())


def test_a_paragraph_after_the_items_is_an_unsure_task() -> None:
    assert "text" in task_doubts("Sở Y tế kiểm tra.", ("Sở Y tế",), (), (), tail=True)
