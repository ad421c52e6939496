"""Header and footer of a dispatch: kind, number, issuer, date, subject, recipients, signer.

Works on the document's lines, following the layout Nghị định 30/2020/NĐ-CP (state bodies)
and Hướng dẫn 36-HD/VPTW (Party bodies) prescribe: issuer at top left in capitals, "Số ..."
under it, then the trích yếu ("V/v ..." or a title), the national/Party motto and the
place-and-date line on the right, "Kính gửi:" with one dash per addressee, and at the end
"Nơi nhận:" beside the signature block (T/M, K/T, TL. + position + name).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.model import Signer
from ingest.text import is_upper_line, one_line, org_case, person_case, title_case, trim_item
from ingest.units import unit_phrase

MOTTO = re.compile(
    r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|"
    r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"(?:^|[^\w])(?:[^\d,:;.]{2,40},\s*)ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+"
    r"(?P<y>\d{4})",
    re.IGNORECASE,
)
# A draft leaves the day blank until it is signed: "Hà Nội, ngày      tháng 11 năm 2025".
_BLANK_DAY_LINE = re.compile(
    r"(?:^|[^\w])(?:[^\d,:;.]{2,40},\s*)ngày\s*(?:[._…]*\s*)tháng\s+(?P<m>\d{1,2})\s+năm\s+"
    r"(?P<y>\d{4})",
    re.IGNORECASE,
)
_DATE_LINE_NUMERIC = re.compile(
    r"^[^\d,]{2,40},\s*ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})", re.I
)
# "Số" is capitalised in the header; lower-case "số" belongs to cited documents in prose.
# The number is kept as printed, spaces and dots included ("2529/VPCP-V .I", "846 /UBND-TH").
_NUMBER = re.compile(
    r"(?:^|\s)(?:Số|SỐ)\s*[:.]?\s*(?P<num>\d+[\w.]*(?:\s?[/\-.]\s?[\wĐđ.&]+|\s[/\-][\wĐđ.&]+)*)"
)
_TITLE = re.compile(
    r"^(?P<t>THÔNG BÁO KẾT LUẬN|CÔNG VĂN|KẾ HOẠCH|THÔNG BÁO|QUYẾT ĐỊNH|CHỈ THỊ|HƯỚNG DẪN|"
    r"CHƯƠNG TRÌNH|CÔNG ĐIỆN|BÁO CÁO|TỜ TRÌNH|NGHỊ QUYẾT|KẾT LUẬN|QUY ĐỊNH)\b"
)
_TITLE_KIND = {
    "CÔNG VĂN": "cong_van",
    "KẾ HOẠCH": "ke_hoach",
    "THÔNG BÁO": "thong_bao",
    "THÔNG BÁO KẾT LUẬN": "thong_bao",
    "QUYẾT ĐỊNH": "quyet_dinh",
    "CHỈ THỊ": "chi_thi",
}
# Type codes inside a registration number: "750-CV/TU", "45/KH-UBND", "12/CT-UBND".
_CODE_KIND = {
    "CV": "cong_van",
    "KH": "ke_hoach",
    "TB": "thong_bao",
    "TBKL": "thong_bao",
    "QĐ": "quyet_dinh",
    "CT": "chi_thi",
}
_RECIPIENTS = re.compile(r"^[-–•*\s]*Kính\s+gửi\s*[:.]?\s*", re.IGNORECASE)
_DASH = re.compile(r"^\s*[-–—•+]\s*")
_SUBJECT_START = re.compile(r"^(?:V/v|V/V|Về việc)\b\.?\s*")
_DATELINE_ARTICLE = re.compile(
    # A posting date, never an update stamp ("Ngày cập nhật", "Cập nhật lúc").
    r"^\s*\(?(?:(?:Ngày đăng|Đăng ngày|Đăng lúc)\s*:?\s*)?"
    r"(?:\d{1,2}[:h]\d{2}\s*(?:[-–|,]\s*)?)?(?:(?:Thứ|thứ|Chủ nhật|CN)[^,\d]*,?\s*)?"
    r"(?:ngày\s+)?(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})\s*[/\-.]\s*(?P<y>\d{4})"
    r"(?:\s*[-–|,]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?)?(?:\s*\(?GMT[^)]*\)?)?\)?\s*$",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"(?P<who>[^.;:]{3,120}?)\s+(?:vừa|đã)\s+(?:ban hành\s+|có\s+|ký\s+|gửi\s+|ra\s+)"
    r"(?:công văn|kế hoạch|thông báo|chỉ thị|văn bản|quyết định|hướng dẫn|công điện)"
    r"|(?P<who2>[^.;:]{3,120}?)\s+vừa\s+"
    r"(?:công văn|kế hoạch|thông báo|chỉ thị|văn bản|quyết định|hướng dẫn|công điện)",
    re.IGNORECASE,
)
FOOTER = re.compile(
    r"^(?:Nơi\s+nhận|Nơi\s+gửi|Trân\s+trọng|T/M\b|TM\.|TM\s|K/T\b|KT\.|KT\s|TL\.|TL\s|TUQ\.|"
    r"Q\.\s|T\.M\.|(?:Tải|Download|Xem)\s+(?:công văn|văn bản|file|toàn văn))",
    re.IGNORECASE,
)
_ON_BEHALF = re.compile(r"^(?:T/M|TM\.?|K/T|KT\.?|TL\.?|TUQ\.?|Q\.|T\.M\.?)\s", re.IGNORECASE)
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,5}$")
_SIGNED = re.compile(r"^\(?\s*(?:đã ký|đã kí|ký tên|ký|kí)\b.*\)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Header:
    kind: str
    number: str | None
    issuer: str | None
    issued_on: datetime.date | None
    subject: str | None
    recipients: tuple[str, ...]
    body_start: int
    is_article: bool
    # Whether anything marks the text as a dispatch (number, issuer, motto, Kính gửi...).
    looks_official: bool
    # A draft's date line without its day ("ngày   tháng 11 năm 2025"): issued_on stays None
    # (no day is printed), but the first of that month places year-less deadlines.
    month_of_issue: datetime.date | None = None
    # The body's first words when they share the "Kính gửi" line.
    body_head: str | None = None
    # The "Kính gửi" list may go on past what was read.
    recipients_unsure: bool = False


def _number_text(raw: str) -> str:
    return " ".join(raw.split()).rstrip(".")


def _date(y: str, m: str, d: str) -> datetime.date | None:
    try:
        return datetime.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _clean(lines: Sequence[str]) -> list[str]:
    return [one_line(line) for line in lines]


_BARE_DATE_LINE = re.compile(
    r"^\W*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\W*$", re.I
)
_HEADER_LINES = 45


def _header_zone(clean: list[str]) -> int:
    """The header ends at "Kính gửi", the first numbered item or long prose, whichever first."""
    for i, line in enumerate(clean[:_HEADER_LINES]):
        if i > 3 and (
            _RECIPIENTS.match(line)
            or re.match(r"^\d{1,2}\s*[.)]\s+\S", line)
            or re.match(r"^[IVX]{1,4}\s*[.)]\s+\S", line)
            or len(line) > 220
        ):
            return i
    return min(len(clean), _HEADER_LINES)


_BODY_START = re.compile(
    r"^(?:Ngày\s+\d|(?:Căn cứ|Thực hiện|Theo|Để|Nhằm|Sau khi|Trong|Xét|Vừa qua|Hiện nay)\b)"
)


def _stop_subject(line: str, previous: str | None = None) -> bool:
    """Whether ``line`` no longer belongs to a subject that ``previous`` is part of."""
    if _DASH.match(line) or len(line) > 160:
        return True
    if previous is not None and (
        _BODY_START.match(line) or previous.rstrip().endswith((".", ":", ";"))
    ):
        return True
    return bool(
        MOTTO.search(line)
        or _DATE_LINE.search(line)
        or _RECIPIENTS.match(line)
        or _NUMBER.match(line)
        or (is_upper_line(line) and not _SUBJECT_START.match(line))
    )


# The motto wrapped over lines by a narrow column ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT NAM").
_MOTTO_START = re.compile(r"^(?:CỘNG\s+H(?:ÒA|OÀ)|ĐẢNG\s+CỘNG|Độc\s+lập)", re.IGNORECASE)
_OWN_LOCALITY = re.compile(
    r"^(?:(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ) ỦY|(?:ỦY BAN NHÂN DÂN|UBND|HĐND|HỘI ĐỒNG NHÂN DÂN)\s+"
    r"(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG))\s+\S",
)
_SUB_UNIT = re.compile(
    r"^(?:SỞ|BAN|PHÒNG|VĂN PHÒNG|CỤC|CHI CỤC|TỔNG CỤC|VỤ|TRUNG TÂM|VIỆN|TRƯỜNG|ĐẢNG ỦY|"
    r"TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|QUẬN ỦY|THỊ ỦY|ỦY BAN NHÂN DÂN|UBND|"
    r"ĐẢNG ĐOÀN|BAN CÁN SỰ|ỦY BAN KIỂM TRA|UỶ BAN KIỂM TRA|THANH TRA|BỘ CHỈ HUY|CÔNG AN|"
    r"KHO BẠC|CHI NHÁNH|BAN QUẢN LÝ)\b"
)


def _issuer(clean: list[str], stop: int) -> str | None:
    parts: list[str] = []
    for line in clean[:stop]:
        text = MOTTO.sub("", line).strip(" -–*")
        if not text:
            if parts and MOTTO.search(line):
                break
            continue
        if (
            _NUMBER.search(text)
            or _TITLE.match(text)
            or _DATE_LINE.search(text)
            or _MOTTO_START.match(text)
        ):
            break
        if not is_upper_line(text):
            if parts:
                break
            return None
        parts.append(text)
    if not parts:
        return None
    # Lines are joined first: a narrow header column wraps one name over several lines
    # ("UỶ BAN NHÂN" / "DÂN" / "TỈNH QUẢNG BÌNH"). A later line that starts with a unit type
    # names a body under the first ("HUYỆN ỦY VĨNH BẢO" / "BAN TUYÊN GIÁO").
    split = next(
        (i for i in range(1, len(parts)) if _SUB_UNIT.match(parts[i]) and len(parts[i]) > 3),
        None,
    )
    if split is None:
        return org_case(" ".join(parts))
    parent = org_case(" ".join(parts[:split]))
    child = org_case(" ".join(parts[split:]))
    if _OWN_LOCALITY.match(" ".join(parts[split:])) or parts[0].startswith("ĐẢNG BỘ"):
        # "ĐẢNG BỘ TỈNH THANH HÓA" / "HUYỆN ỦY THIỆU HÓA": the first line is only the
        # superior body; a committee named with its own locality is the issuer.
        return child
    # A department of a People's Committee is named after its locality ("Sở Nội vụ tỉnh X").
    place = re.match(
        r"^(?:Ủy ban nhân dân|UBND)\s+(?P<p>(?:tỉnh|thành phố|huyện|quận|thị xã)\b.*)$", parent
    )
    if place and child != "Văn phòng":
        level = re.match(r"(?:thành phố|thị xã|tỉnh|huyện|quận)\b", place.group("p"))
        name = place.group("p")[level.end() :].strip() if level else ""
        if level and name and child.endswith(f" {level.group(0)}"):
            # "Văn phòng UBND thành phố" of "thành phố Hồ Chí Minh": the level is said once.
            return f"{child} {name}"
        return f"{child} {place.group('p')}"
    return f"{child} {parent}"


def _kind(number: str | None, title: str | None, has_vv: bool) -> str:
    if title:
        return _TITLE_KIND.get(title, "other")
    if number:
        # The type code is a segment of the number: Party "750-CV/TU", state "45/KH-UBND",
        # "06/2024/QĐ-UBND". A state công văn has none: "123/UBND-VP".
        segments = [x.upper() for x in re.split(r"[/\-]", number)[1:]]
        for segment in segments:
            if segment in _CODE_KIND:
                return _CODE_KIND[segment]
        if re.match(r"^\d+/[^\d]", number):
            return "cong_van"
    return "cong_van" if has_vv else "other"


# Sentences that open the body right under the list ("Do tình trạng ngập lụt ...").
_BODY_OPENERS = re.compile(
    r"^(?:Do|Vì|Nhân dịp|Thời gian qua|Qua|Nhận được|Về việc|Đề nghị|Yêu cầu|Kính đề nghị|"
    r"Trên cơ sở|Tiếp theo|Phúc đáp|Trả lời|Ngày)\b"
)


def _continues(item: str, line: str) -> bool:
    """Whether ``line`` wraps the recipient ``item`` rather than starting the body."""
    if len(line) >= 160 or item.rstrip().endswith((".", ";")):
        return False
    if _BODY_START.match(line) or _BODY_OPENERS.match(line):
        # "Thực hiện chỉ đạo của ...", "Căn cứ ...": the body, even right under a one-line
        # "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương".
        return False
    if line[:1].islower():
        return True  # "- Các đảng đoàn, ban cán sự đảng" / "và đảng ủy trực thuộc Thành ủy,"
    # After an item that ends with no punctuation at all, a short capitalised line goes on
    # with it ("- Giám đốc Sở Văn hóa," / "Thể thao và Du lịch"); a sentence does not.
    return not item.rstrip().endswith(",") and len(line) < 90 and ". " not in line


def _list_goes_on(item: str) -> bool:
    """An item ending with "," or ";" says another one follows; the last ends with "."."""
    return item.rstrip().endswith((",", ";"))


def _recipients(clean: list[str], start: int) -> _Recipients:
    """Entries of the Kính gửi list beginning at line ``start`` and the first body line.

    A word processor's paragraph per item puts a blank line between the items; the list goes
    on past it while the last item ends with "," or ";", or the next line is a dash item or
    wraps the last one in lower case.
    """
    items: list[str] = []
    first = _RECIPIENTS.sub("", clean[start]).strip()
    head = None
    # "Kính gửi: Sở Nội vụ. Thực hiện ...": the body begins on the same line.
    split = re.search(r"\.\s+(?=[A-ZĐÀ-Ỹ])", first)
    if split and (_BODY_START.match(first[split.end() :]) or len(first[split.end() :]) > 60):
        first, head = first[: split.start() + 1], first[split.end() :]
    if first:
        items.append(first)
    i = start + 1
    while head is None and i < len(clean):
        line = clean[i]
        if not line:
            nxt = next((j for j in range(i + 1, len(clean)) if clean[j]), None)
            after = clean[nxt] if nxt is not None else ""
            goes_on = nxt is not None and (
                _DASH.match(after)
                or (items and after[:1].islower() and _continues(items[-1], after))
                or (
                    items
                    and _list_goes_on(items[-1])
                    and not _BODY_START.match(after)
                    and not _BODY_OPENERS.match(after)
                    and len(after) < 160
                )
            )
            if items and not goes_on:
                i = nxt if nxt is not None else len(clean)
                break
            i += 1
            continue
        if _DASH.match(line):
            items.append(line)
        elif items and _list_goes_on(items[-1]) and not _BODY_START.match(line) and len(line) < 160:
            items.append(line)  # one item per line without dashes
        elif items and _continues(items[-1], line):
            items[-1] = items[-1] + " " + line
        elif not items and len(line) < 160:
            items.append(line)
        else:
            break
        i += 1
    cleaned = tuple(t for t in (trim_item(x) for x in items) if t)
    # A list whose last item still says "more follows" may go on past what was read.
    unsure = bool(items) and _list_goes_on(items[-1])
    return _Recipients(cleaned, i, head, unsure)


@dataclass(frozen=True, slots=True)
class _Recipients:
    items: tuple[str, ...]
    body_start: int
    # The start of the body when it shares the "Kính gửi" line.
    body_head: str | None
    unsure: bool


@dataclass(slots=True)
class _Marks:
    """Where the fixed header elements were found (line indexes into the folded lines)."""

    number: str | None = None
    number_line: int | None = None
    issued_on: datetime.date | None = None
    date_line: int | None = None
    title: str | None = None
    title_line: int | None = None
    motto_line: int | None = None
    month_of_issue: datetime.date | None = None


def _find_marks(clean: list[str], zone: int) -> _Marks:
    marks = _find_marks_by_line(clean, zone)
    if marks.number is None or marks.issued_on is None:
        # Copied web pages break header cells mid-phrase ("Số:" / "06/2024/QĐ-UBND",
        # "Kon Tum, ngày 25" / "tháng 01 năm 2024"): look again with neighbours joined.
        for i in range(min(zone, len(clean)) - 1):
            pair = f"{clean[i]} {clean[i + 1]}"
            if marks.number is None and re.fullmatch(r"(?:Số|SỐ)\s*[:.]?", clean[i]):
                m = _NUMBER.search(pair)
                if m:
                    marks.number = _number_text(m.group("num"))
                    marks.number_line = i + 1
            if marks.issued_on is None and re.search(r"ngày\s+\d{1,2}$", clean[i]):
                m2 = _DATE_LINE.search(pair)
                if m2:
                    marks.issued_on = _date(m2.group("y"), m2.group("m"), m2.group("d"))
                    marks.date_line = i + 1
    return marks


def _find_marks_by_line(clean: list[str], zone: int) -> _Marks:
    marks = _Marks()
    for i, line in enumerate(clean[:zone]):
        if marks.number is None:
            m = _NUMBER.search(line)
            # "Số" opens its line, or follows the issuer on a line a PDF merged.
            if m and (m.start() < 3 or is_upper_line(line[: m.start()] or "A")):
                marks.number = _number_text(m.group("num"))
                marks.number_line = i
        if marks.issued_on is None:
            m2 = (
                _DATE_LINE.search(line)
                or _DATE_LINE_NUMERIC.search(line)
                or _BARE_DATE_LINE.match(line)
            )
            if m2:
                marks.issued_on = _date(m2.group("y"), m2.group("m"), m2.group("d"))
                marks.date_line = i
        if marks.issued_on is None and marks.month_of_issue is None:
            blank = _BLANK_DAY_LINE.search(line)
            if blank:
                marks.month_of_issue = _date(blank.group("y"), blank.group("m"), "1")
                marks.date_line = i
        if marks.motto_line is None and MOTTO.search(line):
            marks.motto_line = i
        if marks.title is None:
            m3 = _TITLE.match(line)
            if m3 and is_upper_line(line) and len(line.split()) <= 5:
                marks.title, marks.title_line = m3.group("t"), i
    return marks


def _subject_from(
    clean: list[str], start: int, zone: int, *, upper_first: bool
) -> tuple[str | None, int]:
    """The subject lines from ``start`` (after blank lines) and the index after them."""
    j = start
    while j < zone and not clean[j]:
        j += 1
    block: list[str] = []
    # Upper-case lines right under a title continue it ("KẾT LUẬN CỦA BAN THƯỜNG VỤ").
    while upper_first and j < zone and is_upper_line(clean[j]) and not MOTTO.search(clean[j]):
        block.append(clean[j])
        j += 1
    while j < zone and clean[j] and not _stop_subject(clean[j], block[-1] if block else None):
        block.append(clean[j])
        j += 1
        if j + 1 < zone and not clean[j] and _wraps_after_blank(clean, j - 1, zone):
            j += 1  # a paragraph per line: the trích yếu goes on after the blank line
    return (" ".join(block) if block else None), j


def _wraps_after_blank(clean: list[str], i: int, zone: int) -> bool:
    """ "V/v đề xuất kinh phí thực hiện" / "" / "Đề án phát triển ...": a word processor's
    paragraph per line puts a blank line inside the trích yếu; the line after it goes on when
    the "V/v" line ends with no punctuation and the next line is a short one of its own."""
    if i + 2 >= zone or clean[i][-1:] in {".", ";", ":"} or not clean[i + 2]:
        return False
    nxt = clean[i + 2]
    after = clean[i + 3] if i + 3 < len(clean) else ""
    return (
        len(nxt) < 120
        and not _stop_subject(nxt, clean[i])
        and (not after or _stop_subject(after, nxt))
    )


def _find_subject(clean: list[str], zone: int, marks: _Marks) -> tuple[str | None, int | None]:
    """The trích yếu: "V/v ..." lines; else the lines under a title; else those under "Số"."""
    for i, line in enumerate(clean[:zone]):
        if _SUBJECT_START.match(line):
            rest, end = _subject_from(clean, i + 1, zone, upper_first=False)
            if i + 1 < zone and not clean[i + 1] and not _wraps_after_blank(clean, i, zone):
                rest, end = None, i + 1  # a blank line ends a one-line "V/v"
            return (f"{line} {rest}" if rest else line), end
    if marks.title_line is not None:
        subject, end = _subject_from(clean, marks.title_line + 1, zone, upper_first=True)
        if subject:
            return subject, end
    if marks.number_line is not None:
        subject, end = _subject_from(clean, marks.number_line + 1, zone, upper_first=False)
        if subject:
            return subject, end
    return None, None


# "Ngày 21/4/2020, Ủy ban nhân dân tỉnh ban hành Công văn số 1915/UBND-KTTH ...": the
# dispatch a report is about, its issuer, number and date.
_REPORTED_DISPATCH = re.compile(
    r"(?:^|(?<=[.;]\s))(?:Ngày\s+(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})"
    r"(?:\s*[/.\-]\s*(?P<y>\d{4}))?\s*,\s*)"
    r"(?P<who>[^.;:,]{3,120}?)\s+(?:(?:vừa|đã)\s+)?(?:ban hành|có|ký|gửi|ra)\s+"
    r"(?:công văn|kế hoạch|thông báo|chỉ thị|văn bản|quyết định|hướng dẫn|công điện)\b",
    re.IGNORECASE,
)
_REPORTED_NUMBER = re.compile(
    r"\s*(?:số\s*)?(?P<num>\d+(?:[\w.]*(?:\s?[/\-]\s?[\wĐđ.&]+)*)?)", re.I
)
_BARE_LOCALITY = re.compile(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:tỉnh|thành phố)$")


@dataclass(frozen=True, slots=True)
class _Article:
    dateline: datetime.date | None
    headline: str | None
    body_start: int
    issuer: str | None = None
    number: str | None = None
    reported_on: datetime.date | None = None


def _reported(clean: list[str], dateline: datetime.date | None) -> _Article | None:
    """The sentence naming the dispatch a report is about, in the first lines."""
    # Each line, then each line with the next, so a sentence a PDF wrapped is read whole.
    candidates = [(i, c) for i, c in enumerate(clean[:20])]
    candidates += [(i, f"{c} {clean[i + 1]}") for i, c in enumerate(clean[:19]) if c]
    for i, line in candidates:
        dated = _REPORTED_DISPATCH.search(line)
        found = dated or _REPORTED.search(line)
        if found is None:
            continue
        groups = found.groupdict()
        who = re.sub(r"^\s*\([^)]*\)\s*", "", groups.get("who") or groups.get("who2") or "")
        who = who.strip()
        num = _REPORTED_NUMBER.match(line, found.end())
        reported_on = None
        if dated and dated.group("d"):
            year = dated.group("y") or (str(dateline.year) if dateline else None)
            reported_on = _date(year, dated.group("m"), dated.group("d")) if year else None
            if reported_on and dateline and not dated.group("y") and reported_on > dateline:
                reported_on = _date(str(dateline.year - 1), dated.group("m"), dated.group("d"))
        if _BARE_LOCALITY.match(who):
            # "UBND tỉnh" of a report that names its province ("... Ủy ban nhân dân tỉnh Cao
            # Bằng"): the issuer with its locality, as the text gives it.
            place = re.search(
                r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+"
                + who.split()[-1]
                + r"\s+(?P<n>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*)",
                " ".join(clean),
            )
            if place:
                who = f"{who} {place.group('n')}"
        return _Article(
            dateline=dateline,
            headline=None,
            body_start=i,
            issuer=who if len(who.split()) <= 14 else None,
            number=num.group("num").rstrip(".,") if num else None,
            reported_on=reported_on,
        )
    return None


def _find_article(clean: list[str]) -> _Article | None:
    """A news report of a dispatch: its dateline, headline and the dispatch it reports."""
    dateline, after = None, 0
    for i, line in enumerate(clean[:8]):
        m = _DATELINE_ARTICLE.match(line)
        if m:
            dateline, after = _date(m.group("y"), m.group("m"), m.group("d")), i + 1
            break
    reported = _reported(clean, dateline)
    if dateline is None and reported is None:
        return None
    first_body = reported.body_start if reported else after
    # The headline: the longest line before the report begins (a portal's section label or
    # a dateline stands beside it).
    heads = [
        c
        for c in clean[: max(first_body, after)]
        if c and not _DATELINE_ARTICLE.match(c) and not _STAMP_LINE.match(c)
    ]
    headline = max(heads, key=len) if heads else None
    start = max(after, (clean.index(headline) + 1) if headline else 0)
    if reported is None:
        return _Article(dateline, headline, start)
    return _Article(
        dateline, headline, start, reported.issuer, reported.number, reported.reported_on
    )


_TITLE_WORD = re.compile(
    r"^(?P<t>Thông báo kết luận|Công văn|Kế hoạch|Thông báo|Quyết định|Chỉ thị|Công điện|"
    r"Hướng dẫn|Chương trình)\b",
    re.I,
)
_TITLE_NUMBER = re.compile(
    r"\b(?:số|SỐ|Số)\s*:?\s*(?P<num>\d+[\w.]*(?:\s?[/\-.]\s?[\wĐđ.&]+|\s[/\-][\wĐđ.&]+)*)"
)
_TITLE_DATE = re.compile(
    r",?\s*(?:ngày|ngày ban hành)\s+(?P<d>\d{1,2})\s*"
    r"(?:[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
    r"|\s+tháng\s+(?P<m2>\d{1,2})\s*,?\s*năm\s+(?P<y2>\d{4}))",
    re.I,
)
_STAMP_LINE = re.compile(r"^(?:Ngày cập nhật|Cập nhật|Ngày đăng|Đăng ngày|Đăng lúc)\b", re.I)


@dataclass(frozen=True, slots=True)
class _TitleLine:
    """A text without the header block that opens with its title: "Công văn số 1379/SNV-CCHC
    ngày 07/12/2016 V/v …", "Thông báo Khẩn ngày 18/10/2020", "Kế hoạch triển khai …"."""

    line: int
    kind: str
    number: str | None
    issued_on: datetime.date | None
    subject: str | None


