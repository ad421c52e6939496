"""The delivery ledger: at most one message per (assignment, slot, chat).

Every transition of a ledger row is here, and nowhere else.

Life of a row: ``pending`` (claimed in the transaction that decided to send) →
``sending`` (committed just before the HTTP call) → ``sent`` with Telegram's message id,
or ``failed``; ``skipped`` when it no longer applies (a task done or extended since the
tick, a muted unit, a reminder older than the catch-up window). A crash before "sending"
loses nothing: the row is still ``pending``.

Ambiguous sends. A crash between "sending" and "sent", or an answer that does not say
whether Telegram took the message (HTTP 500/502, a connection reset after the request was
written, a timeout), leaves a message that may or may not have arrived; Telegram offers
no way to ask. Such a row becomes ``unknown`` with ``due_at`` moved ``resend_after``
ahead; once that time has come it is made ``pending`` again (``resends`` + 1) up to
``max_resends`` times, and the notifier marks its text «Nhắc lại», so a duplicate reads as
a repeat. So a message is lost only if every one of its 1 + max_resends attempts was
ambiguous and none arrived, and it is sent at most 1 + max_resends times.

Claims. Every insert path (a dispatch's fan-out, the reminder tick, periods, blocked-chat
notices) goes through :func:`claim`: one ``INSERT … ON CONFLICT DO NOTHING`` on the
ledger's unique key, from a ``SELECT`` (set-based planning) or from explicit pairs.

Facts. What a message says is read by :func:`delivery_facts`, one query for any kind of
row (plus one for the heads when an escalation names them, one for the periods when a row
is about an obligation, one for the deadline's wording when a row announces a task).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Select, case, func, literal, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentStatus,
    Contact,
    Dispatch,
    Period,
    Person,
    ReminderDelivery,
    Role,
    Task,
    TaskDue,
    Unit,
    UTCDateTime,
)
from models.db import upsert_insert
from services.audience import office_contacts
from services.slots import REMINDER_KINDS, Slot, SlotKind, parse_slot, slot_like


class DeliveryStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNKNOWN = "unknown"


class Claim(NamedTuple):
    delivery_id: int
    chat_id: int


_COLUMNS = ["assignment_id", "chat_id", "slot", "status", "due_at", "claimed_at"]


def _claim_statement(
    session: AsyncSession,
    slot: Slot,
    targets: Select[int, int] | Iterable[tuple[int, int]],
    *,
    due_at: datetime,
    now: datetime,
    status: str,
    body: str | None = None,
    markup: dict[str, Any] | None = None,
) -> Any | None:
    table = ReminderDelivery.__table__
    insert = upsert_insert(session)(table)
    if isinstance(targets, Select):
        rows = targets.add_columns(
            literal(str(slot)),
            literal(status),
            literal(due_at, UTCDateTime()),
            literal(now, UTCDateTime()),
        )
        statement = insert.from_select(_COLUMNS, rows)
    else:
        pairs = list(dict.fromkeys(targets))
        if not pairs:
            return None
        statement = insert.values(
            [
                {
                    "assignment_id": assignment_id,
                    "chat_id": chat_id,
                    "slot": str(slot),
                    "status": status,
                    "due_at": due_at,
                    "claimed_at": now,
                    "body": body,
                    "markup": markup,
                }
                for assignment_id, chat_id in pairs
            ]
        )
    return statement.on_conflict_do_nothing(index_elements=["assignment_id", "slot", "chat_id"])


async def claim(
    session: AsyncSession,
    slot: Slot,
    targets: Select[int, int] | Iterable[tuple[int, int]],
    *,
    due_at: datetime,
    now: datetime,
    body: str | None = None,
    markup: dict[str, Any] | None = None,
) -> list[Claim]:
    """Claim a pending row per (assignment id, chat id) of ``targets`` for ``slot``.

    ``targets`` is a ``SELECT`` of those two columns (the planners' set-based queries) or
    the pairs themselves (with a notice's stored ``body`` and ``markup``, services.notices).
    A row that exists already (an earlier tick, another process) is left untouched: the
    unique key refuses the second claim. Returns the new rows.
    """
    table = ReminderDelivery.__table__
    statement = _claim_statement(
        session,
        slot,
        targets,
        due_at=due_at,
        now=now,
        status=DeliveryStatus.PENDING,
        body=body,
        markup=markup,
    )
    if statement is None:
        return []
    result = await session.execute(statement.returning(table.c.id, table.c.chat_id))
    return [Claim(*row) for row in result]


async def claim_count(
    session: AsyncSession,
    slot: Slot,
    targets: Select[int, int],
    *,
    due_at: datetime,
    now: datetime,
    status: str = DeliveryStatus.PENDING,
) -> int:
    """Like :func:`claim`, counting the new pending rows instead of returning them: a tick
    that claims 70,000 monthly reminders sends whatever is pending afterwards and has no
    use for the ids. ``status`` skipped records slots passed over by the catch-up rule."""
    statement = _claim_statement(session, slot, targets, due_at=due_at, now=now, status=status)
    assert statement is not None  # a SELECT of targets always makes one
    result = await session.execute(statement)
    return int(result.rowcount or 0) if status == DeliveryStatus.PENDING else 0  # type: ignore[attr-defined]


# --- Transitions ----------------------------------------------------------------------------


async def start_sending(session: AsyncSession, delivery_ids: Sequence[int]) -> bool:
    """pending → sending for every row of one message; False when someone else took any of
    them (the ones taken here go back to pending: the other sender may have them all)."""
    ids = list(delivery_ids)
    taken = list(
        await session.scalars(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_(ids), ReminderDelivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.SENDING)
            .returning(ReminderDelivery.id)
        )
    )
    if len(taken) == len(ids):
        return True
    if taken:
        await session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_(taken))
            .values(status=DeliveryStatus.PENDING)
        )
    return False


async def mark_sent(
    session: AsyncSession, delivery_ids: Sequence[int], message_id: int, now: datetime
) -> None:
    await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id.in_(list(delivery_ids)))
        .values(status=DeliveryStatus.SENT, sent_at=now, message_id=message_id, error=None)
    )


async def mark_failed(
    session: AsyncSession, delivery_ids: Sequence[int], error: str | None, *, only_pending: bool
) -> int:
    """The message was refused for good (or its chat is blocked: ``only_pending`` fails the
    chat's other rows without a request)."""
    query = update(ReminderDelivery).where(ReminderDelivery.id.in_(list(delivery_ids)))
    if only_pending:
        query = query.where(ReminderDelivery.status == DeliveryStatus.PENDING)
    result = await session.execute(
        query.values(status=DeliveryStatus.FAILED, error=error[:300] if error else None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def skip(session: AsyncSession, delivery_ids: Sequence[int], reason: str) -> int:
    """pending → skipped (the message no longer applies); how many were still pending."""
    if not delivery_ids:
        return 0
    result = await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.id.in_(list(delivery_ids)),
            ReminderDelivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.SKIPPED, error=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def back_to_pending(session: AsyncSession, delivery_ids: Sequence[int], chat_id: int) -> None:
    """For a send Telegram refused before delivering (429, migrated chat, a request that
    never left): try again, in ``chat_id``."""
    await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id.in_(list(delivery_ids)))
        .values(status=DeliveryStatus.PENDING, chat_id=chat_id)
    )


async def mark_ambiguous(
    session: AsyncSession,
    delivery_ids: Sequence[int],
    error: str | None,
    resend_at: datetime | None,
) -> None:
    """A send whose fate Telegram did not tell: ``unknown``, due again at ``resend_at``
    (None when it has had its resends: it stays unknown for good)."""
    changes: dict[str, object] = {
        "status": DeliveryStatus.UNKNOWN,
        "message_id": None,
        "error": error[:300] if error else None,
    }
    if resend_at is not None:
        changes["due_at"] = resend_at
    await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id.in_(list(delivery_ids)))
        .values(**changes)
    )


async def mark_interrupted(session: AsyncSession, resend_at: datetime | None = None) -> int:
    """At start-up: rows left in "sending" by a crash are unknown (ambiguous), due for
    their resend at ``resend_at`` (None: never resent)."""
    changes: dict[str, object] = {"status": DeliveryStatus.UNKNOWN}
    if resend_at is not None:
        changes["due_at"] = resend_at
    result = await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.status == DeliveryStatus.SENDING)
        .values(**changes)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def release_ambiguous(session: AsyncSession, now: datetime, max_resends: int) -> int:
    """Unknown rows whose resend time has come, and that have resends left: pending again."""
    result = await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.status == DeliveryStatus.UNKNOWN,
            ReminderDelivery.resends < max_resends,
            ReminderDelivery.due_at <= now,
        )
        .values(status=DeliveryStatus.PENDING, resends=ReminderDelivery.resends + 1)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def deactivate_chat(session: AsyncSession, chat_id: int, now: datetime) -> None:
    """Telegram said 403 (the user blocked the bot, or it left the group) or the chat is
    gone: nothing more is sent there until /start."""
    await session.execute(
        update(Contact).where(Contact.chat_id == chat_id).values(active=False, blocked_at=now)
    )


