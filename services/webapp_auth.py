"""Telegram Mini App authentication: checking the ``initData`` string the page sends.

Telegram signs ``initData`` with the bot token (the "WebAppData" algorithm): the secret key
is HMAC-SHA256(key="WebAppData", message=bot_token), and ``hash`` is HMAC-SHA256 of the other
fields as sorted ``key=value`` lines joined by newlines. A page is trusted only if the hash
matches and ``auth_date`` is recent; there is no other login and no session to keep.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode


def _secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign_init_data(fields: Mapping[str, str], bot_token: str) -> str:
    """``initData`` as Telegram builds it for ``fields`` (tests and benchmarks sign with it)."""
    digest = hmac.new(_secret(bot_token), _check_string(fields).encode(), hashlib.sha256)
    return urlencode({**fields, "hash": digest.hexdigest()})


def verify_init_data(
    init_data: str, bot_token: str, *, now: datetime, max_age: timedelta
) -> int | None:
    """The Telegram user id ``init_data`` vouches for, or None if it is forged or too old.

    An ``auth_date`` in the future by more than a minute (clock skew) is refused too.
    """
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs) or "hash" not in fields:
        return None
    expected = hmac.new(_secret(bot_token), _check_string(fields).encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), fields["hash"]):
        return None
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=UTC)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        return None
    if signed_at < now - max_age or signed_at > now + timedelta(minutes=1):
        return None
    return user_id
