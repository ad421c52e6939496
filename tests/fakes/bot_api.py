"""The local Bot API server under its test names; the one implementation is ``nhacviec.botapi``.

``FakeBotApi`` is :class:`nhacviec.botapi.server.LocalBotApi` and ``running_fake_bot_api`` is
:func:`nhacviec.botapi.server.running_local_bot_api`; see that module for the whole API.
"""

from nhacviec.botapi.server import (
    DEFAULT_TOKEN,
    ApiCall,
    ApiError,
    CallbackAnswer,
    Limit,
    RateLimits,
    SimChat,
    SimUser,
    StoredFile,
    UploadedFile,
    WebhookDelivery,
    inline_buttons,
    utc_from_timestamp,
)
from nhacviec.botapi.server import LocalBotApi as FakeBotApi
from nhacviec.botapi.server import running_local_bot_api as running_fake_bot_api

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "CallbackAnswer",
    "FakeBotApi",
    "Limit",
    "RateLimits",
    "SimChat",
    "SimUser",
    "StoredFile",
    "UploadedFile",
    "WebhookDelivery",
    "inline_buttons",
    "running_fake_bot_api",
    "utc_from_timestamp",
]
