"""Running the demo: folder and state, seeding through real invites, the clock, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import pickle
import re
import shutil
import sys
import webbrowser
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from bot import texts
from bot.context import AnyApplication
from bot.settings import Settings
from jobs.digest import CHECK_JOB_NAME
from models.db import create_engine, create_session_factory, sqlite_url
from nhacviec.botapi.server import LocalBotApi, RateLimits, SimUser
from nhacviec.demo.clock import DemoClock
from nhacviec.demo.documents import build_pdf, build_plain_docx, pdf_lines
from services.events import Origin
from services.units import import_units

log = logging.getLogger(__name__)

DEMO_TOKEN = "7000000002:DemoNhacViecLocalBotApiOnly0000000"
BOT_USERNAME = "nhacviec_demo_bot"
# The jobs a jump of the clock runs at once (the reminder tick, the digest check, draft expiry).
PERIODIC_JOBS = frozenset({"send_due_reminders", CHECK_JOB_NAME, "expire_old_drafts"})
STATE_FILE = "demo.json"
CHATS_FILE = "chats.pickle"
# /moi takes these words for the roles of people.csv.
_INVITE_WORDS = {"supervisor": "theodoi", "head": "truong", "member": "canbo", "admin": "quantri"}
_CODE = re.compile(r"\?start=([A-Za-z0-9_-]+)")


def _has_invite(message: dict[str, Any]) -> bool:
    return _CODE.search(message.get("text", "")) is not None


SEED_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Person:
    """One chat of the page: a person of ``people.csv``."""

    id: int
    name: str
    role: str
    unit: str
    title: str

    def user(self) -> SimUser:
        return SimUser(self.id, self.name)


@dataclass(frozen=True, slots=True)
class Options:
    folder: Path
    keep: bool = False
    port: int = 8765
    open_browser: bool = True
    exit_after: float | None = None


@dataclass(frozen=True, slots=True)
class SampleFile:
    name: str
    mime_type: str
    data: bytes = field(repr=False)


def _data(name: str) -> str:
    return resources.files("nhacviec.demo").joinpath(name).read_text(encoding="utf-8")


def load_cast() -> list[Person]:
    lines = _data("people.csv").strip().splitlines()[1:]
    cast = []
    for line in lines:
        person_id, name, role, unit, title = line.split(",")
        cast.append(Person(int(person_id), name, role, unit, title))
    return cast


def start_moment(today: date, settings: Settings) -> datetime:
    """Where the demo clock starts: 08:30 of the first working Monday after ``today``.

    A Monday morning: the week's reminders and the weekly digest are due at 08:00, and
    «+1 tuần» lands on the next Monday morning, when both are due again.
    """
    calendar = settings.calendar()
    day = today + timedelta(days=1)
    while day.weekday() != 0 or not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(8, 30), settings.timezone).astimezone(UTC)


def sample_text(start: date) -> str:
    """The sample dispatch, issued on ``start``: deadlines 3, 7 and 10 days later.

    «trước ngày D» means the day before D, so each written date is the deadline plus one.
    """

    def written(days: int) -> str:
        return (start + timedelta(days=days + 1)).strftime("%d/%m/%Y")

    return _data("sample.txt").format(
        year=start.year,
        issued_day=f"{start.day:02d}",
        issued_month=f"{start.month:02d}",
        due_1=written(7),
        due_2=written(3),
        due_3=written(10),
    )


def sample_files(start: date) -> list[SampleFile]:
    text = sample_text(start)
    paragraphs = [block.strip() for block in text.split("\n\n") if block.strip()]
    return [
        SampleFile(
            "cong-van-mau.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            build_plain_docx(paragraphs),
        ),
        SampleFile("cong-van-mau.pdf", "application/pdf", build_pdf(pdf_lines(text))),
    ]


def demo_settings(folder: Path) -> Settings:
    """Production defaults, pointed at the demo folder; nothing from .env or the environment."""
    return replace(
        Settings(telegram_bot_token=DEMO_TOKEN),
        data_dir=folder / "data",
        database_url=sqlite_url(folder / "nhacviec.db"),
        admin_telegram_ids=frozenset(p.id for p in load_cast() if p.role == "admin"),
        log_level="WARNING",
    )


class Demo:
    """The embedded server, the clock and the cast; the page (``web``) drives it."""

    def __init__(
        self, options: Options, settings: Settings, clock: DemoClock, start_day: date
    ) -> None:
        self.options = options
        self.settings = settings
        self.clock = clock
        self.cast = load_cast()
        self.server = LocalBotApi(
            token=DEMO_TOKEN,
            bot_username=BOT_USERNAME,
            clock=clock,
            rate_limits=RateLimits(),
        )
        self.start_day = start_day  # the sample dispatch is issued that day
        self.samples: list[SampleFile] = []
        self.application: AnyApplication | None = None
        self.ready = asyncio.Event()
        self.failed: str | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def person(self, person_id: int) -> Person:
        for person in self.cast:
            if person.id == person_id:
                return person
        raise KeyError(person_id)

    def background(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- the clock ------------------------------------------------------------------------

    async def advance(self, step: timedelta) -> datetime:
        """Move the clock; then run the periodic jobs, so what is now due goes out at once."""
        moment = self.clock.advance(step)
        self.save_state()
        self.background(self.run_periodic_jobs())
        await self.server.touch()
        return moment

    async def run_periodic_jobs(self) -> None:
        application = self.application
        if application is None or application.job_queue is None:
            return
        for job in application.job_queue.jobs():
            if job.name in PERIODIC_JOBS:
                await job.run(application)

    # --- seeding --------------------------------------------------------------------------

    async def register_cast(self) -> None:
        """The admin starts the bot, invites everyone with /moi; each opens their invite."""
        admin, *others = self.cast
        server = self.server
        await self._ask(admin, "/start")
        for person in others:
            args = [_INVITE_WORDS[person.role]] + ([person.unit] if person.unit else [])
            # The admin also hears of each registration: the invite is the answer with a link.
            reply = await self._ask(admin, "/moi", *args, answer=_has_invite)
            found = _CODE.search(reply.get("text", ""))
            if found is None:
                raise RuntimeError(f"no invite in the bot's answer: {reply.get('text')!r}")
            await self._ask(person, "/start", found.group(1))
        await server.wait_until_delivered(timeout=SEED_TIMEOUT)

    async def _ask(
        self,
        person: Person,
        command: str,
        *args: str,
        answer: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        sent = await self.server.send_command(person.user(), command, *args)
        messages = await self.server.wait_for_messages(
            person.id, timeout=SEED_TIMEOUT, predicate=answer, after=sent["message_id"]
        )
        return messages[-1]

    async def import_units(self) -> None:
        engine = create_engine(self.settings.database_url)
        try:
            async with create_session_factory(engine).begin() as session:
                result = await import_units(
                    session, _data("units.csv"), now=self.clock.now(), origin=Origin()
                )
            if not result.ok:
                raise RuntimeError(f"the demo's units.csv does not import: {result.problems}")
        finally:
            await engine.dispose()

    # --- state kept by --keep ---------------------------------------------------------------

    def save_state(self) -> None:
        folder = self.options.folder
        state = {
            "offset_seconds": self.clock.offset.total_seconds(),
            "start_day": self.start_day.isoformat(),
            "seeded": self.ready.is_set(),
        }
        (folder / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")

    def save_chats(self) -> None:
        with (self.options.folder / CHATS_FILE).open("wb") as out:
            pickle.dump(self.server.snapshot(), out)

    def load_chats(self) -> None:
        path = self.options.folder / CHATS_FILE
        if path.exists():
            with path.open("rb") as source:
                self.server.restore(pickle.load(source))  # the demo wrote it

    # --- running ----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, seeded: bool) -> None:
        from nhacviec.demo.web import start_page
        from nhacviec.runner import serve

        self.samples = sample_files(self.start_day)
        if seeded:
            self.load_chats()
        else:
            await self.import_units()
        await self.server.start()
        page = await start_page(self, self.options.port)
        url = f"http://127.0.0.1:{page.port}/"
        print(texts.CLI_DEMO_READY.format(url=url, folder=self.options.folder), flush=True)
        if self.options.open_browser and _can_open_browser():
            with contextlib.suppress(webbrowser.Error):
                webbrowser.open(url)
        if self.options.exit_after is not None:
            asyncio.get_running_loop().call_later(self.options.exit_after, stop.set)

        async def started(application: AnyApplication) -> None:
            self.application = application
            self.background(self._seed(seeded))

        settings = replace(
            self.settings,
            telegram_base_url=self.server.api_url,
            telegram_base_file_url=self.server.file_url,
        )
        try:
            await serve(settings, stop, clock=self.clock, started=started)
        finally:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await page.runner.cleanup()
            self.save_state()
            self.save_chats()
            await self.server.stop()

    async def _seed(self, seeded: bool) -> None:
        try:
            if not seeded:
                await self.register_cast()
        except Exception as error:
            log.exception("the demo could not register its people")
            self.failed = str(error)
            await self.server.touch()
            return
        self.ready.set()
        self.save_state()
        await self.server.touch()


def _can_open_browser() -> bool:
    """Only where a browser can show up: a desktop session (never a console browser)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def read_state(folder: Path) -> dict[str, Any]:
    path = folder / STATE_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def run_demo(options: Options, upgrade: Callable[[Settings], bool]) -> int:
    """``nhacviec demo``: a fresh demo folder (or the kept one), then run until Ctrl-C."""
    folder = options.folder
    state = read_state(folder) if options.keep else {}
    seeded = bool(state.get("seeded"))
    if not seeded and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    settings = demo_settings(folder)
    if not upgrade(settings):
        return 1
    if seeded:
        clock = DemoClock(offset=timedelta(seconds=float(state.get("offset_seconds", 0))))
        start_day = date.fromisoformat(str(state["start_day"]))
    else:
        today = datetime.now(UTC).astimezone(settings.timezone).date()
        start = start_moment(today, settings)
        clock = DemoClock(start)
        start_day = start.astimezone(settings.timezone).date()
    demo = Demo(options, settings, clock, start_day)
    stop = asyncio.Event()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(demo.run(stop, seeded))
    print(texts.CLI_DEMO_STOPPED, flush=True)
    return 0
