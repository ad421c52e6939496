"""Setting every registered person's command menu once, shortly after start."""

from __future__ import annotations

from bot.context import AnyApplication, AppContext
from bot.menus import sync_menus


async def sync_command_menus(context: AppContext) -> None:
    """People registered before the menus last changed get the current one (bot/menus.py)."""
    await sync_menus(context.application)


def register(application: AnyApplication, *, periodic: bool) -> None:
    # With a fixed clock (the tests) nothing runs by itself; tests call sync_menus directly.
    if periodic and application.job_queue is not None:
        application.job_queue.run_once(
            sync_command_menus,  # type: ignore[arg-type]
            when=5,
            name="sync_command_menus",
        )
