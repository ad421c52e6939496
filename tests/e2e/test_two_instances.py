"""Two ``nhacviec run`` processes on one database: one leads, the other takes over."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp

from bot import texts
from tests.e2e.test_replies import shown
from tests.fakes import running_fake_bot_api
from tests.fakes.ptb import free_port

LEASE_SECONDS = 3


async def start_instance(api, tmp_path: Path, database_url: str, name: str, port: int):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.api_url,
        TELEGRAM_BASE_FILE_URL=api.file_url,
        DATABASE_URL=database_url,
        DATA_DIR=str(tmp_path / "data"),
        LEADER_LEASE_SECONDS=str(LEASE_SECONDS),
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
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def health(port: int, path: str = "/readyz") -> dict | None:
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{port}{path}", timeout=aiohttp.ClientTimeout(2)) as r,
        ):
            return json.loads(await r.text())
    except (aiohttp.ClientError, TimeoutError):
        return None


async def wait_for(predicate, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Poll another process's health endpoint until ``predicate`` holds (bounded)."""
    async with asyncio.timeout(seconds):
        while not await predicate():  # noqa: ASYNC110 - another process, no event to await
            await asyncio.sleep(0.2)


async def test_standby_takes_over_when_the_leader_is_killed(
    tmp_path: Path, database_url: str
) -> None:
    ports = {"a": free_port(), "b": free_port()}
    async with running_fake_bot_api() as api:
        first = await start_instance(api, tmp_path, database_url, "a", ports["a"])
        second = None
        try:

            async def a_leads() -> bool:
                state = await health(ports["a"])
                return bool(state and state["leader"])

            await wait_for(a_leads, 60)
            second = await start_instance(api, tmp_path, database_url, "b", ports["b"])

            async def b_ready() -> bool:
                state = await health(ports["b"])
                return bool(state and state["status"] == "ok")

            await wait_for(b_ready, 60)
            assert (await health(ports["b"]))["leader"] is False  # type: ignore[index]

            first.send_signal(signal.SIGKILL)
            await first.wait()
            killed_at = time.monotonic()

            async def b_leads() -> bool:
                state = await health(ports["b"])
                return bool(state and state["leader"])

            await wait_for(b_leads, 30)
            assert time.monotonic() - killed_at <= LEASE_SECONDS * 2 + 2

            user = api.user(881, "Khách")
            await api.send_command(user, "/start")
            [reply] = await api.wait_for_messages(user, timeout=30)
            assert reply["text"] == shown(texts.welcome_unregistered(881))
        finally:
            for process in (first, second):
                if process is not None and process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(process.wait(), timeout=30)
