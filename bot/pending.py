"""The one "waiting for a typed answer" state: what the bot asked a person, where, and when.

One question at a time per person, whatever the flow (the draft review, a unit's note or
date, the office's reason or date): asking replaces the earlier question, so a typed answer
never lands in another flow. A question is bound to the chat it was asked in and forgotten
after :data:`TTL`. It lives in ``user_data`` under :data:`bot.context.INPUT_KEY`, which the
update processor loads from the database before each update and saves after it
(services.pending_input), so any instance can take the answer.

What a typed text is, in the office's private chat (bot.handlers.messages): an answer
when a question waits and the text is shorter than :data:`PASTED_DISPATCH` (or the
question takes prose of any length: a task typed into a draft); otherwise a text of
:data:`PASTED_DISPATCH` characters or more is a pasted dispatch; anything else is chat.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from bot.context import INPUT_KEY, AppContext

TTL = timedelta(minutes=10)
# A pasted dispatch is long; shorter office texts are answers or chat, not documents.
PASTED_DISPATCH = 400

DRAFT = "draft"  # the draft review: a deadline, the received day, unit names, a task
REPLY = "reply"  # a unit's note or date, the office's date or reason (handlers.replies)


def _data(context: AppContext) -> dict[Any, Any]:
    assert context.user_data is not None
    return context.user_data


def ask(
    context: AppContext,
    flow: str,
    kind: str,
    chat_id: int,
    *,
    long_answer: bool = False,
    **details: Any,
) -> None:
    """Wait for the person's typed answer to ``kind`` in ``chat_id`` (replacing any other)."""
    _data(context)[INPUT_KEY] = {
        **details,
        "flow": flow,
        "kind": kind,
        "chat": chat_id,
        "at": context.deps.clock.now().isoformat(),
        "long": long_answer,
    }


def _current(context: AppContext, chat_id: int) -> dict[str, Any] | None:
    question = _data(context).get(INPUT_KEY)
    if not question or "flow" not in question:  # none, or stored by an older version
        return None
    asked = datetime.fromisoformat(question["at"])
    if context.deps.clock.now() - asked > TTL:
        forget(context)
        return None
    if question["chat"] != chat_id:
        return None
    return dict(question)


def waiting(
    context: AppContext, chat_id: int, flow: str, kinds: Collection[str] | None = None
) -> dict[str, Any] | None:
    """The question of ``flow`` (one of ``kinds``) waiting in ``chat_id``, or None."""
    question = _current(context, chat_id)
    if question is None or question["flow"] != flow:
        return None
    if kinds is not None and question["kind"] not in kinds:
        return None
    return question


def takes(context: AppContext, chat_id: int, text: str) -> bool:
    """Whether ``text`` typed in ``chat_id`` answers the waiting question (see the module)."""
    question = _current(context, chat_id)
    if question is None:
        return False
    return len(text) < PASTED_DISPATCH or bool(question.get("long"))


def forget(context: AppContext) -> bool:
    """Stop waiting (answered, cancelled); True when a question was waiting."""
    return _data(context).pop(INPUT_KEY, None) is not None
