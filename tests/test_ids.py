"""Ids typed in commands and buttons: 64-bit or nothing."""

from __future__ import annotations

import pytest

from bot.ids import MAX_ID, db_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("17", 17), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), 0), ("9" * 40, 0), ("²", 0), ("", 0)],
)
def test_db_id_is_zero_past_64_bits_or_for_non_ascii_digits(raw: str, expected: int) -> None:
    assert db_id(raw) == expected
