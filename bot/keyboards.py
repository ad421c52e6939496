"""Inline keyboards. Callback data = short ASCII prefix + ids, always within 64 bytes."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts

MAX_CALLBACK_BYTES = 64


def button(text: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
    return InlineKeyboardButton(text, callback_data=data)


def task_buttons(assignment_id: int, with_original: bool) -> InlineKeyboardMarkup:
    row = [
        button(texts.BUTTON_DONE, f"a:done:{assignment_id}"),
        button(texts.BUTTON_EXTEND, f"a:ext:{assignment_id}"),
    ]
    rows = [row]
    if with_original:
        rows.append([button(texts.BUTTON_ORIGINAL, f"a:orig:{assignment_id}")])
    return InlineKeyboardMarkup(rows)


def draft_main(
    dispatch_id: int,
    version: int,
    rule_tasks: Sequence[tuple[int, str]] = (),
    rule_text: str = "",
) -> InlineKeyboardMarkup:
    """The draft's buttons; ``rule_tasks`` (id, ref) are recurring tasks with no period yet,
    each offered the office's default reporting rule (``rule_text``) or no tracking."""
    key = f"{dispatch_id}:{version}"
    rules = [
        [
            button(
                texts.BUTTON_USE_RULE.format(ref=ref, rule=rule_text)[:60], f"dr:rule:{key}:{i}"
            ),
            button(texts.BUTTON_NO_RULE.format(ref=ref)[:60], f"dr:norule:{key}:{i}"),
        ]
        for i, ref in rule_tasks
    ]
    return InlineKeyboardMarkup(
        [
            *rules,
            [
                button(texts.BUTTON_EDIT, f"dr:edit:{key}"),
                button(texts.BUTTON_ADD, f"dr:add:{key}"),
            ],
            [button(texts.BUTTON_CONFIRM, f"dr:ok:{key}")],
            [
                button(texts.BUTTON_SHOW, f"dr:show:{key}"),
                button(texts.BUTTON_RECEIVED, f"dr:recv:{key}"),
                button(texts.BUTTON_DISCARD, f"dr:x:{key}"),
            ],
        ]
    )


def draft_confirm_ask(dispatch_id: int, version: int) -> InlineKeyboardMarkup:
    """The second, deliberate press: confirm with the warnings, or go back to editing."""
    key = f"{dispatch_id}:{version}"
    return InlineKeyboardMarkup(
        [
            [button(texts.BUTTON_CONFIRM_ANYWAY, f"dr:go:{key}")],
            [button(texts.BUTTON_BACK_TO_EDIT, f"dr:edit:{key}")],
        ]
    )


def draft_tasks(
    dispatch_id: int, version: int, refs: Sequence[tuple[int, str]]
) -> InlineKeyboardMarkup:
    key = f"{dispatch_id}:{version}"
    buttons = [button(ref, f"dr:t:{key}:{task_id}") for task_id, ref in refs]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    rows.append([button(texts.BUTTON_BACK, f"dr:back:{key}")])
    return InlineKeyboardMarkup(rows)


def draft_task_menu(dispatch_id: int, version: int, task_id: int) -> InlineKeyboardMarkup:
    key = f"{dispatch_id}:{version}:{task_id}"
    return InlineKeyboardMarkup(
        [
            [button(texts.BUTTON_CHANGE_LEAD, f"dr:lead:{key}")],
            [
                button(texts.BUTTON_SET_DUE, f"dr:due:{key}"),
                button(texts.BUTTON_CLEAR_DUE, f"dr:nodue:{key}"),
            ],
            [button(texts.BUTTON_DROP, f"dr:drop:{key}")],
            [button(texts.BUTTON_BACK, f"dr:edit:{dispatch_id}:{version}")],
        ]
    )


def draft_lead_choices(
    dispatch_id: int,
    version: int,
    task_id: int,
    units: Sequence[tuple[str, int, str]],
) -> InlineKeyboardMarkup:
    """``units`` are (kind "u" or "g", id, label) choices for the task's lead."""
    key = f"{dispatch_id}:{version}:{task_id}"
    rows = [[button(label[:60], f"dr:p{kind}:{key}:{ident}")] for kind, ident, label in units]
    rows.append([button(texts.BUTTON_SEARCH_UNIT, f"dr:find:{key}")])
    rows.append([button(texts.BUTTON_BACK, f"dr:t:{key}")])
    return InlineKeyboardMarkup(rows)
