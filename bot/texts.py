"""Every Vietnamese string the bot (and the CLI) says to a person.

Fixed text is a constant; parameterised text is a small function that escapes
user-supplied content with ``html.escape`` (messages are sent with HTML parse mode).
Keep each area in its own section; all strings are NFC (a test checks it).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

__all__ = ["esc"]


def esc(value: object) -> str:
    """Escape user or document content for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=False)


# --- Settings and CLI -------------------------------------------------------------------------

SETTINGS_ERRORS = {
    "missing": (
        "Chưa có {variable}. Hãy tạo bot với @BotFather trên Telegram (lệnh /newbot), "
        "rồi ghi token vào tệp .env: {variable}=<token>."
    ),
    "bad_token": (
        "{variable} không đúng dạng token của Telegram (ví dụ 123456:ABC...). "
        "Hãy chép lại token từ @BotFather vào tệp .env."
    ),
    "bad_url": "{variable} phải là một địa chỉ http(s) hợp lệ; giá trị hiện tại: {value}.",
    "bad_database_url": (
        "{variable} phải có dạng sqlite:///đường/dẫn.db hoặc "
        "postgresql://người_dùng@máy:5432/tên_csdl; giá trị hiện tại: {value}."
    ),
    "bad_timezone": "{variable} không phải múi giờ hợp lệ (ví dụ Asia/Ho_Chi_Minh): {value}.",
    "bad_ids": "{variable} phải là các số Telegram ID cách nhau bởi dấu phẩy: {value}.",
    "bad_int": "{variable} phải là một số nguyên trong khoảng cho phép: {value}.",
    "bad_bool": "{variable} chỉ nhận true hoặc false: {value}.",
    "bad_choice": "{variable} không nhận giá trị {value}.",
    "bad_time": "{variable} phải có dạng giờ:phút, ví dụ 08:00: {value}.",
    "bad_quiet_hours": "{variable} phải có dạng 20:00-07:00: {value}.",
    "bad_offsets": "{variable} phải là các số ngày cách nhau bởi dấu phẩy, ví dụ 7,3,1,0: {value}.",
    "bad_weekdays": "{variable} phải là các ngày như mon,tue,wed,thu,fri: {value}.",
    "bad_cron": "{variable} phải là biểu thức cron 5 trường, ví dụ 0 8 * * mon: {value}.",
}


def settings_error(variable: str, code: str, value: str | None = None) -> str:
    """One line for the operator, naming the variable and what to do (plain text, no HTML)."""
    template = SETTINGS_ERRORS.get(code, "{variable} không hợp lệ: {value}.")
    return "Lỗi cấu hình: " + template.format(variable=variable, value=value or "")


CLI_DB_UPGRADED = "Đã cập nhật cơ sở dữ liệu lên phiên bản mới nhất."
CLI_DB_FAILED = "Không kết nối hoặc cập nhật được cơ sở dữ liệu ({url}): {error}"
CLI_STARTING_POLLING = "Nhắc Việc đang chạy (long polling). Nhấn Ctrl+C để dừng."
CLI_STARTING_WEBHOOK = "Nhắc Việc đang chạy (webhook {url}). Nhấn Ctrl+C để dừng."
CLI_FILE_NOT_FOUND = "Không tìm thấy tệp: {path}"

# --- Start and registration -------------------------------------------------------------------

REDEEM_REGISTERED = (
    "Đăng ký thành công! Anh/Chị đã được ghi nhận là <b>{role}</b>{unit}.\n"
    "Từ nay Nhắc Việc sẽ gửi nhiệm vụ và lời nhắc hạn tới đây. Gõ /help để xem các lệnh."
)
REDEEM_GROUP_BOUND = (
    "Đã gắn nhóm này với đơn vị <b>{unit}</b>. Nhiệm vụ và lời nhắc của đơn vị "
    "sẽ được gửi vào nhóm."
)
REDEEM_REFUSED = {
    "invalid": (
        "Mã mời không đúng. Xin kiểm tra lại đường link hoặc đề nghị văn phòng cấp link mới."
    ),
    "used": (
        "Mã mời này đã được sử dụng. Mỗi link chỉ dùng được một lần; "
        "xin đề nghị văn phòng cấp link mới."
    ),
    "expired": "Mã mời đã hết hạn. Xin đề nghị văn phòng cấp link mới.",
    "revoked": "Mã mời đã bị thu hồi. Xin liên hệ văn phòng.",
    "group_needs_unit": "Chỉ link mời của một đơn vị mới gắn được vào nhóm chat.",
}


