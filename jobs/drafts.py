"""Closing dispatch drafts nobody confirmed within DRAFT_TTL_HOURS."""

from __future__ import annotations

import logging

from bot.context import DEPS_KEY, AnyApplication, AppContext, Deps
from services.drafts import expire_drafts

log = logging.getLogger(__name__)

EVERY_SECONDS = 15 * 60


async def expire_old_drafts(context: AppContext) -> None:
    """Edits already refuse an expired draft; this makes the status say so, for the record."""
    deps: Deps = context.application.bot_data[DEPS_KEY]
    if not deps.runtime.leader:
        return
    async with deps.session_factory.begin() as session:
        count = await expire_drafts(session, deps.clock.now())
    if count:
        log.info("%s unconfirmed drafts expired", count)


def register(application: AnyApplication, *, periodic: bool) -> None:
    if periodic and application.job_queue is not None:
        application.job_queue.run_repeating(
            expire_old_drafts,  # type: ignore[arg-type]
            interval=EVERY_SECONDS,
            first=60,
            name="expire_old_drafts",
        )
