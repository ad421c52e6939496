"""Where a unit's name ends, and who leads (SCHEMA.md "More rules for tasks and units")."""

from __future__ import annotations

import pytest

from ingest import parse_text
from ingest.units import find_lead, find_support, unit_phrase
from tests.ingest.helpers import FOOTER, one_task

R = ("@recipients",)
MANY = ("Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # The name ends before the verb, known or not.
        ("Bộ Tài chính ứng trước dự toán ngân sách năm 2026", "Bộ Tài chính"),
        ("Văn phòng Chính phủ xin thông báo để các bộ biết", "Văn phòng Chính phủ"),
        ("Đoàn Thanh niên xã tham gia dọn vệ sinh", "Đoàn Thanh niên xã"),
        # A syllable that is also a verb stays inside a name.
        ("Bộ Ngoại giao, Bộ Công an phối hợp", "Bộ Ngoại giao, Bộ Công an"),
        ("Ủy ban An toàn giao thông Quốc gia báo cáo", "Ủy ban An toàn giao thông Quốc gia"),
        # A comma inside a name does not end it.
        ("Phòng Chính trị, tư tưởng phối hợp với các phòng", "Phòng Chính trị, tư tưởng"),
        ("Sở Văn hóa, Thể thao và Du lịch chủ trì", "Sở Văn hóa, Thể thao và Du lịch"),
        # An apposition in parentheses is not part of the name.
        (
            "Trung tâm Kiểm soát bệnh tật tỉnh (Thường trực Ban Chỉ đạo) chủ trì",
            "Trung tâm Kiểm soát bệnh tật tỉnh",
        ),
        # A heading's colon ends the name; a plural's colon lists names.
        (
            "Phòng Văn hóa - Thông tin huyện: Tổ chức tuyên truyền",
            "Phòng Văn hóa - Thông tin huyện",
        ),
        ("Giám đốc các Sở: Nội vụ, Tài chính tham mưu", "Giám đốc các Sở: Nội vụ, Tài chính"),
        (
            "Các Bộ: Quốc phòng, Công an; Thông tấn xã Việt Nam báo cáo",
            "Các Bộ: Quốc phòng, Công an; Thông tấn xã Việt Nam",
        ),
    ],
)
def test_a_unit_name_ends_where_the_name_ends(text: str, name: str) -> None:
    found = unit_phrase(text)
    assert found is not None
    assert found[0] == name


def test_a_title_spread_over_a_list_is_kept_as_written() -> None:
    text = "Giao Giám đốc: Sở Nội vụ, Sở Tài chính, Đài Phát thanh tỉnh phối hợp với các sở"
    assert find_lead(text, MANY) == ("Giám đốc: Sở Nội vụ, Sở Tài chính, Đài Phát thanh tỉnh",)


def test_tổ_chức_after_a_name_is_the_verb() -> None:
    text = "Phòng Nội vụ phối hợp với các phòng thuộc Sở tổ chức dự sinh hoạt chào cờ"
    assert find_support(text) == ("các phòng thuộc Sở",)


def test_the_subject_after_fronted_clauses_leads() -> None:
    text = (
        "Căn cứ số lượng đại biểu được bầu theo quy định, sau khi thống nhất ý kiến với "
        "UBND cùng cấp, Thường trực HĐND các cấp dự kiến cơ cấu đại biểu"
    )
    assert find_lead(text, ()) == ("Thường trực HĐND các cấp",)


def test_an_addressee_told_to_direct_leads() -> None:
    text = "Chủ tịch UBND tỉnh Phú Thọ chỉ đạo các sở, ngành kiểm tra, báo cáo"
    assert find_lead(text, ("Đồng chí Chủ tịch UBND tỉnh Phú Thọ",)) == (
        "Chủ tịch UBND tỉnh Phú Thọ",
    )


def test_the_issuer_that_directs_hands_the_task_to_its_object() -> None:
    text = "UBND tỉnh chỉ đạo Sở Nội vụ rà soát hồ sơ"
    assert find_lead(text, MANY) == ("Sở Nội vụ",)


def test_in_announce_and_ask_the_one_asked_leads() -> None:
    text = "UBND xã thông báo và đề nghị Đoàn Thanh niên xã tham gia dọn vệ sinh"
    assert find_lead(text, ()) == ("Đoàn Thanh niên xã",)


def test_one_of_several_addressees_is_named() -> None:
    text = (
        "Thủ tướng Chính phủ yêu cầu UBND các huyện, thành phố báo cáo tình hình kinh tế - xã hội"
    )
    assert find_lead(text, MANY) == ("UBND các huyện, thành phố",)


def test_a_plural_class_restating_the_addressees_is_every_addressee() -> None:
    assert one_task("1. Các cơ quan, đơn vị rà soát hồ sơ cán bộ.\n").lead == R


def test_without_kính_gửi_there_is_no_recipients_marker() -> None:
    text = (
        "UBND XÃ AN BÌNH\n\nSố: 12/TB-UBND\n\nAn Bình, ngày 06 tháng 10 năm 2025\n\n"
        "THÔNG BÁO\n\n1. Tổ chức tổng vệ sinh toàn xã.\n\n"
        "2. Các thôn vận động nhân dân tham gia.\n" + FOOTER
    )
    tasks = {t.ref: t.lead for t in parse_text(text).tasks}
    assert tasks == {"1": (), "2": ("Các thôn",)}
