"""Match a unit name as a dispatch writes it to the office's unit registry.

Pure: no database, no Telegram. Build a :class:`UnitIndex` once from the registry and call
:meth:`UnitIndex.match` per written name.

How a name is read
------------------
A Vietnamese organisation name is a sequence of parts::

    [organ type] [domain] [parent organ] [level] [place]
    Ban          Tổ chức  Thành ủy                 Cần Thơ
    Đảng ủy               Ủy ban nhân dân  thành phố Cần Thơ
    Sở           Nội vụ                    thành phố Cần Thơ
    Đảng ủy                                 phường  Cái Khế

Both the written name and every registry name (and alias) are turned into *concept tokens*:

1. Folded (case, diacritics, NFC/NFD, old tone placement "Uỷ"/"Ủy" all disappear) and split into
   words; general abbreviations are expanded (UBND, HĐND, MTTQ, BTC, KH&CN, LĐ-TB&XH, ...).
2. Place names are found: the words after a level word (tỉnh, thành phố, huyện, xã, phường, ...)
   or after a territorial organ (Thành ủy, Huyện ủy, Thành đoàn, ...), plus every place already
   seen that way in the registry ("Báo Cần Thơ"). A place is one token.
3. The remaining words are read with a phrase lexicon (longest match first) into ORGAN tokens
   ("Đảng ủy", "Ủy ban nhân dân", "Sở", "Ban", "Thành ủy", ...), LEVEL tokens and DOMAIN words
   ("tổ chức", "nội vụ", ...). Stop words ("và", "các", "của") are dropped.

How two names are compared
--------------------------
Words that say WHICH body must agree; descriptive suffixes may be left out:

* every written token must be found in the registry name (an unknown word, a different place,
  "tỉnh" against "thành phố", "Tỉnh ủy" against "Thành ủy" all block the match);
* every organ token of the registry name must be written ("Ủy ban nhân dân thành phố" is not
  "Đảng ủy Ủy ban nhân dân thành phố");
* a registry place must be written unless it is a *home place* (the registry's own city or
  province, found as the most frequent place; "Sở Nội vụ" is "Sở Nội vụ thành phố Cần Thơ");
  registry level words may be left out;
* registry domain words left out cost :data:`MISSING_WORD_PENALTY` each; a word corrected for a
  typo costs :data:`TYPO_PENALTY`; the ambiguous "TU" (Thành ủy or Tỉnh ủy) costs
  :data:`WILDCARD_PENALTY`.

A name resolves only when its best target scores at least :data:`ACCEPT_SCORE`, passes every
rule above and leads the next target by :data:`AMBIGUITY_MARGIN`; otherwise the result is "ask"
with the best candidates for the office to pick from. A written name that starts with a plural
marker ("các", "những") can only resolve to a group.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from services.text_norm import fold, nfc, strip_diacritics

__all__ = [
    "ACCEPT_SCORE",
    "AMBIGUITY_MARGIN",
    "Candidate",
    "GroupRecord",
    "MatchResult",
    "UnitIndex",
    "UnitRecord",
    "name_key",
]

# --- Tuning -----------------------------------------------------------------------------------

ACCEPT_SCORE = 85.0
"""Lowest score that resolves without asking (100 minus penalties)."""
AMBIGUITY_MARGIN = 5.0
"""A resolved target must beat every other acceptable target by this much."""
MISSING_WORD_PENALTY = 8.0
"""Per registry domain word the written name leaves out (two left-out words -> ask)."""
TYPO_PENALTY = 5.0
"""Per written word accepted as a one-letter typo of a registry word."""
WILDCARD_PENALTY = 3.0
"""Per ambiguous abbreviation ("TU") resolved by the registry name."""
BLOCKED_SCORE_CAP = ACCEPT_SCORE - 25.0
"""Display score ceiling for candidates that break a structural rule."""
CANDIDATE_COUNT = 5
# Shorter folded syllables ("dong", "long", "song") have too many real neighbours one edit away.
_TYPO_MIN_LENGTH = 5
_RETRIEVAL_LIMIT = 60
_COMMON_POSTINGS = 200

# --- Records and results ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """One registered unit: its display name, other written forms, and group names."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupRecord:
    """A group named by some units, with other written forms of its name."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible target shown to the office when a name is not resolved on its own."""

    kind: Literal["unit", "group"]
    name: str
    score: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    """How one written name resolved.

    ``kind`` is "unit" (``target`` is the unit name, ``unit_ids`` its id), "group" (``target``
    is the group name, ``unit_ids`` every member) or "ask" (``target`` None, ``unit_ids`` empty;
    the office picks from ``candidates``). ``score`` is the best target's score, 0-100;
    ``written`` is the input in NFC.
    """

    kind: Literal["unit", "group", "ask"]
    target: str | None
    unit_ids: tuple[int, ...]
    score: float
    candidates: tuple[Candidate, ...]
    written: str = ""


