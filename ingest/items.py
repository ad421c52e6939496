"""Body of a dispatch → tasks: paragraphs, numbering, hierarchy, task tables.

Numbered items ("1.", "1.1.", "2.2.3.", "**10.**", "a)") are tasks; roman headings ("II. NHIỆM
VỤ") group them. Unnumbered paragraphs after item N without a subject of their own belong to N;
in a text without numbering each paragraph that asks for action is a task (refs p1, p2, ...).

Articles ("Điều 1.", "Điều 2:") — the operative part of a quyết định, and of any text laid
out the same way (Nghị định 30/2020/NĐ-CP, Phụ lục I) — are items with the ref "Điều N"; their
clauses and points are "Điều N.1", "Điều N.1.a", so refs stay unique although clause numbering
restarts in every article and read as the document cites them. Unnumbered text under an
article's heading, before any clause, is the article's, its closing "./." line included. An
article is a task when it assigns work:
  - it names who must act ("Chánh Văn phòng UBND tỉnh, Giám đốc các Sở ... chịu trách nhiệm thi
    hành Quyết định này" — the usual last article; its lead is that list of units), or
  - it introduces clauses ("Tổ công tác có nhiệm vụ:"), which inherit its lead;
but not when it only enacts, approves, establishes or appoints ("Ban hành kèm theo Quyết định
này ...", "Phê duyệt ...", "Thành lập Tổ công tác ... gồm các ông, bà có tên sau:") unless it
also instructs or sets a timing. Clauses of such an article (a member list, the content that
was approved) are tasks only when they ask someone to act themselves. The entry-into-force
sentence ("Quyết định này có hiệu lực kể từ ngày ký") is never part of a task. When the
articles only enact a plan printed after the signature, that plan's items are tasks as well
(dispatch.parse_blocks).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ingest.doubts import task_doubts
from ingest.model import DEADLINE, Due, ParsedTask
from ingest.roles import carries_out_only, schedules_delivery
from ingest.text import first_words, is_upper_line, one_line
from ingest.timing import find_dues, time_cell_dues
from ingest.units import (
    PREDICATE_STARTS,
    everyone,
    find_lead,
    find_support,
    split_units,
    unit_phrase,
)

# "1.", "1.2.", "1)", "1/ ", "1- " (all seen in dispatches); "18-NQ/TW" or "1/2025" are not.
# A top-level number may run past 999, never into a year ("2025. Năm ..." wraps a sentence).
_TOP = r"(?!(?:19|20)\d\d\b)\d{1,4}"
_NUMBERED = re.compile(
    r"^(?P<ref>" + _TOP + r"(?:\.\d{1,3}){0,4})\s*(?:[.)]\s*|[/\-]\s+)(?=\S)(?!\d)"
)
_NUMBERED_NO_DOT = re.compile(r"^(?P<ref>" + _TOP + r"(?:\.\d{1,3}){1,4})\s+(?=[^\d\s])")
# "(1) Tổng hợp ...", "(2) ...": numbers in parentheses.
_PAREN_NUMBERED = re.compile(r"^\((?P<ref>\d{1,3})\)\s*(?=\S)")
_ROMAN = re.compile(r"^(?:PHẦN\s+|Phần\s+)?(?P<roman>[IVX]{1,5})\s*[.)/\-–]\s*(?=\S)")
# "A. MỤC ĐÍCH, YÊU CẦU" / "B. NHIỆM VỤ CỤ THỂ": capital-letter sections (an upper-case
# heading follows), used like roman ones when a plan has few parts.
_LETTER_SECTION = re.compile(r"^(?P<roman>[A-H])\s*[.)/\-–]\s+(?=\S)")


def _section(text: str) -> re.Match[str] | None:
    """A roman or capital-letter section heading ("II. NHIỆM VỤ", "B. TỔ CHỨC THỰC HIỆN")."""
    roman = _ROMAN.match(text)
    if roman:
        return roman
    letter = _LETTER_SECTION.match(text)
    if letter and is_upper_line(text[letter.end() :]) and len(text[letter.end() :].split()) >= 2:
        return letter
    return None


_LETTER = re.compile(r"^(?P<letter>[a-zđ])\s*(?:\)|\.\s)\s*(?=\S)")
_DASH = re.compile(r"^[-–—•+·]\s*")
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(?P<n>\d{1,3})\s*(?:[.:]\s*|$)")
# Articles that only enact, approve, establish or appoint.
_ENACTING = re.compile(
    r"^(?:Ban hành|Phê duyệt|Thành lập|Kiện toàn|Công nhận|Bãi bỏ|Bổ nhiệm|Điều động|"
    r"Sửa đổi|Bổ sung|Điều chỉnh|Chấp thuận|Cho phép|Khen thưởng|Tặng|Quy định|Hủy bỏ|"
    r"Thay thế|Giải thể|Sáp nhập|Chỉ định|Cử)\b",
    re.I,
)
_IN_FORCE = re.compile(
    r"(?:^|(?<=[.;]\s))(?:(?:Quyết định|Chỉ thị|Quy định|Quy chế|Kế hoạch|Thông báo|Văn bản)"
    r"\s+này\s+(?:có hiệu lực|thay thế)|Các (?:quy định|văn bản)\s+trước đây\s+trái)[^.;]*[.;]?\s*",
    re.I,
)
TABLE_MARK = re.compile(r"^\x00TABLE(?P<n>\d+)\x00$")

# Sections that describe rather than assign (purpose, targets, situation).
_DESCRIPTIVE = re.compile(
    r"MỤC ĐÍCH|YÊU CẦU|MỤC TIÊU|QUAN ĐIỂM|TÌNH HÌNH|KẾT QUẢ|ĐÁNH GIÁ|CĂN CỨ|SỰ CẦN THIẾT|"
    r"THỰC TRẠNG|BỐI CẢNH|PHẠM VI|ĐỐI TƯỢNG|NGUYÊN TẮC|ĐỊA ĐIỂM|THÀNH PHẦN",
    re.IGNORECASE,
)
_ASSIGNING = re.compile(r"NHIỆM VỤ|GIẢI PHÁP|TỔ CHỨC THỰC HIỆN|NỘI DUNG|PHÂN CÔNG", re.I)
_HEADING_ONLY = re.compile(
    r"^(?:Mục đích|Yêu cầu|Mục tiêu|Quan điểm|Mục đích,? yêu cầu)\s*[:.]?$"
    # "1. Đánh giá chung" / "1. Kết quả thực hiện": a meeting's or report's review section.
    r"|^(?:Đánh giá chung|Tình hình chung|Kết quả (?:đạt được|thực hiện)|Tình hình thực hiện)"
    r"\s*[:.]?$"
    # "1. Đối tượng và điều kiện dự thi": who qualifies, not who must act.
    r"|^(?:Đối tượng|Phạm vi|Điều kiện|Nguyên tắc|Tiêu chuẩn)\b[^.;:]{0,60}[:.]?$",
    re.I,
)
# Items that only approve or note something are tasks only with an instruction or timing.
_NOTING = re.compile(
    r"^(?:Thống nhất|Đồng ý|Ghi nhận|Biểu dương|Đánh giá cao|Nhất trí|Cơ bản thống nhất|"
    r"Hoan nghênh|Cho phép|Chấp thuận|Chấp nhận|Phê duyệt)",
    re.I,
)
_INSTRUCTION = re.compile(
    r"\b(?:giao|yêu cầu|đề nghị|chủ trì|chỉ đạo|triển khai|hoàn thiện|hoàn chỉnh|"
    r"tham mưu|tổ chức thực hiện|khẩn trương)\b",
    re.I,
)
_CLOSING = re.compile(
    r"^(?:Nhận được|Trên đây|Rất mong|Trân trọng|Kính đề nghị|Quá trình (?:triển khai|thực hiện)|"
    r"Trong quá trình (?:tổ chức )?(?:triển khai|thực hiện)|\(?(?:Đính kèm|Gửi kèm|Kèm theo)\b|"
    r"Mọi (?:vướng mắc|khó khăn)|Nếu có (?:vướng mắc|khó khăn))",
    re.I,
)
# "... triển khai thực hiện nghiêm túc./." ends the document's operative part.
_FINAL = re.compile(r"\./\.\s*$|\bthông báo\s+(?:để|đến|cho)\b.{0,80}$", re.I)
_CONNECTOR = re.compile(
    r"^(?:Theo đó|Đồng thời|Trong đó|Do đó|Vì vậy|Bên cạnh đó|Ngoài ra|Mặt khác|Tiếp đó)\s*,\s*",
    re.I,
)
_ACTION_START = PREDICATE_STARTS | {
    "chú trọng",
    "xác định",
    "phân tích",
    "làm rõ",
    "đổi mới",
    "cải cách",
    "khắc phục",
    "tổ chức",
    "tiếp tục",
    "thực hiện",
    "nghiêm cấm",
    "không",
    "phát động",
    "đăng ký",
    "tiếp nhận",
    "quản lý",
    "rà soát",
    "tạo",
    "tăng",
    "giảm",
    "hoàn thành",
    "chấn chỉnh",
    "siết chặt",
    "thống kê",
    "lựa chọn",
    "củng cố",
    "phát triển",
    "chuyển",
}
_NOT_START = {"theo", "về", "để", "nhằm", "trong", "tại", "khi", "sau khi", "trước", "được", "đã"}
_DOC_WORDS = (
    r"(?:Kết luận|Nghị quyết|Quyết định|Công văn|Kế hoạch|Thông báo|Chỉ thị|Hướng dẫn|"
    r"Chương trình|Quy định|Quy chế|Thông tư|Nghị định|Văn bản|Công điện|Đề án|Luật|Điện)"
)
_BASIS = re.compile(
    r"^(?:Căn cứ|Xét|Theo đề nghị|Theo\s+(?!đó\b)|"
    # "Thực hiện Quyết định số 3242/QĐ-UBND ...", "Thực hiện chỉ đạo của ...".
    r"Thực hiện\s+(?:(?:ý kiến\s+)?(?:sự\s+)?chỉ đạo\b|(?:nội dung\s+)?" + _DOC_WORDS + r"\b|"
    r"(?:[A-ZĐ]\w*\s+)*(?:số|ngày)?\s*\S*\d))",
)
# "theo đề nghị của Giám đốc Sở" names who proposed, not who is asked.
_PROPOSAL = re.compile(r"(?:theo|trên cơ sở)\s+đề nghị\s+của\b", re.I)
# Labelled fields of a plan's item ("- Đơn vị chủ trì: Ban Tuyên giáo Huyện ủy.", "Chủ trì:
# ...; phối hợp: ...", "- Thời gian: Trong tháng 12/2025."): a value runs to ".", ";" or the
# next label.
_FIELD = re.compile(
    r"(?:(?<=^)|(?<=[\s.;,(\-–]))(?:(?:Đơn vị|đơn vị|Cơ quan|cơ quan|Bộ phận|bộ phận)\s+)?"
    r"(?P<label>[Cc]hủ trì|[Pp]hối hợp|[Tt]hực hiện|[Tt]ham mưu|[Pp]hụ trách|[Tt]hời gian"
    r"(?:\s+(?:thực hiện|hoàn thành))?|[Tt]hời hạn|[Tt]iến độ)\s*:\s*"
)


def _fields(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Units of labelled lead ("Đơn vị chủ trì: ...") and support ("Phối hợp: ...") fields."""
    lead: list[str] = []
    support: list[str] = []
    found = list(_FIELD.finditer(text))
    for n, m in enumerate(found):
        label = m.group("label").lower()
        if label.startswith(("thời", "tiến")):
            continue
        end = found[n + 1].start() if n + 1 < len(found) else len(text)
        value = re.split(r"[.;]\s|[.;]$", text[m.end() : end], maxsplit=1)[0].strip(" ,;.-–")
        phrase = unit_phrase(value) if value else None
        if phrase is None or phrase[1] < len(value) - 1:
            # "Thực hiện: theo kế hoạch" names no unit; "các đơn vị thực hiện: Sở X rà soát
            # ..." goes on into a sentence, so it is prose, not a field.
            continue
        units = [u for part in value.split(";") for u in split_units(part.strip())]
        (support if label == "phối hợp" else lead).extend(u for u in units if u)
    return tuple(lead), tuple(support)


