"""The unit registry as a CSV file: parse for import, write for export.

Pure: bytes or text in, values out. The file has a header row with ``name``, ``aliases`` and
``groups`` columns (any order; other columns are ignored); aliases and groups are separated by
``|``. UTF-8 with or without a byte order mark.

:func:`parse_units_csv` collects *every* problem with its line number, so an importer can refuse
the whole file when there is any (nothing half-imported) and tell the office everything to fix
at once. Problems carry codes, not text; ``bot.texts.unit_csv_problem`` renders them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from services.text_norm import fold, nfc
from services.unit_matching import UnitRecord, name_key

__all__ = [
    "ALIAS_CLASH",
    "BAD_COLUMN_COUNT",
    "BAD_HEADER",
    "DUPLICATE_NAME",
    "EMPTY_FILE",
    "EMPTY_NAME",
    "NOT_UTF8",
    "CsvProblem",
    "UnitCsv",
    "UnitRow",
    "parse_units_csv",
    "write_units_csv",
]

SEPARATOR: Final = "|"
HEADER: Final = ("name", "aliases", "groups")

# Problem codes.
NOT_UTF8: Final = "not_utf8"
"""The bytes are not UTF-8; ``line`` is where the first bad byte is."""
EMPTY_FILE: Final = "empty_file"
"""No header row."""
BAD_HEADER: Final = "bad_header"
"""The header has no ``name`` column; ``value`` is the header as read."""
BAD_COLUMN_COUNT: Final = "bad_column_count"
"""A row with a different number of cells than the header; ``value`` is the row."""
EMPTY_NAME: Final = "empty_name"
"""A row with aliases or groups but no name; ``value`` is the row."""
DUPLICATE_NAME: Final = "duplicate_name"
"""The name of an earlier row again (case-, diacritic- and abbreviation-insensitive)."""
ALIAS_CLASH: Final = "alias_clash"
"""An alias (or a name) that is another unit's name or alias: the two could not be told apart."""


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """One problem in the file: 1-based ``line``, a code above, and the offending ``value``."""

    line: int
    code: str
    value: str


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One unit as the file gives it (NFC, trimmed, empty parts and repeats dropped)."""

    line: int
    name: str
    aliases: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    def to_record(self, unit_id: int) -> UnitRecord:
        return UnitRecord(unit_id, self.name, self.aliases, self.groups)


@dataclass(frozen=True, slots=True)
class UnitCsv:
    """The parsed file: its rows and every problem found. Import only when ``ok``."""

    rows: tuple[UnitRow, ...]
    problems: tuple[CsvProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _decode(data: bytes | str) -> tuple[str | None, CsvProblem | None]:
    if isinstance(data, str):
        return nfc(data.removeprefix("\ufeff")), None
    try:
        return nfc(data.decode("utf-8-sig")), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 8].decode("latin-1")
        return None, CsvProblem(line, NOT_UTF8, bad)


def _parts(cell: str) -> tuple[str, ...]:
    """Split an aliases or groups cell, trimming and dropping empty parts and repeats."""
    seen: set[str] = set()
    parts: list[str] = []
    for part in cell.split(SEPARATOR):
        text = " ".join(part.split())
        if text and fold(text) not in seen:
            seen.add(fold(text))
            parts.append(text)
    return tuple(parts)


def parse_units_csv(data: bytes | str) -> UnitCsv:
    """Parse a registry file, collecting every problem by line number."""
    text, problem = _decode(data)
    if text is None:
        return UnitCsv((), (problem,) if problem else ())
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    header_line = 1
    problems: list[CsvProblem] = []
    rows: list[UnitRow] = []
    next_line = 1
    for cells in reader:
        line, next_line = next_line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [fold(cell) for cell in cells]
            header_line = line
            if "name" not in header:
                problems.append(CsvProblem(line, BAD_HEADER, ",".join(cells)))
                return UnitCsv((), tuple(problems))
            continue
        if len(cells) != len(header):
            problems.append(CsvProblem(line, BAD_COLUMN_COUNT, ",".join(cells)))
            continue
        values = dict(zip(header, cells, strict=True))
        name = " ".join(values["name"].split())
        if not name:
            problems.append(CsvProblem(line, EMPTY_NAME, ",".join(cells)))
            continue
        rows.append(
            UnitRow(
                line,
                name,
                _parts(values.get("aliases", "")),
                _parts(values.get("groups", "")),
            )
        )
    if header is None:
        return UnitCsv((), (CsvProblem(header_line, EMPTY_FILE, ""),))
    problems.extend(_clashes(rows))
    problems.sort(key=lambda p: p.line)
    return UnitCsv(tuple(rows), tuple(problems))


def _clashes(rows: Iterable[UnitRow]) -> list[CsvProblem]:
    """Duplicate names, and aliases that another unit already answers to."""
    problems: list[CsvProblem] = []
    names: dict[str, int] = {}  # key -> index of the row named so
    owners: dict[str, int] = {}  # key -> index of the row that answers to it
    for index, row in enumerate(rows):
        key = name_key(row.name)
        if key in names:
            problems.append(CsvProblem(row.line, DUPLICATE_NAME, row.name))
            continue
        if owners.get(key, index) != index:
            problems.append(CsvProblem(row.line, ALIAS_CLASH, row.name))
            continue
        names[key] = owners[key] = index
        for alias in row.aliases:
            alias_key = name_key(alias)
            if owners.setdefault(alias_key, index) != index:
                problems.append(CsvProblem(row.line, ALIAS_CLASH, alias))
    return problems


def write_units_csv(records: Iterable[UnitRecord | UnitRow]) -> str:
    """The registry as CSV text that :func:`parse_units_csv` reads back to the same units."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for record in records:
        writer.writerow(
            (record.name, SEPARATOR.join(record.aliases), SEPARATOR.join(record.groups))
        )
    return out.getvalue()
