"""One item typed into a draft is read by the same rules as an item of a dispatch."""

from __future__ import annotations

import datetime

from ingest.items import read_item
from ingest.model import RECIPIENTS
from tests.ingest.helpers import parse_body

DAY = datetime.date(2026, 12, 3)


def test_a_typed_item_gets_its_lead_support_and_deadline() -> None:
    item = read_item(
        "Đảng ủy phường Cái Khế chủ trì, phối hợp Sở Nội vụ rà soát danh sách, "
        "báo cáo kết quả trước ngày 18/12/2026.",
        (),
        DAY,
    )
    assert item.lead == ("Đảng ủy phường Cái Khế",)
    assert item.support == ("Sở Nội vụ",)
    [due] = item.due
    assert (due.kind, due.date, due.phrase) == (
        "deadline",
        datetime.date(2026, 12, 17),
        "trước ngày 18/12/2026",
    )


def test_a_typed_item_reads_like_the_same_item_in_a_dispatch() -> None:
    text = (
        "Sở Nội vụ chủ trì, phối hợp Sở Tài chính tổng hợp danh sách, hoàn thành trong "
        "05 ngày làm việc kể từ ngày nhận văn bản."
    )
    [parsed] = parse_body("1. " + text + "\n").tasks
    item = read_item(text, (), None)
    assert (item.lead, item.support, item.due) == (parsed.lead, parsed.support, parsed.due)
    assert item.due[0].days == 5


def test_labelled_fields_and_a_year_less_date_count_from_the_reference_day() -> None:
    item = read_item(
        "Rà soát hồ sơ. Chủ trì: Sở Nội vụ; phối hợp: Sở Tài chính. Trước 20/12.", (), DAY
    )
    assert (item.lead, item.support) == (("Sở Nội vụ",), ("Sở Tài chính",))
    assert item.due[0].date == datetime.date(2026, 12, 19)


def test_a_typed_item_without_a_subject_goes_to_the_recipients() -> None:
    item = read_item("Rà soát, báo cáo số liệu biên chế năm 2026.", ("Sở Nội vụ",), DAY)
    assert item.lead == (RECIPIENTS,)
    assert item.due == ()
