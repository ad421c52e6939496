"""PTB glue for the fake Bot API: a pre-pointed ApplicationBuilder and a polling context.

    async with running_fake_bot_api() as server:
        app = application_builder(server).build()
        app.add_handler(CommandHandler("start", start_command))
        async with polling(app):
            await server.send_command(server.user(1, "An"), "/start")
            await server.wait_for_messages(1)

``polling`` runs ``initialize``/``start``/``start_polling`` and undoes them in reverse on exit,
so every test shuts the bot down cleanly (no pending tasks, no leaked warnings).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Bot
from telegram.ext import Application, ApplicationBuilder

from tests.fakes.bot_api import FakeBotApi

__all__ = ["application_builder", "fake_bot", "polling"]


def application_builder(server: FakeBotApi) -> ApplicationBuilder:
    """An ``ApplicationBuilder`` with token and URLs pointing at ``server``."""
    return (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.api_url)
        .base_file_url(server.file_url)
    )


def fake_bot(server: FakeBotApi, **kwargs: Any) -> Bot:
    """A bare ``telegram.Bot`` talking to ``server`` (use ``async with bot:``)."""
    return Bot(server.token, base_url=server.api_url, base_file_url=server.file_url, **kwargs)


@asynccontextmanager
async def polling(app: Application, *, poll_timeout: float = 1.0) -> AsyncIterator[Application]:
    """Run ``app`` with long polling against the fake for the duration of the block."""
    if app.updater is None:
        raise ValueError("the application was built without an Updater")
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
