"""The fake Bot API is faithful: PTB's own Bot and Application work against it unchanged."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from PIL import Image
from telegram import (
    Bot,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    AIORateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes import FakeBotApi, FixedClock, Limit, RateLimits, inline_buttons
from tests.fakes.ptb import application_builder, fake_bot, free_port, polling, webhook

pytestmark = pytest.mark.e2e

USER_ID = 111
GROUP_ID = -222


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22.8 warns (PTBDeprecationWarning) whenever it builds a RetryAfter unless
    PTB_TIMEDELTA is set; with warnings as errors that warning would replace the RetryAfter.
    """
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as running:
        yield running


@pytest.fixture
async def bot(server: FakeBotApi) -> AsyncIterator[Bot]:
    async with fake_bot(server) as client:
        yield client


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


# --- Bot methods --------------------------------------------------------------------------------


async def test_get_me_describes_a_bot(server: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()

    assert me.is_bot
    assert me.username == server.bot_username
    assert me.id == server.bot_id


async def test_send_message_keeps_inline_keyboard_and_parses_html(
    server: FakeBotApi, bot: Bot
) -> None:
    server.user(USER_ID, "An")

    sent = await bot.send_message(
        USER_ID,
        "<b>Công văn</b> số 12 &amp; 13",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(("Xong", "a:done:17"), ("Chưa", "a:todo:17")),
    )

    assert sent.text == "Công văn số 12 & 13"
    assert sent.entities[0].type == "bold"
    assert sent.entities[0].length == len("Công văn")
    assert sent.chat.type == "private"
    assert sent.from_user is not None
    assert sent.from_user.is_bot
    assert isinstance(sent.date, datetime)
    [stored] = server.sent_messages(USER_ID)
    assert inline_buttons(stored) == [("Xong", "a:done:17"), ("Chưa", "a:todo:17")]
    assert sent.reply_markup == keyboard(("Xong", "a:done:17"), ("Chưa", "a:todo:17"))


async def test_reply_carries_the_full_replied_message(server: FakeBotApi, bot: Bot) -> None:
    alice = server.user(USER_ID, "An")
    question = await server.send_text(alice, "Hạn nộp là khi nào?")

    answer = await bot.send_message(
        USER_ID, "Thứ sáu", reply_parameters=ReplyParameters(question["message_id"])
    )
    follow_up = await server.send_text(alice, "Cảm ơn", reply_to=answer.message_id)

    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "Hạn nộp là khi nào?"
    assert follow_up["reply_to_message"]["text"] == "Thứ sáu"
    assert "reply_to_message" not in follow_up["reply_to_message"]
    assert follow_up["message_id"] > answer.message_id > question["message_id"]


async def test_reply_to_missing_message_is_bad_request(server: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(USER_ID, "x", reply_parameters=ReplyParameters(999))


async def test_edit_message_text_replaces_text_and_drops_keyboard(
    server: FakeBotApi, bot: Bot
) -> None:
    sent = await bot.send_message(USER_ID, "Đang xử lý", reply_markup=keyboard(("Xong", "d:1")))

    edited = await bot.edit_message_text("Đã xong", chat_id=USER_ID, message_id=sent.message_id)

    assert isinstance(edited, type(sent))
    assert edited.edit_date is not None
    [stored] = server.sent_messages(USER_ID)
    assert stored["text"] == "Đã xong"
    assert inline_buttons(stored) == []
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Đã xong", chat_id=USER_ID, message_id=sent.message_id)


async def test_edit_reply_markup_and_delete(server: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER_ID, "Chọn", reply_markup=keyboard(("A", "a")))

    await bot.edit_message_reply_markup(USER_ID, sent.message_id, reply_markup=keyboard(("B", "b")))
    assert inline_buttons(server.sent_messages(USER_ID)[0]) == [("B", "b")]
    assert await bot.delete_message(USER_ID, sent.message_id)

    assert server.sent_messages(USER_ID) == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(USER_ID, sent.message_id)


async def test_document_round_trip(server: FakeBotApi, bot: Bot) -> None:
    payload = "Công văn 12/UBND\n".encode() * 100

    sent = await bot.send_document(USER_ID, BytesIO(payload), filename="cong-van.docx")
    assert sent.document is not None
    file = await bot.get_file(sent.document.file_id)
    downloaded = await file.download_as_bytearray()

    assert bytes(downloaded) == payload
    assert sent.document.file_name == "cong-van.docx"
    assert sent.document.file_size == len(payload)
    assert sent.document.mime_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    again = await bot.send_document(GROUP_ID, sent.document.file_id)
    assert again.document is not None
    assert again.document.file_unique_id == sent.document.file_unique_id


async def test_user_document_downloads_and_big_file_is_refused(
    server: FakeBotApi, bot: Bot
) -> None:
    alice = server.user(USER_ID, "An")
    small = await server.send_document(alice, "ds.xlsx", b"PK\x03\x04data", caption="Danh sách")
    big = await server.send_document(alice, "scan.pdf", b"%PDF", file_size=21 * 1024 * 1024)

    file = await bot.get_file(small["document"]["file_id"])

    assert bytes(await file.download_as_bytearray()) == b"PK\x03\x04data"
    assert small["document"]["file_size"] == len(b"PK\x03\x04data")
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(big["document"]["file_id"])


async def test_photo_is_stored_with_sizes(server: FakeBotApi, bot: Bot) -> None:
    buffer = BytesIO()
    Image.new("RGB", (400, 200), "white").save(buffer, "PNG")

    sent = await bot.send_photo(USER_ID, buffer.getvalue(), caption="Biểu đồ")

    assert sent.caption == "Biểu đồ"
    assert (sent.photo[-1].width, sent.photo[-1].height) == (400, 200)
    assert [size.width for size in sent.photo] == [90, 320, 400]


async def test_text_limits_follow_telegram(server: FakeBotApi, bot: Bot) -> None:
    bold_4096 = "<b>" + "a" * 4096 + "</b>"

    await bot.send_message(USER_ID, bold_4096, parse_mode=ParseMode.HTML)

    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER_ID, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER_ID, "  \n")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(USER_ID, "<b>chưa đóng", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)Unsupported start tag"):
        await bot.send_message(USER_ID, "dòng<br>dòng", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER_ID, "x", reply_markup=keyboard(("A", "đ" * 33)))


async def test_rate_limit_answers_retry_after(server: FakeBotApi, bot: Bot) -> None:
    now = [1000.0]
    server.rate_limits = RateLimits.telegram()
    server._monotonic = lambda: now[0]

    await bot.send_message(USER_ID, "một")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER_ID, "hai")
    now[0] += 1.0
    await bot.send_message(USER_ID, "hai")

    assert raised.value.retry_after == timedelta(seconds=1)
    assert [m["text"] for m in server.sent_messages(USER_ID)] == ["một", "hai"]