def redeem_registered(role_label: str, unit_name: str | None) -> str:
    unit = f" của <b>{esc(unit_name)}</b>" if unit_name else ""
    return REDEEM_REGISTERED.format(role=esc(role_label), unit=unit)


def redeem_group_bound(unit_name: str | None) -> str:
    return REDEEM_GROUP_BOUND.format(unit=esc(unit_name or ""))


LEFT = (
    "Anh/Chị đã rời khỏi Nhắc Việc. Cảm ơn Anh/Chị. "
    "Muốn dùng lại, xin đề nghị văn phòng cấp link mời mới."
)
LEAVE_CONFIRM = (
    "Anh/Chị có chắc muốn rời khỏi Nhắc Việc? "
    "Sau đó sẽ không nhận được nhiệm vụ và lời nhắc nữa."
)
BUTTON_LEAVE = "Rời khỏi"
BUTTON_CANCEL = "Hủy"
CANCELLED = "Đã hủy, không có gì thay đổi."

INVITE_USAGE = (
    "Cách dùng: /moi &lt;vai trò&gt; &lt;tên đơn vị&gt;\n"
    "Vai trò: <code>truong</code> (trưởng đơn vị), <code>canbo</code> (cán bộ), "
    "<code>theodoi</code> (lãnh đạo theo dõi), <code>quantri</code> (quản trị).\n"
    "Ví dụ: /moi truong Sở Nội vụ"
)
INVITE_UNIT_NOT_FOUND = "Không tìm thấy đơn vị «{name}». {hint}"
INVITE_UNIT_CANDIDATES = "Có phải Anh/Chị muốn: {names}?"
INVITE_CREATED = (
    "Link mời cho <b>{role}</b>{unit} (dùng một lần, hết hạn lúc {expires}):\n{link}\n\n"
    "Gửi link này cho đúng người cần đăng ký. Để gắn nhóm chat của đơn vị, thêm bot vào nhóm "
    "rồi gửi trong nhóm: <code>/start {code}</code>"
)


def invite_created(
    role_label: str, unit_name: str | None, expires: str, link: str, code: str
) -> str:
    unit = f" — {esc(unit_name)}" if unit_name else ""
    return INVITE_CREATED.format(
        role=esc(role_label), unit=unit, expires=esc(expires), link=esc(link), code=esc(code)
    )


def invite_unit_not_found(name: str, candidates: list[str]) -> str:
    names = ", ".join(esc(c) for c in candidates)
    hint = INVITE_UNIT_CANDIDATES.format(names=names) if candidates else ""
    return INVITE_UNIT_NOT_FOUND.format(name=esc(name), hint=hint).strip()


# Role words an admin may type after /moi, with or without diacritics.
ROLE_WORDS = {
    "truong": "head",
    "truongdonvi": "head",
    "head": "head",
    "canbo": "member",
    "thanhvien": "member",
    "member": "member",
    "theodoi": "supervisor",
    "lanhdao": "supervisor",
    "supervisor": "supervisor",
    "quantri": "admin",
    "admin": "admin",
}

WELCOME_UNREGISTERED = (
    "Xin chào! Đây là <b>Nhắc Việc</b>, trợ lý theo dõi nhiệm vụ từ công văn, kế hoạch "
    "của cơ quan.\n\n"
    "Tài khoản của Anh/Chị chưa được đăng ký. Để sử dụng, xin đề nghị bộ phận văn phòng "
    "(quản trị viên) gửi cho Anh/Chị <b>đường link mời</b> của đơn vị mình, rồi bấm vào "
    "đường link đó. Mỗi link chỉ dùng được một lần.\n\n"
    "Mã Telegram của Anh/Chị: <code>{user_id}</code> (gửi kèm khi đề nghị cấp link)."
)


def welcome_unregistered(user_id: int) -> str:
    return WELCOME_UNREGISTERED.format(user_id=user_id)


def welcome_back(name: str, role_label: str, unit_name: str | None) -> str:
    where = f" — {esc(unit_name)}" if unit_name else ""
    return (
        f"Xin chào {esc(name)}! Anh/Chị đang dùng Nhắc Việc với vai trò "
        f"<b>{esc(role_label)}</b>{where}.\nGõ /help để xem các lệnh."
    )


