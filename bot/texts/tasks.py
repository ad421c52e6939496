"""A unit's task list."""

from __future__ import annotations

from datetime import date

from bot.texts.common import NO_DEADLINE, dispatch_title, esc, first_words, fmt_date
from bot.texts.periods import period_name
from services.assignments import DeadlineSet

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


def deadline_moved_to_unit(moved: DeadlineSet) -> str:
    """The unit hears when the office sets or moves its deadline: the old and the new."""
    row = moved.row
    title = dispatch_title(row.dispatch_kind, row.dispatch_number, row.dispatch_subject)
    before = fmt_date(moved.previous) if moved.previous else NO_DEADLINE
    return (
        f"📅 Văn phòng đã điều chỉnh hạn <b>nhiệm vụ {esc(row.task_ref)}</b> ({title}): "
        f"từ {before} thành <b>{fmt_date(row.due_on)}</b>.\n"
        f"<i>{esc(first_words(row.task_text))}</i>"
    )
