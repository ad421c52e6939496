"""The command menu per role: strangers see /start and /help, each person their role's commands."""

from __future__ import annotations

import re

from telegram.ext import CommandHandler

from bot import texts
from bot.menus import MENUS, sync_menus
from models import Role
from tests.e2e.conftest import ADMIN_ID, BotHarness
from tests.e2e.test_registration import invite_code
from tests.fakes import SimUser


async def second_code(bot: BotHarness, role_word: str, unit: str) -> str:
    """Another invite from the admin ``invite_code`` registered."""
    admin = bot.api.user(ADMIN_ID)
    sent = await bot.api.send_command(admin, "/moi", role_word, *unit.split())
    # The admin also hears of registrations: the invite is the answer with a link.
    [reply] = await bot.api.wait_for_messages(
        admin, after=sent, predicate=lambda m: "?start=" in m["text"]
    )
    match = re.search(r"\?start=([A-Za-z0-9_-]+)", reply["text"])
    assert match, reply["text"]
    return match.group(1)


async def wait_for_menu(bot: BotHarness, user: SimUser, role: Role | None) -> None:
    expected = list(MENUS[role])
    await bot.api.wait_until(
        lambda: bot.api.menu_for(user) == expected, description=f"the {role} menu"
    )


async def test_a_stranger_sees_only_start_and_help(bot: BotHarness) -> None:
    assert bot.api.menu_for(bot.api.user(555, "Khách")) == ["start", "help"]


async def test_a_member_registered_by_invite_sees_no_admin_command(bot: BotHarness) -> None:
    await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    code = await invite_code(bot, "canbo", "Sở Nội vụ")
    member = bot.api.user(4001, "An")
    await bot.api.send_command(member, "/start", code)
    await wait_for_menu(bot, member, Role.MEMBER)
    assert "viec" in bot.api.menu_for(member)
    assert "moi" not in bot.api.menu_for(member)
    assert "xuat" not in bot.api.menu_for(member)


async def test_the_bootstrap_admin_gets_the_admin_menu(bot: BotHarness) -> None:
    admin = bot.api.user(ADMIN_ID, "Quản trị")
    await bot.api.send_command(admin, "/start")
    await wait_for_menu(bot, admin, Role.ADMIN)
    assert "moi" in bot.api.menu_for(admin)


async def test_a_new_invite_changes_the_menu_with_the_role(bot: BotHarness) -> None:
    await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    person = bot.api.user(4002, "Bình")
    await bot.api.send_command(person, "/start", await invite_code(bot, "canbo", "Sở Nội vụ"))
    await wait_for_menu(bot, person, Role.MEMBER)
    await bot.api.send_command(person, "/start", await second_code(bot, "truong", "Sở Nội vụ"))
    await wait_for_menu(bot, person, Role.HEAD)
    assert "tatnhac" in bot.api.menu_for(person)


async def test_a_revoked_person_is_back_to_the_strangers_menu(bot: BotHarness) -> None:
    await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    code = await invite_code(bot, "canbo", "Sở Nội vụ")
    member = bot.api.user(4003, "Chi")
    await bot.api.send_command(member, "/start", code)
    await wait_for_menu(bot, member, Role.MEMBER)
    admin = bot.api.user(ADMIN_ID)
    await bot.api.send_command(admin, "/thuhoi", "4003")
    await wait_for_menu(bot, member, None)


async def test_leaving_brings_back_the_strangers_menu(bot: BotHarness) -> None:
    member = await bot.register(4004, Role.MEMBER, await bot.add_unit("Sở Nội vụ"))
    await sync_menus(bot.app)
    await wait_for_menu(bot, member, Role.MEMBER)
    sent = await bot.api.send_command(member, "/roi")
    [confirm] = await bot.api.wait_for_messages(member, after=sent)
    await bot.api.press_button(member, confirm, text=texts.BUTTON_LEAVE)
    await wait_for_menu(bot, member, None)


async def test_sync_sets_every_active_persons_menu(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ")
    head = await bot.register(4005, Role.HEAD, unit)
    supervisor = await bot.register(4006, Role.SUPERVISOR)
    await sync_menus(bot.app)
    assert bot.api.menu_for(head) == list(MENUS[Role.HEAD])
    assert bot.api.menu_for(supervisor) == list(MENUS[Role.SUPERVISOR])


async def test_every_menu_command_is_one_its_role_may_use(bot: BotHarness) -> None:
    allowed: dict[str, frozenset[Role | None]] = {}
    for handlers in bot.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                roles = getattr(handler.callback, "allowed_roles", frozenset([*Role, None]))
                for command in handler.commands:
                    allowed[command] = roles
    for role, commands in MENUS.items():
        if role is None:
            assert set(commands) <= {"start", "help"}
            continue
        for command in commands:
            assert role in allowed[command], (role, command)
