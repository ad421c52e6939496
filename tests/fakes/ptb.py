"""PTB glue for the fake Bot API: a pre-pointed ApplicationBuilder and a polling context.

    async with running_fake_bot_api() as server:
        app = application_builder(server).build()
        app.add_handler(CommandHandler("start", start_command))
        async with polling(app):
            await server.send_command(server.user(1, "An"), "/start")
            await server.wait_for_messages(1)

``polling`` runs the application the way ``run_polling`` does (including the post_init,
post_stop and post_shutdown hooks) and undoes it on exit, so every test shuts the bot down
cleanly (no pending tasks, no leaked warnings). ``webhook`` does the same the way
``run_webhook`` does: PTB's webhook server on a free loopback port, registered with
setWebhook, so the fake POSTs the updates to it::

        async with webhook(app, secret_token="s3cret") as url:
            ...
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder, ExtBot

from tests.fakes.bot_api import FakeBotApi

__all__ = ["application_builder", "fake_bot", "free_port", "polling", "webhook"]


def application_builder(server: FakeBotApi) -> ApplicationBuilder:
    """An ``ApplicationBuilder`` with token and URLs pointing at ``server``."""
    return (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.api_url)
        .base_file_url(server.file_url)
    )


def fake_bot(server: FakeBotApi, **kwargs: Any) -> ExtBot[None]:
    """A bot (``ExtBot``, so ``rate_limiter=`` works) talking to ``server``; ``async with`` it."""
    return ExtBot(server.token, base_url=server.api_url, base_file_url=server.file_url, **kwargs)


@asynccontextmanager
async def polling(
    app: Application, *, poll_timeout: float = 1.0, run_hooks: bool = True
) -> AsyncIterator[Application]:
    """Run ``app`` with long polling against the fake for the duration of the block.

    Mirrors ``Application.run_polling``: initialize, post_init, start_polling, start; on exit
    updater.stop, stop, post_stop, shutdown, post_shutdown (the hooks only with ``run_hooks``).
    """
    if app.updater is None:
        raise ValueError("the application was built without an Updater")
    await app.initialize()
    try:
        if run_hooks and app.post_init:
            await app.post_init(app)
        await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
        await app.start()
        yield app
    finally:
        await _stop(app, run_hooks=run_hooks)


async def _stop(app: Application, *, run_hooks: bool) -> None:
    """Undo a start by parts in reverse, as ``run_polling``/``run_webhook`` do on exit."""
    assert app.updater is not None
    try:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if run_hooks and app.post_stop:
            await app.post_stop(app)
    finally:
        await app.shutdown()
        if run_hooks and app.post_shutdown:
            await app.post_shutdown(app)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now (bind to it soon: nothing reserves it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def webhook(
    app: Application,
    *,
    port: int | None = None,
    url_path: str = "telegram",
    secret_token: str | None = None,
    run_hooks: bool = True,
) -> AsyncIterator[str]:
    """Run ``app`` in webhook mode for the duration of the block; yields the webhook URL.

    Mirrors ``Application.run_webhook``: initialize, post_init, start_webhook (PTB's server
    on 127.0.0.1:``port``, a free port if None, then setWebhook with ``secret_token``), start;
    undone on exit like ``polling``. The webhook stays set on the fake afterwards, as on
    Telegram.
    """
    if app.updater is None:
        raise ValueError("the application was built without an Updater")
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/{url_path}"
    await app.initialize()
    try:
        if run_hooks and app.post_init:
            await app.post_init(app)
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path=url_path,
            webhook_url=url,
            secret_token=secret_token,
        )
        await app.start()
        yield url
    finally:
        await _stop(app, run_hooks=run_hooks)
