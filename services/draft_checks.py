"""What the office should check before confirming a draft.

One pure function over the loaded draft and today's date: tasks the parser was unsure of,
tasks without a lead unit, deadlines already past, and a "Kính gửi" list that may be cut
short. Confirming a draft with any of these asks once before anything is assigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.drafts import DispatchView

__all__ = ["CheckKind", "DraftCheck", "draft_checks", "tasks_to_check"]


class CheckKind(StrEnum):
    UNSURE = "unsure"  # fields the parser was unsure of
    NO_LEAD = "no_lead"  # no registered lead unit
    PAST_DEADLINE = "past"  # the deadline is before today
    RECIPIENTS = "recipients"  # the Kính gửi list may go on past what was read


@dataclass(frozen=True, slots=True)
class DraftCheck:
    kind: CheckKind
    ref: str | None = None  # None for the dispatch as a whole
    fields: tuple[str, ...] = ()  # UNSURE: among "text", "lead", "support", "due"
    deadline: date | None = None  # PAST_DEADLINE
    days: int = 0  # PAST_DEADLINE: days since the deadline


def draft_checks(view: DispatchView, today: date) -> tuple[DraftCheck, ...]:
    """Every warning of the draft, task by task in draft order, the dispatch's last."""
    checks: list[DraftCheck] = []
    for task in view.tasks:
        if task.unsure:
            checks.append(DraftCheck(CheckKind.UNSURE, task.ref, fields=tuple(task.unsure)))
        if not task.lead_ids:
            checks.append(DraftCheck(CheckKind.NO_LEAD, task.ref))
        deadline = task.deadline
        if deadline is not None and deadline < today:
            checks.append(
                DraftCheck(
                    CheckKind.PAST_DEADLINE,
                    task.ref,
                    deadline=deadline,
                    days=(today - deadline).days,
                )
            )
    if view.recipients_unsure:
        checks.append(DraftCheck(CheckKind.RECIPIENTS))
    return tuple(checks)


def tasks_to_check(checks: tuple[DraftCheck, ...]) -> tuple[str, ...]:
    """The refs of the tasks with at least one warning, in order."""
    return tuple(dict.fromkeys(c.ref for c in checks if c.ref is not None))
