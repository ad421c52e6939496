"""The texts module: NFC everywhere, and user content escaped."""

from __future__ import annotations

import ast
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
    for path in sorted(Path(texts.__file__).parent.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", source) == source, path.name
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


_PACKAGES = ("bot", "jobs", "models", "nhacviec", "services")


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _recorded_kinds() -> set[str]:
    """Every event kind passed to record_event, directly or through a wrapper forwarding it."""
    root = Path(texts.__file__).parents[2]
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for package in _PACKAGES
        for path in sorted((root / package).rglob("*.py"))
    ]
    # The kind's position in each recording function: record_event(session, kind, …), and any
    # function that passes one of its own parameters on as the kind.
    positions = {"record_event": 1}
    forwarding: set[int] = set()  # the record_event calls inside those wrappers
    for tree in trees:
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            params = [a.arg for a in function.args.args]
            for call in ast.walk(function):
                if (
                    isinstance(call, ast.Call)
                    and _call_name(call) == "record_event"
                    and len(call.args) > 1
                    and isinstance(call.args[1], ast.Name)
                    and call.args[1].id in params
                ):
                    positions[function.name] = params.index(call.args[1].id)
                    forwarding.add(id(call))
    kinds: set[str] = set()
    for tree in trees:
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }
        for call in ast.walk(tree):
            if (
                not isinstance(call, ast.Call)
                or _call_name(call) not in positions
                or id(call) in forwarding
            ):
                continue
            position = positions[_call_name(call) or ""]
            if len(call.args) <= position:
                continue
            kind = call.args[position]
            choices = [kind.body, kind.orelse] if isinstance(kind, ast.IfExp) else [kind]
            for choice in choices:
                if isinstance(choice, ast.Name) and choice.id in constants:
                    kinds.add(constants[choice.id])
                elif isinstance(choice, ast.Constant) and isinstance(choice.value, str):
                    kinds.add(choice.value)
                else:
                    raise AssertionError(f"event kind not a literal: {ast.unparse(choice)}")
    return kinds


def test_the_event_walk_finds_the_recorded_kinds() -> None:
    kinds = _recorded_kinds()
    assert {"assignment.attachment", "assignment.returned", "assignment.undone"} <= kinds
    assert {"extension.approved", "extension.rejected", "digest.sent"} <= kinds


def test_every_recorded_event_kind_has_a_vietnamese_label() -> None:
    missing = sorted(_recorded_kinds() - texts.EVENT_LABELS.keys())
    assert missing == []