async def migrate_chat(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its id changed, the binding and its pending rows stay."""
    await session.execute(
        update(Contact).where(Contact.chat_id == old_chat_id).values(chat_id=new_chat_id)
    )
    await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.chat_id == old_chat_id,
            ReminderDelivery.status == DeliveryStatus.PENDING,
        )
        .values(chat_id=new_chat_id)
    )


async def slots_of(session: AsyncSession, delivery_ids: Sequence[int]) -> dict[int, Slot]:
    """Each row's slot (rows of a slot this version does not know are left out)."""
    rows = await session.execute(
        select(ReminderDelivery.id, ReminderDelivery.slot).where(
            ReminderDelivery.id.in_(list(delivery_ids))
        )
    )
    return {i: slot for i, name in rows if (slot := parse_slot(name)) is not None}


def _is_reminder() -> Any:
    return or_(*(ReminderDelivery.slot.like(slot_like(kind)) for kind in REMINDER_KINDS))


async def deliverable(
    session: AsyncSession, now: datetime, window: timedelta, limit: int = 20_000
) -> list[Claim]:
    """Pending rows to send now (this tick's and any left by a crash or a retry).

    Reminder rows that waited longer than the catch-up ``window`` are skipped instead: they
    are stale, and a newer slot has been or will be planned. Other rows (a new task's
    announcement, a notice) are always sent, however late.
    """
    await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.status == DeliveryStatus.PENDING,
            ReminderDelivery.due_at <= now - window,
            _is_reminder(),
        )
        .values(status=DeliveryStatus.SKIPPED, error="stale")
    )
    rows = await session.execute(
        select(ReminderDelivery.id, ReminderDelivery.chat_id)
        .where(ReminderDelivery.status == DeliveryStatus.PENDING, ReminderDelivery.due_at <= now)
        .order_by(ReminderDelivery.due_at, ReminderDelivery.id)
        .limit(limit)
    )
    return [Claim(*row) for row in rows]