async def test_default_rate_limits_allow_short_bursts_but_not_floods(
    server: FakeBotApi, bot: Bot
) -> None:
    for number in range(10):
        await bot.send_message(USER_ID, f"tin {number}")

    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER_ID, "tin 11")
    server.rate_limits = RateLimits(overall=Limit(30, 1.0), per_chat=None)
    await bot.send_message(USER_ID, "tin 11")

    assert raised.value.retry_after == timedelta(seconds=10)


async def test_aio_rate_limiter_retries_an_injected_429(server: FakeBotApi) -> None:
    server.too_many_requests(retry_after=0.05, count=2, chat_id=USER_ID)
    limited = fake_bot(server, rate_limiter=AIORateLimiter(max_retries=3))
    async with limited:
        sent = await limited.send_message(USER_ID, "đến nơi")

    assert sent.text == "đến nơi"
    assert [e.error_code for e in server.errors] == [429, 429]


async def test_injected_429_hits_only_the_next_send(server: FakeBotApi, bot: Bot) -> None:
    server.too_many_requests(retry_after=7, chat_id=USER_ID)

    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER_ID, "một")
    await bot.send_message(USER_ID, "một")

    assert raised.value.retry_after == timedelta(seconds=7)
    assert server.errors[-1].payload() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }


