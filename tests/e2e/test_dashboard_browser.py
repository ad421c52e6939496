"""The dashboard in a real browser: headless Chromium, driven by Selenium over Debian's
chromedriver, against the bot's own web server and the fake Bot API.

A correctly signed initData sees /tonghop's figures; forged, expired and other-unit
initData see nothing and change nothing. Without a browser the tests are skipped with the
reason printed, except under CI=true, where a missing browser is a failure.
Set DASHBOARD_SCREENSHOTS=docs to write the screenshots the README shows.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot import texts
from bot.context import DEPS_KEY, Deps
from bot.webapp import STATS, BotMessenger, build_web_app
from models import Assignment, Event, ExtensionRequest, Role
from services.summaries import Category, status_summary
from services.webapp_auth import sign_init_data
from tests.e2e.conftest import BotHarness
from tests.e2e.test_summaries import TODAY, seed

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
THEME = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
    "link_color": "#6ab3f3",
}


def _missing_browser() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    reason = _missing_browser()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and no browser for the dashboard tests: {reason}")
        print(f"\nSKIP dashboard browser tests: {reason}")
        pytest.skip(f"no browser: {reason}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="nhacviec-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.page_load_strategy = "eager"  # telegram-web-app.js (async) is unreachable here
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=390,844",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--lang=vi",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.set_script_timeout(10)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Page:
    """The browser's blocking calls run in a thread, so the server keeps serving."""

    def __init__(self, driver: Any, base: str, app: web.Application) -> None:
        self.driver, self.base, self.app = driver, base, app

    async def run(self, call: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(call, *args)

    async def open(self, init_data: str) -> None:
        fragment = (
            f"tgWebAppData={quote(init_data)}&tgWebAppVersion=8.0"
            f"&tgWebAppThemeParams={quote(json.dumps(THEME))}"
        )
        await self.run(self.driver.get, "about:blank")
        await self.run(self.driver.get, f"{self.base}/#{fragment}")

    async def wait(self, script: str, seconds: float = 10) -> Any:
        from selenium.webdriver.support.ui import WebDriverWait

        def until() -> Any:
            return WebDriverWait(self.driver, seconds).until(lambda d: d.execute_script(script))

        return await self.run(until)

    async def js(self, script: str, *args: Any) -> Any:
        return await self.run(self.driver.execute_script, script, *args)

    async def probe(self, path: str, body: Any = None) -> int:
        """A request from inside the page with the page's own initData; its HTTP status."""
        script = """
            const [path, body, done] = arguments;
            fetch(path, {method: body === null ? "GET" : "POST",
                headers: {"Authorization": "tma " + initData(), "Content-Type": "application/json"},
                body: body === null ? undefined : JSON.stringify(body)})
              .then((r) => done(r.status), () => done(-1));
        """
        status: int = await self.run(self.driver.execute_async_script, script, path, body)
        return status

    async def screenshot(self, name: str) -> None:
        folder = os.environ.get("DASHBOARD_SCREENSHOTS")
        if folder:
            await self.run(self.driver.save_screenshot, str(Path(folder) / name))

    @property
    def stats(self) -> dict[str, int]:
        return dict(self.app[STATS])


@pytest.fixture
async def page(bot: BotHarness, driver: Any) -> AsyncIterator[Page]:
    deps: Deps = bot.app.bot_data[DEPS_KEY]
    app = build_web_app(deps, bot_token=bot.api.token, messenger=BotMessenger(bot.app.bot, deps))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield Page(driver, f"http://{host}:{port}", app)
    finally:
        await runner.cleanup()


def signed(bot: BotHarness, user_id: int, *, age: timedelta = timedelta(minutes=1)) -> str:
    signed_at = int((bot.clock.now() - age).timestamp())
    user = json.dumps({"id": user_id, "first_name": "Người", "language_code": "vi"})
    return sign_init_data(
        {"query_id": "AAE1", "user": user, "auth_date": str(signed_at)}, bot.api.token
    )


async def _changes(bot: BotHarness) -> tuple[int, int, tuple[Any, ...]]:
    async with bot.session_factory() as session:
        events = await session.scalar(select(func.count()).select_from(Event))
        requests = await session.scalar(
            select(func.count())
            .select_from(ExtensionRequest)
            .where(ExtensionRequest.status != "pending")
        )
        rows = tuple(
            await session.execute(
                select(Assignment.id, Assignment.status, Assignment.due_on).order_by(Assignment.id)
            )
        )
    return int(events or 0), int(requests or 0), rows


async def _pending_extension(bot: BotHarness, unit_id: int) -> tuple[int, int]:
    async with bot.session_factory.begin() as session:
        assignment_id = await session.scalar(
            select(Assignment.id).where(Assignment.unit_id == unit_id, Assignment.status == "open")
        )
        assert assignment_id is not None
        request = ExtensionRequest(
            assignment_id=assignment_id,
            proposed_on=date(2026, 1, 20),
            reason="Chờ số liệu",
            created_at=bot.clock.now(),
        )
        session.add(request)
        await session.flush()
        return assignment_id, request.id


async def test_a_supervisor_sees_the_tonghop_figures(bot: BotHarness, page: Page) -> None:
    await seed(bot)
    await bot.register(100, Role.SUPERVISOR, name="Trần Thị Giám Sát")
    await page.open(signed(bot, 100))
    await page.wait("return document.body.dataset.ready === '1'")
    cards = await page.js(
        "return Object.fromEntries([...document.querySelectorAll('#totals .card')]"
        ".map((c) => [c.dataset.cat, Number(c.querySelector('.num').textContent)]))"
    )
    units = await page.js(
        "return [...document.querySelectorAll('#units tbody tr')].map((tr) => "
        "[tr.cells[0].textContent, ...[...tr.cells].slice(1).map((td) => Number(td.textContent))])"
    )
    async with bot.session_factory() as session:
        summary = await status_summary(session, today=TODAY)
    assert cards == {
        "total": summary.total.total,
        **{c.value: summary.total.of(c) for c in Category},
        "extended": summary.total.extended,
    }
    assert units == [
        [row.name, row.counts.total, *(row.counts.of(c) for c in Category)]
        for row in summary.by_unit
    ]


async def test_the_figures_are_painted_within_a_second(bot: BotHarness, page: Page) -> None:
    await seed(bot)
    await bot.register(100, Role.SUPERVISOR)
    await page.open(signed(bot, 100))
    await page.wait("return document.body.dataset.ready === '1'")
    assert int(await page.js("return document.body.dataset.readyMs")) < 1000
    await page.screenshot("dashboard-units.png")


async def test_the_overdue_list_names_days_and_head(bot: BotHarness, page: Page) -> None:
    noi_vu, _ = await seed(bot)
    await bot.register(100, Role.SUPERVISOR)
    await bot.register(300, Role.HEAD, noi_vu, name="Lê Văn Trưởng")
    await page.open(signed(bot, 100))
    await page.wait("return document.body.dataset.ready === '1'")
    await page.js("document.querySelector('[data-tab=overdue]').click()")
    await page.wait("return document.querySelector('#overdue tbody tr') !== null")
    row = await page.js(
        "return [...document.querySelector('#overdue tbody tr').cells].map((td) => td.textContent)"
    )
    assert row[0] == "Sở Nội vụ thành phố Cần Thơ"
    assert row[2:] == ["02/01/2026", "3", "Lê Văn Trưởng"]
    await page.screenshot("dashboard-overdue.png")


async def test_a_supervisor_approves_an_extension_from_the_page(
    bot: BotHarness, page: Page
) -> None:
    _, tai_chinh = await seed(bot)
    await bot.register(100, Role.SUPERVISOR)
    head = await bot.register(301, Role.HEAD, tai_chinh)
    assignment_id, _ = await _pending_extension(bot, tai_chinh)
    await page.open(signed(bot, 100))
    await page.wait("return document.body.dataset.ready === '1'")
    await page.js(f"detail({assignment_id})")
    await page.wait("return document.querySelector('#detail[open] #approve') !== null")
    await page.screenshot("dashboard-task.png")
    await page.js("document.querySelector('#approve').click()")
    await page.wait("return document.querySelector('#detail[open]') === null")
    async with bot.session_factory() as session:
        assignment = await session.get(Assignment, assignment_id)
        kinds = list(await session.scalars(select(Event.kind)))
    assert assignment is not None
    assert assignment.due_on == date(2026, 1, 20)
    assert kinds == ["extension.approved"]
    [told] = await bot.api.wait_for_messages(head)
    assert "20/01/2026" in told["text"]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("forged", lambda bot: signed(bot, 100).replace("hash=", "hash=0")),
        ("expired", lambda bot: signed(bot, 100, age=timedelta(hours=2))),
        ("unregistered", lambda bot: signed(bot, 555)),
    ],
)
async def test_bad_initdata_sees_nothing_and_changes_nothing(
    bot: BotHarness, page: Page, name: str, make: Callable[[BotHarness], str]
) -> None:
    noi_vu, _ = await seed(bot)
    await bot.register(100, Role.SUPERVISOR)
    assignment_id, request_id = await _pending_extension(bot, noi_vu)
    before = await _changes(bot)
    await page.open(make(bot))
    await page.wait("return document.querySelector('#message').textContent.length > 20")
    assert await page.js("return document.querySelector('#main').hidden") is True
    assert await page.js("return document.querySelector('#units') === null") is True
    for path, body in (
        ("api/units", None),
        (f"api/task/{assignment_id}", None),
        (f"api/extension/{request_id}", {"approve": True}),
        (f"api/assignment/{assignment_id}/deadline", {"on": "2026-02-01"}),
        ("api/report", {}),
    ):
        assert await page.probe(path, body) in (401, 403), (name, path)
    assert page.stats["reads"] == 0
    assert page.stats["changes"] == 0
    assert await _changes(bot) == before
    assert bot.api.calls_of("sendDocument") == []