# --- Vocabulary -------------------------------------------------------------------------------
# Folded (diacritic-free, lower-case) forms. General Vietnamese administrative vocabulary only:
# nothing here names a particular unit or place.

ORGAN, LEVEL, DOMAIN, PLACE = "organ", "level", "domain", "place"

# Abbreviation (folded, joiners "&-./" removed) -> folded expansion.
_ABBREVIATIONS: dict[str, str] = {
    "ub": "uy ban",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "ubkt": "uy ban kiem tra",
    "btc": "ban to chuc",
    "btg": "ban tuyen giao",
    "bdv": "ban dan van",
    "bnc": "ban noi chinh",
    "btv": "ban thuong vu",
    "btvtu": "ban thuong vu tu~",
    "bch": "ban chap hanh",
    "bcd": "ban chi dao",
    "bcs": "ban can su",
    "bcsd": "ban can su dang",
    "tu": "tu~",  # Thành ủy or Tỉnh ủy: resolved against the registry (see _WILDCARDS)
    "hu": "huyen uy",
    "qu": "quan uy",
    "du": "dang uy",
    "vp": "van phong",
    "vptu": "van phong tu~",
    "ca": "cong an",
    "tp": "thanh pho",
    "tx": "thi xa",
    "tw": "trung uong",
    "hcm": "ho chi minh",
    "ctxh": "chinh tri xa hoi",
    "khcn": "khoa hoc cong nghe",
    "nnptnt": "nong nghiep phat trien nong thon",
    "nnmt": "nong nghiep moi truong",
    "gddt": "giao duc dao tao",
    "ldtbxh": "lao dong thuong binh xa hoi",
    "tnmt": "tai nguyen moi truong",
    "vhttdl": "van hoa the thao du lich",
    "gtvt": "giao thong van tai",
    "tttt": "thong tin truyen thong",
    "khdt": "ke hoach dau tu",
    "xd": "xay dung",
    "lhpn": "lien hiep phu nu",
    "hlhpn": "hoi lien hiep phu nu",
    "hnd": "hoi nong dan",
    "hccb": "hoi cuu chien binh",
    "ccb": "cuu chien binh",
    "tncs": "thanh nien cong san",
    "ldld": "lien doan lao dong",
    "vksnd": "vien kiem sat nhan dan",
    "tand": "toa an nhan dan",
    "bhxh": "bao hiem xa hoi",
    "bchqs": "bo chi huy quan su",
    "ttyt": "trung tam y te",
    "dtn": "doan thanh nien",
    "bdbp": "bo doi bien phong",
    "kbnn": "kho bac nha nuoc",
    "nhnn": "ngan hang nha nuoc",
    "bql": "ban quan ly",
}
# Abbreviations that are also ordinary syllables: expanded only when written in capitals.
_CAPITALS_ONLY = frozenset({"tu", "hu", "qu", "du", "ca"})
# "TƯ"/"T.Ư" is Trung ương (capitals only: "tư" is a word); checked before marks are removed.
_DIACRITIC_ABBREVIATIONS: dict[str, str] = {"TƯ": "trung uong"}