async def test_blocked_user_is_forbidden(server: FakeBotApi, bot: Bot) -> None:
    server.block(USER_ID)

    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(USER_ID, "nhắc việc")


async def test_migrated_group_answers_chat_migrated(server: FakeBotApi, bot: Bot) -> None:
    server.group(GROUP_ID, "Phòng Tổ chức")
    server.migrate(GROUP_ID, -1001234567890)

    with pytest.raises(ChatMigrated) as raised:
        await bot.send_message(GROUP_ID, "thông báo")
    moved = await bot.send_message(raised.value.new_chat_id, "thông báo")

    assert raised.value.new_chat_id == -1001234567890
    assert moved.chat.type == "supergroup"
    assert moved.chat.title == "Phòng Tổ chức"


async def test_unknown_chat_is_bad_request(server: FakeBotApi, bot: Bot) -> None:
    server.unknown_chat(404)

    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(404, "x")


async def test_unknown_method_and_wrong_token(server: FakeBotApi) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{server.api_url}{server.token}/sendTelepathy") as response:
            unknown = (response.status, await response.json())
        async with session.post(f"{server.api_url}1:wrong/getMe") as response:
            wrong_token = (response.status, await response.json())

    assert unknown == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert wrong_token == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=server.api_url):
            pass


async def test_dropped_connection_is_a_network_error(server: FakeBotApi, bot: Bot) -> None:
    server.drop_connections(1, methods=["sendMessage"])

    with pytest.raises(NetworkError):
        await bot.send_message(USER_ID, "mất kết nối")
    await bot.send_message(USER_ID, "thử lại")

    assert [c.method for c in server.dropped_calls] == ["sendMessage"]
    assert [m["text"] for m in server.sent_messages(USER_ID)] == ["thử lại"]


async def test_held_answer_comes_after_release_and_the_message_is_already_there(
    server: FakeBotApi, bot: Bot
) -> None:
    server.hold_responses(methods=["sendMessage"])
    sending = asyncio.create_task(bot.send_message(USER_ID, "giữ lại"))
    await server.wait_until(lambda: len(server.holding) == 1, description="a held request")

    assert [m["text"] for m in server.sent_messages(USER_ID)] == ["giữ lại"]
    assert not sending.done()
    await bot.get_me()  # other methods are answered at once
    server.release_responses()
    message = await sending

    assert message.text == "giữ lại"
    assert server.holding == []
    assert [c.params["text"] for c in server.held_calls] == ["giữ lại"]
    await bot.send_message(USER_ID, "không giữ nữa")


async def test_held_request_stays_delivered_when_the_client_goes_away(
    server: FakeBotApi,
) -> None:
    server.hold_responses()
    url = f"{server.api_url}{server.token}/sendMessage"
    async with aiohttp.ClientSession() as client:
        request = asyncio.create_task(client.post(url, data={"chat_id": USER_ID, "text": "mất"}))
        await server.wait_until(lambda: bool(server.holding), description="a held request")
        request.cancel()  # the client dies before the answer: the connection closes
        with pytest.raises(asyncio.CancelledError):
            await request
    await server.wait_until(lambda: not server.holding, description="the handler to end")
    server.release_responses()

    assert [m["text"] for m in server.sent_messages(USER_ID)] == ["mất"]


