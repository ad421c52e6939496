"""Shared Vietnamese normalisation: NFC for storage, fold for comparison."""

from __future__ import annotations

import unicodedata

import pytest

from services.text_norm import fold, fold_words, nfc, strip_diacritics


def test_nfc_composes_combining_marks() -> None:
    decomposed = unicodedata.normalize("NFD", "Đảng ủy")
    assert decomposed != "Đảng ủy"
    assert nfc(decomposed) == "Đảng ủy"


def test_strip_diacritics_keeps_case_and_punctuation() -> None:
    assert strip_diacritics("Sở KH&CN, Đắk Nông") == "So KH&CN, Dak Nong"


def test_strip_diacritics_turns_d_stroke_into_d() -> None:
    assert strip_diacritics("đĐ") == "dD"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Ủy ban", "Uỷ ban"),  # tone mark placement, old and new
        ("Hòa Bình", "Hoà Bình"),
        ("Ủy ban", unicodedata.normalize("NFD", "Ủy ban")),
        ("ỦY BAN", "ủy ban"),
        ("Ủy ban", "Uy ban"),
        ("Ủy  ban,", " uy\tban "),
    ],
)
def test_fold_makes_spellings_equal(left: str, right: str) -> None:
    assert fold(left) == fold(right)


def test_fold_turns_punctuation_into_spaces() -> None:
    assert fold("Sở Lao động - Thương binh và Xã hội (TP.)") == (
        "so lao dong thuong binh va xa hoi tp"
    )


def test_fold_keeps_digits() -> None:
    assert fold("Số 14-CV/TU") == "so 14 cv tu"


def test_fold_of_blank_text_is_empty() -> None:
    assert fold(" ,. ") == ""


def test_fold_words_splits_the_folded_text() -> None:
    assert fold_words("Đảng ủy, phường Cái Khế") == ["dang", "uy", "phuong", "cai", "khe"]
