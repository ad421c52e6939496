"""The application as it runs: the bot's handlers (bot.app) and its scheduled work (jobs).

Composed here, above both, so that bot/ never imports jobs/ (jobs send through bot/).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_bot_application
from bot.context import AnyApplication
from bot.settings import Settings
from jobs import register as register_jobs
from services.clock import Clock


def build_application(
    settings: Settings,
    engine: AsyncEngine,
    *,
    clock: Clock | None = None,
    dispose_engine: bool = False,
) -> AnyApplication:
    """The bot, ready to ``initialize()``; the caller owns the engine unless told otherwise."""
    application = build_bot_application(
        settings, engine, clock=clock, dispose_engine=dispose_engine
    )
    register_jobs(application)
    return application