ROLE_LABELS = {
    "admin": "quản trị viên",
    "supervisor": "lãnh đạo, theo dõi",
    "head": "trưởng đơn vị",
    "member": "cán bộ đơn vị",
}

HELP_UNIT = (
    "<b>Các lệnh của Nhắc Việc</b>\n"
    "/viec — nhiệm vụ của đơn vị\n"
    "/tonghop — tình hình thực hiện của đơn vị\n"
    "/roi — rời khỏi đơn vị\n\n"
    "Khi hoàn thành một nhiệm vụ, hãy trả lời (reply) tin nhắn nhiệm vụ bằng "
    "«xong» kèm ghi chú nếu có; muốn xin gia hạn, trả lời «xin gia hạn đến dd/mm»."
)
HELP_SUPERVISOR = (
    "<b>Các lệnh của Nhắc Việc</b>\n"
    "Gửi tệp công văn (.docx, .pdf, .txt) hoặc dán nội dung để tạo nhiệm vụ.\n"
    "/tonghop — tổng hợp tình hình thực hiện\n"
    "/quahan — danh sách nhiệm vụ quá hạn\n"
    "/donvi &lt;tên&gt; — tình hình của một đơn vị\n"
    "/nhiemvu &lt;mã&gt; — lịch sử một nhiệm vụ\n"
    "/han &lt;mã&gt; &lt;ngày&gt; — đặt hạn cho nhiệm vụ\n"
    "/xuat — xuất báo cáo Excel\n"
    "/moi — tạo link mời cho đơn vị\n"
    "/roi — rời khỏi hệ thống"
)

# --- Access control ---------------------------------------------------------------------------

NOT_REGISTERED = (
    "Anh/Chị chưa đăng ký sử dụng Nhắc Việc nên chưa thể dùng chức năng này. "
    "Gõ /start để xem hướng dẫn đăng ký."
)
NOT_ALLOWED = "Xin lỗi, chức năng này chỉ dành cho bộ phận văn phòng hoặc lãnh đạo theo dõi."
NOT_YOURS = "Nút này không thuộc về Anh/Chị hoặc đã hết hiệu lực; không có gì thay đổi."
UNKNOWN_COMMAND = "Xin lỗi, Nhắc Việc không hiểu lệnh {command}. Gõ /help để xem các lệnh."
UNKNOWN_MESSAGE = (
    "Nhắc Việc chưa hiểu tin nhắn này. Để báo cáo một nhiệm vụ, hãy trả lời (reply) "
    "đúng tin nhắn nhiệm vụ đó. Gõ /help để xem các lệnh."
)
INTERNAL_ERROR = (
    "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Dữ liệu đã lưu không bị ảnh hưởng; "
    "Anh/Chị vui lòng thử lại sau ít phút."
)


def unknown_command(command: str) -> str:
    return UNKNOWN_COMMAND.format(command=esc(command))


# --- Dispatch parsing (ingest) ----------------------------------------------------------------

INGEST_HEAD_REF = "Mục"
INGEST_HEAD_LEAD = "Chủ trì"
INGEST_HEAD_SUPPORT = "Phối hợp"
INGEST_HEAD_DUE = "Thời hạn"
INGEST_HEAD_TEXT = "Nội dung"
INGEST_NONE = "—"
INGEST_RECIPIENTS = "Các đơn vị được gửi"
INGEST_LABEL_KIND = "Loại văn bản"
INGEST_LABEL_NUMBER = "Số"
INGEST_LABEL_ISSUER = "Cơ quan ban hành"
INGEST_LABEL_ISSUED_ON = "Ngày ban hành"
INGEST_LABEL_SUBJECT = "Trích yếu"
INGEST_LABEL_SIGNER = "Người ký"
INGEST_LABEL_RECIPIENTS = "Kính gửi"
INGEST_LABEL_TASKS = "Nhiệm vụ"

INGEST_KINDS = {
    "cong_van": "Công văn",
    "ke_hoach": "Kế hoạch",
    "thong_bao": "Thông báo",
    "quyet_dinh": "Quyết định",
    "chi_thi": "Chỉ thị",
    "article": "Bài báo đưa tin",
    "other": "Văn bản khác",
}
INGEST_DUE_KINDS = {
    "deadline": "hạn",
    "start": "bắt đầu",
    "recurring": "thường xuyên/định kỳ",
    "on_request": "khi có yêu cầu",
    "after_event": "sau khi có văn bản/hướng dẫn",
    "roadmap": "theo lộ trình",
}