# Territorial organs: the words after them name the territory ("Thành ủy Cần Thơ").
_TERRITORIAL = {
    "thanh uy": "thanhuy",
    "tinh uy": "tinhuy",
    "huyen uy": "huyenuy",
    "quan uy": "quanuy",
    "thi uy": "thiuy",
    "thanh doan": "thanhdoan",
    "tinh doan": "tinhdoan",
    "huyen doan": "huyendoan",
    # A ministry: the words after "Bộ" name it ("Thanh tra Bộ Nội vụ") as a place names a
    # committee's territory, so a ministry's own units may leave its name out.
    "bo": "bo",
}
_ORGANS = {
    **_TERRITORIAL,
    "uy ban nhan dan": "ubnd",
    "hoi dong nhan dan": "hdnd",
    "uy ban mat tran to quoc": "mttq",
    "mat tran to quoc": "mttq",
    "uy ban kiem tra": "ubkt",
    "uy ban": "uyban",
    "ban can su dang": "bcsd",
    "ban can su": "bcsd",
    "dang doan": "dangdoan",
    "dang uy": "danguy",
    "dang bo": "dangbo",
    "chi bo": "chibo",
    "ban thuong vu": "btv",
    "ban chap hanh": "bch",
    "thuong truc": "thuongtruc",
    "ban chi dao": "bcd",
    "ban quan ly": "bql",
    "ban": "ban",
    "so": "so",
    "vu": "vu",
    "cuc": "cuc",
    "chi cuc": "chicuc",
    "tong cuc": "tongcuc",
    "van phong": "vanphong",
    "cong an": "congan",
    "truong": "truong",
    "bao": "bao",
    "dai": "dai",
    "trung tam": "trungtam",
    "hoi": "hoi",
    "hoi dong": "hoidong",
    "vien": "vien",
    "vien kiem sat nhan dan": "vksnd",
    "vien kiem sat": "vksnd",
    "toa an nhan dan": "tand",
    "toa an": "tand",
    "thanh tra": "thanhtra",
    "hoc vien": "hocvien",
    "tap chi": "tapchi",
    "cong doan": "congdoan",
    "benh vien": "benhvien",
    "kho bac": "khobac",
    "ngan hang": "nganhang",
    "cong ty": "congty",
    "tong cong ty": "tongcongty",
    "chi nhanh": "chinhanh",
    "bo chi huy quan su": "bchqs",
    "bo chi huy": "bchqs",
    "lien doan lao dong": "ldld",
    "doan thanh nien": "doanthanhnien",
}
# "TU" may be either; the registry decides. The expansion is a marker word ("tu~") that
# folding never produces, so the syllable "tư" is not mistaken for it.
_WILDCARDS: dict[str, frozenset[str]] = {"tu~": frozenset({"thanhuy", "tinhuy"})}
_LEVELS = {
    "trung uong": "trunguong",
    "tinh": "tinh",
    "thanh pho": "thanhpho",
    "huyen": "huyen",
    "quan": "quan",
    "thi xa": "thixa",
    "thi tran": "thitran",
    "xa": "xa",
    "phuong": "phuong",
    "khu pho": "khupho",
    "ap": "ap",
    # National qualifiers: a level, but no place follows them ("Ban Tôn giáo Chính phủ").
    "chinh phu": "chinhphu",
    "quoc gia": "quocgia",
}
_UNMARKED_LEVELS = frozenset({"chinhphu", "quocgia"})
# Multi-word terms that contain an organ or level word but are ordinary nouns; read first so
# that "xã hội" is not the level "xã", "cơ sở" not the organ "Sở", "môi trường" not "Trường".
_PLAIN_TERMS = (
    "xa hoi",
    "co so",
    "co quan",
    "lien quan",
    "dia phuong",
    "moi truong",
    "thi truong",
    "van ban",
    "co ban",
    "dai hoc",
    "dai hoi",
    "dai bieu",
    "dai doan ket",
    "bao hiem",
    "bao ve",
    "bao dam",
    "dam bao",
    "bao tang",
    "quan ly",
    "quan su",
    "quan doi",
    "quan he",
    "tich cuc",
    "so hoa",
    "tinh hinh",
    "can bo",
    "noi vu",
    "ngoai vu",
    "phuc vu",
    "dich vu",
    "nhiem vu",
    "nghia vu",
    "vu viec",
)
# Fixed collective idioms with the same meaning: "sở, ban, ngành" is "sở, ngành".
_IDIOMS = {"so ban nganh": "so nganh"}
_STOP_WORDS = frozenset({"va", "cac", "nhung", "cua", "cung", "voi"})
_PLURAL_MARKERS = frozenset({"cac", "nhung"})
# "Việt Nam" after an organ is a national qualifier, never what tells two local units apart.
_DROPPED_PHRASES = ("viet nam",)
# A place ends at one of these (or at the next level / territorial organ, or the end).
_PLACE_BREAKS = frozenset({"va", "cua", "thuoc", "truc", "cac", "voi"})
_MAX_PLACE_WORDS = 4

_JOINERS = re.compile(r"[&\-./]")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
_WORD_SPLIT = re.compile(r"[\W_]+")


def _lexicon() -> dict[tuple[str, ...], tuple[tuple[str, str], ...]]:
    lexicon: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
    for term in _PLAIN_TERMS:
        lexicon[tuple(term.split())] = ((term.replace(" ", "_"), DOMAIN),)
    for phrase, concept in _LEVELS.items():
        lexicon[tuple(phrase.split())] = ((concept, LEVEL),)
    for phrase, concept in _ORGANS.items():
        lexicon[tuple(phrase.split())] = ((concept, ORGAN),)
    for wildcard in _WILDCARDS:
        lexicon[(wildcard,)] = ((wildcard, ORGAN),)
    for phrase, meaning in _IDIOMS.items():
        lexicon[tuple(phrase.split())] = tuple(
            (_ORGANS.get(word, word), ORGAN if word in _ORGANS else DOMAIN)
            for word in meaning.split()
        )
    return lexicon