_ASKING = re.compile(r"\b(?:yêu cầu|đề nghị|giao(?: cho)?)\s+", re.I)


@dataclass(frozen=True, slots=True)
class TableRow:
    ref: str
    text: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    time: str


@dataclass(slots=True)
class _Item:
    ref: str
    parent: str | None
    parts: list[str] = field(default_factory=list)
    table_row: TableRow | None = None
    skip: bool = False
    article: bool = False


def paragraphs(lines: Sequence[str]) -> list[str]:
    """Join wrapped lines into paragraphs.

    A new paragraph starts at a numbering mark or bullet, after a blank line unless the next
    line continues a sentence in lower case (a page break mid-sentence), and after a line that
    ends a sentence when the next one starts with a capital.
    """
    # Each paragraph's lines, joined at the end: looking only at the last line keeps this
    # linear in the text's length, however long a paragraph grows.
    paras: list[list[str]] = []
    blank_before = True
    last_line = ""
    last_clean = ""  # the current paragraph's last line, folded
    first_clean = ""  # and its first
    width = _wrap_width(lines)
    for raw in lines:
        line = raw.strip()
        clean = one_line(line)
        if not clean or re.fullmatch(r"[-_*=.·]+", clean):
            blank_before = True
            continue
        marked = bool(
            _NUMBERED.match(clean)
            or _NUMBERED_NO_DOT.match(clean)
            or _PAREN_NUMBERED.match(clean)
            or _section(clean)
            or _LETTER.match(clean)
            or _DASH.match(clean)
            or TABLE_MARK.match(clean)
        )
        if _ARTICLE.match(clean) and (blank_before or not paras or _ends_sentence(last_clean)):
            # "Điều 2." heads an article; "... quy định tại\nĐiều 5." only wraps a citation.
            marked = True
        new = marked or not paras
        if not new:
            prev = last_clean
            ends = prev[-1:] in {".", ":", ";", "!", "?"} or prev.endswith((".)", ".”", "./."))
            if TABLE_MARK.match(first_clean):
                new = True
            elif blank_before:
                new = not (clean[:1].islower() and not ends)
            else:
                upper = clean[:1].isupper() or clean[:1] in '“"('
                # A short line before a capitalised one is a heading ("1. Cải cách thể chế"),
                # not a wrapped sentence.
                previous = len(one_line(last_line))
                short = previous < 40
                # In text wrapped at a fixed width (a PDF text layer) a sentence that ends on a
                # full line usually goes on in the same paragraph; a paragraph's last line is
                # shorter.
                full = width is not None and previous >= 0.9 * width
                # Even on a full line, a sentence that introduces ("... như sau:") or a next
                # line that opens a paragraph of its own ("Về việc này, ...", "Sở Nội vụ
                # đề nghị ...") ends the paragraph.
                opens = prev.endswith(":") or bool(_OPENS.match(clean)) or _has_subject(clean)
                new = upper and ((ends and (not full or opens)) or short)
        if new:
            paras.append([line])
            first_clean = clean
        else:
            paras[-1].append(line)
        last_clean = clean
        blank_before = False
        last_line = line
    return [" ".join(parts) for parts in paras]


