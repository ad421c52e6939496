"""The texts module: NFC everywhere, and user content escaped."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from bot import texts


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple | frozenset | set):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_string_is_nfc() -> None:
    source = Path(texts.__file__).read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", source) == source
    for name, value in vars(texts).items():
        for string in _strings(value):
            assert unicodedata.normalize("NFC", string) == string, name


def test_user_content_is_escaped() -> None:
    assert "&lt;b&gt;" in texts.welcome_back("<b>", "x", None)
    assert "&lt;script&gt;" in texts.unknown_command("<script>")


def test_new_task_message_fits_telegram_even_for_a_very_long_task() -> None:
    text = texts.new_task("Công văn số 1/UBND", "Trích yếu " * 90, "1", "Nội dung & dài " * 600, "")
    shown = html.unescape(re.sub(r"<[^>]+>", "", text))  # what Telegram counts
    assert len(shown) <= 4096
    assert "Nội dung & dài" in shown


def test_the_question_before_confirming_fits_telegram_for_a_long_dispatch() -> None:
    reasons = [
        (f"{i}.{i}", ["⚠ hạn 31/10/2025 đã qua 398 ngày", texts.NO_LEAD]) for i in range(300)
    ]
    text = texts.confirm_ask(300, reasons)
    assert len(text) <= 4096
    assert "300 nhiệm vụ cần kiểm tra" in text
    assert "… và 275 mục khác" in text