_INGEST_ERRORS = {
    "empty": "Tệp rỗng, không có nội dung để đọc.",
    "binary": "Tệp không phải văn bản đọc được (có thể là tệp nhị phân hoặc sai mã hóa).",
    "too_large": "Tệp quá lớn (tối đa {limit_mb} MB).",
    "no_text_layer": (
        "Tệp là bản quét, không có lớp chữ và máy chủ chưa cài OCR (tesseract). "
        "Vui lòng gửi bản .docx hoặc PDF có chữ."
    ),
    "legacy_doc": (
        "Tệp .doc (Word 97–2003) cần LibreOffice để chuyển đổi nhưng máy chủ chưa cài. "
        "Vui lòng lưu lại thành .docx rồi gửi lại."
    ),
    "corrupt": "Tệp bị hỏng hoặc không đúng định dạng, không mở được.",
    "no_tasks": "Không tìm thấy nhiệm vụ nào trong văn bản.",
    "not_dispatch": "Nội dung không giống một công văn, kế hoạch hay thông báo.",
    "unsupported": "Định dạng tệp chưa được hỗ trợ. Hãy gửi .txt, .docx hoặc .pdf.",
    "not_found": "Không tìm thấy tệp: {path}",
    "unreadable": "Không đọc được tệp: {path}",
}


def ingest_error(code: str, **params: object) -> str:
    """The Vietnamese message for an ingest error code (see ingest.errors.ERROR_CODES)."""
    if code == "too_large":
        limit = params.get("limit_bytes")
        mb = int(limit) // (1024 * 1024) if isinstance(limit, int) else 20
        return _INGEST_ERRORS["too_large"].format(limit_mb=mb)
    template = _INGEST_ERRORS.get(code, "Không xử lý được văn bản (mã lỗi: {code}).")
    values = {"code": code, "path": "", **{k: esc(v) for k, v in params.items()}}
    return template.format(**values)

# --- Unit registry and matching ---------------------------------------------------------------

from services.unit_csv import CsvProblem  # noqa: E402  (sections are edited independently)

UNIT_CSV_REFUSED = (
    "Chưa nhập danh sách đơn vị: tệp có lỗi, không dòng nào được nhập. Sửa rồi gửi lại."
)

_UNIT_CSV_PROBLEMS = {
    "not_utf8": "tệp không ở mã UTF-8; hãy lưu lại dưới dạng «CSV UTF-8»",
    "empty_file": "tệp trống; dòng đầu phải là tiêu đề name,aliases,groups",
    "bad_header": "dòng tiêu đề không có cột name",
    "bad_column_count": "số ô không khớp với dòng tiêu đề",
    "empty_name": "thiếu tên đơn vị",
    "duplicate_name": "tên đơn vị trùng với một dòng phía trên",
    "alias_clash": "tên gọi này đã là tên hoặc tên gọi khác của một đơn vị khác",
}


def unit_csv_problem(problem: CsvProblem) -> str:
    """One problem of an imported unit list, as a line of the reply."""
    reason = _UNIT_CSV_PROBLEMS.get(problem.code, problem.code)
    value = f": <code>{esc(problem.value)}</code>" if problem.value else ""
    return f"Dòng {problem.line}: {reason}{value}"


def unit_csv_problems(problems: list[CsvProblem] | tuple[CsvProblem, ...], limit: int = 20) -> str:
    """The refusal message listing the first ``limit`` problems of an imported unit list."""
    lines = [UNIT_CSV_REFUSED, *(unit_csv_problem(p) for p in problems[:limit])]
    if len(problems) > limit:
        lines.append(f"… và {len(problems) - limit} lỗi khác.")
    return "\n".join(lines)


# --- Replies: completion, progress, extension -------------------------------------------------

