"""The command line, the settings check and Telegram's command menu."""

from __future__ import annotations

from datetime import date

from bot.texts.common import fmt_date

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

# --- The command line's help, argparse's own words included -----------------------------------

CLI_DESCRIPTION = "Nhắc Việc: bot Telegram theo dõi nhiệm vụ từ công văn."
CLI_COMMAND = "LỆNH"
CLI_HELP = {
    "run": "cập nhật CSDL rồi chạy bot (long polling/webhook)",
    "db": "quản lý cơ sở dữ liệu",
    "db upgrade": "tạo/cập nhật lược đồ CSDL",
    "parse": "đọc một công văn và in các nhiệm vụ",
    "parse file": "tệp .txt, .md, .docx, .pdf",
    "parse --json": "in JSON theo SCHEMA.md",
    "units": "danh sách đơn vị",
    "units import": "nhập đơn vị từ tệp CSV",
    "units import file": "CSV: name,aliases,groups (ngăn cách bằng |)",
    "units export": "xuất đơn vị ra CSV (stdout)",
    "units list": "liệt kê đơn vị",
    "units match": "xem một tên đơn vị khớp với đâu",
    "units match name": "tên đơn vị như trong văn bản",
    "units match --json": "in JSON",
    "calendar": "in các ngày nghỉ (lễ, Tết, nghỉ bù, cuối tuần) bot dùng trong năm",
    "calendar year": "năm, ví dụ 2027 (mặc định: năm nay theo TIMEZONE)",
    "invite": "tạo link mời đăng ký",
    "invite --unit": "tên đơn vị (bắt buộc với head/member)",
    "invite --role": "vai trò người được mời",
}
CLI_METAVARS = {
    "year": "NĂM",
    "seconds": "GIÂY",
    "file": "TỆP",
    "name": "TÊN",
    "unit": "ĐƠN_VỊ",
}

# argparse's own words (Python 3.11–3.13), keyed by its English message.
ARGPARSE_WORDS = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "cần có: %s",
    "one of the arguments %s is required": "cần một trong các tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "không có lựa chọn %(value)r (hãy chọn một trong: %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r?": (
        "không có lựa chọn %(value)r; có phải ý bạn là %(closest)r?"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần kiểu %(type)s)",
    "unrecognized arguments: %s": "không nhận ra tham số: %s",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s chưa rõ: có thể là %(matches)s"
    ),
    "not allowed with argument %s": "không dùng được cùng tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)"
    ),
}
ARGPARSE_PLURALS = {
    ("expected %s argument", "expected %s arguments"): "cần %s giá trị",
}
