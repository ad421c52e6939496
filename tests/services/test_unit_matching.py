"""Matching written unit names to the registry."""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path

import pytest

from services.unit_csv import parse_units_csv
from services.unit_matching import (
    ACCEPT_SCORE,
    GroupRecord,
    MatchResult,
    UnitIndex,
    UnitRecord,
    name_key,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
UNITS = SHARED / "corpus" / "units"
CANTHO_CASES: dict[str, str] = json.loads(
    (UNITS / "cantho.match.json").read_text(encoding="utf-8")
)["cases"]


def _records(rows: list[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> list[UnitRecord]:
    return [UnitRecord(i, n, a, g) for i, (n, a, g) in enumerate(rows, start=1)]


@pytest.fixture(scope="module")
def cantho() -> UnitIndex:
    parsed = parse_units_csv((UNITS / "cantho.csv").read_bytes())
    assert parsed.ok
    return UnitIndex(row.to_record(i) for i, row in enumerate(parsed.rows, start=1))


# A province registry: Tỉnh ủy, not Thành ủy; a city (Gia Nghĩa) inside it.
DAKNONG = _records(
    [
        ("Ban Tổ chức Tỉnh ủy Đắk Nông", ("BTC Tỉnh ủy",), ("Các ban đảng Tỉnh ủy",)),
        ("Ban Tuyên giáo Tỉnh ủy Đắk Nông", (), ("Các ban đảng Tỉnh ủy",)),
        ("Văn phòng Tỉnh ủy Đắk Nông", (), ("Các ban đảng Tỉnh ủy",)),
        ("Đảng đoàn Hội đồng nhân dân tỉnh Đắk Nông", (), ()),
        ("Ban cán sự đảng Ủy ban nhân dân tỉnh Đắk Nông", (), ()),
        ("Ủy ban nhân dân tỉnh Đắk Nông", (), ()),
        ("Sở Tài nguyên và Môi trường tỉnh Đắk Nông", (), ("Các sở, ban, ngành",)),
        ("Sở Lao động - Thương binh và Xã hội tỉnh Đắk Nông", (), ("Các sở, ban, ngành",)),
        ("Sở Văn hóa, Thể thao và Du lịch tỉnh Đắk Nông", (), ("Các sở, ban, ngành",)),
        ("Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Nông", (), ("Các sở, ban, ngành",)),
        ("Huyện ủy Đắk Mil", (), ("Ban thường vụ các huyện ủy, thành ủy",)),
        ("Huyện ủy Đắk Song", (), ("Ban thường vụ các huyện ủy, thành ủy",)),
        ("Thành ủy Gia Nghĩa", (), ("Ban thường vụ các huyện ủy, thành ủy",)),
        ("Ủy ban nhân dân huyện Đắk Mil", (), ()),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Nông", (), ()),
        ("Đảng ủy xã Hòa Khánh", (), ()),
    ]
)


@pytest.fixture(scope="module")
def daknong() -> UnitIndex:
    return UnitIndex(DAKNONG)


def _outcome(result: MatchResult) -> str:
    return "ask" if result.kind == "ask" else f"{result.kind}:{result.target}"


# --- The shared expectations --------------------------------------------------------------------


@pytest.mark.parametrize(("written", "expected"), sorted(CANTHO_CASES.items()))
def test_cantho_case_resolves_as_written_in_match_json(
    cantho: UnitIndex, written: str, expected: str
) -> None:
    assert _outcome(cantho.match(written)) == expected


# --- Structure: words that say which body must agree -------------------------------------------


def test_tinh_uy_is_not_thanh_uy(cantho: UnitIndex) -> None:
    result = cantho.match("Ban Tổ chức Tỉnh ủy")
    assert result.kind == "ask"
    assert result.candidates[0].name == "Ban Tổ chức Thành ủy Cần Thơ"
    assert result.candidates[0].score < ACCEPT_SCORE


def test_thanh_uy_is_not_tinh_uy_in_a_province_registry(daknong: UnitIndex) -> None:
    assert daknong.match("Ban Tổ chức Thành ủy").kind == "ask"
    assert _outcome(daknong.match("Ban Tổ chức Tỉnh ủy")) == "unit:Ban Tổ chức Tỉnh ủy Đắk Nông"


def test_organ_is_not_its_party_committee(cantho: UnitIndex) -> None:
    result = cantho.match("Ủy ban nhân dân thành phố")
    assert _outcome(result) == "unit:Ủy ban nhân dân thành phố Cần Thơ"
    assert result.unit_ids == (11,)


def test_party_committee_is_not_its_organ(cantho: UnitIndex) -> None:
    assert cantho.match("Đảng ủy Công an thành phố").target == "Đảng ủy Công an thành phố Cần Thơ"
    assert cantho.match("Công an thành phố").target == "Công an thành phố Cần Thơ"


def test_level_word_must_agree_with_the_home_place(cantho: UnitIndex) -> None:
    assert cantho.match("Sở Nội vụ tỉnh Cần Thơ").kind == "ask"
    assert cantho.match("Sở Nội vụ thành phố Cần Thơ").target == "Sở Nội vụ thành phố Cần Thơ"


def test_town_is_not_the_district_of_the_same_name() -> None:
    index = UnitIndex(
        _records(
            [
                ("Ủy ban nhân dân huyện Vĩnh Bảo", ("UBND huyện",), ()),
                ("Huyện ủy Vĩnh Bảo", (), ()),
                ("Đảng ủy thị trấn Vĩnh Bảo", (), ()),
                ("Ban Tổ chức Huyện ủy Vĩnh Bảo", (), ()),
            ]
        )
    )
    assert index.match("UBND thị trấn Vĩnh Bảo").kind == "ask"
    assert index.match("UBND huyện").target == "Ủy ban nhân dân huyện Vĩnh Bảo"
    assert index.match("Đảng ủy thị trấn").target == "Đảng ủy thị trấn Vĩnh Bảo"


def test_other_place_blocks(cantho: UnitIndex) -> None:
    assert cantho.match("Sở Nội vụ thành phố Hồ Chí Minh").kind == "ask"
    assert cantho.match("Huyện ủy Cái Răng").kind == "ask"  # Cái Răng is a Quận ủy


def test_part_of_a_place_name_is_not_the_place(cantho: UnitIndex) -> None:
    assert cantho.match("Đảng ủy phường Tân").kind == "ask"
    assert cantho.match("Đảng ủy phường An").kind == "ask"


def test_level_may_be_left_out_before_a_written_place(cantho: UnitIndex) -> None:
    assert cantho.match("Đảng ủy Cái Khế").target == "Đảng ủy phường Cái Khế"


def test_non_home_place_must_be_written(daknong: UnitIndex) -> None:
    assert daknong.match("Thành ủy").kind == "ask"
    assert daknong.match("UBND huyện").kind == "ask"
    assert daknong.match("UBND huyện Đắk Mil").target == "Ủy ban nhân dân huyện Đắk Mil"
    assert daknong.match("UBND tỉnh").target == "Ủy ban nhân dân tỉnh Đắk Nông"


def test_home_place_is_inferred(cantho: UnitIndex, daknong: UnitIndex) -> None:
    assert cantho.home_places == frozenset({"can_tho"})
    assert daknong.home_places == frozenset({"dak_nong"})


def test_home_place_can_be_given() -> None:
    index = UnitIndex(_records([("Sở Y tế tỉnh Bình Phước", (), ())]), home_places=["Bình Phước"])
    assert index.match("Sở Y tế").target == "Sở Y tế tỉnh Bình Phước"


def test_home_place_not_known_must_be_written() -> None:
    index = UnitIndex(_records([("Sở Y tế tỉnh Bình Phước", (), ())]))
    assert index.match("Sở Y tế").kind == "ask"


# --- Spelling: case, diacritics, Unicode form, abbreviations ------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("so noi vu", "Sở Nội vụ thành phố Cần Thơ"),
        ("dang uy phuong cai khe", "Đảng ủy phường Cái Khế"),
        ("DANG UY UBND THANH PHO", "Đảng ủy Ủy ban nhân dân thành phố Cần Thơ"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", "Ủy ban nhân dân thành phố Cần Thơ"),
        ("Uỷ ban nhân dân thành phố", "Ủy ban nhân dân thành phố Cần Thơ"),
        ("  Sở   Y tế, ", "Sở Y tế thành phố Cần Thơ"),
    ],
)
def test_case_diacritics_and_spacing_do_not_matter(
    cantho: UnitIndex, written: str, expected: str
) -> None:
    assert cantho.match(written).target == expected


def test_nfd_input_matches(cantho: UnitIndex) -> None:
    written = unicodedata.normalize("NFD", "Đảng ủy phường Tân An")
    result = cantho.match(written)
    assert result.target == "Đảng ủy phường Tân An"
    assert result.written == unicodedata.normalize("NFC", written)


def test_old_tone_placement_in_a_place_name(daknong: UnitIndex) -> None:
    assert daknong.match("Đảng ủy xã Hoà Khánh").target == "Đảng ủy xã Hòa Khánh"


FRONT_PARTY = "Đảng ủy Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("UBND thành phố", "Ủy ban nhân dân thành phố Cần Thơ"),
        ("UBND TP", "Ủy ban nhân dân thành phố Cần Thơ"),
        ("Đảng đoàn HĐND", "Đảng đoàn Hội đồng nhân dân thành phố Cần Thơ"),
        ("Đảng ủy Ủy ban MTTQ Việt Nam thành phố", FRONT_PARTY),
        ("Đảng ủy MTTQ", FRONT_PARTY),
        ("BTC TU", "Ban Tổ chức Thành ủy Cần Thơ"),
        ("VP Thành ủy", "Văn phòng Thành ủy Cần Thơ"),
        ("UBKT Thành ủy", "Ủy ban Kiểm tra Thành ủy Cần Thơ"),
        ("Sở GD-ĐT", "Sở Giáo dục và Đào tạo thành phố Cần Thơ"),
        ("Sở KH và CN", None),
        ("Đảng ủy CA thành phố", "Đảng ủy Công an thành phố Cần Thơ"),
        ("ĐU UB MTTQ TP.Cần Thơ", FRONT_PARTY),
    ],
)
def test_cantho_abbreviations(cantho: UnitIndex, written: str, expected: str | None) -> None:
    assert cantho.match(written).target == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường tỉnh Đắk Nông"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội tỉnh Đắk Nông"),
        ("Sở VH-TT&DL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Đắk Nông"),
        ("Sở NN&PTNT tỉnh", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Nông"),
        ("Ban cán sự đảng UBND tỉnh", "Ban cán sự đảng Ủy ban nhân dân tỉnh Đắk Nông"),
        ("MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Nông"),
        ("BTCTU", "Ban Tổ chức Tỉnh ủy Đắk Nông"),
        ("VPTU", "Văn phòng Tỉnh ủy Đắk Nông"),
    ],
)
def test_province_abbreviations(daknong: UnitIndex, written: str, expected: str) -> None:
    assert daknong.match(written).target == expected


