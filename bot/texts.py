"""Every Vietnamese string the bot (and the CLI) says to a person.

Fixed text is a constant; parameterised text is a small function that escapes
user-supplied content with ``html.escape`` (messages are sent with HTML parse mode).
Keep each area in its own section; all strings are NFC (a test checks it).
"""

from __future__ import annotations

import html

__all__ = ["esc"]


def esc(value: object) -> str:
    """Escape user or document content for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=False)


# --- Settings and CLI -------------------------------------------------------------------------

# --- Start and registration -------------------------------------------------------------------

# --- Access control ---------------------------------------------------------------------------

# --- Dispatch parsing (ingest) ----------------------------------------------------------------

# --- Unit registry and matching ---------------------------------------------------------------

# --- Replies: completion, progress, extension -------------------------------------------------

# --- Reminders --------------------------------------------------------------------------------

# --- Summaries --------------------------------------------------------------------------------