_OPENS = re.compile(
    r"^(?:Về việc này|Đề nghị|Yêu cầu|Thực hiện|Căn cứ|Theo|Để|Nhằm|Trên cơ sở|Xét|Ngày\s+\d|"
    r"Nhận được|Trân trọng|Kính đề nghị|Giao|Sau khi|Trong thời gian)\b"
)


def _ends_sentence(text: str) -> bool:
    return one_line(text)[-1:] in {".", ":", ";", "!", "?"}


def _wrap_width(lines: Sequence[str]) -> int | None:
    """The line width of text wrapped at a fixed width (a PDF text layer), else None."""
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) > 40)
    if len(lengths) < 8:
        return None
    top = lengths[int(len(lengths) * 0.9)]
    near = sum(1 for n in lengths if n >= 0.85 * top)
    return top if near >= 0.5 * len(lengths) else None


def _starts_action(text: str) -> bool:
    body = _CONNECTOR.sub("", text)
    words = body.split()
    for size in (3, 2, 1):
        phrase = " ".join(words[:size]).lower().strip(",.;:")
        if phrase in _ACTION_START and phrase not in _NOT_START:
            return True
    return False


def _has_subject(text: str) -> bool:
    """A paragraph with its own subject: a unit followed by a predicate."""
    body = _CONNECTOR.sub("", text)
    found = unit_phrase(body)
    return found is not None and len(found[0].split()) < 25 and found[1] < len(body) - 10


