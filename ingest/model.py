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
DUE_KINDS = (DEADLINE, START, RECURRING, ON_REQUEST, AFTER_EVENT, ROADMAP)

# Marker meaning "every unit in the Kính gửi list".
RECIPIENTS = "@recipients"


@dataclass(frozen=True, slots=True)
class Signer:
    name: str
    title: str | None


@dataclass(frozen=True, slots=True)
class Due:
    kind: str
    date: datetime.date | None
    phrase: str


@dataclass(frozen=True, slots=True)
class ParsedTask:
    ref: str
    text: str
    text_starts: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    due: tuple[Due, ...]
    parent_ref: str | None


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
