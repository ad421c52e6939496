"""``nhacviec demo`` as a process, for the tests of the demo page.

    with running_demo(tmp_path) as demo:      # started, its people registered
        demo.post("/api/sample", {"chat": 1002, "name": "cong-van-mau.pdf"})
        draft = demo.bot_message(1002, "125/UBND-VP")

Waits are condition-based: the page address comes from the process's first line, and
``wait`` long-polls ``/api/state?since=VERSION``, which answers as soon as anything changes.
On exit the process gets SIGINT (Ctrl-C) and must stop cleanly, saying so.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot import texts
from tests.fakes.ptb import free_port

T = TypeVar("T")
_URL = re.compile(r"http://127\.0\.0\.1:\d+/")


@dataclass
class DemoProcess:
    url: str  # the page, ending in "/"
    process: subprocess.Popen[str]

    def get(self, path: str) -> dict[str, Any]:
        return self._request(path, None)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._request(path, json.dumps(body).encode())

    def upload(self, chat: int, filename: str, data: bytes, mime_type: str) -> dict[str, Any]:
        """What the page's «📎 Tệp» sends: multipart ``chat`` and ``file``."""
        boundary = "demo-test-boundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="chat"\r\n\r\n{chat}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: {mime_type}\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        content_type = f"multipart/form-data; boundary={boundary}"
        return self._request("/api/upload", body, content_type)

    def _request(
        self, path: str, data: bytes | None, content_type: str = "application/json"
    ) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url + path.lstrip("/"), data=data, headers={"Content-Type": content_type}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer: dict[str, Any] = json.load(response)
            return answer

    def wait(
        self, check: Callable[[dict[str, Any]], T | None], what: str, timeout: float = 30.0
    ) -> T:
        """The first value ``check(state)`` gives that is not None, state by state."""
        deadline = time.monotonic() + timeout
        version = -1
        while time.monotonic() < deadline:
            state = self.get(f"/api/state?since={version}")
            found = check(state)
            if found is not None:
                return found
            version = state["version"]
        raise AssertionError(f"timed out waiting for {what}")

    def bot_message(self, chat: int, needle: str) -> dict[str, Any]:
        """The bot's first message in ``chat`` (the person's id) whose text holds ``needle``."""

        def found(state: dict[str, Any]) -> dict[str, Any] | None:
            for message in state["chats"].get(str(chat), []):
                if message["from"]["is_bot"] and needle in message.get("text", ""):
                    return dict(message)
            return None

        return self.wait(found, f"«{needle}» in chat {chat}")


def _ready(state: dict[str, Any]) -> bool | None:
    if state["failed"]:
        raise AssertionError(f"the demo could not register its people: {state['failed']}")
    return True if state["ready"] else None


@contextmanager
def running_demo(folder: Path, *, exit_after: float = 300.0) -> Iterator[DemoProcess]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "nhacviec.cli", "demo", "--no-browser"),
            *("--port", str(free_port()), "--dir", str(folder / "demo")),
            *("--exit-after", str(exit_after)),
        ],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:  # the first line names the page once it listens
        lines.append(line)
        if found := _URL.search(line):
            break
    else:
        process.wait()
        raise AssertionError("the demo stopped before serving its page:\n" + "".join(lines))
    demo = DemoProcess(found.group(0), process)
    try:
        demo.wait(_ready, "the people to register")
        yield demo
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            rest, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            rest, _ = process.communicate()
            raise AssertionError("the demo did not stop on Ctrl-C:\n" + rest) from None
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert texts.CLI_DEMO_STOPPED in output, output
    assert "Traceback" not in output, output
