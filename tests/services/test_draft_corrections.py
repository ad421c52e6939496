"""Correcting a draft: lead and support units one by one, tasks typed in by the office."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ingest.model import Due, ParsedDispatch, ParsedTask
from models import Assignment, UnitGroup, UnitRole, unit_group_members
from models import Unit as UnitRow
from services.drafts import (
    DraftError,
    add_task,
    add_task_units,
    confirm_draft,
    create_draft,
    drop_task,
    drop_unmatched_name,
    load_dispatch,
    next_ref,
    remove_task_unit,
    set_task_deadline,
)
from services.events import Origin
from services.files import StoredFile
from services.units import load_unit_index
from services.workdays import WorkingCalendar

# Saturday 05/12/2026; the dispatch reached the office on Thursday 03/12.
NOW = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
RECEIVED = date(2026, 12, 3)
TTL = timedelta(hours=48)
CALENDAR = WorkingCalendar()
LEAD, SUPPORT = UnitRole.LEAD, UnitRole.SUPPORT


def item(ref: str, lead: tuple[str, ...], support: tuple[str, ...] = ()) -> ParsedTask:
    due = (Due("deadline", date(2026, 12, 20), "trước ngày 21/12/2026"),)
    return ParsedTask(ref, f"Nội dung {ref}", f"Nội dung {ref}", lead, support, due, None)


DISPATCH = ParsedDispatch(
    kind="cong_van",
    number="14-CV/TU",
    issuer="Thành ủy Cần Thơ",
    issued_on=date(2026, 12, 1),
    subject="V/v rà soát",
    signer=None,
    recipients=("Các sở, ngành",),
    tasks=(
        item("12", ("Sở Nội vụ",), ("Sở Tài chính", "Ban Tổ chức Tỉnh ủy")),
        item("13", ("Ban Tổ chức Tỉnh ủy",)),
        item("14", ("Sở Tài chính",)),
    ),
)


async def registry(session: AsyncSession) -> dict[str, int]:
    group = UnitGroup(name="Các sở ngành", aliases=[])
    units = [
        UnitRow(name="Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"]),
        UnitRow(name="Sở Tài chính thành phố Cần Thơ", aliases=["Sở Tài chính"]),
        UnitRow(name="Đảng ủy phường Cái Khế", aliases=[]),
        UnitRow(name="Ban Tổ chức Thành ủy Cần Thơ", aliases=["Ban Tổ chức Thành ủy"]),
    ]
    session.add(group)
    session.add_all(units)
    await session.flush()
    await session.execute(
        unit_group_members.insert(), [{"unit_id": u.id, "group_id": group.id} for u in units[:2]]
    )
    return {
        "nv": units[0].id,
        "tc": units[1].id,
        "ck": units[2].id,
        "btc": units[3].id,
        "group": group.id,
    }


async def draft(session: AsyncSession) -> int:
    outcome = await create_draft(
        session,
        DISPATCH,
        index=await load_unit_index(session),
        stored=StoredFile("dispatches/x.txt", "c" * 64),
        file_name="x.txt",
        now=NOW,
        ttl=TTL,
        origin=Origin(),
        received_on=RECEIVED,
        calendar=CALENDAR,
    )
    return outcome.dispatch_id


async def typed(session: AsyncSession, dispatch_id: int, version: int, text: str) -> int:
    _, task_id = await add_task(
        session,
        dispatch_id,
        version,
        text,
        index=await load_unit_index(session),
        calendar=CALENDAR,
        now=NOW,
        origin=Origin(),
    )
    return task_id


async def test_a_typed_task_gets_its_lead_support_and_deadline(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    task_id = await typed(
        session,
        dispatch_id,
        1,
        "Đảng ủy phường Cái Khế chủ trì, phối hợp Sở Nội vụ rà soát danh sách đảng viên, "
        "báo cáo kết quả trước ngày 18/12/2026.",
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    task = next(t for t in view.tasks if t.id == task_id)
    assert task.lead_ids == (ids["ck"],)
    assert task.support_ids == (ids["nv"],)
    assert task.deadline == date(2026, 12, 17)
    assert [d.phrase for d in task.dues] == ["trước ngày 18/12/2026"]
    assert task.added


async def test_a_typed_relative_deadline_counts_from_the_received_day(
    session: AsyncSession,
) -> None:
    await registry(session)
    dispatch_id = await draft(session)
    task_id = await typed(
        session,
        dispatch_id,
        1,
        "Sở Tài chính chủ trì tổng hợp kinh phí, hoàn thành trong 05 ngày làm việc kể từ "
        "ngày nhận văn bản.",
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    task = next(t for t in view.tasks if t.id == task_id)
    # From Thursday 03/12 (not from today, Saturday 05/12): 04, 07, 08, 09, 10.
    assert task.deadline == date(2026, 12, 10)
    assert task.dues[0].since == RECEIVED


async def test_a_typed_lead_the_registry_does_not_know_is_asked_about(
    session: AsyncSession,
) -> None:
    await registry(session)
    dispatch_id = await draft(session)
    task_id = await typed(
        session, dispatch_id, 1, "Ban Tổ chức Tỉnh ủy chủ trì rà soát quy hoạch cán bộ năm 2026."
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    task = next(t for t in view.tasks if t.id == task_id)
    assert task.lead_ids == ()
    assert task.unmatched == ("Ban Tổ chức Tỉnh ủy",)


async def test_added_tasks_are_numbered_after_the_last_item(session: AsyncSession) -> None:
    await registry(session)
    dispatch_id = await draft(session)
    await typed(session, dispatch_id, 1, "Sở Nội vụ rà soát biên chế năm 2026.")
    await typed(session, dispatch_id, 2, "Sở Tài chính rà soát kinh phí năm 2026.")
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert [(t.ref, t.added) for t in view.tasks] == [
        ("12", False),
        ("13", False),
        ("14", False),
        ("15", True),
        ("16", True),
    ]
    # Dropping the last added task frees nothing below it: the next one is 16 again.
    await drop_task(session, dispatch_id, 3, view.tasks[-1].id, now=NOW, origin=Origin())
    await typed(session, dispatch_id, 4, "Sở Nội vụ tổng hợp báo cáo năm 2026.")
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert [t.ref for t in view.tasks] == ["12", "13", "14", "15", "16"]


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        (["1", "2", "2.1", "14"], "15"),
        (["1", "14", "14.2.1"], "15"),
        (["p1", "p2"], "p3"),
        (["Điều 1", "Điều 3", "Điều 3.1.a"], "Điều 4"),
        (["II.1", "II.3"], "II.4"),
        ([], "1"),
    ],
)
def test_next_ref_follows_the_last_items_numbering(refs: list[str], expected: str) -> None:
    assert next_ref(refs) == expected


async def test_a_lead_unit_is_added_beside_the_others(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    first = view.tasks[0]
    v = (
        await add_task_units(
            session, dispatch_id, 1, first.id, LEAD, [ids["ck"]], now=NOW, origin=Origin()
        )
    ).version
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert set(view.tasks[0].lead_ids) == {ids["nv"], ids["ck"]}
    assert v == view.version == 2


async def test_a_lead_unit_is_removed_alone(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    first = view.tasks[0]
    v = (
        await add_task_units(
            session, dispatch_id, 1, first.id, LEAD, [ids["ck"]], now=NOW, origin=Origin()
        )
    ).version
    await remove_task_unit(
        session, dispatch_id, v, first.id, LEAD, ids["nv"], now=NOW, origin=Origin()
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert view.tasks[0].lead_ids == (ids["ck"],)
    assert view.tasks[0].support_ids == (ids["tc"],)  # untouched


async def test_a_group_added_as_lead_adds_its_members(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    third = view.tasks[2]
    await add_task_units(
        session, dispatch_id, 1, third.id, LEAD, [ids["nv"], ids["tc"]], now=NOW, origin=Origin()
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert sorted(view.tasks[2].lead_ids) == sorted([ids["nv"], ids["tc"]])


async def test_support_units_are_added_and_removed(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    first = view.tasks[0]
    v = (
        await add_task_units(
            session, dispatch_id, 1, first.id, SUPPORT, [ids["ck"]], now=NOW, origin=Origin()
        )
    ).version
    v = await remove_task_unit(
        session, dispatch_id, v, first.id, SUPPORT, ids["tc"], now=NOW, origin=Origin()
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert view.tasks[0].support_ids == (ids["ck"],)
    assert view.tasks[0].supports == ("Đảng ủy phường Cái Khế",)


async def test_a_unit_leads_or_supports_never_both(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    first = view.tasks[0]
    # The supporting unit made a lead leaves the support list ...
    v = (
        await add_task_units(
            session, dispatch_id, 1, first.id, LEAD, [ids["tc"]], now=NOW, origin=Origin()
        )
    ).version
    # ... and a leading unit is not added as support.
    refused = await add_task_units(
        session, dispatch_id, v, first.id, SUPPORT, [ids["nv"]], now=NOW, origin=Origin()
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert set(view.tasks[0].lead_ids) == {ids["nv"], ids["tc"]}
    assert view.tasks[0].support_ids == ()
    assert refused.unit_ids == ()


async def test_an_unmatched_support_name_is_kept_and_answered_by_a_pick(
    session: AsyncSession,
) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    first = view.tasks[0]
    assert first.support_unmatched == ("Ban Tổ chức Tỉnh ủy",)
    await add_task_units(
        session,
        dispatch_id,
        1,
        first.id,
        SUPPORT,
        [ids["btc"]],
        answers=0,
        now=NOW,
        origin=Origin(),
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert view.tasks[0].support_unmatched == ()
    assert set(view.tasks[0].support_ids) == {ids["tc"], ids["btc"]}


async def test_an_unmatched_lead_name_can_be_dropped(session: AsyncSession) -> None:
    await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    second = view.tasks[1]
    assert second.unmatched == ("Ban Tổ chức Tỉnh ủy",)
    await drop_unmatched_name(session, dispatch_id, 1, second.id, LEAD, 0, now=NOW, origin=Origin())
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert view.tasks[1].unmatched == ()


async def test_a_stale_unit_edit_is_refused(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    first = view.tasks[0]
    await add_task_units(
        session, dispatch_id, 1, first.id, LEAD, [ids["ck"]], now=NOW, origin=Origin()
    )
    with pytest.raises(DraftError) as error:
        await remove_task_unit(
            session, dispatch_id, 1, first.id, LEAD, ids["nv"], now=NOW, origin=Origin()
        )
    assert error.value.code == "stale"


async def test_confirming_assigns_the_edited_leads_only(session: AsyncSession) -> None:
    ids = await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    first = view.tasks[0]
    v = (
        await add_task_units(
            session, dispatch_id, 1, first.id, LEAD, [ids["ck"]], now=NOW, origin=Origin()
        )
    ).version
    v = await remove_task_unit(
        session, dispatch_id, v, first.id, LEAD, ids["nv"], now=NOW, origin=Origin()
    )
    outcome = await confirm_draft(session, dispatch_id, v, now=NOW, origin=Origin(), tz=UTC)
    units = set(
        await session.scalars(select(Assignment.unit_id).where(Assignment.task_id == first.id))
    )
    assert units == {ids["ck"]}
    by_unit = {n.unit_id: n for n in outcome.notices}
    assert by_unit[ids["tc"]].support_task_ids[:1] == (first.id,)


async def test_a_typed_deadline_keeps_the_date_not_the_typed_words(session: AsyncSession) -> None:
    await registry(session)
    dispatch_id = await draft(session)
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    await set_task_deadline(
        session,
        dispatch_id,
        1,
        view.tasks[0].id,
        date(2026, 12, 6),
        "ngày mai",
        now=NOW,
        origin=Origin(),
    )
    view = await load_dispatch(session, dispatch_id)
    assert view is not None
    assert [(d.on, d.phrase) for d in view.tasks[0].dues] == [(date(2026, 12, 6), "")]
