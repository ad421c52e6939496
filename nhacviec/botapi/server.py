"""A local, faithful Bot API server: the end-to-end tests' Telegram and ``nhacviec demo``'s.

The real PTB ``Application`` talks to it over real HTTP exactly as it talks to Telegram:
POST ``{base_url}/bot{token}/{method}`` with form or multipart data (JSON-encoded values inside
form fields), answers ``{"ok": true, "result": ...}`` or Telegram's error shapes, and files are
downloaded from GET ``{base_url}/file/bot{token}/{file_path}``. Dates are Unix seconds, users
carry ``is_bot``, callback queries carry ``chat_instance``. Simulated users drive the bot by
enqueueing real updates that the bot fetches with long polling (``getUpdates``) or, once it has
set a webhook, that the server POSTs to it (see "Webhooks" below).

It lives in the product because the demo (``nhacviec.demo``) runs the real bot against it with
no token and no network; ``tests.fakes.bot_api`` re-exports it under its test names
(``FakeBotApi``, ``running_fake_bot_api``).

Example (``tests.fakes.ptb`` holds the PTB glue used here)::

    from telegram.ext import CommandHandler
    from tests.fakes import FixedClock, running_local_bot_api
    from tests.fakes.ptb import application_builder, polling

    async def test_start_greets_user() -> None:
        async with running_local_bot_api(clock=FixedClock()) as server:
            # application_builder(server) is ApplicationBuilder().token(server.token)
            #   .base_url(f"{server.base_url}/bot").base_file_url(f"{server.base_url}/file/bot")
            app = application_builder(server).build()
            app.add_handler(CommandHandler("start", start_command))
            alice = server.user(111, "Alice", username="alice")
            async with polling(app):  # initialize, start, start_polling(timeout=1); undone on exit
                await server.send_command(alice, "/start")
                [menu] = await server.wait_for_messages(alice)
                query_id = await server.press_button(alice, menu, "a:done:17")
                answer = await server.wait_for_callback_answer(query_id)
            assert "Chào" in menu["text"] and answer.text == "Đã ghi nhận"

Constructor (all keyword-only; ``running_local_bot_api(**same)`` wraps start/stop)::

    LocalBotApi(*, token=DEFAULT_TOKEN, bot_username="nhacviec_test_bot",
               bot_first_name="Nhắc Việc", rate_limits=RateLimits(), clock=None,
               monotonic=time.monotonic, strict_chats=False, host="127.0.0.1", port=0,
               webhook_backoff=0.05, webhook_max_backoff=1.0, webhook_max_attempts=20)
    server.base_url / server.api_url (base_url + "/bot") / server.file_url / server.token
    server.bot_id / server.bot_username / server.bot_user (the bot's User dict)

``clock`` (an object with ``now()`` such as ``FixedClock``, or a callable) sets message dates.
By default any chat id is reachable; ``strict_chats=True`` answers 400 "chat not found" for
chats never registered with ``user()``/``group()``. One server per test: it binds to the event
loop it first runs in.

Simulated users and chats (return plain Telegram dicts; "chat" arguments accept a chat id, a
``SimUser`` (their private chat) or a ``SimChat``; "message" arguments accept a message dict
or a message id)::

    server.user(id, first_name="Người dùng", username=None, *, last_name=None,
                language_code="vi", started=True) -> SimUser
    server.group(id, title, *, supergroup=None, username=None) -> SimChat
    await server.send_text(user, text, chat=None, reply_to=None, *, entities=None) -> dict
    await server.send_command(user, "/start", *args, chat=None) -> dict
    await server.press_button(user, message, callback_data=None, *, text=None) -> str  # query id
    await server.send_document(user, filename, data, mime_type=None, caption=None, chat=None,
                               reply_to=None, *, file_size=None) -> dict
    await server.send_photo(user, data, caption=None, chat=None, reply_to=None, *,
                            file_size=None) -> dict
    await server.forward(user, message, chat=None, *, origin_user=None) -> dict
    await server.edit_text(user, message, text) -> dict          # an edited_message update
    await server.add_bot_to_group(user, chat) -> dict            # my_chat_member + message

Reading what the bot did::

    server.calls                 # list[ApiCall(method, params)], every processed request
    server.calls_of("sendMessage") -> list[dict]   # params of each such call
    server.errors                # list[ApiError] answered to the bot (4xx), for debugging
    server.webhook               # the setWebhook parameters in force, or None
    server.webhook_deliveries    # list[WebhookDelivery(update_id, url, status, error, outcome)]
    server.sent_messages(chat) -> list[dict]       # bot messages, current state, no deleted
    server.history(chat) -> list[dict]             # every message in the chat, both sides
    server.message(chat, message_id) -> dict
    server.callback_answers      # list[CallbackAnswer(callback_query_id, text, show_alert, ...)]
    server.chat_actions          # list[(chat_id, action)]
    server.commands(scope=None, language_code="") -> list[dict]
    server.menu_for(user, chat=None) -> list[str]  # the menu Telegram would show them there
    inline_buttons(message) -> list[(text, callback_data)]   # module function, also a method
    await server.wait_for_messages(chat, count=1, timeout=5.0, predicate=None, *, after=None)
    await server.wait_for_call(method, predicate=None, timeout=5.0, *, since=0) -> ApiCall
    await server.wait_for_callback_answer(callback_query_id, timeout=5.0) -> CallbackAnswer
    await server.wait_until_delivered(timeout=5.0)     # the bot has every update
    server.pending_updates       # updates the bot has not confirmed yet
    server.dump() -> str         # the state dump the waits print on timeout
    server.stored_file(file_id) -> StoredFile | None  # a file either side sent
    server.version               # grows with every change; for viewers (the demo page):
    await server.wait_for_change(since, timeout) -> int   # the version, once above since
Waits use an asyncio.Condition (no polling, no sleeps) and raise AssertionError with a dump of
the chat, the recent calls and the error answers on timeout.

Faults and limits, switchable at any time::

    server.block(user_id) / server.unblock(user_id)   # 403 bot was blocked by the user
    server.deactivate(user_id)                        # 403 user is deactivated
    server.kick(chat_id)                              # 403 bot was kicked from the group chat
    server.unknown_chat(chat_id)                      # 400 chat not found
    server.migrate(chat_id, new_chat_id, by=None)     # 400 + parameters.migrate_to_chat_id
    server.too_many_requests(retry_after=1, *, count=1, method="sendMessage", chat_id=None)
    server.inject_error(method, error_code, description, *, parameters=None, count=1,
                        chat_id=None)
    server.drop_connections(count=1, methods=None)    # close the socket, no answer
    server.delay_responses(seconds, count=1, methods=None)  # answer late (for TimedOut)
    server.hold_responses(methods=("sendMessage",))   # process, then hold the answers
    server.release_responses()                        # answer them, stop holding
    server.rate_limits = RateLimits.telegram() | RateLimits.disabled() | RateLimits(...)
    server.reset_rate_limits()                        # forget past sends
    server.clear_faults()                             # undo block/kick/unknown/injected faults

Rate limits (429 "Too Many Requests: retry after N" with ``parameters.retry_after``) count the
messages the bot sends (sendMessage, sendDocument, sendPhoto) in sliding windows measured on
``time.monotonic`` (pass ``monotonic=`` to control it). The default, ``RateLimits()``, is ON
and Telegram-like but burst tolerant so ordinary end-to-end tests never trip it:

* overall: 30 messages per 1 s (Telegram's documented broadcast limit);
* per chat: 10 messages per 10 s, i.e. 1 message/s sustained with a burst of 10 tolerated,
  which is how Telegram behaves in practice (a bot answering a step with two or three
  messages is fine) and keeps a whole scenario test under the limit;
* per group or supergroup: 20 messages per 60 s (Telegram's documented group limit);
* retry_after: the seconds until the window frees up, rounded up (at least 1).

When a test does trip a limit, the timeout dump lists the 429 answers under "error answers".

``RateLimits.telegram()`` is the strict documented reading (1 message/s per chat) for tests
about throttling; ``RateLimits.disabled()`` (or ``rate_limits=None``) turns them off. Note the
windows are stricter than a leaky bucket: PTB's ``AIORateLimiter`` lets a burst of 30 through
and then 30/s (20 then one per 3 s in a group), which trips the sliding window on message 31
(21 in a group) and then sleeps the whole retry_after in real time. Tests that broadcast to
more than 30 chats, or post more than 20 times in one group, should widen or disable those
limits. For retry tests, ``too_many_requests(retry_after=0.05)`` accepts fractions of a second
(Telegram sends whole seconds; PTB takes either) so AIORateLimiter's retry stays fast.

PTB 22.8 and warnings-as-errors: building a ``RetryAfter`` reads its ``retry_after``, which
emits ``PTBDeprecationWarning`` unless the environment has ``PTB_TIMEDELTA=1`` (then
``retry_after`` is a ``timedelta``). With ``filterwarnings = ["error"]`` that warning replaces
the RetryAfter the bot expects, so set ``PTB_TIMEDELTA=1`` for the test session (and code
``retry_after`` as a timedelta); the tests here do it with ``monkeypatch.setenv``.

``delay_responses`` holds the request on the server; if PTB's read timeout fires first, PTB
raises ``TimedOut`` and the request is never processed (the handler is cancelled with the
connection), as when Telegram is unreachable. ``hold_responses`` is the other half: the request
is processed (the message is delivered) and only the answer waits, until
``release_responses()``; a client that dies meanwhile never hears of it, but the message
stays delivered — the ambiguous window a crash between "sent" and "recorded" leaves.
``server.holding`` lists the requests held now, ``server.held_calls`` every one held, and
``await server.wait_until(check, timeout)`` waits for any condition on the server's state.

Webhooks: after ``setWebhook`` the fake delivers updates itself, as Telegram does: it POSTs
each pending update as JSON (``Content-Type: application/json``, plus the
``X-Telegram-Bot-Api-Secret-Token`` header when ``secret_token`` was given) to the webhook URL,
one at a time and in order, the next only after a 2xx answer confirms the previous one. A
refused or failed connection, a timeout (10 s) or a 5xx answer is retried after
``webhook_backoff`` seconds, doubling up to ``webhook_max_backoff``, at most
``webhook_max_attempts`` times; then the update is dropped, as Telegram gives up. A 4xx answer
(PTB's 403 for a wrong secret) drops the update at once: Telegram would retry that too, but from
a local bot it is a configuration error a retry will not fix, and the dump shows it. Every
attempt lands in ``webhook_deliveries``; failures also in the dump and in getWebhookInfo's
``last_error_message``. While a webhook is set, getUpdates answers 409 as on Telegram;
``deleteWebhook`` (or ``setWebhook`` with an empty url) switches back to polling, and updates
not yet delivered are then fetched with getUpdates. setWebhook's ``allowed_updates`` and
``drop_pending_updates`` work as for getUpdates. Unlike Telegram, ``http://`` URLs are
accepted (no TLS here), but only to loopback hosts (127.0.0.0/8, localhost, [::1]): any other
host answers 400 "bad webhook", so the fake never sends traffic off the machine. A secret token
outside Telegram's 1-256 characters of ``A-Za-z0-9_-`` answers 400 as on Telegram.
``tests.fakes.ptb.webhook(app, secret_token=...)`` runs a PTB Application that way.

Not modelled: ``max_connections`` (deliveries are always one at a time), ``ip_address`` and
uploaded certificates (stored, not used); MarkdownV2 parsing is close but not byte-exact;
photos are stored as sent (Telegram would re-encode them to JPEG); text length counts code
points.
"""