_COPULA = re.compile(r"\s+là\s+")
_DUTY = re.compile(r"\b(?:có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|giúp|tham mưu|chủ trì)\b")


def _states_only(text: str) -> bool:
    """ "Sở Nội vụ là cơ quan thường trực của Tổ công tác.": a designation, not a task."""
    found = unit_phrase(_CONNECTOR.sub("", text))
    if found is None:
        return False
    rest = _CONNECTOR.sub("", text)[found[1] :]
    return _COPULA.match(rest) is not None and not _DUTY.search(rest)


def _asks_action(text: str) -> bool:
    if re.search(r"\bvừa\b", text) or len(text.split()) < 8 or _CLOSING.match(text):
        return False
    if _states_only(text):
        return False
    asks = _asks_someone(_PROPOSAL.sub("", text))
    # Legal bases and preambles ("Căn cứ Luật ...", "Thực hiện Kế hoạch số ...,") ask
    # nothing unless they go on to "đề nghị"/"yêu cầu" someone.
    if _BASIS.match(text):
        return asks
    return _starts_action(text) or _has_subject(text) or asks


def _asks_someone(text: str) -> bool:
    """ "đề nghị/yêu cầu/giao" followed by a unit; "đáp ứng yêu cầu nhiệm vụ" asks no one."""
    return any(unit_phrase(text, m.end()) for m in _ASKING.finditer(text))


