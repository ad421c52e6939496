"""Read a unit's short reply to a task or reminder: done, progress, extension request, or empty.

A small rule-based reader, no ML. Vietnamese civil servants answer in a few words, with or
without diacritics, in any case, in NFC or NFD, with typos ("xog") and emoji ("✅"). The rules
below are written against the *folded* text (NFC → casefold → diacritics removed, đ→d) while
every piece of text handed back (note, reason) is cut from the original NFC text, diacritics kept.

The one error that matters: marking a task done when it is not. So "done" needs a done word
("xong", "hoàn thành", "done", "✅", …) with nothing around it that weakens it: a negation
("chưa xong"), a hedge or future ("sắp xong", "sẽ hoàn thành", "mai xong"), a part ("xong phần
1", "xong bản nháp"), a percentage below 100 ("hoàn thành 80%"), a question ("xong chưa?"), a
contrast or a wait ("…nhưng còn thiếu", "…, chờ duyệt"). Replies without a done word are not
guessed at either: "đã gửi báo cáo", "đã nhận", "ok" and "👍" are not done. When in doubt the reply
is progress; the bot can still offer a "mark done" button.

Folding merges some words ("do" because / "đó" that, "vì" / "vị" in "đơn vị", "đang" / "đăng",
"còn" / "con"); where that matters a rule also checks the original spelling (`_is_spelled`).

Order of the checks: empty → extension → done → progress. Extension comes before done because
"chưa xong, xin gia hạn đến 20/10" asks for time, and "đã xong, không cần gia hạn" is done (the
extension words are negated there).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from services.date_input import DateInputError, parse_user_date
from services.workdays import WorkingCalendar

__all__ = ["ReplyKind", "ReplyReading", "read_reply"]

ReplyKind = Literal["done", "progress", "extension", "empty"]


@dataclass(frozen=True)
class ReplyReading:
    """What a reply says. ``note`` is the reply's own words worth keeping (original text).

    - done: ``note`` is what follows the done words ("xong, đã gửi Báo cáo số 12…" → "đã gửi
      Báo cáo số 12…"), or None;
    - progress: ``note`` is the whole reply; ``percent`` when it gives one ("đang làm, 60%");
    - extension: ``proposed_date`` (None when no readable date), ``reason`` (after "vì", "do",
      "lý do", "bởi"), ``note`` the whole reply; ``bad_date`` the written date when the reply
      names a day that does not exist ("31/02"), so the answer can say so;
    - empty: nothing to read (blank, punctuation, emoji other than a check mark).
    """

    kind: ReplyKind
    note: str | None
    proposed_date: date | None
    reason: str | None
    percent: int | None
    bad_date: str | None = None


# --- Folding with a map back to the original text --------------------------------------------


@dataclass(frozen=True)
class _Folded:
    original: str  # NFC
    text: str  # folded: casefold, no diacritics, đ→d, whitespace runs kept as they are
    origin: tuple[int, ...]  # origin[i] = index in `original` of folded character i

    def start(self, index: int) -> int:
        return self.origin[index] if index < len(self.origin) else len(self.original)

    def original_word(self, start: int, end: int) -> str:
        """The original (NFC, casefolded) characters behind folded[start:end]."""
        return self.original[self.start(start) : self.start(end)].casefold()


# Combining marks (Vietnamese tones and vowel hats in NFD) and the emoji variation selector
# U+FE0F, which is a non-combining mark: all dropped when folding.
_MARKS = frozenset({"Mn", "Me"})


def _fold(text: str) -> _Folded:
    original = unicodedata.normalize("NFC", text)
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(original):
        for piece in unicodedata.normalize("NFD", char.casefold()):
            if unicodedata.category(piece) in _MARKS:
                continue
            chars.append("d" if piece == "đ" else piece)
            origin.append(index)
    return _Folded(original=original, text="".join(chars), origin=tuple(origin))


def _words(*phrases: str) -> str:
    """Alternation of whole-word phrases; a space in a phrase matches any whitespace."""
    alternatives = sorted((p.replace(" ", r"\s+") for p in phrases), key=len, reverse=True)
    return r"\b(?:" + "|".join(alternatives) + r")\b"


def _is_spelled(folded: _Folded, match: re.Match[str], spellings: frozenset[str]) -> bool:
    """True when the original word is one of ``spellings`` (accented form or plain ASCII).

    Folding merges words: "do" (because) with "đó" (that), "vì" with "vị" ("đơn vị"), "nhưng"
    (but) with "những" (plural). For those, the original must be the right word, or the plain
    unaccented spelling of someone typing without diacritics.
    """
    return " ".join(folded.original_word(*match.span()).split()) in spellings


# --- Word lists ------------------------------------------------------------------------------

# Done words. "x+o+n*g+" takes "xong", "xog", "xongg", "xoong".
_DONE_WORDS = re.compile(
    _words(
        r"x+o+n*g+",
        "hoan thanh",
        "hoanthanh",
        "hoan tat",
        "done",
        "finished",
        "completed",
        "complete",
    )
)
# Check marks that people send alone or in front of a note. (The emoji variation selector U+FE0F
# is a mark, category Mn, and disappears when folding.)
_DONE_MARKS = re.compile("[\u2705\u2611\u2714\u2713]")

# Anywhere in the reply, these mean the work is not (fully) over.
_BLOCK_ANYWHERE = re.compile(
    _words(
        r"chua(?!n)\w*",  # chưa (not yet); "chuẩn" excluded
        "chx",  # chat shorthand for chưa
        "tiep tuc",  # still going on
        "con lai",
        "con thieu",
        "van con",
        "van dang",
        "tuy nhien",
        "mot phan",
        "1 phan",
        "phan con",
        "not",
        "not yet",
        "in progress",
        "hau het",  # "hoàn thành hầu hết": most of it
        "du thao",  # a draft is done, not the task
        "ban nhap",
        "ban thao",
        "lat nua",  # "lát nữa", "tí nữa", "chút nữa": later
        "ti nua",
        "chut nua",
        "tuan sau",
        "tuan toi",
    )
    + "|[?]"  # a question ("xong chưa?", "hoàn thành rồi à?")
)
# Same, but only when the original is exactly this word: folding would also hit "đăng" (post),
# "sáp", "những" (plural), "sẻ" in "chia sẻ" is accepted as the common typo of "sẽ".
_BLOCK_ANYWHERE_SPELLED = {
    re.compile(_words("dang")): frozenset({"đang", "dang"}),
    re.compile(_words("se")): frozenset({"sẽ", "se", "sẻ"}),
    re.compile(_words("sap")): frozenset({"sắp", "sap"}),
    re.compile(_words("gan")): frozenset({"gần", "gan"}),
    re.compile(_words("nhung")): frozenset({"nhưng", "nhung"}),
    re.compile(_words("con")): frozenset({"còn", "con"}),  # "còn ký là xong": still
    re.compile(_words("mai")): frozenset({"mai"}),  # "mai gửi": tomorrow (not "thương mại")
    re.compile(_words("cho")): frozenset({"chờ"}),  # "chờ duyệt": waiting; plain "cho" is "for"
}

# Before a done word, in the same clause: negation, hedge, plan, condition, directive.
_HEDGES_BEFORE = re.compile(
    _words(
        "khong",
        "ko",
        "k",
        "kg",
        "kh",
        "khg",
        "hok",
        "hong",
        "chang",
        "chac",
        "co le",
        "co the",
        "du kien",
        "du dinh",
        "phan dau",
        "co gang",
        "khi nao",
        "khi",
        "bao gio",
        "neu",
        "truoc khi",
        "mong",
        "hy vong",
        "hi vong",
        "dam bao",
        "co ban",
        "yeu cau",
        "de nghi",
        "kip",
        "nham",
        "lam sao",  # "làm sao mà xong được": how could it
        "sao ma",
        "hau nhu",  # "hầu như đã xong": almost
    )
)
# Same, where folding would also hit common words of these replies: "cán bộ", "chị", "chi cục"
# (typed with diacritics), "đính kèm", "muộn".
_HEDGES_BEFORE_SPELLED = {
    re.compile(_words("can")): frozenset({"cần", "can"}),
    re.compile(_words("chi")): frozenset({"chỉ", "chi"}),
    re.compile(_words("phai")): frozenset({"phải", "phai"}),
    re.compile(_words("muon")): frozenset({"muốn", "muon"}),
    re.compile(_words("dinh")): frozenset({"định", "dinh"}),
    # "khó hoàn thành" (hard to), not "Kho bạc" (the State Treasury, a unit that replies).
    re.compile(_words("kho") + r"(?!\s+bac\b)"): frozenset({"khó", "kho"}),
}
# A time ahead in the done word's clause makes it a plan ("hôm nay xong", "tuần sau xong"),
# unless the clause says it already happened ("hôm nay đã xong").
_FUTURE_TIME = re.compile(
    _words(
        *("hom nay", "chieu nay", "toi nay", "sang mai", "chieu mai", "ngay mai"),
        *("trong ngay", "trong tuan", "trong thang", "cuoi tuan", "thang sau", "thang toi"),
    )
)
_PAST_MARKERS = {
    re.compile(_words("da")): frozenset({"đã", "da"}),  # not "dạ" (polite yes)
    re.compile(_words("roi", "r", "vua", "moi")): frozenset(
        {"rồi", "roi", "r", "vừa", "vua", "mới", "moi"}
    ),
}
# Right after a done word (next three words of the clause): a part, a share, a condition.
_QUALIFIERS_AFTER = re.compile(
    _words(
        "phan",  # "xong phần 1"
        "buoc",  # "xong bước 1"
        "giai doan",
        "mot",  # "xong một phần"
        "nua",  # "xong một nửa"
        "khong",  # "xong không" (question)
        "ko",
        "k",
        "dau",  # "đã xong đâu" (not at all)
        "thi",  # "xong thì báo"
        "truoc",  # "hoàn thành trước 20/10" (a plan as often as a fact)
        "sau",  # "hoàn thành sau 20/10"
        "khoang",  # "xong khoảng 70"
        "trong",  # "xong trong hôm nay", "hoàn thành trong tháng 10": a plan
        "la",  # "ký xong là gửi": as soon as
    )
    + r"|\d"  # "xong 2 nội dung", "hoàn thành 3/5"
)
# Harmless right after a done word although a qualifier above would match.
_HARMLESS_AFTER = re.compile(r"\b100\s*(?:%|phan\s+tram\b)|\btruoc\s+(?:thoi\s+)?han\b")
# "xong rồi à?", "xong rồi hả": a question. The polite "ạ" folds to the same "a", so the
# original spelling decides; a plain "a" typed without diacritics is taken as polite.
_QUESTION_PARTICLES = frozenset({"à", "á", "hả", "hử", "ha"})

# Polite filler around the done words, dropped from the note: "xong rồi ạ, …".
_FILLER_WORDS = _words(
    *("roi", "r", "a", "nhe", "nha", "ok", "oke", "vay", "het", "xuoi", "ca", "tat ca", "va"),
    *("anh oi", "chi oi", "em oi", "a oi"),
)
_FILLER = re.compile(r"(?:[\s,.;:!\-–—…]|" + _FILLER_WORDS + ")*")
# Between a done word and the time it names: «xong rồi từ hôm qua», «đã xong hết lúc 8 giờ».
_AFTER_DONE = re.compile(r"(?:\s|" + _words("roi", "r", "het", "xuoi", "ca", "tat ca") + ")*")
# A note made only of these (and separators) is no note: forms of address, particles, and the
# task itself («nhiệm vụ», «công việc»), typed with or without diacritics.
_ADDRESS_WORDS = frozenset(
    {*("anh", "chi", "em", "sep", "a", "ak", "nhe", "nha", "oi", "roi", "r", "ha", "day", "luon")}
)
_NOTE_FILLER_WORDS = _words(
    *_ADDRESS_WORDS,
    *("anh chi", "cac anh chi", "moi nguoi", "dong chi", "bac", "co", "chu", "thua", "vang"),
    *("nhiem vu", "cong viec", "viec", "nv", "nhiem vu nay", "cong viec nay", "viec nay"),
    *("nhiem vu duoc giao", "cong viec duoc giao", "viec duoc giao", "het", "xuoi", "ok", "oke"),
)
_NOTE_FILLER = re.compile(r"(?:[\s,.;:!\-–—…]|" + _NOTE_FILLER_WORDS + ")*")
# At the start of a note: filler words up to a separator («Xong nhiệm vụ, đã gửi báo cáo»).
_NOTE_FILLER_LEAD = re.compile(
    r"(?:\s*" + _NOTE_FILLER_WORDS + r")+\s*[,.;:!\-–—…]+(?:[\s,.;:!\-–—…])*"
)
# Words allowed between two done words that still read as one phrase ("✅ đã hoàn thành").
_LINK_WORDS = frozenset({"da", "roi", "r", "va", "ok"})
# Words that make up a reply's opening without content of its own ("Dạ, đơn vị đã …").
_OPENING_WORDS = frozenset(
    {
        *("da", "vang", "ok", "oke", "okay", "thua", "a", "roi", "r", "kinh", "gui", "xin"),
        *("em", "ben", "don", "vi", "chung", "toi", "minh", "anh", "chi", "phong", "so", "ubnd"),
        *("bao", "cao", "cua", "nay", "cong", "viec", "nhiem", "vu", "lam", "thuc", "hien"),
        *("duoc", "giao", "can", "bo", "tat", "ca", "toan", "hom", "chieu", "sang"),
    }
)

# Extension: asking for more time.
_EXTENSION = re.compile(
    _words(
        "gia han",
        "giahan",
        "lui thoi han",
        "lui han",
        "lui lai",
        "xin lui",
        "doi han",
        "doi thoi han",
        "keo dai thoi han",
        "keo dai thoi gian",
        "keo dai han",
        "xin hoan",
        "them thoi gian",
        "xin them thoi gian",
        "xin them han",
        "dieu chinh thoi han",
        "dieu chinh lai thoi han",
        "dieu chinh han",
        "dieu chinh thoi gian",
        "thay doi thoi han",
        "doi lai thoi han",
        "lui thoi gian",
        "noi thoi han",
        "noi han",
    )
    + r"|\bthem\s+(?:\d{1,3}|mot|hai|ba|bon|nam|bay|tam|chin|muoi|nua)\s*(?:ngay|tuan|thang)\b"
)
# "không cần gia hạn", "không xin gia hạn", "chưa cần gia hạn": not a request.
_EXTENSION_NEGATED = re.compile(
    _words("khong", "ko", "k", "khg", "chua", "chang") + r"(?:\s+\w+){0,2}\s*$"
)
# Where the reason starts. Checked against the original spelling (see _is_spelled).
_REASON = re.compile(
    _words("vi ly do", "ly do", "li do", "boi vi", "tai vi", "nguyen nhan", "vi", "do", "boi")
)
_REASON_SPELLINGS = frozenset(
    {
        "vì lý do",
        "vì lí do",
        "vi ly do",
        "vi li do",
        "lý do",
        "lí do",
        "ly do",
        "li do",
        "bởi vì",
        "boi vi",
        "tại vì",
        "tai vi",
        "nguyên nhân",
        "nguyen nhan",
        "vì",
        "vi",
        "do",
        "bởi",
        "boi",
    }
)
# A reason given first ends where the request starts: "Do chờ số liệu nên xin gia hạn …".
_REASON_END = re.compile(_words("nen", "nen xin", "vay nen"))

_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3})(?:[.,]\d+)?\s*(?:%|phan\s+tram\b)")
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n]")
_SEPARATORS = " \t\r\n,.-–—:;!…"
_TRAILING = " \t\r\n,-–—:;"


def _strip_separators(text: str, *, keep_final_stop: bool = False) -> str | None:
    """Trim spaces and separators; None when no letter or digit is left."""
    stripped = (
        text.strip().lstrip(_SEPARATORS).rstrip(_TRAILING if keep_final_stop else _SEPARATORS)
    )
    return stripped if any(c.isalnum() for c in stripped) else None


def _whole(folded: _Folded) -> str | None:
    """The whole reply as the note of a progress or extension reading."""
    stripped = folded.original.strip()
    return stripped if any(c.isalnum() for c in stripped) else None


def _percent(folded: _Folded) -> int | None:
    match = _PERCENT.search(folded.text)
    if match is None:
        return None
    value = int(match.group(1))
    return value if 0 <= value <= 100 else None


def _has_spelled(folded: _Folded, pattern: re.Pattern[str], spellings: frozenset[str]) -> bool:
    return any(_is_spelled(folded, m, spellings) for m in pattern.finditer(folded.text))


# --- Extension -------------------------------------------------------------------------------


def _reason_words(folded: _Folded, start: int = 0) -> Iterator[re.Match[str]]:
    """Words that start a reason ("vì", "do", "lý do", …), from folded[start:] on."""
    for match in _REASON.finditer(folded.text, start):
        if not _is_spelled(folded, match, _REASON_SPELLINGS):
            continue
        before = folded.text[: match.start()].split()
        if match.group(0) == "vi" and before and before[-1] == "don":
            continue  # "don vi" typed without diacritics: "đơn vị", not "vì"
        yield match


def _find_reason(folded: _Folded, request_start: int) -> str | None:
    for match in _reason_words(folded):
        end = len(folded.text)
        if match.start() < request_start:  # reason first, request after
            end = request_start
            stop = _REASON_END.search(folded.text, match.end(), request_start)
            if stop is not None:
                end = stop.start()
        return _strip_separators(folded.original[folded.start(match.end()) : folded.start(end)])
    return None


def _read_extension(
    folded: _Folded,
    today: date,
    current_due: date | None,
    percent: int | None,
    calendar: WorkingCalendar | None,
) -> ReplyReading | None:
    for match in _EXTENSION.finditer(folded.text):
        clause_start = max(
            (m.end() for m in _CLAUSE_BREAK.finditer(folded.text, 0, match.start())), default=0
        )
        if _EXTENSION_NEGATED.search(folded.text, clause_start, match.start()):
            continue
        reason_start = next(
            (m.start() for m in _reason_words(folded, match.end())), len(folded.text)
        )
        # "thêm 10 ngày" adds to the deadline in force, or to today once it has passed: ten
        # more days on an overdue task must not land in the past.
        base = max(current_due, today) if current_due is not None else today
        # The date usually follows the request words ("gia hạn đến 20/10", "xin thêm 1 tuần");
        # sometimes it comes first ("đến 20/10 mới xong được, xin gia hạn").
        segments = (
            folded.original[folded.start(match.start()) : folded.start(reason_start)],
            folded.original[: folded.start(match.start())],
        )
        proposed, bad_date = None, None
        for segment in segments:
            try:
                proposed = parse_user_date(segment, today, base=base, calendar=calendar)
                break
            except DateInputError as error:
                if error.code == "not_a_date" and bad_date is None:
                    bad_date = error.fragment
        return ReplyReading(
            kind="extension",
            note=_whole(folded),
            proposed_date=proposed,
            reason=_find_reason(folded, match.start()),
            percent=percent,
            bad_date=None if proposed else bad_date,
        )
    return None


# --- When a completion happened --------------------------------------------------------------

# Right after a done word, a time says when it happened («xong hôm qua», «hoàn thành lúc 8 giờ»,
# «đã xong từ chiều qua», «hoàn thành ngày 08/10») or when it will («hoàn thành ngày 20/10»,
# «xong lúc 17h»): past (up to now) is done, future is a plan. A bare «3/5» is a share of the
# work («hoàn thành 3/5 nội dung»), so a date needs «ngày», «từ», «vào», «hôm» or a year; an
# hour needs its unit («8h», «8 giờ», «8g30», «17:00»).
_PAST_DAYS = re.compile(
    r"(?:(?:tu|vao|hoi)\s+)?"
    r"(?:hom\s+qua|hom\s+kia|(?:sang|trua|chieu|toi|dem)\s+qua|(?:tuan|thang)\s+(?:truoc|qua)"
    r"|(?:may\s+)?hom\s+truoc|tu\s+(?:sang|trua|chieu)(?!\s+(?:nay|mai)\b))\b"
)
_DATE_NUMBERS = re.compile(
    r"(?:(?P<marker>(?:(?:tu|vao)\s+)?ngay|tu|vao|hom)\s+)?"
    r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?(?![\d/.-]*\d)"
)
_DATE_WORDS = re.compile(
    r"(?:(?:tu|vao)\s+)?ngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})"
    r"(?:\s+nam\s+(?P<y>\d{4}))?\b"
)
_HOUR = re.compile(
    r"(?:(?:tu\s+luc|vao\s+luc|luc|tu|vao)\s+)?"
    r"(?P<h>\d{1,2})\s*(?:h|gio|g|:)\s*(?P<min>\d{2})?(?:\s*(?:phut|p))?(?!\w)"
    r"(?:\s+(?P<part>sang|trua|chieu|toi|dem)\b)?"
    r"(?:\s+(?P<day>hom\s+qua|hom\s+nay|qua|nay)\b)?"
)


@dataclass(frozen=True)
class _When:
    past: bool  # up to now: the work is done; otherwise a plan (or an hour with no "now")
    end: int  # folded index where the time expression ends


def _when(
    folded: _Folded, start: int, stop: int, today: date, now: datetime | None
) -> _When | None:
    """The time expression at folded[start:stop], if one starts exactly there."""
    text = folded.text
    if match := _PAST_DAYS.match(text, start, stop):
        return _When(past=True, end=match.end())
    for pattern in (_DATE_WORDS, _DATE_NUMBERS):
        match = pattern.match(text, start, stop)
        if match is None:
            continue
        named = pattern is _DATE_WORDS or match.group("marker") or match.group("y")
        if not named:
            continue
        day = _written_date(int(match.group("d")), int(match.group("m")), match.group("y"), today)
        if day is None:
            return None
        return _When(past=day <= today, end=match.end())
    if match := _HOUR.match(text, start, stop):
        hour, minute = int(match.group("h")), int(match.group("min") or 0)
        if hour > 23 or minute > 59:
            return None
        if match.group("day") in {"qua", "hom qua"}:
            return _When(past=True, end=match.end())
        part = match.group("part")
        if hour < 12 and (part in {"chieu", "toi", "dem"} or (part == "trua" and hour < 11)):
            hour += 12
        elif part is None and 1 <= hour <= 6:
            hour += 12  # office hours: «2 giờ» is two in the afternoon
        past = now is not None and time(hour, minute) <= now.time()
        return _When(past=past, end=match.end())
    return None


def _written_date(day: int, month: int, year: str | None, today: date) -> date | None:
    """The date meant; without a year, the one nearest today («30/12» in January: last year's,
    «05/01» in December: next year's)."""
    years = [int(year)] if year else [today.year - 1, today.year, today.year + 1]
    candidates = []
    for candidate in years:
        try:
            candidates.append(date(candidate, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda written: abs(written - today), default=None)


# --- Done ------------------------------------------------------------------------------------


def _blocked(folded: _Folded, percent: int | None) -> bool:
    """Anything in the whole reply that rules out "done"."""
    if folded.text.lstrip(_SEPARATORS).startswith("chua"):
        return True
    if percent is not None and percent < 100:
        return True
    if _BLOCK_ANYWHERE.search(folded.text):
        return True
    return any(
        _has_spelled(folded, pattern, spellings)
        for pattern, spellings in _BLOCK_ANYWHERE_SPELLED.items()
    )


def _weakened(folded: _Folded, start: int, end: int, today: date, now: datetime | None) -> bool:
    """A done word at folded[start:end] weakened by the words before or after it."""
    text = folded.text
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    if _HEDGES_BEFORE.search(text, clause_start, start):
        return True
    for pattern, spellings in _HEDGES_BEFORE_SPELLED.items():
        if any(
            _is_spelled(folded, m, spellings) for m in pattern.finditer(text, clause_start, start)
        ):
            return True
    clause_end = next((m.start() for m in _CLAUSE_BREAK.finditer(text, end)), len(text))
    # When it happened, right after the done words: a time ahead is a plan.
    time_start = _AFTER_DONE.match(text, end, clause_end)
    when = _when(folded, time_start.end() if time_start else end, clause_end, today, now)
    if when is not None and not when.past:
        return True
    rest = when.end if when is not None else end
    if any(
        not (when is not None and m.start() >= end and m.end() <= when.end)
        for m in _FUTURE_TIME.finditer(text, clause_start, clause_end)
    ) and not any(
        _is_spelled(folded, m, spellings)
        for pattern, spellings in _PAST_MARKERS.items()
        for m in pattern.finditer(text, clause_start, clause_end)
    ):
        return True
    following = list(re.finditer(r"\S+", text[rest:clause_end]))[:3]
    for word in following:
        if word.group(0) in {"a", "ha"}:
            offset = rest + word.start()
            if folded.original_word(offset, offset + len(word.group(0))) in _QUESTION_PARTICLES:
                return True
    words = " ".join(word.group(0) for word in following)
    return _QUALIFIERS_AFTER.search(_HARMLESS_AFTER.sub(" ", words)) is not None


def _done_note(folded: _Folded, start: int, end: int) -> str | None:
    """What follows the done words, else a content-bearing opening before them.

    Filler is not a note: a form of address, a particle, or the words «nhiệm vụ», «công việc»
    alone («Xong rồi chị», «Đã hoàn thành nhiệm vụ ạ») leave none; at the start of the note, when
    a separator follows them («Xong nhiệm vụ, đã gửi báo cáo»), and at its end («…báo cáo rồi
    chị ạ») they are cut off.
    """
    text = folded.text
    filler = _FILLER.match(text, end)
    after_start = filler.end() if filler else end
    if _NOTE_FILLER.fullmatch(text, after_start):
        after_start = len(text)
    elif lead := _NOTE_FILLER_LEAD.match(text, after_start):
        after_start = lead.end()
    after_end = _trailing_address(folded, after_start)
    after = _strip_separators(
        folded.original[folded.start(after_start) : folded.start(after_end)],
        keep_final_stop=after_end == len(text),
    )
    if after:
        return after
    opening = list(re.finditer(r"\w+", text[:start]))
    if all(word.group(0) in _OPENING_WORDS for word in opening):
        return None
    while opening and opening[-1].group(0) in {"da", "lam", "thuc", "hien"}:
        opening.pop()  # "Cán bộ đã [hoàn thành]": keep "Cán bộ"
    return _strip_separators(folded.original[: folded.start(opening[-1].end())])


def _trailing_address(folded: _Folded, start: int) -> int:
    """Where the note ends once a trailing address and particles («rồi chị ạ») are cut off.

    Only words typed in lower case: «Chi» at the end is more likely a name than «chị».
    """
    end = len(folded.text)
    words = list(re.finditer(r"\w+", folded.text[start:]))
    while len(words) > 1:
        word = words[-1]
        original = folded.original[
            folded.start(start + word.start()) : folded.start(start + word.end())
        ]
        if word.group(0) not in _ADDRESS_WORDS or original != original.lower():
            break
        end = start + word.start()
        words.pop()
    return end if end < len(folded.text) else len(folded.text)


def _read_done(
    folded: _Folded, percent: int | None, today: date, now: datetime | None
) -> ReplyReading | None:
    if _blocked(folded, percent):
        return None
    found = [m.span() for m in _DONE_WORDS.finditer(folded.text)]
    found += [m.span() for m in _DONE_MARKS.finditer(folded.text)]
    if not found:
        return None
    if any(_weakened(folded, start, end, today, now) for start, end in found):
        return None
    start, end = min(found)
    # Several done words in a row ("✅ Đã hoàn thành xong"): the note starts after the last one.
    for other_start, other_end in sorted(found):
        gap = folded.text[end:other_start].split()
        if other_start >= end and all(word in _LINK_WORDS for word in gap):
            end = other_end
    return ReplyReading(
        kind="done",
        note=_done_note(folded, start, end),
        proposed_date=None,
        reason=None,
        percent=percent,
    )


# --- Entry point -----------------------------------------------------------------------------


def read_reply(
    text: str,
    today: date,
    *,
    current_due: date | None = None,
    calendar: WorkingCalendar | None = None,
    now: datetime | None = None,
) -> ReplyReading:
    """Classify a reply and pull out its note, proposed date, reason and percent.

    ``today`` anchors dates without a year and tells a past date from a planned one;
    ``current_due`` is where "gia hạn 5 ngày" counts from (``today`` when not given or already
    past); ``calendar`` counts "ngày làm việc"; ``now``, the local time in TIMEZONE, tells a
    past hour from a planned one («hoàn thành lúc 8 giờ»): without it an hour is taken as a
    plan.
    """
    folded = _fold(text)
    percent = _percent(folded)
    if not any(c.isalnum() for c in folded.text) and not _DONE_MARKS.search(folded.text):
        return ReplyReading("empty", None, None, None, None)
    extension = _read_extension(folded, today, current_due, percent, calendar)
    if extension is not None:
        return extension
    done = _read_done(folded, percent, today, now)
    if done is not None:
        return done
    return ReplyReading(
        kind="progress",
        note=_whole(folded),
        proposed_date=None,
        reason=None,
        percent=percent,
    )
