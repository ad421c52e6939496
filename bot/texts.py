"""Every Vietnamese string the bot (and the CLI) says to a person.

Fixed text is a constant; parameterised text is a small function that escapes
user-supplied content with ``html.escape`` (messages are sent with HTML parse mode).
Keep each area in its own section; all strings are NFC (a test checks it).
"""

from __future__ import annotations

import html

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

# --- Unit registry and matching ---------------------------------------------------------------

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
