"""Every Vietnamese string the bot (and the CLI) says to a person, one module per area.

Fixed text is a constant; parameterised text is a small function that escapes
user-supplied content with ``esc`` (messages are sent with HTML parse mode). Callers use
one namespace, ``from bot import texts`` then ``texts.name``; the areas are files so that
each can be read and edited on its own. All strings are NFC (tests/test_texts.py checks it).
"""

from bot.texts.access import *  # noqa: F403
from bot.texts.admin import *  # noqa: F403
from bot.texts.cli import *  # noqa: F403
from bot.texts.common import esc
from bot.texts.dashboard import *  # noqa: F403
from bot.texts.dates import *  # noqa: F403
from bot.texts.demo import *  # noqa: F403
from bot.texts.drafts import *  # noqa: F403
from bot.texts.ingest import *  # noqa: F403
from bot.texts.periods import *  # noqa: F403
from bot.texts.registration import *  # noqa: F403
from bot.texts.reminders import *  # noqa: F403
from bot.texts.replies import *  # noqa: F403
from bot.texts.report import *  # noqa: F403
from bot.texts.summaries import *  # noqa: F403
from bot.texts.tasks import *  # noqa: F403
from bot.texts.units import *  # noqa: F403

__all__ = ["esc"]  # the areas' names come through the star imports
