"""The ``nhacviec`` command: run the bot, migrate the database, parse a dispatch."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import texts
from models import Role
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

    units = commands.add_parser("units", help="danh sách đơn vị")
    unit_commands = units.add_subparsers(dest="units_command", required=True, metavar="LỆNH")
    unit_import = unit_commands.add_parser("import", help="nhập đơn vị từ tệp CSV")
    unit_import.add_argument("file", help="CSV: name,aliases,groups (ngăn cách bằng |)")
    unit_import.set_defaults(handler=_units_import)
    unit_export = unit_commands.add_parser("export", help="xuất đơn vị ra CSV (stdout)")
    unit_export.set_defaults(handler=_units_export)
    unit_list = unit_commands.add_parser("list", help="liệt kê đơn vị")
    unit_list.set_defaults(handler=_units_list)
    unit_match = unit_commands.add_parser("match", help="xem một tên đơn vị khớp với đâu")
    unit_match.add_argument("name", help="tên đơn vị như trong văn bản")
    unit_match.add_argument("--json", action="store_true", help="in JSON")
    unit_match.set_defaults(handler=_units_match)

    calendar = commands.add_parser(
        "calendar", help="in các ngày nghỉ (lễ, Tết, nghỉ bù, cuối tuần) bot dùng trong năm"
    )
    calendar.add_argument(
        "year",
        nargs="?",
        type=_year,
        metavar="NĂM",
        help="năm, ví dụ 2027 (mặc định: năm nay theo TIMEZONE)",
    )
    calendar.set_defaults(handler=_calendar)

    invite = commands.add_parser("invite", help="tạo link mời đăng ký")
    invite.add_argument("--unit", help="tên đơn vị (bắt buộc với head/member)")
    invite.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help="vai trò người được mời"
    )
    invite.set_defaults(handler=_invite)

    demo = commands.add_parser("demo", help=texts.CLI_HELP_DEMO)
    demo.add_argument("--keep", action="store_true", help=texts.CLI_HELP_DEMO_KEEP)
    demo.add_argument("--dir", type=Path, default=Path("data/demo"), help=texts.CLI_HELP_DEMO_DIR)
    demo.add_argument("--port", type=int, default=8765, help=texts.CLI_HELP_DEMO_PORT)
    demo.add_argument("--no-browser", action="store_true", help=texts.CLI_HELP_DEMO_NO_BROWSER)
    demo.add_argument(
        "--exit-after", type=float, metavar="GIÂY", help=texts.CLI_HELP_DEMO_EXIT_AFTER
    )
    demo.set_defaults(handler=_demo)
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
    except BrokenPipeError:  # output piped into `head` and the like
        return 0


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


def _units_import(args: argparse.Namespace) -> int:
    from nhacviec import admin

    try:
        data = Path(args.file).read_bytes()
    except OSError:
        print(texts.CLI_FILE_NOT_FOUND.format(path=args.file), file=sys.stderr)
        return 2
    return asyncio.run(admin.units_import(_migrated(), data, sys.stdout, sys.stderr))


def _units_export(args: argparse.Namespace) -> int:
    from nhacviec import admin

    return asyncio.run(admin.units_export(_migrated(), sys.stdout))


def _units_list(args: argparse.Namespace) -> int:
    from nhacviec import admin

    return asyncio.run(admin.units_list(_migrated(), sys.stdout))


def _units_match(args: argparse.Namespace) -> int:
    from nhacviec import admin

    return asyncio.run(admin.units_match(_migrated(), args.name, args.json, sys.stdout))


def _year(value: str) -> int:
    if not value.isdigit() or not 1995 <= int(value) <= 2100:
        raise argparse.ArgumentTypeError(texts.CLI_CALENDAR_BAD_YEAR.format(value=value))
    return int(value)


def _calendar(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from nhacviec.calendar_report import calendar_report

    settings = load_settings()
    year = args.year or datetime.now(UTC).astimezone(settings.timezone).year
    print(calendar_report(settings.calendar(), year))
    return 0


def _invite(args: argparse.Namespace) -> int:
    from nhacviec import admin

    settings = _migrated()
    return asyncio.run(admin.invite(settings, args.unit, Role(args.role), sys.stdout, sys.stderr))


def _demo(args: argparse.Namespace) -> int:
    from nhacviec.demo.app import Options, run_demo
    from nhacviec.logs import configure_logging

    configure_logging("WARNING", False)
    options = Options(
        folder=args.dir,
        keep=args.keep,
        port=args.port,
        open_browser=not args.no_browser,
        exit_after=args.exit_after,
    )
    return run_demo(options, _upgrade)


def _migrated() -> Settings:
    """Settings, with the database brought up to date first (the commands need the schema)."""
    settings = _settings()
    if not _upgrade(settings):
        raise SystemExit(1)
    return settings


if __name__ == "__main__":
    sys.exit(main())