_LEXICON = _lexicon()
_LEXICON_MAX = max(len(key) for key in _LEXICON)
_TERRITORIAL_CONCEPTS = frozenset(_TERRITORIAL.values())


def _abbreviation_parts(token: str) -> list[str] | None:
    """Split an all-capitals compound such as "BTCTU" into known abbreviations, if it is one."""
    best: list[str] | None = None

    def walk(rest: str, parts: list[str]) -> None:
        nonlocal best
        if not rest:
            if len(parts) >= 2 and (best is None or len(parts) < len(best)):
                best = list(parts)
            return
        for end in range(len(rest), 1, -1):
            head = rest[:end]
            if head in _ABBREVIATIONS:
                walk(rest[end:], [*parts, head])

    walk(token, [])
    return best


@dataclass(frozen=True, slots=True)
class _Initialisms:
    """Initialisms a registry's own names make: "Vụ Kế hoạch - Tài chính" makes "KHTC".

    Every run of two to :data:`_MAX_INITIALISM` consecutive words of a registry name (stop
    words such as "và" left out) gives the initialism of its first letters. A written
    all-capitals token ("TCCB", "KH-TC", "VTLTNN", "NN") is read as the run it abbreviates
    when exactly one run of the registry has those initials.
    """

    phrases: dict[str, frozenset[str]]
    words: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> _Initialisms:
        phrases: defaultdict[str, set[str]] = defaultdict(set)
        vocabulary: set[str] = set()
        for text in texts:
            words = [word for word in _words(text) if word not in _STOP_WORDS]
            vocabulary.update(words)
            for start in range(len(words)):
                for size in range(2, min(_MAX_INITIALISM, len(words) - start) + 1):
                    run = words[start : start + size]
                    phrases["".join(word[0] for word in run)].add(" ".join(run))
        return cls({key: frozenset(found) for key, found in phrases.items()}, frozenset(vocabulary))

    def expand(self, compact: str, fixed: str | None) -> str | None:
        """The registry run ``compact`` abbreviates, if there is exactly one.

        A general abbreviation (``fixed``) wins unless it is three letters or more and the
        registry never writes its expansion but writes one other run with those initials
        ("BCH Quân sự" in a registry with a Bộ Chỉ huy and no Ban Chấp hành).
        """
        if compact in self.words or compact in _KNOWN_WORDS:
            return None
        found = self.phrases.get(compact)
        if found is None or len(found) != 1:
            return None
        if fixed is not None and len(compact) < 3:
            return None
        (phrase,) = found
        return phrase


_MAX_INITIALISM = 8
_VOWELS = frozenset("aeiouy")


def _words(text: str, initialisms: _Initialisms | None = None) -> list[str]:
    """Fold ``text`` into words, expanding general abbreviations (and the registry's own)."""
    words: list[str] = []
    # In a name written all in capitals, a syllable ("AN", "HOA") is a word, not initials.
    shouting = len(text.split()) > 1 and strip_diacritics(text).isupper()
    for raw in nfc(text).split():
        core = _EDGE_PUNCTUATION.sub("", raw)
        if core:
            words.extend(
                _token_words(core, split=True, initialisms=initialisms, shouting=shouting)
            )
    return words


def _token_words(
    core: str,
    *,
    split: bool,
    initialisms: _Initialisms | None = None,
    shouting: bool = False,
) -> list[str]:
    """Folded words of one written token: an abbreviation's expansion, or its own words.

    A token with inner punctuation that is not an abbreviation as a whole ("TP.HCM") is
    split at the punctuation and each part is tried again.
    """
    compact_accented = _JOINERS.sub("", core)
    if compact_accented in _DIACRITIC_ABBREVIATIONS:
        return _DIACRITIC_ABBREVIATIONS[compact_accented].split()
    plain = strip_diacritics(core)
    compact = _JOINERS.sub("", plain.casefold())
    # Abbreviations carry no tone marks (only Đ): "CÀ" is never "CA" (Công an).
    unmarked = plain == core.translate(_D_ONLY)
    capitals = plain.isupper() and len(compact) >= 2
    expansion = _ABBREVIATIONS.get(compact) if unmarked else None
    if (
        initialisms is not None
        and unmarked
        and capitals
        and compact.isalpha()
        and not (shouting and _VOWELS.intersection(compact))
    ):
        local = initialisms.expand(compact, expansion)
        if local is not None:
            return local.split()
    if expansion is not None and (capitals or compact not in _CAPITALS_ONLY):
        return expansion.split()
    parts = (
        _abbreviation_parts(compact)
        if unmarked and capitals and compact.isalpha() and len(compact) >= 4
        else None
    )
    if parts is not None and compact not in _KNOWN_WORDS:
        return [word for part in parts for word in _ABBREVIATIONS[part].split()]
    pieces = [piece for piece in _WORD_SPLIT.split(core) if piece]
    if split and len(pieces) > 1:
        return [
            word
            for piece in pieces
            for word in _token_words(
                piece, split=False, initialisms=initialisms, shouting=shouting
            )
        ]
    return [word for word in _WORD_SPLIT.split(plain.casefold()) if word]


