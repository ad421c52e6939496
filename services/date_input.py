"""Read a date that a person typed in Vietnamese, with or without diacritics.

Pure functions: text and "today" in, a ``date`` out. Used when the bot asks for a deadline
("Vui lòng nhập ngày…") and by the reply reader for extension requests ("xin gia hạn đến 20/10",
"gia hạn thêm 5 ngày").

Forms understood (matching is done on folded text: NFC, casefold, diacritics removed, đ→d):

- numeric: ``20/10``, ``20/10/2025``, ``20-10-2025``, ``20.10.2025``, ``20/10/25``,
  ``20/10 năm 2025``;
- spelled: ``ngày 20 tháng 10``, ``ngày 20 tháng 10 năm 2025``, ``20 tháng 10``, ``ngày 20``;
- period ends: ``cuối tháng`` / ``cuối tháng này`` / ``cuối tháng sau`` / ``cuối tháng 11``,
  ``cuối năm``, ``cuối quý`` / ``cuối quý 4`` / ``cuối quý IV`` (``hết`` works like ``cuối``);
- weekdays: ``thứ 6``, ``thứ sáu tuần này``, ``thứ hai tuần sau``, ``chủ nhật``;
- relative: ``5 ngày``, ``thêm 5 ngày``, ``5 ngày làm việc``, ``1 tuần``, ``hai tuần``,
  ``tuần sau``, ``1 tháng``, ``nửa tháng``, counted from ``base`` (default: today); working
  days are counted on the working calendar (weekends, public holidays and the office's
  EXTRA_DAYS_OFF skipped: ``services.workdays``);
  ``hôm nay``, ``ngày mai``, ``ngày kia`` are counted from today.

A day and month without a year means this year, or next year when that date has already passed.
The expression may sit inside a longer sentence ("đến hết ngày 20/10 ạ"); the first form in the
order above that matches wins.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from services.workdays import WorkingCalendar

__all__ = [
    "DateInputError",
    "find_user_date",
    "parse_duration_days",
    "parse_past_date",
    "parse_user_date",
]


class DateInputError(ValueError):
    """The text is not a usable date.

    ``code`` is one of ``empty``, ``unrecognised``, ``not_a_date`` (31/02, 32/1, 13/13),
    ``in_the_past`` (only with ``allow_past=False``),
    ``in_the_future`` (``parse_past_date``). ``fragment`` is the offending date written
    as ``dd/mm`` or ``dd/mm/yyyy`` when there is one, for the message shown to the user.
    """

    def __init__(self, code: str, fragment: str | None = None) -> None:
        super().__init__(code if fragment is None else f"{code}: {fragment}")
        self.code = code
        self.fragment = fragment


def _fold(text: str) -> str:
    """NFC, casefold, drop combining marks, đ→d, collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold())
    stripped = "".join(c for c in decomposed if unicodedata.category(c) not in {"Mn", "Me"})
    stripped = stripped.replace("đ", "d")
    return " ".join(stripped.split())


# Small spelled numbers that people write instead of digits ("hai tuần", "ba ngày").
# Left out on purpose, because folding makes them common words: "tư"/"từ" (from: "từ ngày"),
# "sáu"/"sau" (after: "sau ngày nghỉ"). "nam" is also "năm" (year), but only counts here right
# before a unit word, where "năm ngày" is five days.
_NUMBER_WORDS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "nam": 5,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}
_NUMBER = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"

# Monday is 0 as in date.weekday(); Vietnamese counts "thứ hai" (2nd day) as Monday.
_WEEKDAYS = {
    "hai": 0,
    "2": 0,
    "ba": 1,
    "3": 1,
    "tu": 2,
    "4": 2,
    "nam": 3,
    "5": 3,
    "sau": 4,
    "6": 4,
    "bay": 5,
    "7": 5,
}
_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NEXT = r"(?:sau|toi)"  # "tuần sau", "tuần tới": next


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _full_year(token: str) -> int:
    year = int(token)
    return year + 2000 if len(token) <= 2 else year


def _fragment(day: int, month: int, year: int | None) -> str:
    return f"{day:02d}/{month:02d}" if year is None else f"{day:02d}/{month:02d}/{year}"


