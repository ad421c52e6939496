"""The same instance killed and started again takes its own lease at once and answers
within 5 s, although the lease it held has 30 s left: by INSTANCE_NAME, or without it by
its default name "host:pid" whose pid is no longer running on this host."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.e2e.test_failover import start_instance
from tests.e2e.test_two_instances import health, wait_for
from tests.fakes import running_fake_bot_api
from tests.fakes.ptb import free_port

RESUME_SECONDS = 5


@pytest.mark.parametrize("name", ["same", ""], ids=["INSTANCE_NAME", "default host:pid"])
async def test_a_killed_instance_restarted_resumes_within_five_seconds(
    tmp_path: Path, database_url: str, name: str
) -> None:
    port = free_port()
    settings = {"LEADER_LEASE_SECONDS": "30"}
    log = (tmp_path / "bot.log").open("wb")
    async with running_fake_bot_api() as api:
        process = await start_instance(api, tmp_path, database_url, name, port, settings, log)
        try:

            async def leads() -> bool:
                state = await health(port)
                return bool(state and state["leader"])

            await wait_for(leads, 30)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            started = time.monotonic()
            process = await start_instance(api, tmp_path, database_url, name, port, settings, log)
            user = api.user(4242, "Người lạ")
            sent = await api.send_command(user, "/start")
            await api.wait_for_messages(user, after=sent, timeout=RESUME_SECONDS + 5)
            resumed = time.monotonic() - started
        except BaseException:
            log.flush()
            print((tmp_path / "bot.log").read_text(errors="replace")[-4000:])
            raise
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                await process.wait()
            log.close()
    assert resumed < RESUME_SECONDS, resumed
    print(f"restart: answered {resumed:.1f} s after the killed instance was started again")
