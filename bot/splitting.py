"""The one message splitter: blocks of text into messages under Telegram's length limit.

Texts keep every HTML tag within one line (bot.texts), so a cut between blocks or between
lines never splits a tag. Nothing is dropped: a block too long for one message is cut
between its lines, and only a single line longer than a message (never produced by the
texts) is cut inside.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message

# Telegram allows 4096 characters; the margin keeps HTML entities and emoji safe.
MESSAGE_LIMIT = 4000
BLOCK_GAP = "\n\n"


def groups(blocks: Sequence[str], limit: int = MESSAGE_LIMIT, gap: str = BLOCK_GAP) -> list[range]:
    """Runs of consecutive blocks, each run joined by ``gap`` within ``limit``; a block
    longer than ``limit`` is a run of its own."""
    runs: list[range] = []
    start, size = 0, 0
    for index, block in enumerate(blocks):
        grown = size + len(gap) + len(block) if index > start else len(block)
        if index > start and grown > limit:
            runs.append(range(start, index))
            start, grown = index, len(block)
        size = grown
    if blocks:
        runs.append(range(start, len(blocks)))
    return runs


def pack(blocks: Sequence[str], limit: int = MESSAGE_LIMIT, gap: str = BLOCK_GAP) -> list[str]:
    """The messages for ``blocks``: whole blocks together while they fit."""
    messages: list[str] = []
    for run in groups(blocks, limit, gap):
        text = gap.join(blocks[i] for i in run)
        if len(text) <= limit:
            messages.append(text)
        elif gap != "\n":
            messages += split_message(text, limit)
        else:  # one line longer than a message
            messages += [text[i : i + limit] for i in range(0, len(text), limit)]
    return [m for m in messages if m.strip()]


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` in pieces under ``limit``, cut between lines."""
    return [piece.strip("\n") for piece in pack(text.split("\n"), limit, "\n")]


async def reply_long(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """``text`` in as many messages as it takes; ``markup`` goes on the last one."""
    pieces = split_message(text)
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        await message.reply_html(
            piece, disable_web_page_preview=True, reply_markup=markup if last else None
        )