def test_tu_is_asked_when_both_thanh_uy_and_tinh_uy_are_registered() -> None:
    index = UnitIndex(
        _records(
            [
                ("Ban Tổ chức Tỉnh ủy Hậu Giang", (), ()),
                ("Ban Tổ chức Thành ủy Vị Thanh", (), ()),
            ]
        )
    )
    assert index.match("BTC TU").kind == "ask"


def test_syllables_that_look_like_abbreviations_stay_words(daknong: UnitIndex) -> None:
    assert name_key("Sở Tư pháp") != name_key("Sở Trung ương pháp")
    assert name_key("Sở Tư pháp") != name_key("Sở TU pháp")
    assert name_key("Cà Mau") != name_key("Công an Mau")
    assert name_key("T.Ư") == name_key("Trung ương")


def test_name_key_ignores_abbreviation_and_stop_words() -> None:
    assert name_key("Sở KH&CN") == name_key("Sở Khoa học và Công nghệ")
    assert name_key("UBND tỉnh") == name_key("Ủy ban nhân dân tỉnh")


# --- Scores and asking ---------------------------------------------------------------------------


def test_exact_name_scores_100(cantho: UnitIndex) -> None:
    assert cantho.match("Sở Y tế thành phố Cần Thơ").score == 100.0


def test_one_left_out_syllable_resolves_below_100(cantho: UnitIndex) -> None:
    result = cantho.match("Trung tâm Phục vụ hành chính thành phố")  # "công" left out
    assert result.target == "Trung tâm Phục vụ hành chính công thành phố Cần Thơ"
    assert ACCEPT_SCORE <= result.score < 100


