"""Inline keyboards. Callback data = short ASCII prefix + ids, always within 64 bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.ids import db_id

MAX_CALLBACK_BYTES = 64


# What each handler registers for: one pattern per kind of data this module builds.
TASK_PATTERN = r"^a:(done|skip|ok|ext|undo|no):"
ORIGINAL_PATTERN = r"^a:orig:"
EXTENSION_PATTERN = r"^x:"
RETURN_PATTERN = r"^r:"
STOP_PATTERN = r"^o:"
DRAFT_PATTERN = r"^dr:"
LEAVE_PATTERN = r"^leave:"


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


# --- A dispatch's draft ---------------------------------------------------------------------
#
# ``dr:<action>:<dispatch id>:<version>[:<id>...]``: the version makes a press on an old screen
# fail instead of overwriting a colleague's edit (services.drafts). The actions on a task's
# units end in the role they edit, "l" (lead, chủ trì) or "s" (support, phối hợp):
#   u<r>:<task>                 the task's units of that role
#   f<r>:<task>                 type a unit's name to add
#   a<r>:<task>:<unit>[:<n>]    add a unit; <n> - 1 is the unmatched written name it answers
#   g<r>:<task>:<group>[:<n>]   add a group's members, likewise
#   r<r>:<task>:<unit>          remove a unit
#   n<r>:<task>:<n>             forget the unmatched written name <n> - 1

ROLE_LETTERS = {"l": "lead", "s": "support"}
_LETTER_OF = {role: letter for letter, role in ROLE_LETTERS.items()}
UNIT_VERBS = frozenset("ufagrn")
# Buttons of an older version of the bot that still mean the same.
_OLD_ACTIONS = {"lead": "ul", "find": "fl"}


@dataclass(frozen=True, slots=True)
class DraftPress:
    """A pressed draft button. For the unit actions, ``verb`` is the action's first letter and
    ``role`` "lead" or "support"; otherwise ``verb`` is the whole action and ``role`` None."""

    action: str
    dispatch_id: int
    version: int
    ids: tuple[int, ...] = ()

    @property
    def role(self) -> str | None:
        if len(self.action) == 2 and self.action[0] in UNIT_VERBS:
            return ROLE_LETTERS.get(self.action[1])
        return None

    @property
    def verb(self) -> str:
        return self.action[0] if self.role is not None else self.action

    @property
    def task_id(self) -> int | None:
        return self.ids[0] if self.ids else None


def parse_draft_press(data: str | None) -> DraftPress | None:
    """The draft button pressed, or None for data this version did not build (or forged)."""
    parts = (data or "").split(":")
    if len(parts) < 4 or parts[0] != "dr" or not all(p.isdigit() for p in parts[2:]):
        return None
    action = _OLD_ACTIONS.get(parts[1], parts[1])
    numbers = [db_id(p) for p in parts[2:]]
    return DraftPress(action, numbers[0], numbers[1], tuple(numbers[2:]))


def _draft_key(dispatch_id: int, version: int, *ids: int) -> str:
    return ":".join(str(n) for n in (dispatch_id, version, *ids))


def draft_main(
    dispatch_id: int,
    version: int,
    rule_tasks: Sequence[tuple[int, str]] = (),
    rule_text: str = "",
) -> InlineKeyboardMarkup:
    """The draft's buttons; ``rule_tasks`` (id, ref) are recurring tasks with no period yet,
    each offered the office's default reporting rule (``rule_text``) or no tracking."""
    key = _draft_key(dispatch_id, version)
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
    key = _draft_key(dispatch_id, version)
    return InlineKeyboardMarkup(
        [
            [button(texts.BUTTON_CONFIRM_ANYWAY, f"dr:go:{key}")],
            [button(texts.BUTTON_BACK_TO_EDIT, f"dr:edit:{key}")],
        ]
    )


def draft_tasks(
    dispatch_id: int, version: int, refs: Sequence[tuple[int, str]]
) -> InlineKeyboardMarkup:
    key = _draft_key(dispatch_id, version)
    buttons = [button(ref, f"dr:t:{key}:{task_id}") for task_id, ref in refs]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    rows.append([button(texts.BUTTON_BACK, f"dr:back:{key}")])
    return InlineKeyboardMarkup(rows)


def draft_task_menu(dispatch_id: int, version: int, task_id: int) -> InlineKeyboardMarkup:
    key = _draft_key(dispatch_id, version, task_id)
    return InlineKeyboardMarkup(
        [
            [
                button(texts.BUTTON_LEADS, f"dr:ul:{key}"),
                button(texts.BUTTON_SUPPORTS, f"dr:us:{key}"),
            ],
            [
                button(texts.BUTTON_SET_DUE, f"dr:due:{key}"),
                button(texts.BUTTON_CLEAR_DUE, f"dr:nodue:{key}"),
            ],
            [button(texts.BUTTON_DROP, f"dr:drop:{key}")],
            [button(texts.BUTTON_BACK, f"dr:edit:{_draft_key(dispatch_id, version)}")],
        ]
    )


@dataclass(frozen=True, slots=True)
class UnitChoice:
    """A unit or group offered to add: ``answers`` is the index of the unmatched written name
    it would resolve (None for a name typed just now)."""

    kind: str  # "unit" or "group"
    ident: int
    label: str
    answers: int | None = None


def draft_units(
    dispatch_id: int,
    version: int,
    task_id: int,
    role: str,
    current: Sequence[tuple[int, str]],
    choices: Sequence[UnitChoice] = (),
    unmatched: Sequence[str] = (),
) -> InlineKeyboardMarkup:
    """A task's units of one role: ➖ each unit there (id, name), ➕ each choice, ✖ each
    written name no unit matched, a search by name, and the ways back."""
    letter = _LETTER_OF[role]
    key = _draft_key(dispatch_id, version, task_id)
    rows = [
        [button(texts.BUTTON_REMOVE_UNIT.format(name=name)[:60], f"dr:r{letter}:{key}:{unit_id}")]
        for unit_id, name in current
    ]
    for choice in choices:
        verb = "a" if choice.kind == "unit" else "g"
        tail = f":{choice.answers + 1}" if choice.answers is not None else ""
        rows.append(
            [
                button(
                    texts.BUTTON_ADD_UNIT.format(name=choice.label)[:60],
                    f"dr:{verb}{letter}:{key}:{choice.ident}{tail}",
                )
            ]
        )
    rows += [
        [button(texts.BUTTON_DROP_NAME.format(name=name)[:60], f"dr:n{letter}:{key}:{i + 1}")]
        for i, name in enumerate(unmatched)
    ]
    rows.append([button(texts.BUTTON_SEARCH_UNIT, f"dr:f{letter}:{key}")])
    rows.append(
        [
            button(texts.BUTTON_TO_TASK, f"dr:t:{key}"),
            button(texts.BUTTON_TO_DRAFT, f"dr:back:{_draft_key(dispatch_id, version)}"),
        ]
    )
    return InlineKeyboardMarkup(rows)
