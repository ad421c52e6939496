"""Lead (chủ trì / grammatical subject) and support (phối hợp) units of a task.

A unit phrase starts with a unit head ("Sở", "Ban", "Đảng ủy", "Các sở", ...) and runs until
the predicate begins, which Vietnamese administrative prose marks with a small, stable set of
verbs and adverbs ("chủ trì", "phối hợp", "chủ động", "khẩn trương", "căn cứ", ...). Words of a
unit's proper name are capitalised ("Ban Tổ chức"), so only lower-case verbs end a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.model import RECIPIENTS

_TOKEN = re.compile(r"\w+|[^\w\s]")

# First word(s) of a unit name. Lower-case comparison; "các"/"những" need a unit noun after.
_HEADS = {
    "ban",
    "sở",
    "bộ",
    "đảng ủy",
    "đảng uỷ",
    "đảng đoàn",
    "đảng bộ",
    "ủy ban",
    "uỷ ban",
    "ubnd",
    "hđnd",
    "mttq",
    "ubmttq",
    "hội đồng",
    "thường trực",
    "văn phòng",
    "phòng",
    "công an",
    "cục",
    "chi cục",
    "tổng cục",
    "vụ",
    "viện",
    "trường",
    "trung tâm",
    "báo",
    "đài",
    "tỉnh đoàn",
    "thành đoàn",
    "huyện đoàn",
    "hội",
    "liên đoàn",
    "liên minh",
    "mặt trận",
    "kho bạc",
    "thanh tra",
    "bộ chỉ huy",
    "ngân hàng",
    "tòa án",
    "toà án",
    "viện kiểm sát",
    "chi nhánh",
    "cấp ủy",
    "cấp uỷ",
    "chủ tịch",
    "lãnh đạo",
    "giám đốc",
    "thủ trưởng",
    "người đứng đầu",
    "bí thư",
    "huyện ủy",
    "thành ủy",
    "tỉnh ủy",
    "quận ủy",
    "thị ủy",
    "chi bộ",
    "cơ quan",
    "đơn vị",
    "địa phương",
    "ubkt",
    "bch",
    "btv",
    "bcđ",
    "tổ công tác",
    "đoàn kiểm tra",
    "đoàn công tác",
    "bảo hiểm",
    "tập đoàn",
    "tổng công ty",
    "công ty",
    "ban quản lý",
    "chính quyền",
    "hội liên hiệp",
    "đoàn thanh niên",
    "cục thuế",
    "chi cục thuế",
    "ủy viên",
    # Heads of bodies, as a quyết định's execution article names them.
    "chánh văn phòng",
    "chánh thanh tra",
    "trưởng ban",
    "trưởng phòng",
    "tổng giám đốc",
    "cục trưởng",
    "hiệu trưởng",
    "tổ trưởng",
    # Commune level: "Trưởng các thôn", "Trạm Y tế xã", "Công chức Tư pháp - Hộ tịch".
    "trưởng thôn",
    "trưởng các",
    "trạm",
    "công chức",
    # "Đội Quản lý thị trường số 13", "Các chủ đầu tư", "UBND đặc khu Lý Sơn".
    "đội",
    "chủ đầu tư",
    "đặc khu",
    "thủ tướng",
    "phó thủ tướng",
    "bộ trưởng",
    "thông tấn xã",
    "học viện",
    "đại học",
    "bệnh viện",
    "kiểm toán nhà nước",
    "hải quan",
}
# Nouns that may follow "các"/"những" in a unit phrase ("các sở", "các cơ quan").
_UNIT_NOUNS = _HEADS | {
    "tiểu ban",
    "nhóm",
    "tổ",
    "ban chỉ đạo",
    "ban quản lý",
    "hội đồng",
    "thành viên",
    "chi bộ",
    "trường",
    "cơ sở",
    "ngành",
    "xã",
    "phường",
    "thôn",
    "ấp",
    "bản",
    "tổ dân phố",
    "khu phố",
    "huyện",
    "quận",
    "thị xã",
    "thành phố",
    "tỉnh",
    "đặc khu",
    "tổ chức",
    "đoàn thể",
    "cấp",
    "doanh nghiệp",
    "đồng chí",
    "ban",
    "hội",
    "bộ",
    "đảng ủy",
}

# Lower-case words and phrases that begin a predicate and so end a unit phrase.
PREDICATE_STARTS = {
    "chủ trì",
    "phối hợp",
    "chủ động",
    "căn cứ",
    "khẩn trương",
    "tiếp tục",
    "tập trung",
    "lãnh đạo",
    "chỉ đạo",
    "thực hiện",
    "triển khai",
    "quán triệt",
    "rà soát",
    "nghiên cứu",
    "tham mưu",
    "xây dựng",
    "theo dõi",
    "hướng dẫn",
    "báo cáo",
    "đề xuất",
    "kịp thời",
    "tăng cường",
    "đẩy mạnh",
    "bám sát",
    "quan tâm",
    "ban hành",
    "có trách nhiệm",
    "có nhiệm vụ",
    "chịu trách nhiệm",
    "trên cơ sở",
    "xem xét",
    "kiểm tra",
    "giám sát",
    "tuyên truyền",
    "phổ biến",
    "đôn đốc",
    "tổng hợp",
    "thường xuyên",
    "định kỳ",
    "hoàn thành",
    "hoàn thiện",
    "bảo đảm",
    "đảm bảo",
    "phải",
    "cần",
    "nghiêm túc",
    "tích cực",
    "sớm",
    "ưu tiên",
    "khảo sát",
    "đánh giá",
    "cụ thể hóa",
    "phát huy",
    "nâng cao",
    "tiến hành",
    "gửi",
    "nộp",
    "trình",
    "cung cấp",
    "bố trí",
    "sắp xếp",
    "kiện toàn",
    "chuẩn bị",
    "thành lập",
    "vận động",
    "hỗ trợ",
    "giúp",
    "cử",
    "giao",
    "yêu cầu",
    "đề nghị",
    "phân công",
    "xử lý",
    "giải quyết",
    "nắm",
    "để",
    "nhằm",
    "theo",
    "về",
    "đối với",
    "trong",
    "tại",
    "khi",
    "sau khi",
    "trước",
    "được",
    "đã",
    "sẽ",
    "đang",
    "là",
    "cập nhật",
    "tổ chức thực hiện",
    "duy trì",
    "thống nhất",
    "lập",
    "làm",
    "tập huấn",
    "rút kinh nghiệm",
    "hướng",
    "cần thiết",
    "thẩm định",
    "thẩm tra",
    "xác minh",
    "giải ngân",
    "phân bổ",
    "cấp phát",
    "thanh toán",
    "quyết toán",
    "kiểm soát",
    "bồi dưỡng",
    "điều tra",
    "xác định",
    "lựa chọn",
    "đăng ký",
    "tiếp nhận",
    "thu thập",
    "số hóa",
    "vận hành",
    "nâng cấp",
    "mua sắm",
    "sửa chữa",
    "khắc phục",
    "ngăn chặn",
    "khen thưởng",
    "công bố",
    "công khai",
    "niêm yết",
    "đăng tải",
    "phê duyệt",
    "thông qua",
    "biên soạn",
    "soạn thảo",
    "dự thảo",
    "góp ý",
    "lấy ý kiến",
    "thống kê",
    "giải trình",
    "trả lời",
    "tiếp thu",
    "điều chỉnh",
    "bổ sung",
    "sửa đổi",
    "bàn giao",
    "chuyển giao",
    "hoàn chỉnh",
    "tổng kết",
    "sơ kết",
    "quyết định",
    "chấp hành",
    "thi hành",
    "đẩy nhanh",
    "mở rộng",
    "huy động",
    "vận dụng",
    "tuyên dương",
    "có văn bản",
    "có ý kiến",
    "có kế hoạch",
    "có báo cáo",
    "với",
    "thông báo",
    "xin",
    "trân trọng",
    "tham gia",
    "tham dự",
    # Money and means a unit hands out or takes back ("Bộ Tài chính ứng trước dự toán").
    "ứng trước",
    "ứng vốn",
    "tạm ứng",
    "hoàn trả",
    "chi trả",
    "thu hồi",
    "cấp kinh phí",
    "cấp vốn",
    "trích",
    "treo",
    "tạm dừng",
    "dừng",
    "ngừng",
    "làm rõ",
    "chấn chỉnh",
    "nhận",
    "mở",
    "đưa",
    "dự kiến",
    "cho phép",
    "lấy",
    "phát động",
    "chấp thuận",
}
# Words of unit names whose second syllable is also a verb: "Bộ Ngoại giao", "Định hướng".
_NAME_COMPOUNDS = {"ngoại giao", "định hướng", "công trình", "kiến trúc", "cơ giới", "độc lập"}
# Nouns that open with a verb's syllable: "An toàn giao thông", "giao dịch".
_NOUN_PAIRS = {"giao thông", "giao dịch", "giao lưu", "nhận thức", "lập pháp", "lập trình"}
# Titles that may spread over a list after a colon: "Giám đốc: Sở A, Sở B".
_TITLES = {
    "giám đốc",
    "chủ tịch",
    "thủ trưởng",
    "trưởng ban",
    "trưởng phòng",
    "hiệu trưởng",
    "bí thư",
    "người đứng đầu",
    "chánh văn phòng",
    "tổng giám đốc",
    "cục trưởng",
}
# After "tổ chức", words that make it the noun ("tổ chức đảng", "tổ chức chính trị - xã hội").
_TO_CHUC_NOUN_NEXT = {
    "đảng",
    "chính",
    "xã",
    "đoàn",
    "thành",
    "hội",
    "quần",
    "kinh",
    "tín",
    "cơ",
    "có",
    "liên",
    "và",
    "trực",
    "cá",
    "phi",
    "nước",
    "tôn",
    "hành",
}
# Lower-case syllables that occur in generic unit phrases ("các phòng chuyên môn", "đơn vị sự
# nghiệp công lập", "các cơ sở y tế"). Outside a capitalised name, any other lower-case word
# means the predicate has begun even when it is not a listed verb.
_SYLLABLE_TEXT = """
    các những mọi từng toàn cơ quan đơn vị địa phương sở ban ngành phòng cấp ủy uỷ đảng đoàn thể
    tổ chức chính trị xã hội quần chúng trực thuộc có liên quan chuyên môn trách tham mưu giúp
    việc xây dựng của tỉnh thành phố huyện quận thị trấn thôn dân khu ấp bản tương đương ứng sự
    nghiệp công lập nhà nước doanh khối nhân thường vụ chấp hành cán trung ương mặt trận quốc lực
    lượng vũ trang an quân trường học bộ viên người đứng đầu thủ trưởng lãnh đạo tập chủ tịch
    giám đốc bí thư đồng chí và cùng trên bàn y tế giáo dục đào tạo văn hóa hoá thao du lịch nông
    nghiệp tài kế hoạch đầu tư giao thông vận tải nguyên môi công thương khoa nghệ tin truyền
    lao động binh tư pháp ngoại tộc tôn giáo thanh niên phụ nữ cựu chiến báo chí phát hình dự án
    quản lý kiểm tra sát chi cục viện tâm đài hợp tác ngân hàng kho bạc thuế hải bảo hiểm điện
    viễn cấp nước liên quan hiệp hội đoàn viên đảng viên cán bộ công chức ban quản lý dự án
    tiểu mầm non phổ trung tâm y tế bệnh viện trạm xá phường quyền hộ gia đình cá năng thẩm hữu
    tất cả người lao động doanh nghiệp tư hợp tác xã tổ dân phố tổ chức ông bà có tên
    toán đặc ven biển biên giới chủ
