"""The ``nhacviec`` command: run the bot, migrate the database, parse a dispatch."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bot import texts
from bot.settings import Settings, SettingsError, load_settings
from models import Role


@contextmanager
def _vietnamese_argparse() -> Iterator[None]:
    """argparse's own words («usage:», «show this help message and exit», its errors) in
    Vietnamese while the CLI builds and reads its arguments.

    argparse looks its words up through its module's gettext functions at the moment it
    uses them, and Python ships no Vietnamese catalogue for them; swapping the two functions
    for the time of the parse keeps any other parser in the process in English.
    """
    english, english_plural = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def word(message: str) -> str:
        return texts.ARGPARSE_WORDS.get(message, message)

    def plural(singular: str, many: str, count: int) -> str:
        return texts.ARGPARSE_PLURALS.get((singular, many), singular if count == 1 else many)

    setattr(argparse, "_", word)  # noqa: B010 - a private name typeshed does not list
    setattr(argparse, "ngettext", plural)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", english)  # noqa: B010
        setattr(argparse, "ngettext", english_plural)  # noqa: B010


def build_parser() -> argparse.ArgumentParser:
    helps = texts.CLI_HELP
    parser = argparse.ArgumentParser(prog="nhacviec", description=texts.CLI_DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, metavar=texts.CLI_COMMAND)

    run = commands.add_parser("run", help=helps["run"])
    run.set_defaults(handler=_run)

    db = commands.add_parser("db", help=helps["db"])
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar=texts.CLI_COMMAND)
    upgrade = db_commands.add_parser("upgrade", help=helps["db upgrade"])
    upgrade.set_defaults(handler=_db_upgrade)

    parse = commands.add_parser("parse", help=helps["parse"])
    parse.add_argument("file", metavar=texts.CLI_METAVARS["file"], help=helps["parse file"])
    parse.add_argument("--json", action="store_true", help=helps["parse --json"])
    parse.set_defaults(handler=_parse)

    units = commands.add_parser("units", help=helps["units"])
    unit_commands = units.add_subparsers(
        dest="units_command", required=True, metavar=texts.CLI_COMMAND
    )
    unit_import = unit_commands.add_parser("import", help=helps["units import"])
    unit_import.add_argument(
        "file", metavar=texts.CLI_METAVARS["file"], help=helps["units import file"]
    )
    unit_import.set_defaults(handler=_units_import)
    unit_export = unit_commands.add_parser("export", help=helps["units export"])
    unit_export.set_defaults(handler=_units_export)
    unit_list = unit_commands.add_parser("list", help=helps["units list"])
    unit_list.set_defaults(handler=_units_list)
    unit_match = unit_commands.add_parser("match", help=helps["units match"])
    unit_match.add_argument(
        "name", metavar=texts.CLI_METAVARS["name"], help=helps["units match name"]
    )
    unit_match.add_argument("--json", action="store_true", help=helps["units match --json"])
    unit_match.set_defaults(handler=_units_match)

    calendar = commands.add_parser("calendar", help=helps["calendar"])
    calendar.add_argument(
        "year",
        nargs="?",
        type=_year,
        metavar=texts.CLI_METAVARS["year"],
        help=helps["calendar year"],
    )
    calendar.set_defaults(handler=_calendar)

    invite = commands.add_parser("invite", help=helps["invite"])
    invite.add_argument("--unit", metavar=texts.CLI_METAVARS["unit"], help=helps["invite --unit"])
    invite.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help=helps["invite --role"]
    )
    invite.set_defaults(handler=_invite)

    demo = commands.add_parser("demo", help=texts.CLI_HELP_DEMO)
    demo.add_argument("--keep", action="store_true", help=texts.CLI_HELP_DEMO_KEEP)
    demo.add_argument("--dir", type=Path, default=Path("data/demo"), help=texts.CLI_HELP_DEMO_DIR)
    demo.add_argument("--port", type=int, default=8765, help=texts.CLI_HELP_DEMO_PORT)
    demo.add_argument("--no-browser", action="store_true", help=texts.CLI_HELP_DEMO_NO_BROWSER)
    demo.add_argument(
        "--exit-after",
        type=float,
        metavar=texts.CLI_METAVARS["seconds"],
        help=texts.CLI_HELP_DEMO_EXIT_AFTER,
    )
    demo.set_defaults(handler=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # PTB 22: durations (RetryAfter.retry_after) as timedelta, the coming default.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    with _vietnamese_argparse():
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
    from nhacviec.parse_report import run_parse

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
