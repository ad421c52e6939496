"""Inline keyboards. Callback data = short ASCII prefix + ids, always within 64 bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.ids import db_id

MAX_CALLBACK_BYTES = 64


def button(text: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
    return InlineKeyboardButton(text, callback_data=data)


def _one(text: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(text, data)]])


# --- A unit's task messages and the flows they start ---------------------------------------
#
# ``a:<action>:<assignment id>[:<period due, YYYYMMDD>]``: the period is a periodic
# obligation's (the one its reminder was about), so ✅ on November's reminder completes
# November, not the oldest open period.


@dataclass(frozen=True, slots=True)
class Press:
    """A pressed button: ``prefix:action:id``, with the period of an obligation's message."""

    prefix: str
    action: str
    ident: int
    period_due: date | None = None


def parse_press(data: str | None) -> Press | None:
    """The button pressed, or None for data this version did not build (or forged)."""
    parts = (data or "").split(":")
    if len(parts) not in (3, 4) or not parts[2].isdigit():
        return None
    period_due = None
    if len(parts) == 4:
        try:
            period_due = date(int(parts[3][:4]), int(parts[3][4:6]), int(parts[3][6:8]))
        except ValueError:
            return None
        if len(parts[3]) != 8:
            return None
    return Press(parts[0], parts[1], db_id(parts[2]), period_due)


def _task_data(action: str, assignment_id: int, period_due: date | None = None) -> str:
    tail = f":{period_due:%Y%m%d}" if period_due is not None else ""
    return f"a:{action}:{assignment_id}{tail}"


def task_buttons(
    assignment_id: int, with_original: bool, period_due: date | None = None
) -> InlineKeyboardMarkup:
    row = [
        button(texts.BUTTON_DONE, _task_data("done", assignment_id, period_due)),
        button(texts.BUTTON_EXTEND, _task_data("ext", assignment_id, period_due)),
    ]
    rows = [row]
    if with_original:
        rows.append([button(texts.BUTTON_ORIGINAL, f"a:orig:{assignment_id}")])
    return InlineKeyboardMarkup(rows)


def skip_note(assignment_id: int, period_due: date | None = None) -> InlineKeyboardMarkup:
    """Under «ghi chú?» after ✅: complete without a note."""
    return _one(texts.BUTTON_SKIP_NOTE, _task_data("skip", assignment_id, period_due))


def confirm_done(assignment_id: int) -> InlineKeyboardMarkup:
    """A bare «xong» with one open task: confirm it is that one."""
    return _one(texts.BUTTON_CONFIRM_DONE, _task_data("ok", assignment_id))


def done_choices(choices: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """A bare «xong» with several open tasks: (assignment id, label) to pick from."""
    return InlineKeyboardMarkup(
        [[button(label, _task_data("ok", assignment_id))] for assignment_id, label in choices]
    )


def undo(assignment_id: int) -> InlineKeyboardMarkup:
    return _one(texts.BUTTON_UNDO, _task_data("undo", assignment_id))


def stop_flow(assignment_id: int = 0) -> InlineKeyboardMarkup:
    """Leave a question the bot asked (a note, a date, a reason) unanswered."""
    return _one(texts.BUTTON_STOP, _task_data("no", assignment_id))


# --- The office's notices -------------------------------------------------------------------


def return_completion(assignment_id: int) -> InlineKeyboardMarkup:
    """Under a completion notice: return it as not good enough."""
    return _one(texts.BUTTON_RETURN, f"r:ret:{assignment_id}")


def extension_decision(request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(texts.BUTTON_APPROVE, f"x:ok:{request_id}"),
                button(texts.BUTTON_REJECT, f"x:no:{request_id}"),
            ],
            [button(texts.BUTTON_OTHER_DATE, f"x:d:{request_id}")],
        ]
    )


def stop_periods(assignment_id: int) -> InlineKeyboardMarkup:
    """Under an obligation's history: stop it (the office gives a reason)."""
    return _one(texts.BUTTON_STOP_PERIODS, f"o:stop:{assignment_id}")


LEAVE_YES, LEAVE_NO = "leave:yes", "leave:no"


def leave_confirm() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(texts.BUTTON_LEAVE, LEAVE_YES), button(texts.BUTTON_CANCEL, LEAVE_NO)]]
    )


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