# --- What a row is about --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BlockedChat:
    chat_id: int
    kind: str
    title: str | None
    person_name: str | None
    unit_name: str | None


@dataclass(frozen=True, slots=True)
class DeliveryFacts:
    """Everything any message of the ledger says, for one row."""

    delivery_id: int
    slot: Slot
    chat_id: int
    resends: int
    assignment_id: int
    status: str
    due_on: date | None
    recurring: bool
    unit_id: int
    unit_name: str
    unit_muted: bool
    dispatch_kind: str
    dispatch_number: str | None
    dispatch_subject: str | None
    has_original: bool
    task_id: int
    task_ref: str
    task_text: str
    # Typed in by the office while reviewing the draft («do văn phòng bổ sung»).
    task_added: bool = False
    # The deadline in the dispatch's words, for a task's announcement (new, support).
    due_phrase: str | None = None
    # The unit's heads, named by an escalation.
    heads: tuple[str, ...] = ()
    # A periodic obligation's reminder: the period's key and status (services.periods).
    obligation: bool = False
    period_key: str | None = None
    period_status: str | None = None
    # The lead units of a task, named in a support copy.
    leads: tuple[str, ...] = ()
    # The chat a blocked-chat notice is about.
    blocked: BlockedChat | None = None
    # A notice's stored words and keyboard (services.notices).
    body: str | None = None
    markup: dict[str, Any] | None = None

    @property
    def kind(self) -> SlotKind:
        return self.slot.kind

    def still_due(self) -> bool:
        """Whether a reminder still applies (the task may have been done or extended since
        the tick, or the unit muted); announcements always do."""
        if not self.slot.is_reminder:
            return True
        if self.status != AssignmentStatus.OPEN:
            return False
        if self.slot.mutable and self.unit_muted:
            return False
        if self.obligation:
            return self.kind != SlotKind.CHECK_IN and self.period_status == "open"
        if self.kind == SlotKind.CHECK_IN:
            return self.due_on is None and self.recurring
        return self.slot.deadline == self.due_on


