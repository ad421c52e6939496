"""``nhacviec demo`` in a real browser: headless Chromium through Selenium and chromedriver.

The demo runs as its own process (``nhacviec demo --no-browser``), exactly as a person starts
it; the browser then plays the office, a unit head and the supervisor on the page. Without a
browser the test is skipped with the reason; on CI (``CI=true``) a missing browser fails.

``DEMO_SCREENSHOTS=docs`` also writes the screenshots the README shows.
"""

from __future__ import annotations

import os
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from tests.fakes.demo import running_demo

pytestmark = pytest.mark.e2e

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMEDRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
CLERK, SUPERVISOR, HEAD_INTERIOR, HEAD_FINANCE = 1002, 1003, 2001, 2002
WAIT = 30.0


def _first(paths: tuple[str, ...], name: str) -> str | None:
    found = [p for p in paths if os.access(p, os.X_OK)]
    return found[0] if found else shutil.which(name)


@pytest.fixture
def browser_paths() -> tuple[str, str]:
    chromium = _first(CHROMIUM, "chromium")
    driver = _first(CHROMEDRIVER, "chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:  # pragma: no cover - dev dependency
        driver = None
    if chromium is None or driver is None:
        reason = "Chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no browser: {reason}")
        pytest.skip(reason)
    return chromium, driver


@pytest.fixture
def demo_url(tmp_path: Path) -> Iterator[str]:
    with running_demo(tmp_path) as demo:
        yield demo.url


def _fetch(url: str | None) -> tuple[str, str, bytes]:
    """A download as the browser gets it: content type, disposition, body."""
    assert url is not None
    with urllib.request.urlopen(url, timeout=10) as response:
        return (
            response.headers.get_content_type(),
            response.headers.get("Content-Disposition", ""),
            response.read(),
        )


def test_demo_in_a_browser_from_dispatch_to_reminder(
    browser_paths: tuple[str, str], demo_url: str, tmp_path: Path
) -> None:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import WebDriverWait

    chromium, driver_path = browser_paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=2200,1200",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    shots = Path(os.environ.get("DEMO_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    wait = WebDriverWait(driver, WAIT, ignored_exceptions=[StaleElementReferenceException])

    def chat(person: int) -> WebElement:
        return driver.find_element(By.ID, f"chat-{person}")

    def bot_message(person: int, needle: str) -> WebElement:
        def found(_driver: Any) -> WebElement | bool:
            for box in chat(person).find_elements(By.CSS_SELECTOR, ".msg:not(.out)"):
                if needle in box.text:
                    return box
            return False

        return wait.until(found, f"«{needle}» in the chat of {person}")

    def button(person: int, label: str) -> WebElement:
        def found(_driver: Any) -> WebElement | bool:
            buttons = chat(person).find_elements(By.CSS_SELECTOR, ".keyboard button")
            matching = [b for b in buttons if b.text == label]
            return matching[-1] if matching else False

        return wait.until(found, f"button «{label}» in the chat of {person}")

    def write(person: int, text: str) -> None:
        box = chat(person).find_element(By.TAG_NAME, "textarea")
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    try:
        driver.get(demo_url)
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
        assert driver.find_element(By.ID, "clock").text.startswith("Thứ Hai")

        # The office sends the sample dispatch and confirms the draft.
        chat(CLERK).find_element(By.CSS_SELECTOR, '[data-sample="cong-van-mau.docx"]').click()
        bot_message(CLERK, "125/UBND-VP")
        driver.save_screenshot(str(shots / "demo-draft.png"))
        button(CLERK, texts.BUTTON_CONFIRM).click()
        bot_message(CLERK, "Đã giao việc")

        # A unit head gets the task and replies «xong» to it.
        task = bot_message(HEAD_INTERIOR, "Nhiệm vụ mới")
        task.find_element(By.CSS_SELECTOR, ".meta .act").click()
        write(HEAD_INTERIOR, "xong")
        bot_message(HEAD_INTERIOR, "hoàn thành")

        # The supervisor asks for the summary: text and chart.
        write(SUPERVISOR, "/tonghop")
        wait.until(lambda d: chat(SUPERVISOR).find_elements(By.CSS_SELECTOR, ".photo img"))
        image = chat(SUPERVISOR).find_element(By.CSS_SELECTOR, ".photo img")
        wait.until(lambda d: d.execute_script("return arguments[0].naturalWidth", image) > 100)
        driver.save_screenshot(str(shots / "demo-summary.png"))
        kind, _, body = _fetch(image.find_element(By.XPATH, "..").get_attribute("href"))
        assert kind == "image/png"
        assert body.startswith(b"\x89PNG")

        # The export downloads as a workbook.
        write(SUPERVISOR, "/xuat")
        link = wait.until(
            lambda d: [
                a
                for a in chat(SUPERVISOR).find_elements(By.CSS_SELECTOR, "a.doc")
                if (a.get_attribute("download") or "").endswith(".xlsx")
            ],
            "the workbook in the supervisor's chat",
        )[-1]
        _, disposition, body = _fetch(link.get_attribute("href"))
        assert body.startswith(b"PK")  # a zip: the .xlsx
        assert "attachment" in disposition

        # A week later: the overdue task of the finance department is reminded.
        driver.find_element(By.ID, "plus-week").click()
        bot_message(HEAD_FINANCE, "Quá hạn")
        driver.save_screenshot(str(shots / "demo-reminder.png"))
    finally:
        driver.quit()
