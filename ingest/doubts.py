"""Where the parser may be wrong: the task fields it marks unsure (ParsedTask.unsure).

The office reviews every draft, so a mark on the few fields the rules could not settle is
worth more than a silent guess. A field is marked when:

- lead: no unit at all (and no "Kính gửi" to stand for); a name that runs long, holds a
  number, or takes in a lower-case word no unit name uses after another lower-case word
  (a verb the rules do not know: "Bộ Tài chính ứng"); a subject found only behind fronted
  clauses ("Căn cứ ..., sau khi ..., Thường trực HĐND ..."); "chủ trì" in the text while the
  lead fell back to every addressee;
- support: a name that runs long or holds a number; "phối hợp với" with no unit found;
- due: a timing taken from another sentence (a delivery sentence); a deadline whose year
  nothing gives; a full date in the text that no rule read as a timing nor as a reference;
- text: a paragraph taken as a task of its own after the numbered items.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ingest.model import DEADLINE, RECIPIENTS, Due
from ingest.timing import reference_spans
from ingest.units import FRONT_OPENERS, UNIT_SYLLABLES

# Words in one name of a list (between commas): past this it ran on into the predicate.
_LONG_NAME = 12
_FULL_DATE = re.compile(
    r"\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}\b|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
    re.I,
)


def _odd_name(name: str) -> bool:
    words = re.findall(r"\w+", name)
    if any(w.isdigit() for w in words):
        return True
    if any(len(part.split()) > _LONG_NAME for part in re.split(r"[,;:]", name)):
        return True
    for before, word in itertools.pairwise(words):
        if word[:1].islower() and before[:1].islower() and word.lower() not in UNIT_SYLLABLES:
            return True
    return False


def _unread_date(text: str, dues: Sequence[Due]) -> bool:
    """A full date that is neither a timing found nor part of a cited document."""
    if any(d.date for d in dues):
        return False
    masks = reference_spans(text)
    return any(not any(s <= m.start() < e for s, e in masks) for m in _FULL_DATE.finditer(text))


def task_doubts(
    text: str,
    lead: Sequence[str],
    support: Sequence[str],
    dues: Sequence[Due],
    *,
    tail: bool = False,
) -> frozenset[str]:
    """The fields of one task the parser is unsure of."""
    unsure: set[str] = set()
    named = [u for u in lead if u != RECIPIENTS]
    if not lead or any(_odd_name(u) for u in named):
        unsure.add("lead")
    if named and FRONT_OPENERS.match(text) and not text.startswith(named[0]):
        unsure.add("lead")
    if lead == (RECIPIENTS,) and re.search(r"\bchủ trì\b", text):
        unsure.add("lead")
    if any(_odd_name(u) for u in support):
        unsure.add("support")
    if not support and re.search(r"\bphối hợp\s+(?:chặt chẽ\s+)?với\b", text, re.I):
        unsure.add("support")
    if any(d.kind == DEADLINE and d.date is None for d in dues) or _unread_date(text, dues):
        unsure.add("due")
    if tail:
        unsure.add("text")
    return frozenset(unsure)
