"""The packages stack in one order; no package imports one above it (no circles).

    nhacviec   the entry points: CLI, runner, demo, the composed application
    jobs       scheduled work, sending through bot/
    bot        Telegram: handlers, messages, settings
    services   the rules
    ingest     dispatch parsing (plain text in, typed result out)
    models     the database

``ingest`` and ``models`` are side by side: neither imports the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BELOW = {
    "models": set[str](),
    "ingest": set[str](),
    "services": {"models", "ingest"},
    "bot": {"services", "models", "ingest"},
    "jobs": {"bot", "services", "models", "ingest"},
    "nhacviec": {"jobs", "bot", "services", "models", "ingest"},
}


def imported_packages(source: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(BELOW)


@pytest.mark.parametrize("package", sorted(BELOW))
def test_a_package_imports_only_those_below_it(package: str) -> None:
    wrong = {
        str(source.relative_to(ROOT)): sorted(
            imported_packages(source) - BELOW[package] - {package}
        )
        for source in (ROOT / package).rglob("*.py")
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_order_has_no_circle() -> None:
    for package, below in BELOW.items():
        for other in below:
            assert package not in BELOW[other]
