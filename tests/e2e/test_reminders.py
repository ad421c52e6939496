"""Reminders end to end: the tick against the local Bot API server, on a fixed clock.

Ticks are driven by calling ``run_tick`` after ``bot.clock.set(...)`` (the JobQueue only
runs the periodic tick on the system clock). The notifier's pacer is shrunk a hundredfold
so tests never wait on Telegram's per-chat second.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from bot.context import DEPS_KEY, Deps
from bot.notifier import CONCURRENT_SENDS, MAX_ATTEMPTS, use_pacer
from bot.pacing import Pacer, SendLimits, Window
from bot.settings import Settings
from jobs.reminders import (
    TickReport,
    policy_from,
    recover,
    recover_interrupted_deliveries,
    run_tick,
    send_due_reminders,
)
from models import Assignment, AssignmentStatus, Contact, Dispatch, ReminderDelivery, Role, Task
from nhacviec.app import build_application
from services.clock import SystemClock
from tests.e2e.conftest import BotHarness
from tests.fakes import DEFAULT_TOKEN, FixedClock, Limit, RateLimits, inline_buttons

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = date(2026, 1, 16)  # the harness starts on Monday 05/01/2026 08:00 local


def local(day: date, hour: int = 8, minute: int = 1) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ).astimezone(UTC)


def deps_of(bot: BotHarness) -> Deps:
    deps: Deps = bot.app.bot_data[DEPS_KEY]
    return deps


@pytest.fixture(autouse=True)
def fast_pacer(bot: BotHarness) -> None:
    use_pacer(bot.app.bot_data["deps"], Pacer(SendLimits().scaled(0.01)))


async def tick(bot: BotHarness, at: datetime, **policy: object) -> TickReport:
    bot.clock.set(at)
    deps = deps_of(bot)
    return await run_tick(bot.app.bot, deps, replace(policy_from(deps.settings), **policy))


async def assign(
    bot: BotHarness,
    unit_id: int,
    due: date | None = FRIDAY,
    *,
    ref: str = "1",
    status: str = AssignmentStatus.OPEN,
) -> int:
    async with bot.session_factory.begin() as session:
        dispatch = Dispatch(
            status="active", kind="cong_van", number=f"{ref}/UBND", created_at=bot.clock.now()
        )
        session.add(dispatch)
        await session.flush()
        task = Task(dispatch_id=dispatch.id, position=1, ref=ref, text=f"Báo cáo nội dung {ref}")
        session.add(task)
        await session.flush()
        assignment = Assignment(
            task_id=task.id,
            unit_id=unit_id,
            status=status,
            due_on=due,
            original_due_on=due,
            recurring=due is None,
            assigned_at=bot.clock.now(),
        )
        session.add(assignment)
        await session.flush()
        return assignment.id


async def rows(bot: BotHarness) -> list[ReminderDelivery]:
    async with bot.session_factory() as session:
        return list(await session.scalars(select(ReminderDelivery).order_by(ReminderDelivery.id)))


async def test_a_reminder_shows_days_left_and_the_task_buttons(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Tài chính thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    task = await assign(bot, unit)
    await tick(bot, local(date(2026, 1, 13)))  # Tuesday, D-3
    [message] = bot.api.sent_messages(head)
    assert "⏰" in message["text"]
    assert "còn 3 ngày" in message["text"]
    assert "16/01/2026" in message["text"]
    assert [d for _, d in inline_buttons(message)][:2] == [f"a:done:{task}", f"a:ext:{task}"]
    [row] = await rows(bot)
    assert (row.slot, row.status, row.message_id) == (
        "due-3:2026-01-16",
        "sent",
        message["message_id"],
    )
    again = await tick(bot, local(date(2026, 1, 13), 9))
    assert again.claimed == 0
    assert len(bot.api.sent_messages(head)) == 1


async def test_the_deadline_day_says_so(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Y tế thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    await assign(bot, unit)
    await tick(bot, local(FRIDAY))
    [message] = bot.api.sent_messages(head)
    assert "hôm nay là hạn cuối" in message["text"]


async def test_nothing_is_sent_in_quiet_hours_it_waits_for_the_morning(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    await assign(bot, unit)
    # Down through Tuesday 08:00 (D-3); back at 21:00: quiet, nothing goes out.
    report = await tick(bot, local(date(2026, 1, 13), 21))
    assert report.quiet
    assert bot.api.sent_messages(head) == []
    await tick(bot, local(date(2026, 1, 14), 7, 0))
    [message] = bot.api.sent_messages(head)
    assert "còn 2 ngày" in message["text"]


async def test_a_weekend_reminder_comes_on_friday(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Xây dựng thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    await assign(bot, unit, date(2026, 1, 19))  # Monday: D-1 is Sunday
    await tick(bot, local(date(2026, 1, 17)))  # Saturday: nothing
    assert bot.api.sent_messages(head) == []
    await tick(bot, local(date(2026, 1, 16)))
    [message] = bot.api.sent_messages(head)
    assert "còn 3 ngày" in message["text"]
    [row] = await rows(bot)
    assert row.slot == "due-1:2026-01-19"


async def test_answered_tasks_get_no_reminder(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Tư pháp thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    await assign(bot, unit, status=AssignmentStatus.DONE)
    await assign(bot, unit, ref="2", status=AssignmentStatus.EXTENSION_REQUESTED)
    report = await tick(bot, local(FRIDAY))
    assert report.claimed == 0
    assert bot.api.sent_messages(head) == []


async def test_overdue_unit_hears_qua_han_and_supervisors_get_one_list(bot: BotHarness) -> None:
    units = [
        await bot.add_unit("Sở Giáo dục và Đào tạo thành phố Cần Thơ"),
        await bot.add_unit("Sở Công Thương thành phố Cần Thơ"),
    ]
    heads = [await bot.register(201 + i, Role.HEAD, u) for i, u in enumerate(units)]
    office = await bot.register(100, Role.SUPERVISOR)
    for i, unit in enumerate(units):
        await assign(bot, unit, date(2026, 1, 13), ref=str(i + 1))
    await tick(bot, local(date(2026, 1, 14)))
    for head in heads:
        [message] = bot.api.sent_messages(head)
        assert "⚠️" in message["text"]
        assert "Quá hạn 1 ngày" in message["text"]
        assert inline_buttons(message)
    [overdue] = bot.api.sent_messages(office)
    assert "Nhiệm vụ quá hạn" in overdue["text"]
    assert "Sở Giáo dục và Đào tạo" in overdue["text"]
    assert "Sở Công Thương" in overdue["text"]
    late = [r for r in await rows(bot) if r.slot.startswith("late:")]
    assert {r.message_id for r in late} == {overdue["message_id"]}


async def test_overdue_reminders_repeat_then_supervisors_get_an_escalation(
    bot: BotHarness,
) -> None:
    unit = await bot.add_unit("Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit, name="Lê Văn Tám")
    office = await bot.register(100, Role.SUPERVISOR)
    await assign(bot, unit, date(2026, 1, 12))  # Monday
    for day in range(13, 24):
        await tick(bot, local(date(2026, 1, day)))
    unit_texts = [m["text"] for m in bot.api.sent_messages(head)]
    # D+1, then every 2 days: Tue 13, Thu 15, Sat 17 → Mon 19 (where it meets the fourth,
    # which stays), Wed 21; the fifth would be Fri 23 but the maximum is five slots.
    days = [int(re.search(r"Quá hạn (\d+) ngày", t)[1]) for t in unit_texts]  # type: ignore[index]
    assert days == [1, 3, 7, 9]
    office_texts = [m["text"] for m in bot.api.sent_messages(office)]
    assert len(office_texts) == 2
    assert "Nhiệm vụ quá hạn" in office_texts[0]
    assert "Đề nghị đôn đốc" in office_texts[1]
    assert "Sở Văn hóa, Thể thao và Du lịch" in office_texts[1]
    assert "Lê Văn Tám" in office_texts[1]


async def test_muted_unit_gets_only_overdue_reminders(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nông nghiệp thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    await assign(bot, unit)
    async with bot.session_factory.begin() as session:
        from models import Unit

        (await session.get(Unit, unit)).muted = True  # type: ignore[union-attr]
    await tick(bot, local(FRIDAY))
    assert bot.api.sent_messages(head) == []
    await tick(bot, local(date(2026, 1, 19)))
    [message] = bot.api.sent_messages(head)
    assert "Quá hạn" in message["text"]


async def test_a_recurring_task_gets_a_monthly_check_in(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Khoa học và Công nghệ thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    task = await assign(bot, unit, None)
    await tick(bot, local(date(2026, 2, 2)))  # 1 February is a Sunday
    [message] = bot.api.sent_messages(head)
    assert "Báo cáo tiến độ định kỳ tháng 02/2026" in message["text"]
    [row] = await rows(bot)
    assert (row.assignment_id, row.slot, row.message_id) == (
        task,
        "check:2026-02",
        message["message_id"],
    )


async def test_catch_up_after_a_three_day_outage_sends_only_the_latest(bot: BotHarness) -> None:
    units = [await bot.add_unit(f"Phường {i}") for i in range(3)]
    heads = [await bot.register(201 + i, Role.HEAD, u) for i, u in enumerate(units)]
    for unit in units:
        await assign(bot, unit)
    await tick(bot, local(date(2026, 1, 12)))  # Monday: D-3 is tomorrow, nothing yet
    # Down from Tuesday 07:00 until Friday 10:00: D-3, D-1 and D were missed.
    await tick(bot, local(FRIDAY, 10), catchup_hours=72)
    for head in heads:
        [message] = bot.api.sent_messages(head)
        assert "hôm nay là hạn cuối" in message["text"]
    statuses = Counter((r.slot, r.status) for r in await rows(bot))
    assert statuses == {("due-0:2026-01-16", "sent"): 3, ("due-1:2026-01-16", "skipped"): 3}


async def test_a_429_from_telegram_is_retried_after_retry_after(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Ngoại vụ thành phố Cần Thơ")
    other = await bot.add_unit("Sở Tài nguyên và Môi trường thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    other_head = await bot.register(202, Role.HEAD, other)
    await assign(bot, unit)
    await assign(bot, other, ref="2")
    bot.api.too_many_requests(0.05, count=3, chat_id=201)
    report = await tick(bot, local(FRIDAY))
    assert report.delivery is not None
    assert report.delivery.sent == 2
    assert len(bot.api.sent_messages(head)) == 1
    assert len(bot.api.sent_messages(other_head)) == 1
    assert sum(1 for e in bot.api.errors if e.error_code == 429) == 3
    assert {r.status for r in await rows(bot)} == {"sent"}


async def test_a_chat_that_stays_rate_limited_waits_for_the_next_tick(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Ngoại vụ thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    await assign(bot, unit)
    bot.api.too_many_requests(0.05, count=MAX_ATTEMPTS, chat_id=201)
    report = await tick(bot, local(FRIDAY))
    assert report.delivery is not None
    assert report.delivery.sent == 0
    assert [r.status for r in await rows(bot)] == ["pending"]
    await tick(bot, local(FRIDAY, 8, 2))
    assert len(bot.api.sent_messages(head)) == 1
    assert [r.status for r in await rows(bot)] == ["sent"]


async def test_a_blocked_chat_is_deactivated_and_supervisors_are_told(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Lao động thành phố Cần Thơ")
    other = await bot.add_unit("Sở Du lịch thành phố Cần Thơ")
    await bot.register(201, Role.HEAD, unit, name="Phạm Thị Lan")
    other_head = await bot.register(202, Role.HEAD, other)
    office = await bot.register(100, Role.SUPERVISOR)
    await assign(bot, unit)
    await assign(bot, unit, ref="2")
    await assign(bot, other, ref="3")
    bot.api.block(201)
    report = await tick(bot, local(FRIDAY))
    assert report.delivery is not None
    assert report.delivery.blocked_chats == [201]
    assert len(bot.api.sent_messages(other_head)) == 1
    [notice] = bot.api.sent_messages(office)
    assert "Phạm Thị Lan" in notice["text"]
    assert "Sở Lao động" in notice["text"]
    # One request found the block; the chat's second reminder failed without another.
    assert len([c for c in bot.api.calls_of("sendMessage") if c["chat_id"] == 201]) == 1
    async with bot.session_factory() as session:
        contact = await session.scalar(select(Contact).where(Contact.chat_id == 201))
    assert contact is not None
    assert not contact.active
    assert contact.blocked_at is not None
    assert Counter(r.status for r in await rows(bot) if r.chat_id == 201) == {"failed": 2}
    # The next day nothing is planned for the blocked chat.
    await tick(bot, local(date(2026, 1, 19)))
    assert len([c for c in bot.api.calls_of("sendMessage") if c["chat_id"] == 201]) == 1


async def test_a_migrated_group_gets_the_reminder_at_its_new_id(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Thông tin thành phố Cần Thơ")
    bot.api.group(-4001, "Nhóm Sở Thông tin")
    async with bot.session_factory.begin() as session:
        session.add(Contact(chat_id=-4001, kind="group", unit_id=unit, created_at=bot.clock.now()))
    await assign(bot, unit)
    bot.api.migrate(-4001, -1004001)
    await tick(bot, local(FRIDAY))
    [message] = bot.api.sent_messages(-1004001)
    assert "hôm nay là hạn cuối" in message["text"]
    [row] = await rows(bot)
    assert (row.chat_id, row.status, row.message_id) == (-1004001, "sent", message["message_id"])
    async with bot.session_factory() as session:
        assert await session.scalar(select(Contact.chat_id).where(Contact.unit_id == unit)) == (
            -1004001
        )


async def test_pacing_stays_within_telegram_limits(bot: BotHarness) -> None:
    # Telegram's limits, the per-chat and group windows shrunk tenfold, on both sides (the
    # overall one stays real: AIORateLimiter paces it in real time too).
    bot.api.rate_limits = RateLimits(
        overall=Limit(30, 1.0), per_chat=Limit(1, 0.1), per_group=Limit(20, 6.0)
    )
    limits = SendLimits().scaled(0.1)
    use_pacer(bot.app.bot_data["deps"], Pacer(replace(limits, overall=SendLimits().overall)))
    units = [await bot.add_unit(f"Xã {i}") for i in range(40)]
    for i, unit in enumerate(units):
        await bot.register(300 + i, Role.HEAD, unit)
        await assign(bot, unit, ref=str(i))
    busy = await bot.add_unit("Xã bận")
    busy_head = await bot.register(299, Role.HEAD, busy)
    for ref in ("a", "b", "c"):
        await assign(bot, busy, ref=ref)
    report = await tick(bot, local(FRIDAY))
    assert report.delivery is not None
    assert report.delivery.sent == 43
    assert [e for e in bot.api.errors if e.error_code == 429] == []
    assert len(bot.api.sent_messages(busy_head)) == 3


async def test_a_restart_mid_fan_out_loses_nothing_and_duplicates_nothing(
    bot: BotHarness, engine: AsyncEngine
) -> None:
    # A slow fan-out (4 messages per 0.1 s) is killed after a few messages.
    bot.api.rate_limits = RateLimits.disabled()
    use_pacer(
        bot.app.bot_data["deps"], Pacer(replace(SendLimits().scaled(0.01), overall=Window(4, 0.1)))
    )
    units = [await bot.add_unit(f"Ấp {i}") for i in range(24)]
    for i, unit in enumerate(units):
        await bot.register(400 + i, Role.HEAD, unit)
        await assign(bot, unit, ref=str(i))
    bot.clock.set(local(FRIDAY))
    running = asyncio.create_task(tick(bot, local(FRIDAY)))
    await bot.api.wait_for_call(
        "sendMessage", lambda _params: len(bot.api.calls_of("sendMessage")) >= 6
    )
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    before = Counter(r.status for r in await rows(bot))
    assert before["pending"] > 0

    # A new process on the same database: recovery, then the next tick.
    restarted = build_application(bot.settings, engine, clock=bot.clock)
    use_pacer(restarted.bot_data["deps"], Pacer(SendLimits().scaled(0.01)))
    async with restarted:
        restarted_deps: Deps = restarted.bot_data[DEPS_KEY]
        await recover(restarted_deps)
        await run_tick(restarted.bot, restarted_deps)

    received = Counter(c["chat_id"] for c in bot.api.calls_of("sendMessage"))
    assert max(received.values()) == 1  # nothing duplicated
    final = await rows(bot)
    for row in final:
        if row.status == "sent":
            assert received[row.chat_id] == 1
            assert bot.api.message(row.chat_id, row.message_id)
        else:  # a send in flight at the crash: maybe delivered, never resent
            assert row.status == "unknown"
    unknown = [r for r in final if r.status == "unknown"]
    assert len(unknown) <= CONCURRENT_SENDS  # only requests in flight can be unknown
    # Nothing lost: every chat without a message is one of the few "unknown" rows.
    assert {400 + i for i in range(24)} - set(received) <= {r.chat_id for r in unknown}


def test_the_periodic_tick_runs_only_on_the_system_clock(engine: AsyncEngine) -> None:
    settings = Settings(telegram_bot_token=DEFAULT_TOKEN)
    real = build_application(settings, engine)
    assert isinstance(real.bot_data[DEPS_KEY].clock, SystemClock)
    assert real.job_queue is not None
    assert {j.name for j in real.job_queue.jobs()} == {
        "recover_interrupted_deliveries",
        "send_due_reminders",
        "send_weekly_digest",
        "check_weekly_digest",
        "expire_old_drafts",
        "sync_command_menus",
    }
    fixed = build_application(settings, engine, clock=FixedClock())
    assert fixed.job_queue is not None
    assert {j.name for j in fixed.job_queue.jobs()} == {"recover_interrupted_deliveries"}


async def test_an_interrupted_send_is_unknown_then_resent_once_as_a_repeat(
    bot: BotHarness,
) -> None:
    # The start-up job has run (or runs now); from here on only our recovery can act.
    await recover_interrupted_deliveries(SimpleNamespace(application=bot.app))  # type: ignore[arg-type]
    unit = await bot.add_unit("Sở Kế hoạch thành phố Cần Thơ")
    await bot.register(201, Role.HEAD, unit)
    task = await assign(bot, unit)
    async with bot.session_factory.begin() as session:
        session.add(
            ReminderDelivery(
                assignment_id=task,
                slot="due-0:2026-01-16",
                chat_id=201,
                status="sending",
                due_at=local(FRIDAY),
                claimed_at=local(FRIDAY),
            )
        )
    bot.clock.set(local(FRIDAY, 8, 1))
    assert await recover(deps_of(bot)) == 1
    [row] = await rows(bot)
    assert (row.status, row.resends) == ("unknown", 0)
    assert row.due_at == local(FRIDAY, 8, 6)  # AMBIGUOUS_RESEND_SECONDS later
    await tick(bot, local(FRIDAY, 8, 5))  # not yet
    assert bot.api.sent_messages(201) == []
    await tick(bot, local(FRIDAY, 8, 6))
    [message] = bot.api.sent_messages(201)
    assert message["text"].startswith("🔁 Nhắc lại")
    [row] = await rows(bot)
    assert (row.status, row.resends, row.message_id) == ("sent", 1, message["message_id"])


async def test_a_head_mutes_and_unmutes_the_units_reminders(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Giao thông thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    member = await bot.register(202, Role.MEMBER, unit)
    await assign(bot, unit)
    sent = await bot.api.send_command(member, "/tatnhac")
    [refused] = await bot.api.wait_for_messages(member, after=sent)
    sent = await bot.api.send_command(head, "/tatnhac")
    [muted] = await bot.api.wait_for_messages(head, after=sent)
    assert "Đã tắt nhắc hạn" in muted["text"]
    await tick(bot, local(FRIDAY))
    assert len(bot.api.sent_messages(head)) == 1
    sent = await bot.api.send_command(head, "/batnhac")
    [unmuted] = await bot.api.wait_for_messages(head, after=sent)
    assert "Đã bật lại nhắc hạn" in unmuted["text"]
    assert "Đã tắt" not in refused["text"]
    # The refusal names who may mute: the unit's head, not the office.
    assert refused["text"] == texts.NOT_ALLOWED_HEAD


async def test_only_the_leader_ticks_and_a_new_leader_recovers_first(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Quy hoạch thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    task = await assign(bot, unit)
    await assign(bot, unit, ref="2")
    async with bot.session_factory.begin() as session:
        session.add(  # left "sending" by a leader that died
            ReminderDelivery(
                assignment_id=task,
                slot="due-0:2026-01-16",
                chat_id=201,
                status="sending",
                due_at=local(FRIDAY),
                claimed_at=local(FRIDAY),
            )
        )
    deps = deps_of(bot)
    job_context = SimpleNamespace(application=bot.app, bot=bot.app.bot)
    bot.clock.set(local(FRIDAY))
    deps.runtime.leader = False
    await send_due_reminders(job_context)  # type: ignore[arg-type]
    assert bot.api.sent_messages(head) == []
    deps.runtime.leader = True
    await send_due_reminders(job_context)  # type: ignore[arg-type]
    [message] = bot.api.sent_messages(head)
    assert "Nhiệm vụ 2" in message["text"] or "nhiệm vụ 2" in message["text"]
    assert Counter(r.status for r in await rows(bot)) == {"unknown": 1, "sent": 1}
    assert deps.runtime.last_tick == local(FRIDAY)


async def test_a_request_lost_in_the_network_is_resent_once_marked_as_a_repeat(
    bot: BotHarness,
) -> None:
    unit = await bot.add_unit("Sở Môi trường thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    await assign(bot, unit)
    bot.api.drop_connections(1, methods=["sendMessage"])
    report = await tick(bot, local(FRIDAY))
    assert report.delivery is not None
    assert report.delivery.unknown == 1
    assert bot.api.sent_messages(head) == []
    await tick(bot, local(FRIDAY, 8, 3))  # before the resend time
    assert bot.api.sent_messages(head) == []
    await tick(bot, local(FRIDAY, 9))
    [message] = bot.api.sent_messages(head)
    assert message["text"].startswith("🔁 Nhắc lại")
    assert [(r.status, r.resends) for r in await rows(bot)] == [("sent", 1)]


async def test_an_ambiguous_resend_is_not_sent_a_third_time(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Môi trường thành phố Cần Thơ")
    head = await bot.register(201, Role.HEAD, unit)
    await assign(bot, unit)
    bot.api.fail_after_processing("sendMessage", 502, "Bad Gateway", count=2)
    await tick(bot, local(FRIDAY))
    await tick(bot, local(FRIDAY, 9))
    await tick(bot, local(FRIDAY, 10))
    first, repeat = bot.api.sent_messages(head)  # both reached the chat; no third
    assert repeat["text"].startswith("🔁 Nhắc lại")
    assert not first["text"].startswith("🔁")
    assert [(r.status, r.resends) for r in await rows(bot)] == [("unknown", 1)]
