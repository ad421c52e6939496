"""Failover in the middle of a fan-out: two ``nhacviec run`` processes on one database,
the leader SIGKILLed while it sends 500 reminders; every reminder arrives exactly once.

Why the kill is placed where it is. A reminder's ledger row goes pending → sending (committed
right before the request) → sent (committed after Telegram's answer). Telegram has no
idempotency key, so a process killed between "the request reached Telegram" and "the ledger
says sent" leaves a row whose fate nobody knows; the design chooses at most once: the next
leader turns such "sending" rows into "unknown" and never resends them. Killed at a random
instant, a leader may also die after committing "sending" but before its request left, and
that reminder is then lost by design: exactly once cannot be asserted on a random kill.

So the test kills at an instant where no request is between its "sending" commit and the
server: the fake Bot API is switched to *hold* sendMessage answers (the request is processed
— the message is delivered and stored — and only the answer waits). The notifier works on
at most ``CONCURRENT_SENDS`` deliveries at once, each holding its slot from composing
through claiming ("sending") to recording the answer, and claims only inside a slot. Once
that many requests are held, the leader can claim nothing more; once the rows "sending" in
the database are exactly the held chats, every "sending" row is a message Telegram already
has. (This is deterministic, not a quiet-period guess: a chat waiting out a 429 holds no
slot, and its row is back to "pending".) The leader is killed there and the hold released;
its held answers are never heard, so those rows stay "sending" until the standby takes the
lease, turns them "unknown" and sends every "pending" row. Hence:

* every one of the 500 chats received exactly one reminder (none lost, none twice);
* the ledger's "unknown" rows are exactly the requests held at the kill, each of them a
  delivered message; all the others are "sent" with the message id the chat really got;
* the standby took the lease once the dead leader's lease expired, within one renewal
  interval (LEADER_LEASE_SECONDS / 3) of the expiry, hence at most LEADER_LEASE_SECONDS
  plus one renewal interval after the kill (the leader may have renewed just before it).

Real time throughout: the processes use the system clock, so the reminders are made due
now (deadline today, REMINDER_OFFSETS_DAYS=0, REMINDER_TIME two minutes ago, quiet hours
elsewhere, every day a working day). The fake keeps Telegram's 30 messages/s overall
limit on (the notifier's pacer keeps to it); the 500 messages take about 20 s of the run,
the whole test about 30 s.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.notifier import CONCURRENT_SENDS
from models import Assignment, Contact, Dispatch, Lease, Person, ReminderDelivery, Task, Unit
from services.leadership import SCHEDULER
from tests.conftest import _empty_all_tables
from tests.e2e.test_two_instances import health, wait_for
from tests.fakes import running_fake_bot_api
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.ptb import free_port

LEASE_SECONDS = 3
RENEW_SECONDS = LEASE_SECONDS / 3  # runner: every process checks the lease this often
SLACK_SECONDS = 0.5  # database round trips and this test's polling
REMINDERS = 500
LET_THROUGH = 150  # reminders the first leader delivers before the kill is prepared
FIRST_CHAT = 600_001
CHATS = range(FIRST_CHAT, FIRST_CHAT + REMINDERS)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TASK_TEXT = "Báo cáo kết quả diễn tập chuyển giao"


def reminder_settings(now: datetime) -> tuple[dict[str, str], date]:
    """Environment making a reminder of a deadline-today assignment due now; the deadline."""
    local = now.astimezone(TZ)
    slot = (local - timedelta(minutes=2)).replace(second=0, microsecond=0)
    quiet = f"{(local + timedelta(hours=3)):%H:%M}-{(local + timedelta(hours=4)):%H:%M}"
    env = {
        "TIMEZONE": str(TZ),
        "REMINDER_TIME": f"{slot:%H:%M}",
        "REMINDER_OFFSETS_DAYS": "0",
        "WORKING_DAYS": "mon,tue,wed,thu,fri,sat,sun",
        "QUIET_HOURS": quiet,
        "CATCHUP_HOURS": "24",
        "TICK_SECONDS": "1",
        "LEADER_LEASE_SECONDS": str(LEASE_SECONDS),
        "LOG_LEVEL": "INFO",
    }
    return env, slot.date()


async def seed(engine: AsyncEngine, due_on: date, now: datetime) -> None:
    """500 units, each with a head's private chat and one open assignment, in one commit."""
    assigned = now - timedelta(days=1)
    units = range(1, REMINDERS + 1)
    async with engine.begin() as conn:
        await conn.execute(
            insert(Unit), [{"id": u, "name": f"Đơn vị diễn tập {u}", "aliases": []} for u in units]
        )
        await conn.execute(
            insert(Person),
            [
                {
                    "id": u,
                    "telegram_user_id": FIRST_CHAT - 1 + u,
                    "name": f"Trưởng đơn vị {u}",
                    "role": "head",
                    "unit_id": u,
                    "created_at": assigned,
                }
                for u in units
            ],
        )
        await conn.execute(
            insert(Contact),
            [
                {
                    "chat_id": FIRST_CHAT - 1 + u,
                    "kind": "private",
                    "person_id": u,
                    "unit_id": u,
                    "created_at": assigned,
                }
                for u in units
            ],
        )
        await conn.execute(
            insert(Dispatch),
            [
                {
                    "id": 1,
                    "status": "active",
                    "kind": "cong_van",
                    "number": "99/UBND-DT",
                    "subject": "Diễn tập chuyển giao",
                    "recipients": [],
                    "created_at": assigned,
                    "confirmed_at": assigned,
                }
            ],
        )
        await conn.execute(
            insert(Task),
            [
                {
                    "id": 1,
                    "dispatch_id": 1,
                    "position": 1,
                    "ref": "1",
                    "text": TASK_TEXT,
                    "lead_written": [],
                    "support_written": [],
                    "lead_unmatched": [],
                }
            ],
        )
        await conn.execute(
            insert(Assignment),
            [
                {
                    "task_id": 1,
                    "unit_id": u,
                    "status": "open",
                    "due_on": due_on,
                    "original_due_on": due_on,
                    "recurring": False,
                    "assigned_at": assigned,
                    "version": 1,
                }
                for u in units
            ],
        )


