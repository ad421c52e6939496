"""Settings from the environment and ``.env``, validated once at start-up.

Every problem is reported as a :class:`SettingsError` naming the variable, so the
CLI can stop with one clear line instead of a traceback.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from models.db import sqlite_url
from services.parse_worker import ParseLimits
from services.periods import RuleError, format_rule, parse_rule
from services.workdays import WorkingCalendar

TELEGRAM_API = "https://api.telegram.org/bot"
TELEGRAM_FILE_API = "https://api.telegram.org/file/bot"
_TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


class SettingsError(Exception):
    """A setting is missing or invalid. ``code`` selects the message shown to the operator."""

    def __init__(self, variable: str, code: str, value: str | None = None) -> None:
        super().__init__(f"{variable}: {code}")
        self.variable = variable
        self.code = code
        self.value = value


@dataclass(frozen=True, slots=True)
class Settings:
    telegram_bot_token: str | None
    telegram_base_url: str = TELEGRAM_API
    telegram_base_file_url: str = TELEGRAM_FILE_API
    data_dir: Path = Path("data")
    database_url: str = ""
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    admin_telegram_ids: frozenset[int] = frozenset()
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    db_pool_size: int = 10
    db_max_overflow: int = 10
    invite_ttl_days: int = 7
    draft_ttl_hours: int = 48
    max_file_mb: int = 20
    reminder_time: time = time(8, 0)
    reminder_offsets_days: tuple[int, ...] = (7, 3, 1, 0)
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    # The government's yearly decisions the holidays package does not know (dd/mm/yyyy).
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    quiet_start: time = time(20, 0)
    quiet_end: time = time(7, 0)
    overdue_every_days: int = 2
    overdue_max_reminders: int = 5
    escalate_after_days: int = 3
    catchup_hours: int = 24
    # The office's reporting rule (services.periods) offered for "định kỳ"/"thường xuyên"
    # tasks whose text names no period: monthly, due on the 19th (report before the 20th).
    default_reporting_rule: str = "month:19"
    tick_seconds: int = 60
    digest_cron: str = "0 8 * * mon"
    log_level: str = "INFO"
    log_json: bool = False
    leader_lease_seconds: int = 30
    health_port: int = 0
    health_listen: str = "127.0.0.1"
    instance_name: str | None = None
    # Updates of different chats handled at once (one chat's updates stay in order).
    max_concurrent_updates: int = 64
    # Limits on parsing one received file, in its own worker process.
    parse_timeout_seconds: int = 20
    parse_memory_mb: int = 300
    parse_max_unzipped_mb: int = 50
    parse_max_zip_parts: int = 500
    parse_max_pdf_pages: int = 300
    parse_max_chars: int = 1_000_000
    parse_max_items: int = 1000
    # A send Telegram did not confirm nor refuse (500, 502, reset): sent again this many
    # times, this many seconds later, marked «Nhắc lại».
    ambiguous_resends: int = 1
    ambiguous_resend_seconds: int = 300

    def parse_limits(self) -> ParseLimits:
        return ParseLimits(
            timeout_seconds=float(self.parse_timeout_seconds),
            memory_mb=self.parse_memory_mb,
            max_unzipped_mb=self.parse_max_unzipped_mb,
            max_zip_parts=self.parse_max_zip_parts,
            max_pdf_pages=self.parse_max_pdf_pages,
            max_chars=self.parse_max_chars,
            max_items=self.parse_max_items,
        )

    # The dashboard (Telegram Mini App): shown only when both the public URL and a port are set.
    web_app_url: str | None = None
    web_app_listen: str = "127.0.0.1"
    web_app_port: int = 0
    web_app_max_age_seconds: int = 3600
    # The official report's header and signature block (/baocao).
    report_issuer: str = ""
    report_place: str = ""
    report_signer_title: str = ""

    @property
    def web_app_enabled(self) -> bool:
        return self.web_app_url is not None and self.web_app_port > 0

    def calendar(self) -> WorkingCalendar:
        """The working calendar: WORKING_DAYS, Vietnam's holidays, EXTRA_DAYS_OFF and
        EXTRA_WORKING_DAYS."""
        return WorkingCalendar.build(
            self.working_days, self.extra_days_off, self.extra_working_days
        )

    def require_token(self) -> str:
        if not self.telegram_bot_token:
            raise SettingsError("TELEGRAM_BOT_TOKEN", "missing")
        return self.telegram_bot_token


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read settings: real environment first, then ``env_file``, then defaults."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return _parse(values)


# Reads one setting: the stripped value, or None when unset or blank.
Getter = Callable[[str], str | None]


def _parse(env: Mapping[str, str]) -> Settings:
    def get(name: str) -> str | None:
        value = env.get(name)
        return value.strip() if value is not None and value.strip() else None

    token = get("TELEGRAM_BOT_TOKEN")
    if token is not None and not _TOKEN_SHAPE.match(token):
        raise SettingsError("TELEGRAM_BOT_TOKEN", "bad_token")
    data_dir = Path(get("DATA_DIR") or "data")
    database_url = get("DATABASE_URL") or sqlite_url(data_dir.resolve() / "nhacviec.db")
    if not re.match(r"^(sqlite|postgres|postgresql)(\+\w+)?://", database_url):
        raise SettingsError("DATABASE_URL", "bad_database_url", database_url)
    return Settings(
        telegram_bot_token=token,
        telegram_base_url=_url(get, "TELEGRAM_BASE_URL", TELEGRAM_API),
        telegram_base_file_url=_url(get, "TELEGRAM_BASE_FILE_URL", TELEGRAM_FILE_API),
        data_dir=data_dir,
        database_url=database_url,
        timezone=_zone(get("TIMEZONE") or "Asia/Ho_Chi_Minh"),
        admin_telegram_ids=_ids(get("ADMIN_TELEGRAM_IDS")),
        webhook_url=_webhook_url(get, "WEBHOOK_URL"),
        webhook_listen=get("WEBHOOK_LISTEN") or "127.0.0.1",
        webhook_port=_int(get, "WEBHOOK_PORT", 8443, 1, 65535),
        webhook_secret=_webhook_secret(get("WEBHOOK_SECRET")),
        db_pool_size=_int(get, "DB_POOL_SIZE", 10, 1, 1000),
        db_max_overflow=_int(get, "DB_MAX_OVERFLOW", 10, 0, 1000),
        invite_ttl_days=_int(get, "INVITE_TTL_DAYS", 7, 1, 365),
        draft_ttl_hours=_int(get, "DRAFT_TTL_HOURS", 48, 1, 24 * 60),
        max_file_mb=_int(get, "MAX_FILE_MB", 20, 1, 2000),
        reminder_time=_time(get, "REMINDER_TIME", time(8, 0)),
        reminder_offsets_days=_offsets(get("REMINDER_OFFSETS_DAYS")),
        working_days=_weekdays(get("WORKING_DAYS")),
        extra_days_off=_dates(get, "EXTRA_DAYS_OFF"),
        extra_working_days=_dates(get, "EXTRA_WORKING_DAYS"),
        quiet_start=_quiet(get)[0],
        quiet_end=_quiet(get)[1],
        overdue_every_days=_int(get, "OVERDUE_EVERY_DAYS", 2, 1, 365),
        overdue_max_reminders=_int(get, "OVERDUE_MAX_REMINDERS", 5, 0, 1000),
        escalate_after_days=_int(get, "ESCALATE_AFTER_DAYS", 3, 0, 365),
        catchup_hours=_int(get, "CATCHUP_HOURS", 24, 0, 24 * 30),
        default_reporting_rule=_reporting_rule(get("DEFAULT_REPORTING_RULE") or "month:19"),
        tick_seconds=_int(get, "TICK_SECONDS", 60, 1, 3600),
        digest_cron=_cron(get("DIGEST_CRON") or "0 8 * * mon"),
        log_level=_choice(get, "LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
        log_json=_bool(get, "LOG_JSON", False),
        leader_lease_seconds=_int(get, "LEADER_LEASE_SECONDS", 30, 3, 3600),
        health_port=_int(get, "HEALTH_PORT", 0, 0, 65535),
        health_listen=get("HEALTH_LISTEN") or "127.0.0.1",
        instance_name=get("INSTANCE_NAME"),
        max_concurrent_updates=_int(get, "MAX_CONCURRENT_UPDATES", 64, 1, 10_000),
        parse_timeout_seconds=_int(get, "PARSE_TIMEOUT_SECONDS", 20, 1, 3600),
        parse_memory_mb=_int(get, "PARSE_MEMORY_MB", 300, 64, 64 * 1024),
        parse_max_unzipped_mb=_int(get, "PARSE_MAX_UNZIPPED_MB", 50, 1, 10_000),
        parse_max_zip_parts=_int(get, "PARSE_MAX_ZIP_PARTS", 500, 1, 1_000_000),
        parse_max_pdf_pages=_int(get, "PARSE_MAX_PDF_PAGES", 300, 1, 100_000),
        parse_max_chars=_int(get, "PARSE_MAX_CHARS", 1_000_000, 1000, 1_000_000_000),
        parse_max_items=_int(get, "PARSE_MAX_ITEMS", 1000, 1, 1_000_000),
        ambiguous_resends=_int(get, "AMBIGUOUS_RESENDS", 1, 0, 10),
        ambiguous_resend_seconds=_int(get, "AMBIGUOUS_RESEND_SECONDS", 300, 0, 24 * 3600),
        web_app_url=_web_app_url(get),
        web_app_listen=get("WEB_APP_LISTEN") or "127.0.0.1",
        web_app_port=_int(get, "WEB_APP_PORT", 0, 0, 65535),
        web_app_max_age_seconds=_int(get, "WEB_APP_MAX_AGE_SECONDS", 3600, 60, 7 * 24 * 3600),
        report_issuer=get("REPORT_ISSUER") or "",
        report_place=get("REPORT_PLACE") or "",
        report_signer_title=get("REPORT_SIGNER_TITLE") or "",
    )


def _url(get: Getter, name: str, default: str) -> str:
    value = get(name) or default
    if not re.match(r"^https?://\S+$", value):
        raise SettingsError(name, "bad_url", value)
    return value


def _webhook_url(get: Getter, name: str) -> str | None:
    """https, as Telegram demands; plain http only to this host (a reverse proxy beside the
    bot, or tests), where nothing crosses the network unencrypted."""
    value = get(name)
    if value is None:
        return None
    if not re.match(r"^https?://\S+$", value):
        raise SettingsError(name, "bad_url", value)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise SettingsError(name, "bad_url", value) from None
    if not parts.hostname:
        raise SettingsError(name, "bad_url", value)
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise SettingsError(name, "webhook_not_https", value)
    return value


def _web_app_url(get: Getter) -> str | None:
    """The dashboard's public address: https (Telegram opens Mini Apps over https only);
    http only to this host, for tests and a proxy beside the bot."""
    value = _webhook_url(get, "WEB_APP_URL")
    if value is not None and not value.endswith("/"):
        value += "/"
    return value


def _webhook_secret(value: str | None) -> str | None:
    # Telegram accepts 1-256 characters from A-Z, a-z, 0-9, "_" and "-" for secret_token;
    # anything else would make setWebhook fail only once the bot starts.
    if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
        raise SettingsError("WEBHOOK_SECRET", "bad_webhook_secret")
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback  # 127.0.0.0/8 or ::1


def _reporting_rule(value: str) -> str:
    try:
        return format_rule(parse_rule(value))
    except RuleError:
        raise SettingsError("DEFAULT_REPORTING_RULE", "bad_reporting_rule", value) from None


def _zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError("TIMEZONE", "bad_timezone", value) from None


def _ids(value: str | None) -> frozenset[int]:
    if not value:
        return frozenset()
    try:
        return frozenset(int(part) for part in re.split(r"[,\s]+", value) if part)
    except ValueError:
        raise SettingsError("ADMIN_TELEGRAM_IDS", "bad_ids", value) from None


def _int(get: Getter, name: str, default: int, low: int, high: int) -> int:
    value = get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(name, "bad_int", value) from None
    if not low <= number <= high:
        raise SettingsError(name, "bad_int", value)
    return number


def _bool(get: Getter, name: str, default: bool) -> bool:
    value = get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(name, "bad_bool", value)


def _choice(get: Getter, name: str, default: str, allowed: set[str]) -> str:
    value = (get(name) or default).upper()
    if value not in allowed:
        raise SettingsError(name, "bad_choice", value)
    return value


def _parse_time(name: str, value: str) -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise SettingsError(name, "bad_time", value)
    return time(int(match[1]), int(match[2]))


def _time(get: Getter, name: str, default: time) -> time:
    value = get(name)
    return default if value is None else _parse_time(name, value)


def _quiet(get: Getter) -> tuple[time, time]:
    value = get("QUIET_HOURS") or "20:00-07:00"
    parts = value.split("-")
    if len(parts) != 2:
        raise SettingsError("QUIET_HOURS", "bad_quiet_hours", value)
    return _parse_time("QUIET_HOURS", parts[0].strip()), _parse_time(
        "QUIET_HOURS", parts[1].strip()
    )


def _offsets(value: str | None) -> tuple[int, ...]:
    if value is None:
        return (7, 3, 1, 0)
    try:
        offsets = sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise SettingsError("REMINDER_OFFSETS_DAYS", "bad_offsets", value) from None
    if not offsets or any(o < 0 or o > 365 for o in offsets):
        raise SettingsError("REMINDER_OFFSETS_DAYS", "bad_offsets", value)
    return tuple(offsets)


def _weekdays(value: str | None) -> frozenset[int]:
    if value is None:
        return frozenset({0, 1, 2, 3, 4})
    days = set()
    for part in value.lower().split(","):
        part = part.strip()[:3]
        if part not in _WEEKDAYS:
            raise SettingsError("WORKING_DAYS", "bad_weekdays", value)
        days.add(_WEEKDAYS[part])
    return frozenset(days)


def _dates(get: Getter, name: str) -> frozenset[date]:
    """Comma-separated dates written as offices write them: 30/04/2027 (dd/mm/yyyy)."""
    value = get(name)
    if value is None:
        return frozenset()
    days = set()
    for part in value.split(","):
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", part.strip())
        if match is None:
            raise SettingsError(name, "bad_dates", value)
        try:
            days.add(date(int(match[3]), int(match[2]), int(match[1])))
        except ValueError:
            raise SettingsError(name, "bad_dates", value) from None
    return frozenset(days)


def _cron(value: str) -> str:
    # Validated by APScheduler's own parser, the one that will run it.
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(value)
    except ValueError:
        raise SettingsError("DIGEST_CRON", "bad_cron", value) from None
    return value
