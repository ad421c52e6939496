"""Completion replies, progress notes and extensions."""

from __future__ import annotations

from datetime import date

from bot.texts.access import NOT_ALLOWED, NOT_YOURS
from bot.texts.common import NO_DEADLINE, esc, fmt_date

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
