"""Which old lease holder is this same instance before a crash."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from nhacviec.runner import dead_self


def test_a_dead_process_of_this_host_is_ourselves_before_the_crash() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert dead_self(f"{socket.gethostname()}:{process.pid}")


def test_a_live_process_another_host_or_a_name_is_not() -> None:
    host = socket.gethostname()
    assert not dead_self(f"{host}:{os.getpid()}")
    assert not dead_self(f"{host}:1")  # init is alive
    assert not dead_self("another-host:999999")
    assert not dead_self("nhacviec-1")