def test_left_out_word_asks(daknong: UnitIndex) -> None:
    result = daknong.match("Sở Văn hóa Thể thao tỉnh")  # "du lịch" left out
    assert result.kind == "ask"
    assert result.candidates[0].name == "Sở Văn hóa, Thể thao và Du lịch tỉnh Đắk Nông"


def test_one_letter_typo_resolves_with_a_lower_score(cantho: UnitIndex) -> None:
    result = cantho.match("Sở Tài chánh")
    assert result.target == "Sở Tài chính thành phố Cần Thơ"
    assert ACCEPT_SCORE <= result.score < 100


def test_below_threshold_asks_with_candidates(cantho: UnitIndex) -> None:
    result = cantho.match("Ban Tổ chức")
    assert result.kind == "ask"
    assert result.target is None
    assert result.unit_ids == ()
    assert result.candidates[0].name == "Ban Tổ chức Thành ủy Cần Thơ"
    assert result.candidates[0].kind == "unit"
    assert result.score == result.candidates[0].score < ACCEPT_SCORE


def test_two_equally_good_units_ask() -> None:
    index = UnitIndex(
        _records([("Đảng ủy phường An Hòa", (), ()), ("Đảng ủy phường An Hòa ", ("x",), ())])
    )
    result = index.match("Đảng ủy phường An Hòa")
    assert result.kind == "ask"
    assert len(result.candidates) == 2


