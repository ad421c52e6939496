"""nhacviec demo: the console lines and the page's labels."""

from __future__ import annotations

from datetime import datetime

from bot.texts.cli import WEEKDAY_NAMES

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
