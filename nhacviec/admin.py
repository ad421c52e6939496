"""The CLI's registry and invite commands: async bodies run one at a time by ``nhacviec``."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TextIO

from bot import texts
from bot.settings import Settings
from bot.username import fetch_bot_username
from models import UNIT_ROLES, Role
from models.db import create_engine, create_session_factory
from services.clock import SystemClock
from services.events import Origin
from services.registration import create_invite
from services.unit_csv import write_units_csv
from services.units import import_units, list_units, load_unit_index, unit_records

CLI = Origin()  # actions from the command line have no Telegram origin


async def units_import(settings: Settings, data: bytes, out: TextIO, err: TextIO) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine).begin() as session:
            result = await import_units(session, data, now=SystemClock().now(), origin=CLI)
            if not result.ok:
                await session.rollback()
                print(_plain(texts.unit_csv_problems(result.problems)), file=err)
                return 2
    finally:
        await engine.dispose()
    print(
        texts.CLI_UNITS_IMPORTED.format(
            created=result.created, updated=result.updated, groups=result.groups_created
        ),
        file=out,
    )
    return 0


async def units_export(settings: Settings, out: TextIO) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            out.write(write_units_csv(await unit_records(session)))
    finally:
        await engine.dispose()
    return 0


async def units_list(settings: Settings, out: TextIO) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            units = await list_units(session)
    finally:
        await engine.dispose()
    if not units:
        print(texts.CLI_UNITS_EMPTY, file=out)
        return 0
    print(texts.CLI_UNITS_HEADER.format(count=len(units)), file=out)
    for u in units:
        print(
            texts.CLI_UNIT_LINE.format(
                id=u.id,
                name=u.name,
                aliases=f" ({', '.join(u.aliases)})" if u.aliases else "",
                groups=f" [{'; '.join(u.groups)}]" if u.groups else "",
                contacts=u.contacts,
            ),
            file=out,
        )
    return 0


async def units_match(settings: Settings, name: str, as_json: bool, out: TextIO) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            result = (await load_unit_index(session)).match(name)
    finally:
        await engine.dispose()
    candidates = [{"kind": c.kind, "name": c.name, "score": c.score} for c in result.candidates]
    if as_json:
        verdict = "ask" if result.kind == "ask" else f"{result.kind}:{result.target}"
        payload = {
            "input": name,
            "result": verdict,
            "score": result.score,
            "candidates": candidates,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
        return 0
    if result.kind == "unit":
        line = texts.CLI_MATCH_UNIT.format(input=name, target=result.target, score=result.score)
    elif result.kind == "group":
        line = texts.CLI_MATCH_GROUP.format(
            input=name, target=result.target, count=len(result.unit_ids), score=result.score
        )
    else:
        names = ", ".join(f"{c['name']} ({c['score']:.0f})" for c in candidates)
        line = texts.CLI_MATCH_ASK.format(input=name, candidates=names or texts.CLI_MATCH_NONE)
    print(line, file=out)
    return 0


async def invite(
    settings: Settings, unit_name: str | None, role: Role, out: TextIO, err: TextIO
) -> int:
    engine = create_engine(settings.database_url)
    now = SystemClock().now()
    try:
        async with create_session_factory(engine).begin() as session:
            unit_id = None
            label = None
            if role in UNIT_ROLES:
                if not unit_name:
                    print(texts.CLI_INVITE_ROLE_NEEDS_UNIT.format(role=role.value), file=err)
                    return 2
                result = (await load_unit_index(session)).match(unit_name)
                if result.kind != "unit":
                    names = ", ".join(c.name for c in result.candidates if c.kind == "unit")
                    print(
                        texts.CLI_INVITE_UNIT_UNKNOWN.format(
                            name=unit_name, candidates=names or texts.CLI_MATCH_NONE
                        ),
                        file=err,
                    )
                    return 2
                unit_id, label = result.unit_ids[0], result.target
            _, code = await create_invite(
                session,
                role=role,
                unit_id=unit_id,
                now=now,
                ttl=timedelta(days=settings.invite_ttl_days),
                origin=CLI,
            )
    finally:
        await engine.dispose()
    expires = now + timedelta(days=settings.invite_ttl_days)
    values = {
        "role": texts.ROLE_LABELS[role],
        "unit": f" — {label}" if label else "",
        "expires": texts.local_time(expires, settings.timezone),
        "code": code,
    }
    username = await fetch_bot_username(settings)
    if username:
        link = f"https://t.me/{username}?start={code}"
        group_link = f"https://t.me/{username}?startgroup={code}"
        template = texts.CLI_INVITE_CREATED if label else texts.CLI_INVITE_CREATED_OFFICE
        print(template.format(link=link, group_link=group_link, **values), file=out)
    else:
        print(texts.CLI_INVITE_NO_USERNAME.format(**values), file=out)
    return 0


def _plain(html_text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


__all__ = ["invite", "units_export", "units_import", "units_list", "units_match"]
