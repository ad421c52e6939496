"""Ids written in commands and buttons, kept within the database's 64-bit integers."""

from __future__ import annotations

import re

# PostgreSQL's BIGINT and SQLite's INTEGER are signed 64-bit.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"-?[0-9]{1,19}")


def db_id(raw: str) -> int:
    """The id ``raw`` names, or 0 (which names no row) when it cannot be one: anything but
    ASCII digits (isdigit() also takes «²»), or a number beyond 64 bits, which would make
    the database overflow instead of finding nothing."""
    if not _DIGITS.fullmatch(raw):
        return 0
    value = int(raw)
    return value if -MAX_ID <= value <= MAX_ID else 0