async def ledger(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            select(
                ReminderDelivery.assignment_id,
                ReminderDelivery.chat_id,
                ReminderDelivery.status,
                ReminderDelivery.message_id,
            )
        )
        return list(result)


async def sending_chats(engine: AsyncEngine) -> set[int]:
    return {row.chat_id for row in await ledger(engine) if row.status == "sending"}


async def lease(engine: AsyncEngine) -> Any:
    async with engine.connect() as conn:
        result = await conn.execute(
            select(Lease.holder, Lease.renewed_at, Lease.expires_at).where(Lease.name == SCHEDULER)
        )
        return result.first()


def reminders(api: FakeBotApi) -> Counter[int]:
    """Reminder messages the fake holds, per chat (held answers included: they arrived)."""
    return Counter(
        chat
        for chat in CHATS
        for message in api.sent_messages(chat)
        if TASK_TEXT in message.get("text", "")
    )


async def start_instance(
    api: FakeBotApi,
    tmp_path: Path,
    database_url: str,
    name: str,
    port: int,
    settings: dict[str, str],
    log: IO[bytes],
) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        settings,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.api_url,
        TELEGRAM_BASE_FILE_URL=api.file_url,
        DATABASE_URL=database_url,
        DATA_DIR=str(tmp_path / "data"),
        INSTANCE_NAME=name,
        HEALTH_PORT=str(port),
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "nhacviec.cli",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=log,
    )


