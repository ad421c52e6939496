"""Access control: who may do what, said politely."""

from __future__ import annotations

from bot.texts.common import esc

NOT_REGISTERED = (
    "Anh/Chị chưa đăng ký sử dụng Nhắc Việc nên chưa thể dùng chức năng này. "
    "Gõ /start để xem hướng dẫn đăng ký."
)
NOT_ALLOWED = "Xin lỗi, chức năng này chỉ dành cho bộ phận văn phòng hoặc lãnh đạo theo dõi."
NOT_ALLOWED_ADMIN = "Xin lỗi, chức năng này chỉ dành cho quản trị viên."
NOT_ALLOWED_HEAD = (
    "Xin lỗi, chỉ lãnh đạo (thủ trưởng) của đơn vị mới tắt hoặc bật được nhắc hạn của đơn vị."
)
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
