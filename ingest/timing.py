"""Timing expressions in a task's text: deadlines, starts and undated kinds (SCHEMA.md).

A wrong dated deadline sends wrong reminders, so a date becomes a deadline only behind an
explicit trigger ("trước ngày", "chậm nhất", "hoàn thành ... ngày", "đến ngày", "trong tháng",
"trong quý", "trong năm"); bare dates, dates of cited documents, terms, horizons and conditions
on the people concerned are filtered out before and after matching.

Choices where SCHEMA.md is silent (what a reader who sets reminders expects):
  - A time of day before the date ("trước 16 giờ 00 ngày 20/11/2025", "trước 9 giờ sáng ngày
    20/11") puts the limit on that day, so the deadline is 20/11, not 19/11 as for a bare
    "trước ngày 20/11": the work is still due on the 20th.
  - "ngay trong ngày 19/11/2025", "báo cáo ... trong ngày 19/11/2025" is that day (a bare
    "làm việc trong ngày X" only places an event); urgency words alone ("khẩn trương",
    "ngay") stay undated.
  - A period "từ 01/12/2025 đến 31/12/2025" (with or without "ngày", also "từ tháng 12/2025
    đến tháng 3/2026") gives a start and a deadline on its last day.
  - A day of a repeating schedule ("trước ngày 10 tháng 12 hằng năm", "trước ngày 25 hằng
    tháng") is recurring only: dating its first occurrence would look like a one-off.
  - "X được giao trước ngày ..." ("vốn/nhiệm vụ được giao"): "được giao" is a standing
    allocation, not a dated event, so the date stays a deadline; an allocation date that lies
    before the issue date is dropped anyway as describing the past.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.model import AFTER_EVENT, DEADLINE, ON_REQUEST, ROADMAP, START, Due
from ingest.recurrence import clock_time, find_recurring, find_relative

# --- date building blocks -----------------------------------------------------------------------

# "15/10/2025", "15-10-2025", "15.10.2025", "15/10", "ngày 15 tháng 10 năm 2025".
# A number must end where the date ends: no letter, digit or slash right after it, and no
# digit one space on after a year-less day. OCR splits and misreads digits ("15/1 0/2025",
# "tháng 1O/2025"); reading "15/1" or "tháng 1" out of those would invent a date that is not
# printed, so such text yields no date at all.
_END = r"(?![\w/])"
_DAY_CORE = (
    r"(?P<d>\d{1,2})\s*(?:[/.\-]\s*(?P<m>\d{1,2})(?:\s*[/.\-]\s*(?P<y>\d{4})|(?!\s?\d))"
    r"|\s+tháng\s+(?P<m2>\d{1,2})(?:\s*(?:,\s*)?năm\s+(?P<y2>\d{4})|(?!\s?\d)))" + _END
)
_DAY = r"(?:ngày\s+)?" + _DAY_CORE
_MONTH = r"tháng\s+(?P<mm>\d{1,2})(?:\s*[/\-]\s*|\s+năm\s+)(?P<my>\d{4})" + _END
_MONTH_NO_YEAR = r"tháng\s+(?P<mm>\d{1,2})(?![\w/]|\s?\d|\s*năm|\s*[-–]\s*\d)"
_QUARTER = r"quý\s+(?P<q>IV|I{1,3}|[1-4])(?:\s*[/\-]\s*|\s+năm\s+)(?P<qy>\d{4})" + _END
_YEAR = r"năm\s+(?P<yy>\d{4})(?!\s*[-–]\s*\d)" + _END

# An instruction may start a little before its issue date ("thực hiện từ tháng 4/2023" in a
# letter of 17/4/2023), never months before.
_START_GRACE_DAYS = 62
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Words before a trigger that make the date a condition or a reference point rather than
# something the task must meet ("đã có quyết định nghỉ hưu trước ngày", "tính đến ngày").
_CONDITION = re.compile(
    # "được" marks a passive event ("được tuyển dụng trước ngày ..."); "được giao" is the
    # standing allocation of a noun ("vốn/nhiệm vụ/chỉ tiêu được giao"), not a dated event.
    # "sinh" is being born ("sinh trước ngày"), not "vệ sinh" or "học sinh".
    r"\b(?:đã|trường hợp|có quyết định|được(?!\s+giao\b)|(?<!vệ )(?<!học )sinh(?! hoạt| viên)|"
    r"tuyển dụng|nghỉ hưu|thôi việc|"
    r"phát sinh|"
    r"tồn đọng|tính|số liệu|hiệu lực|"
    r"kể cả|trở về trước|(?<!đăng )ký|kỳ báo cáo|thời điểm|lấy số liệu|chốt số liệu|diễn ra|"
    r"từ đầu năm|đối với)\b",
    re.IGNORECASE,
)
# "các văn bản (đã) ban hành trước ngày ...": a thing described by when it happened.
_PASSIVE_EVENT = re.compile(
    r"(?:văn bản|quyết định|quy định|nghị quyết|kế hoạch|thông tư|nghị định|chính sách|dự án|"
    r"công trình|hồ sơ|hợp đồng|đề án|tổ chức|đơn vị|doanh nghiệp)\s+(?:đã\s+|được\s+)?"
    r"(?:ban hành|phê duyệt|ký kết|khởi công|cấp phép|thành lập|đầu tư|xây dựng|"
    r"đưa vào sử dụng|hoàn thành|nghiệm thu)\s*$",
    re.IGNORECASE,
)
# Action words between such a cue and the date give the date back to the task
# ("các đơn vị đã được giao ... báo cáo trước ngày ...").
_ACTION = re.compile(
    r"\b(?:báo cáo|gửi|nộp|hoàn thành|hoàn thiện|trình|thực hiện|triển khai|tổ chức|xong|"
    r"ban hành|cập nhật|tổng hợp|đề xuất|chuyển|cung cấp|chi trả|giải quyết|xử lý|kết thúc|"
    r"bắt đầu)\b",
    re.IGNORECASE,
)
# Document references: "Kế hoạch số 02-KH/BCĐ ngày 19/6/2025", "Công văn số 59-CV/BCĐ, ngày ...".
_DOC_TYPES = (
    r"(?:Kết luận|Nghị quyết|Quyết định|Công văn|Kế hoạch|Thông báo|Chỉ thị|Hướng dẫn|"
    r"Chương trình|Quy định|Quy chế|Thông tư|Nghị định|Văn bản|Báo cáo|Tờ trình|Công điện|"
    r"Đề án|Luật|Pháp lệnh|Điện|Thông tri|Biên bản|Hội nghị)"
)
_DATE_TEXT = (
    r"\d{1,2}(?:\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)"
)
_REFERENCE = re.compile(
    # A cited document: its type (capitalised, as titles are written) or "số" and a number,
    # then its date. Lower-case "kế hoạch số ..." is covered by the "số N" branch.
    r"(?:\b" + _DOC_TYPES + r"(?:\s+(?:số|liên tịch số))?(?:\s+[\w./\-]*\d[\w./\-]*)?"
    r"|\bsố\s+[\w./\-]*\d[\w./\-]*)"
    r"(?:\s*\([^()]{0,60}\))?\s*,?\s*(?:ngày|ngày ký)\s+" + _DATE_TEXT,
)
# Terms, periods and horizons: "nhiệm kỳ 2025 - 2030", "giai đoạn 2022 - 2026", "đến năm 2030".
_TERM = re.compile(
    r"(?:nhiệm kỳ|giai đoạn|thời kỳ|tầm nhìn(?: đến)?|niên độ|năm học|khóa)\s*(?:từ\s+)?"
    r"(?:năm\s+)?\d{4}(?:\s*[-–]\s*\d{4})?|\d{4}\s*[-–]\s*\d{4}",
    re.IGNORECASE,
)


def _valid(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> datetime.date | None:
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _year_for(month: int, day: int, issued_on: datetime.date | None) -> int | None:
    """A day without a year falls in the issue year, or the next one if already past."""
    if issued_on is None:
        return None
    candidate = _valid(issued_on.year, month, day)
    if candidate is None:
        # 29/02 in a non-leap issue year: try the next year before giving up.
        return issued_on.year + 1 if _valid(issued_on.year + 1, month, day) else None
    return issued_on.year if candidate >= issued_on else issued_on.year + 1


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    due: Due


def _day_from(m: re.Match[str], issued_on: datetime.date | None) -> datetime.date | bool | None:
    """The date a _DAY group denotes; False when it cannot exist (31/02)."""
    day = int(m.group("d"))
    month = int(m.group("m") or m.group("m2") or 0)
    year_text = m.group("y") or m.group("y2")
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return False
    if year_text:
        found = _valid(int(year_text), month, day)
        return found if found else False
    year = _year_for(month, day, issued_on)
    if year is None:
        return None if issued_on is None else False
    return _valid(year, month, day) or False


def _clause_start(text: str, pos: int) -> int:
    cut = max(text.rfind(ch, 0, pos) for ch in ".;:!?\n(")
    return cut + 1


def _is_condition(text: str, start: int) -> bool:
    """The nearest cue before the trigger decides: a condition cue without a later action."""
    prefix = text[_clause_start(text, start) : start]
    words = prefix.split()
    window = " ".join(words[-12:])
    if _PASSIVE_EVENT.search(window):
        return True
    last_cond = max((m.end() for m in _CONDITION.finditer(window)), default=-1)
    last_action = max((m.end() for m in _ACTION.finditer(window)), default=-1)
    return last_cond > last_action


# "Hội nghị do Bộ Nội vụ tổ chức vào ngày ...": when another body holds its event, not a
# deadline of the asked action.
_OTHERS_EVENT = re.compile(r"\bdo\s+[^,;]{2,80}?\s+(?:tổ chức|chủ trì|triệu tập)\s*$", re.I)


def _masked(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


_Builder = Callable[[re.Match[str], datetime.date | None], Due | None]


def _phrase(m: re.Match[str]) -> str:
    return " ".join(m.group(0).split()).strip(" ,;()")


def _deadline_day(minus_one: bool) -> _Builder:
    def build(m: re.Match[str], issued_on: datetime.date | None) -> Due | None:
        day = _day_from(m, issued_on)
        if day is False:
            return None
        before = minus_one or bool(m.groupdict().get("before"))
        if isinstance(day, datetime.date) and before:
            day = day - datetime.timedelta(days=1)
        return Due(
            DEADLINE,
            day if isinstance(day, datetime.date) else None,
            _phrase(m),
            time=clock_time(m),
        )

    return build


def _start_day(m: re.Match[str], issued_on: datetime.date | None) -> Due | None:
    day = _day_from(m, issued_on)
    if day is False:
        return None
    return Due(
        START, day if isinstance(day, datetime.date) else None, _phrase(m), time=clock_time(m)
    )


def _month_deadline(m: re.Match[str], issued_on: datetime.date | None) -> Due | None:
    month = int(m.group("mm"))
    year_text = m.groupdict().get("my")
    if year_text:
        year: int | None = int(year_text)
    elif issued_on is not None:
        year = issued_on.year if month >= issued_on.month else issued_on.year + 1
    else:
        year = None
    if not 1 <= month <= 12:
        return None
    before = bool(m.groupdict().get("before"))
    if year is None:
        return Due(DEADLINE, None, _phrase(m))
    if before:
        first = _valid(year, month, 1)
        end = first - datetime.timedelta(days=1) if first else None
    else:
        end = _month_end(year, month)
    return Due(DEADLINE, end, _phrase(m)) if end else None


def _month_start(m: re.Match[str], issued_on: datetime.date | None) -> Due | None:
    month = int(m.group("mm"))
    day = _valid(int(m.group("my")), month, 1) if 1 <= month <= 12 else None
    return Due(START, day, _phrase(m)) if day else None


def _quarter_deadline(m: re.Match[str], issued_on: datetime.date | None) -> Due | None:
    quarter = _ROMAN[m.group("q").upper()]
    year = int(m.group("qy"))
    if m.groupdict().get("before"):
        quarter -= 1
        if quarter == 0:
            quarter, year = 4, year - 1
    end = _month_end(year, quarter * 3)
    return Due(DEADLINE, end, _phrase(m)) if end else None


def _year_deadline(m: re.Match[str], issued_on: datetime.date | None) -> Due | None:
    year = int(m.group("yy"))
    return Due(DEADLINE, _valid(year, 12, 31), _phrase(m)) if 1900 <= year <= 2200 else None


def _half_deadline(m: re.Match[str], issued_on: datetime.date | None) -> Due | None:
    year = int(m.group("hy"))
    return Due(DEADLINE, _valid(year, 6, 30), _phrase(m)) if 1900 <= year <= 2200 else None


# A time of day before the date: "16 giờ 00", "17h30", "9 giờ sáng", "14 giờ 30 phút chiều,".
_CLOCK = (
    r"(?P<hh>\d{1,2})\s*(?:giờ|h|g)\s*(?:(?P<mi>\d{1,2})\s*(?:phút|p|'|’)?)?\s*"
    r"(?:(?P<half>sáng|trưa|chiều|tối)\s*)?,?\s*(?:(?:ngày\s+)?(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|"
    r"[2-7])|chủ nhật)\s*,?\s*)?(?:ngày\s+)?"
)
_WEEKDAY = (
    r"(?:(?:sáng|chiều|tối|trưa)\s+)?"
    r"(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)\s*,?\s*)?"
)
_START_LEAD = r"(?:(?:thực hiện|áp dụng|triển khai|bắt đầu)\s+)?(?:kể\s+)?"
_LEAD_IN = (
    r"(?:chậm nhất\s+)?(?:(?:đảm bảo|bảo đảm)\s+)?"
    r"(?:(?:hoàn thành|xong|thực hiện|báo cáo|gửi|nộp|trình)\s+)?"
)
_LATEST = r"(?:chậm nhất|muộn nhất|hạn chót|hạn cuối|thời hạn)(?:\s+là)?(?:\s+(?:vào|đến|trong))?"

# Order matters only for overlaps: the earliest, then longest, match wins.
_DATED: list[tuple[re.Pattern[str], _Builder, bool]] = [
    # (pattern, builder, subject to the condition check)
    (
        re.compile(_LEAD_IN + _LATEST + r"(?:\s+(?P<before>trước))?\s+" + _DAY, re.I),
        _deadline_day(False),
        False,
    ),
    (
        # "trước 17 giờ ngày 15/10/2025": a time of day on that day, so the day itself counts.
        re.compile(
            _LEAD_IN
            + r"(?:trước|chậm nhất(?:\s+(?:là|vào|trước))?|đến|trong)\s+"
            + _CLOCK
            + _DAY_CORE,
            re.I,
        ),
        _deadline_day(False),
        True,
    ),
    (re.compile(_LEAD_IN + r"trước\s+" + _DAY, re.I), _deadline_day(True), True),
    (
        # "Thời hạn: 15/10/2025", "Thời gian hoàn thành: trong tháng 10/2025".
        re.compile(
            r"(?:thời hạn(?:\s+hoàn thành)?|thời gian hoàn thành|hạn hoàn thành)\s*[:\-]?\s*"
            r"(?:ngày\s+)?" + _DAY_CORE,
            re.I,
        ),
        _deadline_day(False),
        False,
    ),
    (
        re.compile(
            r"(?:thời hạn(?:\s+hoàn thành)?|thời gian (?:hoàn thành|thực hiện)|hạn hoàn thành)"
            r"\s*[:\-]\s*(?:trong\s+)?" + _MONTH,
            re.I,
        ),
        _month_deadline,
        False,
    ),
    (
        re.compile(
            r"(?:thời hạn(?:\s+hoàn thành)?|thời gian (?:hoàn thành|thực hiện)|hạn hoàn thành)"
            r"\s*[:\-]\s*(?:trong\s+)?" + _QUARTER,
            re.I,
        ),
        _quarter_deadline,
        False,
    ),
    (
        re.compile(
            r"(?:hoàn thành|xong|kết thúc)(?:\s+(?:vào|trong))?\s+ngày\s+" + _DAY_CORE,
            re.I,
        ),
        _deadline_day(False),
        True,
    ),
    # An asked action fixed for a day: "vào lúc 14h30 ngày thứ Năm 12/9/2024", "vào ngày
    # 05/11/2024" — the day itself.
    (
        re.compile(
            r"vào\s+(?:lúc\s+)?(?:"
            + _CLOCK
            + r"|(?:ngày\s+)?"
            + _WEEKDAY
            + r"(?:ngày\s+)?)"
            + _DAY_CORE,
            re.I,
        ),
        _deadline_day(False),
        True,
    ),
    # "đến (hết) ngày 15/10/2025", also without "ngày" ("Từ 01/12/2025 đến 31/12/2025").
    (
        re.compile(r"(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?" + _DAY_CORE, re.I),
        _deadline_day(False),
        True,
    ),
    # "(ngay) trong ngày 19/11/2025": by the end of that day, the day itself.
    (
        re.compile(r"(?P<now>ngay\s+)?trong\s+(?:ngày\s+|hôm\s+)" + _DAY_CORE, re.I),
        _deadline_day(False),
        True,
    ),
    (
        re.compile(
            _LEAD_IN + r"(?:" + _LATEST + r"\s+|trong\s+|(?P<before>trước)\s+)" + _MONTH, re.I
        ),
        _month_deadline,
        True,
    ),
    (
        re.compile(
            _LEAD_IN + r"(?:" + _LATEST + r"\s+|trong\s+|(?P<before>trước)\s+)" + _MONTH_NO_YEAR,
            re.I,
        ),
        _month_deadline,
        True,
    ),
    (
        re.compile(
            _LEAD_IN + r"(?:" + _LATEST + r"\s+|trong\s+|(?P<before>trước)\s+)" + _QUARTER, re.I
        ),
        _quarter_deadline,
        True,
    ),
    (
        re.compile(r"trong\s+(?:6|sáu)\s+tháng\s+đầu\s+năm\s+(?P<hy>\d{4})(?!\s*[-–]\s*\d)", re.I),
        _half_deadline,
        True,
    ),
    (
        re.compile(_LEAD_IN + r"(?:" + _LATEST + r"\s+|trong\s+)" + _YEAR, re.I),
        _year_deadline,
        True,
    ),
    (
        re.compile(
            r"(?:(?:thực hiện|áp dụng|triển khai|bắt đầu)\s+)?(?:kể\s+)?từ\s+(?:"
            + _CLOCK
            + r"|ngày\s+)?"
            + _DAY_CORE,
            re.I,
        ),
        _start_day,
        True,
    ),
    (
        re.compile(_START_LEAD + r"từ\s+" + _MONTH, re.I),
        _month_start,
        True,
    ),
    # The end of a period of months: "Từ tháng 12/2025 đến tháng 3/2026" → 31/3/2026.
    (
        re.compile(r"(?:đến|tới)\s+(?:hết\s+)?" + _MONTH, re.I),
        _month_deadline,
        True,
    ),
]

_ON_REQUEST = re.compile(
    r"(?:thực hiện\s+)?(?:ngay\s+)?khi\s+(?:có|được)\s+yêu cầu(?:\s+của\s+[^.,;:()\n]+)?", re.I
)
_AFTER_EVENT = re.compile(
    # "khi Chính phủ ban hành ...", "sau khi Trung ương hướng dẫn", "sau khi cấp có thẩm
    # quyền phê duyệt": another body acts first. The body is named (capitalised, "các ...",
    # "cấp/cơ quan có thẩm quyền") so that "sau khi hoàn thành" (the lead's own step) is not.
    r"(?P<lead>trước và\s+)?(?:sau khi|khi)\s+"
    r"(?P<body>(?:có\s+)|(?:được\s+)?(?:cấp|cơ quan)\s+(?:có thẩm quyền|trên|chức năng)\s+|"
    r"(?:[A-ZĐÀ-Ỹ]|các\s)[^.;:()\n]{0,90}?\s)"
    r"(?P<event>ban hành|có hướng dẫn|hướng dẫn|có văn bản|có quyết định|có chủ trương|"
    r"có ý kiến|phê duyệt|thông qua|chỉ đạo|quy định|ý kiến|chủ trương|văn bản|quyết định|"
    r"kết luận|được phê duyệt|được ban hành|được thông qua)\b[^.;:()\n]{0,80}"
    r"|(?:sau khi|khi)\s+(?:nhận được|được)\s+(?:ý kiến|văn bản|quyết định|phê duyệt|"
    r"hướng dẫn|chấp thuận|cấp có thẩm quyền)\b[^.;:()\n]{0,80}",
)
# "theo lộ trình (quy định)", "theo đúng tiến độ đề ra", "theo nội dung và tiến độ quy định".
_ROADMAP = re.compile(
    r"(?:thực hiện\s+)?theo\s+(?:đúng\s+)?(?:(?:các\s+)?nội dung(?:\s*,\s*|\s+và\s+))?"
    r"(?:lộ trình|tiến độ)(?:\s+(?:quy định|đã được phê duyệt|đã đề ra|đề ra|được giao|"
    r"đã được giao))?",
    re.I,
)


def reference_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _REFERENCE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _TERM.finditer(text)]
    return spans


def _describes_past(due: Due, issued_on: datetime.date | None) -> bool:
    """A deadline already past at issue, or a start months before it, describes a period
    under review ("kết quả trong năm 2024", "từ ngày 01/01/2020"), not an instruction."""
    if due.date is None or issued_on is None:
        return False
    if due.kind == DEADLINE:
        return due.date < issued_on
    return due.kind == START and due.date < issued_on - datetime.timedelta(days=_START_GRACE_DAYS)


def _narrates(text: str, end: int) -> bool:
    """ "Trong năm 2025, toàn tỉnh đã giải ngân ...": a report of what happened."""
    rest = re.split(r"[.;:!?\n(]", text[end:], maxsplit=1)[0]
    return re.search(r"\b(?:đã|vừa)\b", " ".join(rest.split()[:8])) is not None


def _until_now(text: str, end: int) -> bool:
    """ "từ ngày 01/01/2025 đến nay" reports on the past."""
    return (
        re.match(r"\s*(?:đến|tới)\s+(?:nay|thời điểm hiện tại|hiện nay)", text[end:], re.I)
        is not None
    )


# "trước ngày 10 tháng 12 hằng năm", "trước ngày 25 hằng tháng": a schedule that repeats.
_REPEATS = re.compile(r"\s*(?:,\s*)?(?:hằng|hàng|mỗi)\s+(?:năm|tháng|quý|tuần)\b", re.I)


def _dated(text: str, issued_on: datetime.date | None, taken: list[tuple[int, int]]) -> list[_Hit]:
    masks = reference_spans(text) + taken
    hits: list[_Hit] = []
    past_starts: list[int] = []
    for pattern, build, check in _DATED:
        for m in pattern.finditer(text):
            date_start = m.start("d") if "d" in pattern.groupindex and m.group("d") else m.start()
            if _masked(masks, date_start, m.end()):
                continue
            # "hoàn thành trước ngày ..." carries its own action: never a condition.
            acts = _ACTION.search(m.group(0)) is not None
            if "now" in pattern.groupindex and not m.group("now"):
                # Bare "trong ngày X" also places an event ("làm việc trong ngày 25/11");
                # it is a deadline only for an asked action in the same clause.
                clause = text[_clause_start(text, m.start()) : m.start()]
                if not _ACTION.search(" ".join(clause.split()[-10:])):
                    continue
            if check and not acts and _is_condition(text, m.start()):
                continue
            if m.group(0)[:3].lower() == "vào" and _OTHERS_EVENT.search(
                text[_clause_start(text, m.start()) : m.start()]
            ):
                continue
            due = build(m, issued_on)
            if due is None:
                continue
            if _describes_past(due, issued_on) or _until_now(text, m.end()):
                if due.kind == START:
                    past_starts.append(m.end())
                continue
            if _narrates(text, m.end()):
                continue
            if _REPEATS.match(text, m.end()):
                # One day of a repeating schedule; the schedule is a recurring timing, and
                # dating only its first occurrence would mislead (SCHEMA: recurring, no date).
                continue
            hits.append(_Hit(m.start(), m.end(), due))
    # "kết quả ... từ ngày 30/01/2020 đến ngày 24/4/2020": a range that began long before the
    # letter is the period under review; its end is no deadline either.
    return [h for h in hits if not any(0 <= h.start - end <= 2 for end in past_starts)]


def _undated(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _ON_REQUEST.finditer(text):
        hits.append(_Hit(m.start(), m.end(), Due(ON_REQUEST, None, _phrase(m))))
    for m in _AFTER_EVENT.finditer(text):
        # "trước và sau khi sắp xếp" describes a period, not a wait for another body.
        if m.group("lead"):
            continue
        hits.append(_Hit(m.start(), m.end(), Due(AFTER_EVENT, None, _phrase(m))))
    for m in _ROADMAP.finditer(text):
        hits.append(_Hit(m.start(), m.end(), Due(ROADMAP, None, _phrase(m))))
    return hits


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Keep non-overlapping hits of the same family: earliest first, then longest."""
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if any(hit.start < c.end and c.start < hit.end for c in chosen):
            continue
        chosen.append(hit)
    return chosen


