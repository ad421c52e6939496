"""Settings: defaults, .env, and one clear error naming the variable."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest

from bot import texts
from bot.settings import SettingsError, load_settings

TOKEN = "123456:" + "A" * 35


def test_defaults_use_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"DATA_DIR": str(tmp_path)}, env_file=None)
    assert settings.telegram_bot_token is None
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path.resolve()}/nhacviec.db"
    assert settings.timezone.key == "Asia/Ho_Chi_Minh"
    assert settings.reminder_time == time(8, 0)
    assert settings.working_days == frozenset({0, 1, 2, 3, 4})


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_TELEGRAM_IDS=1, 2\nTIMEZONE=UTC\n")
    settings = load_settings({"TIMEZONE": "Asia/Bangkok"}, env_file=env_file)
    assert settings.telegram_bot_token == TOKEN
    assert settings.admin_telegram_ids == frozenset({1, 2})
    assert settings.timezone.key == "Asia/Bangkok"


def test_missing_token_is_reported_only_when_required() -> None:
    settings = load_settings({}, env_file=None)
    with pytest.raises(SettingsError) as error:
        settings.require_token()
    assert error.value.variable == "TELEGRAM_BOT_TOKEN"
    line = texts.settings_error(error.value.variable, error.value.code)
    assert "TELEGRAM_BOT_TOKEN" in line
    assert ".env" in line
    assert "@BotFather" in line


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("TIMEZONE", "Mars/Olympus"),
        ("ADMIN_TELEGRAM_IDS", "12,abc"),
        ("REMINDER_TIME", "25:00"),
        ("OVERDUE_EVERY_DAYS", "0"),
        ("QUIET_HOURS", "20:00"),
        ("WORKING_DAYS", "mon,funday"),
        ("DIGEST_CRON", "every monday"),
        ("DATABASE_URL", "mysql://x"),
        ("TELEGRAM_BASE_URL", "ftp://x"),
        ("LOG_JSON", "maybe"),
        ("EXTRA_DAYS_OFF", "31/02/2027"),
        ("EXTRA_WORKING_DAYS", "2027-02-13"),
        ("DEFAULT_REPORTING_RULE", "fortnight:19"),
        ("DEFAULT_REPORTING_RULE", "month:40"),
    ],
)
def test_invalid_value_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({variable: value}, env_file=None)
    assert error.value.variable == variable
    assert variable in texts.settings_error(error.value.variable, error.value.code, value)


def test_the_default_reporting_rule_is_monthly_before_the_20th_and_can_change() -> None:
    assert load_settings({}, env_file=None).default_reporting_rule == "month:19"
    settings = load_settings({"DEFAULT_REPORTING_RULE": " quarter:3:14 "}, env_file=None)
    assert settings.default_reporting_rule == "quarter:3:14"


def test_env_example_documents_every_variable() -> None:

    import bot.settings as module

    source = Path(module.__file__).read_text()
    used = set(re.findall(r'"([A-Z][A-Z_]{2,})"', source)) - {"INFO", "DEBUG", "WARNING", "ERROR"}
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z_]+)=", example, re.MULTILINE))
    assert used <= documented, used - documented


@pytest.mark.parametrize(
    "url",
    [
        "https://bot.example.gov.vn/telegram/abc",
        "http://127.0.0.1:8443/telegram/abc",
        "http://127.1.2.3/hook",
        "http://localhost:8080/hook",
        "http://[::1]:8443/hook",
    ],
)
def test_webhook_url_is_https_or_plain_http_on_loopback(url: str) -> None:
    assert load_settings({"WEBHOOK_URL": url}, env_file=None).webhook_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://bot.example.gov.vn/telegram/abc",
        "http://10.0.0.5:8443/hook",
        "http://127.0.0.1.example.com/hook",
        "http://localhost.example.com/hook",
        "http://0.0.0.0:8443/hook",
        "ftp://127.0.0.1/hook",
        "https://",
        "http://127.0.0.1:port/hook",
    ],
)
def test_webhook_url_refuses_http_beyond_this_host(url: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"WEBHOOK_URL": url}, env_file=None)
    assert error.value.variable == "WEBHOOK_URL"
    line = texts.settings_error(error.value.variable, error.value.code, error.value.value)
    assert line.startswith("Lỗi cấu hình: WEBHOOK_URL")
    assert url in line


def test_a_public_http_webhook_asks_for_https() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"WEBHOOK_URL": "http://bot.example.gov.vn/telegram"}, env_file=None)
    assert error.value.code == "webhook_not_https"
    assert "https" in texts.settings_error(error.value.variable, error.value.code, "x")


@pytest.mark.parametrize("secret", ["có dấu", "a b", "x" * 257, "semi;colon"])
def test_a_webhook_secret_telegram_would_refuse_is_caught_at_start(secret: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"WEBHOOK_SECRET": secret}, env_file=None)
    assert error.value.variable == "WEBHOOK_SECRET"


def test_extra_days_are_read_as_day_month_year() -> None:
    settings = load_settings(
        {"EXTRA_DAYS_OFF": "02/01/2027,05/02/2027", "EXTRA_WORKING_DAYS": "13/02/2027"},
        env_file=None,
    )
    assert settings.extra_days_off == frozenset({date(2027, 1, 2), date(2027, 2, 5)})
    assert settings.extra_working_days == frozenset({date(2027, 2, 13)})


def test_the_bad_token_message_shows_a_token_the_check_accepts() -> None:
    line = texts.settings_error("TELEGRAM_BOT_TOKEN", "bad_token", "x")
    match = re.search(r"\d+:[^\s)]+", line)
    assert match is not None
    settings = load_settings({"TELEGRAM_BOT_TOKEN": match.group(0)}, env_file=None)
    assert settings.telegram_bot_token == match.group(0)


def test_the_dashboard_is_off_without_its_url_and_port() -> None:
    assert load_settings({"WEB_APP_PORT": "8090"}, env_file=None).web_app_enabled is False
    assert (
        load_settings({"WEB_APP_URL": "https://a.vn/app"}, env_file=None).web_app_enabled is False
    )


def test_the_dashboard_url_gets_a_trailing_slash_and_is_enabled_with_a_port() -> None:
    settings = load_settings(
        {"WEB_APP_URL": "https://bot.example.gov.vn/bang", "WEB_APP_PORT": "8090"}, env_file=None
    )
    assert settings.web_app_url == "https://bot.example.gov.vn/bang/"
    assert settings.web_app_enabled is True


def test_the_dashboard_url_must_be_https_off_this_host() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"WEB_APP_URL": "http://bot.example.gov.vn/"}, env_file=None)
    assert (error.value.variable, error.value.code) == ("WEB_APP_URL", "webhook_not_https")


def test_the_initdata_age_is_bounded() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"WEB_APP_MAX_AGE_SECONDS": "5"}, env_file=None)
    assert error.value.variable == "WEB_APP_MAX_AGE_SECONDS"
