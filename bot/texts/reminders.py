"""Reminders and the messages of the delivery path."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.texts.common import esc, first_words, fmt_date
from bot.texts.periods import period_name

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