"""
UNIT_SYLLABLES = frozenset(_SYLLABLE_TEXT.split())
_MAX_STOP = max(len(s.split()) for s in PREDICATE_STARTS)
# "tổ chức" is a noun in "các tổ chức", "tổ chức đảng" and a verb in "tổ chức thực hiện".
_TO_CHUC_VERB_NEXT = {
    "thực",
    "triển",
    "quán",
    "tuyên",
    "sơ",
    "tổng",
    "kiểm",
    "tập",
    "hội",
    "lấy",
    "rà",
    "đánh",
    "tốt",
    "cho",
    "việc",
    "lớp",
    "các",
    "phổ",
    "học",
    "nghiên",
    "đối",
    "dự",
    "thăm",
    "hướng",
    "thi",
    "chấm",
    "vận",
    "ra",
    "khám",
}

# Words that only restate the addressees in general terms ("các cấp ủy, tổ chức đảng").
_GENERAL = (
    "mặt trận tổ quốc",
    "người đứng đầu",
    "tập thể lãnh đạo",
    "hệ thống chính trị",
    "tổ chức đảng",
    "tổ chức chính trị - xã hội",
    "có liên quan",
    "chính quyền",
    "cơ quan",
    "đơn vị",
    "địa phương",
    "đoàn thể",
    "cán bộ",
    "đảng viên",
    "cấp ủy",
    "cấp uỷ",
    "các cấp",
    "tổ chức",
    "liên quan",
    "toàn thể",
    "ban",
    "ngành",
    "các",
    "những",
    "và",
    "cấp",
    "đảng",
    "đoàn",
    "mọi",
    "từng",
)


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _lower(tokens: Sequence[re.Match[str]], i: int, size: int) -> str:
    return " ".join(t.group(0).lower() for t in tokens[i : i + size])


# Head words that open a verb or a common noun instead ("Báo cáo", "Ban hành", "Hội nghị").
_NOT_UNITS = {
    "báo cáo",
    "báo chí",
    "hội trường",
    "ban hành",
    "hội nghị",
    "hội thảo",
    "hội thi",
    "hội diễn",
    "trường hợp",
    "bộ máy",
    "bộ phận",
    "bộ tiêu chí",
    "sở hữu",
    "đài thọ",
    "vụ việc",
    "phòng chống",
    "phòng ngừa",
    "phòng cháy",
    "phòng ,",
    "thanh tra ,",
    "thanh tra việc",
    "thanh tra các",
    "cục bộ",
    "viện dẫn",
    "hội đủ",
    "đơn vị tính",
    "đội ngũ",
}


def _starts_unit(tokens: Sequence[re.Match[str]], i: int) -> int:
    """Number of tokens of a unit head at ``i`` (0 when there is none)."""
    if i >= len(tokens):
        return 0
    if _lower(tokens, i, 2) in _NOT_UNITS or _lower(tokens, i, 3) in _NOT_UNITS:
        return 0
    first = tokens[i].group(0)
    if first.lower() in {"các", "những", "toàn"}:
        if _lower(tokens, i + 1, 2) == "chi ,":
            return 2  # "các chi, đảng bộ" (chi bộ and đảng bộ)
        for size in (3, 2, 1):
            if _lower(tokens, i + 1, size) in _UNIT_NOUNS:
                return 1 + size
        return 0
    for size in (3, 2, 1):
        phrase = _lower(tokens, i, size)
        if phrase in _HEADS:
            # A lower-case "tổ chức"/"lãnh đạo" at the start is a verb, not a unit; "lãnh đạo
            # các sở" (the leaders of) is the noun.
            if phrase in {"tổ chức", "lãnh đạo", "cơ quan", "đơn vị", "địa phương"} and (
                first[:1].islower()
            ):
                if phrase == "lãnh đạo" and _lower(tokens, i + 2, 1) in {"các", "những"}:
                    return 2
                return 0
            return size
    return 0


def _is_stop(tokens: Sequence[re.Match[str]], i: int) -> bool:
    """Whether a lower-case predicate word starts at token ``i``."""
    word = tokens[i].group(0)
    if not word[:1].islower():
        return False
    if i >= 1 and (
        (_lower(tokens, i, 2) == "xây dựng" and _lower(tokens, i - 2, 2) == "đầu tư")
        or (_lower(tokens, i, 1) == "trình" and _lower(tokens, i - 1, 1) == "công")
    ):
        # Nouns whose last syllables are also verbs: "dự án đầu tư xây dựng", "các công
        # trình dân dụng" name what a unit manages; the predicate has not begun.
        return False
    if _lower(tokens, i - 1, 2) in _NAME_COMPOUNDS and tokens[i - 1].group(0)[:1].isupper():
        return False
    if _lower(tokens, i, 2) in _NOUN_PAIRS:
        return False
    if any(_lower(tokens, i, size) in PREDICATE_STARTS for size in range(_MAX_STOP, 0, -1)):
        return True
    if _lower(tokens, i, 2) == "tổ chức":
        nxt = tokens[i + 2].group(0).lower() if i + 2 < len(tokens) else ""
        prev = tokens[i - 1].group(0).lower() if i > 0 else ""
        # A verb before its object ("tổ chức tuyển sinh"); a noun before "đảng", "chính trị".
        after = tokens[i + 3].group(0).lower() if i + 3 < len(tokens) else ""
        verb_next = (
            nxt in _TO_CHUC_VERB_NEXT
            or (bool(nxt) and nxt not in UNIT_SYLLABLES)
            # "tổ chức trực ban/trực 24/24" (the verb) vs "tổ chức trực thuộc" (the noun)
            or (nxt == "trực" and after != "thuộc")
        )
        if i > 0 and tokens[i - 1].group(0)[:1].isupper():
            # Right after a name ("các phòng thuộc Sở tổ chức dự ..."), "tổ chức" is the
            # verb unless a noun's next word follows.
            return nxt not in _TO_CHUC_NOUN_NEXT
        return prev not in {"các", "những", ","} and verb_next
    return False


_PHRASE_END = {".", ";", ":", "\u201c", '"', "\u201d"}
_LEVELS = {"xã", "phường", "huyện", "quận", "tỉnh", "thôn", "ấp", "thị trấn"}
_PLURAL_BODIES = {"sở", "bộ", "ban", "ngành", "cơ quan", "đơn vị", "huyện", "xã", "tỉnh"}


def _opens_predicate(tokens: Sequence[re.Match[str]], i: int) -> bool:
    """Whether a predicate word starts at ``i``, whatever its case ("Tổ chức tuyên truyền")."""
    if _lower(tokens, i, 2) == "tổ chức":
        return _lower(tokens, i + 2, 1) not in _TO_CHUC_NOUN_NEXT
    return any(_lower(tokens, i, size) in PREDICATE_STARTS for size in range(_MAX_STOP, 0, -1))


def _lists_names(tokens: Sequence[re.Match[str]], i: int) -> bool:
    """A colon that continues the unit list: "Giám đốc các Sở: Nội vụ, Tài chính", "Các
    Bộ: Quốc phòng, Công an", "Giám đốc: Sở A, Sở B". After a single unit ("Phòng Văn hóa
    huyện: Tổ chức ...") the colon ends a heading."""
    after = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
    if not after[:1].isupper() or _opens_predicate(tokens, i + 1):
        return False
    if any(_lower(tokens, i - n, n) in _TITLES for n in (1, 2, 3) if i >= n):
        return _starts_unit(tokens, i + 1) > 0
    plural = _lower(tokens, i - 1, 1) in _PLURAL_BODIES and i >= 2
    return plural and _lower(tokens, i - 2, 1) in {"các", "những"}


