"""A unit's answers to its tasks: completion, progress notes, extension requests, undo, return.

Plain rules over a session, values and ``now``; no Telegram here. Every function checks
that the actor may act on the assignment (a unit's people only on their own unit's
assignments; the office decides extensions and returns completions), writes an audit
Event carrying the Telegram message it came from, flushes and never commits.

Races are settled by the database, not by reading first: each state change is one
conditional ``UPDATE … WHERE status …`` whose row count says whether this call won. The
same "xong" delivered twice, or two members of a unit completing at the same moment, give
one completion; the loser learns who completed it and when (``AlreadyDone``). The UPDATE is
the first statement of its transaction where it matters, so on SQLite the transaction takes
the write lock before reading and waits for the other writer instead of failing. Each
change also bumps ``Assignment.version``, the optimistic lock other writers compare.

How an approved extension counts
--------------------------------
Approving an extension moves ``Assignment.due_on`` (the deadline in force) to the approved
date and keeps ``original_due_on`` (the first deadline) unchanged. A completion on or before
the deadline in force is **"hoàn thành đúng hạn"** (on time), also when the deadline was
extended; ``due_on > original_due_on`` is how reports show that it was extended. A completion
after the deadline in force is "hoàn thành quá hạn". See :func:`is_on_time`.

Reminders follow the deadline in force: the reminder engine derives its slots from
``due_on``, so changing ``due_on`` is the whole re-planning. Delivery rows already sent
stay in the ledger (replies to those messages still find their assignment); slots of the
old date that were not sent yet are simply no longer due.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentStatus,
    Attachment,
    Dispatch,
    DispatchStatus,
    ExtensionRequest,
    Period,
    PeriodStatus,
    Person,
    Task,
    Unit,
)
from services.events import Origin, record_event
from services.files import StoredFile
from services.people import Actor
from services.periods import open_next_period

# The unit may take a completion back for this long; a file sent this long after a
# completion is that completion's report.
UNDO_WINDOW = timedelta(minutes=10)
REPORT_WINDOW = timedelta(minutes=10)
# A bare "xong" lists at most this many open tasks (soonest deadline first).
CHOICE_LIMIT = 10


class ExtensionStatus:
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    # A pending request the unit made moot: it completed the task or asked again.
    CANCELLED = "cancelled"


class CompletionError(Exception):
    """An action that cannot apply. ``code``: gone, not_yours, not_allowed, not_done,
    undo_expired, decided, already_done, in_the_past, not_later (an extension to a day not
    after the current deadline), no_date."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class AssignmentInfo:
    """What the bot needs to talk about one assignment."""

    assignment_id: int
    unit_id: int
    unit_name: str
    task_id: int
    dispatch_id: int
    task_ref: str
    task_text: str
    status: str
    due_on: date | None
    original_due_on: date | None
    done_at: datetime | None
    done_by_id: int | None
    done_by_name: str | None
    note: str | None
    # A periodic obligation: the fields above are those of one period (services.periods).
    period_id: int | None = None
    period_key: str | None = None
    period_rule: str | None = None
    # After a period's completion: the due date of the next period still to report.
    next_due_on: date | None = None
    next_key: str | None = None


@dataclass(frozen=True, slots=True)
class AlreadyDone:
    """Someone completed it first (or the same message came twice)."""

    info: AssignmentInfo


@dataclass(frozen=True, slots=True)
class Completed:
    info: AssignmentInfo  # as it is after the completion


@dataclass(frozen=True, slots=True)
class ExtensionInfo:
    request_id: int
    status: str
    proposed_on: date | None
    reason: str | None
    requested_by_name: str | None
    decided_on: date | None
    assignment: AssignmentInfo


def is_on_time(done_on: date | None, due_on: date | None) -> bool:
    """Done on or before the deadline in force (``due_on``, moved by approved extensions).

    No deadline, or no completion day recorded, counts as on time. ``original_due_on`` plays
    no part: it only tells reports that the deadline was extended.
    """
    return due_on is None or done_on is None or done_on <= due_on


# --- Reading ----------------------------------------------------------------------------------