DATE_INPUT_HINT = (
    "Vui lòng nhập ngày theo dạng dd/mm/yyyy, ví dụ 20/10/2025. "
    "Cũng có thể viết «ngày 20 tháng 10», «cuối tháng 11», «thêm 5 ngày» hoặc «1 tuần»."
)
DATE_INPUT_ERRORS = {
    "empty": "Anh/Chị chưa nhập ngày.",
    "unrecognised": "Nhắc Việc chưa đọc được ngày trong tin nhắn của Anh/Chị.",
    "not_a_date": "Ngày {fragment} không tồn tại.",
    "in_the_past": "Ngày {fragment} đã qua.",
}
DATE_INPUT_ERROR_FALLBACK = "Ngày vừa nhập chưa hợp lệ."


def date_input_error(code: str, fragment: str | None = None) -> str:
    """Why a typed date was refused (codes of ``services.date_input.DateInputError``)."""
    reason = DATE_INPUT_ERRORS.get(code, DATE_INPUT_ERROR_FALLBACK)
    if "{fragment}" in reason:
        reason = reason.format(fragment=esc(fragment)) if fragment else DATE_INPUT_ERROR_FALLBACK
    return f"{reason} {DATE_INPUT_HINT}"


# --- Reminders --------------------------------------------------------------------------------

# --- Summaries --------------------------------------------------------------------------------


# --- Dispatch review and assignment ------------------------------------------------------------

DUE_KIND_LABELS = {
    "deadline": "Hạn",
    "start": "Bắt đầu",
    "recurring": "Thường xuyên",
    "on_request": "Khi có yêu cầu",
    "after_event": "Chờ văn bản/sự kiện",
    "roadmap": "Theo lộ trình",
}
DISPATCH_KIND_LABELS = {
    "cong_van": "Công văn",
    "ke_hoach": "Kế hoạch",
    "thong_bao": "Thông báo",
    "quyet_dinh": "Quyết định",
    "chi_thi": "Chỉ thị",
    "article": "Bài viết",
    "other": "Văn bản",
}
NO_DEADLINE = "không có hạn"
UNMATCHED = "⚠ chưa khớp"
NO_LEAD = "⚠ chưa có đơn vị chủ trì"

DRAFT_FOOTER = (
    "Đây là <b>bản nháp</b>, chưa gửi cho đơn vị nào. Kiểm tra và sửa nếu cần, "
    "rồi bấm «Xác nhận, giao việc». Bản nháp hết hạn lúc {expires}."
)
BUTTON_EDIT = "✏️ Sửa nhiệm vụ"
BUTTON_ADD = "➕ Thêm nhiệm vụ"
BUTTON_CONFIRM = "✅ Xác nhận, giao việc"
BUTTON_DISCARD = "🗑 Hủy bản nháp"
BUTTON_SHOW = "📋 Xem lại bản nháp"
BUTTON_BACK = "« Quay lại"
BUTTON_CHANGE_LEAD = "Đổi đơn vị chủ trì"
BUTTON_SET_DUE = "Đặt hạn"
BUTTON_CLEAR_DUE = "Xóa hạn"
BUTTON_DROP = "Bỏ nhiệm vụ này"
BUTTON_SEARCH_UNIT = "🔎 Tìm đơn vị khác"

PICK_TASK = "Chọn nhiệm vụ cần sửa:"
TASK_MENU = "Nhiệm vụ <b>{ref}</b>: {words}\nChọn việc cần sửa:"
PICK_LEAD = "Chọn đơn vị chủ trì cho nhiệm vụ <b>{ref}</b>, hoặc tìm theo tên:"
ASK_UNIT_NAME = "Nhập tên đơn vị cần tìm (ví dụ: Sở Nội vụ):"
ASK_DUE_DATE = (
    "Nhập hạn cho nhiệm vụ <b>{ref}</b>, ví dụ: 20/10, 20/10/2025, cuối tháng 11. "
    "Gõ /huy để thôi."
)
ASK_TASK_TEXT = "Nhập nội dung nhiệm vụ cần thêm (một tin nhắn). Gõ /huy để thôi."
UNIT_SEARCH_EMPTY = "Không tìm thấy đơn vị nào giống «{name}». Xin nhập lại tên khác."
EDIT_DONE = "Đã cập nhật nhiệm vụ {ref}."
TASK_DROPPED = "Đã bỏ nhiệm vụ {ref} khỏi bản nháp."
TASK_ADDED = "Đã thêm nhiệm vụ {ref}. Hãy chọn đơn vị chủ trì cho nhiệm vụ này."
DRAFT_ERRORS = {
    "stale": (
        "Bản nháp vừa được người khác sửa. Không có gì bị ghi đè; "
        "bản nháp mới nhất được gửi lại dưới đây."
    ),
    "expired": "Bản nháp này đã hết hạn hoặc đã bị hủy. Xin gửi lại văn bản nếu cần.",
    "gone": "Không tìm thấy nhiệm vụ hoặc đơn vị này; không có gì thay đổi.",
    "confirmed": "Văn bản này đã được xác nhận và giao việc rồi.",
}
DRAFT_DISCARDED = "Đã hủy bản nháp. Không có nhiệm vụ nào được giao."
INPUT_CANCELLED = "Đã thôi, không có gì thay đổi."
NOTHING_TO_CANCEL = "Không có thao tác nào đang chờ."