async def test_long_poll_returns_as_soon_as_an_update_arrives(server: FakeBotApi, bot: Bot) -> None:
    alice = server.user(USER_ID, "An")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await server.wait_for_call("getUpdates")

    await server.send_text(alice, "chào")
    [update] = await poll

    assert time.monotonic() - started < 2
    assert update.message is not None
    assert update.message.text == "chào"
    assert update.message.from_user is not None
    assert update.message.from_user.is_bot is False
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_second_get_updates_terminates_the_first(server: FakeBotApi, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await server.wait_for_call("getUpdates")

    async with fake_bot(server) as second_instance:  # PTB's own getUpdates pool holds one
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_commands_are_stored(server: FakeBotApi, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Bắt đầu"), ("tonghop", "Tổng hợp")])

    commands = await bot.get_my_commands()

    assert [c.command for c in commands] == ["start", "tonghop"]
    assert server.commands()[1] == {"command": "tonghop", "description": "Tổng hợp"}


async def test_a_chat_scope_menu_wins_over_the_default_one(server: FakeBotApi, bot: Bot) -> None:
    someone, other = server.user(71), server.user(72)
    await bot.set_my_commands([("start", "Bắt đầu")])
    await bot.set_my_commands([("viec", "Việc")], scope=BotCommandScopeChat(71))

    assert server.menu_for(someone) == ["viec"]
    assert server.menu_for(other) == ["start"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(71))] == ["viec"]


async def test_deleting_a_chat_scope_menu_falls_back_to_the_default(
    server: FakeBotApi, bot: Bot
) -> None:
    someone = server.user(73)
    await bot.set_my_commands([("start", "Bắt đầu")])
    await bot.set_my_commands([("viec", "Việc")], scope=BotCommandScopeChat(73))

    await bot.delete_my_commands(scope=BotCommandScopeChat(73))

    assert server.menu_for(someone) == ["start"]


async def test_menu_for_prefers_the_users_language(server: FakeBotApi, bot: Bot) -> None:
    someone = server.user(74, language_code="en")
    await bot.set_my_commands([("start", "Bắt đầu")], scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(
        [("help", "Help")], scope=BotCommandScopeAllPrivateChats(), language_code="en"
    )

    assert server.menu_for(someone) == ["help"]
    assert server.menu_for(server.user(75, language_code="vi")) == ["start"]


async def test_a_chat_scope_for_an_unknown_chat_is_refused(server: FakeBotApi, bot: Bot) -> None:
    server.unknown_chat(76)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([("start", "Bắt đầu")], scope=BotCommandScopeChat(76))


async def test_more_than_a_hundred_commands_are_refused(server: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)too many commands"):
        await bot.set_my_commands([(f"c{i}", "x") for i in range(101)])


async def test_message_dates_follow_the_fixed_clock() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))
    async with FakeBotApi(clock=clock) as server:
        message = await server.send_text(server.user(USER_ID, "An"), "chào")
        clock.advance(minutes=5)
        later = await server.send_text(server.user(USER_ID, "An"), "chào lần nữa")

    assert message["date"] == int(datetime(2026, 3, 2, 1, 30, tzinfo=UTC).timestamp())
    assert later["date"] - message["date"] == 300


# --- a real Application over long polling ----------------------------------------------------


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html(
        "<b>Chào</b> bạn! Chọn việc:", reply_markup=keyboard(("Xong", "a:done:17"))
    )


async def done_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Đã ghi nhận", show_alert=True)
    await query.edit_message_text(f"Đã xong ({query.data})")


async def document_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    assert message.document is not None
    file = await message.document.get_file()
    data = await file.download_as_bytearray()
    await message.reply_text(f"Đã nhận {message.document.file_name}: {len(data)} byte")


