"""Vietnamese text normalisation shared by the matchers and parsers.

Two levels:

* :func:`nfc` - the canonical *stored* form: Unicode NFC. Use it on everything that is kept or
  shown, so that "Ủy" typed on one keyboard (precomposed) and another (combining marks) are the
  same string.
* :func:`fold` - a *comparison key*: NFC, case-folded, diacritics removed (``đ`` becomes ``d``),
  punctuation turned into spaces and runs of whitespace collapsed. "Ủy ban", "Uỷ ban" (old tone
  placement), "UY BAN" and "uy  ban," all fold to ``"uy ban"``. Never show a folded string to a
  person; it loses information on purpose.

:func:`strip_diacritics` is the middle step, for callers that need to keep case or punctuation.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "fold_words", "nfc", "strip_diacritics"]

# đ/Đ are letters of their own, not a d with a combining mark, so NFD does not split them.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
# Anything that is not a letter or digit separates words.
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (the form every stored string uses)."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks, keeping case: ``"Đảng ủy"`` -> ``"Dang uy"``.

    Works on NFC or NFD input; the result is NFC (plain ASCII for Vietnamese text).
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", kept)


def fold(text: str) -> str:
    """Return the diacritic-, case-, punctuation- and whitespace-insensitive key of ``text``.

    >>> fold("  Uỷ ban Nhân dân, TP. Cần Thơ ")
    'uy ban nhan dan tp can tho'
    """
    plain = strip_diacritics(nfc(text).casefold())
    return _NON_WORD.sub(" ", plain).strip()


def fold_words(text: str) -> list[str]:
    """Return the words of :func:`fold` ``(text)``."""
    return fold(text).split()