def _title_line(clean: list[str]) -> _TitleLine | None:
    first = next((i for i, c in enumerate(clean[:4]) if c), None)
    if first is None:
        return None
    line = clean[first]
    m = _TITLE_WORD.match(line)
    if m is None or len(line) > 300:
        return None
    last = first
    # A title wrapped over lines (a PDF text layer) goes on in lower case.
    while last + 1 < len(clean) and clean[last + 1][:1].islower() and len(line) < 300:
        last += 1
        line = f"{line} {clean[last]}"
    number = _TITLE_NUMBER.search(line)
    date = _TITLE_DATE.search(line)
    issued_on = (
        _date(date.group("y") or date.group("y2"), date.group("m") or date.group("m2"), date["d"])
        if date
        else None
    )
    vv = re.search(r"(?:V/v|v/v|V/V|Về việc)\b", line)
    if vv:
        subject: str | None = line[vv.start() :]
    else:
        rest = line[m.end() :]
        for found in (number, date):
            if found:
                rest = rest.replace(found.group(0), " ")
        # "Thông báo Khẩn": the title word and an urgency mark name no subject.
        subject = line if len(rest.split()) >= 4 else None
    return _TitleLine(
        line=last,
        kind=_TITLE_KIND.get(m.group("t").upper(), "other"),
        number=_number_text(number.group("num")) if number else None,
        issued_on=issued_on,
        subject=subject,
    )


