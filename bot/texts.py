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
        "{variable} không đúng dạng token của Telegram (số của bot, dấu hai chấm, rồi ít nhất 20 "
        "chữ, số, _ hoặc -; ví dụ 110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw). "
        "Hãy chép lại token từ @BotFather vào tệp .env."
    ),
    "bad_url": "{variable} phải là một địa chỉ http(s) hợp lệ; giá trị hiện tại: {value}.",
    "webhook_not_https": (
        "{variable} phải dùng https (Telegram yêu cầu); http chỉ dùng được với 127.0.0.1 hoặc "
        "localhost, khi reverse proxy chạy cùng máy. Giá trị hiện tại: {value}."
    ),
    "bad_webhook_secret": (
        "{variable} chỉ được gồm 1–256 ký tự A-Z, a-z, 0-9, dấu _ và dấu - (quy định của Telegram)."
    ),
    "bad_database_url": (
        "{variable} phải có dạng sqlite:///đường/dẫn.db hoặc "
        "postgresql://người_dùng@máy:5432/tên_csdl; giá trị hiện tại: {value}."
    ),
    "bad_timezone": "{variable} không phải múi giờ hợp lệ (ví dụ Asia/Ho_Chi_Minh): {value}.",
    "bad_ids": "{variable} phải là các số Telegram ID cách nhau bởi dấu phẩy: {value}.",
    "bad_int": "{variable} phải là một số nguyên trong khoảng cho phép: {value}.",
    "bad_bool": "{variable} chỉ nhận true hoặc false: {value}.",
    "bad_choice": "{variable} không nhận giá trị {value}.",
    "bad_reporting_rule": (
        "{variable} phải có dạng kỳ[:tháng]:ngày, ví dụ month:19 (hằng tháng, hạn ngày 19), "
        "quarter:3:14, year:6:9,year:12:9, week:5 hoặc day; giá trị hiện tại: {value}."
    ),
    "bad_time": "{variable} phải có dạng giờ:phút, ví dụ 08:00: {value}.",
    "bad_quiet_hours": "{variable} phải có dạng 20:00-07:00: {value}.",
    "bad_offsets": "{variable} phải là các số ngày cách nhau bởi dấu phẩy, ví dụ 7,3,1,0: {value}.",
    "bad_weekdays": "{variable} phải là các ngày như mon,tue,wed,thu,fri: {value}.",
    "bad_cron": "{variable} phải là biểu thức cron 5 trường, ví dụ 0 8 * * mon: {value}.",
    "bad_dates": (
        "{variable} phải là các ngày dạng ngày/tháng/năm cách nhau bởi dấu phẩy, "
        "ví dụ 02/01/2027,05/02/2027: {value}."
    ),
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

# `nhacviec calendar [NĂM]`: the days off the bot uses (plain text).
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
CLI_CALENDAR_TITLE = "Lịch nghỉ năm {year} mà Nhắc Việc dùng (dời lời nhắc, tính «ngày làm việc»):"
CLI_CALENDAR_HOLIDAYS = "Ngày lễ, Tết và ngày nghỉ khác ({count} ngày):"
CLI_CALENDAR_EXTRA_DAY_OFF = "Ngày nghỉ theo EXTRA_DAYS_OFF"
CLI_CALENDAR_NONE = "  (không có)"
CLI_CALENDAR_BAD_YEAR = "năm phải là một số từ 1995 đến 2100: {value}"
CLI_CALENDAR_WEEKLY = "Nghỉ hằng tuần: {days} ({count} ngày khác trong năm)."
CLI_CALENDAR_NO_WEEKLY = "Không có ngày nghỉ hằng tuần (WORKING_DAYS gồm cả tuần)."
CLI_CALENDAR_WORKED = "Ngày vẫn làm việc (làm bù, EXTRA_WORKING_DAYS): {days}."
CLI_CALENDAR_TOTAL = "Tổng cộng: {off} ngày nghỉ, {working} ngày làm việc."
CLI_CALENDAR_SOURCE = (
    "Nguồn: gói holidays {version} (Bộ luật Lao động 2019, Điều 112) và các biến "
    "WORKING_DAYS, EXTRA_DAYS_OFF, EXTRA_WORKING_DAYS trong .env."
)