async def test_leader_killed_mid_fan_out_every_reminder_arrives_exactly_once(
    tmp_path: Path, database_url: str, engine: AsyncEngine
) -> None:
    began = time.monotonic()
    now = datetime.now(UTC)
    settings, due_on = reminder_settings(now)
    ports = {"a": free_port(), "b": free_port()}
    logs = {name: (tmp_path / f"{name}.log").open("wb") for name in ports}
    processes: dict[str, asyncio.subprocess.Process] = {}
    async with running_fake_bot_api() as api:  # Telegram's limits on: 30 messages/s overall
        try:

            async def leads(name: str) -> bool:
                state = await health(ports[name])
                return bool(state and state["leader"])

            processes["a"] = await start_instance(
                api, tmp_path, database_url, "a", ports["a"], settings, logs["a"]
            )
            await wait_for(lambda: leads("a"), 30)
            processes["b"] = await start_instance(
                api, tmp_path, database_url, "b", ports["b"], settings, logs["b"]
            )

            async def b_standing_by() -> bool:
                state = await health(ports["b"])
                return bool(state and state["status"] == "ok" and not state["leader"])

            await wait_for(b_standing_by, 30)

            await seed(engine, due_on, now)
            fan_out_began = time.monotonic()
            await api.wait_until(
                lambda: len(api.calls_of("sendMessage")) >= LET_THROUGH,
                timeout=30,
                description=f"{LET_THROUGH} reminders from the first leader",
            )

            # Park the leader's requests at the server, processed but unanswered, until all
            # its sending slots are parked there and every row it marked "sending" is one of
            # them (see the docstring): from then on it can claim nothing more.
            api.hold_responses(["sendMessage"])

            async def in_flight_all_held() -> bool:
                if len(api.holding) < CONCURRENT_SENDS:
                    return False
                held = {call.params["chat_id"] for call in api.holding}
                return await sending_chats(engine) == held

            await wait_for(in_flight_all_held, 10)
            held = {call.params["chat_id"] for call in api.holding}
            in_flight = await sending_chats(engine)
            dead_lease = await lease(engine)
            assert dead_lease.holder == "a"

            killed_at = datetime.now(UTC)
            processes["a"].send_signal(signal.SIGKILL)
            await processes["a"].wait()
            delivered_by_a = sum(reminders(api).values())
            api.release_responses()

            # The standby takes the lease once the dead leader's has expired.
            async with asyncio.timeout(LEASE_SECONDS * 3):
                while (taken := await lease(engine)).holder != "b":  # noqa: ASYNC110 - another process's row
                    await asyncio.sleep(0.1)
            await wait_for(lambda: leads("b"), 10)
            took_over_at = taken.renewed_at

            await api.wait_until(
                lambda: len({call["chat_id"] for call in api.calls_of("sendMessage")}) == REMINDERS,
                timeout=45,
                description="a request to every chat",
            )

            async def settled() -> bool:
                rows = await ledger(engine)
                return len(rows) == REMINDERS and not any(
                    row.status in ("pending", "sending") for row in rows
                )

            await wait_for(settled, 10)
            finished = time.monotonic()
            rows = await ledger(engine)
        except BaseException:
            for name, log in logs.items():
                log.flush()
                tail = (tmp_path / f"{name}.log").read_text(errors="replace")[-6000:]
                print(f"--- instance {name} log (tail) ---\n{tail}")
            raise
        finally:
            api.release_responses()
            for process in processes.values():
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        await asyncio.wait_for(process.wait(), timeout=30)
                    except TimeoutError:
                        process.kill()
                        await process.wait()
            for log in logs.values():
                log.close()
            await _empty_all_tables(engine)  # test_two_instances does not empty them itself

        per_chat = reminders(api)
        too_many = sum(1 for error in api.errors if error.error_code == 429)

    # Exactly once: every chat has one reminder, no chat has two.
    assert per_chat == Counter(dict.fromkeys(CHATS, 1))
    # The kill happened mid fan-out, with requests in flight, and the standby did the rest.
    assert len(held) == CONCURRENT_SENDS, "the kill came with every sending slot in flight"
    assert LET_THROUGH <= delivered_by_a < REMINDERS
    # The rows "sending" at the kill are exactly the requests the server had processed.
    assert in_flight == held

    # The ledger: one row per assignment and chat; "unknown" exactly for those held requests,
    # each of them a delivered message; "sent" rows carry the id of the message the chat got.
    assert len({(row.assignment_id, row.chat_id) for row in rows}) == REMINDERS
    assert Counter(row.status for row in rows) == Counter(
        {"sent": REMINDERS - len(held), "unknown": len(held)}
    )
    assert {row.chat_id for row in rows if row.status == "unknown"} == held
    for row in rows:
        [message] = [m for m in api.sent_messages(row.chat_id) if TASK_TEXT in m.get("text", "")]
        if row.status == "sent":
            assert row.message_id == message["message_id"], row

    # The lease: not taken while the dead leader's was valid; taken within one renewal
    # interval of its expiry, so within the lease (plus that interval) of the kill.
    assert took_over_at >= dead_lease.expires_at
    assert (took_over_at - dead_lease.expires_at).total_seconds() <= RENEW_SECONDS + SLACK_SECONDS
    assert (took_over_at - killed_at).total_seconds() <= (
        LEASE_SECONDS + RENEW_SECONDS + SLACK_SECONDS
    )

    print(
        f"failover: {len(held)} requests held at the kill, {delivered_by_a} reminders by the "
        f"first leader; standby took the lease "
        f"{(took_over_at - killed_at).total_seconds():.2f} s after the kill "
        f"({(took_over_at - dead_lease.expires_at).total_seconds():.2f} s after expiry); "
        f"fan-out {finished - fan_out_began:.1f} s, test {time.monotonic() - began:.1f} s; "
        f"429 answers: {too_many}"
    )
