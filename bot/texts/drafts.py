"""A dispatch's draft: review, corrections, confirmation and assignment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.texts.common import NO_DEADLINE, dispatch_title, esc, first_words, fmt_date
from bot.texts.summaries import RULE_EVERY
from services.periods import parse_rule

DUE_KIND_LABELS = {
    "deadline": "Hạn",
    "start": "Bắt đầu",
    "recurring": "Thường xuyên",
    "on_request": "Khi có yêu cầu",
    "after_event": "Chờ văn bản/sự kiện",
    "roadmap": "Theo lộ trình",
}
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
BUTTON_LEADS = "👥 Đơn vị chủ trì"
BUTTON_SUPPORTS = "🤝 Đơn vị phối hợp"
BUTTON_REMOVE_UNIT = "➖ Bỏ {name}"
BUTTON_ADD_UNIT = "➕ {name}"
BUTTON_DROP_NAME = "✖ Không phải đơn vị: «{name}»"
BUTTON_TO_TASK = "« Về nhiệm vụ"
BUTTON_TO_DRAFT = "📋 Xong, về bản nháp"
BUTTON_SET_DUE = "Đặt hạn"
BUTTON_CLEAR_DUE = "Xóa hạn"
BUTTON_DROP = "Bỏ nhiệm vụ này"
BUTTON_USE_RULE = "🔁 {ref}: theo dõi {rule}"
BUTTON_NO_RULE = "{ref}: không theo dõi theo kỳ"
BUTTON_SEARCH_UNIT = "🔎 Thêm đơn vị theo tên"

PICK_TASK = "Chọn nhiệm vụ cần sửa:"
TASK_MENU = "Nhiệm vụ <b>{ref}</b>: {words}\nChọn việc cần sửa:"
ASK_UNIT_NAME = (
    "Nhập tên đơn vị cần thêm làm <b>{role}</b> (ví dụ: Sở Nội vụ; nhiều đơn vị thì cách "
    "nhau bằng dấu phẩy). Gõ /huy để thôi."
)
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
TASK_ADDED = "Đã thêm nhiệm vụ {ref} ({added})."
TASK_ADDED_NO_LEAD = "Chưa xác định được đơn vị chủ trì: xin chọn hoặc thêm theo tên."
# A task the office typed into the draft, not read from the dispatch.
ADDED_BY_OFFICE = "do văn phòng bổ sung"
ROLE_NAMES = {"lead": "đơn vị chủ trì", "support": "đơn vị phối hợp"}
UNITS_HEAD = "<b>{role} của nhiệm vụ {ref}</b>:"
UNITS_NONE = "(chưa có)"
UNITS_HELP = "Bấm ➖ để bỏ một đơn vị, ➕ để thêm đơn vị gợi ý, hoặc «{search}»."
UNITS_ADDED = "Đã thêm {names}."
UNITS_ALREADY = (
    "Không có gì thay đổi: đơn vị này đã có trong nhiệm vụ (đơn vị chủ trì thì không "
    "đồng thời là đơn vị phối hợp)."
)
UNIT_REMOVED = "Đã bỏ {name}."
NAME_DROPPED = "Đã bỏ «{name}» khỏi danh sách cần xác định."
ASK_WHICH_UNIT = "Chưa rõ «{name}» là đơn vị nào; xin chọn một đơn vị ➕ bên dưới."
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
    "Nhiệm vụ <b>{ref}</b>{added}: {text}\n"
    "{deadline}\n\n"
    "Khi hoàn thành, Anh/Chị bấm «✅ Hoàn thành» hoặc trả lời (reply) tin này bằng «xong» "
    "kèm ghi chú. Nếu cần thêm thời gian, xin bấm «🕒 Xin gia hạn»."
)
SUPPORT_COPY = (
    "ℹ️ <b>Phối hợp</b> — {title}\n"
    "Đơn vị được đề nghị phối hợp thực hiện nhiệm vụ <b>{ref}</b>{added}: {text}\n"
    "Chủ trì: {leads}\n{deadline}\n(Tin để biết, không cần báo cáo hoàn thành.)"
)
BUTTON_DONE = "✅ Hoàn thành"
BUTTON_EXTEND = "🕒 Xin gia hạn"
BUTTON_ORIGINAL = "📄 Văn bản gốc"
ORIGINAL_MISSING = "Văn bản gốc không còn lưu trên máy chủ; xin liên hệ văn phòng."
ORIGINAL_CAPTION = "📄 Văn bản gốc của {title} (nhiệm vụ <b>{ref}</b>)."


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
    support_unmatched: Sequence[str] = (),
    added: bool = False,
) -> str:
    """One task of a draft; ``timings`` are rendered (``due_line``, ``relative_due_line``),
    and ⚠ marks exactly the fields in ``unsure`` ("text", "lead", "support", "due")."""

    def mark(field: str) -> str:
        return f"{UNSURE_MARK} " if field in unsure else ""

    def units(names: Sequence[str], unknown: Sequence[str]) -> list[str]:
        parts = [unit_list(names)] if names else []
        if unknown:
            parts.append(f"{UNMATCHED}: " + ", ".join(f"«{esc(n)}»" for n in unknown))
        return parts

    lead_parts = units(leads, unmatched)
    support_parts = units(supports, support_unmatched)
    origin = f"<i>({ADDED_BY_OFFICE})</i> " if added else ""
    lines = [
        f"<b>{esc(ref)}.</b> {origin}{mark('text')}{esc(first_words(text))}",
        f"   Chủ trì: {mark('lead')}" + ("; ".join(lead_parts) if lead_parts else NO_LEAD),
    ]
    if support_parts or "support" in unsure:
        lines.append(f"   Phối hợp: {mark('support')}" + ("; ".join(support_parts) or NO_SUPPORT))
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


# Said of a deadline only when the message is composed (sent, or sent again), never stored.
DUE_TODAY = "hôm nay"
DUE_TOMORROW = "ngày mai"


def deadline_text(on: date | None, phrase: str | None, today: date | None = None) -> str:
    """The deadline line of a task message: the date, the dispatch's words for it, and with
    ``today`` (the day it is sent) «hôm nay», «ngày mai» or that it has passed."""
    if on is None:
        return f"⏰ Thời hạn: {esc(phrase)}" if phrase else "⏰ Không có hạn"
    notes = []
    if today is not None and on == today:
        notes.append(DUE_TODAY)
    elif today is not None and (on - today).days == 1:
        notes.append(DUE_TOMORROW)
    if phrase:
        notes.append(esc(phrase))
    extra = f" ({'; '.join(notes)})" if notes else ""
    line = f"⏰ Hạn: <b>{fmt_date(on)}</b>{extra}"
    if today is not None and on < today:
        line += f"\n⚠ <b>Hạn đã qua {(today - on).days} ngày</b>"
    return line


# Telegram refuses a message over 4096 characters; a task typed into a draft can be that long.
TASK_TEXT_LIMIT = 3000
SUBJECT_LIMIT = 400


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _added(added: bool) -> str:
    return f" ({ADDED_BY_OFFICE})" if added else ""


def new_task(
    title: str, subject: str | None, ref: str, text: str, deadline: str, added: bool = False
) -> str:
    return NEW_TASK.format(
        title=title,
        subject=f"<i>{esc(clip(subject, SUBJECT_LIMIT))}</i>\n" if subject else "",
        ref=esc(ref),
        added=_added(added),
        text=esc(clip(text, TASK_TEXT_LIMIT)),
        deadline=deadline,
    )


def support_copy(
    title: str, ref: str, text: str, leads: Sequence[str], deadline: str, added: bool = False
) -> str:
    return SUPPORT_COPY.format(
        title=title,
        ref=esc(ref),
        added=_added(added),
        text=esc(clip(text, TASK_TEXT_LIMIT)),
        leads=unit_list(leads),
        deadline=deadline,
    )


def units_screen(role: str, ref: str, names: Sequence[str], unmatched: Sequence[str]) -> str:
    """A task's units of one role, as the buttons under it edit them."""
    role_name = ROLE_NAMES[role]
    lines = [UNITS_HEAD.format(role=role_name[:1].upper() + role_name[1:], ref=esc(ref))]
    lines += [f"• {esc(n)}" for n in names] or [UNITS_NONE]
    if unmatched:
        lines.append(f"{UNMATCHED}: " + ", ".join(f"«{esc(n)}»" for n in unmatched))
    lines.append(UNITS_HELP.format(search=BUTTON_SEARCH_UNIT))
    return "\n".join(lines)


def ask_unit_name(role: str) -> str:
    return ASK_UNIT_NAME.format(role=ROLE_NAMES[role])


def confirmed(assignments: int, title: str, units: int) -> str:
    return CONFIRMED.format(assignments=assignments, title=title, units=units)