def find_dues(text: str, issued_on: datetime.date | None) -> tuple[Due, ...]:
    """Every timing expression in ``text``, in text order."""
    # A day of every period and a relative count are read first: their dates are no
    # one-off deadlines.
    counted = find_recurring(text) + find_relative(text)
    taken = [span for found in counted for span in found.masks]
    dated = _resolve(_dated(text, issued_on, taken))
    undated = _resolve(_undated(text)) + [_Hit(f.start, f.end, f.due) for f in counted]
    # An undated expression inside a dated one ("thực hiện từ tháng 4") adds nothing.
    undated = [u for u in undated if not any(u.start < d.end and d.start < u.end for d in dated)]
    return tuple(h.due for h in sorted(dated + undated, key=lambda h: h.start))


_BARE_DAY = re.compile(r"^\s*(?:ngày\s+)?" + _DAY_CORE + r"\s*$", re.I)
_BARE_MONTH = re.compile(r"^\s*" + _MONTH + r"\s*$", re.I)
_BARE_QUARTER = re.compile(r"^\s*" + _QUARTER + r"\s*$", re.I)
_BARE_YEAR = re.compile(r"^\s*" + _YEAR + r"\s*$", re.I)


def time_cell_dues(cell: str, issued_on: datetime.date | None) -> tuple[Due, ...]:
    """The time column of a task table: a bare date there is the deadline itself."""
    text = " ".join(cell.split())
    if not text:
        return ()
    for pattern, build in (
        (_BARE_DAY, _deadline_day(False)),
        (_BARE_MONTH, _month_deadline),
        (_BARE_QUARTER, _quarter_deadline),
        (_BARE_YEAR, _year_deadline),
    ):
        m = pattern.match(text)
        if m:
            due = build(m, issued_on)
            return (due,) if due else ()
    return find_dues(text, issued_on)