RECEIVING = "Đã nhận «{name}», đang đọc văn bản…"
FILE_TOO_BIG = (
    "Tệp «{name}» lớn hơn {limit} MB nên Telegram không cho bot tải về. "
    "Xin gửi bản nhỏ hơn (ví dụ PDF đã nén) hoặc dán nội dung văn bản."
)
FILE_DOWNLOAD_FAILED = "Không tải được tệp «{name}» từ Telegram. Xin gửi lại sau ít phút."
ONLY_OFFICE_INGESTS = (
    "Cảm ơn Anh/Chị. Việc gửi công văn mới để giao nhiệm vụ chỉ dành cho bộ phận văn phòng. "
    "Nếu đây là báo cáo kết quả, xin trả lời (reply) đúng tin nhắn nhiệm vụ kèm tệp."
)
DUPLICATE_DISPATCH = (
    "⚠ Văn bản này đã được nhập trước đây{when}: <b>{title}</b> ({tasks} nhiệm vụ). "
    "Không tạo bản trùng."
)
EXISTING_DRAFT = "Văn bản này đang có bản nháp chưa xác nhận; bản nháp đó được gửi lại dưới đây."

CONFIRMED = "✅ Đã giao {assignments} nhiệm vụ của văn bản <b>{title}</b> cho {units} đơn vị."
CONFIRMED_NO_CONTACT = (
    "Các đơn vị sau chưa có ai đăng ký nhận tin, nên chưa nhận được nhiệm vụ "
    "(hãy gửi link mời bằng /moi): {names}"
)
CONFIRMED_NO_LEAD = "Các nhiệm vụ chưa có đơn vị chủ trì nên chưa giao: {refs}"

NEW_TASK = (
    "📌 <b>Nhiệm vụ mới</b> — {title}\n"
    "{subject}"
    "Nhiệm vụ <b>{ref}</b>: {text}\n"
    "{deadline}\n\n"
    "Khi hoàn thành, bấm ✅ hoặc trả lời (reply) tin này bằng «xong» kèm ghi chú."
)
SUPPORT_COPY = (
    "ℹ️ <b>Phối hợp</b> — {title}\n"
    "Đơn vị được đề nghị phối hợp thực hiện nhiệm vụ <b>{ref}</b>: {text}\n"
    "Chủ trì: {leads}\n{deadline}\n(Tin để biết, không cần báo cáo hoàn thành.)"
)
BUTTON_DONE = "✅ Hoàn thành"
BUTTON_EXTEND = "🕒 Xin gia hạn"
BUTTON_ORIGINAL = "📄 Văn bản gốc"
ORIGINAL_MISSING = "Văn bản gốc không còn lưu trên máy chủ; xin liên hệ văn phòng."


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def first_words(text: str, count: int = 16) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def dispatch_title(kind: str, number: str | None, subject: str | None) -> str:
    label = DISPATCH_KIND_LABELS.get(kind, "Văn bản")
    if number:
        return f"{label} số {esc(number)}"
    return f"{label} «{esc(first_words(subject or '', 10))}»"


