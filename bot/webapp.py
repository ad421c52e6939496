"""The dashboard: a Telegram Mini App served by the bot process (aiohttp).

Every ``/api`` request carries Telegram's ``initData`` (``Authorization: tma <initData>``);
:func:`services.webapp_auth.verify_init_data` checks its signature and age, the Telegram user
must be a registered person, and the chat's access rules apply: the office sees every unit,
a unit's head or member only their unit (the scope is applied inside every query), anyone
else nothing. Nothing is kept between requests: no login, no cookie.

Reads call services.dashboard, which counts with the summaries service's own SQL; actions
call the very services the chat's buttons and commands call (decide_extension,
return_completion, set_deadline) and tell the unit the same words, so chat and page cannot
disagree. ``app[STATS]`` counts answered reads and changes (the tests' probes read it).
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from importlib import resources
from typing import Any, Protocol

from aiohttp import web

from bot import texts
from bot.context import Deps
from bot.notifier import deliver_claims
from models import Role
from services.assignments import AssignmentError, set_deadline
from services.audience import Event
from services.completions import (
    CompletionError,
    decide_extension,
    return_completion,
)
from services.dashboard import (
    Filters,
    dispatch_ref,
    dispatch_table,
    filter_choices,
    overdue_page,
    task_detail,
    trend,
    unit_table,
)
from services.deliveries import Claim
from services.notices import claim_notice
from services.people import Actor, find_actor
from services.summaries import Category, Counts
from services.webapp_auth import verify_init_data

log = logging.getLogger(__name__)

STATS = web.AppKey("stats", dict)
STATIC = resources.files("bot") / "webapp_static"


class Messenger(Protocol):
    """How the page's actions reach Telegram (the bot in production, a recorder in tests)."""

    async def deliver(self, claims: Sequence[Claim]) -> None:
        """Send ledger rows the page's action just claimed (services.notices)."""

    async def send_document(
        self, chat_id: int, data: bytes, filename: str, caption: str
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Viewer:
    actor: Actor
    scope_unit: int | None  # None: the office, every unit


class _Refused(web.HTTPException):
    def __init__(self, status: int, code: str) -> None:
        self.status_code = status
        super().__init__(text=json.dumps({"error": code}), content_type="application/json")


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(type(value))


def _answer(payload: Any) -> web.Response:
    return web.Response(
        text=json.dumps(payload, default=_json_default, ensure_ascii=False),
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _counts(counts: Counts) -> dict[str, int]:
    return {
        **{c.value: counts.of(c) for c in Category},
        "extended": counts.extended,
        "total": counts.total,
    }


def _int(query: Any, name: str) -> int | None:
    value = query.get(name) or None
    if value is None:
        return None
    if not value.isdigit():
        raise _Refused(400, "bad_" + name)
    return int(value)


def _day(query: Any, name: str) -> date | None:
    value = query.get(name) or None
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Refused(400, "bad_" + name) from None


def _filters(request: web.Request) -> Filters:
    query = request.query
    status = query.get("status") or None
    if status is not None and status not in {c.value for c in Category}:
        raise _Refused(400, "bad_status")
    return Filters(
        dispatch_id=_int(query, "dispatch"),
        unit_id=_int(query, "unit"),
        group_id=_int(query, "group"),
        category=Category(status) if status else None,
        due_from=_day(query, "from"),
        due_to=_day(query, "to"),
    )


def _window(request: web.Request) -> tuple[int, int]:
    return _int(request.query, "offset") or 0, _int(request.query, "limit") or 50


Handler = Callable[[web.Request, Viewer], Awaitable[web.Response]]


class Dashboard:
    def __init__(self, deps: Deps, bot_token: str, messenger: Messenger | None) -> None:
        self.deps = deps
        self.bot_token = bot_token
        self.messenger = messenger
        self.stats = {"reads": 0, "changes": 0, "refused": 0}

    # --- authentication ---------------------------------------------------------------------

    async def viewer(self, request: web.Request) -> Viewer:
        header = request.headers.get("Authorization", "")
        scheme, _, init_data = header.partition(" ")
        deps = self.deps
        user_id = None
        if scheme == "tma" and init_data:
            user_id = verify_init_data(
                init_data,
                self.bot_token,
                now=deps.clock.now(),
                max_age=timedelta(seconds=deps.settings.web_app_max_age_seconds),
            )
        if user_id is None:
            raise _Refused(401, "auth_failed")
        async with deps.session_factory() as session:
            actor = await find_actor(session, user_id)
        if actor is None:
            raise _Refused(403, "not_registered")
        if actor.is_office:
            return Viewer(actor, None)
        if actor.unit_id is None or actor.role not in (Role.HEAD, Role.MEMBER):
            raise _Refused(403, "not_registered")
        return Viewer(actor, actor.unit_id)

    def read(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def wrapper(request: web.Request) -> web.Response:
            try:
                viewer = await self.viewer(request)
                response = await handler(request, viewer)
            except _Refused:
                self.stats["refused"] += 1
                raise
            self.stats["reads"] += 1
            return response

        return wrapper

    def change(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def wrapper(request: web.Request) -> web.Response:
            try:
                viewer = await self.viewer(request)
                if not viewer.actor.is_office:
                    raise _Refused(403, "not_allowed")
                response = await handler(request, viewer)
            except _Refused:
                self.stats["refused"] += 1
                raise
            self.stats["changes"] += 1
            return response

        return wrapper

    # --- reads ------------------------------------------------------------------------------

    async def me(self, _request: web.Request, viewer: Viewer) -> web.Response:
        actor = viewer.actor
        return _answer(
            {
                "name": actor.name,
                "office": actor.is_office,
                "unit": actor.unit_name,
                "today": self.deps.today(),
            }
        )

    async def choices(self, _request: web.Request, viewer: Viewer) -> web.Response:
        async with self.deps.session_factory() as session:
            found = await filter_choices(session, scope_unit=viewer.scope_unit)
        return _answer(found)

    async def units(self, request: web.Request, viewer: Viewer) -> web.Response:
        offset, limit = _window(request)
        async with self.deps.session_factory() as session:
            table = await unit_table(
                session,
                today=self.deps.today(),
                filters=_filters(request),
                scope_unit=viewer.scope_unit,
                offset=offset,
                limit=limit,
            )
        return _answer(
            {
                "total": _counts(table.total),
                "total_rows": table.page.total_rows,
                "offset": table.page.offset,
                "rows": [
                    {"id": row.unit_id, "name": row.name, "counts": _counts(row.counts)}
                    for row in table.page.rows
                ],
            }
        )

    async def dispatches(self, request: web.Request, viewer: Viewer) -> web.Response:
        offset, limit = _window(request)
        async with self.deps.session_factory() as session:
            page = await dispatch_table(
                session,
                today=self.deps.today(),
                filters=_filters(request),
                scope_unit=viewer.scope_unit,
                offset=offset,
                limit=limit,
            )
        return _answer(
            {
                "total_rows": page.total_rows,
                "offset": page.offset,
                "rows": [
                    {
                        "id": row.dispatch_id,
                        "name": html.unescape(
                            texts.dispatch_title(row.kind, row.number, row.subject)
                        ),
                        "subject": row.subject,
                        "counts": _counts(row.counts),
                    }
                    for row in page.rows
                ],
            }
        )

    async def overdue(self, request: web.Request, viewer: Viewer) -> web.Response:
        offset, limit = _window(request)
        async with self.deps.session_factory() as session:
            page = await overdue_page(
                session,
                today=self.deps.today(),
                filters=_filters(request),
                scope_unit=viewer.scope_unit,
                offset=offset,
                limit=limit,
            )
        return _answer(
            {
                "total_rows": page.total_rows,
                "offset": page.offset,
                "rows": [
                    {
                        "id": row.task.assignment_id,
                        "unit": row.task.unit_name,
                        "ref": row.task.task_ref,
                        "text": row.task.task_text,
                        "dispatch": row.task.dispatch_number,
                        "due_on": row.task.due_on,
                        "days": row.days_overdue,
                        "heads": [head.name for head in row.heads],
                    }
                    for row in page.rows
                ],
            }
        )

    async def trend(self, request: web.Request, viewer: Viewer) -> web.Response:
        async with self.deps.session_factory() as session:
            points = await trend(
                session,
                today=self.deps.today(),
                filters=_filters(request),
                scope_unit=viewer.scope_unit,
            )
        return _answer({"rows": points})

    async def task(self, request: web.Request, viewer: Viewer) -> web.Response:
        assignment_id = _int(request.match_info, "id")
        assert assignment_id is not None
        async with self.deps.session_factory() as session:
            detail = await task_detail(
                session, assignment_id, today=self.deps.today(), scope_unit=viewer.scope_unit
            )
        if detail is None:
            raise _Refused(404, "not_found")
        history, tz = detail.history, self.deps.settings.timezone
        line = history.task
        return _answer(
            {
                "id": line.assignment_id,
                "unit": line.unit_name,
                "dispatch": html.unescape(
                    texts.dispatch_title(
                        line.dispatch_kind, line.dispatch_number, line.dispatch_subject
                    )
                ),
                "ref": line.task_ref,
                "text": line.task_text,
                "status": history.category,
                "done": line.status == "done",
                "due_on": line.due_on,
                "original_due_on": line.original_due_on if line.extended else None,
                "note": history.note,
                "events": [
                    {
                        "at": texts.local_time(event.at, tz),
                        "label": texts.EVENT_LABELS.get(event.kind, event.kind),
                        "who": event.actor_name,
                        "note": event.note,
                    }
                    for event in history.events
                ],
                "extensions": detail.extensions,
                "attachments": detail.attachments,
                "can_act": viewer.actor.is_office and history.dispatch_active,
            }
        )

    # --- actions: the chat's services, the chat's words --------------------------------------

    async def _body(self, request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise _Refused(400, "bad_body") from None
        if not isinstance(body, dict):
            raise _Refused(400, "bad_body")
        return body

    def _at(self, now: datetime) -> str:
        return texts.local_time(now, self.deps.settings.timezone)

    async def _tell(self, claims: Sequence[Claim]) -> None:
        """Send the notices claimed with the change (without a messenger, as in the
        benchmark, the reminder tick sends them: they are pending rows)."""
        if self.messenger is not None and claims:
            await self.messenger.deliver(claims)

    async def decide(self, request: web.Request, viewer: Viewer) -> web.Response:
        request_id = _int(request.match_info, "id")
        assert request_id is not None
        body = await self._body(request)
        approve = body.get("approve") is True
        deps, actor, now = self.deps, viewer.actor, self.deps.clock.now()
        try:
            async with deps.session_factory.begin() as session:
                decided = await decide_extension(
                    session,
                    request_id,
                    actor,
                    approve=approve,
                    now=now,
                    tz=deps.settings.timezone,
                    origin=actor.origin(),
                )
                info, at = decided.assignment, self._at(now)
                claims = await claim_notice(
                    session,
                    Event.EXTENSION_DECISION,
                    assignment_id=info.assignment_id,
                    unit_id=info.unit_id,
                    body=texts.extension_decision_to_unit(
                        info.task_ref, approve, info.due_on, info.original_due_on, at
                    ),
                    now=now,
                )
        except CompletionError as error:
            return _answer({"ok": False, "message": _plain(texts.flow_error(error.code))})
        await self._tell(claims)
        return _answer(
            {"ok": True, "message": texts.WEB_APP_DONE["approved" if approve else "rejected"]}
        )

    async def return_task(self, request: web.Request, viewer: Viewer) -> web.Response:
        assignment_id = _int(request.match_info, "id")
        assert assignment_id is not None
        body = await self._body(request)
        reason = str(body.get("reason") or "")[:1000] or None
        deps, actor, now = self.deps, viewer.actor, self.deps.clock.now()
        try:
            async with deps.session_factory.begin() as session:
                info = await return_completion(
                    session, assignment_id, actor, reason=reason, now=now, origin=actor.origin()
                )
                claims = await claim_notice(
                    session,
                    Event.RETURN,
                    assignment_id=assignment_id,
                    unit_id=info.unit_id,
                    body=texts.returned_to_unit(info.task_ref, reason, self._at(now)),
                    now=now,
                )
        except CompletionError as error:
            return _answer({"ok": False, "message": _plain(texts.flow_error(error.code))})
        await self._tell(claims)
        return _answer({"ok": True, "message": texts.WEB_APP_DONE["returned"]})

    async def deadline(self, request: web.Request, viewer: Viewer) -> web.Response:
        assignment_id = _int(request.match_info, "id")
        assert assignment_id is not None
        body = await self._body(request)
        try:
            on = date.fromisoformat(str(body.get("on")))
        except ValueError:
            return _answer({"ok": False, "message": texts.WEB_APP_BAD_DATE})
        deps, actor, now = self.deps, viewer.actor, self.deps.clock.now()
        try:
            async with deps.session_factory.begin() as session:
                moved = await set_deadline(
                    session, assignment_id, on, now=now, origin=actor.origin()
                )
                claims = await claim_notice(
                    session,
                    Event.DEADLINE_CHANGE,
                    assignment_id=assignment_id,
                    unit_id=moved.row.unit_id,
                    body=texts.deadline_moved_to_unit(moved),
                    now=now,
                )
        except AssignmentError as error:
            message = texts.HAN_ERRORS[error.code].format(id=assignment_id)
            return _answer({"ok": False, "message": message})
        await self._tell(claims)
        return _answer({"ok": True, "message": texts.WEB_APP_DONE["deadline"]})

    async def report(self, request: web.Request, viewer: Viewer) -> web.Response:
        """The /baocao document, sent to the supervisor's private chat (a Mini App cannot
        save a file by itself)."""
        from bot.handlers.report import render_report

        body = await self._body(request)
        dispatch = None
        dispatch_id = body.get("dispatch")
        today = self.deps.today()
        if dispatch_id is not None:
            if not isinstance(dispatch_id, int):
                raise _Refused(400, "bad_dispatch")
            async with self.deps.session_factory() as session:
                dispatch = await dispatch_ref(session, dispatch_id)
            if dispatch is None:
                raise _Refused(404, "not_found")
        data = await render_report(
            self.deps, viewer.actor, today=today, dispatch=dispatch, period=""
        )
        if data is None:
            return _answer({"ok": False, "message": texts.REPORT_EMPTY})
        if self.messenger is not None:
            await self.messenger.send_document(
                viewer.actor.telegram_user_id,
                data,
                texts.report_file_name(today),
                texts.report_caption(today),
            )
        return _answer({"ok": True, "message": texts.WEB_APP_REPORT_SENT})


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _index_html() -> str:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    labels = {**texts.WEB_APP_LABELS, "categories": texts.CATEGORY_LABELS}
    # "</" never appears inside the JSON, so it cannot close the script element.
    data = json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")
    return page.replace("{{TITLE}}", texts.WEB_APP_TITLE).replace("{{LABELS}}", data)


def build_web_app(deps: Deps, *, bot_token: str, messenger: Messenger | None) -> web.Application:
    dashboard = Dashboard(deps, bot_token, messenger)
    index = _index_html()
    static = {name: (STATIC / name).read_bytes() for name in ("app.js", "app.css")}
    security = {
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=index, content_type="text/html", headers=security)

    def asset(name: str, kind: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def serve(_request: web.Request) -> web.Response:
            return web.Response(body=static[name], content_type=kind, headers=security)

        return serve

    app = web.Application(client_max_size=64 * 1024)
    app[STATS] = dashboard.stats
    app.router.add_get("/", page)
    app.router.add_get("/app.js", asset("app.js", "application/javascript"))
    app.router.add_get("/app.css", asset("app.css", "text/css"))
    for path, handler in (
        ("/api/me", dashboard.me),
        ("/api/choices", dashboard.choices),
        ("/api/units", dashboard.units),
        ("/api/dispatches", dashboard.dispatches),
        ("/api/overdue", dashboard.overdue),
        ("/api/trend", dashboard.trend),
        ("/api/task/{id:\\d+}", dashboard.task),
    ):
        app.router.add_get(path, dashboard.read(handler))
    for path, handler in (
        ("/api/extension/{id:\\d+}", dashboard.decide),
        ("/api/assignment/{id:\\d+}/return", dashboard.return_task),
        ("/api/assignment/{id:\\d+}/deadline", dashboard.deadline),
        ("/api/report", dashboard.report),
    ):
        app.router.add_post(path, dashboard.change(handler))
    return app


async def start_web_app(
    deps: Deps, *, bot_token: str, messenger: Messenger | None
) -> web.AppRunner:
    """Serve the dashboard on WEB_APP_LISTEN:WEB_APP_PORT (behind the https reverse proxy)."""
    runner = web.AppRunner(
        build_web_app(deps, bot_token=bot_token, messenger=messenger), access_log=None
    )
    await runner.setup()
    settings = deps.settings
    await web.TCPSite(runner, settings.web_app_listen, settings.web_app_port).start()
    return runner


class BotMessenger:
    """The production messenger: the application's bot, through the notifier (paced, and
    429, 403 and migrated chats handled as for every ledger row)."""

    def __init__(self, bot: Any, deps: Deps) -> None:
        self.bot = bot
        self.deps = deps

    async def deliver(self, claims: Sequence[Claim]) -> None:
        await deliver_claims(self.bot, self.deps, claims)

    async def send_document(self, chat_id: int, data: bytes, filename: str, caption: str) -> None:
        await self.bot.send_document(chat_id, data, filename=filename, caption=caption)