def _is_heading(text: str) -> bool:
    return len(text.split()) <= 10 and not text.rstrip().endswith((".", ";", ","))


def _split_item(text: str) -> tuple[str, str] | None:
    for pattern in (_NUMBERED, _NUMBERED_NO_DOT, _PAREN_NUMBERED):
        m = pattern.match(text)
        if m:
            return m.group("ref"), text[m.end() :].strip()
    return None


@dataclass(slots=True)
class _Collected:
    items: list[_Item]
    # Unnumbered paragraphs that are not part of an item (preamble, own-subject paragraphs).
    loose: list[str]
    duplicate_refs: bool


def _collect(paras: Sequence[str], tables: Sequence[Sequence[TableRow]]) -> _Collected:
    """Walk the paragraphs once, building numbered items and their continuations."""
    items: list[_Item] = []
    by_ref: dict[str, _Item] = {}
    section = ""
    section_skip = False
    seen_refs: set[str] = set()
    duplicate_refs = False
    loose: list[str] = []
    pending: list[tuple[str, _Item]] = []
    current: _Item | None = None
    numbered_item: _Item | None = None
    skip_block = False
    article_item: _Item | None = None
    for text in paras:
        if pending and (TABLE_MARK.match(text) or _ARTICLE.match(text) or _split_item(text)):
            for between, owner in pending:
                owner.parts.append(between)
            pending = []
        table = TABLE_MARK.match(text)
        if table:
            for table_row in tables[int(table.group("n"))]:
                parent = table_row.ref.rsplit(".", 1)[0] if "." in table_row.ref else None
                item = _Item(
                    ref=table_row.ref,
                    parent=parent if parent in by_ref else None,
                    parts=[table_row.text],
                    table_row=table_row,
                )
                items.append(item)
                by_ref[item.ref] = item
            current = None
            continue
        article = _ARTICLE.match(text)
        if article:
            key = f"Điều {article.group('n')}"
            rest = text[article.end() :].strip()
            item = _Item(ref=key, parent=None, parts=[rest] if rest else [], article=True)
            items.append(item)
            by_ref[key] = item
            section, section_skip, skip_block = key, False, False
            current = numbered_item = article_item = item
            continue
        roman = _section(text)
        if roman and not _NUMBERED.match(text):
            section = roman.group("roman")
            article_item = None
            heading = text[roman.end() :]
            section_skip = bool(_DESCRIPTIVE.search(heading)) and not _ASSIGNING.search(heading)
            current = None
            continue
        split = _split_item(text)
        if split:
            ref, rest = split
            duplicate_refs = duplicate_refs or ref in seen_refs
            seen_refs.add(ref)
            parent = ref.rsplit(".", 1)[0] if "." in ref else None
            # Refs carry their roman section until we know numbering restarts per section.
            key = f"{section}.{ref}" if section else ref
            parent_key = f"{section}.{parent}" if section and parent else parent
            if parent_key is None and article_item is not None:
                parent_key = article_item.ref  # clause N of the article
            if "." not in ref:
                # "1. Mục đích" heads a descriptive block down to the next top-level item.
                skip_block = bool(_HEADING_ONLY.match(rest))
            item = _Item(
                ref=key,
                parent=parent_key if parent_key in by_ref else None,
                parts=[rest],
                skip=section_skip or skip_block or bool(_HEADING_ONLY.match(rest)),
            )
            items.append(item)
            by_ref[key] = item
            current = numbered_item = item
            continue
        letter = _LETTER.match(text)
        if letter and numbered_item is not None:
            key = f"{numbered_item.ref}.{letter.group('letter')}"
            item = _Item(
                ref=key,
                parent=numbered_item.ref,
                parts=[text[letter.end() :].strip()],
                skip=numbered_item.skip,
            )
            items.append(item)
            by_ref[key] = item
            current = item  # further unnumbered text continues the lettered item
            continue
        if current is not None and current.article:
            # Everything up to the next article is the article's, its "./." line included.
            current.parts.append(_DASH.sub("", text))
            continue
        if current is not None:
            if _CLOSING.match(text) or _FINAL.search(text):
                current = None
                continue
            bare_heading = len(current.parts) == 1 and _is_heading(current.parts[0])
            # A delivery sentence after the last item times the whole list, so it is kept
            # apart like a paragraph with a subject of its own.
            own = _has_subject(text) or schedules_delivery(text)
            if _DASH.match(text) or bare_heading or not own:
                current.parts.append(_DASH.sub("", text))
                continue
            # A paragraph with a subject of its own: part of the item if another item
            # follows (the item runs to the next number), else a paragraph of its own.
            pending.append((text, current))
            continue
        if not items or not section_skip:
            # Before the first item (preamble), or a paragraph straight under a heading
            # ("II. TỔ CHỨC THỰC HIỆN" / "Sở Nội vụ theo dõi, ...").
            loose.append(text)
    loose += [text for text, _ in pending]
    return _Collected(items, loose, duplicate_refs)