async def load_assignment(
    session: AsyncSession,
    assignment_id: int,
    *,
    period_due: date | None = None,
    period_id: int | None = None,
) -> AssignmentInfo | None:
    """The assignment of an active dispatch, with its task and unit; None otherwise.

    For a periodic obligation the status, deadline and completion are one period's: the
    one given (by id, or by its due date as a reminder's slot names it), else the oldest
    one still to report, else the latest.
    """
    row = (
        await session.execute(
            select(Assignment, Task.ref, Task.text, Task.dispatch_id, Unit.name, Person.name)
            .join(Task, Task.id == Assignment.task_id)
            .join(Dispatch, Dispatch.id == Task.dispatch_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .outerjoin(Person, Person.id == Assignment.done_by_id)
            .where(Assignment.id == assignment_id, Dispatch.status == DispatchStatus.ACTIVE)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        return None
    assignment, ref, text, dispatch_id, unit_name, done_by_name = row
    info = AssignmentInfo(
        assignment_id=assignment.id,
        unit_id=assignment.unit_id,
        unit_name=unit_name,
        task_id=assignment.task_id,
        dispatch_id=dispatch_id,
        task_ref=ref,
        task_text=text,
        status=assignment.status,
        due_on=assignment.due_on,
        original_due_on=assignment.original_due_on,
        done_at=assignment.done_at,
        done_by_id=assignment.done_by_id,
        done_by_name=done_by_name,
        note=assignment.note,
    )
    if assignment.period_rule is None:
        return info
    return await _with_period(session, info, assignment.period_rule, period_due, period_id)


async def _with_period(
    session: AsyncSession,
    info: AssignmentInfo,
    rule: str,
    period_due: date | None,
    period_id: int | None,
) -> AssignmentInfo:
    query = (
        select(Period, Person.name)
        .outerjoin(Person, Person.id == Period.done_by_id)
        .where(Period.assignment_id == info.assignment_id)
        .execution_options(populate_existing=True)
    )
    if period_id is not None:
        query = query.where(Period.id == period_id)
    elif period_due is not None:
        query = query.where(
            (Period.due_on == period_due) | (Period.original_due_on == period_due)
        ).order_by(Period.due_on)
    else:
        query = query.order_by(Period.status.in_(_CLOSED), Period.due_on, Period.id)
    rows = (await session.execute(query.limit(1 if period_id or period_due else 50))).all()
    if period_id is None and period_due is None and rows and rows[0][0].status in _CLOSED:
        rows = [max(rows, key=lambda r: r[0].due_on)]  # all reported: the latest
    if not rows:
        return replace(info, period_rule=rule)
    period, done_by_name = rows[0]
    return replace(
        info,
        status=period.status,
        due_on=period.due_on,
        original_due_on=period.original_due_on,
        done_at=period.done_at,
        done_by_id=period.done_by_id,
        done_by_name=done_by_name,
        note=period.note,
        period_id=period.id,
        period_key=period.key,
        period_rule=rule,
    )


async def _next_to_report(session: AsyncSession, info: AssignmentInfo) -> AssignmentInfo:
    """``info`` with the due date and key of the earliest other period still to report."""
    row = (
        await session.execute(
            select(Period.due_on, Period.key)
            .where(
                Period.assignment_id == info.assignment_id,
                Period.id != info.period_id,
                Period.status.not_in(_CLOSED),
            )
            .order_by(Period.due_on)
            .limit(1)
        )
    ).first()
    return replace(info, next_due_on=row[0], next_key=row[1]) if row else info


_CLOSED = (PeriodStatus.DONE, PeriodStatus.STOPPED)


def _period_of_unit(assignment_id: int, actor: Actor) -> Any:
    return Period.assignment_id.in_(
        select(Assignment.id).where(
            Assignment.id == assignment_id, Assignment.unit_id == actor.unit_id
        )
    )


async def _own(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    period_due: date | None = None,
    period_id: int | None = None,
) -> AssignmentInfo:
    """The assignment, if it belongs to the actor's unit; otherwise not_yours / gone."""
    info = await load_assignment(session, assignment_id, period_due=period_due, period_id=period_id)
    if info is None:
        raise CompletionError("gone")
    if actor.unit_id is None or info.unit_id != actor.unit_id:
        raise CompletionError("not_yours")
    return info


async def check_owner(session: AsyncSession, assignment_id: int, actor: Actor) -> AssignmentInfo:
    """For a button that only asks something first (✅ asks for a note, 🕒 for a date)."""
    return await _own(session, assignment_id, actor)


async def open_choices(
    session: AsyncSession, unit_id: int, limit: int = CHOICE_LIMIT
) -> list[AssignmentInfo]:
    """The unit's unfinished assignments, soonest deadline first, undated last (capped)."""
    ids = await session.scalars(
        select(Assignment.id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Dispatch, Dispatch.id == Task.dispatch_id)
        .where(
            Assignment.unit_id == unit_id,
            Assignment.status != AssignmentStatus.DONE,
            Dispatch.status == DispatchStatus.ACTIVE,
        )
        .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.id)
        .limit(limit)
    )
    infos = [await load_assignment(session, i) for i in list(ids)]
    return [i for i in infos if i is not None]


async def recent_completion(
    session: AsyncSession, actor: Actor, now: datetime, window: timedelta = REPORT_WINDOW
) -> AssignmentInfo | None:
    """The assignment this person completed within ``window`` (the latest), for a report file."""
    assignment_id = await session.scalar(
        select(Assignment.id)
        .where(
            Assignment.done_by_id == actor.person_id,
            Assignment.status == AssignmentStatus.DONE,
            Assignment.done_at >= now - window,
        )
        .order_by(Assignment.done_at.desc(), Assignment.id.desc())
        .limit(1)
    )
    return await load_assignment(session, assignment_id) if assignment_id else None


# --- Completion -------------------------------------------------------------------------------


async def record_completion(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    now: datetime,
    tz: tzinfo,
    note: str | None,
    origin: Origin,
    period_due: date | None = None,
) -> Completed | AlreadyDone:
    """Mark the unit's assignment done at ``now`` (``done_on`` = the day in ``tz``).

    One completion wins: a second one (a duplicate update, another member at the same
    moment) changes nothing and gets ``AlreadyDone`` with who and when.

    For a periodic obligation only one period is done: the one due on ``period_due`` (the
    reminder replied to), else the oldest still to report; the next period opens.
    """
    note = (note or "").strip() or None
    done = await _complete_period(
        session, assignment_id, actor, now=now, tz=tz, note=note, origin=origin, due=period_due
    )
    if done is not None:
        return done
    result = await session.execute(
        update(Assignment)
        .where(
            Assignment.id == assignment_id,
            Assignment.unit_id == actor.unit_id,
            Assignment.status != AssignmentStatus.DONE,
            Assignment.period_rule.is_(None),
        )
        .values(
            status=AssignmentStatus.DONE,
            done_at=now,
            done_on=now.astimezone(tz).date(),
            done_by_id=actor.person_id,
            note=note,
            version=Assignment.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    won = result.rowcount == 1  # type: ignore[attr-defined]
    info = await _own(session, assignment_id, actor, period_due=period_due)
    if not won:
        if info.status == AssignmentStatus.DONE:
            return AlreadyDone(info)
        raise CompletionError("gone")  # the dispatch is no longer active
    await _cancel_pending_requests(session, assignment_id)
    _record(
        session,
        "assignment.done",
        info,
        now,
        origin,
        note=note,
        on_time=is_on_time(now.astimezone(tz).date(), info.due_on),
        due_on=info.due_on.isoformat() if info.due_on else None,
    )
    await session.flush()
    return Completed(info)


async def _complete_period(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    now: datetime,
    tz: tzinfo,
    note: str | None,
    origin: Origin,
    due: date | None,
) -> Completed | None:
    """One conditional UPDATE of the chosen period; None when no period was completed."""
    choice = select(Period.id).where(
        Period.assignment_id == assignment_id, Period.status.not_in(_CLOSED)
    )
    if due is not None:
        choice = choice.where((Period.due_on == due) | (Period.original_due_on == due))
    choice = choice.order_by(Period.due_on, Period.id).limit(1)
    done_on = now.astimezone(tz).date()
    result = await session.execute(
        update(Period)
        .where(
            Period.id == choice.scalar_subquery(),
            Period.status.not_in(_CLOSED),
            _period_of_unit(assignment_id, actor),
        )
        .values(
            status=PeriodStatus.DONE,
            done_at=now,
            done_on=done_on,
            done_by_id=actor.person_id,
            note=note,
        )
        .returning(Period.id, Period.original_due_on)
        .execution_options(synchronize_session=False)
    )
    row = result.first()
    if row is None:
        return None
    period_id, original_due_on = row
    await _cancel_pending_requests(session, assignment_id, period_id)
    info = await _own(session, assignment_id, actor, period_id=period_id)
    assert info.period_rule is not None
    await open_next_period(session, assignment_id, info.period_rule, original_due_on, now)
    info = await _next_to_report(session, info)
    _record(
        session,
        "period.done",
        info,
        now,
        origin,
        note=note,
        period=info.period_key,
        on_time=is_on_time(done_on, info.due_on),
        due_on=info.due_on.isoformat() if info.due_on else None,
    )
    await session.flush()
    return Completed(info)


async def undo_completion(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    now: datetime,
    origin: Origin,
    window: timedelta = UNDO_WINDOW,
) -> AssignmentInfo:
    """The unit takes back its completion within ``window``; the assignment is open again.

    For a periodic obligation: the period this unit completed last, within ``window``.
    """
    reopened = await _reopen_period(
        session, assignment_id, _period_of_unit(assignment_id, actor), since=now - window
    )
    if reopened is not None:
        info = await _own(session, assignment_id, actor, period_id=reopened)
        _record(session, "period.undone", info, now, origin, period=info.period_key)
        await session.flush()
        return info
    result = await session.execute(
        update(Assignment)
        .where(
            Assignment.id == assignment_id,
            Assignment.unit_id == actor.unit_id,
            Assignment.status == AssignmentStatus.DONE,
            Assignment.done_at >= now - window,
        )
        .values(_reopened())
        .execution_options(synchronize_session=False)
    )
    won = result.rowcount == 1  # type: ignore[attr-defined]
    info = await _own(session, assignment_id, actor)
    if not won:
        code = "undo_expired" if info.status == AssignmentStatus.DONE else "not_done"
        raise CompletionError(code)
    _record(session, "assignment.undone", info, now, origin)
    await session.flush()
    return info


async def return_completion(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    reason: str | None,
    now: datetime,
    origin: Origin,
) -> AssignmentInfo:
    """The office finds a completion not good enough ("chưa đạt"): the assignment reopens."""
    if not actor.is_office:
        raise CompletionError("not_allowed")
    reason = (reason or "").strip() or None
    reopened = await _reopen_period(session, assignment_id, Period.assignment_id == assignment_id)
    if reopened is not None:
        info = await load_assignment(session, assignment_id, period_id=reopened)
        if info is None:
            raise CompletionError("gone")
        _record(session, "period.returned", info, now, origin, note=reason, period=info.period_key)
        await session.flush()
        return info
    result = await session.execute(
        update(Assignment)
        .where(Assignment.id == assignment_id, Assignment.status == AssignmentStatus.DONE)
        .values(_reopened())
        .execution_options(synchronize_session=False)
    )
    info = await load_assignment(session, assignment_id)
    if info is None:
        raise CompletionError("gone")
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise CompletionError("not_done")
    _record(session, "assignment.returned", info, now, origin, note=reason)
    await session.flush()
    return info


def _record(
    session: AsyncSession,
    kind: str,
    info: AssignmentInfo,
    now: datetime,
    origin: Origin,
    *,
    note: str | None = None,
    **data: Any,
) -> None:
    """An audit event about ``info``'s assignment, with its unit, dispatch and task."""
    record_event(
        session,
        kind,
        now,
        origin,
        unit_id=info.unit_id,
        dispatch_id=info.dispatch_id,
        task_id=info.task_id,
        assignment_id=info.assignment_id,
        note=note,
        **data,
    )


async def _reopen_period(
    session: AsyncSession, assignment_id: int, allowed: Any, since: datetime | None = None
) -> int | None:
    """The assignment's most recently completed period (since ``since``) opens again."""
    choice = select(Period.id).where(
        Period.assignment_id == assignment_id, Period.status == PeriodStatus.DONE
    )
    if since is not None:
        choice = choice.where(Period.done_at >= since)
    choice = choice.order_by(Period.done_at.desc(), Period.id.desc()).limit(1)
    result = await session.execute(
        update(Period)
        .where(Period.id == choice.scalar_subquery(), Period.status == PeriodStatus.DONE, allowed)
        .values(status=PeriodStatus.OPEN, done_at=None, done_on=None, done_by_id=None, note=None)
        .returning(Period.id)
        .execution_options(synchronize_session=False)
    )
    return result.scalar()


def _period_data(info: AssignmentInfo) -> dict[str, Any]:
    """The period an event is about, for a periodic obligation (nothing otherwise)."""
    return {"period": info.period_key} if info.period_key else {}


def _reopened() -> dict[str, object]:
    return {
        "status": AssignmentStatus.OPEN,
        "done_at": None,
        "done_on": None,
        "done_by_id": None,
        "note": None,
        "version": Assignment.version + 1,
    }


# --- Stopping a periodic obligation -----------------------------------------------------------


async def stop_obligation(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    reason: str | None,
    now: datetime,
    tz: tzinfo,
    origin: Origin,
) -> AssignmentInfo:
    """The office stops a periodic obligation: no period opens any more, and the periods
    not yet due and not done are stopped (not counted). Periods already past their due date
    stay as they are (a missed one stays missed). Only the first stop counts."""
    if not actor.is_office:
        raise CompletionError("not_allowed")
    reason = (reason or "").strip() or None
    result = await session.execute(
        update(Assignment)
        .where(
            Assignment.id == assignment_id,
            Assignment.period_rule.is_not(None),
            Assignment.stopped_at.is_(None),
        )
        .values(stopped_at=now, stop_reason=reason, version=Assignment.version + 1)
        .execution_options(synchronize_session=False)
    )
    info = await load_assignment(session, assignment_id)
    if info is None:
        raise CompletionError("gone")
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise CompletionError("stopped" if info.period_rule else "not_obligation")
    await session.execute(
        update(Period)
        .where(
            Period.assignment_id == assignment_id,
            Period.status.not_in(_CLOSED),
            Period.due_on >= now.astimezone(tz).date(),
        )
        .values(status=PeriodStatus.STOPPED)
        .execution_options(synchronize_session=False)
    )
    await _cancel_pending_requests(session, assignment_id)
    _record(session, "obligation.stopped", info, now, origin, note=reason)
    await session.flush()
    return info


# --- Progress ---------------------------------------------------------------------------------


async def record_progress(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    note: str | None,
    percent: int | None,
    now: datetime,
    origin: Origin,
) -> AssignmentInfo:
    """A progress note on the unit's task ("đang làm, 60%"): an event, the status is kept."""
    info = await _own(session, assignment_id, actor)
    _record(
        session,
        "assignment.progress",
        info,
        now,
        origin,
        note=(note or "").strip() or None,
        percent=percent,
        **_period_data(info),
    )
    await session.flush()
    return info


async def record_attachment(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    stored: StoredFile,
    file_name: str | None,
    telegram_file_id: str | None,
    now: datetime,
    origin: Origin,
) -> AssignmentInfo:
    """Link a stored report file to the unit's assignment."""
    info = await _own(session, assignment_id, actor)
    session.add(
        Attachment(
            assignment_id=assignment_id,
            person_id=actor.person_id,
            file_name=file_name,
            file_path=stored.relative_path,
            file_sha256=stored.sha256,
            telegram_file_id=telegram_file_id,
            message_id=origin.message_id,
            created_at=now,
        )
    )
    _record(
        session,
        "assignment.attachment",
        info,
        now,
        origin,
        file_name=file_name,
        file_sha256=stored.sha256,
    )
    await session.flush()
    return info


# --- Extensions -------------------------------------------------------------------------------


async def request_extension(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    *,
    proposed_on: date | None,
    reason: str | None,
    now: datetime,
    tz: tzinfo,
    origin: Origin,
    period_due: date | None = None,
) -> ExtensionInfo:
    """The unit asks to move its deadline to ``proposed_on``; the office decides.

    A newer request replaces a pending older one (that one becomes ``cancelled``). For a
    periodic obligation the request is about one period: the one due on ``period_due``,
    else the oldest still to report.
    """
    if proposed_on is None:
        raise CompletionError("no_date")
    if proposed_on < now.astimezone(tz).date():
        raise CompletionError("in_the_past")
    period_id = await _extend_period(session, assignment_id, actor, proposed_on, period_due)
    if period_id is not None:
        return await _file_request(
            session, assignment_id, actor, proposed_on, reason, now, origin, period_id
        )
    result = await session.execute(
        update(Assignment)
        .where(
            Assignment.id == assignment_id,
            Assignment.unit_id == actor.unit_id,
            Assignment.status != AssignmentStatus.DONE,
            Assignment.due_on.is_(None) | (Assignment.due_on < proposed_on),
            Assignment.period_rule.is_(None),
        )
        .values(status=AssignmentStatus.EXTENSION_REQUESTED, version=Assignment.version + 1)
        .execution_options(synchronize_session=False)
    )
    info = await _own(session, assignment_id, actor, period_due=period_due)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        if info.status == AssignmentStatus.DONE:
            raise CompletionError("already_done")
        if info.due_on is not None and proposed_on <= info.due_on:
            raise CompletionError("not_later")
        raise CompletionError("gone")
    return await _file_request(
        session, assignment_id, actor, proposed_on, reason, now, origin, None
    )


async def _extend_period(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    proposed_on: date,
    due: date | None,
) -> int | None:
    """The chosen period of an obligation → extension_requested; its id, or None."""
    choice = select(Period.id).where(
        Period.assignment_id == assignment_id, Period.status.not_in(_CLOSED)
    )
    if due is not None:
        choice = choice.where((Period.due_on == due) | (Period.original_due_on == due))
    choice = choice.order_by(Period.due_on, Period.id).limit(1)
    result = await session.execute(
        update(Period)
        .where(
            Period.id == choice.scalar_subquery(),
            Period.status.not_in(_CLOSED),
            Period.due_on < proposed_on,
            _period_of_unit(assignment_id, actor),
        )
        .values(status=PeriodStatus.EXTENSION_REQUESTED)
        .returning(Period.id)
        .execution_options(synchronize_session=False)
    )
    return result.scalar()


async def _file_request(
    session: AsyncSession,
    assignment_id: int,
    actor: Actor,
    proposed_on: date,
    reason: str | None,
    now: datetime,
    origin: Origin,
    period_id: int | None,
) -> ExtensionInfo:
    info = await _own(session, assignment_id, actor, period_id=period_id)
    await _cancel_pending_requests(session, assignment_id, period_id)
    reason = (reason or "").strip() or None
    request = ExtensionRequest(
        assignment_id=assignment_id,
        requested_by_id=actor.person_id,
        proposed_on=proposed_on,
        period_id=period_id,
        reason=reason,
        status=ExtensionStatus.PENDING,
        created_at=now,
    )
    session.add(request)
    await session.flush()
    _record(
        session,
        "extension.requested",
        info,
        now,
        origin,
        note=reason,
        request_id=request.id,
        proposed_on=proposed_on.isoformat(),
        due_on=info.due_on.isoformat() if info.due_on else None,
        **_period_data(info),
    )
    await session.flush()
    return ExtensionInfo(
        request_id=request.id,
        status=request.status,
        proposed_on=proposed_on,
        reason=reason,
        requested_by_name=actor.name,
        decided_on=None,
        assignment=await _own(session, assignment_id, actor, period_id=period_id),
    )


async def load_extension(session: AsyncSession, request_id: int) -> ExtensionInfo | None:
    row = (
        await session.execute(
            select(ExtensionRequest, Person.name)
            .outerjoin(Person, Person.id == ExtensionRequest.requested_by_id)
            .where(ExtensionRequest.id == request_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        return None
    request, name = row
    info = await load_assignment(session, request.assignment_id, period_id=request.period_id)
    if info is None:
        return None
    return ExtensionInfo(
        request_id=request.id,
        status=request.status,
        proposed_on=request.proposed_on,
        reason=request.reason,
        requested_by_name=name,
        decided_on=request.decided_on,
        assignment=info,
    )


async def decide_extension(
    session: AsyncSession,
    request_id: int,
    actor: Actor,
    *,
    approve: bool,
    now: datetime,
    tz: tzinfo,
    origin: Origin,
    new_due: date | None = None,
) -> ExtensionInfo:
    """The office approves (to ``new_due`` or the proposed date) or rejects a pending request.

    Approval moves ``due_on`` and keeps ``original_due_on`` (set to the old ``due_on`` if it
    was never set); either way the assignment is open again. Only the first decision counts.
    """
    if not actor.is_office:
        raise CompletionError("not_allowed")
    if approve and new_due is not None and new_due < now.astimezone(tz).date():
        raise CompletionError("in_the_past")
    result = await session.execute(
        update(ExtensionRequest)
        .where(ExtensionRequest.id == request_id, ExtensionRequest.status == "pending")
        .values(
            status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED,
            decided_by_id=actor.person_id,
            decided_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    request = await load_extension(session, request_id)
    if request is None:
        raise CompletionError("gone")
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise CompletionError("decided")
    info = request.assignment
    decided_on = (new_due or request.proposed_on) if approve else None
    if approve and decided_on is None:
        raise CompletionError("no_date")
    if info.period_id is not None:
        await _decide_period(session, info.period_id, decided_on if approve else None)
    values: dict[str, object] = {"version": Assignment.version + 1}
    if approve and info.period_id is None:
        values["due_on"] = decided_on
        if info.original_due_on is None:
            values["original_due_on"] = info.due_on
    await session.execute(
        update(Assignment)
        .where(Assignment.id == info.assignment_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Assignment)
        .where(
            Assignment.id == info.assignment_id,
            Assignment.status == AssignmentStatus.EXTENSION_REQUESTED,
        )
        .values(status=AssignmentStatus.OPEN)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(ExtensionRequest)
        .where(ExtensionRequest.id == request_id)
        .values(decided_on=decided_on)
        .execution_options(synchronize_session=False)
    )
    record_event(
        session,
        "extension.approved" if approve else "extension.rejected",
        now,
        origin,
        unit_id=info.unit_id,
        dispatch_id=info.dispatch_id,
        task_id=info.task_id,
        assignment_id=info.assignment_id,
        request_id=request_id,
        proposed_on=request.proposed_on.isoformat() if request.proposed_on else None,
        decided_on=decided_on.isoformat() if decided_on else None,
        previous_due_on=info.due_on.isoformat() if info.due_on else None,
    )
    await session.flush()
    decided = await load_extension(session, request_id)
    assert decided is not None
    return decided


async def _decide_period(session: AsyncSession, period_id: int, new_due: date | None) -> None:
    """An obligation's period: the approved date becomes its deadline in force (its
    ``original_due_on`` stays); approved or not, the period is open again."""
    if new_due is not None:
        await session.execute(
            update(Period)
            .where(Period.id == period_id)
            .values(due_on=new_due)
            .execution_options(synchronize_session=False)
        )
    await session.execute(
        update(Period)
        .where(Period.id == period_id, Period.status == PeriodStatus.EXTENSION_REQUESTED)
        .values(status=PeriodStatus.OPEN)
        .execution_options(synchronize_session=False)
    )


async def _cancel_pending_requests(
    session: AsyncSession, assignment_id: int, period_id: int | None = None
) -> None:
    """Pending requests become moot (of one period, for an obligation)."""
    query = update(ExtensionRequest).where(
        ExtensionRequest.assignment_id == assignment_id,
        ExtensionRequest.status == ExtensionStatus.PENDING,
    )
    if period_id is not None:
        query = query.where(ExtensionRequest.period_id == period_id)
    await session.execute(
        query.values(status=ExtensionStatus.CANCELLED).execution_options(synchronize_session=False)
    )


# --- Who hears about it -----------------------------------------------------------------------


async def notifies_completions(session: AsyncSession, person_id: int) -> bool:
    return bool(
        await session.scalar(select(Person.notify_completions).where(Person.id == person_id))
    )


async def set_notify_completions(
    session: AsyncSession, actor: Actor, on: bool, *, now: datetime, origin: Origin
) -> None:
    """A supervisor chooses each completion at once (True) or the digest only (False)."""
    if not actor.is_office:
        raise CompletionError("not_allowed")
    await session.execute(
        update(Person)
        .where(Person.id == actor.person_id)
        .values(notify_completions=on)
        .execution_options(synchronize_session=False)
    )
    record_event(session, "person.notify_completions", now, origin, on=on)
    await session.flush()