_D_ONLY = str.maketrans({"đ": "d", "Đ": "D"})
_KNOWN_WORDS = frozenset(word for key in _LEXICON for word in key)


@dataclass(frozen=True, slots=True)
class _Token:
    concept: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Reading:
    """A name read into concept tokens."""

    tokens: tuple[_Token, ...]
    plural: bool

    @property
    def key(self) -> str:
        return " ".join(token.concept for token in self.tokens)


def _drop_phrases(words: list[str]) -> list[str]:
    for phrase in _DROPPED_PHRASES:
        target = phrase.split()
        size = len(target)
        i = 0
        kept: list[str] = []
        while i < len(words):
            if words[i : i + size] == target:
                i += size
                continue
            kept.append(words[i])
            i += 1
        words = kept
    return words


def _segments(words: Sequence[str]) -> list[tuple[int, int, tuple[tuple[str, str], ...] | None]]:
    """Greedy longest-match reading of ``words`` with the lexicon: (start, end, entry)."""
    segments: list[tuple[int, int, tuple[tuple[str, str], ...] | None]] = []
    i = 0
    while i < len(words):
        for size in range(min(_LEXICON_MAX, len(words) - i), 0, -1):
            entry = _LEXICON.get(tuple(words[i : i + size]))
            if entry is not None:
                segments.append((i, i + size, entry))
                i += size
                break
        else:
            segments.append((i, i + 1, None))
            i += 1
    return segments


def _is_place_marker(entry: tuple[tuple[str, str], ...] | None) -> bool:
    """A level word or a territorial organ: what follows it names a place."""
    return entry is not None and any(
        (kind == LEVEL and concept not in _UNMARKED_LEVELS) or concept in _TERRITORIAL_CONCEPTS
        for concept, kind in entry
    )


