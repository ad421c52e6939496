"""/baocao [số hiệu] [kỳ]: the official report, a .docx ready to sign (office only).

The figures are /tonghop's (services.summaries.status_summary) and the overdue list is
/quahan's; the dashboard's «Tải báo cáo» button builds the same document through
:func:`render_report`.
"""

from __future__ import annotations

import asyncio
from datetime import date

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import CommandHandler

from bot import texts
from bot.access import OFFICE, guarded
from bot.context import AnyApplication, AppContext, Deps
from services.people import Actor
from services.report import build_report
from services.summaries import DispatchRef, find_dispatches, overdue_list, status_summary


async def render_report(
    deps: Deps, actor: Actor, *, today: date, dispatch: DispatchRef | None, period: str
) -> bytes | None:
    """The report's bytes, or None when there is nothing to report."""
    dispatch_id = dispatch.dispatch_id if dispatch else None
    async with deps.session_factory() as session:
        summary = await status_summary(session, today=today, dispatch_id=dispatch_id)
        overdue = await overdue_list(session, today=today, dispatch_id=dispatch_id)
    if summary.total.total == 0:
        return None
    settings = deps.settings
    content = texts.report_document(
        summary,
        overdue,
        dispatch=dispatch,
        period=period,
        issuer=settings.report_issuer,
        place=settings.report_place,
        signer_title=settings.report_signer_title,
        signer_name=actor.name,
    )
    return await asyncio.to_thread(build_report, content)


async def baocao_command(update: Update, context: AppContext) -> None:
    """/baocao [số hiệu] [kỳ]: a dispatch's (or every dispatch's) report; the rest is the period."""
    message, actor, deps = update.effective_message, context.actor, context.deps
    assert message is not None
    assert actor is not None
    args = list(context.args or ())
    dispatch: DispatchRef | None = None
    if args:
        async with deps.session_factory() as session:
            found = await find_dispatches(session, args[0])
        if len(found) > 1:
            await message.reply_html(texts.summary_dispatch_ambiguous(args[0], found))
            return
        if found:
            dispatch = found[0]
            args = args[1:]
        elif "/" in args[0]:  # written like a number ("14-CV/TU") but no such dispatch
            await message.reply_html(texts.REPORT_USAGE)
            return
    await message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    today = deps.today()
    data = await render_report(deps, actor, today=today, dispatch=dispatch, period=" ".join(args))
    if data is None:
        await message.reply_html(texts.REPORT_EMPTY)
        return
    await message.reply_document(
        data, filename=texts.report_file_name(today), caption=texts.report_caption(today)
    )


def register(application: AnyApplication) -> None:
    application.add_handler(CommandHandler("baocao", guarded(baocao_command, OFFICE)))
