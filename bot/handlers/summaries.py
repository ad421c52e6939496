"""/tonghop, /donvi, /quahan, /nhiemvu and /xuat: the views supervisors ask for.

Each handler reads in its own session, asks services.summaries, renders with bot.texts and
replies. The office sees every unit; a unit's head or member sees their own unit only,
by passing ``actor.unit_id`` to the services (access itself is decided by ``guarded``).
Chart and workbook are built in a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
from functools import partial, wraps

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.constants import ChatAction, ChatType
from telegram.ext import CommandHandler

from bot import texts
from bot.access import EVERYONE, OFFICE, Callback, guarded, refuse
from bot.context import AnyApplication, AppContext, Deps
from bot.ids import db_id
from bot.splitting import reply_long
from models import Role
from services.charts import ChartLabels, render_chart
from services.people import Actor
from services.summaries import (
    export_rows,
    find_dispatches,
    overdue_list,
    status_summary,
    task_history,
)
from services.units import load_unit_index
from services.workbook import WorkbookLabels, build_workbook

CHART_LABELS = ChartLabels(
    title=texts.CHART_TITLE,
    axis=texts.CHART_AXIS,
    categories=texts.CATEGORY_LABELS,
    more_units=texts.CHART_MORE_UNITS,
)
WORKBOOK_LABELS = WorkbookLabels(
    sheet_units=texts.WORKBOOK_SHEET_UNITS,
    sheet_dispatches=texts.WORKBOOK_SHEET_DISPATCHES,
    sheet_assignments=texts.WORKBOOK_SHEET_ASSIGNMENTS,
    columns=texts.WORKBOOK_COLUMNS,
    categories=texts.CATEGORY_LABELS,
    percent=texts.WORKBOOK_PERCENT,
    total_row=texts.WORKBOOK_TOTAL_ROW,
    title=texts.WORKBOOK_TITLE,
    timings=texts.DUE_KIND_LABELS,
)


def dashboard_button(deps: Deps, actor: Actor, chat_type: str) -> InlineKeyboardMarkup | None:
    """«Mở bảng theo dõi» for the office and unit heads, in a private chat (Telegram opens
    Web App buttons only there), when the dashboard is configured; otherwise nothing."""
    settings = deps.settings
    if not settings.web_app_enabled or chat_type != ChatType.PRIVATE:
        return None
    if not (actor.is_office or actor.role == Role.HEAD):
        return None
    assert settings.web_app_url is not None
    button = InlineKeyboardButton(texts.WEB_APP_BUTTON, web_app=WebAppInfo(settings.web_app_url))
    return InlineKeyboardMarkup([[button]])


class _NoScope(Exception):
    """A unit role without a unit (should not happen): show nothing rather than everything."""


def _scope(actor: Actor | None) -> int | None:
    """The unit whose figures the actor may see; None means every unit (the office)."""
    assert actor is not None
    if actor.is_office:
        return None
    if actor.unit_id is None:
        raise _NoScope
    return actor.unit_id


def _unit_safe(callback: Callback) -> Callback:
    """Refuse politely when :func:`_scope` finds a unit role with no unit."""

    @wraps(callback)
    async def wrapper(update: Update, context: AppContext) -> None:
        try:
            await callback(update, context)
        except _NoScope:
            await refuse(update, texts.NOT_ALLOWED)

    return wrapper


async def tonghop_command(update: Update, context: AppContext) -> None:
    """/tonghop [số hiệu]: counts overall, by unit and by dispatch; a chart for the office."""
    message, actor, deps = update.effective_message, context.actor, context.deps
    assert message is not None
    assert actor is not None
    unit_id = _scope(actor)
    today = deps.today()
    number = " ".join(context.args or ()).strip()
    async with deps.session_factory() as session:
        dispatch = None
        if number:
            found = await find_dispatches(session, number, unit_id)
            if not found:
                await message.reply_html(texts.summary_dispatch_not_found(number))
                return
            if len(found) > 1:
                await message.reply_html(texts.summary_dispatch_ambiguous(number, found))
                return
            dispatch = found[0]
        summary = await status_summary(
            session,
            today=today,
            unit_id=unit_id,
            dispatch_id=dispatch.dispatch_id if dispatch else None,
        )
    if dispatch is not None:
        title = texts.summary_title_dispatch(dispatch)
    elif unit_id is not None:
        title = texts.summary_title_unit(actor.unit_name or "")
    else:
        title = texts.SUMMARY_TITLE
    report = texts.summary_report(
        summary, title=title, show_units=unit_id is None, office=actor.is_office
    )
    await reply_long(message, report, dashboard_button(deps, actor, message.chat.type))
    # The chart compares units, so it is for the office's cross-unit views only.
    if unit_id is None and summary.by_unit:
        subtitle = texts.chart_subtitle(today, summary.total.total, dispatch)
        png = await asyncio.to_thread(
            partial(render_chart, summary.by_unit, CHART_LABELS, subtitle=subtitle)
        )
        await message.reply_photo(png, caption=texts.chart_caption(today), filename="tong-hop.png")


async def donvi_command(update: Update, context: AppContext) -> None:
    """/donvi <tên>: one unit's counts, dispatches and overdue tasks (office only)."""
    message, deps = update.effective_message, context.deps
    assert message is not None
    name = " ".join(context.args or ()).strip()
    if not name:
        await message.reply_html(texts.UNIT_USAGE)
        return
    today = deps.today()
    async with deps.session_factory() as session:
        match = (await load_unit_index(session)).match(name)
        if match.kind != "unit" or len(match.unit_ids) != 1 or match.target is None:
            candidates = [c.name for c in match.candidates if c.kind == "unit"]
            await message.reply_html(texts.unit_not_found(name, candidates))
            return
        unit_id = match.unit_ids[0]
        summary = await status_summary(session, today=today, unit_id=unit_id)
        overdue = await overdue_list(session, today=today, unit_id=unit_id)
    await reply_long(message, texts.unit_report(summary, match.target, overdue))


