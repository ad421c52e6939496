"""Who hears what: one table, and the chats it names.

Every message the bot sends on its own (not as the answer to the person who wrote) is about
an :class:`Event`, and the event's row in :data:`WHO_HEARS` says which chats receive it.
The README prints the same table; ``tests/services/test_audience.py`` walks it.

Hearers
    ``unit``       the unit's reachable chats: its people's private chats and its group
                   (a contact is reachable when it is active, has not blocked the bot, and
                   its person, if any, is active);
    ``heads``      the private chats of the unit's active heads;
    ``office``     the private chats of active admins and supervisors that have not
                   blocked the bot (they run the dispatches and see every unit);
    ``listening``  those of the office who asked to hear each completion (/baongay bat);
                   the others read completions in the digest.

Overdue lists, escalations, blocked chats and the digest go to the whole office, admins
included: an admin who runs the office is the one who acts on them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Contact, Person, Role


class Event(StrEnum):
    NEW_TASK = "new_task"
    SUPPORT_COPY = "support_copy"
    REMINDER = "reminder"
    OVERDUE = "overdue"
    OVERDUE_LIST = "overdue_list"
    ESCALATION = "escalation"
    COMPLETION = "completion"
    UNDO = "undo"
    RETURN = "return"
    EXTENSION_REQUEST = "extension_request"
    EXTENSION_DECISION = "extension_decision"
    DEADLINE_CHANGE = "deadline_change"
    PERIOD_OPENED = "period_opened"
    PERIOD_CLOSED = "period_closed"
    DIGEST = "digest"
    WEEKLY_LIST = "weekly_list"
    REGISTRATION = "registration"
    BLOCKED_CHAT = "blocked_chat"


class Hearer(StrEnum):
    UNIT = "unit"
    HEADS = "heads"
    OFFICE = "office"
    LISTENING = "listening"


WHO_HEARS: dict[Event, frozenset[Hearer]] = {
    Event.NEW_TASK: frozenset({Hearer.UNIT}),
    Event.SUPPORT_COPY: frozenset({Hearer.UNIT}),
    Event.REMINDER: frozenset({Hearer.UNIT}),
    Event.OVERDUE: frozenset({Hearer.UNIT}),
    Event.OVERDUE_LIST: frozenset({Hearer.OFFICE}),
    Event.ESCALATION: frozenset({Hearer.OFFICE}),
    Event.COMPLETION: frozenset({Hearer.LISTENING}),
    Event.UNDO: frozenset({Hearer.LISTENING}),
    Event.RETURN: frozenset({Hearer.UNIT}),
    Event.EXTENSION_REQUEST: frozenset({Hearer.OFFICE}),
    Event.EXTENSION_DECISION: frozenset({Hearer.UNIT}),
    Event.DEADLINE_CHANGE: frozenset({Hearer.UNIT}),
    # Nobody is told on its own: the completion's answer names the next period, and the
    # period's reminders follow.
    Event.PERIOD_OPENED: frozenset(),
    Event.PERIOD_CLOSED: frozenset({Hearer.UNIT}),
    Event.DIGEST: frozenset({Hearer.OFFICE}),
    Event.WEEKLY_LIST: frozenset({Hearer.UNIT}),
    Event.REGISTRATION: frozenset({Hearer.HEADS, Hearer.OFFICE}),
    Event.BLOCKED_CHAT: frozenset({Hearer.OFFICE}),
}

OFFICE_ROLES = (Role.ADMIN, Role.SUPERVISOR)


def reachable() -> ColumnElement[bool]:
    """A contact that can be written to (join Person outer on ``Contact.person_id``)."""
    return and_(
        Contact.active.is_(True),
        Contact.blocked_at.is_(None),
        or_(Contact.person_id.is_(None), Person.active.is_(True)),
    )


def unit_contacts() -> Select[int | None, int]:
    """``(Contact.unit_id, Contact.chat_id)`` of every reachable unit chat; callers join or
    filter on ``Contact.unit_id``."""
    return (
        select(Contact.unit_id, Contact.chat_id)
        .outerjoin(Person, Person.id == Contact.person_id)
        .where(Contact.unit_id.is_not(None), reachable())
    )


def office_contacts(*, listening: bool = False) -> Select[Any]:
    """Private chats of the office (admins and supervisors); ``listening``: only those who
    hear each completion at once."""
    query = (
        select(Contact.chat_id)
        .join(Person, Person.id == Contact.person_id)
        .where(Person.role.in_(OFFICE_ROLES), Contact.kind == "private", reachable())
    )
    if listening:
        query = query.where(Person.notify_completions.is_(True))
    return query


def head_contacts(unit_id: int) -> Select[Any]:
    return (
        select(Contact.chat_id)
        .join(Person, Person.id == Contact.person_id)
        .where(
            Person.role == Role.HEAD,
            Person.unit_id == unit_id,
            Contact.kind == "private",
            reachable(),
        )
    )


def hearers_query(hearer: Hearer, unit_id: int | None) -> Select[Any] | None:
    if hearer == Hearer.UNIT:
        if unit_id is None:
            return None
        return (
            select(Contact.chat_id)
            .outerjoin(Person, Person.id == Contact.person_id)
            .where(Contact.unit_id == unit_id, reachable())
        )
    if hearer == Hearer.HEADS:
        return head_contacts(unit_id) if unit_id is not None else None
    return office_contacts(listening=hearer == Hearer.LISTENING)


async def chats_for(
    session: AsyncSession,
    event: Event,
    unit_id: int | None = None,
    *,
    exclude: Collection[int] = (),
) -> list[int]:
    """The chats that hear ``event`` about ``unit_id``, each once, in a stable order."""
    found: dict[int, None] = {}
    for hearer in sorted(WHO_HEARS[event]):
        query = hearers_query(hearer, unit_id)
        if query is None:
            continue
        for chat_id in await session.scalars(query.order_by(Contact.chat_id)):
            if chat_id not in exclude:
                found[chat_id] = None
    return list(found)


async def unit_chats_of(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Reachable chats per unit, for many units at once (a dispatch's fan-out)."""
    ids = list(unit_ids)
    chats: dict[int, list[int]] = {}
    if not ids:
        return chats
    rows = await session.execute(
        unit_contacts().where(Contact.unit_id.in_(ids)).order_by(Contact.id)
    )
    for unit_id, chat_id in rows:
        if unit_id is not None:  # always: unit_contacts() filters on it
            chats.setdefault(unit_id, []).append(chat_id)
    return chats
