"""Test doubles: the local fake Telegram Bot API server and a fixed clock.

See ``tests.fakes.bot_api`` for the full helper API and ``tests.fakes.ptb`` for PTB glue.

    from tests.fakes import FixedClock, running_fake_bot_api
    from tests.fakes.ptb import application_builder, polling

    async with running_fake_bot_api(clock=FixedClock()) as server:
        app = application_builder(server).build()
        ...
"""

from tests.fakes.bot_api import (
    DEFAULT_TOKEN,
    ApiCall,
    ApiError,
    CallbackAnswer,
    FakeBotApi,
    Limit,
    RateLimits,
    SimChat,
    SimUser,
    StoredFile,
    UploadedFile,
    WebhookDelivery,
    inline_buttons,
    running_fake_bot_api,
)
from tests.fakes.clock import FixedClock

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "CallbackAnswer",
    "FakeBotApi",
    "FixedClock",
    "Limit",
    "RateLimits",
    "SimChat",
    "SimUser",
    "StoredFile",
    "UploadedFile",
    "WebhookDelivery",
    "inline_buttons",
    "running_fake_bot_api",
]
