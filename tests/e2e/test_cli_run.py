"""``nhacviec run`` as a real process: refuses to start without a token, answers /start."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.fakes import running_fake_bot_api

COMMAND = [sys.executable, "-m", "nhacviec.cli", "run"]


def _env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(DATA_DIR=str(tmp_path / "data"), DATABASE_URL=database_url, **extra)
    return env


def test_run_without_token_names_the_variable(tmp_path: Path, database_url: str) -> None:
    result = subprocess.run(
        COMMAND,
        env=_env(tmp_path, database_url),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert ".env" in result.stderr
    assert "Traceback" not in result.stderr


async def test_run_answers_start_from_an_unregistered_user(
    tmp_path: Path, database_url: str
) -> None:
    async with running_fake_bot_api() as api:
        env = _env(
            tmp_path,
            database_url,
            TELEGRAM_BOT_TOKEN=api.token,
            TELEGRAM_BASE_URL=api.api_url,
            TELEGRAM_BASE_FILE_URL=api.file_url,
        )
        process = await asyncio.create_subprocess_exec(
            *COMMAND,
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await api.wait_for_call("getUpdates", timeout=60)
            stranger = api.user(777, "Khách")
            await api.send_command(stranger, "/start")
            [reply] = await api.wait_for_messages(stranger, timeout=30)
            assert "chưa được đăng ký" in reply["text"]
        finally:
            process.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        assert api.token.split(":")[1] not in stderr.decode()
