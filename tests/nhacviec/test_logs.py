"""Logs: JSON lines carry the ids; the bot token never appears."""

from __future__ import annotations

import json
import logging

import pytest

from nhacviec.logs import JsonFormatter, _Redact

TOKEN = "7000000001:AAFakeTokenForNhacViecEndToEndTests00"


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("nhacviec", logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_json_lines_carry_the_ids() -> None:
    line = JsonFormatter().format(record("dispatch confirmed", dispatch_id=7, assignment_id=9))
    entry = json.loads(line)
    assert entry["msg"] == "dispatch confirmed"
    assert (entry["dispatch_id"], entry["assignment_id"]) == (7, 9)
    assert entry["level"] == "INFO"


@pytest.mark.parametrize(
    "rec",
    [
        record(f"HTTP Request: POST https://api.telegram.org/bot{TOKEN}/getUpdates"),
        record("calling %s", f"https://api.telegram.org/bot{TOKEN}/sendMessage"),
    ],
)
def test_the_token_is_redacted(rec: logging.LogRecord) -> None:
    assert _Redact().filter(rec)
    assert TOKEN not in rec.getMessage()
    assert "<token>" in rec.getMessage()
