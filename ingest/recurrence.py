"""Duties that come back and deadlines counted from the document's own life (SCHEMA.md
"recurring" with ``every``/``day``/``month``/``time``, and "relative").

Recurring duties are named by a frequency word: "thường xuyên", "định kỳ", "hằng/hàng
ngày/tuần/tháng/quý/năm". The frequency word gives the period (``every``): "hằng tháng" →
month, "định kỳ 6 tháng" → half year; "định kỳ" alone, "thường xuyên" and a list of several
periods ("định kỳ (tháng, quý, năm)") give none. The last day of each period is the day a
trigger fixes next to it, by the same "trước" rule as one-off deadlines:
  - before the frequency word: "trước ngày 20 hằng tháng" (day 19), "trước ngày 10 tháng 12
    hằng năm" (month 12, day 9), "trước 14 giờ 00 hàng ngày" (time 14:00);
  - after it, in the same sentence: "hằng quý, trước ngày 15 của tháng cuối quý" (month 3,
    day 14); "hằng năm … trước ngày 10/6 …; trước ngày 10/12 …" gives one entry per day.
Such a day carries no year, so it is never a one-off deadline (find_dues masks it).

A frequency word is a timing only when it times an asked action (a verb next to it, a
schedule after it); "hoạt động thường xuyên của các Bộ" describes, and "không phải báo cáo
hằng quý" negates, so neither is a timing.

Relative deadlines: "trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản này" →
days 5, working, from receipt; "trong vòng 10 ngày kể từ ngày ký" → from issue.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from ingest.model import FROM_ISSUE, FROM_RECEIPT, RECURRING, RELATIVE, Due

_PERIODS = {"ngày": "day", "tuần": "week", "tháng": "month", "quý": "quarter", "năm": "year"}
_PERIOD_WORD = r"(?:(?:hằng|hàng|mỗi)\s+)?(?:(?:6|06|sáu)\s+tháng|ngày|tuần|tháng|quý|năm)(?!\s*\d)"
_KEYWORD = re.compile(
    r"(?:(?:thực hiện|tiến hành|duy trì)\s+)?"
    r"(?P<kw>thường xuyên|định kỳ|(?:hằng|hàng)\s+(?P<per>ngày|tuần|tháng|quý|năm))",
    re.I,
)
# The periods named right after "định kỳ" or "hằng tháng": "định kỳ 6 tháng, năm",
# "định kỳ (tháng, quý, năm)", "hằng tháng, quý".
_PERIOD_LIST = re.compile(
    r"\s*\(?\s*(?P<list>" + _PERIOD_WORD + r"(?:\s*(?:,|và|hoặc|/)\s*" + _PERIOD_WORD + r")*)",
    re.I,
)
_PHRASE_TAIL = re.compile(r"(?:\s+[^\s.;:()]+){0,6}")

# Words that act as verbs: a frequency word right after or before one times the action.
_VERBS = (
    r"báo cáo|gửi|nộp|tổng hợp|kiểm tra|giám sát|đôn đốc|theo dõi|rà soát|đánh giá|tổ chức|"
    r"thực hiện|triển khai|cập nhật|sơ kết|tổng kết|tuyên truyền|phổ biến|tập huấn|bồi dưỡng|"
    r"hướng dẫn|thông tin|giao ban|họp|làm việc|khảo sát|thống kê|công khai|trình|xây dựng|"
    r"ban hành|phối hợp|nắm|kiểm điểm|đối thoại|tiếp công dân|duy trì|lập|kiện toàn"
)
_VERB_AFTER = re.compile(r"\s*(?:,\s*)?(?:" + _VERBS + r")\b", re.I)
_VERB_BEFORE = re.compile(r"(?:" + _VERBS + r")(?:\s+[^\s.,;:()]+){0,5}\s*$", re.I)
# "hằng tuần vào sáng thứ Hai", "hằng tháng trước ngày 25": a schedule, so it times an action.
_SCHEDULE_DAY = re.compile(r"ngày\s+\d{1,2}(?:\s*(?:/|tháng)\s*\d{1,2})?\s*,?\s*$", re.I)
_SCHEDULE_AFTER = re.compile(r"\s*(?:,\s*)?(?:vào|trước|chậm nhất|từ|lúc)\b", re.I)
# "hoạt động thường xuyên", "chi thường xuyên của ...": an adjective, not a timing.
_DESCRIBED = re.compile(
    r"\b(?:hoạt động|nhiệm vụ|công việc|chi|chi phí|kinh phí|vốn|dự toán|nguồn|khoản|"
    r"cán bộ|lực lượng|thành viên|đối tượng|tình trạng|hiện tượng)\s*$",
    re.I,
)
_NEGATED = re.compile(r"\b(?:không|chưa|chẳng|bãi bỏ|thay vì|thôi)\b(?:\s+\S+){0,3}\s*$", re.I)

_TRIGGER = r"(?P<trig>trước|chậm nhất(?:\s+là)?(?:\s+(?:vào|trước))?|vào|đến hết|đến)"
_DAY_MONTH = (
    r"(?P<d>\d{1,2})(?:\s*[/.\-]\s*(?P<m>\d{1,2})|\s+tháng\s+(?P<m2>\d{1,2}))?"
    # A year makes it a one-off date, not a day of every period.
    r"(?!\d|\s*[/.\-]\s*\d|\s*,?\s*năm\s+\d)"
)
_IN_PERIOD = (
    r"(?:\s*(?:của\s+)?tháng\s+(?P<pos>cuối|đầu|thứ\s+(?:nhất|hai|ba|sáu)|\d)"
    r"\s+(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+)?(?:quý|kỳ|năm|6 tháng))?"
)
_CLOCK = (
    r"(?P<hh>\d{1,2})\s*(?:giờ|h|g)\s*(?:(?P<mi>\d{1,2})\s*(?:phút|p|'|’)?)?"
    r"(?:\s*(?P<half>sáng|trưa|chiều|tối))?"
)
_DAY_BEFORE = re.compile(
    r"(?:" + _TRIGGER + r"\s+)?ngày\s+" + _DAY_MONTH + _IN_PERIOD + r"\s*,?\s*$", re.I
)
_TIME_BEFORE = re.compile(
    r"(?P<trig>trước|chậm nhất(?:\s+là)?|vào lúc|lúc|vào)\s+" + _CLOCK + r"\s*,?\s*$", re.I
)
_DAY_AFTER = re.compile(_TRIGGER + r"\s+ngày\s+" + _DAY_MONTH + _IN_PERIOD, re.I)
_TIME_AFTER = re.compile(r"(?P<trig>trước|chậm nhất(?:\s+là)?|vào lúc|lúc)\s+" + _CLOCK, re.I)
_POSITIONS = {"đầu": 1, "thứ nhất": 1, "1": 1, "thứ hai": 2, "2": 2, "thứ ba": 3, "3": 3}
_LAST_MONTH = {"quarter": 3, "half_year": 6, "year": 12}

_RELATIVE = re.compile(
    r"(?:(?:trong|trước)\s+(?:thời hạn|vòng|thời gian|phạm vi)\s+|"
    r"chậm nhất(?:\s+là)?(?:\s+(?:sau|trong))?\s+|trong\s+|sau\s+)"
    r"(?P<n>\d{1,3})(?:\s*\([^()]{1,25}\))?\s+ngày(?P<working>\s+làm việc)?"
    r"\s*,?\s*(?:\([^()]{0,40}\)\s*)?(?:kể\s+|tính\s+)?từ\s+(?:ngày|khi|thời điểm)\s+"
    r"(?:(?P<receipt>(?:tiếp\s+)?nhận(?:\s+được)?)|(?P<issue>ký|ban hành))"
    r"[^.;:()\n]{0,40}?(?:(?:văn bản|công văn|kế hoạch|thông báo|quyết định|chỉ thị)"
    r"(?:\s+(?:này|số\s+\S+))?)?",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Found:
    """A timing found at ``start``; ``masks`` are spans a one-off date must not be read in."""

    start: int
    end: int
    due: Due
    masks: tuple[tuple[int, int], ...] = ()


def clock_time(m: re.Match[str]) -> str | None:
    """ "14h30", "16 giờ 00", "2 giờ chiều" as "HH:MM"; None when the match has no hour."""
    groups = m.groupdict()
    if not groups.get("hh"):
        return None
    hour, minute = int(groups["hh"]), int(groups.get("mi") or 0)
    if groups.get("half") in {"chiều", "tối"} and hour < 12:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


def _period_code(word: str) -> str:
    word = re.sub(r"^(?:hằng|hàng|mỗi)\s+", "", word.strip().lower())
    return "half_year" if word.endswith("tháng") and word != "tháng" else _PERIODS[word]


def _named_periods(text: str, at: int) -> tuple[list[str], int]:
    """The periods listed at ``at`` ("6 tháng, năm") and where the list ends."""
    m = _PERIOD_LIST.match(text, at)
    if not m:
        return [], at
    words = re.split(r"\s*(?:,|và|hoặc|/)\s*", m.group("list"))
    return list(dict.fromkeys(_period_code(w) for w in words if w.strip())), m.end()


def _sentence_end(text: str, pos: int) -> int:
    """Where the sentence around ``pos`` ends: a full stop (";" does not end it)."""
    m = re.compile(r"\.(?:\s|$)|[!?\n]").search(text, pos)
    return m.start() if m else len(text)


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in ".;:!?\n(") + 1


def _times_action(text: str, m: re.Match[str], end: int) -> bool:
    """A "hằng ..." word times an asked action: a verb or a schedule next to it."""
    before = text[_clause_start(text, m.start()) : m.start("kw")]
    after = text[end:]
    return (
        bool(_VERB_AFTER.match(after))
        or bool(_SCHEDULE_AFTER.match(after))
        or bool(_VERB_BEFORE.search(before))
        or before.rstrip().endswith(("định kỳ", "("))
        or _SCHEDULE_DAY.search(before) is not None
        or _TIME_BEFORE.search(before) is not None
        or re.match(r"\s*[).;,]", after) is not None
    )


def _last_day(trigger: str | None, day: int, month: int | None) -> tuple[int | None, int | None]:
    """(month, day) of the last allowed day: "trước ngày 20" is the 19th."""
    if not trigger or not trigger.lower().startswith("trước"):
        return month, day
    if day > 1:
        return month, day - 1
    if month is None:
        return None, None  # "trước ngày 01 hằng tháng": the period's end, not a day of it
    month = 12 if month == 1 else month - 1
    return month, calendar.monthrange(2001, month)[1]  # February's 28th outside leap years


def _in_period_month(m: re.Match[str], every: str) -> int | None:
    """The month of the period a day falls in: "tháng cuối quý" → 3; "10/6" in a year → 6."""
    month = m.group("m") or m.group("m2")
    pos = (m.group("pos") or "").lower()
    if pos:
        if pos == "cuối":
            return _LAST_MONTH.get(every)
        return _POSITIONS.get(" ".join(pos.split()))
    if month and every == "year":
        return int(month)
    return None


def _days_of(
    text: str, every: str, before: str, after_start: int, after_end: int
) -> tuple[list[tuple[int | None, int | None, int, int]], str | None]:
    """Days fixed for each period ((month, day, start, end) each) and the hour, if any."""
    days: list[tuple[int | None, int | None, int, int]] = []
    hour: str | None = None
    offset = after_start - len(before)
    if every in {"day", "week"}:
        m = _TIME_BEFORE.search(before)
        if m:
            return [], clock_time(m)
        after = _TIME_AFTER.search(text, after_start, after_end)
        return [], clock_time(after) if after else None
    m = _DAY_BEFORE.search(before)
    matches = [(m, offset)] if m else []
    if not matches:
        matches = [(a, 0) for a in _DAY_AFTER.finditer(text, after_start, after_end)]
        if every != "year":
            matches = matches[:1]
    for match, shift in matches:
        has_month = bool(match.group("m") or match.group("m2"))
        if has_month and every != "year":
            continue  # "trước ngày 20/12" is no day of every month
        month, day = _last_day(
            match.group("trig"), int(match.group("d")), _in_period_month(match, every)
        )
        if day is None or not 1 <= day <= 31 or (month is not None and not 1 <= month <= 12):
            continue
        days.append((month, day, match.start() + shift, match.end() + shift))
    return days, hour


def find_recurring(text: str) -> list[Found]:
    """Recurring timings of ``text``, in text order, each with the day spans it used."""
    found: list[Found] = []
    taken = 0
    for m in _KEYWORD.finditer(text):
        if m.start() < taken:
            continue
        keyword = m.group("kw").lower()
        clause = text[_clause_start(text, m.start()) : m.start("kw")]
        if _NEGATED.search(clause):
            continue
        if keyword == "thường xuyên":
            if _DESCRIBED.search(clause) or re.match(r"\s+của\b", text[m.end() :]):
                continue
            periods: list[str] = []
            end = m.end()
        elif keyword == "định kỳ":
            periods, end = _named_periods(text, m.end())
        else:
            more, end = _named_periods(text, m.end("per"))
            periods = list(dict.fromkeys([_period_code(m.group("per")), *more]))
            if not _times_action(text, m, end):
                continue
        taken = end
        every = periods[0] if len(periods) == 1 else None
        tail = _PHRASE_TAIL.match(text, end)
        phrase_end = tail.end() if tail else end
        phrase = " ".join(text[m.start() : phrase_end].split()).strip(" ,;()")
        if every is None:
            found.append(Found(m.start(), phrase_end, Due(RECURRING, None, phrase)))
            continue
        sentence_end = _sentence_end(text, end)
        before = text[_clause_start(text, m.start()) : m.start()]
        days, hour = _days_of(text, every, before, m.start(), sentence_end)
        if not days:
            due = Due(RECURRING, None, phrase, every=every, time=hour)
            found.append(Found(m.start(), phrase_end, due))
            continue
        for month, day, start, stop in days:
            span = " ".join(text[min(start, m.start()) : max(stop, end)].split()).strip(" ,;()")
            due = Due(RECURRING, None, span, every=every, day=day, month=month, time=hour)
            found.append(Found(min(start, m.start()), max(stop, end), due, ((start, stop),)))
    return found


def find_relative(text: str) -> list[Found]:
    """ "trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản này" and the like."""
    found: list[Found] = []
    for m in _RELATIVE.finditer(text):
        days = int(m.group("n"))
        if not 0 < days <= 365:
            continue
        due = Due(
            RELATIVE,
            None,
            " ".join(m.group(0).split()).strip(" ,;()"),
            days=days,
            working=m.group("working") is not None,
            origin=FROM_RECEIPT if m.group("receipt") else FROM_ISSUE,
        )
        found.append(Found(m.start(), m.end(), due, ((m.start(), m.end()),)))
    return found
