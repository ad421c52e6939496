"""The demo page: one chat per person, like Telegram, over the embedded Bot API server.

Routes (127.0.0.1 only)::

    GET  /                     the page (page.html, with the labels and the cast)
    GET  /api/state?since=N    long poll: the clock and every chat once the server's
                               version is above N (or after 20 s)
    POST /api/send             {"chat", "text", "reply_to"}: the person writes
    POST /api/press            {"chat", "message_id", "data"}: presses a button; answers
                               with the bot's callback answer
    POST /api/upload           multipart chat, reply_to, file: the person sends a file
    POST /api/sample           {"chat", "name"}: sends a sample dispatch
    POST /api/clock            {"days"}: moves the demo clock forward
    GET  /files/{file_id}      a file either side sent (photos inline, documents download)
    GET  /samples/{name}       a sample dispatch, to download
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot import texts
from nhacviec.demo.app import Demo

POLL_SECONDS = 20.0
MAX_STEP_DAYS = 31


@dataclass(frozen=True, slots=True)
class Page:
    runner: web.AppRunner
    port: int


def _page_html(demo: Demo) -> str:
    template = resources.files("nhacviec.demo").joinpath("page.html").read_text("utf-8")
    config = {
        "labels": texts.DEMO_PAGE,
        "cast": [{"id": p.id, "name": p.name, "title": p.title, "role": p.role} for p in demo.cast],
        "samples": [s.name for s in demo.samples],
        "bot": demo.server.bot_first_name,
    }
    # "</" cannot end the script element from inside the JSON.
    payload = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    return template.replace("/*DEMO_CONFIG*/{}", payload)


def _state(demo: Demo) -> dict[str, Any]:
    tz = demo.settings.timezone
    now = demo.clock.now()
    return {
        "version": demo.server.version,
        "ready": demo.ready.is_set(),
        "failed": demo.failed,
        "clock": texts.demo_clock(now.astimezone(tz)),
        "chats": {str(p.id): demo.server.history(p.id) for p in demo.cast},
    }


def build_app(demo: Demo) -> web.Application:
    html = _page_html(demo)
    server = demo.server

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    async def state(request: web.Request) -> web.Response:
        try:
            since = int(request.query.get("since", "-1"))
        except ValueError:
            since = -1
        await server.wait_for_change(since, POLL_SECONDS)
        return web.json_response(_state(demo))

    async def person_of(data: Any) -> Any:
        try:
            return demo.person(int(data["chat"]))
        except (KeyError, ValueError, TypeError):
            raise web.HTTPBadRequest(text="unknown chat") from None

    def reply_of(data: Any) -> int | None:
        value = data.get("reply_to")
        return int(value) if value not in (None, "", 0, "0") else None

    async def send(request: web.Request) -> web.Response:
        data = await request.json()
        person = await person_of(data)
        text = str(data.get("text", "")).strip()
        if not text:
            raise web.HTTPBadRequest(text="empty message")
        message = await server.send_text(person.user(), text, reply_to=reply_of(data))
        return web.json_response({"message_id": message["message_id"]})

    async def press(request: web.Request) -> web.Response:
        data = await request.json()
        person = await person_of(data)
        try:
            query_id = await server.press_button(
                person.user(), int(data["message_id"]), str(data["data"])
            )
        except AssertionError:  # the keyboard changed meanwhile
            raise web.HTTPConflict(text="no such button") from None
        try:
            answer = await server.wait_for_callback_answer(query_id, timeout=10.0)
        except AssertionError:
            return web.json_response({"text": None})
        return web.json_response({"text": answer.text, "alert": answer.show_alert})

    async def upload(request: web.Request) -> web.Response:
        form = await request.post()
        person = await person_of(form)
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise web.HTTPBadRequest(text="no file")
        body = upload.file.read()
        filename = upload.filename or "tep"
        message = None
        if (upload.content_type or "").startswith("image/"):
            # A picture goes as a photo, as Telegram's apps send it; one the server cannot
            # read goes as a file instead.
            with contextlib.suppress(AssertionError):
                message = await server.send_photo(person.user(), body, reply_to=reply_of(form))
        if message is None:
            message = await server.send_document(
                person.user(), filename, body, upload.content_type, reply_to=reply_of(form)
            )
        return web.json_response({"message_id": message["message_id"]})

    def sample_named(name: str) -> Any:
        for sample in demo.samples:
            if sample.name == name:
                return sample
        raise web.HTTPNotFound(text="no such sample")

    async def sample(request: web.Request) -> web.Response:
        data = await request.json()
        person = await person_of(data)
        chosen = sample_named(str(data.get("name")))
        message = await server.send_document(
            person.user(), chosen.name, chosen.data, chosen.mime_type
        )
        return web.json_response({"message_id": message["message_id"]})

    async def clock(request: web.Request) -> web.Response:
        data = await request.json()
        try:
            days = int(data["days"])
        except (KeyError, ValueError, TypeError):
            raise web.HTTPBadRequest(text="days") from None
        if not 1 <= days <= MAX_STEP_DAYS:
            raise web.HTTPBadRequest(text="days")
        moment = await demo.advance(timedelta(days=days))
        tz = demo.settings.timezone
        return web.json_response({"clock": texts.demo_clock(moment.astimezone(tz))})

    async def file(request: web.Request) -> web.Response:
        stored = server.stored_file(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        if stored.kind == "photo":
            return _download(stored.data, _picture_type(stored.data), None, inline=True)
        return _download(stored.data, stored.mime_type, stored.file_name, inline=False)

    async def sample_file(request: web.Request) -> web.Response:
        chosen = sample_named(request.match_info["name"])
        return _download(chosen.data, chosen.mime_type, chosen.name, inline=False)

    app = web.Application(client_max_size=25 * 1024 * 1024)
    app.router.add_get("/", page)
    app.router.add_get("/api/state", state)
    app.router.add_post("/api/send", send)
    app.router.add_post("/api/press", press)
    app.router.add_post("/api/upload", upload)
    app.router.add_post("/api/sample", sample)
    app.router.add_post("/api/clock", clock)
    app.router.add_get("/files/{file_id}", file)
    app.router.add_get("/samples/{name}", sample_file)
    return app


def _picture_type(data: bytes) -> str:
    """Photos are kept as the bot sent them (the charts are PNG)."""
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    return "application/octet-stream"


def _download(data: bytes, mime_type: str | None, name: str | None, inline: bool) -> web.Response:
    headers = {}
    if not inline:
        filename = quote(name or "tep")
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    content_type = (mime_type or "application/octet-stream").split(";")[0].strip()
    return web.Response(body=data, content_type=content_type, headers=headers)


async def start_page(demo: Demo, port: int) -> Page:
    """Serve the page on 127.0.0.1:``port`` (another free port if that one is taken)."""
    runner = web.AppRunner(build_app(demo), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    for candidate in (port, 0):
        try:
            await web.TCPSite(runner, "127.0.0.1", candidate).start()
            break
        except OSError:
            if candidate == 0:
                raise
    bound = runner.addresses[0][1]
    return Page(runner, int(bound))