async def test_application_answers_start_and_button_over_long_polling(
    server: FakeBotApi,
) -> None:
    app = application_builder(server).build()
    app.add_handler(CommandHandler("start", start_command))
    app.add_handler(CallbackQueryHandler(done_button, pattern=r"^a:done:"))
    app.add_handler(MessageHandler(filters.Document.ALL, document_message))
    alice = server.user(USER_ID, "An", username="an_nguyen")

    async with polling(app):
        await server.send_command(alice, "/start")
        [menu] = await server.wait_for_messages(alice)
        query_id = await server.press_button(alice, menu, "a:done:17")
        answer = await server.wait_for_callback_answer(query_id)
        await server.wait_for_messages(alice, predicate=lambda m: m["text"].startswith("Đã xong"))
        await server.send_document(alice, "cv.pdf", b"%PDF-1.7 abc")
        [receipt] = await server.wait_for_messages(alice, after=menu)

    assert menu["text"] == "Chào bạn! Chọn việc:"
    assert "reply_to_message" not in menu  # PTB 22 quotes only in groups by default
    assert (answer.text, answer.show_alert) == ("Đã ghi nhận", True)
    assert server.sent_messages(alice)[0]["text"] == "Đã xong (a:done:17)"
    assert receipt["text"] == "Đã nhận cv.pdf: 12 byte"
    assert server.pending_updates == 0  # the shutdown getUpdates confirmed everything


async def test_wait_for_messages_times_out_with_a_dump(server: FakeBotApi) -> None:
    server.user(USER_ID, "An")

    with pytest.raises(AssertionError, match="fake Bot API state"):
        await server.wait_for_messages(USER_ID, timeout=0.05)


async def test_application_handles_group_command_addressed_to_it(server: FakeBotApi) -> None:
    app = application_builder(server).build()
    app.add_handler(CommandHandler("start", start_command))
    room = server.group(GROUP_ID, "Phòng Hành chính")
    alice = server.user(USER_ID, "An")

    async with polling(app):
        await server.send_command(alice, "/start@someone_else_bot", chat=room)
        await server.send_command(alice, f"/start@{server.bot_username}", chat=room)
        [menu] = await server.wait_for_messages(room)

    assert menu["chat"] == {"id": GROUP_ID, "type": "group", "title": "Phòng Hành chính"}
    assert menu["reply_to_message"]["text"] == f"/start@{server.bot_username}"


async def test_rate_limits_none_turns_them_off() -> None:
    async with FakeBotApi(rate_limits=None) as server, fake_bot(server) as client:
        for number in range(40):
            await client.send_message(USER_ID, f"tin {number}")

    assert len(server.sent_messages(USER_ID)) == 40


async def test_strict_chats_refuse_unregistered_ids() -> None:
    async with FakeBotApi(strict_chats=True) as server, fake_bot(server) as client:
        server.user(USER_ID, "An")
        await client.send_message(USER_ID, "chào")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await client.send_message(USER_ID + 1, "chào")


# --- webhook delivery ---------------------------------------------------------------------------


async def test_application_answers_start_and_button_over_a_webhook(server: FakeBotApi) -> None:
    app = application_builder(server).build()
    app.add_handler(CommandHandler("start", start_command))
    app.add_handler(CallbackQueryHandler(done_button, pattern=r"^a:done:"))
    alice = server.user(USER_ID, "An")

    async with webhook(app, secret_token="bi-mat_123") as url:
        await server.send_command(alice, "/start")
        [menu] = await server.wait_for_messages(alice)
        query_id = await server.press_button(alice, menu, "a:done:17")
        answer = await server.wait_for_callback_answer(query_id)
        await server.wait_until_delivered()
        async with fake_bot(server) as other:
            with pytest.raises(Conflict, match="webhook is active"):
                await other.get_updates(timeout=0)
            info = await other.get_webhook_info()

    assert server.calls_of("setWebhook")[-1]["secret_token"] == "bi-mat_123"
    assert menu["text"] == "Chào bạn! Chọn việc:"
    assert answer.text == "Đã ghi nhận"
    assert [d.outcome for d in server.webhook_deliveries][-2:] == ["delivered", "delivered"]
    assert all(d.url == url for d in server.webhook_deliveries)
    assert (info.url, info.pending_update_count) == (url, 0)
    assert server.pending_updates == 0


