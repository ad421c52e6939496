"""What each ledger row says: the message builders of the delivery path.

:func:`compose` turns the facts of one message's rows (services.deliveries) into its text
and buttons; the notifier only paces and sends. One row makes one message, except the
office's overdue lists and escalations, where one chat's rows of one kind make one list,
split only past Telegram's length limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram import InlineKeyboardMarkup

from bot import keyboards, texts
from bot.splitting import BLOCK_GAP, groups
from services.deliveries import DeliveryFacts
from services.slots import SlotKind


@dataclass(frozen=True, slots=True)
class Outgoing:
    text: str
    markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True, slots=True)
class Composed:
    """One message and the ledger rows it carries."""

    delivery_ids: tuple[int, ...]
    outgoing: Outgoing
    # The (first) assignment it is about: a blocked chat's notice is keyed on it.
    assignment_id: int


def _title(facts: DeliveryFacts) -> str:
    return texts.dispatch_title(facts.dispatch_kind, facts.dispatch_number, facts.dispatch_subject)


def new_task(facts: DeliveryFacts, today: date) -> Outgoing:
    """«Nhiệm vụ mới»; a deadline already past when it is sent says so."""
    text = texts.new_task(
        _title(facts),
        facts.dispatch_subject,
        facts.task_ref,
        facts.task_text,
        texts.deadline_text(facts.due_on, facts.due_phrase, today),
        facts.task_added,
    )
    return Outgoing(text, keyboards.task_buttons(facts.assignment_id, facts.has_original))


def support_copy(facts: DeliveryFacts, today: date) -> Outgoing:
    """A supporting unit's copy: for its information, no buttons (the lead reports)."""
    text = texts.support_copy(
        _title(facts),
        facts.task_ref,
        facts.task_text,
        facts.leads,
        texts.deadline_text(facts.due_on, None, today),
        facts.task_added,
    )
    return Outgoing(text)


def reminder(facts: DeliveryFacts, today: date) -> Outgoing:
    """A unit's reminder: ⏰ days left, ⚠️ days overdue, or 📝 the monthly check-in."""
    # An obligation's buttons name the period this reminder is about.
    period_due = facts.slot.deadline if facts.obligation else None
    buttons = keyboards.task_buttons(facts.assignment_id, facts.has_original, period_due)
    if facts.kind == SlotKind.CHECK_IN:
        assert facts.slot.month is not None
        year, month = facts.slot.month
        text = texts.checkin(
            f"{month:02d}/{year:04d}", _title(facts), facts.task_ref, facts.task_text
        )
        return Outgoing(text, buttons)
    assert facts.due_on is not None
    days = (facts.due_on - today).days
    overdue = facts.kind == SlotKind.OVERDUE or days < 0
    text = texts.reminder_due(
        abs(days),
        facts.due_on,
        _title(facts),
        facts.task_ref,
        facts.task_text,
        overdue,
        facts.period_key,
    )
    return Outgoing(text, buttons)


def blocked_notice(facts: DeliveryFacts) -> Outgoing:
    who = facts.blocked
    assert who is not None
    return Outgoing(
        texts.chat_blocked(who.kind, who.title, who.person_name, who.unit_name, who.chat_id)
    )


def stored_notice(facts: DeliveryFacts) -> Outgoing:
    """A notice's words were fixed when its event happened (services.notices)."""
    markup = InlineKeyboardMarkup.de_json(facts.markup, None) if facts.markup else None
    return Outgoing(facts.body or "", markup)


def notice_markup(markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    """A keyboard as the ledger stores it (Bot API JSON)."""
    return markup.to_dict() if markup is not None else None


def list_header(kind: SlotKind, count: int, escalate_after_days: int) -> str:
    if kind == SlotKind.ESCALATION:
        return texts.ESCALATION_HEADER.format(count=count, days=max(1, escalate_after_days))
    return texts.LATE_LIST_HEADER.format(count=count)


def office_list(
    facts: Sequence[DeliveryFacts], today: date, escalate_after_days: int
) -> list[Composed]:
    """The office's overdue list or escalation, oldest deadline first, in as few messages
    as Telegram's length limit allows."""
    ordered = sorted(facts, key=lambda f: (f.due_on or today, f.unit_name, f.task_ref))
    header = list_header(ordered[0].kind, len(ordered), escalate_after_days)
    if any(f.resends for f in ordered):
        header = texts.resent(header)
    blocks = [
        texts.list_line(
            f.unit_name,
            _title(f),
            texts.ref_label(f.task_ref, f.period_key),
            f.task_text,
            f.due_on or today,
            (today - (f.due_on or today)).days,
            f.heads if f.kind == SlotKind.ESCALATION else None,
        )
        for f in ordered
    ]
    # The header opens the first message, always with the first row beside it.
    blocks[0] = f"{header}{BLOCK_GAP}{blocks[0]}"
    chunks = []
    for run in groups(blocks):
        rows = [ordered[i] for i in run]
        text = BLOCK_GAP.join(blocks[i] for i in run)
        chunks.append(
            Composed(tuple(f.delivery_id for f in rows), Outgoing(text), rows[0].assignment_id)
        )
    return chunks


def compose(
    facts: Sequence[DeliveryFacts], today: date, escalate_after_days: int
) -> list[Composed]:
    """The messages for rows that still apply: one per row, or the office's list."""
    if not facts:
        return []
    if facts[0].slot.is_list:
        return office_list(facts, today, escalate_after_days)
    messages = []
    for f in facts:
        if f.kind == SlotKind.NEW:
            outgoing = new_task(f, today)
        elif f.kind == SlotKind.SUPPORT:
            outgoing = support_copy(f, today)
        elif f.kind == SlotKind.BLOCKED:
            outgoing = blocked_notice(f)
        elif f.kind == SlotKind.NOTICE:
            outgoing = stored_notice(f)
        else:
            outgoing = reminder(f, today)
        if f.resends:
            outgoing = Outgoing(texts.resent(outgoing.text), outgoing.markup)
        messages.append(Composed((f.delivery_id,), outgoing, f.assignment_id))
    return messages