async def delivery_facts(session: AsyncSession, delivery_ids: Sequence[int]) -> list[DeliveryFacts]:
    """Facts for many rows, in the order of ``delivery_ids`` (rows gone or of a slot this
    version does not know are left out)."""
    if not delivery_ids:
        return []
    rows = (
        await session.execute(
            select(ReminderDelivery, Assignment, Task, Dispatch, Unit, _due_phrase())
            .join(Assignment, Assignment.id == ReminderDelivery.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Dispatch, Dispatch.id == Task.dispatch_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(ReminderDelivery.id.in_(list(delivery_ids)))
        )
    ).all()
    by_id: dict[int, DeliveryFacts] = {}
    for delivery, assignment, task, dispatch, unit, phrase in rows:
        slot = parse_slot(delivery.slot)
        if slot is None:
            continue
        by_id[delivery.id] = DeliveryFacts(
            delivery_id=delivery.id,
            slot=slot,
            chat_id=delivery.chat_id,
            resends=delivery.resends,
            assignment_id=assignment.id,
            status=assignment.status,
            due_on=assignment.due_on,
            recurring=assignment.recurring,
            unit_id=unit.id,
            unit_name=unit.name,
            unit_muted=unit.muted,
            dispatch_kind=dispatch.kind,
            dispatch_number=dispatch.number,
            dispatch_subject=dispatch.subject,
            has_original=dispatch.file_path is not None,
            task_id=task.id,
            task_ref=task.ref,
            task_text=task.text,
            task_added=task.added,
            obligation=assignment.period_rule is not None,
            due_phrase=phrase,
            body=delivery.body,
            markup=delivery.markup,
        )
    await _add_heads(session, by_id)
    await _add_periods(session, by_id)
    await _add_leads(session, by_id)
    await _add_blocked(session, by_id)
    return [by_id[i] for i in delivery_ids if i in by_id]


async def _add_heads(session: AsyncSession, by_id: dict[int, DeliveryFacts]) -> None:
    wanted = {f.unit_id for f in by_id.values() if f.kind == SlotKind.ESCALATION}
    if not wanted:
        return
    heads = await unit_heads(session, wanted)
    for i, f in by_id.items():
        if f.unit_id in heads:
            by_id[i] = replace(f, heads=heads[f.unit_id])


async def unit_heads(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    ids = list(unit_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.unit_id, Person.name)
        .where(Person.unit_id.in_(ids), Person.role == Role.HEAD, Person.active.is_(True))
        .order_by(Person.id)
    )
    heads: dict[int, list[str]] = {}
    for unit_id, name in rows:
        if unit_id is not None:
            heads.setdefault(unit_id, []).append(name)
    return {unit_id: tuple(names) for unit_id, names in heads.items()}


async def _add_periods(session: AsyncSession, by_id: dict[int, DeliveryFacts]) -> None:
    """An obligation's reminder is about the period due on the slot's date."""
    wanted = {
        (f.assignment_id, f.slot.deadline): i
        for i, f in by_id.items()
        if f.obligation and f.slot.deadline is not None
    }
    if not wanted:
        return
    rows = await session.execute(
        select(Period.assignment_id, Period.due_on, Period.key, Period.status).where(
            Period.assignment_id.in_({a for a, _ in wanted}),
            Period.due_on.in_({d for _, d in wanted}),
        )
    )
    for assignment_id, due_on, key, status in rows:
        delivery_id = wanted.get((assignment_id, due_on))
        if delivery_id is not None:
            by_id[delivery_id] = replace(
                by_id[delivery_id], due_on=due_on, period_key=key, period_status=status
            )


def _due_phrase() -> Any:
    """The deadline as the dispatch wrote it, for a task's announcement: the phrase of the
    timing the deadline came from, else (an undated task) its first timing's. A column of
    the facts query, so an announcement costs no more queries than a reminder."""
    of_deadline = (
        select(TaskDue.phrase)
        .where(
            TaskDue.task_id == Task.id,
            TaskDue.kind == "deadline",
            TaskDue.due_on == Assignment.original_due_on,
        )
        .limit(1)
        .scalar_subquery()
    )
    first = (
        select(TaskDue.phrase)
        .where(TaskDue.task_id == Task.id)
        .order_by(TaskDue.position)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(of_deadline, case((Assignment.due_on.is_(None), first))).label("phrase")


async def _add_leads(session: AsyncSession, by_id: dict[int, DeliveryFacts]) -> None:
    """A support copy names the task's lead units."""
    task_ids = {f.task_id for f in by_id.values() if f.kind == SlotKind.SUPPORT}
    if not task_ids:
        return
    names = await session.execute(
        select(Assignment.task_id, Unit.name)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.task_id.in_(task_ids))
        .order_by(Assignment.id)
    )
    leads: dict[int, list[str]] = {}
    for task_id, name in names:
        leads.setdefault(task_id, []).append(name)
    for i, f in by_id.items():
        if f.kind == SlotKind.SUPPORT:
            by_id[i] = replace(f, leads=tuple(leads.get(f.task_id, ())))


async def _add_blocked(session: AsyncSession, by_id: dict[int, DeliveryFacts]) -> None:
    for i, f in by_id.items():
        if f.kind == SlotKind.BLOCKED and f.slot.target is not None:
            by_id[i] = replace(f, blocked=await blocked_chat(session, f.slot.target))


@dataclass(frozen=True, slots=True)
class MessageTarget:
    assignment_id: int
    unit_id: int
    slot: Slot | None


async def assignment_for_message(
    session: AsyncSession, chat_id: int, message_id: int
) -> MessageTarget | None:
    """Which assignment a bot message in this chat was about (for replies and buttons)."""
    row = (
        await session.execute(
            select(ReminderDelivery.assignment_id, Assignment.unit_id, ReminderDelivery.slot)
            .join(Assignment, Assignment.id == ReminderDelivery.assignment_id)
            .where(ReminderDelivery.chat_id == chat_id, ReminderDelivery.message_id == message_id)
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    assignment_id, unit_id, slot = row
    return MessageTarget(assignment_id, unit_id, parse_slot(slot))


# --- Telling the office a chat is unreachable -----------------------------------------------


async def claim_blocked_notices(
    session: AsyncSession, blocked: Sequence[tuple[int, int]], now: datetime
) -> list[Claim]:
    """One notice per (blocked chat, office chat), keyed on the assignment that failed."""
    claims: list[Claim] = []
    for assignment_id, chat_id in blocked:
        chats = office_contacts().where(Contact.chat_id != chat_id).subquery()
        targets = select(literal(assignment_id, BigInteger()), chats.c.chat_id).where(true())
        claims += await claim(session, Slot.blocked(chat_id), targets, due_at=now, now=now)
    return claims


async def blocked_chat(session: AsyncSession, chat_id: int) -> BlockedChat:
    row = (
        await session.execute(
            select(Contact.kind, Contact.title, Person.name, Unit.name)
            .outerjoin(Person, Person.id == Contact.person_id)
            .outerjoin(Unit, Unit.id == Contact.unit_id)
            .where(Contact.chat_id == chat_id)
        )
    ).first()
    if row is None:
        return BlockedChat(chat_id, "private", None, None, None)
    return BlockedChat(chat_id, *row)