from __future__ import annotations

import asyncio
import copy
import ipaddress
import itertools
import json
import math
import mimetypes
import re
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Collection, Iterable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from io import BytesIO
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from nhacviec.botapi.entities import EntityParseError, detect_entities, parse_text, utf16_len

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "CallbackAnswer",
    "Limit",
    "LocalBotApi",
    "RateLimits",
    "SimChat",
    "SimUser",
    "StoredFile",
    "UploadedFile",
    "WebhookDelivery",
    "inline_buttons",
    "running_local_bot_api",
]

DEFAULT_TOKEN = "7000000001:AAFakeTokenForNhacViecEndToEndTests00"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_SIZE = 50 * 1024 * 1024
DEFAULT_TIMEOUT = 5.0
_HISTORY_SECONDS = 3600.0  # sends older than this never matter to a rate limit
_WEBHOOK_REQUEST_TIMEOUT = 10.0  # one delivery attempt; a slower answer counts as a failure
_SECRET_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

JSONDict = dict[str, Any]
T = TypeVar("T")

_SEND_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
_DEFAULT_ALLOWED_UPDATES = frozenset(
    [
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    ]
)
# Values that stay strings even when they look like JSON ("123", "true").
_STRING_PARAMS = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "inline_message_id",
        "action",
        "language_code",
        "secret_token",
        "ip_address",
        "business_connection_id",
        "emoji",
        "title",
        "description",
        "short_description",
        "name",
        "file_id",
        "document",
        "photo",
        "thumbnail",
        "message_effect_id",
    ]
)


# --- value objects ------------------------------------------------------------------------------


_SERVER_NUMBERS = itertools.count()


@dataclass(frozen=True, slots=True)
class SimUser:
    """A simulated Telegram user; ``to_dict()`` is the Bot API ``User``."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "vi"

    def to_dict(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_dict(self) -> JSONDict:
        """The private chat with this user, as it appears in ``Message.chat``."""
        data: JSONDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True, slots=True)
class SimChat:
    """A simulated group or supergroup; ``to_dict()`` is the Bot API ``Chat``."""

    id: int
    title: str
    type: str = "group"
    username: str | None = None

    def to_dict(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``count`` messages in any sliding window of ``seconds``."""

    count: int
    seconds: float


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Which sends answer 429; ``None`` for a field switches that limit off."""

    overall: Limit | None = Limit(30, 1.0)
    per_chat: Limit | None = Limit(10, 10.0)
    per_group: Limit | None = Limit(20, 60.0)
    retry_after: float | None = None  # fixed value instead of "until the window frees up"

    @classmethod
    def telegram(cls) -> RateLimits:
        """The documented limits read strictly: 30/s overall, 1/s per chat, 20/min per group."""
        return cls(overall=Limit(30, 1.0), per_chat=Limit(1, 1.0), per_group=Limit(20, 60.0))

    @classmethod
    def disabled(cls) -> RateLimits:
        return cls(overall=None, per_chat=None, per_group=None)


class ApiCall(NamedTuple):
    """One request the server processed: the canonical method name and decoded parameters."""

    method: str
    params: JSONDict


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A multipart upload as it arrived (the value of a file parameter in ``calls``)."""

    filename: str | None
    mime_type: str | None
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # "document" | "photo"
    data: bytes = field(repr=False)
    file_size: int
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None


class WebhookDelivery(NamedTuple):
    """One attempt to POST an update to the webhook: ``status`` is the HTTP answer (None when
    the connection failed or timed out, then ``error`` says why); ``outcome`` is "delivered",
    "retry" or "dropped" (a 4xx answer, or the last attempt failed)."""

    update_id: int
    url: str
    status: int | None
    error: str | None
    outcome: str


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None


class ApiError(Exception):
    """An error answer in Telegram's shape; raise it from a method to answer with it."""

    def __init__(
        self, error_code: int, description: str, parameters: JSONDict | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters
        self.method = ""
        self.params: JSONDict = {}

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.error_code}
        body["description"] = self.description
        if self.parameters:
            body["parameters"] = self.parameters
        return body

    def __repr__(self) -> str:
        return f"ApiError({self.method} -> {self.error_code} {self.description!r})"


def _bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(slots=True)
class _Fault:
    kind: str  # "drop" | "delay" | "error" | "error_after" | "reset_after"
    remaining: int
    methods: frozenset[str] | None  # lower-case names; None: every method but getUpdates
    chat_id: int | None = None
    seconds: float = 0.0
    error: ApiError | None = None

    def matches(self, method: str, params: JSONDict) -> bool:
        if self.methods is None:
            if method.lower() == "getupdates":
                return False
        elif method.lower() not in self.methods:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


@dataclass(slots=True)
class _Hold:
    """``hold_responses``: which answers to keep, and the event that lets them go."""

    methods: frozenset[str] | None  # lower-case names; None: every method but getUpdates
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str) -> bool:
        if self.methods is None:
            return method.lower() != "getupdates"
        return method.lower() in self.methods