def _name_goes_on(tokens: Sequence[re.Match[str]], segment: int, i: int) -> bool:
    """A comma inside a name: "Phòng Chính trị, tư tưởng phối hợp ..." — lower-case words
    after the comma that name no unit of their own and run straight into the predicate."""
    if segment == 0 or tokens[segment - 1].group(0) != "," or i - segment > 2:
        return False
    first = tokens[segment].group(0)
    if not first[:1].islower() or _starts_unit(tokens, segment) or first.lower() in _UNIT_NOUNS:
        return False
    nxt = i + 1
    return nxt >= len(tokens) or tokens[nxt].group(0) in _PHRASE_END or _is_stop(tokens, nxt)


def unit_phrase(text: str, start: int = 0) -> tuple[str, int] | None:
    """The unit phrase beginning at character ``start``, and where it ends.

    Returns None when no unit head starts there or the phrase never reaches a predicate
    within a sensible length (then it is prose, not a unit list).
    """
    tokens = [t for t in _tokens(text) if t.start() >= start]
    head = _starts_unit(tokens, 0)
    if head == 0:
        return None
    i = 0
    depth = 0
    end_index = None
    proper = False  # the current unit of the list has a capitalised proper name
    segment = 0  # where the current unit of the list began
    while i < len(tokens):
        tok = tokens[i].group(0)
        low = tok.lower()
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and tok == ";" and _starts_unit(tokens, i + 1):
            # "Thủ trưởng các sở, ngành; Chủ tịch UBND các huyện có trách nhiệm ..."
            proper = False
        elif depth == 0 and tok == ":" and _lists_names(tokens, i):
            # "Giám đốc các Sở: Nội vụ, Tài chính; ..." names the bodies after a colon.
            proper = True
        elif depth == 0 and low == "tại" and _lower(tokens, i + 1, 1) == "điều":
            # "các ông, bà có tên tại Điều 1": a reference inside the unit list.
            proper = True
        elif depth == 0 and (tok in _PHRASE_END or (i >= head and _is_stop(tokens, i))):
            end_index = i
            break
        elif depth == 0 and (tok == "," or low in {"và", "cùng"}):
            # A new unit of the list starts; a hyphen stays inside one name.
            proper = False
            segment = i + 1
        elif depth == 0 and tok[:1].isupper() and (i > 0 or low not in {"các", "những"}):
            proper = True
        elif depth == 0 and tok[:1].islower() and not proper and low not in UNIT_SYLLABLES:
            if _name_goes_on(tokens, segment, i):
                i += 1
                continue
            end_index = i
            break
        elif (
            depth == 0
            and tok[:1].islower()
            and i > 0
            and tokens[i - 1].group(0) in _LEVELS
            and low not in UNIT_SYLLABLES
        ):
            # After a lower-case level ("Đoàn Thanh niên xã") only a place name or another
            # unit word can follow; "phun hóa chất" is the predicate.
            end_index = i
            break
        if i > 40:
            return None
        i += 1
    if end_index is None or end_index == 0:
        if end_index is None and i <= 40:
            end_index = len(tokens)
        else:
            return None
    begin = tokens[0].start()
    end = tokens[end_index - 1].end()
    phrase = text[begin:end]
    phrase = re.sub(r"[\s,\-–]+$", "", phrase)
    # An apposition in parentheses says more about the unit; it is not part of its name.
    phrase = re.sub(r"\s*\([^()]*\)$", "", phrase)
    phrase = re.sub(r"\s+(?:và|cùng)$", "", phrase)
    phrase = " ".join(phrase.split())
    if not phrase:
        return None
    return phrase, end


