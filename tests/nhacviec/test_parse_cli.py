"""`run_parse`: JSON and table output, Vietnamese errors with exit code 2, never a traceback."""

from __future__ import annotations

import ast
import io
import json
import unicodedata
from pathlib import Path

import pytest

from bot import texts
from ingest.errors import ERROR_CODES
from nhacviec.parse_report import run_parse
from tests.ingest.helpers import FOOTER, HEADER

TEXT = HEADER + "1. Sở Nội vụ chủ trì rà soát, báo cáo trước ngày 15/10/2025.\n" + FOOTER


def _run(path: Path, as_json: bool) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_parse(str(path), as_json, out, err)
    return code, out.getvalue(), err.getvalue()


def test_json_output_follows_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, err = _run(path, as_json=True)
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["doc"] == "cv.txt"
    assert document["issued_on"] == "2025-10-06"
    assert document["tasks"][0] == {
        "ref": "1",
        "text_starts": "Sở Nội vụ chủ trì rà",
        "lead": ["Sở Nội vụ"],
        "support": [],
        "due": [
            {"kind": "deadline", "date": "2025-10-14", "phrase": "báo cáo trước ngày 15/10/2025"}
        ],
        "unsure": [],
    }
    assert "Sở Nội vụ" in out  # ensure_ascii=False


def test_table_output_shows_deadline_as_day_month_year(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, _ = _run(path, as_json=False)
    assert code == 0
    assert texts.INGEST_HEAD_LEAD in out
    assert "14/10/2025 (báo cáo trước ngày 15/10/2025)" in out


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 4, "binary"),
        ("Hôm nay trời đẹp, chúng tôi đi dạo.".encode(), "not_dispatch"),
        ((HEADER + FOOTER).encode(), "no_tasks"),
    ],
)
def test_bad_input_prints_vietnamese_message_and_returns_2(
    tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    status, out, err = _run(path, as_json=True)
    assert (status, out) == (2, "")
    assert err.strip() == texts.ingest_error(code)
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path) -> None:
    status, _, err = _run(tmp_path / "none.txt", as_json=False)
    assert status == 2
    assert "none.txt" in err


def test_every_error_code_has_an_nfc_message() -> None:
    for code in ERROR_CODES:
        message = texts.ingest_error(code)
        assert code not in message
        assert unicodedata.is_normalized("NFC", message)


def test_too_large_message_names_the_limit() -> None:
    assert "20 MB" in texts.ingest_error("too_large", limit_bytes=20 * 1024 * 1024)


def test_ingest_never_imports_telegram_or_the_database() -> None:
    root = Path(__file__).resolve().parents[2] / "ingest"
    for source in root.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("telegram", "sqlalchemy", "models")), source.name