async def test_another_units_head_sees_only_their_unit(bot: BotHarness, page: Page) -> None:
    noi_vu, tai_chinh = await seed(bot)
    await bot.register(301, Role.HEAD, tai_chinh)
    other_assignment, request_id = await _pending_extension(bot, noi_vu)
    before = await _changes(bot)
    await page.open(signed(bot, 301))
    await page.wait("return document.body.dataset.ready === '1'")
    text = await page.js("return document.body.innerText")
    assert "Sở Tài chính thành phố Cần Thơ" in text
    assert "Nội vụ" not in text
    total = await page.js("return document.querySelector('[data-cat=total] .num').textContent")
    assert total == "1"
    assert await page.probe(f"api/task/{other_assignment}") == 404
    assert await page.probe(f"api/extension/{request_id}", {"approve": True}) == 403
    assert await page.probe(f"api/assignment/{other_assignment}/return", {}) == 403
    # Asking for the other unit by filter gives this unit's scope narrowed further: nothing.
    other = await page.run(
        page.driver.execute_async_script,
        "const [unit, done] = arguments;"
        "fetch('api/units?unit=' + unit, {headers: {Authorization: 'tma ' + initData()}})"
        ".then((r) => r.json()).then(done)",
        noi_vu,
    )
    assert other["total"]["total"] == 0
    assert other["rows"] == []
    assert page.stats["changes"] == 0
    assert await _changes(bot) == before


