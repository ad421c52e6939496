"""What a paragraph outside the numbered items does: close the letter, or only time the work
asked before it (SCHEMA.md "Not tasks" and the delivery rule).

- A closing formula only asks to carry out what precedes: "Văn phòng Chính phủ thông báo để
  các cơ quan biết, thực hiện./.", "Đề nghị các cơ quan, đơn vị quan tâm thực hiện./.",
  "UBND tỉnh yêu cầu UBND các huyện khẩn trương tổ chức thực hiện." Read word by word, it is
  nothing but units and the vocabulary of carrying out (yêu cầu, khẩn trương, tổ chức thực
  hiện, biết, nội dung trên, Công văn này ...); a number, a cited document or any other
  action makes it something more.
- A delivery sentence only schedules the handing in of the asked work: "Thời gian gửi báo
  cáo trước ngày …", "Danh mục dự án gửi về Bộ … trước ngày …", "Các đơn vị gửi ý kiến …
  trước ngày …", "Các đơn vị thực hiện trước ngày …", or a closing formula with a timing
  ("Nhận được công văn này, yêu cầu … báo cáo trước …"). Its timing belongs to the tasks
  whose output it times, never to a task of its own.
"""

from __future__ import annotations

import re

from ingest.units import unit_phrase

_CARRY_OUT = [
    "nhận được",
    "kính đề nghị",
    "đề nghị",
    "yêu cầu",
    "trân trọng",
    "rất mong",
    "xin",
    "thông báo",
    "truyền đạt",
    "ý kiến chỉ đạo",
    "ý kiến",
    "chỉ đạo",
    "công văn",
    "văn bản",
    "kế hoạch",
    "chỉ thị",
    "quyết định",
    "hướng dẫn",
    "công điện",
    "này",
    "nêu trên",
    "trên",
    "các",
    "những",
    "nội dung",
    "quan tâm",
    "khẩn trương",
    "nghiêm túc",
    "nghiêm chỉnh",
    "nghiêm",
    "tích cực",
    "chủ động",
    "sớm",
    "kịp thời",
    "ngay",
    "phối hợp",
    "tổ chức",
    "triển khai",
    "thực hiện",
    "chấp hành",
    "đôn đốc",
    "được biết",
    "biết",
    "và",
    "để",
    "cùng",
    "với",
    "theo",
    "đúng",
    "quy định",
    "tốt",
    "có hiệu quả",
    "hiệu quả",
    "đầy đủ",
    "cụ thể",
    "sự",
    "lưu ý",
    "mình",
    "phạm vi",
    "chức năng",
    "nhiệm vụ",
    "được giao",
    "trách nhiệm",
    "thẩm quyền",
    "tinh thần",
    "của",
    "gửi",
    "đến",
    "cho",
    "tới",
]
_CARRY_OUT_WORD = re.compile(
    r"(?:" + "|".join(sorted((re.escape(w) for w in _CARRY_OUT), key=len, reverse=True)) + r")"
    r"(?!\w)",
    re.I,
)
_EXECUTES = re.compile(r"\b(?:thực hiện|triển khai|chấp hành|biết)\b", re.I)
_GAP = re.compile(r"[\s,;:.!/\-–]+")


def carries_out_only(text: str) -> bool:
    """A closing formula: units and the words of carrying out, and nothing else."""
    if re.search(r"\d", text) or not _EXECUTES.search(text):
        return False
    pos = 0
    while True:
        gap = _GAP.match(text, pos)
        if gap:
            pos = gap.end()
        if pos >= len(text):
            return True
        word = _CARRY_OUT_WORD.match(text, pos)
        unit = unit_phrase(text, pos)
        if unit is not None and (word is None or unit[1] > word.end()):
            pos = unit[1]
        elif word is not None:
            pos = word.end()
        else:
            return False


_WORK_NOUNS = (
    r"(?:báo cáo|văn bản|hồ sơ|danh mục|danh sách|ý kiến|kết quả|số liệu|đề xuất|tài liệu|"
    r"biểu mẫu|biểu|bản|sản phẩm|dự thảo|thông tin|đăng ký|tham luận|bài viết|kế hoạch)"
)
_DELIVERY_OPENING = re.compile(
    r"^(?:(?:Thời gian|Thời hạn|Hạn)\s+(?:gửi|nộp|hoàn thành|báo cáo|thực hiện|đăng ký)\b"
    # "Báo cáo hoàn thành của các cơ quan gửi bằng văn bản và file điện tử về UBND tỉnh"
    r"|" + _WORK_NOUNS + r"\b[^.;]{0,100}?\b(?:gửi|nộp|chuyển)\b[^.;]{0,60}?"
    r"\b(?:về|đến|tới|cho|qua)\b)",
    re.I,
)
# After the unit that must act: "gửi ý kiến ...", "thực hiện trước ngày ...".
_DELIVERY_PREDICATE = re.compile(
    r"\s*(?:(?:gửi|nộp|hoàn thành|hoàn thiện)\s+" + _WORK_NOUNS + r"\b"
    r"|(?:thực hiện|hoàn thành)(?:\s+xong)?\s*(?:,\s*)?(?:trước|chậm nhất|trong|xong)\b)",
    re.I,
)
_CLOSING_WITH_TIMING = re.compile(r"^(?:Nhận được|Sau khi nhận được)\b", re.I)


def first_sentence(text: str) -> str:
    m = re.search(r"\.(?:\s|$)", text)
    return text[: m.start() + 1] if m else text


def schedules_delivery(text: str) -> bool:
    """Whether a paragraph opens with a sentence that only times the handing in of the work
    (the caller checks that the sentence carries a timing)."""
    sentence = first_sentence(text)
    if _DELIVERY_OPENING.match(sentence) or _CLOSING_WITH_TIMING.match(sentence):
        return True
    unit = unit_phrase(sentence)
    return unit is not None and _DELIVERY_PREDICATE.match(sentence, unit[1]) is not None
