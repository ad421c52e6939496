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

0. A leading title of a person is dropped: "Giám đốc các sở" is addressed to the sở, "Chánh
   Văn phòng UBND tỉnh" to the Văn phòng.
1. Folded (case, diacritics, NFC/NFD, old tone placement "Uỷ"/"Ủy" all disappear) and split into
   words; general abbreviations are expanded (UBND, HĐND, MTTQ, BTC, KH&CN, LĐ-TB&XH, ...), then
   the registry's own initialisms ("Vụ KH-TC", "Cục VTLTNN", "Sở DT&TG": the first letters of
   consecutive words of some registry name; several candidate runs are each tried), and level
   abbreviations before a known place or in a list of levels ("TT An Bình", "P. Tam Kỳ", "xã,
   TT"). Hyphens, dashes, "&", "/", "," and "và" between domain words all read alike.
2. Place names are found: the words after a level word (tỉnh, thành phố, huyện, xã, phường, ...)
   or after a territorial organ (Thành ủy, Huyện ủy, Thành đoàn, and "Bộ": "Bộ Nội vụ" names
   its ministry as "Thành ủy Cần Thơ" names its city), plus every place already seen that way in
   the registry ("Báo Cần Thơ"). A place is one token.
3. The remaining words are read with a phrase lexicon (longest match first) into ORGAN tokens
   ("Đảng ủy", "Ủy ban nhân dân", "Sở", "Ban", "Thành ủy", ...), LEVEL tokens and DOMAIN words
   ("tổ chức", "nội vụ", ...). Stop words ("và", "các", "của") are dropped. "Vụ" and "Phòng"
   are organs only where a name begins ("Vụ Pháp chế", not "Nội vụ"; not "Quốc phòng").

How two names are compared
--------------------------
Words that say WHICH body must agree; descriptive suffixes may be left out:

* every written token must be found in the registry name (an unknown word, a different place,
  "tỉnh" against "thành phố", "Tỉnh ủy" against "Thành ủy" all block the match);
* every organ token of the registry name must be written ("Ủy ban nhân dân thành phố" is not
  "Đảng ủy Ủy ban nhân dân thành phố");
* a registry place must be written unless it is a *home place* (the registry's own city or
  province, found as the most frequent place, or the one place after an organ the registry also
  writes bare: "Thanh tra Bộ" with "Đảng ủy Bộ Nội vụ"; "Sở Nội vụ" is "Sở Nội vụ thành phố Cần
  Thơ"); registry level words may be left out, and so may national qualifiers ("Chính phủ",
  "Quốc gia"); a written bare home level ("các sở, ban, ngành tỉnh") states the home place;
* a trailing "[trực] thuộc <home organ or home level>" on either side, or a written "<home
  organ> <home place>", names the registry's own parent and may be left out ("Vụ Pháp chế Bộ Nội
  vụ" is "Vụ Pháp chế", "các chi bộ" is "Các chi bộ trực thuộc Huyện ủy");
* registry domain words left out cost :data:`MISSING_WORD_PENALTY` per syllable ("Sở Nông
  nghiệp" leaves out two of "Sở Nông nghiệp và Môi trường": it asks); a word corrected for a
  typo costs :data:`TYPO_PENALTY`; the ambiguous "TU" (Thành ủy or Tỉnh ủy) costs
  :data:`WILDCARD_PENALTY`; a two-letter registry initialism ("TG") costs
  :data:`SHORT_INITIALISM_PENALTY`.

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
SHORT_INITIALISM_PENALTY = 8.0
"""Per two-letter initialism read from the registry's names ("TG" as Tuyên giáo): weak evidence,
so a name made of two such guesses ("Sở KH và CN") asks."""
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
    "phong": "phong",
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
    "bo phan",
    "toan bo",
    "noi bo",
    "dong bo",
    "bo may",
    "bo mon",
    "bo doi",
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
    words such as "và" left out, never across a level word) gives the initialism of its first
    letters. A written all-capitals token ("TCCB", "KH-TC", "VTLTNN", "TG") is read as a run
    it abbreviates. When the registry has several ("KH-TC": Kế hoạch - Tài chính, and the
    first words of Viện Khoa học tổ chức nhà nước), each is tried and the structure of the
    name decides ("Vụ KH-TC" is not a Viện); when it cannot, the name asks.
    """

    phrases: dict[str, frozenset[str]]
    words: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> _Initialisms:
        phrases: defaultdict[str, set[str]] = defaultdict(set)
        vocabulary: set[str] = set()
        for text in texts:
            all_words = _words(text)
            vocabulary.update(word for word in all_words if word not in _STOP_WORDS)
            # Runs never take in a level word ("xã" of "xã Hòa Khánh" is not the X of "XH").
            runs: list[list[str]] = [[]]
            for start, end, entry in _segments(all_words):
                if _is_place_marker(entry) and not any(
                    concept in _TERRITORIAL_CONCEPTS for concept, _ in entry or ()
                ):
                    runs.append([])
                else:
                    runs[-1].extend(w for w in all_words[start:end] if w not in _STOP_WORDS)
            for run_words in runs:
                for start in range(len(run_words)):
                    for size in range(2, min(_MAX_INITIALISM, len(run_words) - start) + 1):
                        run = run_words[start : start + size]
                        phrases["".join(word[0] for word in run)].add(" ".join(run))
        return cls({key: frozenset(found) for key, found in phrases.items()}, frozenset(vocabulary))

    def options(self, compact: str, fixed: str | None) -> tuple[str, ...]:
        """The registry runs ``compact`` may abbreviate (none: read it as usual).

        A general abbreviation (``fixed``) wins unless it is three letters or more and the
        registry never writes its expansion but writes other runs with those initials
        ("BCH Quân sự" in a registry with a Bộ Chỉ huy and no Ban Chấp hành).
        """
        if compact in self.words or compact in _KNOWN_WORDS:
            return ()
        found = self.phrases.get(compact, frozenset())
        if fixed is not None and (len(compact) < 3 or fixed in found):
            return ()
        return tuple(sorted(found))


@dataclass(slots=True)
class _Spelling:
    """How one reading expands a written name's registry initialisms, and what it used."""

    initialisms: _Initialisms
    chosen: dict[str, str] = field(default_factory=dict)  # initialism -> run, for this reading
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # several runs
    guesses: int = 0  # two-letter initialisms expanded
    shouting: bool = False  # the whole name in capitals: "AN", "HOA" are words


_MAX_INITIALISM = 8
# Level abbreviations of addresses; one letter only with its dot ("P. Tam Kỳ").
_LEVEL_ABBREVIATIONS = {
    "tt": "thi tran",
    "tx": "thi xa",
    "tp": "thanh pho",
    "p": "phuong",
    "x": "xa",
    "h": "huyen",
    "q": "quan",
}


_LEVEL_KEYS = tuple(tuple(phrase.split()) for phrase in _LEVEL_ABBREVIATIONS.values())
# "P.Tam Kỳ", "TT.An Bình": a level abbreviation glued to the place name.
_GLUED_LEVEL = re.compile(r"(?<!\w)(TT|TX|TP|P|X|H|Q)\.(?=\w)")


def _level_abbreviation(
    raw: str,
    core: str,
    rest: Sequence[str],
    known_places: frozenset[str],
    before: Sequence[str],
) -> str | None:
    """The level a capital abbreviation stands for: before a known place ("TT An Bình") or
    in a list of levels ("xã, TT")."""
    if not core.isupper() or not core.isalpha():
        return None
    level = _LEVEL_ABBREVIATIONS.get(core.casefold())
    if level is None or (len(core) == 1 and not raw.endswith(".")):
        return None
    if any(tuple(before[-len(key) :]) == key for key in _LEVEL_KEYS):
        return level
    following: list[str] = []
    for word in rest[:_MAX_PLACE_WORDS]:
        following.extend(fold(word).split())
        if "_".join(following) in known_places:
            return level
    return None


_VOWELS = frozenset("aeiouy")


def _words(
    text: str, spelling: _Spelling | None = None, known_places: frozenset[str] = frozenset()
) -> list[str]:
    """Fold ``text`` into words, expanding general abbreviations (and the registry's own).

    A level abbreviation ("TT", "P.", "X.") is the level when a known place follows ("TT An
    Bình") or in a list of levels.
    """
    words: list[str] = []
    if spelling is not None:
        spelling.shouting = len(text.split()) > 1 and strip_diacritics(text).isupper()
    raws = _GLUED_LEVEL.sub(r"\1. ", nfc(text)).split()
    for position, raw in enumerate(raws):
        core = _EDGE_PUNCTUATION.sub("", raw)
        level = _level_abbreviation(raw, core, raws[position + 1 :], known_places, words)
        if level is not None:
            words.extend(level.split())
        elif core:
            words.extend(_token_words(core, split=True, spelling=spelling))
    return words


def _token_words(
    core: str,
    *,
    split: bool,
    spelling: _Spelling | None = None,
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
    runs: tuple[str, ...] = ()
    if (
        spelling is not None
        and unmarked
        and capitals
        and compact.isalpha()
        and not (spelling.shouting and _VOWELS.intersection(compact))
    ):
        runs = spelling.initialisms.options(compact, expansion)
        if len(runs) > 1:
            spelling.ambiguous[compact] = runs
        local = runs[0] if len(runs) == 1 else spelling.chosen.get(compact)
        if local is not None:
            if len(compact) < 3:
                spelling.guesses += 1
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
            # Pieces of an ambiguous whole ("KH-TC") are not guessed one by one.
            for word in _token_words(
                piece, split=False, spelling=None if len(runs) > 1 else spelling
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
    guesses: int = 0  # two-letter registry initialisms read (SHORT_INITIALISM_PENALTY each)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

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


def _entry(words: Sequence[str], start: int, size: int) -> tuple[tuple[str, str], ...] | None:
    """The lexicon entry for ``words[start:start + size]``, read in its position.

    "Vụ" and "Phòng" are organs only where a name (or a listed name) begins: after another word
    they end a domain ("Nội vụ", "Nghiệp vụ", "Quốc phòng", "Biên phòng", "Dự phòng").
    """
    entry = _LEXICON.get(tuple(words[start : start + size]))
    if entry in _LEADING_ORGANS and start > 0 and words[start - 1] not in _STOP_WORDS:
        return None
    return entry


_LEADING_ORGANS = (("vu", ORGAN),), (("phong", ORGAN),)


def _segments(words: Sequence[str]) -> list[tuple[int, int, tuple[tuple[str, str], ...] | None]]:
    """Greedy longest-match reading of ``words`` with the lexicon: (start, end, entry)."""
    segments: list[tuple[int, int, tuple[tuple[str, str], ...] | None]] = []
    i = 0
    while i < len(words):
        for size in range(min(_LEXICON_MAX, len(words) - i), 0, -1):
            entry = _entry(words, i, size)
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
        # A ministry is named by its domain: "Bộ Công an" names no place.
        ministry = entry is not None and entry[0][0] == "bo"
        for start, stop, following in segments[index + 1 :]:
            if _is_place_marker(following) or words[start] in _PLACE_BREAKS:
                break
            if ministry and following is not None and following[0][1] == ORGAN:
                break
            end = stop
        if 0 < end - marker_end <= _MAX_PLACE_WORDS:
            spans.append((marker_end, end))
    return spans


# A dispatch is often addressed to the head of a body ("Giám đốc các sở", "Chủ tịch UBND các
# xã", "Chánh Văn phòng"): the title is left out, the body is the recipient. Matched with tone
# marks, so "Trưởng" (head) is never "Trường" (school).
_TITLES = re.compile(
    r"^(?:(?:kính gửi|đồng chí|đ/c)\s*:?\s+)*"
    r"(?:(?:phó\s+)?(?:giám đốc|thủ trưởng|chủ tịch|bí thư|lãnh đạo|chánh án|trưởng"
    r"|chánh(?=\s+(?:văn phòng|thanh tra))|tổng biên tập|cục trưởng|vụ trưởng|viện trưởng"
    r"|hiệu trưởng|chỉ huy trưởng|chủ nhiệm|tổng giám đốc)\s+)+",
    re.IGNORECASE,
)


def _strip_titles(text: str) -> str:
    """``text`` without a leading title of a person ("Giám đốc", "Chủ tịch", "Trưởng")."""
    normal = nfc(text).strip()
    match = _TITLES.match(normal)
    if match is None or match.end() >= len(normal):
        return normal
    return normal[match.end() :]


def _read(
    text: str,
    known_places: frozenset[str] = frozenset(),
    initialisms: _Initialisms | None = None,
    chosen: dict[str, str] | None = None,
) -> _Reading:
    """Read a name into concept tokens (see the module docstring)."""
    spelling = _Spelling(initialisms, dict(chosen or {})) if initialisms is not None else None
    text = _strip_titles(text)
    words = _drop_phrases(_words(text, spelling, known_places))
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
            entry = _entry(words, i, size)
            if entry is not None and not any(j in place_at for j in range(i + 1, i + size)):
                tokens.extend(_Token(concept, kind) for concept, kind in entry)
                i += size
                break
        else:
            if words[i] not in _STOP_WORDS:
                tokens.append(_Token(words[i], DOMAIN))
            i += 1
    if spelling is None:
        return _Reading(tuple(tokens), plural)
    return _Reading(tuple(tokens), plural, spelling.guesses, spelling.ambiguous)


def name_key(text: str) -> str:
    """Comparison key of a unit or group name: equal keys mean the same written name.

    Insensitive to case, diacritics, Unicode form, punctuation, stop words and the usual
    abbreviations ("UBND" and "Ủy ban nhân dân" give the same key).
    """
    return _read(text).key or fold(text)


# --- Comparison -------------------------------------------------------------------------------


def _parent_suffix(
    tokens: Sequence[_Token],
    home: dict[str, frozenset[str]],
    home_organs: frozenset[str],
    *,
    written: bool,
) -> int:
    """Where a trailing "[trực] thuộc <home organ> [home place]" starts (else ``len(tokens)``).

    It names the registry's own committee, ministry or territory, which every unit of the
    registry belongs to, so it tells nothing: "Các chi bộ trực thuộc Huyện ủy" is "các chi
    bộ", "Các sở, ban, ngành thuộc tỉnh" is "các sở, ban, ngành", "Vụ Pháp chế Bộ Nội vụ" is
    "Vụ Pháp chế". Without "thuộc" a written suffix must name a home organ and home place.
    """
    count = len(tokens)
    end = count
    named = False
    if end and tokens[end - 1].kind == PLACE and tokens[end - 1].concept in home:
        end -= 1
        named = True
    if not end:
        return count
    parent = tokens[end - 1]
    organ = parent.concept in home_organs
    if not organ and not (
        parent.kind == LEVEL and any(parent.concept in levels for levels in home.values())
    ):
        return count
    start = end - 1
    linked = start > 0 and tokens[start - 1].concept == "thuoc"
    if linked:
        start -= 1
        if start > 0 and tokens[start - 1].concept == "truc":
            start -= 1
    if start == 0 or not (linked or (written and named and organ)):
        return count
    return start


def _compare(
    written: _Reading,
    registered: _Reading,
    home: dict[str, frozenset[str]],
    home_organs: frozenset[str] = frozenset(),
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
    home_levels = frozenset(level for levels in home.values() for level in levels)
    written_parent = _parent_suffix(tokens, home, home_organs, written=True)
    registered_parent = _parent_suffix(rest, home, home_organs, written=False)

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
        if (
            token.kind == LEVEL
            and token.concept in home_levels
            and (following is None or following.kind != PLACE)
        ):
            # A bare home level: "các sở, ban, ngành tỉnh" in a province's registry.
            stated_level = True
            continue
        if index >= written_parent:
            continue
        return True, 0.0
    for position, token in enumerate(rest):
        if used[position] or position >= registered_parent:
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
            # Per syllable: "môi trường" left out is two words left out.
            penalty += MISSING_WORD_PENALTY * (token.concept.count("_") + 1)
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

        self._initialisms = _Initialisms.of(text for _, text in unit_surfaces + group_surfaces)
        # Places: first as found after level words and territorial organs, then everywhere.
        raw = [
            (index, text, _read(text, initialisms=self._initialisms))
            for index, text in unit_surfaces + group_surfaces
        ]
        place_units: dict[str, set[int]] = defaultdict(set)
        for index, _, reading in raw:
            for token in reading.tokens:
                if token.kind == PLACE:
                    place_units[token.concept].add(index)
        self.home_places = (
            frozenset(_place_concept(p) for p in home_places)
            if home_places is not None
            else _infer_home_places(place_units, len(unit_list))
            | _self_named_places(
                reading for index, _, reading in raw if self._targets[index].kind == "unit"
            )
        )
        self._places = frozenset(place_units) | self.home_places
        self._surfaces = [
            _Surface(index, _read(text, self._places, self._initialisms))
            for index, text, _ in raw
            if text.strip()
        ]
        # The level words the registry writes before each home place ("thành phố Cần Thơ").
        home_levels: dict[str, set[str]] = {place: set() for place in self.home_places}
        for surface in self._surfaces:
            tokens = surface.reading.tokens
            for before, token in pairwise(tokens):
                if before.kind == LEVEL and token.kind == PLACE and token.concept in home_levels:
                    home_levels[token.concept].add(before.concept)
        self._home = {place: frozenset(levels) for place, levels in home_levels.items()}
        # The registry's own committee or ministry: a territorial organ written before a home
        # place ("Huyện ủy Châu Thành", "Bộ Nội vụ").
        self._home_organs = frozenset(
            before.concept
            for surface in self._surfaces
            for before, token in pairwise(surface.reading.tokens)
            if before.concept in _TERRITORIAL_CONCEPTS
            and token.kind == PLACE
            and token.concept in self.home_places
        )
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
        reading = _read(written, self._places, self._initialisms)
        scored = self._score_targets(self._correct_typos(reading))
        for chosen in _choices(reading.ambiguous):
            alternative = _read(written, self._places, self._initialisms, chosen)
            for t, found in self._score_targets(self._correct_typos(alternative)).items():
                previous = scored.get(t)
                if previous is None or (not found[1], found[0]) > (not previous[1], previous[0]):
                    scored[t] = found
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
        if not changed:
            return reading
        return _Reading(tuple(tokens), reading.plural, reading.guesses, reading.ambiguous)

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
                self._home_organs,
                strict=self._targets[surface.target].kind == "group",
            )
            if blocked:
                score = min(
                    BLOCKED_SCORE_CAP,
                    0.7 * fuzz.token_sort_ratio(written_key, self._keys[surface_id]),
                )
            else:
                score = max(
                    0.0,
                    score - TYPO_PENALTY * typos - SHORT_INITIALISM_PENALTY * reading.guesses,
                )
            previous = scored.get(surface.target)
            candidate = (score, blocked)
            if previous is None or (not blocked, score) > (not previous[1], previous[0]):
                scored[surface.target] = candidate
        return scored


_TYPO = "typo"
_MAX_CHOICES = 8


def _choices(ambiguous: dict[str, tuple[str, ...]]) -> list[dict[str, str]]:
    """Every way to read the ambiguous initialisms of a name (none when there are too many)."""
    if not ambiguous:
        return []
    combinations: list[dict[str, str]] = [{}]
    for compact, runs in ambiguous.items():
        combinations = [{**done, compact: run} for done in combinations for run in runs]
        if len(combinations) > _MAX_CHOICES:
            return []
    return combinations


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


def _self_named_places(readings: Iterable[_Reading]) -> frozenset[str]:
    """Places a registry calls by its organ alone: the ministry of "Văn phòng Bộ".

    A unit name that ends with a bare territorial organ ("Thanh tra Bộ") is the registry
    speaking of its own committee or ministry; when that organ is followed by one place only
    anywhere in the registry ("Đảng ủy Bộ Nội vụ"), that place is home.
    """
    bare: set[str] = set()
    following: defaultdict[str, set[str]] = defaultdict(set)
    for reading in readings:
        tokens = reading.tokens
        if reading.plural or not tokens:
            continue
        if len(tokens) > 1 and tokens[-1].concept in _TERRITORIAL_CONCEPTS:
            bare.add(tokens[-1].concept)
        for before, token in pairwise(tokens):
            if before.concept in _TERRITORIAL_CONCEPTS and token.kind == PLACE:
                following[before.concept].add(token.concept)
    return frozenset(
        place for organ in bare if len(following[organ]) == 1 for place in following[organ]
    )


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