def _numbered_tasks(
    collected: _Collected,
    paras: Sequence[str],
    recipients: Sequence[str],
    issued_on: datetime.date | None,
) -> list[ParsedTask]:
    tasks: list[ParsedTask] = []
    leads: dict[str, tuple[str, ...]] = {}
    refs_plain = not collected.duplicate_refs
    # Articles that only enact or approve: their clauses must ask for action on their own.
    enacting: set[str] = set()
    parents = {item.parent for item in collected.items if item.parent}
    for item in collected.items:
        if item.skip:
            continue
        if item.article:
            parts = [p for p in (_IN_FORCE.sub("", part).strip() for part in item.parts) if p]
            text = " ".join(parts)
            if not parts or (_ENACTING.match(text) and not _INSTRUCTION.search(text)):
                enacting.add(item.ref)
                continue
            own = next(filter(None, (find_lead(p, recipients) for p in parts)), None)
            assigns = own is not None and not _states_only(text)
            if item.ref not in parents and not assigns and not _asks_action(text):
                continue  # "Điều 2. Kinh phí thực hiện từ nguồn ngân sách tỉnh."
            lead = own or everyone(recipients)
            dues = find_dues(text, issued_on)
            leads[item.ref] = lead
            tasks.append(_task(item.ref, text, lead, find_support(text), dues, None))
            continue
        text = " ".join(item.parts)
        top = item.ref.split(".", 1)[0]
        if top in enacting and not _asks_action(text):
            continue
        row = item.table_row
        if row is not None:  # a task table row: the columns say who and when
            lead = row.lead or everyone(recipients)
            support = row.support
            dues = time_cell_dues(row.time, issued_on) + find_dues(text, issued_on)
        else:
            parent_lead = leads.get(item.parent) if item.parent else None
            lead, support = _item_units(item.parts, recipients, parent_lead)
            dues = find_dues(text, issued_on)
        noting = _NOTING.match(text) and not _INSTRUCTION.search(text[12:])
        if noting and not dues and row is None:
            continue
        leads[item.ref] = lead
        ref, parent = item.ref, item.parent
        if refs_plain:
            # Numbering does not restart per section: the roman prefix is noise.
            ref = _drop_section(ref) or ref
            parent = _drop_section(parent) if parent else None
        tasks.append(_task(ref, text, lead, support, dues, parent))
    # Paragraphs with a subject of their own after the numbered items.
    first_item = next((i for i, p in enumerate(paras) if _split_item(p)), len(paras))
    position = {text: i for i, text in reversed(list(enumerate(paras)))}
    numbered = len(tasks)
    for text in collected.loose:
        if position[text] <= first_item or carries_out_only(text):
            continue
        dues = find_dues(text, issued_on)
        if dues and schedules_delivery(text) and tasks:
            _attach(tasks, dues)
            continue
        if not _asks_action(text) or _FINAL.search(text):
            continue
        lead = find_lead(text, recipients) or everyone(recipients)
        ref = f"p{len(tasks) - numbered + 1}"
        tasks.append(_task(ref, text, lead, find_support(text), dues, None, tail=True))
    return tasks


