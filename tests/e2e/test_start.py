"""/start, /help and what unregistered users get."""

from __future__ import annotations

from sqlalchemy import func, select

from bot import texts
from models import Event, Person, Role
from tests.e2e.conftest import ADMIN_ID, BotHarness
from tests.e2e.test_replies import shown


async def test_unregistered_start_gets_the_welcome(bot: BotHarness) -> None:
    stranger = bot.api.user(555, "Khách")
    await bot.api.send_command(stranger, "/start")
    [reply] = await bot.api.wait_for_messages(stranger)
    assert reply["text"] == shown(texts.welcome_unregistered(555))
    assert "555" in reply["text"]  # the id to send along with the request


async def test_unregistered_messages_change_nothing(bot: BotHarness) -> None:
    stranger = bot.api.user(556, "Khách")
    for text in ("xong", "/viec", "/tonghop"):
        await bot.api.send_text(stranger, text)
    await bot.api.send_document(stranger, "cv.txt", b"1. So Noi vu thuc hien")
    replies = await bot.api.wait_for_messages(stranger, count=4)
    assert [r["text"] for r in replies] == [shown(texts.NOT_REGISTERED)] * 4
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 0
        assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_bootstrap_admin_is_registered_on_start(bot: BotHarness) -> None:
    admin = bot.api.user(ADMIN_ID, "Quản trị")
    await bot.api.send_command(admin, "/start")
    [reply] = await bot.api.wait_for_messages(admin)
    assert reply["text"] == shown(
        texts.welcome_back("Quản trị", texts.ROLE_LABELS[Role.ADMIN], None)
    )
    async with bot.session_factory() as session:
        person = await session.scalar(select(Person))
    assert person is not None
    assert person.role == Role.ADMIN


async def test_unknown_command_is_answered_in_vietnamese(bot: BotHarness) -> None:
    user = await bot.register(301, Role.SUPERVISOR)
    await bot.api.send_command(user, "/khongco")
    [reply] = await bot.api.wait_for_messages(user)
    assert reply["text"] == shown(texts.unknown_command("/khongco"))


async def test_the_default_menu_is_set(bot: BotHarness) -> None:
    names = [c["command"] for c in bot.api.commands()]
    assert names == ["start", "help"]


async def test_admin_only_command_refusal_names_the_admin_role(bot: BotHarness) -> None:
    supervisor = await bot.register(302, Role.SUPERVISOR)
    await bot.api.send_command(supervisor, "/moi", "canbo", "Sở", "Nội", "vụ")
    [reply] = await bot.api.wait_for_messages(supervisor)
    assert reply["text"] == shown(texts.NOT_ALLOWED_ADMIN)
    assert texts.ROLE_LABELS[Role.ADMIN] in reply["text"]
    assert texts.ROLE_LABELS[Role.SUPERVISOR] not in reply["text"]


async def test_short_office_text_gets_the_office_hint(bot: BotHarness) -> None:
    office = await bot.register(303, Role.SUPERVISOR)
    await bot.api.send_text(office, "Xin chào")
    [reply] = await bot.api.wait_for_messages(office)
    assert reply["text"] == shown(texts.UNKNOWN_MESSAGE_OFFICE)
    assert reply["text"] != shown(texts.UNKNOWN_MESSAGE)  # the unit's hint is not for the office


async def test_unregistered_help_explains_how_to_register(bot: BotHarness) -> None:
    # /help is in the strangers' menu, so it must answer them with something useful.
    stranger = bot.api.user(557, "Khách")
    await bot.api.send_command(stranger, "/help")
    [reply] = await bot.api.wait_for_messages(stranger)
    assert reply["text"] == shown(texts.welcome_unregistered(557))
    assert "557" in reply["text"]  # the id to send along with the request
