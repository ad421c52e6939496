"""Telegram's command menu, per role (Bot API command scopes).

Strangers (the default scope) see /start and /help; each registered person sees their role's
commands in their private chat (``BotCommandScopeChat``). A person's menu is set when their
role changes (registration, a new invite, the bootstrap admin) and removed when they leave or
are revoked, which brings back the strangers' menu. At start every active person's menu is set
once more in the background, so people registered before a change of these lists, or while a
call failed, catch up. Menus are a convenience: a failed call is logged and changes nothing
else (the access gate, not the menu, decides what a person may do).
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot import texts
from bot.context import DEPS_KEY, AnyApplication
from models import Role
from services.people import active_roles

log = logging.getLogger(__name__)

_OFFICE = (
    "tonghop",
    "quahan",
    "nhiemvu",
    "donvi",
    "xuat",
    "baocao",
    "han",
    "tralai",
    "dungky",
    "baongay",
)
_UNIT = ("viec", "tonghop", "quahan", "nhiemvu")
_ALWAYS = ("huy", "roi")

# The commands each role sees, in the order shown; None: not registered.
MENUS: dict[Role | None, tuple[str, ...]] = {
    None: ("start", "help"),
    Role.MEMBER: ("start", "help", *_UNIT, *_ALWAYS),
    Role.HEAD: ("start", "help", *_UNIT, "tatnhac", "batnhac", *_ALWAYS),
    Role.SUPERVISOR: ("start", "help", *_OFFICE, *_ALWAYS),
    Role.ADMIN: (
        *("start", "help", *_OFFICE),
        *("moi", "dsdonvi", "themdonvi", "doiten", "themnhom", "thuhoi", *_ALWAYS),
    ),
}


def menu(role: Role | None) -> list[BotCommand]:
    return [BotCommand(command, texts.MENU_DESCRIPTIONS[command]) for command in MENUS[role]]


async def set_default_menu(bot: Bot) -> None:
    """The menu of everyone without a menu of their own: strangers."""
    await bot.set_my_commands(menu(None), scope=BotCommandScopeDefault())


async def show_menu(bot: Bot, user_id: int, role: Role | None) -> None:
    """``user_id``'s private chat shows ``role``'s menu; None: back to the strangers' menu."""
    scope = BotCommandScopeChat(user_id)
    try:
        if role is None:
            await bot.delete_my_commands(scope=scope)
        else:
            await bot.set_my_commands(menu(role), scope=scope)
    except TelegramError as error:
        log.warning("command menu for chat %s not updated: %s", user_id, error)


async def sync_menus(application: AnyApplication) -> None:
    """Every active person's menu, once (at start, in the background)."""
    async with application.bot_data[DEPS_KEY].session_factory() as session:
        people = await active_roles(session)
    for user_id, role in people:
        await show_menu(application.bot, user_id, role)
