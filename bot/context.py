"""The typed callback context: application dependencies and the registered actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.pacing import Pacer
from bot.settings import Settings
from services.clock import Clock
from services.parse_worker import ParseWorkers
from services.people import Actor
from services.workdays import WorkingCalendar


@dataclass(slots=True)
class Runtime:
    """What this process knows about itself, for jobs and health checks.

    ``leader`` is True for a lone process; with several processes on one database the
    runner keeps it in step with the scheduler lease, and scheduled jobs do nothing while
    it is False.
    """

    holder: str = "local"
    leader: bool = True
    last_tick: datetime | None = None
    # The parse worker processes of this process, killed at shutdown.
    parse_workers: ParseWorkers = field(default_factory=ParseWorkers)
    # The admins were told the disk is full (once per process).
    disk_full_reported: bool = False
    # Paces every message the bot sends on its own (bot.notifier): one per process, so the
    # tick and the handlers share Telegram's limits.
    pacer: Pacer = field(default_factory=Pacer)


@dataclass(frozen=True, slots=True)
class Deps:
    """Everything handlers and jobs need, created once at start-up."""

    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    clock: Clock
    runtime: Runtime = field(default_factory=Runtime)
    # Built from settings at start-up (Settings.calendar): weekdays, holidays, exceptions.
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    def today(self) -> date:
        """The calendar day it is now in TIMEZONE: the day deadlines are compared with."""
        return self.clock.now().astimezone(self.settings.timezone).date()

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.settings.timezone).date()


DEPS_KEY = "deps"

# The question waiting for a typed answer, one per person whatever the flow (bot.pending).
INPUT_KEY = "pending_input"
# The tasks a bare «xong» listed, waiting for the number of one.
BARE_INPUT_KEY = "reply_bare_done"
# What lives in the database (services/pending_input.py), not only in this process: the
# update processor loads these keys before each update and saves them after it, so any
# instance can take the typed answer.
DURABLE_KEYS = (INPUT_KEY, BARE_INPUT_KEY)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class AppContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """One per update; the access gate fills ``actor`` before any handler runs."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.actor: Actor | None = None

    @property
    def deps(self) -> Deps:
        deps: Deps = self.application.bot_data[DEPS_KEY]
        return deps


CONTEXT_TYPES = ContextTypes(context=AppContext)