class Receiver:
    """A stand-in webhook endpoint that records every POST and answers from a script."""

    def __init__(self, answers: list[int]) -> None:
        self.answers = answers  # statuses for the first requests; 200 after them
        self.requests: list[tuple[dict[str, Any], dict[str, str]]] = []
        self.runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((await request.json(), dict(request.headers)))
        status = self.answers.pop(0) if self.answers else 200
        return web.Response(status=status)

    async def start(self, port: int) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


async def test_webhook_posts_updates_in_order_and_retries_until_accepted(
    server: FakeBotApi, bot: Bot
) -> None:
    port = free_port()
    receiver = Receiver(answers=[503])
    alice = server.user(USER_ID, "An")
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
    sent = [await server.send_text(alice, f"tin {number}") for number in range(3)]
    # Nothing listens yet: the first update fails to connect and is retried with back-off.
    await server.wait_until(
        lambda: len(server.webhook_deliveries) >= 2, description="two failed attempts"
    )
    await receiver.start(port)
    try:
        await server.wait_until_delivered()
    finally:
        await receiver.stop()

    texts = [body["message"]["text"] for body, _ in receiver.requests]
    assert texts == ["tin 0", "tin 0", "tin 1", "tin 2"]  # the 503 one again, then in order
    assert all(h["X-Telegram-Bot-Api-Secret-Token"] == "s3cret" for _, h in receiver.requests)
    assert all(h["Content-Type"] == "application/json" for _, h in receiver.requests)
    first_id = server.webhook_deliveries[0].update_id
    first_attempts = [d for d in server.webhook_deliveries if d.update_id == first_id]
    assert (first_attempts[0].status, first_attempts[0].outcome) == (None, "retry")
    assert [d.status for d in first_attempts[-2:]] == [503, 200]
    assert [body["message"]["message_id"] for body, _ in receiver.requests[1:]] == [
        m["message_id"] for m in sent
    ]
    assert server.pending_updates == 0


async def test_webhook_client_error_drops_the_update_and_is_reported(
    server: FakeBotApi, bot: Bot
) -> None:
    port = free_port()
    receiver = Receiver(answers=[403])
    await receiver.start(port)
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook")
        await server.send_text(server.user(USER_ID, "An"), "bị từ chối")
        await server.send_text(server.user(USER_ID, "An"), "được nhận")
        await server.wait_until(lambda: server.pending_updates == 0, description="both handled")
        info = await bot.get_webhook_info()
    finally:
        await receiver.stop()

    assert [(d.status, d.outcome) for d in server.webhook_deliveries] == [
        (403, "dropped"),
        (200, "delivered"),
    ]
    assert "X-Telegram-Bot-Api-Secret-Token" not in receiver.requests[0][1]
    assert info.last_error_message == "Wrong response from the webhook: 403 Forbidden"


async def test_delete_webhook_switches_back_to_polling(server: FakeBotApi, bot: Bot) -> None:
    alice = server.user(USER_ID, "An")
    await bot.set_webhook(f"http://127.0.0.1:{free_port()}/hook")  # nothing listens there
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    await server.send_text(alice, "chờ")
    await server.wait_until(lambda: bool(server.webhook_deliveries), description="an attempt")

    await bot.delete_webhook()
    [update] = await bot.get_updates(timeout=0)

    assert update.message is not None
    assert update.message.text == "chờ"
    assert all(d.outcome == "retry" for d in server.webhook_deliveries)


async def test_set_webhook_refuses_other_hosts_and_bad_secrets(
    server: FakeBotApi, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match="loopback"):
        await bot.set_webhook("https://bot.example.gov.vn/telegram")
    with pytest.raises(BadRequest, match="unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="có dấu")

    assert server.webhook is None


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=7))))

    assert clock.now() == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert clock.advance(days=1, minutes=30) == datetime(2026, 3, 3, 1, 30, tzinfo=UTC)
    clock.set(datetime(2026, 4, 1, tzinfo=UTC))
    assert clock() == datetime(2026, 4, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2026, 4, 1))  # noqa: DTZ001 - the naive value under test
