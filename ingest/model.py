"""The parser's output: frozen value objects the bot and the CLI consume."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# Due kinds, exactly as SCHEMA.md spells them.
DEADLINE = "deadline"
START = "start"
RECURRING = "recurring"
ON_REQUEST = "on_request"
AFTER_EVENT = "after_event"
ROADMAP = "roadmap"
RELATIVE = "relative"
DUE_KINDS = (DEADLINE, START, RECURRING, ON_REQUEST, AFTER_EVENT, ROADMAP, RELATIVE)

# The period of a recurring duty (`every` in SCHEMA.md).
EVERY_KINDS = ("day", "week", "month", "quarter", "half_year", "year")
# What a relative deadline counts from (`from` in SCHEMA.md).
FROM_RECEIPT = "receipt"
FROM_ISSUE = "issue"

# Task fields the parser may mark as unsure, for the office to check (⚠ in the draft).
UNSURE_FIELDS = ("text", "lead", "support", "due")

# Marker meaning "every unit in the Kính gửi list".
RECIPIENTS = "@recipients"


@dataclass(frozen=True, slots=True)
class Signer:
    name: str
    title: str | None


@dataclass(frozen=True, slots=True)
class Due:
    """One timing expression. Only the fields its kind uses are set (SCHEMA.md):

    - ``recurring``: ``every`` (a period of EVERY_KINDS) and, when the text fixes the last day
      of each period, ``day`` and ``month`` (month of the year for ``year``; month inside the
      period, 1-based, for ``quarter`` and ``half_year``);
    - ``relative``: ``days``, ``working`` and ``origin`` (``from`` in the JSON: FROM_RECEIPT or
      FROM_ISSUE); ``date`` stays None until the product counts it;
    - any kind: ``time`` ("14:00") when the text gives the hour.
    """

    kind: str
    date: datetime.date | None
    phrase: str
    every: str | None = None
    day: int | None = None
    month: int | None = None
    time: str | None = None
    days: int | None = None
    working: bool | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedTask:
    ref: str
    text: str
    text_starts: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    due: tuple[Due, ...]
    parent_ref: str | None
    # Fields (UNSURE_FIELDS) the parser could not read with confidence.
    unsure: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ParsedDispatch:
    kind: str
    number: str | None
    issuer: str | None
    issued_on: datetime.date | None
    subject: str | None
    signer: Signer | None
    recipients: tuple[str, ...]
    tasks: tuple[ParsedTask, ...]
    # The "Kính gửi" list may go on past what was read (a wrapped item, a missing end).
    recipients_unsure: bool = False
