"""Drafts: resolution of written units, duplicates, concurrent edits, confirmation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ingest.model import Due, ParsedDispatch, ParsedTask
from models import (
    Assignment,
    Contact,
    Dispatch,
    DispatchStatus,
    Unit,
    UnitGroup,
    UnitRole,
    unit_group_members,
)
from services.drafts import (
    DraftError,
    add_task,
    add_task_units,
    confirm_draft,
    create_draft,
    drop_task,
    effective_deadline,
    expire_drafts,
    load_dispatch,
    remove_task_unit,
    set_task_deadline,
)
from services.events import Origin
from services.files import StoredFile
from services.units import load_unit_index
from services.workdays import WorkingCalendar

NOW = datetime(2025, 10, 6, 2, 0, tzinfo=UTC)
TTL = timedelta(hours=48)


def task(ref: str, lead: tuple[str, ...], due: tuple[Due, ...] = (), support=()) -> ParsedTask:  # type: ignore[no-untyped-def]
    return ParsedTask(ref, f"Nội dung {ref}", f"Nội dung {ref}", lead, support, due, None)


DISPATCH = ParsedDispatch(
    kind="cong_van",
    number="14-CV/TU",
    issuer="Thành ủy Cần Thơ",
    issued_on=date(2025, 10, 6),
    subject="V/v thử nghiệm",
    signer=None,
    recipients=("Các sở, ngành",),
    tasks=(
        task("1", ("@recipients",)),
        task(
            "2",
            ("Sở Nội vụ",),
            (Due("deadline", date(2025, 10, 14), "trước ngày 15/10/2025"),),
            support=("Sở Tài chính",),
        ),
        task("3", ("Ban Tổ chức Tỉnh ủy",), (Due("recurring", None, "thường xuyên"),)),
    ),
)


async def registry(session: AsyncSession) -> dict[str, int]:
    group = UnitGroup(name="Các sở ngành", aliases=[])
    units = [
        Unit(name="Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"]),
        Unit(name="Sở Tài chính thành phố Cần Thơ", aliases=["Sở Tài chính"]),
        Unit(name="Ban Tổ chức Thành ủy Cần Thơ", aliases=["Ban Tổ chức Thành ủy"]),
    ]
    session.add(group)
    session.add_all(units)
    await session.flush()
    await session.execute(
        unit_group_members.insert(), [{"unit_id": u.id, "group_id": group.id} for u in units[:2]]
    )
    return {u.name.split(" thành phố")[0].split(" Cần Thơ")[0]: u.id for u in units}


async def draft(session: AsyncSession, sha: str = "a" * 64) -> int:
    outcome = await create_draft(
        session,
        DISPATCH,
        index=await load_unit_index(session),
        stored=StoredFile("dispatches/x.txt", sha),
        file_name="x.txt",
        now=NOW,
        ttl=TTL,
        origin=Origin(),
    )
    assert outcome.duplicate_of is None
    return outcome.dispatch_id


async def test_written_units_resolve_to_registered_ones(session: AsyncSession) -> None:
    ids = await registry(session)
    view = await load_dispatch(session, await draft(session))
    assert view is not None
    first, second, third = view.tasks
    assert set(first.lead_ids) == {ids["Sở Nội vụ"], ids["Sở Tài chính"]}  # the group
    assert second.lead_ids == (ids["Sở Nội vụ"],)
    assert second.supports == ("Sở Tài chính thành phố Cần Thơ",)
    assert second.deadline == date(2025, 10, 14)
    # A different province's committee is never guessed.
    assert third.lead_ids == ()
    assert third.unmatched == ("Ban Tổ chức Tỉnh ủy",)


async def test_same_file_after_confirmation_is_a_duplicate(session: AsyncSession) -> None:
    await registry(session)
    dispatch_id = await draft(session)
    await confirm_draft(session, dispatch_id, 1, now=NOW, origin=Origin(), tz=UTC)
    again = await create_draft(
        session,
        DISPATCH,
        index=await load_unit_index(session),
        stored=StoredFile("dispatches/y.txt", "b" * 64),
        file_name="y.txt",
        now=NOW,
        ttl=TTL,
        origin=Origin(),
    )
    assert again.duplicate_of == dispatch_id
    assert await session.scalar(select(func.count()).select_from(Dispatch)) == 1


async def test_a_stale_edit_is_refused(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    task_id = view.tasks[2].id
    version = (
        await add_task_units(
            session,
            dispatch_id,
            1,
            task_id,
            UnitRole.LEAD,
            [ids["Ban Tổ chức Thành ủy"]],
            now=NOW,
            origin=Origin(),
        )
    ).version
    assert version == 2
    with pytest.raises(DraftError) as error:
        await drop_task(session, dispatch_id, 1, task_id, now=NOW, origin=Origin())
    assert error.value.code == "stale"


async def test_edits_change_the_draft(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    v = await set_task_deadline(
        session,
        dispatch_id,
        1,
        view.tasks[0].id,
        date(2025, 11, 30),
        "cuối tháng 11",
        now=NOW,
        origin=Origin(),
    )
    v = await drop_task(session, dispatch_id, v, view.tasks[2].id, now=NOW, origin=Origin())
    v, new_id = await add_task(
        session,
        dispatch_id,
        v,
        "Báo cáo kết quả thực hiện năm 2025",
        index=await load_unit_index(session),
        calendar=WorkingCalendar(),
        now=NOW,
        origin=Origin(),
    )
    # No subject: like an item of the dispatch, it goes to the Kính gửi list (the group).
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert set(view.tasks[2].lead_ids) == {ids["Sở Nội vụ"], ids["Sở Tài chính"]}
    v = await remove_task_unit(
        session,
        dispatch_id,
        v,
        new_id,
        UnitRole.LEAD,
        ids["Sở Tài chính"],
        now=NOW,
        origin=Origin(),
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert [t.ref for t in view.tasks] == ["1", "2", "3"]
    assert view.tasks[0].deadline == date(2025, 11, 30)
    assert view.tasks[2].lead_ids == (ids["Sở Nội vụ"],)
    assert view.version == v


async def test_confirm_creates_one_assignment_per_lead_unit(session: AsyncSession) -> None:
    ids = await registry(session)
    session.add(Contact(chat_id=501, kind="private", unit_id=ids["Sở Nội vụ"], created_at=NOW))
    dispatch_id = await draft(session)
    outcome = await confirm_draft(session, dispatch_id, 1, now=NOW, origin=Origin(), tz=UTC)
    assert outcome.assignments == 3  # task 1 → two units of the group, task 2 → one
    assert outcome.tasks_without_lead == ("3",)
    by_unit = {n.unit_id: n for n in outcome.notices}
    assert by_unit[ids["Sở Nội vụ"]].chat_ids == (501,)
    assert len(by_unit[ids["Sở Nội vụ"]].assignment_ids) == 2
    assert by_unit[ids["Sở Tài chính"]].support_task_ids  # informed of task 2
    assert outcome.units_without_contact == ("Sở Tài chính thành phố Cần Thơ",)
    due = await session.scalar(
        select(func.max(Assignment.due_on)).where(Assignment.unit_id == ids["Sở Nội vụ"])
    )
    assert due == date(2025, 10, 14)
    with pytest.raises(DraftError) as error:
        await confirm_draft(session, dispatch_id, 2, now=NOW, origin=Origin(), tz=UTC)
    assert error.value.code == "confirmed"


async def test_unconfirmed_drafts_expire(session: AsyncSession) -> None:
    await registry(session)
    dispatch_id = await draft(session)
    assert await expire_drafts(session, NOW + TTL) == 1
    dispatch = await session.get(Dispatch, dispatch_id, populate_existing=True)
    assert dispatch is not None
    assert dispatch.status == DispatchStatus.EXPIRED
    with pytest.raises(DraftError) as error:
        await confirm_draft(session, dispatch_id, 1, now=NOW + TTL, origin=Origin(), tz=UTC)
    assert error.value.code == "expired"


def test_the_last_dated_deadline_governs() -> None:
    dues = [("deadline", date(2025, 10, 7)), ("deadline", date(2025, 10, 14)), ("start", None)]
    assert effective_deadline(dues) == date(2025, 10, 14)
    assert effective_deadline([("recurring", None)]) is None
