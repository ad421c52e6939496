"""The official report (/baocao)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from bot.texts.common import dispatch_title, first_words, fmt_date
from services.report import ReportDocument
from services.summaries import Category, Counts, DispatchRef, OverdueRow, Summary

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