def split_units(phrase: str) -> tuple[str, ...]:
    """Split "A và các cơ quan B" into units; "Sở Khoa học và Công nghệ" stays whole."""
    parts: list[str] = []
    rest = phrase
    while True:
        for m in re.finditer(r"\s+(?:và|cùng)\s+", rest):
            tail = rest[m.end() :]
            if _starts_unit(_tokens(tail), 0):
                parts.append(rest[: m.start()].strip(" ,"))
                rest = tail
                break
        else:
            parts.append(rest.strip(" ,"))
            return tuple(p for p in parts if p)


def is_general(phrase: str) -> bool:
    """True when a phrase names no particular unit, only addressees in general."""
    rest = phrase.lower()
    words = phrase.split()
    if any(w[:1].isupper() for w in words[1:]):
        return False
    rest = re.sub(r"[,;]", " ", rest)
    for term in _GENERAL:
        rest = re.sub(r"(?<!\w)" + re.escape(term) + r"(?!\w)", " ", rest)
    return not rest.strip(" -")


_CONNECTORS = re.compile(
    r"^(?:theo đó|đồng thời|trong đó|do đó|vì vậy|bên cạnh đó|ngoài ra|mặt khác|tiếp đó)\s*,\s*",
    re.I,
)
_FRONTED = re.compile(
    r"(?:Trong|Từ|Đến|Sau|Trước|Trên cơ sở|Để|Nhằm|Đối với|Hằng|Hàng|Định kỳ|Ngay sau)\b"
    r"[^,;:.]{0,80},\s*"
)
# Bodies that govern the units they "chỉ đạo": committees, their leaders, the Government.
_GOVERNING = re.compile(
    r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Chủ tịch|Phó Chủ tịch|Ban Thường vụ|BTV|"
    r"Thường trực|Ban Chấp hành|Tỉnh ủy|Thành ủy|Huyện ủy|Quận ủy|Thị ủy|Đảng ủy|Chính phủ|"
    r"Thủ tướng|Bộ trưởng|Ban Chỉ đạo|Hội đồng nhân dân|HĐND)\b",
    re.I,
)
_ASKERS = re.compile(
    r"\s*(?:xin\s+|trân trọng\s+|thông báo(?:\s+và|\s*,)\s+)?"
    r"(?:yêu cầu|đề nghị|giao(?: cho)?|chỉ đạo|kính đề nghị)(?:\s*:\s*|\s+)",
    re.I,
)
# Fronted clauses before the subject: "Căn cứ ..., sau khi ..., Thường trực HĐND dự kiến ...".
FRONT_OPENERS = re.compile(
    r"^(?:Để|Nhằm|Căn cứ|Trên cơ sở|Sau khi|Trước|Trong|Từ|Đến|Theo|Thực hiện|Qua|Nhân dịp|"
    r"Đối với|Về|Với|Tiếp theo|Ngày)\b",
    re.I,
)