async def quahan_command(update: Update, context: AppContext) -> None:
    """/quahan: overdue assignments with days overdue and the unit's head."""
    message, actor, deps = update.effective_message, context.actor, context.deps
    assert message is not None
    unit_id = _scope(actor)
    today = deps.today()
    async with deps.session_factory() as session:
        rows = await overdue_list(session, today=today, unit_id=unit_id)
    await reply_long(message, texts.overdue_report(rows, today, office=unit_id is None))


async def nhiemvu_command(update: Update, context: AppContext) -> None:
    """/nhiemvu <mã>: one assignment's state and history; the id is the assignment id."""
    message, actor, deps = update.effective_message, context.actor, context.deps
    assert message is not None
    raw = (context.args or [""])[0].lstrip("#")
    if not raw.isdigit():
        await message.reply_html(texts.TASK_USAGE)
        return
    unit_id = _scope(actor)
    today = deps.today()
    async with deps.session_factory() as session:
        history = await task_history(session, db_id(raw), today=today, unit_id=unit_id)
    if history is None:
        await message.reply_html(texts.task_not_found(raw, unit_id is not None))
        return
    await reply_long(message, texts.task_history_report(history, deps.settings.timezone))
    obligation = history.obligation
    if obligation is not None and obligation.stopped_at is None and actor and actor.is_office:
        button = InlineKeyboardButton(
            texts.BUTTON_STOP_PERIODS, callback_data=f"o:stop:{history.task.assignment_id}"
        )
        await message.reply_html(texts.STOP_OFFER, reply_markup=InlineKeyboardMarkup([[button]]))


async def xuat_command(update: Update, context: AppContext) -> None:
    """/xuat: the .xlsx workbook (by unit, by dispatch, every assignment); office only."""
    message, deps = update.effective_message, context.deps
    assert message is not None
    today = deps.today()
    # A large export takes a few seconds: show "sending a file…" meanwhile.
    await message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    async with deps.session_factory() as session:
        summary = await status_summary(session, today=today)
        rows = await export_rows(session, today=today)
    if not rows:
        await message.reply_html(texts.EXPORT_EMPTY)
        return
    tz = deps.settings.timezone
    issued = [row.issued_on for row in summary.by_dispatch if row.issued_on is not None]
    heading = texts.workbook_heading(
        len(summary.by_dispatch),
        summary.total.total,
        min(issued, default=None),
        max(issued, default=None),
        deps.clock.now(),
        tz,
    )
    data = await asyncio.to_thread(
        partial(build_workbook, summary, rows, WORKBOOK_LABELS, tz=tz, heading=heading)
    )
    await message.reply_document(
        data, filename=texts.export_file_name(today), caption=texts.export_caption(today)
    )


def register(application: AnyApplication) -> None:
    # Unit people may ask /tonghop, /quahan and /nhiemvu: the handlers narrow to their unit.
    for name, callback in (
        ("tonghop", tonghop_command),
        ("quahan", quahan_command),
        ("nhiemvu", nhiemvu_command),
    ):
        application.add_handler(CommandHandler(name, guarded(_unit_safe(callback), EVERYONE)))
    application.add_handler(CommandHandler("donvi", guarded(donvi_command, OFFICE)))
    application.add_handler(CommandHandler("xuat", guarded(xuat_command, OFFICE)))
