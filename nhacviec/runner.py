"""The bot process: polling or webhook, the scheduler lease, health checks, clean shutdown.

Several processes may share one database. Each renews or tries to take the scheduler lease
every third of ``LEADER_LEASE_SECONDS``; the holder runs the scheduled jobs and, in polling
mode, is the only one that polls (Telegram answers 409 to a second poller). In webhook mode
every process serves updates behind the reverse proxy; only the leader runs jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import urlparse

from aiohttp import web
from sqlalchemy import text
from telegram import Update

from bot import texts
from bot.context import DEPS_KEY, AnyApplication, Deps
from bot.inbox import InboxQueue
from bot.settings import Settings
from bot.webapp import BotMessenger, start_web_app
from models.db import create_engine
from nhacviec.app import build_application
from services.clock import Clock
from services.inbox import left_unhandled
from services.leadership import reclaim_lease, release_lease, take_lease

log = logging.getLogger(__name__)


def run_bot(settings: Settings) -> None:
    asyncio.run(serve(settings))


async def serve(
    settings: Settings,
    stop: asyncio.Event | None = None,
    *,
    clock: Clock | None = None,
    started: Callable[[AnyApplication], Awaitable[None]] | None = None,
) -> None:
    """Run until SIGINT/SIGTERM or ``stop``; ``clock`` replaces the system clock (the demo's)
    and ``started`` is awaited once the application runs, before it polls or serves."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    engine = create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    application = build_application(settings, engine, clock=clock)
    deps: Deps = application.bot_data[DEPS_KEY]
    deps.runtime.holder = settings.instance_name or f"{socket.gethostname()}:{os.getpid()}"
    await _reclaim_own_lease(deps)
    deps.runtime.leader = False
    health = await _start_health(settings, deps) if settings.health_port else None
    dashboard = None
    try:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            await _recover_inbox(application, deps)
            if settings.web_app_enabled:
                dashboard = await start_web_app(
                    deps,
                    bot_token=settings.require_token(),
                    messenger=BotMessenger(application.bot, deps),
                )
            if settings.webhook_url:
                # The path is a secret of its own: show only where the webhook listens.
                public = urlparse(settings.webhook_url)
                shown = f"{public.scheme}://{public.netloc}/…"
                print(texts.CLI_STARTING_WEBHOOK.format(url=shown), flush=True)
                await _start_webhook(application, settings)
            else:
                print(texts.CLI_STARTING_POLLING, flush=True)
            if started is not None:
                await started(application)
            await _lead_while_running(application, deps, stop)
            # A parse in progress must not hold the shutdown: its sender is told to resend.
            deps.runtime.parse_workers.kill_all()
            await _stop_updater(application)
            await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
    finally:
        if dashboard is not None:
            await dashboard.cleanup()
        if health is not None:
            await health.cleanup()
        await engine.dispose()


def dead_self(holder: str, host: str | None = None) -> bool:
    """``holder`` is this host's default name ("host:pid") for a process no longer running:
    the instance before a crash (without INSTANCE_NAME the pid is all that changed)."""
    prefix = f"{host or socket.gethostname()}:"
    if not holder.startswith(prefix) or not holder[len(prefix) :].isdigit():
        return False
    pid = int(holder[len(prefix) :])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


async def _reclaim_own_lease(deps: Deps) -> None:
    """Restarted after a crash: our own old lease is taken back now, not after it expires.
    (With INSTANCE_NAME the holder is the same name and is renewed as ours anyway.)"""
    ttl = timedelta(seconds=deps.settings.leader_lease_seconds)
    try:
        async with deps.session_factory.begin() as session:
            if await reclaim_lease(session, deps.runtime.holder, ttl, dead_self):
                log.info("took back the lease of this instance before its restart")
    except Exception:
        log.exception("could not check the lease at start-up")


async def _recover_inbox(application: AnyApplication, deps: Deps) -> None:
    """Handle what this instance received but did not finish before it stopped or died."""
    async with deps.session_factory.begin() as session:
        payloads = await left_unhandled(session, deps.runtime.holder, dead_self)
    queue = application.update_queue
    for payload in payloads:
        update = Update.de_json(payload, application.bot)
        if isinstance(queue, InboxQueue):
            await queue.put_recovered(update)
        else:
            await queue.put(update)
    if payloads:
        log.warning("handling %s updates left unhandled by the previous run", len(payloads))


async def _lead_while_running(application: AnyApplication, deps: Deps, stop: asyncio.Event) -> None:
    settings = deps.settings
    ttl = timedelta(seconds=settings.leader_lease_seconds)
    polling = not settings.webhook_url
    runtime = deps.runtime
    while not stop.is_set():
        try:
            async with deps.session_factory.begin() as session:
                # The database's clock, not this host's: skew cannot move a takeover.
                leader = await take_lease(session, runtime.holder, ttl)
        except Exception:  # the database is away: we cannot know, so we do not lead
            log.exception("scheduler lease check failed")
            leader = False
        if leader != runtime.leader:
            log.info("leadership %s", "taken" if leader else "lost")
            runtime.leader = leader
            if polling and leader:
                assert application.updater is not None
                await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            elif polling:
                await _stop_updater(application)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=settings.leader_lease_seconds / 3)
    if runtime.leader:
        async with deps.session_factory.begin() as session:
            await release_lease(session, runtime.holder)
        runtime.leader = False


async def _start_webhook(application: AnyApplication, settings: Settings) -> None:
    assert application.updater is not None
    assert settings.webhook_url is not None
    await application.updater.start_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlparse(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret,
        allowed_updates=Update.ALL_TYPES,
    )


async def _stop_updater(application: AnyApplication) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()


async def _start_health(settings: Settings, deps: Deps) -> web.AppRunner:
    async def database_ok() -> bool:
        try:
            async with deps.session_factory() as session:
                await session.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def body(ok: bool, database: bool) -> web.Response:
        runtime = deps.runtime
        payload = {
            "status": "ok" if ok else "unavailable",
            "database": database,
            "leader": runtime.leader,
            "instance": runtime.holder,
            "last_tick": runtime.last_tick.isoformat() if runtime.last_tick else None,
        }
        return web.Response(
            status=200 if ok else 503, text=json.dumps(payload), content_type="application/json"
        )

    async def healthz(_request: web.Request) -> web.Response:
        # Alive: the process answers. The database state is reported, not required.
        return body(True, await database_ok())

    async def readyz(_request: web.Request) -> web.Response:
        database = await database_ok()
        return body(database, database)

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.health_listen, settings.health_port).start()
    return runner