def find_lead(text: str, recipients: Sequence[str]) -> tuple[str, ...] | None:
    """The unit(s) leading the task, ``("@recipients",)``, or None to inherit the parent's."""
    body = _CONNECTORS.sub("", text.strip())
    offset = len(text.strip()) - len(body)
    body_start = offset
    text = text.strip()
    m = re.match(r"(?:Giao(?: cho)?|Đề nghị|Yêu cầu|Kính đề nghị)\s+", body)
    if m:
        found = unit_phrase(text, body_start + m.end())
        return _resolve(found[0], recipients) if found else None
    found = unit_phrase(text, body_start)
    if found is None:
        # A topic label before a colon: "Về công tác tuyên truyền: Sở Văn hóa chủ trì ...".
        label = re.match(r"[^:;.]{3,80}:\s*", body)
        if label:
            return find_lead(body[label.end() :], recipients)
        # A fronted adverbial: "Trong tháng 10/2025, Sở Nội vụ hoàn thành ...".
        fronted = _FRONTED.match(body)
        if fronted and unit_phrase(body, fronted.end()):
            return find_lead(body[fronted.end() :], recipients)
        return _after_fronted(body, recipients)
    phrase, end = found
    asked = _ASKERS.match(text, end)
    directs = asked is not None and asked.group(0).strip().lower() == "chỉ đạo"
    if directs and (not _GOVERNING.match(phrase) or _is_addressee(phrase, recipients)):
        # "Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Kiểm lâm ...": the department is
        # tasked with directing its agency, so it leads. Only a governing body ("UBND tỉnh
        # chỉ đạo các sở ...", the issuer speaking of itself) hands the task to its object.
        asked = None
    if asked:
        # "Ban Thường vụ Thành ủy yêu cầu các cấp ủy ..." — the issuer asks; the object leads.
        obj = unit_phrase(text, asked.end())
        if obj:
            return _resolve(obj[0], recipients)
        # "yêu cầu: từ ngày 30/4 đến hết ngày 03/5, các đơn vị bố trí ...": the one asked
        # comes after a fronted time clause.
        clause = re.split(r"[.;]", text[asked.end() :], maxsplit=1)[0]
        for comma in re.finditer(r",\s*", clause[:200]):
            later = unit_phrase(clause, comma.end())
            if later and later[1] < len(clause) - 3:
                return _resolve(later[0], recipients)
        return everyone(recipients)
    return _resolve(phrase, recipients)