def test_empty_registry_asks() -> None:
    result = UnitIndex([]).match("Sở Y tế")
    assert (result.kind, result.candidates) == ("ask", ())


def test_unknown_name_asks(cantho: UnitIndex) -> None:
    assert cantho.match("Bộ Chính trị").kind == "ask"


@pytest.mark.parametrize("written", ["", "   ", "các", ",;"])
def test_empty_name_asks_without_candidates(cantho: UnitIndex, written: str) -> None:
    result = cantho.match(written)
    assert result.kind == "ask"
    assert result.candidates == ()


# --- Groups and collective phrases ---------------------------------------------------------------


def test_group_lists_every_member(cantho: UnitIndex) -> None:
    result = cantho.match("Đảng ủy các xã, phường")
    assert result.kind == "group"
    assert result.target == "Đảng ủy xã phường"
    assert result.unit_ids == (27, 28, 29, 30, 31, 32)


def test_group_with_enumerated_kinds_needs_all_of_them(cantho: UnitIndex) -> None:
    assert cantho.match("Đảng ủy các phường").kind == "ask"
    assert cantho.match("Các sở").kind == "ask"


def test_sở_ban_ngành_is_sở_ngành(daknong: UnitIndex) -> None:
    assert daknong.match("Các sở, ngành").target == "Các sở, ban, ngành"


def test_collective_of_party_committees_resolves_to_its_group(daknong: UnitIndex) -> None:
    result = daknong.match("Ban thường vụ huyện ủy, thành ủy")
    assert result.kind == "group"
    assert result.unit_ids == (11, 12, 13)


def test_group_alias() -> None:
    index = UnitIndex(
        _records([("Sở Y tế tỉnh An Giang", (), ("Sở ngành",))]),
        [GroupRecord("Sở ngành", ("Các cơ quan chuyên môn thuộc UBND tỉnh",))],
    )
    result = index.match("các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh")
    assert (result.kind, result.target, result.unit_ids) == ("group", "Sở ngành", (1,))


def test_configured_group_without_members_resolves_empty() -> None:
    index = UnitIndex(_records([("Sở Y tế", (), ())]), [GroupRecord("Các hội đặc thù")])
    result = index.match("Các hội đặc thù")
    assert (result.kind, result.unit_ids) == ("group", ())


