"""``nhacviec run`` in webhook mode as real processes: the fake Bot API POSTs each update to
``WEBHOOK_URL`` (with the secret header), directly or through a round-robin reverse proxy in
front of two instances that share one database and one scheduler lease.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import secrets
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fakes import FakeBotApi, running_fake_bot_api
from tests.fakes.ptb import free_port

pytestmark = pytest.mark.e2e

LEASE_SECONDS = 3
STARTUP_SECONDS = 60  # bounded; a process is usually up in about a second
UNREGISTERED = "chưa được đăng ký"


def webhook_path() -> str:
    return f"telegram/{secrets.token_urlsafe(12)}"


@asynccontextmanager
async def instance(
    api: FakeBotApi, tmp_path: Path, database_url: str, name: str, **extra: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """One ``nhacviec run`` process; SIGTERM on exit (its stderr is printed if a test fails)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.api_url,
        TELEGRAM_BASE_FILE_URL=api.file_url,
        DATABASE_URL=database_url,
        DATA_DIR=str(tmp_path / "data"),
        LEADER_LEASE_SECONDS=str(LEASE_SECONDS),
        INSTANCE_NAME=name,
        **extra,
    )
    log = tmp_path / f"{name}.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "nhacviec.cli",
            "run",
            env=env,
            cwd=tmp_path,
            stdout=output,
            stderr=output,
        )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
        text = log.read_text(errors="replace")
        print(f"--- {name} (exit {process.returncode}) ---\n{text[-3000:]}")
        assert api.token.split(":")[1] not in text


async def wait_for(check: Callable[[], Awaitable[bool]], seconds: float) -> None:
    """Poll another process's state until ``check`` holds (bounded)."""
    async with asyncio.timeout(seconds):
        while not await check():  # noqa: ASYNC110 - another process, no event to await
            await asyncio.sleep(0.1)


async def listening(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def readyz(port: int) -> dict[str, Any] | None:
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{port}/readyz", timeout=aiohttp.ClientTimeout(2)) as r,
        ):
            return dict(json.loads(await r.text()))
    except (aiohttp.ClientError, TimeoutError):
        return None


def command_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """A well-formed Telegram update, as someone who guessed the webhook path would send it."""
    user = {"id": user_id, "is_bot": False, "first_name": "Kẻ giả mạo"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "from": user,
            "chat": {"id": user_id, "type": "private", "first_name": "Kẻ giả mạo"},
            "date": int(time.time()),
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_webhook_process_answers_start_and_refuses_requests_without_the_secret(
    tmp_path: Path, database_url: str, engine: AsyncEngine
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/{webhook_path()}"
    secret = secrets.token_urlsafe(24)
    async with (
        running_fake_bot_api() as api,
        instance(
            api,
            tmp_path,
            database_url,
            "hook",
            WEBHOOK_URL=url,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=secret,
        ),
    ):
        await api.wait_for_call("setWebhook", timeout=STARTUP_SECONDS)
        stranger = api.user(771, "Khách")
        await api.send_command(stranger, "/start")
        [reply] = await api.wait_for_messages(stranger, timeout=30)
        assert UNREGISTERED in reply["text"]

        forger = 772
        forged = json.dumps(command_update(999_000_001, forger, "/start"))
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(10)) as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "sai-" + secret}):
                async with client.post(
                    url, data=forged, headers={"Content-Type": "application/json", **headers}
                ) as answer:
                    assert answer.status == 403
        # The bot handles updates one at a time, in order: had a forged one been accepted,
        # it would have been answered before this real one.
        latecomer = api.user(773, "Khách sau")
        await api.send_command(latecomer, "/start")
        await api.wait_for_messages(latecomer, timeout=30)
        assert api.sent_messages(forger) == []
        assert not [c for c in api.calls_of("sendMessage") if c.get("chat_id") == forger]

    [set_webhook] = api.calls_of("setWebhook")
    assert (set_webhook["url"], set_webhook["secret_token"]) == (url, secret)
    assert {d.outcome for d in api.webhook_deliveries} <= {"delivered", "retry"}
    assert api.pending_updates == 0


class RoundRobinProxy:
    """The deployment's reverse proxy: the public webhook URL, passed to each instance in
    turn; like nginx, an instance that refuses the connection is skipped for the next one."""

    def __init__(self, upstreams: list[int]) -> None:
        self.upstreams = upstreams
        self.answered: Counter[int] = Counter()  # requests each instance answered
        self._turn = itertools.count()
        self._client: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        assert self._client is not None
        body = await request.read()
        keep = {"content-type", "x-telegram-bot-api-secret-token"}
        headers = {k: v for k, v in request.headers.items() if k.lower() in keep}
        first = next(self._turn)
        for step in range(len(self.upstreams)):
            port = self.upstreams[(first + step) % len(self.upstreams)]
            target = f"http://127.0.0.1:{port}{request.path_qs}"
            try:
                async with self._client.post(target, data=body, headers=headers) as answer:
                    payload = await answer.read()
            except aiohttp.ClientConnectorError:
                continue
            self.answered[port] += 1
            return web.Response(status=answer.status, body=payload)
        return web.Response(status=502, text="no instance answered")

    async def __aenter__(self) -> RoundRobinProxy:
        self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(10))
        app = web.Application()
        app.router.add_post("/{path:.*}", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()


async def test_two_webhook_instances_behind_a_proxy_share_updates_and_one_leads(
    tmp_path: Path, database_url: str, engine: AsyncEngine
) -> None:
    hook_ports = {"a": free_port(), "b": free_port()}
    health_ports = {"a": free_port(), "b": free_port()}
    secret = secrets.token_urlsafe(24)
    path = webhook_path()
    async with (
        running_fake_bot_api() as api,
        RoundRobinProxy(list(hook_ports.values())) as proxy,
    ):
        public_url = f"http://127.0.0.1:{proxy.port}/{path}"

        def settings_of(name: str) -> dict[str, str]:
            return {
                "WEBHOOK_URL": public_url,
                "WEBHOOK_LISTEN": "127.0.0.1",
                "WEBHOOK_PORT": str(hook_ports[name]),
                "WEBHOOK_SECRET": secret,
                "HEALTH_PORT": str(health_ports[name]),
            }

        async with (
            instance(api, tmp_path, database_url, "a", **settings_of("a")),
            instance(api, tmp_path, database_url, "b", **settings_of("b")),
        ):

            async def both_listening() -> bool:
                return all([await listening(port) for port in hook_ports.values()])

            await wait_for(both_listening, STARTUP_SECONDS)
            users = [api.user(880 + number, f"Khách {number}") for number in range(6)]
            for user in users:
                await api.send_command(user, "/start")
            for user in users:
                [reply] = await api.wait_for_messages(user, timeout=30)
                assert UNREGISTERED in reply["text"]

            async def one_leader() -> bool:
                states = [await readyz(port) for port in health_ports.values()]
                return (
                    all(s and s["status"] == "ok" for s in states)
                    and sum(bool(s and s["leader"]) for s in states) == 1
                )

            await wait_for(one_leader, 30)
            states = {name: await readyz(port) for name, port in health_ports.items()}

    assert [len(api.sent_messages(user)) for user in users] == [1] * len(users)
    assert set(proxy.answered) == set(hook_ports.values()), proxy.answered
    assert sum(proxy.answered.values()) >= len(users)
    assert [c["url"] for c in api.calls_of("setWebhook")] == [public_url, public_url]
    leaders = [name for name, state in states.items() if state and state["leader"]]
    assert len(leaders) == 1, states
    assert api.pending_updates == 0
