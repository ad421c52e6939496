"""Starting the bot process: polling by default, webhook when WEBHOOK_URL is set."""

from __future__ import annotations

from urllib.parse import urlparse

from telegram import Update

from bot import texts
from bot.app import build_application
from models.db import create_engine
from nhacviec.settings import Settings


def run_bot(settings: Settings) -> None:
    engine = create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    application = build_application(settings, engine, dispose_engine=True)
    if settings.webhook_url:
        print(texts.CLI_STARTING_WEBHOOK.format(url=settings.webhook_url), flush=True)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlparse(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        print(texts.CLI_STARTING_POLLING, flush=True)
        application.run_polling(allowed_updates=Update.ALL_TYPES)
