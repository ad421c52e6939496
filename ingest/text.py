"""Low-level text helpers shared by the parser modules: normalisation, markdown, casing."""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MD_ESCAPE = re.compile(r"\\([*_#\[\]()>`|\\.\-+!])")
_MD_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_WS = re.compile(r"\s+")
WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """NFC, Unix newlines, ordinary spaces: every later regex can assume one spelling."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _MD_ESCAPE.sub(r"\1", text)
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))


def strip_markdown(text: str) -> str:
    """Drop emphasis markers and table pipes; dispatch text never uses them as content."""
    text = _MD_EMPHASIS.sub("", text)
    text = re.sub(r"^\s*#+\s+", "", text)
    return text


def one_line(text: str) -> str:
    """One line, single spaces, no markdown."""
    return _WS.sub(" ", strip_markdown(text)).strip()


def first_words(text: str, count: int = 6) -> str:
    """The first ``count`` whitespace-separated words of ``text`` as written."""
    words = text.split()
    return " ".join(words[:count])


def is_upper_line(line: str) -> bool:
    """True for header lines typed in capitals (issuer, titles), ignoring digits/punctuation."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def trim_item(text: str) -> str:
    """Remove list bullets and trailing list punctuation from a recipient-like entry."""
    text = one_line(text)
    text = re.sub(r"^[-–—•+*·]+\s*", "", text)
    return text.strip().rstrip(",.;: ").strip()


# --- casing of upper-case names (header lines, signer titles) ------------------------------------

# Kept upper case: common abbreviations in unit names.
_ABBREVIATIONS = {
    "UBND",
    "HĐND",
    "MTTQ",
    "TW",
    "BCH",
    "BTV",
    "BCĐ",
    "TP",
    "TP.",
    "TU",
    "HU",
    "ĐU",
    "UBKT",
    "LĐLĐ",
    "CA",
    "VN",
    "KT-XH",
    "TNCS",
    "HCM",
}

# Fixed unit phrases with their conventional casing (Nghị định 30/2020, Phụ lục II).
_FIXED = {
    "ủy ban nhân dân": "Ủy ban nhân dân",
    "hội đồng nhân dân": "Hội đồng nhân dân",
    "ủy ban mặt trận tổ quốc việt nam": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "mặt trận tổ quốc việt nam": "Mặt trận Tổ quốc Việt Nam",
    "ban thường vụ": "Ban Thường vụ",
    "ban chấp hành": "Ban Chấp hành",
    "ban chỉ đạo": "Ban Chỉ đạo",
    "ủy ban kiểm tra": "Ủy ban Kiểm tra",
    "ban cán sự đảng": "Ban cán sự đảng",
    "đảng đoàn": "Đảng đoàn",
    "đảng ủy": "Đảng ủy",
    "đảng bộ": "Đảng bộ",
    "tỉnh ủy": "Tỉnh ủy",
    "thành ủy": "Thành ủy",
    "huyện ủy": "Huyện ủy",
    "quận ủy": "Quận ủy",
    "thị ủy": "Thị ủy",
    "chính phủ": "Chính phủ",
    "quốc hội": "Quốc hội",
    "bộ chính trị": "Bộ Chính trị",
    "ban bí thư": "Ban Bí thư",
    "trung ương": "Trung ương",
    "công an": "Công an",
    "việt nam": "Việt Nam",
    "tỉnh đoàn": "Tỉnh đoàn",
    "thành đoàn": "Thành đoàn",
    "huyện đoàn": "Huyện đoàn",
}
# The older spelling "uỷ" is kept as printed ("UỶ BAN NHÂN DÂN" → "Uỷ ban nhân dân"): only the
# case changes.
_FIXED.update(
    {
        key.replace("ủy", "uỷ"): value.replace("ủy", "uỷ").replace("Ủy", "Uỷ")
        for key, value in list(_FIXED.items())
        if "ủy" in key
    }
)
# Unit types whose following word starts the proper part of the name ("Sở Nội vụ").
_TYPES = (
    "văn phòng",
    "trung tâm",
    "chi cục",
    "tổng cục",
    "ban",
    "sở",
    "bộ",
    "cục",
    "vụ",
    "phòng",
    "viện",
    "trường",
    "đài",
    "báo",
    "hội",
    "khối",
)
# Administrative levels: every word after one is part of a place name ("tỉnh Đắk Nông").
_PLACES = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def org_case(text: str) -> str:
    """Convert an upper-case unit name to its conventional mixed case.

    ``THÀNH ỦY CẦN THƠ`` → ``Thành ủy Cần Thơ``; ``SỞ KHOA HỌC VÀ CÔNG NGHỆ`` →
    ``Sở Khoa học và Công nghệ``. Text that is not all capitals is returned folded.
    """
    text = one_line(text)
    if not is_upper_line(text):
        return text
    raw = text.split()
    words = [w.lower() for w in raw]
    out: list[str] = []
    i = 0
    cap_next = False
    in_place = False
    while i < len(words):
        if raw[i].strip(",.") in _ABBREVIATIONS:
            out.append(raw[i])
            i += 1
            cap_next = False
            continue
        if in_place:
            out.append(_cap(words[i]))
            i += 1
            continue
        matched = False
        for size in (6, 5, 4, 3, 2):
            phrase = " ".join(words[i : i + size])
            if phrase in _FIXED:
                out.append(_FIXED[phrase])
                i += size
                matched = True
                # A party committee is followed by its locality ("Thành ủy Cần Thơ").
                in_place = phrase.endswith(" ủy") and phrase != "đảng ủy"
                cap_next = phrase == "đảng ủy"
                break
        if matched:
            continue
        expecting_name = cap_next or (bool(out) and out[-1] in {"và", "-"})
        for place in () if expecting_name else _PLACES:
            size = len(place.split())
            if " ".join(words[i : i + size]) == place:
                out.append(place if out else _cap(place))
                i += size
                in_place = True
                matched = True
                break
        if matched:
            continue
        word = words[i]
        if word in _TYPES or " ".join(words[i : i + 2]) in _TYPES:
            size = 2 if " ".join(words[i : i + 2]) in _TYPES else 1
            phrase = " ".join(words[i : i + size])
            out.append(_cap(phrase) if (not out or cap_next or out[-1] in {"và", "-"}) else phrase)
            i += size
            cap_next = True
            continue
        if not out or ((cap_next or out[-1] in {"và", "-"}) and word not in {"các", "và"}):
            out.append(_cap(word))
        else:
            out.append(word)
        cap_next = False
        i += 1
    return " ".join(out)


