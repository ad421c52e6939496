"""Scheduler glue: ``register(application)`` adds every job to PTB's JobQueue."""

from __future__ import annotations

from bot.context import DEPS_KEY, AnyApplication
from jobs import digest, drafts, menus, reminders
from services.clock import SystemClock


def register(application: AnyApplication) -> None:
    """Jobs for ``application``; periodic ones only on the system clock (see jobs.reminders)."""
    periodic = isinstance(application.bot_data[DEPS_KEY].clock, SystemClock)
    reminders.register(application, periodic=periodic)
    digest.register(application, periodic=periodic)
    drafts.register(application, periodic=periodic)
    menus.register(application, periodic=periodic)
