"""Summaries, history, overdue lists, the digest and the audit-log labels."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime, tzinfo

from bot.texts.common import NO_DEADLINE, dispatch_title, esc, first_words, fmt_date
from bot.texts.periods import period_label, period_name
from services.summaries import (
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
    "draft.units_added": "Thêm đơn vị chủ trì hoặc phối hợp (bản nháp)",
    "draft.unit_removed": "Bỏ đơn vị chủ trì hoặc phối hợp (bản nháp)",
    "draft.unmatched_dropped": "Bỏ tên đơn vị chưa xác định (bản nháp)",
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