_TITLES = {
    "bí thư": "Bí thư",
    "chủ tịch": "Chủ tịch",
    "giám đốc": "Giám đốc",
    "tổng giám đốc": "Tổng Giám đốc",
    "trưởng ban": "Trưởng ban",
    "bộ trưởng": "Bộ trưởng",
    "thứ trưởng": "Thứ trưởng",
    "thủ tướng": "Thủ tướng",
    "chánh văn phòng": "Chánh Văn phòng",
    "cục trưởng": "Cục trưởng",
    "tổng cục trưởng": "Tổng cục trưởng",
    "vụ trưởng": "Vụ trưởng",
    "trưởng phòng": "Trưởng phòng",
    "chủ nhiệm": "Chủ nhiệm",
    "viện trưởng": "Viện trưởng",
    "hiệu trưởng": "Hiệu trưởng",
    "chánh thanh tra": "Chánh Thanh tra",
    "tổng biên tập": "Tổng Biên tập",
    "thường trực": "Thường trực",
    "bí thư thường trực": "Bí thư Thường trực",
    "phó bí thư thường trực": "Phó Bí thư Thường trực",
}


def title_case(text: str) -> str:
    """Convert an upper-case position title: ``PHÓ BÍ THƯ`` → ``Phó Bí thư``."""
    text = one_line(text)
    if not is_upper_line(text):
        return text
    low = text.lower()
    if low in _TITLES:
        return _TITLES[low]
    if low.startswith("phó ") and low[4:] in _TITLES:
        return "Phó " + _TITLES[low[4:]]
    if low.startswith("phó "):
        return "Phó " + _cap(low[4:])
    return _cap(low)


def person_case(text: str) -> str:
    """``PHẠM VĂN HIẾU`` → ``Phạm Văn Hiếu``; mixed-case names are kept."""
    text = one_line(text)
    if is_upper_line(text):
        return " ".join(_cap(w.lower()) for w in text.split())
    return text
