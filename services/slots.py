"""What one ledger row is: the typed slot, printed and parsed here and nowhere else.

The delivery ledger keys a message on (assignment, slot, chat). The slot is stored as a
short ASCII string (at most 64 characters, stable across restarts) because the unique key
is what makes a claim idempotent; everywhere else the code holds a :class:`Slot`.

``new``               the task's announcement to the unit («Nhiệm vụ mới»);
``support:<unit>``    the copy of a task to a supporting unit (phối hợp);
``due-<k>:<D>``       to the unit, ``k`` days before the deadline ``D``;
``over-<n>:<D>``      to the unit, the n-th overdue reminder of ``D``;
``late:<D>``          to the supervisors, the overdue list on the day after ``D``;
``esc:<D>``           to the supervisors, the escalation naming the unit's heads;
``check:<YYYY-MM>``   to the unit, a recurring task's monthly check-in;
``blocked:<chat>``    to the office, a chat that blocked the bot (keyed on the
                      assignment whose message failed);
``notice:<event>``    a notice about an assignment (a completion, an extension request
                      or decision, a return, a deadline change, …), named for the audit
                      event that caused it; its words are stored with the row.

``D`` is the deadline the slot was computed for: a reminder whose deadline has since moved
no longer applies, and for a periodic obligation ``D`` is the period's due date, so a
reply to a reminder (or its ✅) is about that period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MAX_SLOT_LENGTH = 64


class SlotKind(StrEnum):
    NEW = "new"
    SUPPORT = "support"
    DUE = "due"
    OVERDUE = "over"
    LATE_LIST = "late"
    ESCALATION = "esc"
    CHECK_IN = "check"
    BLOCKED = "blocked"
    NOTICE = "notice"


# Reminders the tick plans (and checks again before sending).
REMINDER_KINDS = frozenset(
    {SlotKind.DUE, SlotKind.OVERDUE, SlotKind.LATE_LIST, SlotKind.ESCALATION, SlotKind.CHECK_IN}
)
# Kinds sent to supervisors as one list per chat rather than one message per assignment.
LIST_KINDS = frozenset({SlotKind.LATE_LIST, SlotKind.ESCALATION})
# Kinds a muted unit does not get.
MUTABLE_KINDS = frozenset({SlotKind.DUE, SlotKind.CHECK_IN})
# Kinds named for a deadline.
DEADLINE_KINDS = frozenset(
    {SlotKind.DUE, SlotKind.OVERDUE, SlotKind.LATE_LIST, SlotKind.ESCALATION}
)
# Kinds with a step number before the colon (``due-3``, ``over-2``).
_STEPPED = frozenset({SlotKind.DUE, SlotKind.OVERDUE})


@dataclass(frozen=True, slots=True)
class Slot:
    """One message's place in the ledger; build it with the class methods."""

    kind: SlotKind
    step: int | None = None  # days before the deadline (due), or the n-th overdue (over)
    deadline: date | None = None  # the deadline (or period due date) it was computed for
    month: tuple[int, int] | None = None  # (year, month) of a check-in
    # The unit of a support copy, the chat of a blocked notice, the event of a notice.
    target: int | None = None

    @classmethod
    def new(cls) -> Slot:
        return cls(SlotKind.NEW)

    @classmethod
    def support(cls, unit_id: int) -> Slot:
        return cls(SlotKind.SUPPORT, target=unit_id)

    @classmethod
    def due(cls, days_before: int, deadline: date) -> Slot:
        return cls(SlotKind.DUE, step=days_before, deadline=deadline)

    @classmethod
    def overdue(cls, nth: int, deadline: date) -> Slot:
        return cls(SlotKind.OVERDUE, step=nth, deadline=deadline)

    @classmethod
    def late_list(cls, deadline: date) -> Slot:
        return cls(SlotKind.LATE_LIST, deadline=deadline)

    @classmethod
    def escalation(cls, deadline: date) -> Slot:
        return cls(SlotKind.ESCALATION, deadline=deadline)

    @classmethod
    def check_in(cls, year: int, month: int) -> Slot:
        return cls(SlotKind.CHECK_IN, month=(year, month))

    @classmethod
    def blocked(cls, chat_id: int) -> Slot:
        return cls(SlotKind.BLOCKED, target=chat_id)

    @classmethod
    def notice(cls, event_id: int) -> Slot:
        return cls(SlotKind.NOTICE, target=event_id)

    @property
    def is_reminder(self) -> bool:
        return self.kind in REMINDER_KINDS

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def mutable(self) -> bool:
        return self.kind in MUTABLE_KINDS

    def __str__(self) -> str:
        head = f"{self.kind}-{self.step}" if self.kind in _STEPPED else str(self.kind)
        if self.deadline is not None:
            return f"{head}:{self.deadline.isoformat()}"
        if self.month is not None:
            return f"{head}:{self.month[0]:04d}-{self.month[1]:02d}"
        if self.target is not None:
            return f"{head}:{self.target}"
        return head


def parse_slot(text: str) -> Slot | None:
    """The slot a ledger row names; None for a name this version does not know."""
    head, _, tail = text.partition(":")
    name, _, step = head.partition("-")
    try:
        kind = SlotKind(name)
    except ValueError:
        return None
    try:
        if kind in _STEPPED:
            return Slot(kind, step=int(step), deadline=date.fromisoformat(tail))
        if step:
            return None
        if kind in DEADLINE_KINDS:
            return Slot(kind, deadline=date.fromisoformat(tail))
        if kind == SlotKind.CHECK_IN:
            year, month = tail.split("-")
            return Slot(kind, month=(int(year), int(month)))
        if kind in (SlotKind.SUPPORT, SlotKind.BLOCKED, SlotKind.NOTICE):
            return Slot(kind, target=int(tail))
    except ValueError:
        return None
    return Slot(kind) if not tail else None


def slot_like(kind: SlotKind) -> str:
    """A SQL LIKE pattern matching every stored slot of ``kind``."""
    return f"{kind}-%" if kind in _STEPPED else f"{kind}:%" if kind != SlotKind.NEW else "new"
