"""Completion, progress, extension, undo and return rules, on the real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import (
    Assignment,
    Attachment,
    Contact,
    Dispatch,
    Event,
    ExtensionRequest,
    Person,
    Role,
    Task,
    Unit,
)
from services.completions import (
    AlreadyDone,
    Completed,
    CompletionError,
    decide_extension,
    is_on_time,
    open_choices,
    recent_completion,
    record_attachment,
    record_completion,
    record_progress,
    request_extension,
    return_completion,
    undo_completion,
)
from services.events import Origin
from services.files import StoredFile
from services.people import Actor
from services.reply_reading import read_reply

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# 23:30 local on 09/10/2026 is 16:30 UTC: the local day differs from the UTC day only after
# 17:00 UTC, so use 17:30 UTC (00:30 local, 10/10) to check done_on is the local day.
NOW = datetime(2026, 10, 9, 17, 30, tzinfo=UTC)
LOCAL_DAY = date(2026, 10, 10)
DUE = date(2026, 10, 15)


async def _person(
    session: AsyncSession, telegram_id: int, role: Role, unit_id: int | None, *, notify=False
) -> Actor:
    person = Person(
        telegram_user_id=telegram_id,
        name=f"Người {telegram_id}",
        role=role,
        unit_id=unit_id,
        notify_completions=notify,
        created_at=NOW,
    )
    session.add(person)
    await session.flush()
    session.add(
        Contact(
            chat_id=telegram_id,
            kind="private",
            person_id=person.id,
            unit_id=unit_id,
            created_at=NOW,
        )
    )
    await session.flush()
    return Actor(person.id, telegram_id, person.name, role, unit_id, None)


async def _assignment(
    session: AsyncSession, unit_id: int, ref: str = "1", due: date | None = DUE
) -> int:
    dispatch = Dispatch(status="active", kind="cong_van", number="12/UBND", created_at=NOW)
    session.add(dispatch)
    await session.flush()
    task = Task(dispatch_id=dispatch.id, position=1, ref=ref, text=f"Báo cáo mục {ref}")
    session.add(task)
    await session.flush()
    assignment = Assignment(
        task_id=task.id, unit_id=unit_id, due_on=due, original_due_on=due, assigned_at=NOW
    )
    session.add(assignment)
    await session.flush()
    return assignment.id


class World:
    def __init__(self) -> None:
        self.unit_id = 0
        self.other_unit_id = 0
        self.head: Actor
        self.member: Actor
        self.stranger: Actor
        self.supervisor: Actor
        self.assignment_id = 0


@pytest.fixture
async def world(session_factory: async_sessionmaker[AsyncSession]) -> World:
    w = World()
    async with session_factory.begin() as session:
        unit, other = Unit(name="Sở Nội vụ", aliases=[]), Unit(name="Sở Tài chính", aliases=[])
        session.add_all([unit, other])
        await session.flush()
        w.unit_id, w.other_unit_id = unit.id, other.id
        w.head = await _person(session, 201, Role.HEAD, unit.id)
        w.member = await _person(session, 202, Role.MEMBER, unit.id)
        w.stranger = await _person(session, 301, Role.HEAD, other.id)
        w.supervisor = await _person(session, 100, Role.SUPERVISOR, None, notify=True)
        w.assignment_id = await _assignment(session, unit.id)
    return w


def origin(actor: Actor, message_id: int = 55) -> Origin:
    return actor.origin(actor.telegram_user_id, message_id)


async def complete(session: AsyncSession, w: World, actor: Actor, note: str | None = None):  # type: ignore[no-untyped-def]
    return await record_completion(
        session, w.assignment_id, actor, now=NOW, tz=TZ, note=note, origin=origin(actor)
    )


async def test_completion_records_time_local_day_person_note_and_event(
    session: AsyncSession, world: World
) -> None:
    outcome = await complete(session, world, world.head, " đã gửi BC số 12 ")
    assert isinstance(outcome, Completed)
    row = await session.get(Assignment, world.assignment_id, populate_existing=True)
    assert row is not None
    assert (row.status, row.done_at, row.done_on) == ("done", NOW, LOCAL_DAY)
    assert (row.done_by_id, row.note) == (world.head.person_id, "đã gửi BC số 12")
    event = await session.scalar(select(Event).where(Event.kind == "assignment.done"))
    assert event is not None
    assert (event.message_id, event.actor_id, event.note) == (55, world.head.person_id, row.note)
    assert event.data["on_time"] is True


async def test_second_completion_changes_nothing_and_says_who(
    session: AsyncSession, world: World
) -> None:
    await complete(session, world, world.head, "lần đầu")
    again = await complete(session, world, world.member, "lần hai")
    assert isinstance(again, AlreadyDone)
    assert again.info.done_by_name == "Người 201"
    assert again.info.note == "lần đầu"
    assert (
        await session.scalar(
            select(func.count()).select_from(Event).where(Event.kind == "assignment.done")
        )
        == 1
    )


async def test_two_members_at_the_same_moment_give_one_completion(
    session_factory: async_sessionmaker[AsyncSession], world: World
) -> None:
    async def one(actor: Actor):  # type: ignore[no-untyped-def]
        async with session_factory.begin() as session:
            return await complete(session, world, actor)

    outcomes = await asyncio.gather(one(world.head), one(world.member))
    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyDone", "Completed"]
    async with session_factory() as session:
        count = await session.scalar(
            select(func.count()).select_from(Event).where(Event.kind == "assignment.done")
        )
        version = await session.scalar(
            select(Assignment.version).where(Assignment.id == world.assignment_id)
        )
    assert count == 1
    assert version == 2


async def test_another_unit_cannot_complete_extend_or_note(
    session: AsyncSession, world: World
) -> None:
    with pytest.raises(CompletionError, match="not_yours"):
        await complete(session, world, world.stranger)
    with pytest.raises(CompletionError, match="not_yours"):
        await request_extension(
            session,
            world.assignment_id,
            world.stranger,
            proposed_on=DUE + timedelta(days=5),
            reason=None,
            now=NOW,
            tz=TZ,
            origin=origin(world.stranger),
        )
    with pytest.raises(CompletionError, match="not_yours"):
        await record_progress(
            session,
            world.assignment_id,
            world.stranger,
            note="x",
            percent=None,
            now=NOW,
            origin=origin(world.stranger),
        )
    row = await session.get(Assignment, world.assignment_id, populate_existing=True)
    assert row is not None
    assert row.status == "open"
    assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_office_cannot_complete_for_a_unit(session: AsyncSession, world: World) -> None:
    with pytest.raises(CompletionError, match="not_yours"):
        await complete(session, world, world.supervisor)


async def test_progress_is_an_event_and_keeps_the_status(
    session: AsyncSession, world: World
) -> None:
    await record_progress(
        session,
        world.assignment_id,
        world.member,
        note="đang làm, 60%",
        percent=60,
        now=NOW,
        origin=origin(world.member, 77),
    )
    event = await session.scalar(select(Event).where(Event.kind == "assignment.progress"))
    assert event is not None
    assert (event.note, event.data["percent"], event.message_id) == ("đang làm, 60%", 60, 77)
    row = await session.get(Assignment, world.assignment_id, populate_existing=True)
    assert row is not None
    assert row.status == "open"


async def test_undo_within_ten_minutes_reopens(session: AsyncSession, world: World) -> None:
    await complete(session, world, world.head, "xong")
    await undo_completion(
        session,
        world.assignment_id,
        world.member,
        now=NOW + timedelta(minutes=9),
        origin=origin(world.member),
    )
    row = await session.get(Assignment, world.assignment_id, populate_existing=True)
    assert row is not None
    assert (row.status, row.done_at, row.done_on, row.done_by_id, row.note) == (
        "open",
        None,
        None,
        None,
        None,
    )
    assert await session.scalar(select(Event.kind).where(Event.kind == "assignment.undone"))


async def test_undo_after_ten_minutes_is_refused(session: AsyncSession, world: World) -> None:
    await complete(session, world, world.head)
    with pytest.raises(CompletionError, match="undo_expired"):
        await undo_completion(
            session,
            world.assignment_id,
            world.head,
            now=NOW + timedelta(minutes=11),
            origin=origin(world.head),
        )


async def test_office_returns_a_completion_with_a_reason(
    session: AsyncSession, world: World
) -> None:
    await complete(session, world, world.head)
    with pytest.raises(CompletionError, match="not_allowed"):
        await return_completion(
            session, world.assignment_id, world.head, reason="x", now=NOW, origin=Origin()
        )
    info = await return_completion(
        session,
        world.assignment_id,
        world.supervisor,
        reason="thiếu số liệu",
        now=NOW,
        origin=origin(world.supervisor),
    )
    assert info.status == "open"
    event = await session.scalar(select(Event).where(Event.kind == "assignment.returned"))
    assert event is not None
    assert event.note == "thiếu số liệu"
    with pytest.raises(CompletionError, match="not_done"):
        await return_completion(
            session, world.assignment_id, world.supervisor, reason="", now=NOW, origin=Origin()
        )


async def _request(session: AsyncSession, w: World, on: date | None = date(2026, 10, 20)):  # type: ignore[no-untyped-def]
    return await request_extension(
        session,
        w.assignment_id,
        w.member,
        proposed_on=on,
        reason="chờ số liệu",
        now=NOW,
        tz=TZ,
        origin=origin(w.member),
    )


async def test_extension_request_sets_status_and_stores_date_and_reason(
    session: AsyncSession, world: World
) -> None:
    request = await _request(session, world)
    assert request.assignment.status == "extension_requested"
    row = await session.get(ExtensionRequest, request.request_id)
    assert row is not None
    assert (row.proposed_on, row.reason, row.status) == (
        date(2026, 10, 20),
        "chờ số liệu",
        "pending",
    )
    assert await session.scalar(select(Event.kind).where(Event.kind == "extension.requested"))


async def test_extension_needs_a_date_that_has_not_passed(
    session: AsyncSession, world: World
) -> None:
    with pytest.raises(CompletionError, match="no_date"):
        await _request(session, world, None)
    with pytest.raises(CompletionError, match="in_the_past"):
        await _request(session, world, date(2026, 10, 1))


async def test_approved_extension_moves_due_keeps_original_and_reopens(
    session: AsyncSession, world: World
) -> None:
    request = await _request(session, world)
    decided = await decide_extension(
        session,
        request.request_id,
        world.supervisor,
        approve=True,
        now=NOW,
        tz=TZ,
        origin=origin(world.supervisor),
    )
    assert decided.status == "approved"
    assert decided.decided_on == date(2026, 10, 20)
    row = await session.get(Assignment, world.assignment_id, populate_existing=True)
    assert row is not None
    assert (row.status, row.due_on, row.original_due_on) == ("open", date(2026, 10, 20), DUE)
    with pytest.raises(CompletionError, match="decided"):
        await decide_extension(
            session,
            request.request_id,
            world.supervisor,
            approve=False,
            now=NOW,
            tz=TZ,
            origin=Origin(),
        )


async def test_office_may_approve_another_date(session: AsyncSession, world: World) -> None:
    request = await _request(session, world)
    await decide_extension(
        session,
        request.request_id,
        world.supervisor,
        approve=True,
        now=NOW,
        tz=TZ,
        origin=Origin(),
        new_due=date(2026, 10, 25),
    )
    row = await session.get(Assignment, world.assignment_id, populate_existing=True)
    assert row is not None
    assert row.due_on == date(2026, 10, 25)


async def test_rejected_extension_keeps_due_and_reopens(
    session: AsyncSession, world: World
) -> None:
    request = await _request(session, world)
    with pytest.raises(CompletionError, match="not_allowed"):
        await decide_extension(
            session, request.request_id, world.head, approve=True, now=NOW, tz=TZ, origin=Origin()
        )
    await decide_extension(
        session,
        request.request_id,
        world.supervisor,
        approve=False,
        now=NOW,
        tz=TZ,
        origin=Origin(),
    )
    row = await session.get(Assignment, world.assignment_id, populate_existing=True)
    assert row is not None
    assert (row.status, row.due_on) == ("open", DUE)
    assert await session.scalar(select(Event.kind).where(Event.kind == "extension.rejected"))


async def test_completion_cancels_a_pending_extension(session: AsyncSession, world: World) -> None:
    request = await _request(session, world)
    await complete(session, world, world.head)
    row = await session.get(ExtensionRequest, request.request_id, populate_existing=True)
    assert row is not None
    assert row.status == "cancelled"
    with pytest.raises(CompletionError, match="already_done"):
        await _request(session, world)


def test_done_by_the_extended_deadline_is_on_time() -> None:
    assert is_on_time(date(2026, 10, 20), date(2026, 10, 20))
    assert not is_on_time(date(2026, 10, 21), date(2026, 10, 20))
    assert is_on_time(date(2026, 10, 21), None)


async def test_open_choices_are_capped_soonest_first(session: AsyncSession, world: World) -> None:
    for i in range(12):
        await _assignment(session, world.unit_id, f"2.{i}", date(2026, 11, 1) - timedelta(days=i))
    choices = await open_choices(session, world.unit_id)
    assert len(choices) == 10
    dues = [c.due_on for c in choices]
    assert dues == sorted(dues)
    assert [c.task_ref for c in choices[:2]] == ["1", "2.11"]


async def test_attachment_links_to_recent_completion(session: AsyncSession, world: World) -> None:
    assert await recent_completion(session, world.head, NOW) is None
    await complete(session, world, world.head)
    recent = await recent_completion(session, world.head, NOW + timedelta(minutes=5))
    assert recent is not None
    assert recent.assignment_id == world.assignment_id
    assert await recent_completion(session, world.head, NOW + timedelta(minutes=11)) is None
    await record_attachment(
        session,
        world.assignment_id,
        world.head,
        stored=StoredFile("reports/ab/abc.pdf", "abc"),
        file_name="bc.pdf",
        telegram_file_id="F1",
        now=NOW,
        origin=origin(world.head, 88),
    )
    row = await session.scalar(select(Attachment))
    assert row is not None
    assert (row.file_path, row.message_id, row.person_id) == (
        "reports/ab/abc.pdf",
        88,
        world.head.person_id,
    )


async def test_extension_must_be_after_the_current_deadline(
    session: AsyncSession, world: World
) -> None:
    with pytest.raises(CompletionError, match="not_later"):
        await _request(session, world, DUE)


async def test_more_days_on_an_overdue_task_are_counted_from_today_and_accepted(
    session: AsyncSession, world: World
) -> None:
    overdue = await _assignment(session, world.unit_id, ref="2", due=date(2026, 10, 1))
    # Today is 10/10: "thêm 3 ngày" is 13/10, not 04/10 (which would be "already past").
    reading = read_reply("xin gia hạn thêm 3 ngày", LOCAL_DAY, current_due=date(2026, 10, 1))
    request = await request_extension(
        session,
        overdue,
        world.member,
        proposed_on=reading.proposed_date,
        reason=reading.reason,
        now=NOW,
        tz=TZ,
        origin=origin(world.member),
    )
    assert request.proposed_on == date(2026, 10, 13)
