"""Access control, in one place for every command, message and button.

``access_gate`` runs first for every update: it loads the registered actor and stops
anything from an unregistered user except /start and /help. ``guarded`` wraps every handler's
callback with the roles allowed to use it; handlers never check roles themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from functools import wraps
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.context import AppContext
from models import Role
from services.people import find_actor

# PTB types a handler callback as returning a Coroutine, not any Awaitable.
Callback = Callable[[Update, AppContext], Coroutine[Any, Any, None]]

EVERYONE = frozenset(Role)
OFFICE = frozenset({Role.ADMIN, Role.SUPERVISOR})
ADMINS = frozenset({Role.ADMIN})


async def access_gate(update: Update, context: AppContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    async with context.deps.session_factory() as session:
        context.actor = await find_actor(session, user.id)
    if context.actor is None and not _is_start(update):
        if not _is_quiet_group_chatter(update):
            await refuse(update, texts.NOT_REGISTERED)
        raise ApplicationHandlerStop


def _is_quiet_group_chatter(update: Update) -> bool:
    """Ordinary talk in a group the bot sits in: not for the bot, so no answer at all.

    A unit's group chat holds people who never registered; answering each of their messages
    would flood the group. Commands and buttons are still answered.
    """
    chat, message = update.effective_chat, update.effective_message
    if chat is None or chat.type == "private" or update.callback_query is not None:
        return False
    return message is None or not (message.text or "").startswith("/")


# What an unregistered user may send: the two commands of the strangers' menu (bot/menus.py).
_OPEN_COMMANDS = ("/start", "/help")


def _is_start(update: Update) -> bool:
    """/start or /help (also as /start@bot), the only updates a stranger gets through with."""
    message = update.effective_message
    if update.callback_query is not None or message is None or not message.text:
        return False
    command = message.text.split(maxsplit=1)[0].split("@", 1)[0]
    return command in _OPEN_COMMANDS


def guarded(callback: Callback, allow: Iterable[Role], refusal: str | None = None) -> Callback:
    """Run ``callback`` only for an actor whose role is in ``allow``.

    The refusal names who may: the admins, the office by default, or what the caller says
    (a command for one role inside a unit says so, rather than naming the office).
    """
    allowed = frozenset(allow)
    if refusal is None:
        refusal = texts.NOT_ALLOWED_ADMIN if allowed == ADMINS else texts.NOT_ALLOWED

    @wraps(callback)
    async def wrapper(update: Update, context: AppContext) -> None:
        actor = context.actor
        if actor is None:
            await refuse(update, texts.NOT_REGISTERED)
        elif actor.role not in allowed:
            await refuse(update, refusal)
        else:
            await callback(update, context)

    wrapper.allowed_roles = allowed  # type: ignore[attr-defined]  # read by the menu tests
    return wrapper


async def refuse(update: Update, text: str) -> None:
    """Say no the way the update came in: an alert for a button, a reply otherwise."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(text)
