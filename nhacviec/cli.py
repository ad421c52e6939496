"""The ``nhacviec`` command: run the bot, migrate the database, parse a dispatch."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot import texts
from nhacviec.settings import Settings, SettingsError, load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nhacviec",
        description="Nhắc Việc: bot Telegram theo dõi nhiệm vụ từ công văn.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    run = commands.add_parser("run", help="cập nhật CSDL rồi chạy bot (long polling/webhook)")
    run.set_defaults(handler=_run)

    db = commands.add_parser("db", help="quản lý cơ sở dữ liệu")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="LỆNH")
    upgrade = db_commands.add_parser("upgrade", help="tạo/cập nhật lược đồ CSDL")
    upgrade.set_defaults(handler=_db_upgrade)

    parse = commands.add_parser("parse", help="đọc một công văn và in các nhiệm vụ")
    parse.add_argument("file", help="tệp .txt, .md, .docx, .pdf")
    parse.add_argument("--json", action="store_true", help="in JSON theo SCHEMA.md")
    parse.set_defaults(handler=_parse)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # PTB 22: durations (RetryAfter.retry_after) as timedelta, the coming default.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except SettingsError as error:
        print(texts.settings_error(error.variable, error.code, error.value), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _settings() -> Settings:
    settings = load_settings()
    from nhacviec.logs import configure_logging

    configure_logging(settings.log_level, settings.log_json)
    return settings


def _db_upgrade(args: argparse.Namespace) -> int:
    settings = _settings()
    if not _upgrade(settings):
        return 1
    print(texts.CLI_DB_UPGRADED)
    return 0


def _upgrade(settings: Settings) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from models.migrate import upgrade

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        upgrade(settings.database_url)
    except (SQLAlchemyError, OSError) as error:
        url = make_url(settings.database_url).render_as_string(hide_password=True)
        print(texts.CLI_DB_FAILED.format(url=url, error=error), file=sys.stderr)
        return False
    return True


def _run(args: argparse.Namespace) -> int:
    settings = _settings()
    settings.require_token()
    if not _upgrade(settings):
        return 1
    from nhacviec.runner import run_bot

    run_bot(settings)
    return 0


def _parse(args: argparse.Namespace) -> int:
    from ingest.cli import run_parse

    return run_parse(args.file, args.json, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