def _place_spans(words: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of words that follow a level word or a territorial organ: place names."""
    segments = _segments(words)
    spans: list[tuple[int, int]] = []
    for index, (_, marker_end, entry) in enumerate(segments):
        if not _is_place_marker(entry):
            continue
        end = marker_end
        for start, stop, following in segments[index + 1 :]:
            if _is_place_marker(following) or words[start] in _PLACE_BREAKS:
                break
            end = stop
        if 0 < end - marker_end <= _MAX_PLACE_WORDS:
            spans.append((marker_end, end))
    return spans


def _read(
    text: str,
    known_places: frozenset[str] = frozenset(),
    initialisms: _Initialisms | None = None,
) -> _Reading:
    """Read a name into concept tokens (see the module docstring)."""
    words = _drop_phrases(_words(text, initialisms))
    plural = bool(words) and words[0] in _PLURAL_MARKERS
    place_at: dict[int, int] = dict(_place_spans(words))
    # Places the registry already knows, wherever they stand ("Báo Cần Thơ").
    if known_places:
        longest = max(len(place.split("_")) for place in known_places)
        i = 0
        while i < len(words):
            for size in range(min(longest, len(words) - i), 0, -1):
                if "_".join(words[i : i + size]) in known_places:
                    place_at.setdefault(i, i + size)
                    i += size - 1
                    break
            i += 1
    tokens: list[_Token] = []
    i = 0
    while i < len(words):
        if i in place_at:
            end = place_at[i]
            tokens.append(_Token("_".join(words[i:end]), PLACE))
            i = end
            continue
        for size in range(min(_LEXICON_MAX, len(words) - i), 0, -1):
            entry = _LEXICON.get(tuple(words[i : i + size]))
            if entry is not None and not any(j in place_at for j in range(i + 1, i + size)):
                tokens.extend(_Token(concept, kind) for concept, kind in entry)
                i += size
                break
        else:
            if words[i] not in _STOP_WORDS:
                tokens.append(_Token(words[i], DOMAIN))
            i += 1
    return _Reading(tuple(tokens), plural)


def name_key(text: str) -> str:
    """Comparison key of a unit or group name: equal keys mean the same written name.

    Insensitive to case, diacritics, Unicode form, punctuation, stop words and the usual
    abbreviations ("UBND" and "Ủy ban nhân dân" give the same key).
    """
    return _read(text).key or fold(text)


# --- Comparison -------------------------------------------------------------------------------


def _compare(
    written: _Reading,
    registered: _Reading,
    home: dict[str, frozenset[str]],
    *,
    strict: bool = False,
) -> tuple[bool, float]:
    """Return (blocked, score) for a written name against one registry name.

    ``home`` maps each home place to the level words the registry puts before it
    ("can_tho" -> {"thanhpho"}). ``strict`` (group names) allows no left-out word except a
    home place and its level: a group name's extra words widen the group, they do not describe
    it.
    """
    rest = list(registered.tokens)
    used = [False] * len(rest)
    penalty = 0.0
    tokens = written.tokens
    stated_level = False  # a written level word the registry name does not have

    def take(concepts: Iterable[str]) -> bool:
        wanted = set(concepts)
        for position, token in enumerate(rest):
            if not used[position] and token.concept in wanted:
                used[position] = True
                return True
        return False

    for index, token in enumerate(tokens):
        if take((token.concept,)):
            continue
        if token.kind == ORGAN and token.concept in _WILDCARDS:
            options = {t.concept for t in rest} & _WILDCARDS[token.concept]
            if len(options) == 1 and take(options):
                penalty += WILDCARD_PENALTY
                continue
            return True, 0.0
        if token.kind == PLACE and token.concept in home:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            token.kind == LEVEL
            and following is not None
            and following.kind == PLACE
            and following.concept in home
            and (not home[following.concept] or token.concept in home[following.concept])
        ):
            stated_level = True
            continue
        return True, 0.0
    for position, token in enumerate(rest):
        if used[position]:
            continue
        following = rest[position + 1] if position + 1 < len(rest) else None
        if token.kind == ORGAN or (token.kind == LEVEL and stated_level):
            # A left-out organ, or two different levels ("thị trấn X" is not "huyện X").
            return True, 0.0
        if token.kind == PLACE:
            if token.concept not in home:
                return True, 0.0
        elif token.kind == LEVEL:
            if strict and not (following is not None and following.kind == PLACE):
                return True, 0.0
        elif strict:
            return True, 0.0
        else:
            penalty += MISSING_WORD_PENALTY
    return False, max(0.0, 100.0 - penalty)


# --- Index ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Target:
    kind: Literal["unit", "group"]
    name: str
    unit_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Surface:
    target: int
    reading: _Reading


class UnitIndex:
    """The registry read once, ready to match written names.

    ``groups`` adds aliases to groups (and groups no unit names yet); every group a unit names
    exists whether listed or not. ``home_places`` (names such as "Cần Thơ") overrides the
    inferred home places; :attr:`home_places` holds them as place tokens (``"can_tho"``).
    """

    def __init__(
        self,
        units: Iterable[UnitRecord],
        groups: Iterable[GroupRecord] = (),
        *,
        home_places: Iterable[str] | None = None,
    ) -> None:
        unit_list = list(units)
        group_list = list(groups)
        self._targets: list[_Target] = []
        by_group_key: dict[str, int] = {}
        group_aliases: dict[int, list[str]] = defaultdict(list)

        def group_target(name: str) -> int:
            key = name_key(name)
            if key not in by_group_key:
                by_group_key[key] = len(self._targets)
                self._targets.append(_Target("group", nfc(name).strip()))
            return by_group_key[key]

        for group in group_list:
            group_aliases[group_target(group.name)].extend(group.aliases)
        unit_surfaces: list[tuple[int, str]] = []
        for unit in unit_list:
            index = len(self._targets)
            self._targets.append(_Target("unit", nfc(unit.name).strip(), [unit.id]))
            unit_surfaces.extend((index, text) for text in (unit.name, *unit.aliases))
            for group_name in unit.groups:
                members = self._targets[group_target(group_name)].unit_ids
                if unit.id not in members:
                    members.append(unit.id)
        group_surfaces = [
            (index, text)
            for index, target in enumerate(self._targets)
            if target.kind == "group"
            for text in (target.name, *group_aliases.get(index, ()))
        ]

        # Places: first as found after level words and territorial organs, then everywhere.
        raw = [(index, text, _read(text)) for index, text in unit_surfaces + group_surfaces]
        place_units: dict[str, set[int]] = defaultdict(set)
        for index, _, reading in raw:
            for token in reading.tokens:
                if token.kind == PLACE:
                    place_units[token.concept].add(index)
        self.home_places = (
            frozenset(_place_concept(p) for p in home_places)
            if home_places is not None
            else _infer_home_places(place_units, len(unit_list))
        )
        self._places = frozenset(place_units) | self.home_places
        self._surfaces = [
            _Surface(index, _read(text, self._places)) for index, text, _ in raw if text.strip()
        ]
        # The level words the registry writes before each home place ("thành phố Cần Thơ").
        home_levels: dict[str, set[str]] = {place: set() for place in self.home_places}
        for surface in self._surfaces:
            tokens = surface.reading.tokens
            for before, token in pairwise(tokens):
                if before.kind == LEVEL and token.kind == PLACE and token.concept in home_levels:
                    home_levels[token.concept].add(before.concept)
        self._home = {place: frozenset(levels) for place, levels in home_levels.items()}
        self._lengths = [len(surface.reading.tokens) for surface in self._surfaces]
        self._keys = [surface.reading.key for surface in self._surfaces]
        self._postings: dict[str, list[int]] = defaultdict(list)
        for surface_id, surface in enumerate(self._surfaces):
            for concept in {token.concept for token in surface.reading.tokens}:
                self._postings[concept].append(surface_id)
        self._idf = {
            concept: math.log(1 + len(self._surfaces) / len(ids))
            for concept, ids in self._postings.items()
        }
        self._vocabulary = sorted(
            {
                token.concept
                for surface in self._surfaces
                for token in surface.reading.tokens
                if token.kind == DOMAIN and len(token.concept) >= _TYPO_MIN_LENGTH
            }
        )

    # -- public ----------------------------------------------------------------------------

    def match(self, written: str) -> MatchResult:
        """Resolve one written name to a unit, a group, or "ask"."""
        reading = self._correct_typos(_read(written, self._places))
        scored = self._score_targets(reading)
        candidates = tuple(
            Candidate(self._targets[t].kind, self._targets[t].name, round(score, 1))
            for t, (score, _) in sorted(scored.items(), key=lambda item: -item[1][0])[
                :CANDIDATE_COUNT
            ]
        )
        acceptable = sorted(
            (
                (score, t)
                for t, (score, blocked) in scored.items()
                if not blocked
                and score >= ACCEPT_SCORE
                and not (reading.plural and self._targets[t].kind == "unit")
            ),
            reverse=True,
        )
        best_score = candidates[0].score if candidates else 0.0
        if not acceptable or (
            len(acceptable) > 1 and acceptable[0][0] - acceptable[1][0] < AMBIGUITY_MARGIN
        ):
            return MatchResult("ask", None, (), best_score, candidates, nfc(written))
        score, t = acceptable[0]
        target = self._targets[t]
        return MatchResult(
            target.kind, target.name, tuple(target.unit_ids), score, candidates, nfc(written)
        )

    def match_many(self, written: Iterable[str]) -> list[MatchResult]:
        """Resolve several written names, in order."""
        return [self.match(text) for text in written]

    def split(self, written: str) -> tuple[str, ...]:
        """Split a written list ("Sở Nội vụ, Sở Tài chính và Công an thành phố") into names.

        Pieces are cut at commas, semicolons and "và", then joined back wherever the joined
        text resolves ("Các sở, ngành", "Sở Khoa học và Công nghệ"). Runs that resolve to
        nothing stay together, so "các cơ quan, đơn vị liên quan" stays one name.
        """
        pieces = [p.strip() for p in _LIST_SEPARATORS.split(nfc(written)) if p.strip()]
        if len(pieces) <= 1:
            return (nfc(written).strip(),) if written.strip() else ()
        count = len(pieces)
        joined = {
            (i, j): _join_pieces(written, pieces[i:j])
            for i in range(count)
            for j in range(i + 1, count + 1)
        }
        resolves = {span: self.match(text).kind != "ask" for span, text in joined.items()}
        # best[i] = (pieces covered by resolved names, -names) for pieces[i:]
        best: list[tuple[int, int, list[tuple[int, int]]]] = [(0, 0, [])] * (count + 1)
        for i in range(count - 1, -1, -1):
            options = []
            for j in range(i + 1, count + 1):
                covered, names, spans = best[j]
                gain = j - i if resolves[(i, j)] else 0
                if gain or j == i + 1:
                    options.append((covered + gain, names - 1, [(i, j), *spans]))
            best[i] = max(options, key=lambda option: (option[0], option[1]))
        # Merge consecutive unresolved single pieces back together.
        result: list[tuple[int, int]] = []
        for i, j in best[0][2]:
            if result and not resolves[result[-1]] and not resolves[(i, j)]:
                result[-1] = (result[-1][0], j)
            else:
                result.append((i, j))
        return tuple(_join_pieces(written, pieces[i:j]) for i, j in result)

    # -- internals -------------------------------------------------------------------------

    def _correct_typos(self, reading: _Reading) -> _Reading:
        """Replace unknown domain words by a registry word one edit away (scored as a typo)."""
        if not self._vocabulary:
            return reading
        tokens = list(reading.tokens)
        changed = False
        for index, token in enumerate(tokens):
            if (
                token.kind != DOMAIN
                or token.concept in self._postings
                or len(token.concept) < _TYPO_MIN_LENGTH
            ):
                continue
            found = process.extractOne(
                token.concept, self._vocabulary, scorer=Levenshtein.distance, score_cutoff=1
            )
            if found is not None:
                tokens[index] = _Token(found[0], _TYPO)
                changed = True
        return _Reading(tuple(tokens), reading.plural) if changed else reading

    def _score_targets(self, reading: _Reading) -> dict[int, tuple[float, bool]]:
        """Best (score, blocked) per target among the retrieved registry names."""
        if not reading.tokens:
            return {}
        plain = _Reading(
            tuple(_Token(t.concept, DOMAIN) if t.kind == _TYPO else t for t in reading.tokens),
            reading.plural,
        )
        typos = sum(1 for t in reading.tokens if t.kind == _TYPO)
        # Retrieval: registry names sharing the rarest words first; among equals, the shortest
        # (the exact name before the many longer names that contain it). Words on most names
        # ("xã", "Đảng ủy") only rank when the written name has nothing rarer.
        concepts = sorted(
            {c for t in plain.tokens for c in _WILDCARDS.get(t.concept, (t.concept,))},
            key=lambda c: len(self._postings.get(c, ())),
        )
        weights: defaultdict[int, float] = defaultdict(float)
        for rank, concept in enumerate(concepts):
            postings = self._postings.get(concept, ())
            if rank and len(postings) > _COMMON_POSTINGS and weights:
                break
            idf = self._idf.get(concept, 0.0)
            for surface_id in postings:
                weights[surface_id] += idf
        retrieved = heapq.nlargest(
            _RETRIEVAL_LIMIT, ((w, -self._lengths[i], i) for i, w in weights.items())
        )
        written_key = plain.key
        scored: dict[int, tuple[float, bool]] = {}
        for _, _, surface_id in retrieved:
            surface = self._surfaces[surface_id]
            blocked, score = _compare(
                plain,
                surface.reading,
                self._home,
                strict=self._targets[surface.target].kind == "group",
            )
            if blocked:
                score = min(
                    BLOCKED_SCORE_CAP,
                    0.7 * fuzz.token_sort_ratio(written_key, self._keys[surface_id]),
                )
            else:
                score = max(0.0, score - TYPO_PENALTY * typos)
            previous = scored.get(surface.target)
            candidate = (score, blocked)
            if previous is None or (not blocked, score) > (not previous[1], previous[0]):
                scored[surface.target] = candidate
        return scored


_TYPO = "typo"
_LIST_SEPARATORS = re.compile(r"\s*[,;]\s*|\s+(?:và|va)\s+", re.IGNORECASE)


def _join_pieces(original: str, pieces: Sequence[str]) -> str:
    """Rejoin consecutive pieces with the separators the original text used between them."""
    if len(pieces) == 1:
        return pieces[0]
    text = nfc(original)
    start = text.find(pieces[0])
    end = text.find(pieces[-1], start) + len(pieces[-1])
    if start < 0 or end < start:
        return ", ".join(pieces)
    return text[start:end].strip()


def _place_concept(place: str) -> str:
    """Place concept for a place name as a person writes it ("Cần Thơ" -> "can_tho")."""
    return "_".join(fold(place).split())


def _infer_home_places(place_units: dict[str, set[int]], unit_count: int) -> frozenset[str]:
    """The registry's own city or province: places on a large share of its names.

    The most frequent place counts when it is on at least three names and clearly ahead of the
    next; any place on at least a fifth of the units counts too.
    """
    counts = sorted(((len(ids), place) for place, ids in place_units.items()), reverse=True)
    home: set[str] = set()
    if counts and counts[0][0] >= 3 and (len(counts) == 1 or counts[0][0] > 2 * counts[1][0]):
        home.add(counts[0][1])
    home.update(place for count, place in counts if count >= max(3, unit_count / 5))
    return frozenset(home)
