"""Wiring the durable inbox (services/inbox.py) into PTB.

PTB's Updater puts each fetched update on ``application.update_queue`` and only then
advances the getUpdates offset that confirms it to Telegram; its webhook handler puts the
update on the queue before answering 200. :class:`InboxQueue` stores the update in the
database inside ``put``, so both confirmations wait for the row. An update already stored
(received twice) is not queued again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update

from bot.context import Deps
from bot.handlers.errors import is_disk_full
from services.inbox import store_update

log = logging.getLogger(__name__)


class InboxQueue(asyncio.Queue[Any]):
    """The application's update queue; ``deps`` is set once the application is built."""

    def __init__(self) -> None:
        super().__init__()
        self.deps: Deps | None = None

    async def put(self, item: Any) -> None:
        if isinstance(item, Update) and self.deps is not None:
            deps = self.deps
            # Raising here leaves the update unconfirmed: polling fetches it again.
            try:
                async with deps.session_factory.begin() as session:
                    fresh = await store_update(
                        session,
                        item.update_id,
                        item.to_dict(),
                        deps.runtime.holder,
                        deps.clock.now(),
                    )
            except Exception as error:
                if not is_disk_full(error):
                    raise
                # Nothing can be stored: handle it anyway, so the sender hears that the disk
                # is full instead of an update Telegram offers again forever.
                log.error("disk full: update %s handled without the inbox", item.update_id)
                fresh = True
            if not fresh:
                log.info("update %s received again: not handled twice", item.update_id)
                return
        await super().put(item)

    async def put_recovered(self, item: Update) -> None:
        """An update already stored (left by a crash): queue it without storing again."""
        await super().put(item)
