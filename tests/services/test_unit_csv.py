"""Reading and writing the unit registry CSV."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bot import texts
from services.unit_csv import (
    ALIAS_CLASH,
    BAD_COLUMN_COUNT,
    BAD_HEADER,
    DUPLICATE_NAME,
    EMPTY_FILE,
    EMPTY_NAME,
    NOT_UTF8,
    CsvProblem,
    UnitRow,
    parse_units_csv,
    write_units_csv,
)
from services.unit_matching import UnitIndex, UnitRecord

CANTHO_CSV = (
    Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "units" / "cantho.csv"
)


def _codes(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in parse_units_csv(text).problems]


def test_cantho_registry_parses_cleanly() -> None:
    parsed = parse_units_csv(CANTHO_CSV.read_bytes())
    assert parsed.ok
    assert len(parsed.rows) == 32
    first = parsed.rows[0]
    assert first == UnitRow(
        2,
        "Ban Tổ chức Thành ủy Cần Thơ",
        ("Ban Tổ chức Thành ủy", "BTC Thành ủy", "BTCTU"),
        (
            "Các ban xây dựng Đảng của Thành ủy",
            "Các cơ quan chuyên trách tham mưu giúp việc Thành ủy",
        ),
    )
    assert parsed.rows[7].aliases == ()  # "Đảng ủy Các cơ quan Đảng ...,,..."


def test_byte_order_mark_is_ignored() -> None:
    data = "\ufeffname,aliases,groups\nSở Y tế,,\n".encode()
    parsed = parse_units_csv(data)
    assert parsed.ok
    assert parsed.rows[0].name == "Sở Y tế"


def test_text_input_with_byte_order_mark() -> None:
    assert parse_units_csv("\ufeffname\nSở Y tế\n").rows[0].name == "Sở Y tế"


def test_values_are_nfc_and_trimmed() -> None:
    text = unicodedata.normalize(
        "NFD", "name,aliases,groups\n  Sở  Nội vụ ,  SNV | | SNV ,Sở ngành|\n"
    )
    row = parse_units_csv(text.encode()).rows[0]
    assert row == UnitRow(2, "Sở Nội vụ", ("SNV",), ("Sở ngành",))


def test_columns_in_any_order_and_extra_columns_ignored() -> None:
    parsed = parse_units_csv("groups,note,name,aliases\nSở ngành,x,Sở Y tế,SYT\n")
    assert parsed.ok
    assert parsed.rows[0] == UnitRow(2, "Sở Y tế", ("SYT",), ("Sở ngành",))


def test_name_only_file() -> None:
    assert parse_units_csv("name\nSở Y tế\nSở Nội vụ\n").rows[1] == UnitRow(3, "Sở Nội vụ")


def test_generated_registry_of_200_units_with_groups_parses() -> None:
    lines = ["name,aliases,groups"]
    for i in range(200):
        groups = "Đảng ủy xã phường|Cơ sở" if i % 2 else "Cơ sở"
        lines.append(f"Đảng ủy xã Số {i},ĐU xã Số {i},{groups}")
    parsed = parse_units_csv("\n".join(lines))
    assert parsed.ok
    assert len(parsed.rows) == 200
    index = UnitIndex(row.to_record(i) for i, row in enumerate(parsed.rows, start=1))
    assert len(index.match("Đảng ủy xã, phường").unit_ids) == 100
    assert index.match("Đảng ủy xã Số 17").unit_ids == (18,)


def test_every_problem_is_reported_with_its_line() -> None:
    text = (
        "name,aliases,groups\n"  # 1
        "Sở Nội vụ,SNV,\n"  # 2
        ",x,\n"  # 3: empty name
        "SỞ NỘI VỤ,,\n"  # 4: duplicate (case)
        "So Noi vu,,\n"  # 5: duplicate (diacritics)
        "\n"  # 6: blank, skipped
        "Sở Tài chính,snv,\n"  # 7: alias clash
        "Sở Y tế,,,\n"  # 8: bad column count
        '"Sở Xây dựng\nmới",,\n'  # 9-10: one quoted cell over two lines
        "Sở Nội vụ tỉnh,,\n"  # 11: fine
        "Sở Tư pháp\n"  # 12: bad column count
        "SNV,,\n"  # 13: a name that is another unit's alias
    )
    assert _codes(text) == [
        (3, EMPTY_NAME),
        (4, DUPLICATE_NAME),
        (5, DUPLICATE_NAME),
        (7, ALIAS_CLASH),
        (8, BAD_COLUMN_COUNT),
        (12, BAD_COLUMN_COUNT),
        (13, ALIAS_CLASH),
    ]
    assert parse_units_csv(text).problems[4].value == "Sở Y tế,,,"


def test_duplicate_through_abbreviation() -> None:
    text = "name,aliases,groups\nỦy ban nhân dân tỉnh,,\nUBND tỉnh,,\n"
    assert _codes(text) == [(3, DUPLICATE_NAME)]


def test_same_alias_twice_for_one_unit_is_not_a_clash() -> None:
    assert parse_units_csv("name,aliases\nSở Y tế,SYT|syt|Sở Y tế\n").ok


def test_not_utf8_reports_the_line() -> None:
    data = b"name\nA\nS\xf5 N\xf4i\n"  # line 3 in a single-byte Vietnamese code page
    parsed = parse_units_csv(data)
    assert [(p.line, p.code) for p in parsed.problems] == [(3, NOT_UTF8)]
    assert parsed.rows == ()


def test_empty_file() -> None:
    assert _codes("") == [(1, EMPTY_FILE)]
    assert _codes("\n\n") == [(1, EMPTY_FILE)]


def test_header_without_name_column() -> None:
    assert _codes("ten,aliases\nSở Y tế,\n") == [(1, BAD_HEADER)]


def test_header_is_case_and_diacritic_insensitive() -> None:
    assert parse_units_csv("Name,Aliases,Groups\nSở Y tế,,\n").ok


def test_export_round_trips() -> None:
    records = [
        UnitRecord(1, "Sở Lao động, Thương binh và Xã hội", ('Sở "LĐ-TB&XH"', "SLĐ"), ("Sở",)),
        UnitRecord(2, "Báo Cần Thơ", (), ()),
        UnitRecord(3, "Đảng ủy xã Hòa An", ("ĐU Hòa An",), ("Đảng ủy xã phường", "Cơ sở")),
    ]
    parsed = parse_units_csv(write_units_csv(records))
    assert parsed.ok
    assert [(r.name, r.aliases, r.groups) for r in parsed.rows] == [
        (r.name, r.aliases, r.groups) for r in records
    ]


def test_cantho_export_round_trips() -> None:
    rows = parse_units_csv(CANTHO_CSV.read_bytes()).rows
    again = parse_units_csv(write_units_csv(rows)).rows
    assert again == rows


def test_export_starts_with_the_header() -> None:
    assert write_units_csv([]) == "name,aliases,groups\n"


@pytest.mark.parametrize(
    "code",
    [NOT_UTF8, EMPTY_FILE, BAD_HEADER, BAD_COLUMN_COUNT, EMPTY_NAME, DUPLICATE_NAME, ALIAS_CLASH],
)
def test_every_problem_code_has_a_vietnamese_text(code: str) -> None:
    line = texts.unit_csv_problem(CsvProblem(7, code, "x"))
    assert line.startswith("Dòng 7: ")
    assert code not in line


def test_problem_text_escapes_the_value() -> None:
    assert "&lt;b&gt;" in texts.unit_csv_problem(CsvProblem(2, DUPLICATE_NAME, "<b>"))


def test_problem_list_is_capped() -> None:
    problems = [CsvProblem(i, EMPTY_NAME, "") for i in range(2, 30)]
    message = texts.unit_csv_problems(problems, limit=3)
    assert message.count("Dòng ") == 3
    assert "25" in message.splitlines()[-1]