def _after_fronted(body: str, recipients: Sequence[str]) -> tuple[str, ...] | None:
    """The subject after one or more fronted clauses ("Để đáp ứng yêu cầu chỉ đạo, điều hành
    của Chính phủ, Thủ tướng Chính phủ yêu cầu ..."): the first unit after a comma that runs
    into a predicate."""
    if not FRONT_OPENERS.match(body):
        return None
    for m in re.finditer(r"[,;]\s*", body[:500]):
        found = unit_phrase(body, m.end())
        if found and found[1] < len(body) - 3 and body[found[1] :].lstrip()[:1] not in ",;":
            return find_lead(body[m.end() :], recipients)
    return None


def _is_addressee(phrase: str, recipients: Sequence[str]) -> bool:
    """Whether ``phrase`` names one of the "Kính gửi" addressees ("Đồng chí Chủ tịch ...")."""
    low = " ".join(phrase.casefold().split())
    return any(low in " ".join(r.casefold().split()) for r in recipients if len(low) > 5)


def everyone(recipients: Sequence[str]) -> tuple[str, ...]:
    """The lead of an item that names no unit: every addressee, or nobody without a list."""
    return (RECIPIENTS,) if recipients else ()


def _resolve(phrase: str, recipients: Sequence[str]) -> tuple[str, ...]:
    # A phrase that restates the addressees in general words is "every addressee"; one that
    # names units is written as the text gives it (so it holds even if the list was misread).
    # Without a "Kính gửi" list there is nobody for "@recipients" to stand for.
    if is_general(phrase) and recipients:
        return (RECIPIENTS,)
    return split_units(phrase)


_SUPPORT = re.compile(r"(?<!\w)phối hợp(?:\s+(?:chặt chẽ\s+)?(?:với|cùng|của))?\s+", re.I)


def find_support(text: str) -> tuple[str, ...]:
    """Units named after "phối hợp (với)", in text order, without repeats."""
    found: list[str] = []
    for m in _SUPPORT.finditer(text):
        unit = unit_phrase(text, m.end())
        for part in split_units(unit[0]) if unit else ():
            if part not in found:
                found.append(part)
    return tuple(found)


def addressees(text: str) -> str | None:
    """The units a report says were asked to act: the object of "yêu cầu", "đề nghị",
    "chỉ đạo", or of "gửi" right after the dispatch it reports ("Công văn số 12 gửi ...")."""
    asks = r"(?:yêu cầu|đề nghị|chỉ đạo|(?<=\d)\s+gửi|(?<=[\w/\-])\s+gửi(?=\s+các\b))\s+"
    for m in re.finditer(asks, text, re.IGNORECASE):
        found = unit_phrase(text, m.end())
        if found:
            return found[0]
    return None