def weekday_name(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def cli_calendar_line(day: date, name: str | None, extra: bool) -> str:
    label = name or (CLI_CALENDAR_EXTRA_DAY_OFF if extra else "")
    if extra and name:
        label = f"{name} ({CLI_CALENDAR_EXTRA_DAY_OFF})"
    return f"  {fmt_date(day)}  {weekday_name(day):<9} {label}".rstrip()


# Telegram's command menu: each command's description. Who sees which: bot/menus.py.
MENU_DESCRIPTIONS = {
    "start": "Bắt đầu, đăng ký",
    "help": "Các lệnh",
    "viec": "Nhiệm vụ của đơn vị",
    "tonghop": "Tổng hợp tình hình thực hiện",
    "quahan": "Nhiệm vụ quá hạn",
    "nhiemvu": "Lịch sử một nhiệm vụ",
    "donvi": "Tình hình một đơn vị",
    "xuat": "Xuất báo cáo Excel",
    "baocao": "Báo cáo chính thức .docx để ký",
    "han": "Đặt hạn cho nhiệm vụ",
    "tralai": "Trả lại nhiệm vụ chưa đạt",
    "dungky": "Dừng một báo cáo định kỳ",
    "baongay": "Bật/tắt báo ngay khi đơn vị hoàn thành",
    "moi": "Tạo link mời",
    "dsdonvi": "Danh sách đơn vị",
    "themdonvi": "Thêm đơn vị",
    "doiten": "Đổi tên đơn vị",
    "themnhom": "Đưa đơn vị vào nhóm",
    "thuhoi": "Thu hồi quyền của một người",
    "tatnhac": "Tạm tắt nhắc hạn của đơn vị",
    "batnhac": "Bật lại nhắc hạn của đơn vị",
    "huy": "Thôi thao tác đang làm",
    "roi": "Rời khỏi Nhắc Việc",
}

# --- Start and registration -------------------------------------------------------------------

REDEEM_REGISTERED = (
    "Đăng ký thành công! Anh/Chị đã được ghi nhận là <b>{role}</b>{unit}.\n"
    "Từ nay Nhắc Việc sẽ gửi nhiệm vụ và lời nhắc hạn tới đây. Gõ /help để xem các lệnh."
)
REDEEM_REGISTERED_OFFICE = (
    "Đăng ký thành công! Anh/Chị đã được ghi nhận là <b>{role}</b>.\n"
    "Anh/Chị có thể gửi công văn tới đây để giao nhiệm vụ và theo dõi tình hình thực hiện. "
    "Gõ /help để xem các lệnh."
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
    if not unit_name:
        return REDEEM_REGISTERED_OFFICE.format(role=esc(role_label))
    return REDEEM_REGISTERED.format(role=esc(role_label), unit=f" của <b>{esc(unit_name)}</b>")


def redeem_group_bound(unit_name: str | None) -> str:
    return REDEEM_GROUP_BOUND.format(unit=esc(unit_name or ""))


LEFT = (
    "Anh/Chị đã rời khỏi Nhắc Việc. Cảm ơn Anh/Chị. "
    "Muốn dùng lại, xin đề nghị văn phòng cấp link mời mới."
)
LEAVE_CONFIRM = (
    "Anh/Chị có chắc muốn rời khỏi Nhắc Việc? Sau đó sẽ không nhận được nhiệm vụ và lời nhắc nữa."
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
    "Gửi link này cho đúng người cần đăng ký.{group}"
)
INVITE_GROUP_HINT = (
    "\n\nHoặc dùng mã này để gắn <b>nhóm chat của đơn vị</b> (thay cho một người): mở link\n"
    "{group_link}\nrồi chọn nhóm; Telegram thêm bot vào nhóm và gửi mã giúp. "
    "Cũng có thể thêm bot vào nhóm rồi gửi trong nhóm: <code>/start {code}</code>"
)


def invite_created(
    role_label: str, unit_name: str | None, expires: str, link: str, code: str, group_link: str
) -> str:
    """The invite's link for a person and, for a unit, its ``startgroup`` link for a group."""
    unit = f" — {esc(unit_name)}" if unit_name else ""
    group = (
        INVITE_GROUP_HINT.format(code=esc(code), group_link=esc(group_link)) if unit_name else ""
    )
    return INVITE_CREATED.format(
        role=esc(role_label), unit=unit, expires=esc(expires), link=esc(link), group=group
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
    "supervisor": "lãnh đạo theo dõi",
    "head": "trưởng đơn vị",
    "member": "cán bộ đơn vị",
}

HELP_UNIT = (
    "<b>Các lệnh của Nhắc Việc</b>\n"
    "/viec — nhiệm vụ của đơn vị\n"
    "/tonghop — tình hình thực hiện của đơn vị\n"
    "/quahan — nhiệm vụ quá hạn của đơn vị\n"
    "/tatnhac, /batnhac — tạm tắt, bật lại lời nhắc trước hạn (trưởng đơn vị)\n"
    "/nhiemvu &lt;mã&gt; — lịch sử một nhiệm vụ (mã là số sau dấu # trong /viec)\n"
    "/huy — thôi thao tác đang làm\n"
    "/roi — rời khỏi Nhắc Việc\n\n"
    "Khi hoàn thành một nhiệm vụ, hãy trả lời (reply) tin nhắn nhiệm vụ bằng "
    "«xong» kèm ghi chú nếu có; muốn xin gia hạn, trả lời «xin gia hạn đến dd/mm»."
)
HELP_SUPERVISOR = (
    "<b>Các lệnh của Nhắc Việc</b>\n"
    "Gửi tệp công văn (.docx, .pdf, .txt) hoặc dán nội dung để tạo nhiệm vụ.\n"
    "/tonghop [số hiệu] — tổng hợp tình hình thực hiện (cả hoặc một văn bản)\n"
    "/quahan — danh sách nhiệm vụ quá hạn\n"
    "/donvi &lt;tên&gt; — tình hình của một đơn vị\n"
    "/nhiemvu &lt;mã&gt; — lịch sử một nhiệm vụ (mã là số sau dấu # trong /quahan, /viec)\n"
    "/han &lt;mã&gt; &lt;ngày&gt; — đặt hạn cho nhiệm vụ\n"
    "/xuat — xuất báo cáo Excel\n"
    "/tralai &lt;mã&gt; &lt;lý do&gt; — trả lại nhiệm vụ chưa đạt\n"
    "/baongay bat|tat — báo ngay mỗi khi đơn vị hoàn thành\n"
    "/moi — tạo link mời cho đơn vị (quản trị)\n"
    "/dsdonvi, /themdonvi, /doiten, /themnhom, /thuhoi — quản lý đơn vị (quản trị)\n"
    "/huy — thôi thao tác đang làm\n"
    "/roi — rời khỏi Nhắc Việc"
)

# --- Access control ---------------------------------------------------------------------------

NOT_REGISTERED = (
    "Anh/Chị chưa đăng ký sử dụng Nhắc Việc nên chưa thể dùng chức năng này. "
    "Gõ /start để xem hướng dẫn đăng ký."
)
NOT_ALLOWED = "Xin lỗi, chức năng này chỉ dành cho bộ phận văn phòng hoặc lãnh đạo theo dõi."
NOT_ALLOWED_ADMIN = "Xin lỗi, chức năng này chỉ dành cho quản trị viên."
NOT_YOURS = "Nút này không thuộc về Anh/Chị hoặc đã hết hiệu lực; không có gì thay đổi."
UNKNOWN_COMMAND = "Xin lỗi, Nhắc Việc không hiểu lệnh {command}. Gõ /help để xem các lệnh."
UNKNOWN_MESSAGE = (
    "Nhắc Việc chưa hiểu tin nhắn này. Để báo cáo một nhiệm vụ, hãy trả lời (reply) "
    "đúng tin nhắn nhiệm vụ đó. Gõ /help để xem các lệnh."
)
UNKNOWN_MESSAGE_OFFICE = (
    "Nhắc Việc chưa hiểu tin nhắn này. Để giao nhiệm vụ, Anh/Chị gửi tệp công văn "
    "(.docx, .pdf, .txt) hoặc dán toàn văn công văn vào đây. Gõ /help để xem các lệnh."
)
INTERNAL_ERROR = (
    "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Dữ liệu đã lưu không bị ảnh hưởng; "
    "Anh/Chị vui lòng thử lại sau ít phút."
)
DISK_FULL = (
    "Xin lỗi, ổ đĩa của máy chủ đã đầy nên yêu cầu này <b>chưa được ghi nhận</b>. "
    "Quản trị viên đã được báo; Anh/Chị vui lòng gửi lại sau khi máy chủ được giải phóng "
    "dung lượng."
)
DISK_FULL_ADMIN = (
    "⚠️ Ổ đĩa của máy chủ Nhắc Việc đã đầy: các yêu cầu ghi dữ liệu (báo hoàn thành, "
    "gửi văn bản…) đang bị từ chối và không được ghi nhận. Xin giải phóng dung lượng "
    "(thư mục DATA_DIR, cơ sở dữ liệu, nhật ký) rồi báo người dùng gửi lại."
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
    "ocr_unreadable": (
        "Đã nhận dạng chữ (OCR) bản quét nhưng không đọc được nội dung: ảnh quá mờ, "
        "nghiêng hoặc không có chữ. Vui lòng chụp/quét lại rõ hơn hoặc gửi bản .docx."
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
    "in_the_future": "Ngày {fragment} chưa tới; ngày nhận văn bản là hôm nay hoặc trước đó.",
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
UNMATCHED = "⚠ chưa xác định được đơn vị"
NO_LEAD = "⚠ chưa có đơn vị chủ trì"
NO_SUPPORT = "chưa đọc được đơn vị phối hợp"

DRAFT_FOOTER = (
    "Đây là <b>bản nháp</b>, chưa gửi cho đơn vị nào. Anh/Chị kiểm tra, sửa nếu cần, "
    "rồi bấm «Xác nhận, giao việc». Bản nháp hết hạn lúc {expires}."
)
BUTTON_EDIT = "✏️ Sửa nhiệm vụ"
BUTTON_ADD = "➕ Thêm nhiệm vụ"
BUTTON_CONFIRM = "✅ Xác nhận, giao việc"
BUTTON_RECEIVED = "📅 Đổi ngày nhận"
BUTTON_DISCARD = "🗑 Hủy bản nháp"
BUTTON_SHOW = "📋 Xem lại bản nháp"
BUTTON_BACK = "« Quay lại"
BUTTON_CHANGE_LEAD = "Đổi đơn vị chủ trì"
BUTTON_SET_DUE = "Đặt hạn"
BUTTON_CLEAR_DUE = "Xóa hạn"
BUTTON_DROP = "Bỏ nhiệm vụ này"
BUTTON_USE_RULE = "🔁 {ref}: theo dõi {rule}"
BUTTON_NO_RULE = "{ref}: không theo dõi theo kỳ"
BUTTON_SEARCH_UNIT = "🔎 Tìm đơn vị khác"

PICK_TASK = "Chọn nhiệm vụ cần sửa:"
TASK_MENU = "Nhiệm vụ <b>{ref}</b>: {words}\nChọn việc cần sửa:"
PICK_LEAD = "Chọn đơn vị chủ trì cho nhiệm vụ <b>{ref}</b>, hoặc tìm theo tên:"
ASK_UNIT_NAME = "Nhập tên đơn vị cần tìm (ví dụ: Sở Nội vụ):"
ASK_DUE_DATE = (
    "Nhập hạn cho nhiệm vụ <b>{ref}</b>, ví dụ: 20/10, 20/10/2025, cuối tháng 11. Gõ /huy để thôi."
)
ASK_RECEIVED_DATE = (
    "Nhập ngày nhận văn bản, ví dụ 03/12/2026 (hiện là {current}). Các hạn tính từ ngày nhận "
    "sẽ được tính lại. Gõ /huy để thôi."
)
RECEIVED_SET = "Đã đổi ngày nhận văn bản thành <b>{day}</b>."
ASK_TASK_TEXT = "Nhập nội dung nhiệm vụ cần thêm (một tin nhắn). Gõ /huy để thôi."
UNIT_SEARCH_EMPTY = "Không tìm thấy đơn vị nào giống «{name}». Xin nhập lại tên khác."
EDIT_DONE = "Đã cập nhật nhiệm vụ {ref}."
TASK_DROPPED = "Đã bỏ nhiệm vụ {ref} khỏi bản nháp."
TASK_ADDED = "Đã thêm nhiệm vụ {ref}. Hãy chọn đơn vị chủ trì cho nhiệm vụ này."
DRAFT_ERRORS = {
    "stale": (
        "Bản nháp đã thay đổi sau khi các nút này được gửi. Không có gì bị ghi đè; "
        "bản nháp mới nhất được gửi lại dưới đây."
    ),
    "expired": "Bản nháp này đã hết hạn hoặc đã bị hủy. Xin gửi lại văn bản nếu cần.",
    "gone": "Không tìm thấy nhiệm vụ hoặc đơn vị này; không có gì thay đổi.",
    "confirmed": "Văn bản này đã được xác nhận và giao việc rồi.",
}
DRAFT_DISCARDED = "Đã hủy bản nháp. Không có nhiệm vụ nào được giao."
INPUT_CANCELLED = "Đã thôi, không có gì thay đổi."
NOTHING_TO_CANCEL = "Không có thao tác nào đang chờ."

RECEIVING = "Đã nhận «{name}», đang đọc văn bản (tối đa {seconds} giây)…"


def receiving(name: str, seconds: int) -> str:
    return RECEIVING.format(name=esc(name), seconds=seconds)


_PARSE_LIMITS = {
    "timeout": "đọc quá {bound} giây",
    "memory": "cần quá {bound} MB bộ nhớ",
    "unzipped_size": "khi giải nén lớn hơn {bound} MB",
    "zip_parts": "có hơn {bound} thành phần bên trong",
    "pdf_pages": "có hơn {bound} trang",
    "chars": "có hơn {bound} ký tự",
    "items": "có hơn {bound} mục đánh số",
}


def parse_limit(name: str, limit: str, bound: float) -> str:
    """A file refused at one of the parse limits: which one, and that nothing was kept."""
    shown = f"{int(bound):,}".replace(",", ".")
    reason = _PARSE_LIMITS.get(limit, "vượt giới hạn xử lý").format(bound=shown)
    return (
        f"Không đọc văn bản «{esc(name)}»: tệp {reason}, vượt giới hạn của máy chủ. "
        "Chưa lưu gì. Xin gửi bản gọn hơn (tách thành nhiều văn bản) hoặc dán nội dung."
    )


RESENT_PREFIX = "🔁 <b>Nhắc lại</b> (tin trước có thể đã không đến được)"


def resent(text: str) -> str:
    """A ledger message sent again after a send whose fate Telegram did not tell: if the
    first one did arrive, this one reads as a repeat."""
    return f"{RESENT_PREFIX}\n{text}"


def parse_cancelled(name: str) -> str:
    return (
        f"Bot đang khởi động lại nên chưa đọc xong «{esc(name)}». Chưa lưu gì; "
        "xin gửi lại tệp sau ít phút."
    )


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

CONFIRMED = (
    "✅ Đã giao việc theo <b>{title}</b> cho {units} đơn vị, tổng cộng {assignments} nhiệm vụ "
    "(tính theo từng đơn vị chủ trì)."
)
CONFIRMED_NO_CONTACT = (
    "Các đơn vị sau chưa có ai đăng ký nhận tin nên chưa nhận được thông báo nhiệm vụ; "
    "xin đề nghị quản trị viên gửi link mời cho các đơn vị này (lệnh /moi): {names}"
)
CONFIRMED_NO_LEAD = "Các nhiệm vụ chưa có đơn vị chủ trì nên chưa giao: {refs}"

NEW_TASK = (
    "📌 <b>Nhiệm vụ mới</b> — {title}\n"
    "{subject}"
    "Nhiệm vụ <b>{ref}</b>: {text}\n"
    "{deadline}\n\n"
    "Khi hoàn thành, Anh/Chị bấm «✅ Hoàn thành» hoặc trả lời (reply) tin này bằng «xong» "
    "kèm ghi chú. Nếu cần thêm thời gian, xin bấm «🕒 Xin gia hạn»."
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
ORIGINAL_CAPTION = "📄 Văn bản gốc của {title} (nhiệm vụ <b>{ref}</b>)."


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


RELATIVE_ORIGINS = {"receipt": "ngày nhận", "issue": "ngày ban hành"}


def relative_due_line(
    days: int | None, working: bool | None, origin: str | None, since: date | None, on: date | None
) -> str:
    """ "05 ngày làm việc kể từ ngày nhận (03/12/2026) → hạn 10/12/2026"."""
    unit = "ngày làm việc" if working else "ngày"
    start = RELATIVE_ORIGINS.get(origin or "receipt", "ngày nhận")
    line = f"{days or 0:02d} {unit} kể từ {start}"
    if since is not None:
        line += f" ({fmt_date(since)})"
    return line + (f" → hạn <b>{fmt_date(on)}</b>" if on else " → chưa tính được hạn")


RECIPIENTS_UNSURE = "⚠ danh sách Kính gửi có thể chưa đủ"


def draft_header(
    kind: str,
    number: str | None,
    issuer: str | None,
    issued_on: date | None,
    subject: str | None,
    task_count: int,
    received_on: date | None = None,
    recipients_unsure: bool = False,
) -> str:
    # The title already carries the number ("Công văn số 14-CV/TU").
    lines = [f"📄 <b>Bản nháp — {dispatch_title(kind, number, subject)}</b>"]
    if received_on:
        lines.append(f"Ngày nhận văn bản: <b>{fmt_date(received_on)}</b> (bấm «{BUTTON_RECEIVED}»)")
    if issuer:
        lines.append(f"Cơ quan ban hành: {esc(issuer)}")
    if issued_on:
        lines.append(f"Ngày ban hành: {fmt_date(issued_on)}")
    if subject:
        lines.append(f"Trích yếu: {esc(subject)}")
    if recipients_unsure:
        lines.append(RECIPIENTS_UNSURE)
    lines.append(f"Số nhiệm vụ: <b>{task_count}</b>")
    return "\n".join(lines)


UNSURE_MARK = "⚠"


def draft_task(
    ref: str,
    text: str,
    leads: Sequence[str],
    unmatched: Sequence[str],
    supports: Sequence[str],
    timings: Sequence[str],
    unsure: Sequence[str] = (),
    period: str | None = None,
) -> str:
    """One task of a draft; ``timings`` are rendered (``due_line``, ``relative_due_line``),
    and ⚠ marks exactly the fields in ``unsure`` ("text", "lead", "support", "due")."""

    def mark(field: str) -> str:
        return f"{UNSURE_MARK} " if field in unsure else ""

    lead_parts = []
    if leads:
        lead_parts.append(unit_list(leads))
    if unmatched:
        lead_parts.append(f"{UNMATCHED}: " + ", ".join(f"«{esc(n)}»" for n in unmatched))
    lines = [
        f"<b>{esc(ref)}.</b> {mark('text')}{esc(first_words(text))}",
        f"   Chủ trì: {mark('lead')}" + ("; ".join(lead_parts) if lead_parts else NO_LEAD),
    ]
    if supports or "support" in unsure:
        lines.append(f"   Phối hợp: {mark('support')}" + (unit_list(supports) or NO_SUPPORT))
    timing = "; ".join(timings) if timings else NO_DEADLINE
    lines.append(f"   ⏰ {mark('due')}" + timing)
    if period:
        lines.append("   " + period)
    return "\n".join(lines)


# What the office should check before confirming (services.draft_checks).
UNSURE_FIELD_LABELS = {
    "text": "nội dung",
    "lead": "đơn vị chủ trì",
    "support": "đơn vị phối hợp",
    "due": "thời hạn",
}
CONFIRM_ASK = (
    "⚠ <b>{count} nhiệm vụ cần kiểm tra</b> trước khi giao việc:\n{lines}\n\n"
    "Bấm «{anyway}» để giao việc như hiện tại, hoặc «{back}» để sửa bản nháp."
)
BUTTON_CONFIRM_ANYWAY = "✅ Vẫn xác nhận"
BUTTON_BACK_TO_EDIT = "✏️ Quay lại sửa"


def past_deadline(deadline: date, days: int) -> str:
    return f"⚠ hạn {fmt_date(deadline)} đã qua {days} ngày"


def draft_check_reason(kind: str, fields: Sequence[str], deadline: date | None, days: int) -> str:
    if kind == "unsure":
        names = ", ".join(UNSURE_FIELD_LABELS.get(f, f) for f in fields)
        return f"⚠ chưa chắc chắn: {names}"
    if kind == "no_lead":
        return NO_LEAD
    if kind == "past" and deadline is not None:
        return past_deadline(deadline, days)
    return RECIPIENTS_UNSURE


# Lines the question lists before "… và N mục khác" (Telegram's 4096 characters).
CONFIRM_ASK_LINES = 25


def confirm_ask(count: int, reasons: Sequence[tuple[str | None, Sequence[str]]]) -> str:
    """``reasons``: (task ref, its reasons), the dispatch-wide ones with ref None."""
    lines = []
    for ref, items in reasons[:CONFIRM_ASK_LINES]:
        head = f"• Nhiệm vụ <b>{esc(ref)}</b>: " if ref is not None else "• "
        lines.append(head + "; ".join(items))
    if len(reasons) > CONFIRM_ASK_LINES:
        lines.append(f"… và {len(reasons) - CONFIRM_ASK_LINES} mục khác")
    return CONFIRM_ASK.format(
        count=count,
        lines="\n".join(lines),
        anyway=BUTTON_CONFIRM_ANYWAY,
        back=BUTTON_BACK_TO_EDIT,
    )


DRAFT_PERIOD_UNDECIDED = (
    "🔁 Định kỳ nhưng văn bản không nêu kỳ: bấm nút bên dưới để theo dõi {rule} "
    "(quy định của văn phòng) hoặc không theo dõi theo kỳ."
)
DRAFT_PERIOD_TRACKED = "🔁 Theo dõi theo kỳ: {rule}"
DRAFT_PERIOD_DECLINED = "🔁 Không theo dõi theo kỳ (chỉ nhắc báo cáo tình hình hằng tháng)."
PERIOD_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def rule_description(rule: str) -> str:
    """ "month:19" → "hằng tháng, hạn ngày 19"; "year:6:9,year:12:9" → "hằng năm, hạn ngày
    09/06 và 09/12"."""
    entries = parse_rule(rule)
    every = entries[0].every
    head = RULE_EVERY[every]
    if every == "day":
        return head
    if every == "week":
        return f"{head}, hạn {PERIOD_WEEKDAYS[(entries[0].day or 7) - 1]}"
    if every == "month":
        on = entries[0].day
        return f"{head}, hạn ngày {on}" if on else f"{head}, hạn ngày cuối tháng"
    if every == "year":
        days = [
            f"{e.day:02d}/{e.month or 12:02d}" if e.day else f"cuối tháng {e.month or 12}"
            for e in entries
        ]
        return f"{head}, hạn ngày " + " và ".join(days)
    size = "quý" if every == "quarter" else "kỳ 6 tháng"
    parts = []
    for e in entries:
        which = f"ngày {e.day}" if e.day else "ngày cuối"
        parts.append(
            f"{which} tháng thứ {e.month} của {size}" if e.month else f"{which} của {size}"
        )
    return f"{head}, hạn " + " và ".join(parts)


def draft_period(rule: str | None, undecided: bool, declined: bool, default_rule: str) -> str:
    if rule is not None:
        return DRAFT_PERIOD_TRACKED.format(rule=esc(rule_description(rule)))
    if declined:
        return DRAFT_PERIOD_DECLINED
    if undecided:
        return DRAFT_PERIOD_UNDECIDED.format(rule=esc(rule_description(default_rule)))
    return ""


def draft_footer(expires: str) -> str:
    return DRAFT_FOOTER.format(expires=esc(expires))


def duplicate_dispatch(title: str, when: str | None, tasks: int) -> str:
    suffix = f" ({esc(when)})" if when else ""
    return DUPLICATE_DISPATCH.format(title=title, when=suffix, tasks=tasks)


def task_menu(ref: str, text: str) -> str:
    return TASK_MENU.format(ref=esc(ref), words=esc(first_words(text, 12)))


def deadline_text(on: date | None, phrase: str | None, today: date | None = None) -> str:
    """The deadline line of a task message; with ``today``, a passed deadline says so."""
    if on is None:
        return f"⏰ Thời hạn: {esc(phrase)}" if phrase else "⏰ Không có hạn"
    extra = f" ({esc(phrase)})" if phrase else ""
    line = f"⏰ Hạn: <b>{fmt_date(on)}</b>{extra}"
    if today is not None and on < today:
        line += f"\n⚠ <b>Hạn đã qua {(today - on).days} ngày</b>"
    return line


# Telegram refuses a message over 4096 characters; a task typed into a draft can be that long.
TASK_TEXT_LIMIT = 3000
SUBJECT_LIMIT = 400


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def new_task(title: str, subject: str | None, ref: str, text: str, deadline: str) -> str:
    return NEW_TASK.format(
        title=title,
        subject=f"<i>{esc(clip(subject, SUBJECT_LIMIT))}</i>\n" if subject else "",
        ref=esc(ref),
        text=esc(clip(text, TASK_TEXT_LIMIT)),
        deadline=deadline,
    )


def support_copy(title: str, ref: str, text: str, leads: Sequence[str], deadline: str) -> str:
    return SUPPORT_COPY.format(
        title=title,
        ref=esc(ref),
        text=esc(clip(text, TASK_TEXT_LIMIT)),
        leads=unit_list(leads),
        deadline=deadline,
    )


def confirmed(assignments: int, title: str, units: int) -> str:
    return CONFIRMED.format(assignments=assignments, title=title, units=units)


# --- Unit task list ---------------------------------------------------------------------------

MY_TASKS_EMPTY = "Đơn vị {unit} hiện không có nhiệm vụ nào đang mở. Cảm ơn Anh/Chị!"
MY_TASKS_HEADER = "📋 <b>Nhiệm vụ đang mở của {unit}</b> ({count})"
MY_TASKS_OFFICE = (
    "Lệnh /viec dành cho cán bộ các đơn vị. Anh/Chị xem tình hình chung bằng /tonghop hoặc /quahan."
)
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
    period_key: str | None = None,
) -> str:
    if due_on is None:
        when = NO_DEADLINE
    elif due_on < today:
        when = f"quá hạn {(today - due_on).days} ngày (hạn {fmt_date(due_on)})"
    else:
        when = f"hạn {fmt_date(due_on)}, còn {(due_on - today).days} ngày"
    state = STATUS_LABELS.get(status, status)
    period = f"\n   🔁 Báo cáo định kỳ, {esc(period_name(period_key))}" if period_key else ""
    return (
        f"• <b>#{assignment_id}</b> {title}, nhiệm vụ {esc(ref)}: {esc(first_words(text, 12))}\n"
        f"   ⏰ {when} — {state}{period}"
    )


# --- Summaries (views) ------------------------------------------------------------------------

from datetime import datetime, tzinfo  # noqa: E402  (sections are edited independently)

from services.periods import parse_rule  # noqa: E402
from services.summaries import (  # noqa: E402
    Category,
    Counts,
    Digest,
    DispatchRef,
    HistoryEvent,
    Obligation,
    OverdueRow,
    PeriodLine,
    Summary,
    TaskHistory,
    TaskLine,
    UnitWeekly,
)

# The report's categories, in the order every Vietnamese task report lists them.
CATEGORY_LABELS = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện trong hạn",
    "overdue": "Quá hạn chưa hoàn thành",
    "no_deadline": "Không có hạn",
}
# The chart's colours, as marks in text: green, orange, blue, red, grey.
CATEGORY_MARKS = {
    "done_on_time": "🟢",
    "done_late": "🟠",
    "in_progress": "🔵",
    "overdue": "🔴",
    "no_deadline": "⚪",
}
SUMMARY_TITLE = "📊 <b>Tổng hợp tình hình thực hiện nhiệm vụ</b>"
SUMMARY_TITLE_UNIT = "📊 <b>Tình hình thực hiện nhiệm vụ — {unit}</b>"
SUMMARY_TITLE_DISPATCH = "📊 <b>Tình hình thực hiện — {title}</b>"
SUMMARY_AS_OF = "Tính đến ngày {today}: <b>{total}</b> nhiệm vụ của các văn bản đang theo dõi."
SUMMARY_EXTENDED = "🕒 Trong đó được gia hạn: {count}"
SUMMARY_EMPTY = "Chưa có nhiệm vụ nào đang được theo dõi."
SUMMARY_BY_UNIT = "<b>Theo đơn vị</b> (đơn vị có nhiều nhiệm vụ quá hạn nhất đứng trước):"
SUMMARY_BY_DISPATCH = "<b>Theo văn bản</b>:"
SUMMARY_MORE = "<i>… và {count} {what} khác — xem đầy đủ trong tệp Excel (/xuat).</i>"
SUMMARY_MORE_UNIT_VIEW = "<i>… và {count} {what} khác.</i>"
SUMMARY_LEGEND = (
    "🟢 hoàn thành đúng hạn · 🟠 hoàn thành quá hạn · 🔵 đang thực hiện trong hạn · "
    "🔴 quá hạn chưa hoàn thành · ⚪ không có hạn"
)
SUMMARY_DISPATCH_USAGE = (
    "Không tìm thấy văn bản số «{number}» trong các văn bản đang theo dõi. "
    "Xin kiểm tra lại số hiệu, ví dụ: /tonghop 14-CV/TU"
)
SUMMARY_DISPATCH_AMBIGUOUS = "Có nhiều văn bản khớp với «{number}», xin ghi đầy đủ số hiệu:"
CHART_CAPTION = "Biểu đồ tình hình thực hiện theo đơn vị, tính đến ngày {today}."
CHART_TITLE = "Tình hình thực hiện nhiệm vụ theo đơn vị"
CHART_SUBTITLE = "{scope} — {total} nhiệm vụ — tính đến ngày {today}"
CHART_SCOPE_ALL = "Tất cả văn bản đang theo dõi"
CHART_AXIS = "Số nhiệm vụ"
CHART_MORE_UNITS = "và {count} đơn vị khác (xem tệp Excel)"

UNIT_USAGE = "Cách dùng: /donvi &lt;tên đơn vị&gt;\nVí dụ: /donvi Sở Nội vụ"
UNIT_NOT_FOUND = "Không tìm thấy đơn vị «{name}». Xin kiểm tra lại tên đơn vị."
UNIT_CANDIDATES = "Chưa rõ đơn vị «{name}». Có phải Anh/Chị muốn xem: {names}?"
UNIT_OVERDUE_HEADER = "<b>Nhiệm vụ quá hạn của đơn vị</b>:"

OVERDUE_TITLE = "🔴 <b>Nhiệm vụ quá hạn chưa hoàn thành</b> (tính đến ngày {today}): {count}"
OVERDUE_NONE = "✅ Không có nhiệm vụ nào quá hạn (tính đến ngày {today})."
OVERDUE_NO_HEAD = "chưa đăng ký"

TASK_USAGE = (
    "Cách dùng: /nhiemvu &lt;mã&gt;\n"
    "Mã là số có dấu # ở đầu mỗi nhiệm vụ trong /quahan, trong lời nhắc và trong cột «Mã» "
    "của tệp Excel (/xuat). Mỗi mã là một nhiệm vụ của một đơn vị chủ trì.\n"
    "Ví dụ: /nhiemvu 17"
)
TASK_NOT_FOUND = "Không tìm thấy nhiệm vụ mã {id}{scope}. Xin kiểm tra lại mã (xem /quahan)."
TASK_NOT_FOUND_UNIT_SCOPE = " của đơn vị Anh/Chị"
TASK_HISTORY_NONE = "Chưa có sự kiện nào được ghi nhận."
TASK_DISPATCH_INACTIVE = "<i>Văn bản này không còn được theo dõi.</i>"
# Audit-log kinds as people read them. Every kind the code records has one
# (tests/test_texts.py walks the record_event calls); a kind stored by an older version and
# since dropped is shown with EVENT_LABEL_OTHER, never with its internal name.
EVENT_LABELS = {
    "dispatch.draft_created": "Tạo bản nháp văn bản",
    "dispatch.confirmed": "Văn phòng xác nhận, giao việc",
    "draft.lead_changed": "Đổi đơn vị chủ trì (bản nháp)",
    "draft.deadline_set": "Đặt hạn (bản nháp)",
    "draft.task_added": "Thêm nhiệm vụ (bản nháp)",
    "draft.received_on_set": "Đổi ngày nhận văn bản (bản nháp)",
    "draft.reporting_rule_set": "Chọn cách theo dõi theo kỳ (bản nháp)",
    "period.done": "Báo cáo hoàn thành một kỳ",
    "period.undone": "Rút lại báo cáo hoàn thành của một kỳ",
    "period.returned": "Trả lại báo cáo của một kỳ",
    "obligation.stopped": "Dừng báo cáo định kỳ",
    "draft.task_dropped": "Bỏ nhiệm vụ (bản nháp)",
    "draft.cancelled": "Hủy bản nháp",
    "assignment.created": "Giao nhiệm vụ cho đơn vị",
    "assignment.done": "Báo cáo hoàn thành",
    "assignment.completed": "Báo cáo hoàn thành",
    "assignment.undone": "Đơn vị rút lại báo cáo hoàn thành",
    "assignment.returned": "Văn phòng trả lại: chưa đạt yêu cầu",
    "assignment.reopened": "Mở lại nhiệm vụ",
    "assignment.progress": "Báo cáo tiến độ",
    "assignment.attachment": "Gửi tệp báo cáo",
    "assignment.deadline_set": "Đặt hạn",
    "assignment.deadline_changed": "Đổi hạn",
    "extension.requested": "Xin gia hạn",
    "extension.approved": "Đồng ý gia hạn",
    "extension.rejected": "Không đồng ý gia hạn",
    "reminder.sent": "Đã gửi lời nhắc",
    "reminder.escalated": "Báo lãnh đạo: quá hạn",
    "contact.group_bound": "Gắn nhóm chat của đơn vị",
    "invite.created": "Tạo lời mời",
    "invite.revoked": "Thu hồi lời mời",
    "person.bootstrap_admin": "Quản trị viên đầu tiên đăng ký",
    "person.registered": "Đăng ký sử dụng",
    "person.role_changed": "Đổi vai trò",
    "person.left": "Rời khỏi hệ thống",
    "person.revoked": "Thu hồi quyền sử dụng",
    "person.notify_completions": "Đổi cài đặt báo hoàn thành",
    "unit.added": "Thêm đơn vị",
    "unit.renamed": "Đổi tên đơn vị",
    "unit.grouped": "Thêm đơn vị vào nhóm",
    "units.imported": "Nhập danh sách đơn vị",
    "unit_muted": "Tắt lời nhắc trước hạn",
    "unit_unmuted": "Bật lại lời nhắc trước hạn",
    "digest.sent": "Gửi bản tổng hợp định kỳ",
}
EVENT_LABEL_OTHER = "Cập nhật khác"

EXPORT_CAPTION = "📎 Báo cáo tình hình thực hiện nhiệm vụ, tính đến ngày {today}."
EXPORT_EMPTY = "Chưa có nhiệm vụ nào để xuất báo cáo."
EXPORT_FILE_NAME = "tong-hop-nhiem-vu-{day}.xlsx"
WORKBOOK_SHEET_UNITS = "Theo đơn vị"
WORKBOOK_SHEET_DISPATCHES = "Theo văn bản"
WORKBOOK_SHEET_ASSIGNMENTS = "Chi tiết nhiệm vụ"
WORKBOOK_TITLE = "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ({sheet})"
WORKBOOK_PERIOD = (
    "Kỳ báo cáo: các văn bản đang theo dõi{issued} — {dispatches} văn bản, "
    "{total} lượt giao nhiệm vụ."
)
WORKBOOK_PERIOD_ISSUED = ", ban hành từ ngày {first} đến ngày {last}"
WORKBOOK_AS_OF = "Số liệu tính đến {time} ngày {day}."
WORKBOOK_COLUMNS = {
    "row_number": "STT",
    "support_units": "Đơn vị phối hợp",
    "timing": "Thời hạn không ghi ngày",
    "progress_note": "Tiến độ báo cáo gần nhất",
    "unit": "Đơn vị chủ trì",
    "dispatch_number": "Số hiệu văn bản",
    "dispatch_date": "Ngày văn bản",
    "dispatch_subject": "Trích yếu",
    "total": "Tổng số nhiệm vụ",
    "extended": "Được gia hạn",
    "assignment_id": "Mã",
    "task_ref": "Nhiệm vụ số",
    "period": "Kỳ báo cáo",
    "task_text": "Nội dung nhiệm vụ",
    "due_on": "Hạn hiện hành",
    "original_due_on": "Hạn ban đầu",
    "status": "Tình trạng",
    "days_overdue": "Số ngày quá hạn",
    "done_at": "Thời điểm hoàn thành",
    "note": "Ghi chú",
}
WORKBOOK_PERCENT = "{label} (%)"
WORKBOOK_TOTAL_ROW = "Tổng cộng"

DIGEST_TITLE = "🗓 <b>Tổng hợp tuần</b> — ngày {today}"
DIGEST_COMPLETED = "<b>Đã hoàn thành từ {since}</b>: {count}"
DIGEST_COMPLETED_NONE = "Không có nhiệm vụ nào hoàn thành từ {since}."
DIGEST_DUE_SOON = "<b>Đến hạn trong 7 ngày tới</b> ({start} – {end}): {count}"
DIGEST_DUE_SOON_NONE = "Không có nhiệm vụ nào đến hạn trong 7 ngày tới."
DIGEST_OVERDUE = "<b>Quá hạn chưa hoàn thành</b>: {count}"
DIGEST_OVERDUE_NONE = "Không có nhiệm vụ nào quá hạn."
DIGEST_MORE = "<i>… và {count} nhiệm vụ khác (xem /quahan hoặc /xuat).</i>"
DIGEST_FOOTER = "Xem chi tiết: /tonghop, /quahan, /xuat."
UNIT_WEEKLY_TITLE = "🗓 <b>Nhiệm vụ chưa hoàn thành của {unit}</b> — tuần từ ngày {today}: {count}"
UNIT_WEEKLY_MORE = "<i>… và {count} nhiệm vụ khác (xem /viec).</i>"
UNIT_WEEKLY_FOOTER = (
    "Khi hoàn thành, xin trả lời (reply) tin nhắn giao nhiệm vụ bằng «xong» kèm ghi chú."
)


def _mark(category: Category) -> str:
    return CATEGORY_MARKS[category.value]


def counts_block(counts: Counts) -> str:
    """The five categories, one per line, with counts and whole percentages (split_percent)."""
    shares = counts.percentages()
    lines = [
        f"{_mark(c)} {CATEGORY_LABELS[c.value]}: <b>{counts.of(c)}</b> ({shares[c]}%)"
        for c in Category
        if c is not Category.NO_DEADLINE or counts.no_deadline
    ]
    if counts.extended:
        lines.append(SUMMARY_EXTENDED.format(count=counts.extended))
    return "\n".join(lines)


def counts_line(counts: Counts) -> str:
    """One compact line: "12 nhiệm vụ: 🟢 5 (42%) · 🟠 1 (8%) · ..."; empty categories left out."""
    shares = counts.percentages()
    parts = [f"{_mark(c)} {counts.of(c)} ({shares[c]}%)" for c in Category if counts.of(c)]
    extended = f" · 🕒 gia hạn {counts.extended}" if counts.extended else ""
    return f"{counts.total} nhiệm vụ: " + " · ".join(parts) + extended


def task_title(line: TaskLine) -> str:
    """The title of one assignment's task: «Công văn số 14-CV/TU, nhiệm vụ 2» (and the
    period of a periodic obligation: «…, nhiệm vụ 2, kỳ tháng 11/2026»)."""
    title = dispatch_title(line.dispatch_kind, line.dispatch_number, line.dispatch_subject)
    period = f", {esc(period_name(line.period_key))}" if line.period_key else ""
    return f"{title}, nhiệm vụ {esc(line.task_ref)}{period}"


def obligations_line(counts: Counts) -> str:
    """The periods of periodic obligations on their own line: "🔁 Báo cáo định kỳ: 6 kỳ: …"."""
    shares = counts.percentages()
    parts = [f"{_mark(c)} {counts.of(c)} ({shares[c]}%)" for c in Category if counts.of(c)]
    return f"🔁 Trong đó báo cáo định kỳ — {counts.total} kỳ: " + " · ".join(parts)


def summary_report(
    summary: Summary,
    *,
    title: str,
    show_units: bool = True,
    office: bool = True,
    unit_limit: int = 30,
    dispatch_limit: int = 20,
) -> str:
    """The /tonghop answer: overall counts, then the worst units, then dispatches."""
    if summary.total.total == 0:
        return f"{title}\n\n{SUMMARY_EMPTY}"
    more = SUMMARY_MORE if office else SUMMARY_MORE_UNIT_VIEW
    lines = [
        title,
        SUMMARY_AS_OF.format(today=fmt_date(summary.today), total=summary.total.total),
        "",
        counts_block(summary.total),
    ]
    if summary.obligations.total:
        lines += ["", obligations_line(summary.obligations)]
    if show_units and summary.by_unit:
        lines += ["", SUMMARY_BY_UNIT]
        for index, row in enumerate(summary.by_unit[:unit_limit], start=1):
            lines.append(f"{index}. <b>{esc(row.name)}</b> — {counts_line(row.counts)}")
        hidden = len(summary.by_unit) - unit_limit
        if hidden > 0:
            lines.append(more.format(count=hidden, what="đơn vị"))
    if summary.by_dispatch:
        lines += ["", SUMMARY_BY_DISPATCH]
        for dispatch in summary.by_dispatch[:dispatch_limit]:
            name = dispatch_title(dispatch.kind, dispatch.number, dispatch.subject)
            lines.append(f"• <b>{name}</b> — {counts_line(dispatch.counts)}")
        hidden = len(summary.by_dispatch) - dispatch_limit
        if hidden > 0:
            lines.append(more.format(count=hidden, what="văn bản"))
    lines += ["", SUMMARY_LEGEND]
    return "\n".join(lines)


def summary_title_unit(unit_name: str) -> str:
    return SUMMARY_TITLE_UNIT.format(unit=esc(unit_name))


def summary_title_dispatch(ref: DispatchRef) -> str:
    return SUMMARY_TITLE_DISPATCH.format(title=dispatch_title(ref.kind, ref.number, ref.subject))


def summary_dispatch_not_found(number: str) -> str:
    return SUMMARY_DISPATCH_USAGE.format(number=esc(number))


def summary_dispatch_ambiguous(number: str, refs: Sequence[DispatchRef]) -> str:
    lines = [SUMMARY_DISPATCH_AMBIGUOUS.format(number=esc(number))]
    for ref in refs[:10]:
        day = f" ngày {fmt_date(ref.issued_on)}" if ref.issued_on else ""
        lines.append(f"• <code>{esc(ref.number or '')}</code>{day}")
    return "\n".join(lines)


def chart_caption(today: date) -> str:
    return CHART_CAPTION.format(today=fmt_date(today))


def chart_subtitle(today: date, total: int, dispatch: DispatchRef | None = None) -> str:
    """The chart's second line, in the picture: what it covers and as of which day (plain)."""
    scope = (
        html.unescape(dispatch_title(dispatch.kind, dispatch.number, dispatch.subject))
        if dispatch is not None
        else CHART_SCOPE_ALL
    )
    return CHART_SUBTITLE.format(scope=scope, total=total, today=fmt_date(today))


def unit_not_found(name: str, candidates: Sequence[str]) -> str:
    if not candidates:
        return UNIT_NOT_FOUND.format(name=esc(name))
    return UNIT_CANDIDATES.format(name=esc(name), names=", ".join(esc(c) for c in candidates))


def _head_names(row: OverdueRow) -> str:
    if not row.heads:
        return OVERDUE_NO_HEAD
    return ", ".join(
        esc(head.name) + (f" (@{esc(head.username)})" if head.username else "")
        for head in row.heads
    )


def _deadline_note(line: TaskLine) -> str:
    note = f"hạn {fmt_date(line.due_on)}"
    if line.extended:
        note += f", đã gia hạn từ {fmt_date(line.original_due_on)}"
    return note


def overdue_item(row: OverdueRow, *, show_unit: bool = True) -> str:
    line = row.task
    unit = f" {esc(line.unit_name)} —" if show_unit else ""
    return (
        f"🔴 <b>#{line.assignment_id}</b>{unit} quá hạn <b>{row.days_overdue} ngày</b> "
        f"({_deadline_note(line)})\n"
        f"   {task_title(line)}: {esc(first_words(line.task_text, 14))}\n"
        f"   Trưởng đơn vị: {_head_names(row)}"
    )


def overdue_report(
    rows: Sequence[OverdueRow], today: date, *, office: bool = True, limit: int = 200
) -> str:
    """The /quahan answer, longest overdue first; the office finds the rest in the workbook."""
    if not rows:
        return OVERDUE_NONE.format(today=fmt_date(today))
    lines = [OVERDUE_TITLE.format(today=fmt_date(today), count=len(rows))]
    lines += [overdue_item(row, show_unit=office) for row in rows[:limit]]
    if len(rows) > limit:
        more = SUMMARY_MORE if office else SUMMARY_MORE_UNIT_VIEW
        lines.append(more.format(count=len(rows) - limit, what="nhiệm vụ"))
    return "\n\n".join(lines)


def unit_report(summary: Summary, unit_name: str, overdue: Sequence[OverdueRow]) -> str:
    """The /donvi answer: the unit's counts and dispatches, then its overdue tasks."""
    text = summary_report(summary, title=summary_title_unit(unit_name), show_units=False)
    if not overdue:
        return text
    items = [overdue_item(row, show_unit=False) for row in overdue[:50]]
    if len(overdue) > 50:
        items.append(SUMMARY_MORE.format(count=len(overdue) - 50, what="nhiệm vụ"))
    return text + "\n\n" + UNIT_OVERDUE_HEADER + "\n\n" + "\n\n".join(items)


def task_not_found(assignment_id: str, unit_scope: bool) -> str:
    scope = TASK_NOT_FOUND_UNIT_SCOPE if unit_scope else ""
    return TASK_NOT_FOUND.format(id=esc(assignment_id), scope=scope)


def local_time(moment: datetime, tz: tzinfo) -> str:
    """A moment as people read it here: HH:MM dd/mm/yyyy in TIMEZONE."""
    return moment.astimezone(tz).strftime("%H:%M %d/%m/%Y")


def _history_event(event: HistoryEvent, tz: tzinfo) -> str:
    label = EVENT_LABELS.get(event.kind, EVENT_LABEL_OTHER)
    who = f" — {esc(event.actor_name)}" if event.actor_name else ""
    note = f"\n   <i>{esc(event.note)}</i>" if event.note else ""
    return f"• {local_time(event.at, tz)}: {esc(label)}{who}{note}"


def task_history_report(history: TaskHistory, tz: tzinfo, *, limit: int = 100) -> str:
    """The /nhiemvu answer: what the task is, where it stands, and what happened, oldest first."""
    line = history.task
    lines = [
        f"📌 <b>Nhiệm vụ #{line.assignment_id}</b> — {task_title(line)}",
        esc(line.task_text),
        f"Đơn vị chủ trì: <b>{esc(line.unit_name)}</b>",
    ]
    if history.obligation is not None:
        lines += obligation_lines(history.obligation, tz)
    elif line.due_on is None:
        lines.append(f"⏰ Hạn: {NO_DEADLINE}")
    elif line.extended:
        lines.append(
            f"⏰ Hạn: <b>{fmt_date(line.due_on)}</b> "
            f"(đã gia hạn, hạn ban đầu {fmt_date(line.original_due_on)})"
        )
    else:
        lines.append(f"⏰ Hạn: <b>{fmt_date(line.due_on)}</b>")
    if history.obligation is None:
        state = f"{_mark(history.category)} Tình trạng: <b>{CATEGORY_LABELS[history.category]}</b>"
        if history.done_at is not None:
            state += f", lúc {local_time(history.done_at, tz)}"
        lines.append(state)
    if history.note:
        lines.append(f"Ghi chú: {esc(history.note)}")
    if not history.dispatch_active:
        lines.append(TASK_DISPATCH_INACTIVE)
    lines += ["", "<b>Diễn biến</b>:"]
    if history.events:
        shown = history.events[-limit:]
        lines += [_history_event(event, tz) for event in shown]
    else:
        lines.append(TASK_HISTORY_NONE)
    return "\n".join(lines)


RULE_EVERY = {
    "day": "hằng ngày",
    "week": "hằng tuần",
    "month": "hằng tháng",
    "quarter": "hằng quý",
    "half_year": "6 tháng một lần",
    "year": "hằng năm",
}
PERIOD_OUTCOMES = {
    "done_on_time": "🟢 đúng hạn",
    "done_late": "🟠 quá hạn",
    "overdue": "🔴 bỏ lỡ",
    "in_progress": "🔵 đang mở",
}
PERIOD_STOPPED = "⚪ đã dừng"


def rule_text(rule: str) -> str:
    """ "month:19" → "hằng tháng"; the dates are in each period's line."""
    return RULE_EVERY.get(rule.split(":", 1)[0], rule)


def period_history_line(period: PeriodLine, tz: tzinfo) -> str:
    outcome = PERIOD_STOPPED if period.stopped else PERIOD_OUTCOMES[period.category.value]
    done = ""
    if period.done_at is not None:
        done = f", nộp {period.done_at.astimezone(tz).strftime('%d/%m/%Y')}"
    extended = ""
    if period.due_on > period.original_due_on:
        extended = f" (gia hạn từ {fmt_date(period.original_due_on)})"
    return (
        f"• {esc(period_label(period.key))}: hạn {fmt_date(period.due_on)}{extended} — "
        f"{outcome}{done}"
    )


def obligation_lines(obligation: Obligation, tz: tzinfo) -> list[str]:
    lines = [f"🔁 Báo cáo định kỳ <b>{esc(rule_text(obligation.rule))}</b>"]
    if obligation.ends_on is not None:
        lines[0] += f", đến {fmt_date(obligation.ends_on)}"
    if obligation.stopped_at is not None:
        reason = f": {esc(obligation.stop_reason)}" if obligation.stop_reason else ""
        lines.append(f"⏹ Văn phòng đã dừng theo dõi theo kỳ{reason}")
    if obligation.periods:
        lines.append("<b>Các kỳ</b> (mới nhất trước):")
        lines += [period_history_line(p, tz) for p in obligation.periods]
    return lines


def export_caption(today: date) -> str:
    return EXPORT_CAPTION.format(today=fmt_date(today))


def workbook_heading(
    dispatches: int, total: int, first: date | None, last: date | None, as_of: datetime, tz: tzinfo
) -> list[str]:
    """The lines under each sheet's title: which documents and period, and as of when."""
    issued = (
        WORKBOOK_PERIOD_ISSUED.format(first=fmt_date(first), last=fmt_date(last))
        if first and last
        else ""
    )
    local = as_of.astimezone(tz)
    return [
        WORKBOOK_PERIOD.format(issued=issued, dispatches=dispatches, total=total),
        WORKBOOK_AS_OF.format(time=local.strftime("%H:%M"), day=fmt_date(local.date())),
    ]


def export_file_name(today: date) -> str:
    return EXPORT_FILE_NAME.format(day=today.strftime("%Y-%m-%d"))


def _digest_task(line: TaskLine, suffix: str) -> str:
    return (
        f"• <b>#{line.assignment_id}</b> {esc(line.unit_name)} — {task_title(line)}: "
        f"{esc(first_words(line.task_text, 10))}{suffix}"
    )


def _capped(items: Sequence[str], limit: int) -> list[str]:
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(DIGEST_MORE.format(count=len(items) - limit))
    return shown


def weekly_digest(digest: Digest, tz: tzinfo, *, limit: int = 30) -> str:
    """The supervisors' Monday message: overall counts, completions, this week, overdue."""
    since = local_time(digest.since, tz)
    lines = [DIGEST_TITLE.format(today=fmt_date(digest.today)), ""]
    lines += [counts_block(digest.total) if digest.total.total else SUMMARY_EMPTY, ""]
    if digest.completed:
        lines.append(DIGEST_COMPLETED.format(since=since, count=len(digest.completed)))
        items = [
            _digest_task(
                done.task,
                f" — {local_time(done.done_at, tz)}" + ("" if done.on_time else " (trễ hạn)"),
            )
            for done in digest.completed
        ]
        lines += _capped(items, limit)
    else:
        lines.append(DIGEST_COMPLETED_NONE.format(since=since))
    lines.append("")
    if digest.due_soon:
        lines.append(
            DIGEST_DUE_SOON.format(
                start=fmt_date(digest.today),
                end=fmt_date(digest.horizon),
                count=len(digest.due_soon),
            )
        )
        items = [_digest_task(line, f" — hạn {fmt_date(line.due_on)}") for line in digest.due_soon]
        lines += _capped(items, limit)
    else:
        lines.append(DIGEST_DUE_SOON_NONE)
    lines.append("")
    if digest.overdue:
        lines.append(DIGEST_OVERDUE.format(count=len(digest.overdue)))
        items = [
            _digest_task(row.task, f" — quá hạn {row.days_overdue} ngày") for row in digest.overdue
        ]
        lines += _capped(items, limit)
    else:
        lines.append(DIGEST_OVERDUE_NONE)
    lines += ["", DIGEST_FOOTER]
    return "\n".join(lines)


def unit_weekly(unit: UnitWeekly, *, limit: int = 15) -> str:
    """A unit's short Monday list of its own open tasks, soonest deadline first."""
    lines = [
        UNIT_WEEKLY_TITLE.format(
            unit=esc(unit.unit_name), today=fmt_date(unit.today), count=len(unit.open_tasks)
        )
    ]
    items = []
    for line in unit.open_tasks:
        days = unit.days_left(line)
        if days is None:
            when = NO_DEADLINE
        elif days < 0:
            when = f"🔴 quá hạn {-days} ngày (hạn {fmt_date(line.due_on)})"
        elif days == 0:
            when = f"hạn <b>hôm nay</b> {fmt_date(line.due_on)}"
        else:
            when = f"hạn {fmt_date(line.due_on)} (còn {days} ngày)"
        items.append(
            f"• <b>#{line.assignment_id}</b> {task_title(line)}: "
            f"{esc(first_words(line.task_text, 10))} — {when}"
        )
    lines += items[:limit]
    if len(items) > limit:
        lines.append(UNIT_WEEKLY_MORE.format(count=len(items) - limit))
    lines += ["", UNIT_WEEKLY_FOOTER]
    return "\n".join(lines)


# --- Command line: units and invites ----------------------------------------------------------

CLI_UNITS_IMPORTED = (
    "Đã nhập danh sách đơn vị: {created} đơn vị mới, {updated} đơn vị cập nhật, {groups} nhóm mới."
)
CLI_UNITS_EMPTY = "Chưa có đơn vị nào. Nhập danh sách bằng: nhacviec units import tệp.csv"
CLI_UNITS_HEADER = "{count} đơn vị:"
CLI_UNIT_LINE = "- [{id}] {name}{aliases}{groups} — {contacts} người/nhóm nhận tin"
CLI_MATCH_UNIT = "«{input}» → đơn vị: {target} (điểm {score:.0f})"
CLI_MATCH_GROUP = "«{input}» → nhóm: {target} ({count} đơn vị, điểm {score:.0f})"
CLI_MATCH_ASK = "«{input}» → chưa chắc chắn, văn phòng cần chọn. Gợi ý: {candidates}"
CLI_MATCH_NONE = "không có"
CLI_INVITE_UNIT_UNKNOWN = "Không tìm thấy đơn vị «{name}». Gợi ý: {candidates}"
CLI_INVITE_ROLE_NEEDS_UNIT = "Vai trò {role} cần --unit (tên đơn vị)."
CLI_INVITE_CREATED = (
    "Link mời ({role}{unit}), dùng một lần, hết hạn {expires}:\n{link}\n"
    "Hoặc, để gắn nhóm chat của đơn vị thay cho một người, mở link sau rồi chọn nhóm:\n"
    "{group_link}\n(hoặc thêm bot vào nhóm rồi gửi trong nhóm: /start {code})"
)
CLI_INVITE_CREATED_OFFICE = "Link mời ({role}{unit}), dùng một lần, hết hạn {expires}:\n{link}\n"
CLI_INVITE_NO_USERNAME = (
    "Mã mời ({role}{unit}), dùng một lần, hết hạn {expires}: {code}\n"
    "Không lấy được tên bot từ Telegram; người được mời gửi cho bot: /start {code}"
)
UNIT_ERRORS = {
    "empty_name": "Tên đơn vị không được để trống.",
    "duplicate_name": "Đã có đơn vị mang tên này.",
    "unknown_unit": "Không tìm thấy đơn vị.",
}


# --- Administration in chat -------------------------------------------------------------------

UNITS_LIST_HEADER = "<b>Danh sách đơn vị</b> ({count}) — [mã] tên (số người/nhóm nhận tin):"
UNIT_ADDED = "Đã thêm đơn vị [{id}] <b>{name}</b>."
UNIT_RENAMED = "Đã đổi tên đơn vị [{id}] thành <b>{name}</b> (tên cũ được giữ làm tên gọi khác)."
UNIT_GROUPED = "Đã đưa đơn vị [{id}] vào nhóm <b>{group}</b>."
ADMIN_UNIT_USAGE = (
    "Cách dùng:\n"
    "/dsdonvi — danh sách đơn vị và mã\n"
    "/themdonvi &lt;tên đơn vị&gt;\n"
    "/doiten &lt;mã đơn vị&gt; &lt;tên mới&gt;\n"
    "/themnhom &lt;mã đơn vị&gt; &lt;tên nhóm&gt;\n"
    "/thuhoi &lt;mã Telegram của người dùng&gt;"
)
REVOKED = "Đã thu hồi quyền sử dụng của {name}. Người này không còn nhận và xem được nhiệm vụ."
REVOKE_UNKNOWN = "Không tìm thấy người dùng đang hoạt động với mã Telegram {user_id}."


# --- Completion replies and extensions (flows) ---

BUTTON_SKIP_NOTE = "Bỏ qua"
BUTTON_UNDO = "↩️ Hoàn tác"
BUTTON_CONFIRM_DONE = "✅ Đúng, đã hoàn thành"
BUTTON_STOP = "Thôi"
BUTTON_APPROVE = "✅ Đồng ý"
BUTTON_REJECT = "❌ Không đồng ý"
BUTTON_OTHER_DATE = "📅 Chọn ngày khác"
BUTTON_RETURN = "↩️ Trả lại (chưa đạt)"

FLOW_ERRORS = {
    "gone": "Nhiệm vụ này không còn hiệu lực; không có gì thay đổi.",
    "not_yours": NOT_YOURS,
    "not_allowed": NOT_ALLOWED,
    "not_done": "Nhiệm vụ này hiện chưa ở trạng thái hoàn thành; không có gì thay đổi.",
    "undo_expired": (
        "Đã quá 10 phút kể từ khi báo hoàn thành nên không thể hoàn tác. "
        "Nếu cần sửa, xin liên hệ bộ phận văn phòng."
    ),
    "decided": "Đề nghị gia hạn này đã được xử lý trước đó; không có gì thay đổi.",
    "already_done": "Nhiệm vụ này đã hoàn thành nên không cần gia hạn; không có gì thay đổi.",
    "in_the_past": "Ngày đề nghị đã qua; xin nhập một ngày từ hôm nay trở đi.",
    "not_later": "Ngày đề nghị phải sau hạn hiện tại của nhiệm vụ.",
    "no_date": "Nhắc Việc chưa đọc được ngày đề nghị gia hạn.",
    "not_obligation": "Nhiệm vụ này không phải báo cáo định kỳ theo kỳ; không có gì thay đổi.",
    "stopped": "Báo cáo định kỳ này đã được dừng trước đó; không có gì thay đổi.",
}

ASK_DONE_NOTE = (
    "Anh/Chị báo hoàn thành nhiệm vụ <b>{ref}</b>. Xin gõ ghi chú kết quả (ví dụ: số văn bản "
    "báo cáo), hoặc bấm «Bỏ qua» để ghi nhận hoàn thành không kèm ghi chú."
)
ASK_EXTENSION = (
    "Anh/Chị xin gia hạn nhiệm vụ <b>{ref}</b> (hạn hiện tại: {due}). Xin gõ ngày đề nghị "
    "và lý do trong một tin nhắn, ví dụ «20/10 vì chờ số liệu» hoặc «thêm 5 ngày vì chờ ý kiến»."
)
ASK_EXTENSION_DATE = (
    "Nhắc Việc chưa đọc được ngày đề nghị gia hạn nhiệm vụ <b>{ref}</b>. Xin gõ ngày đề nghị, "
    "ví dụ «20/10» hoặc «thêm 5 ngày»."
)
ASK_OFFICE_DATE = (
    "Xin gõ ngày gia hạn mới cho nhiệm vụ <b>{ref}</b> của {unit} (đơn vị đề nghị {proposed}), "
    "ví dụ «25/10»."
)
ASK_RETURN_REASON = (
    "Xin gõ lý do trả lại nhiệm vụ <b>{ref}</b> của {unit} (chưa đạt), để đơn vị bổ sung."
)
FLOW_CANCELLED = "Đã thôi, không có gì thay đổi."
REPLY_EMPTY = (
    "Nhắc Việc chưa đọc được nội dung trả lời cho nhiệm vụ <b>{ref}</b>. Khi hoàn thành, "
    "xin trả lời «xong» kèm ghi chú; muốn xin thêm thời gian, trả lời «xin gia hạn đến dd/mm»."
)
NO_OPEN_TASKS = "Đơn vị {unit} hiện không có nhiệm vụ nào đang mở để báo hoàn thành."
PICK_ONE = (
    "Anh/Chị báo hoàn thành nhiệm vụ <b>{ref}</b>: {words}?\n"
    "Xin bấm nút dưới đây để xác nhận (chưa ghi nhận gì cho đến khi Anh/Chị xác nhận)."
)
PICK_MANY = (
    "Đơn vị {unit} có {count} nhiệm vụ đang mở{more}. Anh/Chị báo hoàn thành nhiệm vụ nào? "
    "Xin chọn dưới đây (chưa ghi nhận gì cho đến khi Anh/Chị chọn)."
)
NOTIFY_ON = (
    "Đã bật: Anh/Chị sẽ nhận thông báo ngay khi một đơn vị báo hoàn thành nhiệm vụ. "
    "Gõ /baongay tat để chỉ xem trong bản tổng hợp."
)
NOTIFY_OFF = (
    "Đã tắt: Anh/Chị chỉ xem các nhiệm vụ hoàn thành trong bản tổng hợp. "
    "Gõ /baongay bat để nhận thông báo ngay."
)
NOTIFY_USAGE = (
    "Cách dùng: /baongay bat (nhận thông báo ngay mỗi khi đơn vị hoàn thành) hoặc "
    "/baongay tat (chỉ xem trong bản tổng hợp). Hiện tại: {state}."
)
RETURN_USAGE = (
    "Cách dùng: /tralai &lt;mã nhiệm vụ&gt; &lt;lý do&gt;, "
    "ví dụ: /tralai 17 thiếu số liệu quý III. Mã nhiệm vụ là số sau dấu # trong danh sách nhiệm vụ."
)


def flow_error(code: str) -> str:
    return FLOW_ERRORS.get(code, NOT_YOURS)


def _note_line(note: str | None, label: str = "Ghi chú") -> str:
    return f"\n{label}: {esc(note)}" if note else ""


def ask_done_note(ref: str) -> str:
    return ASK_DONE_NOTE.format(ref=esc(ref))


def ask_extension(ref: str, due: date | None) -> str:
    return ASK_EXTENSION.format(ref=esc(ref), due=fmt_date(due) if due else NO_DEADLINE)


def ask_extension_date(ref: str) -> str:
    return ASK_EXTENSION_DATE.format(ref=esc(ref))


def ask_office_date(ref: str, unit: str, proposed: date | None) -> str:
    return ASK_OFFICE_DATE.format(
        ref=esc(ref), unit=esc(unit), proposed=fmt_date(proposed) if proposed else "không rõ"
    )


def ask_return_reason(ref: str, unit: str) -> str:
    return ASK_RETURN_REASON.format(ref=esc(ref), unit=esc(unit))


def reply_empty(ref: str) -> str:
    return REPLY_EMPTY.format(ref=esc(ref))


def done_recorded(ref: str, at: str, note: str | None, on_time: bool, due: date | None) -> str:
    timing = ""
    if due is not None:
        timing = f"\nHạn: {fmt_date(due)} — " + ("đúng hạn." if on_time else "quá hạn.")
    return (
        f"✅ Đã ghi nhận hoàn thành nhiệm vụ <b>{esc(ref)}</b> lúc {esc(at)}."
        f"{_note_line(note)}{timing}\n"
        "Có thể gửi tệp hoặc ảnh báo cáo ngay sau tin này (trong 10 phút). "
        "Nếu báo nhầm, bấm «Hoàn tác» trong vòng 10 phút."
    )


def already_done(ref: str, at: str, by: str | None) -> str:
    who = f" bởi {esc(by)}" if by else ""
    return (
        f"Nhiệm vụ <b>{esc(ref)}</b> đã được ghi nhận hoàn thành lúc {esc(at)}{who} "
        "từ trước; không ghi nhận thêm."
    )


def progress_recorded(ref: str, at: str, percent: int | None) -> str:
    share = f" ({percent}%)" if percent is not None else ""
    return (
        f"📝 Đã ghi nhận tiến độ nhiệm vụ <b>{esc(ref)}</b>{share} lúc {esc(at)}. "
        "Khi hoàn thành, xin trả lời «xong» vào tin nhắn nhiệm vụ."
    )


def progress_after_done(ref: str, at: str, percent: int | None, done_at: str) -> str:
    share = f" ({percent}%)" if percent is not None else ""
    return (
        f"📝 Đã ghi nhận tiến độ nhiệm vụ <b>{esc(ref)}</b>{share} lúc {esc(at)}. Lưu ý: nhiệm vụ "
        f"này đã được ghi nhận hoàn thành lúc {esc(done_at)}. Nếu báo hoàn thành nhầm, xin bấm "
        "«Hoàn tác» (trong 10 phút) hoặc đề nghị bộ phận văn phòng trả lại nhiệm vụ."
    )


def attachment_saved(name: str, ref: str, at: str) -> str:
    return f"📎 Đã lưu tệp báo cáo «{esc(name)}» cho nhiệm vụ <b>{esc(ref)}</b> lúc {esc(at)}."


# --- Periodic obligations (services.periods) ---------------------------------------------------

ROMAN_QUARTERS = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period_label(key: str) -> str:
    """``2026-12`` → "tháng 12/2026", ``2026-Q4`` → "quý IV/2026", ``2026-H1`` → "6 tháng
    đầu năm 2026", ``2026-W49`` → "tuần 49/2026", ``2026-12-03`` → "ngày 03/12/2026",
    ``2026`` → "năm 2026"."""
    parts = key.split("-")
    if len(parts) == 1:
        return f"năm {key}"
    year, rest = parts[0], parts[1]
    if len(parts) == 3:
        return f"ngày {parts[2]}/{rest}/{year}"
    if rest.startswith("Q"):
        return f"quý {ROMAN_QUARTERS.get(rest[1:], rest[1:])}/{year}"
    if rest.startswith("H"):
        return f"6 tháng {'đầu' if rest == 'H1' else 'cuối'} năm {year}"
    if rest.startswith("W"):
        return f"tuần {rest[1:]}/{year}"
    return f"tháng {rest}/{year}"


def period_name(key: str) -> str:
    return f"kỳ {period_label(key)}"


def ref_label(ref: str, period_key: str | None) -> str:
    """A task's number as the unit's messages name it; plain text (callers escape it)."""
    return f"{ref}, {period_name(period_key)}" if period_key else ref


def period_done_recorded(
    ref: str,
    key: str,
    at: str,
    note: str | None,
    on_time: bool,
    due: date | None,
    next_key: str | None,
    next_due: date | None,
) -> str:
    timing = ""
    if due is not None:
        timing = f"\nHạn kỳ này: {fmt_date(due)} — " + ("đúng hạn." if on_time else "quá hạn.")
    following = ""
    if next_key is not None and next_due is not None:
        following = (
            f"\n🔁 Kỳ tiếp theo ({esc(period_label(next_key))}): hạn <b>{fmt_date(next_due)}</b>."
        )
    return (
        f"✅ Đã ghi nhận hoàn thành nhiệm vụ <b>{esc(ref)}</b>, {esc(period_name(key))}, "
        f"lúc {esc(at)}.{_note_line(note)}{timing}{following}\n"
        "Có thể gửi tệp hoặc ảnh báo cáo ngay sau tin này (trong 10 phút). "
        "Nếu báo nhầm, bấm «Hoàn tác» trong vòng 10 phút."
    )


def undone(ref: str, at: str) -> str:
    return (
        f"↩️ Đã hoàn tác: nhiệm vụ <b>{esc(ref)}</b> trở lại trạng thái đang thực hiện "
        f"(lúc {esc(at)})."
    )


def pick_one(ref: str, text: str) -> str:
    return PICK_ONE.format(ref=esc(ref), words=esc(first_words(text, 14)))


def pick_many(unit: str, count: int, limit: int) -> str:
    more = f" (hiển thị {limit} nhiệm vụ có hạn sớm nhất)" if count > limit else ""
    return PICK_MANY.format(unit=esc(unit), count=count, more=more)


def choice_label(ref: str, text: str, due: date | None) -> str:
    when = f" (hạn {due.strftime('%d/%m')})" if due else ""
    label = f"{ref}{when}: {first_words(text, 8)}"
    return label if len(label) <= 60 else label[:59] + "…"


def no_open_tasks(unit: str | None) -> str:
    return NO_OPEN_TASKS.format(unit=esc(unit or ""))


def extension_requested(ref: str, proposed: date, at: str) -> str:
    return (
        f"🕒 Đã gửi đề nghị gia hạn nhiệm vụ <b>{esc(ref)}</b> đến ngày {fmt_date(proposed)} "
        f"lúc {esc(at)}. Nhắc Việc sẽ báo khi lãnh đạo cho ý kiến."
    )


def extension_notice(
    unit: str,
    ref: str,
    text: str,
    due: date | None,
    proposed: date,
    reason: str | None,
    by: str | None,
    at: str,
) -> str:
    who = f" ({esc(by)})" if by else ""
    return (
        f"🕒 <b>Đề nghị gia hạn</b> — {esc(unit)}{who}\n"
        f"Nhiệm vụ <b>{esc(ref)}</b>: {esc(first_words(text, 16))}\n"
        f"Hạn hiện tại: {fmt_date(due) if due else NO_DEADLINE}; đề nghị đến: "
        f"<b>{fmt_date(proposed)}</b>{_note_line(reason, 'Lý do')}\n"
        f"Gửi lúc {esc(at)}."
    )


def extension_approved(ref: str, new_due: date, original: date | None, at: str) -> str:
    first = f" (hạn ban đầu {fmt_date(original)})" if original else ""
    return (
        f"✅ Đề nghị gia hạn nhiệm vụ <b>{esc(ref)}</b> đã được đồng ý lúc {esc(at)}. "
        f"Hạn mới: <b>{fmt_date(new_due)}</b>{first}; hoàn thành đến hết ngày này được tính là "
        "đúng hạn."
    )


def extension_rejected(ref: str, due: date | None, at: str) -> str:
    when = fmt_date(due) if due else NO_DEADLINE
    return (
        f"❌ Đề nghị gia hạn nhiệm vụ <b>{esc(ref)}</b> không được đồng ý (lúc {esc(at)}). "
        f"Hạn vẫn là {when}."
    )


def extension_decided(unit: str, ref: str, approved: bool, due: date | None, at: str) -> str:
    if approved:
        return (
            f"Đã đồng ý gia hạn nhiệm vụ <b>{esc(ref)}</b> của {esc(unit)} đến "
            f"<b>{fmt_date(due)}</b> lúc {esc(at)}; đã báo đơn vị."
        )
    return (
        f"Đã không đồng ý gia hạn nhiệm vụ <b>{esc(ref)}</b> của {esc(unit)} lúc {esc(at)}; "
        "đã báo đơn vị."
    )


def completion_notice(
    unit: str, ref: str, text: str, by: str | None, at: str, note: str | None, on_time: bool
) -> str:
    who = f" ({esc(by)})" if by else ""
    state = "đúng hạn" if on_time else "quá hạn"
    return (
        f"✅ <b>{esc(unit)}</b>{who} báo hoàn thành nhiệm vụ <b>{esc(ref)}</b> lúc {esc(at)} "
        f"({state}).\n{esc(first_words(text, 16))}{_note_line(note)}"
    )


def returned_to_unit(ref: str, reason: str | None, at: str) -> str:
    return (
        f"↩️ Nhiệm vụ <b>{esc(ref)}</b> được trả lại (chưa đạt) lúc {esc(at)}; "
        f"xin đơn vị bổ sung và báo lại.{_note_line(reason, 'Lý do')}"
    )


STOP_USAGE = (
    "Cách dùng: /dungky &lt;mã nhiệm vụ&gt; &lt;lý do&gt;, ví dụ: /dungky 17 đã có văn bản "
    "thay thế. Mã nhiệm vụ là số sau dấu # trong danh sách nhiệm vụ."
)
BUTTON_STOP_PERIODS = "⏹ Dừng báo cáo định kỳ"
STOP_OFFER = "Văn phòng có thể dừng theo dõi báo cáo định kỳ này (đơn vị sẽ được báo):"
ASK_STOP_REASON = (
    "Dừng báo cáo định kỳ <b>{ref}</b> của {unit}: xin gõ lý do (đơn vị sẽ được báo), "
    "hoặc bấm «Thôi»."
)


def ask_stop_reason(ref: str, unit: str) -> str:
    return ASK_STOP_REASON.format(ref=esc(ref), unit=esc(unit))


def stopped_confirmed(unit: str, ref: str, at: str) -> str:
    return (
        f"⏹ Đã dừng báo cáo định kỳ <b>{esc(ref)}</b> của {esc(unit)} lúc {esc(at)}; "
        "không mở kỳ mới nữa. Đã báo đơn vị."
    )


def stopped_to_unit(ref: str, reason: str | None, at: str) -> str:
    return (
        f"⏹ Văn phòng đã dừng báo cáo định kỳ nhiệm vụ <b>{esc(ref)}</b> lúc {esc(at)}: "
        f"từ nay đơn vị không phải báo cáo theo kỳ cho nhiệm vụ này."
        f"{_note_line(reason, 'Lý do')}"
    )


def returned_confirmed(unit: str, ref: str, at: str) -> str:
    return f"Đã trả lại nhiệm vụ <b>{esc(ref)}</b> của {esc(unit)} lúc {esc(at)}; đã báo đơn vị."


def notify_usage(on: bool) -> str:
    return NOTIFY_USAGE.format(state="đang bật" if on else "đang tắt")


# --- Reminders (messages) ---------------------------------------------------------------------

REMINDER_DUE_DAYS = "⏰ <b>Nhắc hạn: còn {days} ngày</b> (hạn {due})"
REMINDER_DUE_TODAY = "⏰ <b>Nhắc hạn: hôm nay là hạn cuối</b> ({due})"
REMINDER_OVERDUE = "⚠️ <b>Quá hạn {days} ngày</b> (hạn {due})"
REMINDER_BODY = "{heading}\n\n{title}, nhiệm vụ <b>{ref}</b>:\n{text}\n\n{footer}"
REMINDER_FOOTER = (
    "Khi đã hoàn thành, Anh/Chị bấm «✅ Hoàn thành» hoặc trả lời tin nhắn này. "
    "Nếu cần thêm thời gian, xin bấm «🕒 Xin gia hạn»."
)
REMINDER_OVERDUE_FOOTER = (
    "Nhiệm vụ đã quá hạn. Anh/Chị vui lòng hoàn thành và báo lại (bấm «✅ Hoàn thành» hoặc "
    "trả lời tin nhắn này), hoặc bấm «🕒 Xin gia hạn» nếu cần thêm thời gian."
)
CHECKIN_HEADING = "📝 <b>Báo cáo tiến độ định kỳ tháng {month}</b>"
CHECKIN_FOOTER = (
    "Anh/Chị vui lòng trả lời tin nhắn này bằng vài dòng về tiến độ thực hiện trong tháng. "
    "Nội dung được ghi nhận là báo cáo tiến độ, nhiệm vụ vẫn tiếp tục được theo dõi."
)
LATE_LIST_HEADER = "⚠️ <b>Nhiệm vụ quá hạn</b> ({count}) — các đơn vị sau chưa báo hoàn thành:"
ESCALATION_HEADER = (
    "🚨 <b>Đề nghị đôn đốc</b> ({count}): nhiệm vụ đã quá hạn từ {days} ngày trở lên, "
    "đơn vị chưa báo hoàn thành:"
)
LIST_LINE = "• <b>{unit}</b> — {title}, nhiệm vụ {ref}: {words}\n   Hạn {due}, quá hạn {days} ngày"
ESCALATION_HEAD = "   Trưởng đơn vị: {heads}"
ESCALATION_NO_HEAD = "   Đơn vị chưa có trưởng đơn vị đăng ký Nhắc Việc."
CHAT_BLOCKED = (
    "🚫 Nhắc Việc không gửi được tin nhắn tới {who}{unit}: {reason}. Đã tạm ngừng gửi tới "
    "cuộc trò chuyện này. Nhờ Anh/Chị liên hệ để họ mở lại Nhắc Việc (gửi /start)."
)
CHAT_BLOCKED_GROUP = "nhóm «{title}»"
CHAT_BLOCKED_PERSON = "{name}"
CHAT_BLOCKED_UNKNOWN = "cuộc trò chuyện {chat_id}"
CHAT_BLOCKED_UNIT = " ({unit})"
CHAT_BLOCKED_REASON = "người dùng đã chặn bot hoặc bot đã bị xóa khỏi nhóm"


def reminder_due(
    days: int,
    due: date,
    title: str,
    ref: str,
    text: str,
    overdue: bool = False,
    period_key: str | None = None,
) -> str:
    if overdue:
        heading = REMINDER_OVERDUE.format(days=days, due=fmt_date(due))
    elif days <= 0:
        heading = REMINDER_DUE_TODAY.format(due=fmt_date(due))
    else:
        heading = REMINDER_DUE_DAYS.format(days=days, due=fmt_date(due))
    if period_key is not None:
        heading += f"\n🔁 Báo cáo {period_name(period_key)}"
    return REMINDER_BODY.format(
        heading=heading,
        title=title,
        ref=esc(ref),
        text=esc(text),
        footer=REMINDER_OVERDUE_FOOTER if overdue else REMINDER_FOOTER,
    )


def checkin(month: str, title: str, ref: str, text: str) -> str:
    return REMINDER_BODY.format(
        heading=CHECKIN_HEADING.format(month=esc(month)),
        title=title,
        ref=esc(ref),
        text=esc(text),
        footer=CHECKIN_FOOTER,
    )


def list_line(
    unit: str, title: str, ref: str, text: str, due: date, days: int, heads: Sequence[str] | None
) -> str:
    line = LIST_LINE.format(
        unit=esc(unit),
        title=title,
        ref=esc(ref),
        words=esc(first_words(text, 12)),
        due=fmt_date(due),
        days=days,
    )
    if heads is None:
        return line
    if not heads:
        return f"{line}\n{ESCALATION_NO_HEAD}"
    return f"{line}\n" + ESCALATION_HEAD.format(heads=", ".join(esc(h) for h in heads))


def chat_blocked(
    kind: str, title: str | None, person: str | None, unit: str | None, chat_id: int
) -> str:
    if kind == "group" and title:
        who = CHAT_BLOCKED_GROUP.format(title=esc(title))
    elif person:
        who = CHAT_BLOCKED_PERSON.format(name=esc(person))
    else:
        who = CHAT_BLOCKED_UNKNOWN.format(chat_id=chat_id)
    where = CHAT_BLOCKED_UNIT.format(unit=esc(unit)) if unit else ""
    return CHAT_BLOCKED.format(who=who, unit=where, reason=CHAT_BLOCKED_REASON)


HAN_USAGE = (
    "Cách dùng: /han &lt;mã nhiệm vụ&gt; &lt;ngày&gt;, ví dụ /han 17 20/10/2025. "
    "Mã nhiệm vụ là số sau dấu # trong danh sách nhiệm vụ."
)
HAN_SET = "Đã đặt hạn cho nhiệm vụ {ref} (mã #{id}) của {unit}: <b>{date}</b>."
HAN_ERRORS = {
    "unknown": "Không tìm thấy nhiệm vụ #{id}.",
    "done": "Nhiệm vụ #{id} đã hoàn thành, không đặt lại hạn.",
}

MUTE_ON = (
    "🔕 Đã tắt nhắc hạn trước hạn cho {unit}. Nhắc quá hạn vẫn được gửi. Gửi /batnhac để bật lại."
)
MUTE_ALREADY_ON = "🔕 Nhắc hạn của {unit} đang tắt. Gửi /batnhac để bật lại."
MUTE_OFF = "🔔 Đã bật lại nhắc hạn cho {unit}."
MUTE_ALREADY_OFF = "🔔 Nhắc hạn của {unit} đang bật."


# --- nhacviec demo: the console lines and the page's labels --------------------------------

CLI_HELP_DEMO = "chạy thử toàn bộ sản phẩm trong trình duyệt, không cần Telegram"
CLI_HELP_DEMO_KEEP = "giữ dữ liệu của lần chạy thử trước (mặc định: bắt đầu lại từ đầu)"
CLI_HELP_DEMO_DIR = "thư mục dữ liệu chạy thử (mặc định: data/demo)"
CLI_HELP_DEMO_PORT = "cổng của trang chạy thử trên 127.0.0.1 (mặc định: 8765)"
CLI_HELP_DEMO_NO_BROWSER = "không tự mở trình duyệt, chỉ in địa chỉ"
CLI_HELP_DEMO_EXIT_AFTER = "tự dừng sau ngần ấy giây (để kiểm tra tự động)"
CLI_DEMO_READY = (
    "Bản chạy thử Nhắc Việc: mở {url} trong trình duyệt.\n"
    "Dữ liệu nằm trong {folder}; không cần token, không cần mạng. Nhấn Ctrl+C để dừng."
)
CLI_DEMO_STOPPED = "Đã dừng bản chạy thử."

DEMO_PAGE = {
    "title": "Nhắc Việc — chạy thử",
    "subtitle": "Mỗi cột là khung chat Telegram của một người; bot chạy thật trên máy này.",
    "clock": "Đồng hồ chạy thử",
    "plus_day": "+1 ngày",
    "plus_week": "+1 tuần",
    "samples": "Công văn mẫu:",
    "starting": "Đang đăng ký mọi người bằng link mời…",
    "failed": "Không đăng ký được mọi người: ",
    "placeholder": "Nhập tin nhắn…",
    "send": "Gửi",
    "attach": "📎 Tệp",
    "send_sample": "Gửi {name}",
    "reply": "Trả lời",
    "replying": "Trả lời tin nhắn:",
    "cancel_reply": "Bỏ trả lời",
    "download": "Tải về",
    "photo": "Ảnh",
    "edited": "đã sửa",
    "bot": "bot",
    "no_messages": "Chưa có tin nhắn.",
    "button_failed": "Nút này không còn dùng được.",
}


def demo_clock(moment: datetime) -> str:
    """The demo clock as the page shows it: «Thứ Hai, 07/12/2026 08:30»."""
    return f"{WEEKDAY_NAMES[moment.weekday()]}, {moment.strftime('%d/%m/%Y %H:%M')}"


# --- The dashboard (Telegram Mini App) ---------------------------------------------------------

WEB_APP_BUTTON = "📊 Mở bảng theo dõi"
WEB_APP_MENU_BUTTON = "Bảng theo dõi"
WEB_APP_TITLE = "Nhắc Việc — Bảng theo dõi"
# Every word the page shows; the server puts them in the page, so they live here too.
WEB_APP_LABELS = {
    "loading": "Đang tải…",
    "auth_failed": (
        "Không xác thực được phiên Telegram. Xin mở lại bảng theo dõi từ nút trong Nhắc Việc."
    ),
    "not_registered": "Anh/Chị chưa đăng ký sử dụng Nhắc Việc, nên không có dữ liệu để xem.",
    "not_found": "Không tìm thấy.",
    "error": "Có lỗi, xin thử lại.",
    "scope_office": "Toàn bộ các đơn vị",
    "tab_units": "Theo đơn vị",
    "tab_dispatches": "Theo văn bản",
    "tab_overdue": "Quá hạn",
    "tab_trend": "Xu hướng",
    "filter_dispatch": "Văn bản",
    "filter_unit": "Đơn vị",
    "filter_group": "Nhóm đơn vị",
    "filter_status": "Tình trạng",
    "filter_from": "Hạn từ ngày",
    "filter_to": "đến ngày",
    "all": "Tất cả",
    "apply": "Lọc",
    "total": "Tổng số nhiệm vụ",
    "extended": "Được gia hạn",
    "col_unit": "Đơn vị",
    "col_dispatch": "Văn bản",
    "col_total": "Tổng",
    "col_task": "Nhiệm vụ",
    "col_due": "Hạn",
    "col_days": "Quá hạn (ngày)",
    "col_head": "Trưởng đơn vị",
    "col_week": "Tuần từ",
    "col_came_due": "Đến hạn",
    "page": "Trang {page}/{pages}",
    "prev": "‹ Trước",
    "next": "Sau ›",
    "empty": "Không có nhiệm vụ nào.",
    "history": "Lịch sử",
    "extensions": "Đề nghị gia hạn",
    "attachments": "Tệp báo cáo",
    "note": "Ghi chú",
    "status": "Tình trạng",
    "close": "Đóng",
    "approve": "Đồng ý gia hạn",
    "reject": "Không đồng ý",
    "return": "Trả lại (chưa đạt)",
    "return_reason": "Lý do trả lại",
    "set_deadline": "Đặt hạn",
    "done_ok": "Đã ghi nhận.",
    "report": "Tải báo cáo (.docx)",
    "ext_pending": "chờ duyệt",
    "ext_approved": "đã đồng ý",
    "ext_rejected": "không đồng ý",
    "ext_cancelled": "đã hủy",
    "proposed": "đề nghị đến",
}
WEB_APP_DONE = {
    "approved": "Đã đồng ý gia hạn; đơn vị được báo.",
    "rejected": "Đã không đồng ý gia hạn; đơn vị được báo.",
    "returned": "Đã trả lại nhiệm vụ; đơn vị được báo.",
    "deadline": "Đã đặt hạn mới.",
}
WEB_APP_BAD_DATE = "Ngày không hợp lệ."
WEB_APP_REPORT_SENT = "Đã gửi báo cáo (.docx) vào cuộc trò chuyện với Nhắc Việc."


# --- The official report (/baocao) -------------------------------------------------------------

from services.report import ReportDocument  # noqa: E402  (sections are edited independently)

REPORT_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
REPORT_ISSUER_BLANK = "TÊN CƠ QUAN, TỔ CHỨC"
REPORT_NUMBER_LINE = "Số:        /BC-"
REPORT_PLACE_BLANK = "……"
REPORT_TITLE = "BÁO CÁO"
REPORT_SUBJECT = "Tình hình thực hiện nhiệm vụ"
REPORT_SUBJECT_DISPATCH = "Tình hình thực hiện nhiệm vụ theo {title}"
REPORT_SUBJECT_PERIOD = " {period}"
REPORT_INTRO = (
    "Thực hiện chế độ theo dõi, đôn đốc việc thực hiện nhiệm vụ được giao, tính đến ngày "
    "{today}, tình hình thực hiện {scope} như sau:"
)
REPORT_SCOPE_ALL = "các nhiệm vụ của các văn bản đang theo dõi"
REPORT_SCOPE_DISPATCH = "các nhiệm vụ theo {title}"
REPORT_FIGURES = (
    "Tổng số nhiệm vụ: {total}; trong đó hoàn thành đúng hạn {done_on_time} ({p_on_time}%), "
    "hoàn thành quá hạn {done_late} ({p_late}%), đang thực hiện trong hạn {in_progress} "
    "({p_progress}%), quá hạn chưa hoàn thành {overdue} ({p_overdue}%), không có hạn "
    "{no_deadline} ({p_none}%). Số nhiệm vụ được gia hạn: {extended}."
)
REPORT_BY_UNIT = "Kết quả thực hiện theo từng đơn vị:"
REPORT_TABLE_HEADERS = (
    "STT",
    "Đơn vị",
    "Số nhiệm vụ",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Đang thực hiện",
    "Quá hạn",
    "Ghi chú",
)
REPORT_TOTAL_ROW = "Tổng cộng"
REPORT_NOTE_EXTENDED = "Gia hạn: {count}"
REPORT_NOTE_NO_DEADLINE = "Không có hạn: {count}"
REPORT_OVERDUE_HEADING = "Danh sách nhiệm vụ quá hạn chưa hoàn thành:"
REPORT_OVERDUE_NONE = "Không có nhiệm vụ quá hạn chưa hoàn thành."
REPORT_OVERDUE_LINE = "{index}. {unit}: {task} ({dispatch}), hạn {due}, quá hạn {days} ngày."
REPORT_OVERDUE_MORE = "… và {count} nhiệm vụ quá hạn khác (xem tệp Excel /xuat)."
REPORT_RECIPIENTS_HEADING = "Nơi nhận:"
REPORT_RECIPIENTS = ("- Như trên;", "- Lưu: VT.")
REPORT_SIGNER_BLANK = "THỦ TRƯỞNG CƠ QUAN"
REPORT_USAGE = (
    "Cách dùng: /baocao [số hiệu văn bản] [kỳ], ví dụ /baocao 14-CV/TU quý IV/2026. "
    "Không ghi số hiệu: báo cáo mọi văn bản đang theo dõi."
)
REPORT_EMPTY = "Chưa có nhiệm vụ nào để báo cáo."
REPORT_CAPTION = "📄 Báo cáo tình hình thực hiện nhiệm vụ, tính đến ngày {today}: sẵn sàng để ký."
REPORT_FILE_NAME = "bao-cao-{today}.docx"


def report_file_name(today: date) -> str:
    return REPORT_FILE_NAME.format(today=today.strftime("%Y-%m-%d"))


def report_caption(today: date) -> str:
    return REPORT_CAPTION.format(today=fmt_date(today))


def report_place_date(place: str, today: date) -> str:
    where = place or REPORT_PLACE_BLANK
    return f"{where}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"


def _plain_dispatch(kind: str, number: str | None, subject: str | None) -> str:
    # The .docx is not HTML: the dispatch title without Telegram's escaping.
    return html.unescape(dispatch_title(kind, number, subject))


def report_table_row(index: str, name: str, counts: Counts) -> tuple[str, ...]:
    notes = []
    if counts.extended:
        notes.append(REPORT_NOTE_EXTENDED.format(count=counts.extended))
    if counts.no_deadline:
        notes.append(REPORT_NOTE_NO_DEADLINE.format(count=counts.no_deadline))
    return (
        index,
        name,
        str(counts.total),
        str(counts.done_on_time),
        str(counts.done_late),
        str(counts.in_progress + counts.no_deadline),
        str(counts.overdue),
        "; ".join(notes),
    )


def report_document(
    summary: Summary,
    overdue: Sequence[OverdueRow],
    *,
    dispatch: DispatchRef | None,
    period: str,
    issuer: str,
    place: str,
    signer_title: str,
    signer_name: str,
    overdue_limit: int = 300,
) -> ReportDocument:
    """The words of the report; services.report lays them out."""
    total = summary.total
    shares = total.percentages()
    if dispatch is not None:
        title = _plain_dispatch(dispatch.kind, dispatch.number, dispatch.subject)
        subject = REPORT_SUBJECT_DISPATCH.format(title=title)
        scope = REPORT_SCOPE_DISPATCH.format(title=title)
    else:
        subject, scope = REPORT_SUBJECT, REPORT_SCOPE_ALL
    if period:
        subject += REPORT_SUBJECT_PERIOD.format(period=period)
    figures = REPORT_FIGURES.format(
        total=total.total,
        done_on_time=total.done_on_time,
        p_on_time=shares[Category.DONE_ON_TIME],
        done_late=total.done_late,
        p_late=shares[Category.DONE_LATE],
        in_progress=total.in_progress,
        p_progress=shares[Category.IN_PROGRESS],
        overdue=total.overdue,
        p_overdue=shares[Category.OVERDUE],
        no_deadline=total.no_deadline,
        p_none=shares[Category.NO_DEADLINE],
        extended=total.extended,
    )
    rows = [
        report_table_row(str(index), unit.name, unit.counts)
        for index, unit in enumerate(summary.by_unit, start=1)
    ]
    rows.append(report_table_row("", REPORT_TOTAL_ROW, total))
    after: list[str] = [REPORT_OVERDUE_HEADING]
    for index, row in enumerate(overdue[:overdue_limit], start=1):
        line = row.task
        after.append(
            REPORT_OVERDUE_LINE.format(
                index=index,
                unit=line.unit_name,
                task=f"{line.task_ref}. {first_words(line.task_text, 24)}",
                dispatch=_plain_dispatch(
                    line.dispatch_kind, line.dispatch_number, line.dispatch_subject
                ),
                due=fmt_date(line.due_on),
                days=row.days_overdue,
            )
        )
    if not overdue:
        after.append(REPORT_OVERDUE_NONE)
    elif len(overdue) > overdue_limit:
        after.append(REPORT_OVERDUE_MORE.format(count=len(overdue) - overdue_limit))
    return ReportDocument(
        issuer=(issuer or REPORT_ISSUER_BLANK).upper(),
        number_line=REPORT_NUMBER_LINE,
        motto=REPORT_MOTTO,
        place_date=report_place_date(place, summary.today),
        title=REPORT_TITLE,
        subject=subject,
        body=(
            REPORT_INTRO.format(today=fmt_date(summary.today), scope=scope),
            figures,
            REPORT_BY_UNIT,
        ),
        table_headers=REPORT_TABLE_HEADERS,
        table_rows=tuple(rows),
        after_table=tuple(after),
        recipients_heading=REPORT_RECIPIENTS_HEADING,
        recipients=REPORT_RECIPIENTS,
        signer_title=(signer_title or REPORT_SIGNER_BLANK).upper(),
        signer_name=signer_name,
    )
