"""Where the dashboard is offered: the menu button and /tonghop's button, only when configured."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import texts
from bot.settings import Settings
from models import Role
from models.db import create_session_factory
from nhacviec.app import build_application
from tests.e2e.conftest import BotHarness
from tests.e2e.test_summaries import seed
from tests.fakes import FixedClock, running_fake_bot_api
from tests.fakes.ptb import polling

pytestmark = pytest.mark.e2e

URL = "https://bot.example.gov.vn/bang/"


@pytest.fixture
async def configured(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The e2e harness with WEB_APP_URL and WEB_APP_PORT set."""
    clock = FixedClock()
    async with running_fake_bot_api(clock=clock) as api:
        settings = replace(
            Settings(telegram_bot_token=api.token),
            telegram_base_url=api.api_url,
            telegram_base_file_url=api.file_url,
            data_dir=tmp_path / "data",
            web_app_url=URL,
            web_app_port=8090,
        )
        app = build_application(settings, engine, clock=clock)
        async with polling(app):
            yield BotHarness(api, app, clock, settings, create_session_factory(engine))


def _web_app_buttons(message: dict[str, object]) -> list[dict[str, object]]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [b for row in markup.get("inline_keyboard", []) for b in row if "web_app" in b]


async def test_the_menu_button_opens_the_dashboard_when_configured(
    configured: BotHarness,
) -> None:
    assert configured.api.menu_button == {
        "type": "web_app",
        "text": texts.WEB_APP_MENU_BUTTON,
        "web_app": {"url": URL},
    }


async def test_no_menu_button_without_the_settings(bot: BotHarness) -> None:
    assert bot.api.calls_of("setChatMenuButton") == []


async def test_tonghop_offers_the_dashboard_to_the_office(configured: BotHarness) -> None:
    await seed(configured)
    office = await configured.register(100, Role.SUPERVISOR)
    sent = await configured.api.send_command(office, "/tonghop")
    report, _chart = await configured.api.wait_for_messages(office, count=2, after=sent)
    [button] = _web_app_buttons(report)
    assert button == {"text": texts.WEB_APP_BUTTON, "web_app": {"url": URL}}


async def test_tonghop_offers_the_dashboard_to_a_unit_head(configured: BotHarness) -> None:
    noi_vu, _ = await seed(configured)
    head = await configured.register(300, Role.HEAD, noi_vu)
    sent = await configured.api.send_command(head, "/tonghop")
    [report] = await configured.api.wait_for_messages(head, after=sent)
    assert len(_web_app_buttons(report)) == 1


async def test_tonghop_does_not_offer_it_to_a_member(configured: BotHarness) -> None:
    noi_vu, _ = await seed(configured)
    member = await configured.register(200, Role.MEMBER, noi_vu)
    sent = await configured.api.send_command(member, "/tonghop")
    [report] = await configured.api.wait_for_messages(member, after=sent)
    assert _web_app_buttons(report) == []


async def test_tonghop_says_nothing_of_it_without_the_settings(bot: BotHarness) -> None:
    await seed(bot)
    office = await bot.register(100, Role.SUPERVISOR)
    sent = await bot.api.send_command(office, "/tonghop")
    report, _chart = await bot.api.wait_for_messages(office, count=2, after=sent)
    assert _web_app_buttons(report) == []
    assert "bảng theo dõi" not in report["text"].lower()
