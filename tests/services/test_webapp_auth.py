"""Telegram's WebAppData check: signature over the sorted fields, and the age of auth_date."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from services.webapp_auth import sign_init_data, verify_init_data

TOKEN = "123456:" + "A" * 35
NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _fields(signed_at: datetime = NOW, user_id: int = 42) -> dict[str, str]:
    return {
        "query_id": "AAE1",
        "user": json.dumps({"id": user_id, "first_name": "An"}),
        "auth_date": str(int(signed_at.timestamp())),
    }


def test_signing_follows_telegrams_algorithm_written_out() -> None:
    fields = _fields()
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert dict(parse_qsl(sign_init_data(fields, TOKEN)))["hash"] == expected


def test_a_fresh_signed_init_data_names_its_user() -> None:
    assert verify_init_data(sign_init_data(_fields(), TOKEN), TOKEN, now=NOW, max_age=HOUR) == 42


def test_a_changed_field_breaks_the_signature() -> None:
    fields = dict(parse_qsl(sign_init_data(_fields(), TOKEN)))
    fields["user"] = json.dumps({"id": 43, "first_name": "An"})
    assert verify_init_data(urlencode(fields), TOKEN, now=NOW, max_age=HOUR) is None


def test_another_bots_token_is_refused() -> None:
    data = sign_init_data(_fields(), "654321:" + "B" * 35)
    assert verify_init_data(data, TOKEN, now=NOW, max_age=HOUR) is None


def test_init_data_older_than_the_max_age_is_refused() -> None:
    data = sign_init_data(_fields(NOW - HOUR - timedelta(seconds=1)), TOKEN)
    assert verify_init_data(data, TOKEN, now=NOW, max_age=HOUR) is None


def test_init_data_from_the_future_is_refused() -> None:
    data = sign_init_data(_fields(NOW + timedelta(minutes=5)), TOKEN)
    assert verify_init_data(data, TOKEN, now=NOW, max_age=HOUR) is None


def test_a_repeated_field_is_refused() -> None:
    data = sign_init_data(_fields(), TOKEN) + "&user=x"
    assert verify_init_data(data, TOKEN, now=NOW, max_age=HOUR) is None


def test_garbage_is_refused() -> None:
    assert verify_init_data("not a query", TOKEN, now=NOW, max_age=HOUR) is None