def inline_buttons(message: JSONDict) -> list[tuple[str, str | None]]:
    """The inline keyboard of ``message`` flattened to (text, callback_data) pairs."""
    markup = message.get("reply_markup") or {}
    return [
        (button.get("text", ""), button.get("callback_data"))
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


# --- the server ---------------------------------------------------------------------------------


class LocalBotApi:
    """The fake Bot API server. Use ``async with LocalBotApi() as server`` or start()/stop()."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "nhacviec_test_bot",
        bot_first_name: str = "Nhắc Việc",
        rate_limits: RateLimits | None = RateLimits(),
        clock: Any = None,
        monotonic: Callable[[], float] = time.monotonic,
        strict_chats: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_backoff: float = 0.05,
        webhook_max_backoff: float = 1.0,
        webhook_max_attempts: int = 20,
    ) -> None:
        """Create a stopped server.

        ``rate_limits`` defaults to ``RateLimits()``; ``None`` or ``RateLimits.disabled()``
        turns limits off. ``clock`` gives message dates: an object with ``now()`` or a callable
        returning an aware datetime; real time if omitted. ``strict_chats`` makes chats never
        registered with ``user()``/``group()`` answer 400 "chat not found" (by default any id
        is a reachable chat). A webhook delivery that fails is retried after
        ``webhook_backoff`` seconds, doubling up to ``webhook_max_backoff``, at most
        ``webhook_max_attempts`` times in all; then the update is dropped.
        """
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limits: RateLimits = rate_limits or RateLimits.disabled()
        self.strict_chats = strict_chats
        self._clock = clock
        self._monotonic = monotonic
        self._host = host
        self._port = port
        self.base_url = ""
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._changed = asyncio.Condition()
        self.version = 0  # grows with every change of state (see wait_for_change)

        self.calls: list[ApiCall] = []
        self.errors: list[ApiError] = []
        self.dropped_calls: list[ApiCall] = []
        self.reset_calls: list[ApiCall] = []  # processed, then the connection reset
        self.failed_after_processing: list[ApiCall] = []  # processed, then an error answer
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.webhook: JSONDict | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.webhook_backoff = webhook_backoff
        self.webhook_max_backoff = webhook_max_backoff
        self.webhook_max_attempts = webhook_max_attempts
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_last_error: tuple[int, str] | None = None

        self._users: dict[int, SimUser] = {}
        self._groups: dict[int, SimChat] = {}
        self._started_users: set[int] = set()
        self._forbidden: dict[int, str] = {}
        self._unknown_chats: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._faults: list[_Fault] = []
        self._hold: _Hold | None = None
        self.holding: list[ApiCall] = []
        self.held_calls: list[ApiCall] = []
        self.last_held_at = 0.0

        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._next_message_id: dict[int, int] = {}
        self._outgoing: set[tuple[int, int]] = set()
        self._deleted: set[tuple[int, int]] = set()
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callback_queries: dict[str, JSONDict] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}

        self._updates: deque[JSONDict] = deque()
        # Like Telegram's, update ids never repeat: a later server (test) goes on from far
        # beyond an earlier one, so a database keeping an inbox of update ids sees new ones.
        self._next_update_id = 100_000_001 + 1_000_000 * next(_SERVER_NUMBERS)
        self._last_delivered_update_id = 0
        self._allowed_updates: frozenset[str] = _DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0
        self.menu_button: JSONDict | None = None  # the last setChatMenuButton's button

        self._sent_overall: deque[float] = deque()
        self._sent_per_chat: dict[int, deque[float]] = {}

        self._methods: dict[str, Callable[[JSONDict], Any]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "getFile": self._get_file,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
        }
        self._method_names = {name.lower(): name for name in self._methods}

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_UPLOAD_SIZE + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        self._closing = False

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        """``base_url`` for PTB's builder (PTB appends the token)."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """``base_file_url`` for PTB's builder."""
        return f"{self.base_url}/file/bot"

    @property
    def bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # --- HTTP -------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method_name = request.match_info["method"]
        try:
            params = await self._read_params(request)
        except web.HTTPRequestEntityTooLarge:
            return _json(ApiError(413, "Request Entity Too Large").payload(), 413)
        fault = self._take_fault(method_name, params, kinds=("drop", "delay"))
        if fault is not None and fault.kind == "drop":
            self.dropped_calls.append(ApiCall(method_name, params))
            if request.transport is not None:
                request.transport.close()
            raise asyncio.CancelledError
        if fault is not None:
            await asyncio.sleep(fault.seconds)
        if request.match_info["token"] != self.token:
            return _json(ApiError(401, "Unauthorized").payload(), 401)
        method = self._method_names.get(method_name.lower())
        call = ApiCall(method or method_name, params)
        self.calls.append(call)
        await self._notify()
        try:
            if method is None:
                raise ApiError(404, "Not Found")
            injected = self._take_fault(method, params, kinds=("error",))
            if injected is not None and injected.error is not None:
                template = injected.error
                raise ApiError(template.error_code, template.description, template.parameters)
            result = self._methods[method](params)
            if asyncio.iscoroutine(result):
                result = await result
        except (KeyError, TypeError, ValueError) as crash:
            # A malformed request the fake does not model: answer like a Bad Request, loudly.
            error = _bad_request(f"{type(crash).__name__}: {crash} (fake Bot API)")
            error.method, error.params = method or method_name, params
            self.errors.append(error)
            await self._notify()
            return _json(error.payload(), error.error_code)
        except ApiError as error:
            error.method, error.params = method or method_name, params
            self.errors.append(error)
            await self._notify()
            return _json(error.payload(), error.error_code)
        after = self._take_fault(method, params, kinds=("error_after", "reset_after"))
        if after is not None and after.kind == "reset_after":
            # Processed (the message is delivered), then the connection is reset unanswered.
            self.reset_calls.append(call)
            if request.transport is not None:
                request.transport.close()
            raise asyncio.CancelledError
        if after is not None and after.error is not None:
            # Processed, then an error answer (a 500 or a proxy's 502 after the work was done).
            self.failed_after_processing.append(call)
            late = ApiError(after.error.error_code, after.error.description)
            late.method, late.params = method, params
            self.errors.append(late)
            await self._notify()
            return _json(late.payload(), late.error_code)
        hold = self._hold
        if hold is not None and hold.matches(call.method):
            await self._hold_answer(hold, call)
        await self._notify()
        return _json({"ok": True, "result": result})

    async def _hold_answer(self, hold: _Hold, call: ApiCall) -> None:
        """The request is processed; keep its answer until ``release_responses()``. A client
        that goes away meanwhile cancels the handler (``handler_cancellation``): what the
        request did stays done, as on Telegram when the answer is lost on the way back."""
        self.held_calls.append(call)
        self.holding.append(call)
        self.last_held_at = self._monotonic()
        await self._notify()
        try:
            await hold.released.wait()
        finally:
            self.holding.remove(call)
            await self._notify()

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json(ApiError(401, "Unauthorized").payload(), 401)
        stored = self._files_by_path.get(request.match_info["file_path"])
        if stored is None:
            return _json(ApiError(404, "Not Found").payload(), 404)
        content_type = (stored.mime_type or "application/octet-stream").split(";")[0].strip()
        return web.Response(body=stored.data, content_type=content_type)

    async def _read_params(self, request: web.Request) -> JSONDict:
        params: JSONDict = {key: _decode(key, value) for key, value in request.query.items()}
        if request.method != "POST" or not request.body_exists:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params
        files: dict[str, UploadedFile] = {}
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            elif isinstance(value, str):
                params[key] = _decode(key, value)
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = files.pop(value.removeprefix("attach://"), value)
        for key, upload in files.items():
            params.setdefault(key, upload)
        return params

    # --- plumbing -------------------------------------------------------------------------------

    async def _notify(self) -> None:
        self.version += 1
        async with self._changed:
            self._changed.notify_all()

    def _now(self) -> int:
        if self._clock is None:
            return int(time.time())
        moment = self._clock.now() if hasattr(self._clock, "now") else self._clock()
        return int(moment.timestamp())

    def _take_fault(self, method: str, params: JSONDict, kinds: Iterable[str]) -> _Fault | None:
        for fault in self._faults:
            if fault.kind in kinds and fault.remaining > 0 and fault.matches(method, params):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _chat_dict(self, chat_id: int) -> JSONDict:
        if chat_id in self._users:
            return self._users[chat_id].chat_dict()
        if chat_id in self._groups:
            return self._groups[chat_id].to_dict()
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Group {chat_id}"}

    def _resolve_chat(self, params: JSONDict, *, for_sending: bool = True) -> int:
        """The target chat id, or the ApiError Telegram answers for it."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad_request("chat_id is empty")
        if isinstance(raw, str):
            by_name = [
                g.id for g in self._groups.values() if g.username and f"@{g.username}" == raw
            ]
            if not by_name:
                raise _bad_request("chat not found")
            raw = by_name[0]
        if not isinstance(raw, int):
            raise _bad_request("chat not found")
        chat_id = raw
        if chat_id in self._unknown_chats:
            raise _bad_request("chat not found")
        if chat_id in self._migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )
        known = chat_id in self._users or chat_id in self._groups
        if self.strict_chats and not known:
            raise _bad_request("chat not found")
        if for_sending and chat_id in self._forbidden:
            raise ApiError(403, f"Forbidden: {self._forbidden[chat_id]}")
        if for_sending and chat_id in self._users and chat_id not in self._started_users:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat_id

    def _store(self, chat_id: int, message: JSONDict, *, outgoing: bool) -> JSONDict:
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        if outgoing:
            self._outgoing.add((chat_id, message["message_id"]))
        return message

    def _new_message(self, chat_id: int, sender: JSONDict, **content: Any) -> JSONDict:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message: JSONDict = {
            "message_id": message_id,
            "from": sender,
            "chat": self._chat_dict(chat_id),
            "date": self._now(),
        }
        message.update({key: value for key, value in content.items() if value is not None})
        return message

    def _lookup(self, chat_id: int, message_id: int) -> JSONDict | None:
        if (chat_id, message_id) in self._deleted:
            return None
        return self._messages.get(chat_id, {}).get(message_id)

    def _reply_target(self, chat_id: int, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {
                "message_id": params["reply_to_message_id"],
                "allow_sending_without_reply": params.get("allow_sending_without_reply"),
            }
        if not reply:
            return None
        target_chat = reply.get("chat_id", chat_id)
        target = self._lookup(target_chat, int(reply["message_id"]))
        if target is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise _bad_request("message to be replied not found")
        return _without_reply(target)

    def _format(self, text: Any, params: JSONDict, *, caption: bool = False) -> tuple[str, list]:
        kind = "caption" if caption else "text"
        explicit = params.get("caption_entities" if caption else "entities")
        text = "" if text is None else str(text)
        if explicit:
            plain, entities = text, list(explicit)
        else:
            try:
                plain, entities = parse_text(text, params.get("parse_mode"))
            except EntityParseError as error:
                raise _bad_request(f"can't parse entities: {error}") from None
        limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
        if len(plain) > limit:
            raise _bad_request(f"message {kind} is too long" if caption else "message is too long")
        return plain, detect_entities(plain, entities)

    def _inline_markup(self, params: JSONDict) -> JSONDict | None:
        """Validate reply_markup; return it if it is an inline keyboard (kept on the message)."""
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise _bad_request("text buttons are unallowed in the inline keyboard")
                if "callback_data" in button:
                    data = str(button["callback_data"]).encode("utf-8")
                    if not 1 <= len(data) <= MAX_CALLBACK_DATA_BYTES:
                        raise _bad_request("BUTTON_DATA_INVALID")
                elif not any(key in button for key in _BUTTON_ACTIONS):
                    raise _bad_request(
                        "can't parse inline keyboard button: Text buttons are unallowed in the "
                        "inline keyboard"
                    )
        return {"inline_keyboard": rows}

    # --- rate limits --------------------------------------------------------------------------

    def reset_rate_limits(self) -> None:
        """Forget every recorded send, as if enough time had passed."""
        self._sent_overall.clear()
        self._sent_per_chat.clear()

    def _check_rate(self, chat_id: int) -> None:
        limits = self.rate_limits
        now = self._monotonic()
        waits: list[float] = []
        if limits.overall is not None:
            waits.append(_window_wait(self._sent_overall, limits.overall, now))
        history = self._sent_per_chat.get(chat_id, deque())
        if limits.per_chat is not None:
            waits.append(_window_wait(history, limits.per_chat, now))
        if limits.per_group is not None and chat_id < 0:
            waits.append(_window_wait(history, limits.per_group, now))
        wait = max(waits, default=0.0)
        if wait > 0:
            retry_after = limits.retry_after or max(1, math.ceil(wait))
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )

    def _record_send(self, chat_id: int) -> None:
        now = self._monotonic()
        horizon = now - _HISTORY_SECONDS
        for history in (self._sent_overall, self._sent_per_chat.setdefault(chat_id, deque())):
            history.append(now)
            while history[0] < horizon:
                history.popleft()

    # --- methods: bot and updates --------------------------------------------------------------

    def _true(self, params: JSONDict) -> bool:
        return True

    def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
        elif offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) or _DEFAULT_ALLOWED_UPDATES
        self._confirm(int(params.get("offset") or 0))
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        self._poll_generation += 1
        generation = self._poll_generation

        def ready() -> bool:
            return bool(self._updates) or self._closing or generation != self._poll_generation

        if not ready() and timeout > 0:
            with suppress(TimeoutError):
                async with asyncio.timeout(timeout), self._changed:
                    await self._changed.wait_for(ready)
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot "
                "instance is running",
            )
        batch = [copy.deepcopy(update) for update in itertools.islice(self._updates, limit)]
        if batch:
            self._last_delivered_update_id = max(
                self._last_delivered_update_id, batch[-1]["update_id"]
            )
        return batch

    def _set_webhook(self, params: JSONDict) -> bool:
        if not params.get("url"):
            self.webhook = None
            return True
        _check_webhook_url(str(params["url"]))
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN_SHAPE.match(str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) or _DEFAULT_ALLOWED_UPDATES
        self.webhook = {key: value for key, value in params.items() if key != "certificate"}
        self._webhook_last_error = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_sender())
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
            info["max_connections"] = self.webhook.get("max_connections", 40)
            if self.webhook.get("allowed_updates"):
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    async def _webhook_sender(self) -> None:
        """While a webhook is set: POST the oldest pending update to it, one at a time, in
        order; a 2xx answer confirms it, a failure is retried with a bounded back-off."""
        timeout = aiohttp.ClientTimeout(total=_WEBHOOK_REQUEST_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as client:
            while True:
                async with self._changed:
                    await self._changed.wait_for(
                        lambda: self._closing or self.webhook is None or bool(self._updates)
                    )
                if self._closing or self.webhook is None:
                    return
                await self._push_update(client, self._updates[0])

    async def _push_update(self, client: aiohttp.ClientSession, update: JSONDict) -> None:
        delay = self.webhook_backoff
        for attempt in range(1, max(self.webhook_max_attempts, 1) + 1):
            hook = self.webhook
            if hook is None or self._closing or not self._updates or self._updates[0] is not update:
                return  # deleted, closing, or dropped by drop_pending_updates meanwhile
            status, error = await self._post_update(client, hook, update)
            if status is not None and 200 <= status < 300:
                outcome = "delivered"
            elif (status is not None and 400 <= status < 500) or (
                attempt >= self.webhook_max_attempts
            ):
                outcome = "dropped"
            else:
                outcome = "retry"
            self.webhook_deliveries.append(
                WebhookDelivery(update["update_id"], str(hook["url"]), status, error, outcome)
            )
            if outcome != "delivered":
                self._webhook_last_error = (self._now(), error or f"Wrong response: {status}")
            if outcome != "retry":
                if self._updates and self._updates[0] is update:
                    self._updates.popleft()
                if outcome == "delivered":
                    self._last_delivered_update_id = max(
                        self._last_delivered_update_id, update["update_id"]
                    )
                await self._notify()
                return
            await self._notify()
            await self._back_off(delay, hook)
            delay = min(delay * 2, self.webhook_max_backoff)

    async def _back_off(self, seconds: float, hook: JSONDict) -> None:
        """Sleep ``seconds``, waking early if the webhook is changed or deleted, or we stop."""
        with suppress(TimeoutError):
            async with asyncio.timeout(seconds), self._changed:
                await self._changed.wait_for(lambda: self._closing or self.webhook is not hook)

    async def _post_update(
        self, client: aiohttp.ClientSession, hook: JSONDict, update: JSONDict
    ) -> tuple[int | None, str | None]:
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(hook["secret_token"])
        body = json.dumps(update, ensure_ascii=False).encode()
        try:
            async with client.post(str(hook["url"]), data=body, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return response.status, None
                reason = f"{response.status} {response.reason or ''}".strip()
                return response.status, f"Wrong response from the webhook: {reason}"
        except TimeoutError:
            return None, "Read timeout expired"
        except aiohttp.ClientError as failure:
            return None, f"Connection failed: {type(failure).__name__}"

    def _commands_key(self, params: JSONDict) -> tuple[str, str]:
        """The stored list's key: the scope (validated, chat resolved to its id) and language."""
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _COMMAND_SCOPES:
            raise _bad_request("can't parse BotCommandScope")
        key: JSONDict = {"type": scope["type"]}
        if scope["type"] in _CHAT_SCOPES:
            key["chat_id"] = self._resolve_chat(
                {"chat_id": scope.get("chat_id")}, for_sending=False
            )
        if scope["type"] == "chat_member":
            user_id = scope.get("user_id")
            if not isinstance(user_id, int) or user_id not in self._users:
                raise _bad_request("user not found")
            key["user_id"] = user_id
        language = params.get("language_code") or ""
        if language and not (len(language) == 2 and language.isalpha()):
            raise _bad_request("invalid language code specified")
        return json.dumps(key, sort_keys=True), language

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad_request("too many commands specified")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32) or not name.replace("_", "").isalnum():
                raise _bad_request("BOT_COMMAND_INVALID")
            if not (1 <= len(str(command.get("description", ""))) <= 256):
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _set_chat_menu_button(self, params: JSONDict) -> bool:
        button = params.get("menu_button")
        if isinstance(button, str):
            button = json.loads(button)
        if button is not None and button.get("type") == "web_app":
            url = str((button.get("web_app") or {}).get("url", ""))
            if not url.startswith("https://"):
                raise _bad_request("BUTTON_URL_INVALID")
        self.menu_button = button
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The bot's command list for ``scope`` (default scope if omitted)."""
        return self._get_my_commands({"scope": scope, "language_code": language_code})

    def menu_for(self, user: SimUser, chat: SimChat | None = None) -> list[str]:
        """The command names ``user`` sees in the menu of ``chat`` (their private chat if
        omitted), chosen as Telegram does: the narrowest scope with a list set wins, each
        scope tried first for the user's language and then for all languages.
        (The fake has no chat administrators, so their two scopes never apply.)"""
        if chat is None or chat.id == user.id:
            scopes = [
                {"type": "chat", "chat_id": user.id},
                {"type": "all_private_chats"},
                {"type": "default"},
            ]
        else:
            scopes = [
                {"type": "chat_member", "chat_id": chat.id, "user_id": user.id},
                {"type": "chat", "chat_id": chat.id},
                {"type": "all_group_chats"},
                {"type": "default"},
            ]
        languages = [user.language_code, ""] if user.language_code else [""]
        for scope in scopes:
            for language in languages:
                commands = self._commands.get((json.dumps(scope, sort_keys=True), language))
                if commands:
                    return [c["command"] for c in commands]
        return []

    # --- methods: messages ---------------------------------------------------------------------

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._resolve_chat(params)
        text = params.get("text")
        if text is None or not str(text).strip():
            raise _bad_request("message text is empty")
        plain, entities = self._format(text, params)
        if not plain.strip():
            raise _bad_request("message text is empty")
        markup = self._inline_markup(params)
        reply = self._reply_target(chat_id, params)
        self._check_rate(chat_id)
        message = self._new_message(
            chat_id,
            self.bot_user,
            reply_to_message=reply,
            text=plain,
            entities=entities or None,
            link_preview_options=params.get("link_preview_options"),
            reply_markup=markup,
        )
        self._record_send(chat_id)
        return copy.deepcopy(self._store(chat_id, message, outgoing=True))

    def _editable(self, params: JSONDict, missing: str) -> tuple[int, JSONDict]:
        if params.get("inline_message_id"):
            raise _bad_request("inline messages are not supported by the fake")
        chat_id = self._resolve_chat(params)
        if params.get("message_id") is None:
            raise _bad_request("message identifier is not specified")
        message = self._lookup(chat_id, int(params["message_id"]))
        if message is None:
            raise _bad_request(missing)
        if (chat_id, message["message_id"]) not in self._outgoing:
            raise _bad_request("message can't be edited")
        return chat_id, message

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        _, message = self._editable(params, "message to edit not found")
        text = params.get("text")
        if text is None or not str(text).strip():
            raise _bad_request("message text is empty")
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        plain, entities = self._format(text, params)
        markup = self._inline_markup(params)
        if (
            plain == message.get("text")
            and (entities or None) == message.get("entities")
            and markup == message.get("reply_markup")
        ):
            raise _bad_request(_NOT_MODIFIED)
        message["text"] = plain
        _set_optional(message, "entities", entities or None)
        _set_optional(message, "reply_markup", markup)
        message["edit_date"] = self._now()
        return copy.deepcopy(message)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        _, message = self._editable(params, "message to edit not found")
        markup = self._inline_markup(params)
        if markup == message.get("reply_markup"):
            raise _bad_request(_NOT_MODIFIED)
        _set_optional(message, "reply_markup", markup)
        message["edit_date"] = self._now()
        return copy.deepcopy(message)

    def _delete_message(self, params: JSONDict) -> bool:
        chat_id = self._resolve_chat(params)
        message = self._lookup(chat_id, int(params.get("message_id") or 0))
        if message is None:
            raise _bad_request("message to delete not found")
        self._deleted.add((chat_id, message["message_id"]))
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._callback_queries:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        del self._callback_queries[query_id]
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise _bad_request("MESSAGE_TOO_LONG")
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                text=text,
                show_alert=bool(params.get("show_alert", False)),
                url=params.get("url"),
                cache_time=params.get("cache_time"),
            )
        )
        return True

    def _send_chat_action(self, params: JSONDict) -> bool:
        chat_id = self._resolve_chat(params)
        action = str(params.get("action") or "")
        if action not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        self.chat_actions.append((chat_id, action))
        return True

    def _get_chat(self, params: JSONDict) -> JSONDict:
        chat_id = self._resolve_chat(params, for_sending=False)
        return {
            **self._chat_dict(chat_id),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    # --- methods: files -----------------------------------------------------------------------

    def _store_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_size: int | None = None,
        width: int | None = None,
        height: int | None = None,
    ) -> StoredFile:
        number = next(self._file_counter)
        prefix = "BQACAgUAAxkBAAI" if kind == "document" else "AgACAgUAAxkBAAI"
        folder = "documents" if kind == "document" else "photos"
        extension = _extension(file_name, mime_type) if kind == "document" else ".jpg"
        stored = StoredFile(
            file_id=f"{prefix}{number:06d}{secrets.token_hex(8)}",
            file_unique_id=f"AgAD{number:06d}",
            kind=kind,
            data=data,
            file_size=len(data) if file_size is None else file_size,
            file_path=f"{folder}/file_{number}{extension}",
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _existing_file(self, file_id: str, kind: str) -> StoredFile:
        stored = self._files.get(file_id)
        if stored is None:
            if file_id.startswith(("http://", "https://")):
                raise _bad_request("failed to get HTTP URL content")
            raise _bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            have, want = stored.kind.capitalize(), kind.capitalize()
            raise _bad_request(f"can't use file of type {have} as {want}")
        return stored

    def _caption(self, params: JSONDict) -> tuple[str | None, list]:
        if params.get("caption") is None:
            return None, []
        return self._format(params["caption"], params, caption=True)

    def _send_document(self, params: JSONDict) -> JSONDict:
        chat_id = self._resolve_chat(params)
        document = params.get("document")
        if isinstance(document, UploadedFile):
            if not document.data:
                raise _bad_request("file must be non-empty")
            stored = self._store_file(
                "document",
                document.data,
                file_name=document.filename,
                mime_type=_guess_mime(document.filename, document.mime_type),
            )
        elif isinstance(document, str) and document:
            stored = self._existing_file(document, "document")
        else:
            raise _bad_request("there is no document in the request")
        caption, caption_entities = self._caption(params)
        markup = self._inline_markup(params)
        reply = self._reply_target(chat_id, params)
        self._check_rate(chat_id)
        message = self._new_message(
            chat_id,
            self.bot_user,
            reply_to_message=reply,
            document=_document_dict(stored),
            caption=caption,
            caption_entities=caption_entities or None,
            reply_markup=markup,
        )
        self._record_send(chat_id)
        return copy.deepcopy(self._store(chat_id, message, outgoing=True))

    def _send_photo(self, params: JSONDict) -> JSONDict:
        chat_id = self._resolve_chat(params)
        photo = params.get("photo")
        if isinstance(photo, UploadedFile):
            sizes = self._store_photo(photo.data)
        elif isinstance(photo, str) and photo:
            stored = self._existing_file(photo, "photo")
            sizes = [_photo_size_dict(stored)]
        else:
            raise _bad_request("there is no photo in the request")
        caption, caption_entities = self._caption(params)
        markup = self._inline_markup(params)
        reply = self._reply_target(chat_id, params)
        self._check_rate(chat_id)
        message = self._new_message(
            chat_id,
            self.bot_user,
            reply_to_message=reply,
            photo=sizes,
            caption=caption,
            caption_entities=caption_entities or None,
            reply_markup=markup,
        )
        self._record_send(chat_id)
        return copy.deepcopy(self._store(chat_id, message, outgoing=True))

    def _store_photo(self, data: bytes, file_size: int | None = None) -> list[JSONDict]:
        """Store an image as Telegram's PhotoSize list (thumbnails first, then the original)."""
        if not data:
            raise _bad_request("file must be non-empty")
        try:
            from PIL import Image  # optional; Pillow comes with matplotlib
        except ImportError:  # pragma: no cover - Pillow is installed in this project
            stored = self._store_file("photo", data, file_size=file_size, width=0, height=0)
            return [_photo_size_dict(stored)]
        try:
            with Image.open(BytesIO(data)) as image:
                image.load()
                width, height = image.size
                sizes: list[JSONDict] = []
                for side in (90, 320, 800):
                    if max(width, height) <= side:
                        break
                    thumb = image.convert("RGB")
                    thumb.thumbnail((side, side))
                    buffer = BytesIO()
                    thumb.save(buffer, "JPEG")
                    stored = self._store_file(
                        "photo", buffer.getvalue(), width=thumb.width, height=thumb.height
                    )
                    sizes.append(_photo_size_dict(stored))
        except (OSError, SyntaxError, ValueError):
            raise _bad_request("IMAGE_PROCESS_FAILED") from None
        stored = self._store_file("photo", data, file_size=file_size, width=width, height=height)
        return [*sizes, _photo_size_dict(stored)]

    def _get_file(self, params: JSONDict) -> JSONDict:
        file_id = str(params.get("file_id") or "")
        stored = self._files.get(file_id)
        if stored is None:
            raise _bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_SIZE:
            raise _bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    # --- test controls: chats and faults -------------------------------------------------------

    def user(
        self,
        id: int,
        first_name: str = "Người dùng",
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = "vi",
        started: bool = True,
    ) -> SimUser:
        """Register a user. ``started=False``: the bot may not message them until they write."""
        if id <= 0:
            raise ValueError("user ids are positive")
        sim = SimUser(id, first_name, username, last_name, language_code)
        self._users[id] = sim
        if started:
            self._started_users.add(id)
        else:
            self._started_users.discard(id)
        return sim

    def group(
        self,
        id: int,
        title: str,
        *,
        supergroup: bool | None = None,
        username: str | None = None,
    ) -> SimChat:
        """Register a group (negative id); ``-100…`` ids or ``supergroup=True``: supergroup."""
        if id >= 0:
            raise ValueError("group ids are negative")
        if supergroup is None:
            supergroup = str(id).startswith("-100")
        chat = SimChat(id, title, "supergroup" if supergroup else "group", username)
        self._groups[id] = chat
        return chat

    def block(self, user_id: int) -> None:
        self._forbidden[user_id] = "bot was blocked by the user"

    def unblock(self, user_id: int) -> None:
        self._forbidden.pop(user_id, None)

    def deactivate(self, user_id: int) -> None:
        self._forbidden[user_id] = "user is deactivated"

    def kick(self, chat_id: int) -> None:
        """The bot was removed from the group: sends answer 403."""
        kind = self._chat_dict(chat_id)["type"]
        self._forbidden[chat_id] = f"bot was kicked from the {kind} chat"

    def unknown_chat(self, chat_id: int) -> None:
        self._unknown_chats.add(chat_id)

    def migrate(self, chat_id: int, new_chat_id: int, *, by: SimUser | None = None) -> SimChat:
        """Upgrade a group to a supergroup; sends to the old id answer 400 migrate_to_chat_id.

        With ``by`` (the admin who upgraded), the two service messages Telegram delivers
        (``migrate_to_chat_id`` in the old chat, ``migrate_from_chat_id`` in the new) are
        enqueued as updates.
        """
        old = self._chat_dict(chat_id)
        new = self.group(new_chat_id, old.get("title", f"Group {chat_id}"), supergroup=True)
        if by is not None:
            old_message = self._new_message(chat_id, by.to_dict(), migrate_to_chat_id=new_chat_id)
            self._store(chat_id, old_message, outgoing=False)
            self._enqueue("message", old_message)
            new_message = self._new_message(new_chat_id, by.to_dict(), migrate_from_chat_id=chat_id)
            self._store(new_chat_id, new_message, outgoing=False)
            self._enqueue("message", new_message)
        self._migrated[chat_id] = new_chat_id
        return new

    def inject_error(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        parameters: JSONDict | None = None,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next ``count`` calls of ``method`` (to ``chat_id`` if given) answer this error."""
        self._faults.append(
            _Fault(
                "error",
                count,
                frozenset({method.lower()}),
                chat_id,
                error=ApiError(error_code, description, parameters),
            )
        )

    def fail_after_processing(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next ``count`` calls of ``method`` are processed (a message is delivered) and
        then answered with this error: the ambiguous 500/502 of a real server."""
        self._faults.append(
            _Fault(
                "error_after",
                count,
                frozenset({method.lower()}),
                chat_id,
                error=ApiError(error_code, description),
            )
        )

    def reset_after_processing(
        self, count: int = 1, methods: Collection[str] | None = None
    ) -> None:
        """The next ``count`` requests are processed, then their connection is reset without
        an answer (PTB raises ``NetworkError``); they land in ``reset_calls``."""
        wanted = None if methods is None else frozenset(m.lower() for m in methods)
        self._faults.append(_Fault("reset_after", count, wanted))

    def too_many_requests(
        self,
        retry_after: float = 1,
        *,
        count: int = 1,
        method: str = "sendMessage",
        chat_id: int | None = None,
    ) -> None:
        """The next ``count`` ``method`` calls answer 429 with ``retry_after``."""
        self.inject_error(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            parameters={"retry_after": retry_after},
            count=count,
            chat_id=chat_id,
        )

    def drop_connections(self, count: int = 1, methods: Collection[str] | None = None) -> None:
        """Close the connection of the next ``count`` requests without answering.

        The request is not processed (it lands in ``dropped_calls``, not ``calls``); PTB raises
        ``NetworkError``. ``methods=None`` means every method except getUpdates.
        """
        wanted = None if methods is None else frozenset(m.lower() for m in methods)
        self._faults.append(_Fault("drop", count, wanted))

    def delay_responses(
        self, seconds: float, count: int = 1, methods: Collection[str] | None = None
    ) -> None:
        """Hold the next ``count`` requests for ``seconds`` before processing them."""
        wanted = None if methods is None else frozenset(m.lower() for m in methods)
        self._faults.append(_Fault("delay", count, wanted, seconds=seconds))

    def hold_responses(self, methods: Collection[str] | None = ("sendMessage",)) -> None:
        """From now on, process matching requests as usual (a message is delivered and
        stored) and then keep their successful answers until :meth:`release_responses`.

        Unlike ``delay_responses`` (nothing happens if the client gives up first), a held
        request has taken effect: it is the window between "Telegram accepted it" and "the
        bot heard so". Error answers (a 429, a 403) are not held. ``methods=None`` holds
        every method but getUpdates. ``holding`` lists the calls being held now,
        ``held_calls`` every call ever held, ``last_held_at`` (on ``monotonic``) the latest.
        """
        self.release_responses()
        wanted = None if methods is None else frozenset(m.lower() for m in methods)
        self._hold = _Hold(wanted)

    def release_responses(self) -> None:
        """Answer every held request whose client is still there; stop holding."""
        if self._hold is not None:
            self._hold.released.set()
            self._hold = None

    async def wait_until(
        self,
        check: Callable[[], bool],
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - part of the helper API
        description: str = "a condition",
    ) -> None:
        """Wait until ``check()`` holds; it is evaluated whenever a request comes or goes."""
        await self._wait(
            lambda: True if check() else None,
            timeout,
            lambda: f"Timed out after {timeout}s waiting for {description}.",
        )

    def clear_faults(self) -> None:
        self._faults.clear()
        self._forbidden.clear()
        self._unknown_chats.clear()

    # --- test controls: simulated users -------------------------------------------------------

    def _enqueue(self, kind: str, payload: JSONDict) -> JSONDict | None:
        if kind not in self._allowed_updates:
            return None
        update = {"update_id": self._next_update_id, kind: copy.deepcopy(payload)}
        self._next_update_id += 1
        self._updates.append(update)
        return update

    def _chat_id_of(self, chat: Any) -> int:
        if isinstance(chat, SimUser | SimChat):
            return chat.id
        if isinstance(chat, dict):
            return int(chat["chat"]["id"] if "chat" in chat else chat["id"])
        return int(chat)

    def _incoming(
        self,
        user: SimUser,
        chat: Any,
        reply_to: JSONDict | int | None,
        **content: Any,
    ) -> tuple[int, JSONDict]:
        if user.id not in self._users:
            self._users[user.id] = user
        chat_id = user.id if chat is None else self._chat_id_of(chat)
        if chat_id == user.id:
            self._started_users.add(user.id)
        reply = None
        if reply_to is not None:
            reply_id = reply_to if isinstance(reply_to, int) else int(reply_to["message_id"])
            target = self._lookup(chat_id, reply_id)
            if target is None:
                raise AssertionError(f"no message {reply_id} in chat {chat_id} to reply to")
            reply = _without_reply(target)
        message = self._new_message(chat_id, user.to_dict(), reply_to_message=reply, **content)
        self._store(chat_id, message, outgoing=False)
        return chat_id, message

    async def _deliver(self, kind: str, payload: JSONDict) -> JSONDict:
        self._enqueue(kind, payload)
        await self._notify()
        return copy.deepcopy(payload)

    async def send_text(
        self,
        user: SimUser,
        text: str,
        chat: Any = None,
        reply_to: JSONDict | int | None = None,
        *,
        entities: list[JSONDict] | None = None,
    ) -> JSONDict:
        """The user writes ``text`` (private chat unless ``chat``); returns the message dict."""
        found = detect_entities(text, entities)
        _, message = self._incoming(user, chat, reply_to, text=text, entities=found or None)
        return await self._deliver("message", message)

    async def send_command(
        self, user: SimUser, command: str, *args: str, chat: Any = None
    ) -> JSONDict:
        """The user sends ``/command arg1 arg2`` with its bot_command entity."""
        if not command.startswith("/"):
            command = f"/{command}"
        text = " ".join([command, *args])
        entity = {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
        return await self.send_text(user, text, chat, entities=[entity])

    async def edit_text(self, user: SimUser, message: JSONDict | int, text: str) -> JSONDict:
        """The user edits one of their own text messages (an ``edited_message`` update)."""
        chat_id = self._chat_id_of(message) if isinstance(message, dict) else user.id
        message_id = message if isinstance(message, int) else int(message["message_id"])
        stored = self._lookup(chat_id, message_id)
        if stored is None or stored["from"]["id"] != user.id:
            raise AssertionError(f"user {user.id} has no message {message_id} in chat {chat_id}")
        stored["text"] = text
        _set_optional(stored, "entities", detect_entities(text) or None)
        stored["edit_date"] = self._now()
        return await self._deliver("edited_message", stored)

    async def press_button(
        self,
        user: SimUser,
        message: JSONDict | int,
        callback_data: str | None = None,
        *,
        text: str | None = None,
        chat: Any = None,
        forged: bool = False,
    ) -> str:
        """The user presses an inline button (by callback data or label) on a bot message.

        Uses the message's current state, so a keyboard removed by an edit cannot be pressed.
        ``forged=True`` sends ``callback_data`` whatever the keyboard holds, as a modified
        client can (Telegram does not check callback data against the keyboard).
        Returns the callback query id.
        """
        chat_id = (
            self._chat_id_of(message)
            if isinstance(message, dict)
            else (user.id if chat is None else self._chat_id_of(chat))
        )
        message_id = message if isinstance(message, int) else int(message["message_id"])
        stored = self._lookup(chat_id, message_id)
        if stored is None:
            raise AssertionError(f"no message {message_id} in chat {chat_id}")
        buttons = inline_buttons(stored)
        chosen = [
            data
            for label, data in buttons
            if data is not None
            and (callback_data is None or data == callback_data)
            and (text is None or label == text)
        ]
        if forged and callback_data is not None:
            chosen = [callback_data]
        if not chosen or (callback_data is None and text is None):
            raise AssertionError(
                f"message {message_id} in chat {chat_id} has no button "
                f"{callback_data or text!r}; buttons: {buttons}"
            )
        query_id = str(secrets.randbits(63))
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": copy.deepcopy(stored),
            "chat_instance": str(_chat_instance(self.bot_id, chat_id)),
            "data": chosen[0],
        }
        self._callback_queries[query_id] = query
        await self._deliver("callback_query", query)
        return query_id

    async def send_document(
        self,
        user: SimUser,
        filename: str,
        data: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        chat: Any = None,
        reply_to: JSONDict | int | None = None,
        *,
        file_size: int | None = None,
    ) -> JSONDict:
        """The user sends a file. ``file_size`` can declare a size (e.g. > 20 MB for getFile)."""
        stored = self._store_file(
            "document",
            data,
            file_name=filename,
            mime_type=mime_type or _guess_mime(filename, None),
            file_size=file_size,
        )
        caption_entities = detect_entities(caption) if caption else []
        _, message = self._incoming(
            user,
            chat,
            reply_to,
            document=_document_dict(stored),
            caption=caption,
            caption_entities=caption_entities or None,
        )
        return await self._deliver("message", message)

    async def send_photo(
        self,
        user: SimUser,
        data: bytes,
        caption: str | None = None,
        chat: Any = None,
        reply_to: JSONDict | int | None = None,
        *,
        file_size: int | None = None,
    ) -> JSONDict:
        """The user sends a picture (PNG/JPEG bytes); thumbnails are generated like Telegram."""
        try:
            sizes = self._store_photo(data, file_size)
        except ApiError as error:
            raise AssertionError(f"send_photo: {error.description}") from None
        caption_entities = detect_entities(caption) if caption else []
        _, message = self._incoming(
            user,
            chat,
            reply_to,
            photo=sizes,
            caption=caption,
            caption_entities=caption_entities or None,
        )
        return await self._deliver("message", message)

    async def forward(
        self,
        user: SimUser,
        message: JSONDict,
        chat: Any = None,
        *,
        origin_user: SimUser | None = None,
    ) -> JSONDict:
        """The user forwards ``message`` (e.g. one carrying a document) into a chat with the bot.

        ``forward_origin`` names ``origin_user`` if given, else the original sender (a
        channel or group origin when the message came from one).
        """
        content_keys = ("text", "entities", "document", "photo", "caption", "caption_entities")
        content = {key: copy.deepcopy(message[key]) for key in content_keys if key in message}
        date = int(message.get("date", self._now()))
        source_chat = message.get("chat", {})
        if origin_user is not None:
            origin = {"type": "user", "date": date, "sender_user": origin_user.to_dict()}
        elif source_chat.get("type") == "channel":
            origin = {
                "type": "channel",
                "date": date,
                "chat": source_chat,
                "message_id": message["message_id"],
            }
        else:
            origin = {"type": "user", "date": date, "sender_user": message.get("from")}
        _, forwarded = self._incoming(user, chat, None, forward_origin=origin, **content)
        return await self._deliver("message", forwarded)

    async def add_bot_to_group(self, user: SimUser, chat: SimChat) -> JSONDict:
        """``user`` adds the bot to ``chat``: a my_chat_member update, then the service message."""
        date = self._now()
        self._forbidden.pop(chat.id, None)
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.to_dict(),
                "from": user.to_dict(),
                "date": date,
                "old_chat_member": {"status": "left", "user": self.bot_user},
                "new_chat_member": {"status": "member", "user": self.bot_user},
            },
        )
        _, message = self._incoming(user, chat, None, new_chat_members=[self.bot_user])
        return await self._deliver("message", message)

    # --- reading what the bot did -------------------------------------------------------------

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot (getUpdates with a higher offset, or a 2xx
        answer from the webhook)."""
        return len(self._updates)

    def calls_of(self, method: str) -> list[JSONDict]:
        """Parameters of every processed call of ``method`` (case-insensitive), in order."""
        return [params for name, params in self.calls if name.lower() == method.lower()]

    def sent_messages(self, chat: Any) -> list[JSONDict]:
        """Messages the bot sent to ``chat``, in order, as they are now (edits applied)."""
        chat_id = self._chat_id_of(chat)
        return [
            copy.deepcopy(message)
            for message_id, message in self._messages.get(chat_id, {}).items()
            if (chat_id, message_id) in self._outgoing
            and (chat_id, message_id) not in self._deleted
        ]

    def history(self, chat: Any) -> list[JSONDict]:
        """Every message in ``chat`` from either side, deleted ones left out."""
        chat_id = self._chat_id_of(chat)
        return [
            copy.deepcopy(message)
            for message_id, message in self._messages.get(chat_id, {}).items()
            if (chat_id, message_id) not in self._deleted
        ]

    def message(self, chat: Any, message_id: int) -> JSONDict:
        chat_id = self._chat_id_of(chat)
        found = self._lookup(chat_id, message_id)
        if found is None:
            raise AssertionError(f"no message {message_id} in chat {chat_id}")
        return copy.deepcopy(found)

    inline_buttons = staticmethod(inline_buttons)

    _SNAPSHOT = (
        "_users",
        "_groups",
        "_started_users",
        "_messages",
        "_next_message_id",
        "_outgoing",
        "_deleted",
        "_files",
        "_files_by_path",
        "_commands",
    )

    def snapshot(self) -> JSONDict:
        """The chats, their messages and files (plain data): ``restore`` takes it back."""
        state = {name: copy.deepcopy(getattr(self, name)) for name in self._SNAPSHOT}
        next_file = next(self._file_counter)
        self._file_counter = itertools.count(next_file)
        state["next_file"] = next_file
        return state

    def restore(self, state: JSONDict) -> None:
        """Take back a ``snapshot`` (a kept demo): message ids go on where they stopped."""
        for name in self._SNAPSHOT:
            setattr(self, name, state[name])
        self._file_counter = itertools.count(int(state["next_file"]))

    async def touch(self) -> None:
        """Wake the viewers waiting in ``wait_for_change`` (something outside changed)."""
        await self._notify()

    def stored_file(self, file_id: str) -> StoredFile | None:
        """A file either side sent, by its ``file_id`` (None if unknown)."""
        return self._files.get(file_id)

    async def wait_for_change(self, since: int, timeout: float) -> int:  # noqa: ASYNC109
        """Wait until ``version`` exceeds ``since`` or ``timeout`` passes; return ``version``.

        For viewers that long-poll the server's state (the demo page); never raises.
        """
        with suppress(TimeoutError):
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: self.version > since or self._closing)
        return self.version

    async def _wait(
        self,
        check: Callable[[], T | None],
        timeout: float,  # noqa: ASYNC109 - a wait deadline, applied with asyncio.timeout
        describe: Callable[[], str],
    ) -> T:
        result: list[T] = []

        def done() -> bool:
            value = check()
            if value is None:
                return False
            result.append(value)
            return True

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(done)
        except TimeoutError:
            raise AssertionError(f"{describe()}\n{self.dump()}") from None
        return result[-1]

    async def wait_for_messages(
        self,
        chat: Any,
        count: int = 1,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - part of the helper API
        predicate: Callable[[JSONDict], bool] | None = None,
        *,
        after: JSONDict | int | None = None,
    ) -> list[JSONDict]:
        """Wait until the bot's messages in ``chat`` (matching ``predicate``, newer than
        ``after``) number at least ``count``; return all of them, oldest first.
        """
        chat_id = self._chat_id_of(chat)
        after_id = after if isinstance(after, int) else (after or {}).get("message_id", 0)

        def matching() -> list[JSONDict]:
            return [
                message
                for message in self.sent_messages(chat_id)
                if message["message_id"] > after_id and (predicate is None or predicate(message))
            ]

        def check() -> list[JSONDict] | None:
            found = matching()
            return found if len(found) >= count else None

        return await self._wait(
            check,
            timeout,
            lambda: (
                f"Timed out after {timeout}s waiting for {count} bot message(s) in chat "
                f"{chat_id} (after message {after_id}, predicate={predicate!r}); "
                f"got {len(matching())}."
            ),
        )

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - part of the helper API
        *,
        since: int = 0,
    ) -> ApiCall:
        """Wait for the first call of ``method`` at index >= ``since`` in ``calls`` (use
        ``len(server.calls)`` as a marker) whose params match ``predicate``.
        """

        def check() -> ApiCall | None:
            for call in self.calls[since:]:
                if call.method.lower() == method.lower() and (
                    predicate is None or predicate(call.params)
                ):
                    return call
            return None

        return await self._wait(
            check,
            timeout,
            lambda: f"Timed out after {timeout}s waiting for a {method} call (since #{since}).",
        )

    async def wait_for_callback_answer(
        self,
        callback_query_id: str,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - part of the helper API
    ) -> CallbackAnswer:
        def check() -> CallbackAnswer | None:
            return next(
                (a for a in self.callback_answers if a.callback_query_id == callback_query_id),
                None,
            )

        return await self._wait(
            check,
            timeout,
            lambda: (
                f"Timed out after {timeout}s waiting for answerCallbackQuery "
                f"of query {callback_query_id}."
            ),
        )

    async def wait_until_delivered(
        self,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - part of the helper API
    ) -> None:
        """Wait until the bot has every update enqueued so far (fetched with getUpdates, or
        accepted by its webhook)."""
        last = self._next_update_id - 1

        def check() -> bool | None:
            return True if self._last_delivered_update_id >= last else None

        await self._wait(
            check, timeout, lambda: f"Timed out after {timeout}s: the bot did not fetch updates."
        )

    def dump(self, limit: int = 20) -> str:
        """A readable state dump: chats, recent calls, error answers, pending updates."""
        lines = ["--- fake Bot API state ---"]
        for chat_id, messages in self._messages.items():
            lines.append(f"chat {chat_id}:")
            for message_id, message in list(messages.items())[-limit:]:
                who = "bot " if (chat_id, message_id) in self._outgoing else "user"
                gone = " (deleted)" if (chat_id, message_id) in self._deleted else ""
                body = message.get("text") or message.get("caption") or ""
                if "document" in message:
                    body = f"[document {message['document'].get('file_name')}] {body}"
                buttons = inline_buttons(message)
                extra = f" buttons={buttons}" if buttons else ""
                lines.append(f"  #{message_id} {who}{gone}: {body[:300]!r}{extra}")
        recent = [call for call in self.calls if call.method != "getUpdates"][-limit:]
        lines.append(f"last {len(recent)} calls (getUpdates left out):")
        lines.extend(f"  {call.method} {_short(call.params)}" for call in recent)
        if self.errors:
            lines.append("error answers:")
            lines.extend(
                f"  {e.method} -> {e.error_code} {e.description} {_short(e.params)}"
                for e in self.errors[-limit:]
            )
        if self.dropped_calls:
            lines.append(f"dropped connections: {[c.method for c in self.dropped_calls]}")
        if self.webhook is not None:
            lines.append(f"webhook: {self.webhook.get('url')}")
        failed = [d for d in self.webhook_deliveries if d.outcome != "delivered"]
        if failed:
            lines.append("failed webhook deliveries:")
            lines.extend(
                f"  update {d.update_id} -> {d.url}: {d.error} ({d.outcome})"
                for d in failed[-limit:]
            )
        lines.append(
            f"pending updates: {len(self._updates)} "
            f"(last delivered update_id {self._last_delivered_update_id})"
        )
        return "\n".join(lines)


# --- helpers ------------------------------------------------------------------------------------

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_BUTTON_ACTIONS = frozenset(
    [
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ]
)
_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_MIME_BY_EXTENSION = {
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
}


# BotCommandScope types (https://core.telegram.org/bots/api#botcommandscope); the last three
# name a chat.
_COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_CHAT_SCOPES = frozenset({"chat", "chat_administrators", "chat_member"})


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.json_response(payload, status=status, dumps=partial(json.dumps, ensure_ascii=False))


def _decode(key: str, value: str) -> Any:
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _check_webhook_url(url: str) -> None:
    """Telegram wants https; the fake posts only to this machine, so it takes http or https
    to a loopback host (127.0.0.0/8, localhost, [::1]) and refuses every other address."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise _bad_request("bad webhook: Invalid URL") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    host = parts.hostname
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise _bad_request(
            "bad webhook: the fake Bot API delivers only to loopback hosts "
            "(127.0.0.0/8, localhost, [::1])"
        )