@pytest.mark.parametrize(
    "written",
    [
        "các cơ quan, đơn vị liên quan",
        "các cơ quan, đơn vị, địa phương",
        "các sở, ngành, cơ quan có liên quan",
        "các cấp ủy, tổ chức đảng",
    ],
)
def test_generic_collective_without_a_group_asks(cantho: UnitIndex, written: str) -> None:
    assert cantho.match(written).kind == "ask"


def test_plural_phrase_never_resolves_to_one_unit() -> None:
    index = UnitIndex(_records([("Sở Y tế", (), ())]))
    assert index.match("Sở Y tế").kind == "unit"
    assert index.match("Các Sở Y tế").kind == "ask"


# --- Lists ---------------------------------------------------------------------------------------


def test_match_many_keeps_order(cantho: UnitIndex) -> None:
    results = cantho.match_many(["Sở Y tế", "xyz", "Báo Cần Thơ"])
    assert [r.kind for r in results] == ["unit", "ask", "unit"]
    assert results[2].target == "Báo Cần Thơ"


@pytest.mark.parametrize(
    ("written", "names"),
    [
        (
            "Sở Nội vụ, Sở Tài chính và Công an thành phố",
            ("Sở Nội vụ", "Sở Tài chính", "Công an thành phố"),
        ),
        ("Sở Khoa học và Công nghệ", ("Sở Khoa học và Công nghệ",)),
        ("Các sở, ngành", ("Các sở, ngành",)),
        (
            "Đảng ủy xã, phường; Đảng ủy trực thuộc Thành ủy",
            ("Đảng ủy xã, phường", "Đảng ủy trực thuộc Thành ủy"),
        ),
        ("Trường Chính trị thành phố, Báo Cần Thơ", ("Trường Chính trị thành phố", "Báo Cần Thơ")),
        ("các cơ quan, đơn vị, địa phương", ("các cơ quan, đơn vị, địa phương",)),
        (
            "Các đảng đoàn, ban cán sự đảng và đảng ủy trực thuộc Thành ủy",
            ("Các đảng đoàn, ban cán sự đảng", "đảng ủy trực thuộc Thành ủy"),
        ),
        ("", ()),
    ],
)
def test_split_written_list(cantho: UnitIndex, written: str, names: tuple[str, ...]) -> None:
    assert cantho.split(written) == names


def test_exact_name_is_found_among_many_longer_names_containing_it() -> None:
    wards = [f"Đảng ủy Ủy ban nhân dân phường Số {i}" for i in range(150)]
    index = UnitIndex(
        _records([(name, (), ()) for name in wards] + [("UBND thành phố Huế", (), ())])
    )
    assert index.match("Ủy ban nhân dân thành phố Huế").unit_ids == (151,)


# --- Size ----------------------------------------------------------------------------------------


def test_thousand_units_thousand_names_quick_check() -> None:
    """Not a timed assert: prints the figure (pytest -s) and checks every name resolves."""
    first = ["Tân", "An", "Phú", "Long", "Bình", "Hòa", "Thạnh", "Vĩnh", "Mỹ", "Đông"]
    second = ["Hưng", "Lợi", "Thới", "Thuận", "Điền", "Khánh", "Quới", "Hiệp", "Xuân", "Lộc"]
    kinds = [
        "Đảng ủy xã {}",
        "Ủy ban nhân dân xã {}",
        "Hội đồng nhân dân phường {}",
        "Ủy ban Mặt trận Tổ quốc xã {}",
        "Công an xã {}",
        "Đảng ủy phường {}",
        "Trường Tiểu học {}",
        "Trạm Y tế xã {}",
        "Hội Nông dân xã {}",
        "Đoàn Thanh niên xã {}",
    ]
    names = [kind.format(f"{a} {b}") for a in first for b in second for kind in kinds]
    records = [UnitRecord(i, name, (), ("Cơ sở",)) for i, name in enumerate(names)]
    started = time.perf_counter()
    index = UnitIndex(records)
    built = time.perf_counter()
    results = index.match_many(names)
    done = time.perf_counter()
    print(f"build {built - started:.3f}s, 1000 matches {done - built:.3f}s")
    assert [r.target for r in results] == names