def _item_units(
    parts: Sequence[str], recipients: Sequence[str], parent_lead: tuple[str, ...] | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lead and support units of a numbered item made of ``parts`` (its paragraphs)."""
    text = " ".join(parts)
    own = find_lead(parts[0], recipients)
    if own is None and len(parts) > 1 and _is_heading(parts[0]):
        # "2. Cải cách thủ tục hành chính" / "Văn phòng Sở chủ trì, ..."
        own = find_lead(parts[1], recipients)
    field_lead, field_support = _fields(text)
    # A labelled field says outright who leads; it wins over the sentence's subject.
    lead = field_lead or own or parent_lead or everyone(recipients)
    support = find_support(text)
    support += tuple(u for u in field_support if u not in support)
    return lead, support


def read_item(
    text: str,
    recipients: Sequence[str],
    issued_on: datetime.date | None,
    ref: str = "",
) -> ParsedTask:
    """One item typed on its own (a task the office adds to a draft), read by the rules of a
    numbered item of a dispatch: its lead (a subject, a labelled field, else every
    addressee in ``recipients``), its support units and its timings (year-less dates taken
    in the year of ``issued_on``; relative ones left for the product to count)."""
    parts = [one_line(p) for p in paragraphs(text.splitlines())] or [one_line(text)]
    lead, support = _item_units(parts, recipients, None)
    joined = " ".join(parts)
    return _task(ref, joined, lead, support, find_dues(joined, issued_on), None)


def _attach(tasks: list[ParsedTask], dues: tuple[Due, ...]) -> None:
    """Give a delivery sentence's timing to the tasks whose output it times: the items of
    the list just before it that have no dated deadline yet (else the last task)."""
    targets = []
    # A paragraph-task times only itself: the one just before the sentence.
    for i in range(len(tasks) - 1, -1 if tasks[-1].ref[:1] != "p" else len(tasks) - 1, -1):
        task = tasks[i]
        if task.parent_ref is not None:
            continue
        if any(d.kind == DEADLINE and d.date for d in task.due):
            break
        targets.append(i)
    for i in targets or [len(tasks) - 1]:
        # A date from another sentence: the office should check it (SCHEMA.md delivery rule).
        tasks[i] = replace(tasks[i], due=tasks[i].due + dues, unsure=tasks[i].unsure | {"due"})


_SECTION_PREFIX = re.compile(r"^(?:[IVX]{1,5}|[A-H])(?:\.|$)")


def _drop_section(ref: str | None) -> str | None:
    if ref and _SECTION_PREFIX.match(ref) and "." in ref:
        return ref.split(".", 1)[1]
    return ref if ref and not _SECTION_PREFIX.match(ref) else None


# A sentence that narrates or cites before the request of the same paragraph.
_NARRATION = re.compile(
    r"^(?:Ngày\s+\d|Vừa qua|Thời gian qua|Hiện nay|Qua\s|Trong thời gian qua|Thực hiện\s|"
    r"Căn cứ\s|Theo\s)",
    re.I,
)


def _from_the_asking_sentence(text: str) -> str:
    """ "Ngày 02/3, Phòng Nội vụ nhận được … . Để có cơ sở tổng hợp, Sở … đề nghị …": the
    task starts at the sentence that asks (a purpose clause included), not at the story."""
    if not _NARRATION.match(text):
        return text
    sentences = list(re.finditer(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text))
    first = text[: sentences[0].start()] if sentences else text
    if not sentences or _asks_someone(first):
        return text
    for cut in sentences:
        rest = text[cut.end() :]
        head = re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", rest, maxsplit=1)[0]
        if _asks_someone(head) or find_lead(head, ()) is not None:
            return rest
    return text


def _paragraph_tasks(
    loose: Sequence[str], recipients: Sequence[str], issued_on: datetime.date | None
) -> list[ParsedTask]:
    """No numbering: one task per paragraph that asks for action (p1, p2, ...).

    A paragraph ending with ":" only introduces what follows; the dash bullets under it are
    the tasks, and they inherit the unit it names ("UBND tỉnh giao Sở Xây dựng:").
    """
    tasks: list[ParsedTask] = []
    intro_lead: tuple[str, ...] | None = None
    intro_dues: tuple[Due, ...] = ()
    for raw in loose:
        bullet = bool(_DASH.match(raw))
        text = _DASH.sub("", raw)
        if not bullet and (intro_lead is None or find_lead(text, recipients) is not None):
            # A paragraph of its own ends what an introduction ("... như sau:") governed;
            # the paragraphs right under it without a subject carry its unit and timing.
            intro_lead, intro_dues = None, ()
        if text.rstrip().endswith(":") and not bullet:
            intro_lead = find_lead(text, recipients)
            intro_dues = find_dues(text, issued_on) if intro_lead else ()
            continue
        if carries_out_only(text):
            continue
        if not bullet:
            text = _from_the_asking_sentence(text)
        if not bullet and tasks and schedules_delivery(text):
            dues = find_dues(text, issued_on)
            if dues:
                _attach(tasks, dues)
                continue
        if bullet and intro_lead is None and tasks and not _asks_action(text):
            continue
        if not bullet and not _asks_action(text):
            continue
        if bullet and len(text.split()) < 3:
            continue
        own = find_lead(text, recipients)
        lead = own or intro_lead or everyone(recipients)
        dues = find_dues(text, issued_on)
        if own is None and intro_lead is not None:
            dues = intro_dues + tuple(d for d in dues if d not in intro_dues)
        tasks.append(_task(f"p{len(tasks) + 1}", text, lead, find_support(text), dues, None))
    return tasks


def build_tasks(
    lines: Sequence[str],
    tables: Sequence[Sequence[TableRow]],
    recipients: Sequence[str],
    issued_on: datetime.date | None,
) -> tuple[ParsedTask, ...]:
    """Tasks of a dispatch body (the lines between the header and the signature block)."""
    paras = [one_line(p) for p in paragraphs(lines)]
    collected = _collect(paras, tables)
    if collected.items:
        return tuple(_numbered_tasks(collected, paras, recipients, issued_on))
    return tuple(_paragraph_tasks(collected.loose, recipients, issued_on))


def _task(
    ref: str,
    text: str,
    lead: tuple[str, ...],
    support: tuple[str, ...],
    dues: tuple[Due, ...],
    parent: str | None,
    *,
    tail: bool = False,
) -> ParsedTask:
    folded = " ".join(text.split())
    return ParsedTask(
        ref=ref,
        text=folded,
        text_starts=first_words(folded),
        lead=lead,
        support=support,
        due=dues,
        parent_ref=parent,
        unsure=task_doubts(folded, lead, support, dues, tail=tail),
    )