def _set_optional(target: JSONDict, key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _without_reply(message: JSONDict) -> JSONDict:
    """A message as it appears in reply_to_message: no nested reply_to_message."""
    nested = copy.deepcopy(message)
    nested.pop("reply_to_message", None)
    return nested


def _window_wait(history: deque[float], limit: Limit, now: float) -> float:
    """Seconds until one more send fits in ``limit``; 0 if it fits now."""
    recent = [stamp for stamp in history if stamp > now - limit.seconds]
    if len(recent) < limit.count:
        return 0.0
    return recent[-limit.count] + limit.seconds - now


def _chat_instance(bot_id: int, chat_id: int) -> int:
    return -(((bot_id * 1_000_003) ^ (chat_id * 7_919)) % 9_000_000_000_000_000_000)


def _guess_mime(filename: str | None, declared: str | None) -> str:
    if filename:
        suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if suffix in _MIME_BY_EXTENSION:
            return _MIME_BY_EXTENSION[suffix]
        guessed, _ = mimetypes.guess_type(filename)
        if guessed:
            return guessed
    return declared or "application/octet-stream"


def _extension(file_name: str | None, mime_type: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[-1].lower()
    return (mimetypes.guess_extension(mime_type or "") or "") if mime_type else ""


def _document_dict(stored: StoredFile) -> JSONDict:
    data: JSONDict = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    if stored.file_name:
        data["file_name"] = stored.file_name
    if stored.mime_type:
        data["mime_type"] = stored.mime_type
    data["file_size"] = stored.file_size
    return data


def _photo_size_dict(stored: StoredFile) -> JSONDict:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": stored.width or 0,
        "height": stored.height or 0,
        "file_size": stored.file_size,
    }


def _short(params: JSONDict, width: int = 200) -> str:
    text = repr({key: value for key, value in params.items() if value is not None})
    return text if len(text) <= width else text[: width - 1] + "…"


@asynccontextmanager
async def running_local_bot_api(**options: Any) -> AsyncIterator[LocalBotApi]:
    """Start a ``LocalBotApi(**options)`` for the duration of the block (fixture-friendly)."""
    server = LocalBotApi(**options)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def utc_from_timestamp(seconds: int) -> datetime:
    """Telegram dates are Unix seconds; this turns one back into an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)
