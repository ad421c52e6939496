"""Periodic obligations (services.periods)."""

from __future__ import annotations

from datetime import date

from bot.texts.common import NO_DEADLINE, esc, first_words, fmt_date
from bot.texts.replies import NO_OPEN_TASKS, NOTIFY_USAGE, PICK_MANY, PICK_ONE, _note_line

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


def extension_decision_to_unit(
    ref: str, approved: bool, due: date | None, original: date | None, at: str
) -> str:
    """What the unit is told of the office's decision on its request."""
    if approved and due is not None:
        return extension_approved(ref, due, original, at)
    return extension_rejected(ref, due, at)


def undo_notice(unit: str, ref: str, by: str | None, at: str) -> str:
    """To those who heard of a completion: the unit took it back."""
    who = f" ({esc(by)})" if by else ""
    return (
        f"↩️ <b>{esc(unit)}</b>{who} đã hoàn tác báo hoàn thành nhiệm vụ <b>{esc(ref)}</b> "
        f"lúc {esc(at)}; nhiệm vụ trở lại trạng thái đang thực hiện."
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