def unit_list(names: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(esc(n) for n in names[:limit])
    more = len(names) - limit
    return f"{shown} và {more} đơn vị khác" if more > 0 else shown


def due_line(kind: str, on: date | None, phrase: str) -> str:
    label = DUE_KIND_LABELS.get(kind, kind)
    when = f" {fmt_date(on)}" if on else ""
    return f"{label}{when} ({esc(phrase)})" if phrase else f"{label}{when}"


def draft_header(
    kind: str,
    number: str | None,
    issuer: str | None,
    issued_on: date | None,
    subject: str | None,
    task_count: int,
) -> str:
    lines = [f"📄 <b>Bản nháp — {dispatch_title(kind, number, subject)}</b>"]
    if number:
        lines.append(f"Số: {esc(number)}")
    if issuer:
        lines.append(f"Cơ quan ban hành: {esc(issuer)}")
    if issued_on:
        lines.append(f"Ngày: {fmt_date(issued_on)}")
    if subject:
        lines.append(f"Trích yếu: {esc(subject)}")
    lines.append(f"Số nhiệm vụ: <b>{task_count}</b>")
    return "\n".join(lines)


def draft_task(
    ref: str,
    text: str,
    leads: Sequence[str],
    unmatched: Sequence[str],
    supports: Sequence[str],
    dues: Sequence[tuple[str, date | None, str]],
) -> str:
    lead_parts = []
    if leads:
        lead_parts.append(unit_list(leads))
    if unmatched:
        lead_parts.append(f"{UNMATCHED}: " + ", ".join(f"«{esc(n)}»" for n in unmatched))
    lines = [
        f"<b>{esc(ref)}.</b> {esc(first_words(text))}",
        "   Chủ trì: " + ("; ".join(lead_parts) if lead_parts else NO_LEAD),
    ]
    if supports:
        lines.append("   Phối hợp: " + unit_list(supports))
    timing = "; ".join(due_line(k, d, p) for k, d, p in dues) if dues else NO_DEADLINE
    lines.append("   ⏰ " + timing)
    return "\n".join(lines)


def draft_footer(expires: str) -> str:
    return DRAFT_FOOTER.format(expires=esc(expires))


def duplicate_dispatch(title: str, when: str | None, tasks: int) -> str:
    suffix = f" ({esc(when)})" if when else ""
    return DUPLICATE_DISPATCH.format(title=title, when=suffix, tasks=tasks)


def task_menu(ref: str, text: str) -> str:
    return TASK_MENU.format(ref=esc(ref), words=esc(first_words(text, 12)))


def deadline_text(on: date | None, phrase: str | None) -> str:
    if on is None:
        return f"⏰ {esc(phrase)}" if phrase else f"⏰ Hạn: {NO_DEADLINE}"
    extra = f" ({esc(phrase)})" if phrase else ""
    return f"⏰ Hạn: <b>{fmt_date(on)}</b>{extra}"


def new_task(title: str, subject: str | None, ref: str, text: str, deadline: str) -> str:
    return NEW_TASK.format(
        title=title,
        subject=f"<i>{esc(subject)}</i>\n" if subject else "",
        ref=esc(ref),
        text=esc(text),
        deadline=deadline,
    )


def support_copy(title: str, ref: str, text: str, leads: Sequence[str], deadline: str) -> str:
    return SUPPORT_COPY.format(
        title=title, ref=esc(ref), text=esc(text), leads=unit_list(leads), deadline=deadline
    )


def confirmed(assignments: int, title: str, units: int) -> str:
    return CONFIRMED.format(assignments=assignments, title=title, units=units)


# --- Unit task list ---------------------------------------------------------------------------

MY_TASKS_EMPTY = "Đơn vị {unit} hiện không có nhiệm vụ nào đang mở. Cảm ơn Anh/Chị!"
MY_TASKS_HEADER = "📋 <b>Nhiệm vụ đang mở của {unit}</b> ({count})"
MY_TASKS_OFFICE = "Lệnh /viec dành cho đơn vị. Bộ phận văn phòng xem tình hình bằng /tonghop."
STATUS_LABELS = {
    "open": "đang thực hiện",
    "extension_requested": "đang xin gia hạn",
    "done": "đã hoàn thành",
}


def my_task_line(
    assignment_id: int,
    ref: str,
    text: str,
    title: str,
    due_on: date | None,
    status: str,
    today: date,
) -> str:
    if due_on is None:
        when = NO_DEADLINE
    elif due_on < today:
        when = f"quá hạn {(today - due_on).days} ngày (hạn {fmt_date(due_on)})"
    else:
        when = f"hạn {fmt_date(due_on)}, còn {(due_on - today).days} ngày"
    state = STATUS_LABELS.get(status, status)
    return (
        f"• <b>#{assignment_id}</b> {title}, nhiệm vụ {esc(ref)}: {esc(first_words(text, 12))}\n"
        f"   ⏰ {when} — {state}"
    )