# "Sở Nội vụ đề nghị ...", "UBND xã yêu cầu:", "Phòng GD&ĐT thông báo ...": who speaks.
_SPEAKS = re.compile(
    r"\s*(?:xin\s+|trân trọng\s+)?(?:thông báo(?:\s+và|\s*,)\s+)?"
    r"(?:đề nghị|yêu cầu|kính đề nghị|thông báo|có ý kiến|giao)\b",
    re.I,
)
_LOCALITY = {
    "Sở": re.compile(
        r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?P<p>(?:tỉnh|thành phố)\s+"
        r"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*)"
    ),
    "Phòng": re.compile(
        r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?P<p>(?:huyện|quận|thị xã|"
        r"thành phố)\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*)"
    ),
}


def _body_issuer(clean: list[str], body_start: int) -> str | None:
    """Without a header block, the issuer is the body that speaks in the text ("Sở Nội vụ
    đề nghị ..."); a department takes the locality of the People's Committee the text names
    ("Sở Nội vụ" of "UBND tỉnh Sơn La" → "Sở Nội vụ tỉnh Sơn La")."""
    text = " ".join(c for c in clean[body_start : body_start + 15] if c)[:1500]
    for m in re.finditer(r"(?:^|(?<=[.;,:])\s+)", text):
        found = unit_phrase(text, m.end())
        if found is None or not found[0][:1].isupper() or not _SPEAKS.match(text, found[1]):
            continue
        name = found[0]
        head = name.split()[0]
        if head in _LOCALITY and not re.search(r"\b(?:tỉnh|thành phố|huyện|quận)\b", name):
            place = _LOCALITY[head].search(" ".join(clean))
            if place:
                return f"{name} {place.group('p')}"
        return name
    return None


def parse_header(lines: Sequence[str]) -> Header:
    clean = _clean(lines)
    zone = _header_zone(clean)
    marks = _find_marks(clean, zone)
    subject, subject_end = _find_subject(clean, zone, marks)
    title = None
    if marks.number is None and marks.motto_line is None and marks.title is None:
        title = _title_line(clean)
    if title is not None:
        marks.number = marks.number or title.number
        marks.issued_on = marks.issued_on or title.issued_on
        if subject is None or subject_end is None or subject_end <= title.line + 1:
            subject = title.subject
        stamp = title.line + 1 < len(clean) and _STAMP_LINE.match(clean[title.line + 1])
        subject_end = title.line + (3 if stamp else 2)
    issued_on = marks.issued_on
    recipients: tuple[str, ...] = ()
    body_head: str | None = None
    recipients_unsure = False
    body_start = 0
    for i, line in enumerate(clean[: zone + 1]):
        if _RECIPIENTS.match(line):
            listed = _recipients(clean, i)
            recipients, body_start = listed.items, listed.body_start
            body_head, recipients_unsure = listed.body_head, listed.unsure
            break
    else:
        found = (marks.number_line, marks.date_line, marks.motto_line, marks.title_line)
        ends = [x for x in found if x is not None]
        if subject_end is not None:
            ends.append(subject_end - 1)
        body_start = max(ends) + 1 if ends else 0
    issuer = _issuer(clean, zone)
    article = None
    no_block = marks.number is None and marks.motto_line is None and title is None
    if no_block and not recipients and issuer is None:
        article = _find_article(clean)
    if article is not None:
        subject, body_start = article.headline, article.body_start
        issued_on = issued_on or article.reported_on or article.dateline
        issuer = article.issuer
    if issuer is None and article is None:
        issuer = _body_issuer(clean, body_start)
    has_vv = bool(subject and _SUBJECT_START.match(subject))
    kind = "article" if article is not None else _kind(marks.number, marks.title, has_vv)
    if title is not None:
        kind = title.kind
    elif kind == "other" and article is None and (recipients or issuer):
        # A letter's operative part: "Kính gửi" or a body that asks in its own name.
        kind = "cong_van"
    looks_official = bool(
        marks.number
        or marks.motto_line is not None
        or recipients
        or issuer
        or marks.title
        or article is not None
    )
    return Header(
        kind=kind,
        number=article.number if article is not None else marks.number,
        issuer=issuer,
        issued_on=issued_on,
        subject=" ".join(subject.split()) if subject else None,
        recipients=recipients,
        body_start=body_start,
        is_article=article is not None,
        looks_official=looks_official,
        month_of_issue=None if issued_on else marks.month_of_issue,
        body_head=body_head,
        recipients_unsure=recipients_unsure,
    )


def footer_start(lines: Sequence[str], body_start: int) -> int:
    """Index of the first line of the closing block ("Nơi nhận", signature, "Trân trọng")."""
    for i in range(body_start, len(lines)):
        if FOOTER.match(one_line(lines[i])):
            return i
    return len(lines)


def _right_column(line: str) -> str:
    """The signature-block part of a line a PDF merged with the "Nơi nhận" column beside it.

    "- Như trên, PHÓ BÍ THƯ" → "PHÓ BÍ THƯ"; "Nơi nhận: T/M BAN THƯỜNG VỤ" → "T/M BAN THƯỜNG VỤ".
    """
    line = re.sub(r"^Nơi\s+nhận\s*:?\s*", "", line, flags=re.IGNORECASE)
    words = line.split()
    tail = 0
    while tail < len(words) and is_upper_line(words[-1 - tail] + "A"):
        tail += 1
    if 2 <= tail < len(words):
        return " ".join(words[-tail:])
    return line


def parse_signer(lines: Sequence[str], start: int) -> Signer | None:
    """Position and name from the signature block; None when the text has none."""
    clean = [_right_column(c) for c in _clean(lines[start:]) if c]
    clean = [c for c in clean if c and not _SIGNED.match(c) and not _DASH.match(c)]
    if not clean:
        return None
    name_index = None
    for i in range(len(clean) - 1, -1, -1):
        # A scan's speckle can put a stray mark inside the name ("Nguyễn Văn: An").
        candidate = re.sub(r"\s*[:;,.]\s+", " ", clean[i].strip(" ."))
        if _NAME.match(candidate) and not _ON_BEHALF.match(clean[i]):
            name_index = i
            break
        if len(candidate.split()) > 8 or re.search(r"\d", candidate):
            continue
    if name_index is None:
        return None
    title = None
    on_behalf = False
    for line in reversed(clean[:name_index]):
        if _ON_BEHALF.match(line):
            on_behalf = True
            break
        if is_upper_line(line) and not line.lower().startswith(("nơi nhận", "như trên")):
            if title is None:
                title = line
            continue
        if title is not None:
            break
    if title is None and not on_behalf:
        return None
    name = person_case(re.sub(r"\s*[:;,.]\s+", " ", clean[name_index].strip(" .")))
    return Signer(name=name, title=title_case(title) if title else None)