def _calendar_date(day: int, month: int, year: int | None, today: date) -> date:
    """Build a date; without a year use this year, or next year if it has already passed."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise DateInputError("not_a_date", _fragment(day, month, year))
    if year is not None:
        if not 1900 <= year <= 9999:
            raise DateInputError("not_a_date", _fragment(day, month, year))
        try:
            return date(year, month, day)
        except ValueError:
            raise DateInputError("not_a_date", _fragment(day, month, year)) from None
    try:
        candidate = date(today.year, month, day)
    except ValueError:
        # 29/02 in a common year: the next 29/02 is too far away to be what was meant.
        raise DateInputError("not_a_date", _fragment(day, month, None)) from None
    if candidate >= today:
        return candidate
    try:
        return date(today.year + 1, month, day)
    except ValueError:
        raise DateInputError("not_a_date", _fragment(day, month, None)) from None


@dataclass(frozen=True)
class _Context:
    today: date
    base: date
    calendar: WorkingCalendar


# --- The forms, in priority order. Each reads one regex match and returns a date. ---------------


def _numeric(match: re.Match[str], context: _Context) -> date:
    year = match.group(4) or match.group(5)  # "20/10/2025" or "20/10 năm 2025"
    return _calendar_date(
        int(match.group(1)),
        int(match.group(3)),
        _full_year(year) if year else None,
        context.today,
    )


def _spelled(match: re.Match[str], context: _Context) -> date:
    year = match.group(3)
    return _calendar_date(
        int(match.group(1)), int(match.group(2)), int(year) if year else None, context.today
    )


def _end_of_named_month(match: re.Match[str], context: _Context) -> date:
    month = int(match.group(1))
    if not 1 <= month <= 12:
        raise DateInputError("not_a_date", f"{month:02d}")
    if match.group(2):
        return _month_end(int(match.group(2)), month)
    # The next end of that month which is not past.
    end = _month_end(context.today.year, month)
    return end if end >= context.today else _month_end(context.today.year + 1, month)


def _end_of_this_or_next_month(match: re.Match[str], context: _Context) -> date:
    months = 1 if match.group(1) else 0
    start = _add_months(context.today.replace(day=1), months)
    return _month_end(start.year, start.month)


def _end_of_year(match: re.Match[str], context: _Context) -> date:
    year = context.today.year + (1 if match.group(1) else 0)
    return date(year, 12, 31)


def _end_of_quarter(match: re.Match[str], context: _Context) -> date:
    token = match.group(1)
    today = context.today
    if token is None:
        quarter = (today.month - 1) // 3 + 1
    else:
        quarter = _ROMAN_QUARTERS[token] if token in _ROMAN_QUARTERS else int(token)
        if not 1 <= quarter <= 4:
            raise DateInputError("not_a_date", f"quý {quarter}")
    end = _month_end(today.year, quarter * 3)
    return end if end >= today else _month_end(today.year + 1, quarter * 3)


def _weekday(match: re.Match[str], context: _Context) -> date:
    name = match.group(1)
    target = 6 if name is None else _WEEKDAYS[name]
    today = context.today
    which = match.group(2)
    monday = today - timedelta(days=today.weekday())
    if which == "nay":  # "thứ sáu tuần này": that day of this week, even if already past
        return monday + timedelta(days=target)
    if which:  # "tuần sau" / "tuần tới": that day of next week
        return monday + timedelta(days=7 + target)
    return today + timedelta(days=(target - today.weekday()) % 7)  # the coming one, or today


def _relative(match: re.Match[str], context: _Context) -> date:
    amount = _number(match.group(1))
    unit = match.group(2)
    if unit == "thang":
        return _add_months(context.base, amount)
    if unit == "tuan":
        return context.base + timedelta(weeks=amount)
    if match.group(3):  # "5 ngày làm việc"
        return context.calendar.add_working_days(context.base, amount)
    return context.base + timedelta(days=amount)


def _half_month(match: re.Match[str], context: _Context) -> date:
    return context.base + timedelta(days=15)


def _next_week(match: re.Match[str], context: _Context) -> date:
    return context.base + timedelta(weeks=1)


def _day_word(match: re.Match[str], context: _Context) -> date:
    offsets = {"hom nay": 0, "ngay mai": 1, "ngay kia": 2, "ngay mot": 2}
    return context.today + timedelta(days=offsets[match.group(1)])


def _day_of_month(match: re.Match[str], context: _Context) -> date:
    """ "ngày 20" alone: the 20th of this month, or of next month once it has passed."""
    day = int(match.group(1))
    today = context.today
    if not 1 <= day <= 31:
        raise DateInputError("not_a_date", f"{day:02d}")
    for months in range(3):  # the next month that has such a day (31 skips short months)
        first = _add_months(today.replace(day=1), months)
        if day <= calendar.monthrange(first.year, first.month)[1]:
            candidate = first.replace(day=day)
            if candidate >= today:
                return candidate
    raise DateInputError("not_a_date", f"{day:02d}")  # pragma: no cover - unreachable


_Reader = Callable[[re.Match[str], _Context], date]

_END = r"(?:cuoi|het)"  # "cuối tháng", "hết tháng": the last day of

_FORMS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (
        re.compile(
            r"(?<![\d/.\-])(\d{1,2}) ?([/.\-]) ?(\d{1,2})"
            r"(?: ?\2 ?(\d{4}|\d{2})| nam (\d{4}))?(?!\d|[/.\-]\d)"
        ),
        _numeric,
    ),
    (
        re.compile(r"\b(\d{1,2}) ?thang ?(\d{1,2})(?:(?: ?,)? ?(?:nam|/) ?(\d{4}))?\b"),
        _spelled,
    ),
    (
        re.compile(rf"\b{_END} thang (\d{{1,2}})(?:(?: nam ?| ?/ ?)(\d{{4}}))?\b"),
        _end_of_named_month,
    ),
    (re.compile(rf"\b{_END} thang(?: (?:nay|({_NEXT})))?\b"), _end_of_this_or_next_month),
    (re.compile(rf"\b{_END} nam(?: (?:nay|({_NEXT})))?\b"), _end_of_year),
    (re.compile(rf"\b{_END} quy(?: (iv|iii|ii|i|\d))?\b"), _end_of_quarter),
    (
        re.compile(
            r"\b(?:thu ?(hai|ba|tu|nam|sau|bay|[2-7])|chu nhat)\b"
            rf"(?: (?:tuan )?(nay|{_NEXT}))?"
        ),
        _weekday,
    ),
    (
        re.compile(rf"\b{_NUMBER} ?(ngay|tuan|thang)\b((?: lam viec))?"),
        _relative,
    ),
    (re.compile(r"\bnua thang\b"), _half_month),
    (re.compile(rf"\btuan {_NEXT}\b"), _next_week),
    (re.compile(r"\b(hom nay|ngay mai|ngay kia|ngay mot)\b"), _day_word),
    (re.compile(r"\bngay (\d{1,2})\b(?! ?(?:thang|[/.\-]\d))"), _day_of_month),
)


def _find(folded: str, context: _Context) -> date | None:
    for pattern, reader in _FORMS:
        match = pattern.search(folded)
        if match is not None:
            return reader(match, context)
    return None


def parse_user_date(
    text: str,
    today: date,
    *,
    base: date | None = None,
    allow_past: bool = True,
    calendar: WorkingCalendar | None = None,
) -> date:
    """Read the date in ``text``; raise ``DateInputError`` with a code when there is none.

    ``base`` is where relative forms ("5 ngày", "1 tuần") count from, e.g. the current deadline
    when a unit asks for more time; it defaults to ``today``. ``calendar`` counts "ngày làm
    việc" (default: Monday to Friday and Vietnam's public holidays).
    """
    folded = _fold(text)
    if not any(c.isalnum() for c in folded):
        raise DateInputError("empty")
    context = _Context(today=today, base=base or today, calendar=calendar or WorkingCalendar())
    result = _find(folded, context)
    if result is None:
        raise DateInputError("unrecognised")
    if not allow_past and result < today:
        raise DateInputError("in_the_past", _fragment(result.day, result.month, result.year))
    return result


def parse_past_date(text: str, today: date) -> date:
    """A day that has already come (the day a dispatch was received): a day and month without
    a year mean the last such day up to today, never next year's."""
    result = parse_user_date(text, today)
    if result > today and not re.search(r"\d{4}", text):
        try:
            earlier = result.replace(year=result.year - 1)
        except ValueError:  # 29/02
            earlier = result
        if earlier <= today:
            return earlier
    if result > today:
        raise DateInputError("in_the_future", _fragment(result.day, result.month, result.year))
    return result


def find_user_date(
    text: str, today: date, *, base: date | None = None, calendar: WorkingCalendar | None = None
) -> date | None:
    """Like ``parse_user_date`` but returns ``None`` instead of raising (for free text)."""
    try:
        return parse_user_date(text, today, base=base, calendar=calendar)
    except DateInputError:
        return None


_DURATION = re.compile(rf"\b{_NUMBER} ?(ngay|tuan)\b")


def parse_duration_days(text: str) -> int | None:
    """Days in "5 ngày", "thêm 3 ngay", "1 tuần", "hai tuần"; ``None`` when there is none."""
    match = _DURATION.search(_fold(text))
    if match is None:
        return None
    amount = _number(match.group(1))
    return amount * 7 if match.group(2) == "tuan" else amount