async def test_a_supervisor_returns_a_completion_from_the_page(bot: BotHarness, page: Page) -> None:
    noi_vu, _ = await seed(bot)
    await bot.register(100, Role.SUPERVISOR)
    head = await bot.register(300, Role.HEAD, noi_vu)
    async with bot.session_factory() as session:
        done_id = await session.scalar(select(Assignment.id).where(Assignment.status == "done"))
    await page.open(signed(bot, 100))
    await page.wait("return document.body.dataset.ready === '1'")
    await page.js(f"detail({done_id})")
    await page.wait("return document.querySelector('#detail[open] #return') !== null")
    await page.js(
        "document.querySelector('#detail input').value = 'Thiếu số liệu';"
        "document.querySelector('#return').click()"
    )
    await page.wait("return document.querySelector('#detail[open]') === null")
    async with bot.session_factory() as session:
        assignment = await session.get(Assignment, done_id)
        notes = list(
            await session.scalars(select(Event.note).where(Event.kind == "assignment.returned"))
        )
    assert assignment is not None
    assert assignment.status == "open"
    assert notes == ["Thiếu số liệu"]
    [told] = await bot.api.wait_for_messages(head)
    assert "Thiếu số liệu" in told["text"]


async def test_the_report_button_sends_the_baocao_document(bot: BotHarness, page: Page) -> None:
    await seed(bot)
    await bot.register(100, Role.SUPERVISOR)
    await page.open(signed(bot, 100))
    await page.wait("return document.body.dataset.ready === '1'")
    await page.js("document.querySelector('#report').click()")
    # The server answers after the document went out, and the page then says so.
    sent = json.dumps(texts.WEB_APP_REPORT_SENT)
    await page.wait(f"return document.querySelector('#message').textContent === {sent}")
    [call] = bot.api.calls_of("sendDocument")
    assert call["chat_id"] in (100, "100")
    assert call["document"].filename == "bao-cao-2026-01-05.docx"


async def test_a_unit_head_has_no_report_button(bot: BotHarness, page: Page) -> None:
    noi_vu, _ = await seed(bot)
    await bot.register(300, Role.HEAD, noi_vu)
    await page.open(signed(bot, 300))
    await page.wait("return document.body.dataset.ready === '1'")
    assert await page.js("return document.querySelector('#report').hidden") is True
    assert await page.probe("api/report", {}) == 403


async def test_a_supervisor_sets_a_deadline_from_the_page(bot: BotHarness, page: Page) -> None:
    _, tai_chinh = await seed(bot)
    await bot.register(100, Role.SUPERVISOR)
    async with bot.session_factory() as session:
        open_id = await session.scalar(select(Assignment.id).where(Assignment.unit_id == tai_chinh))
    await page.open(signed(bot, 100))
    await page.wait("return document.body.dataset.ready === '1'")
    await page.js(f"detail({open_id})")
    await page.wait("return document.querySelector('#detail[open] #deadline') !== null")
    await page.js(
        "document.querySelector('#detail input[type=date]').value = '2026-01-30';"
        "document.querySelector('#deadline').click()"
    )
    await page.wait("return document.querySelector('#detail[open]') === null")
    async with bot.session_factory() as session:
        assignment = await session.get(Assignment, open_id)
        kinds = list(await session.scalars(select(Event.kind)))
    assert assignment is not None
    assert assignment.due_on == date(2026, 1, 30)
    assert kinds == ["assignment.deadline_set"]
