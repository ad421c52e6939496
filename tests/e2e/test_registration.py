"""Registration by invite, and what a unit's people may see and touch."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from bot import texts
from bot.splitting import BLOCK_GAP
from models import (
    Assignment,
    Contact,
    Dispatch,
    DispatchStatus,
    Event,
    Person,
    Role,
    Task,
)
from tests.e2e.conftest import ADMIN_ID, BotHarness
from tests.e2e.test_replies import shown
from tests.fakes import inline_buttons

UNIT = "Sở Nội vụ thành phố Cần Thơ"


async def invite_code(bot: BotHarness, role_word: str, unit: str) -> str:
    admin = await bot.register(ADMIN_ID, Role.ADMIN)
    sent = await bot.api.send_command(admin, "/moi", role_word, *unit.split())
    [reply] = await bot.api.wait_for_messages(admin, after=sent)
    match = re.search(r"\?start=([A-Za-z0-9_-]+)", reply["text"])
    assert match, reply["text"]
    assert bot.api.bot_username in reply["text"]
    return match.group(1)


def invite_text(bot: BotHarness, role: Role, unit_name: str | None, code: str) -> str:
    """The invite /moi answers with, as Telegram shows it."""
    link = f"https://t.me/{bot.api.bot_username}?"
    expires = bot.clock.now() + timedelta(days=bot.settings.invite_ttl_days)
    return shown(
        texts.invite_created(
            texts.ROLE_LABELS[role],
            unit_name,
            texts.local_time(expires, bot.settings.timezone),
            f"{link}start={code}",
            code,
            f"{link}startgroup={code}",
        )
    )


async def assign(bot: BotHarness, unit_id: int, ref: str, due: date | None) -> int:
    now = bot.clock.now()
    async with bot.session_factory.begin() as session:
        dispatch = Dispatch(
            status=DispatchStatus.ACTIVE,
            kind="cong_van",
            number=f"{ref}-CV/TU",
            issuer="Thành ủy",
            recipients=[],
            created_at=now,
        )
        session.add(dispatch)
        await session.flush()
        task = Task(dispatch_id=dispatch.id, position=0, ref=ref, text=f"Nhiệm vụ {ref}")
        session.add(task)
        await session.flush()
        assignment = Assignment(
            task_id=task.id, unit_id=unit_id, due_on=due, original_due_on=due, assigned_at=now
        )
        session.add(assignment)
        await session.flush()
        return assignment.id


async def test_invite_registers_and_viec_lists_only_the_units_tasks(bot: BotHarness) -> None:
    home = await bot.add_unit(UNIT, aliases=["Sở Nội vụ"])
    other = await bot.add_unit("Sở Tài chính thành phố Cần Thơ", aliases=["Sở Tài chính"])
    seventh = await assign(bot, home, "7", date(2026, 1, 20))
    await assign(bot, other, "9", date(2026, 1, 21))
    code = await invite_code(bot, "truong", "Sở Nội vụ")

    head = bot.api.user(4001, "Trưởng phòng")
    sent = await bot.api.send_command(head, "/start", code)
    [welcome] = await bot.api.wait_for_messages(head, after=sent)
    assert welcome["text"] == shown(texts.redeem_registered(texts.ROLE_LABELS[Role.HEAD], UNIT))
    assert UNIT in welcome["text"]  # the unit the invite was for

    sent = await bot.api.send_command(head, "/viec")
    [tasks] = await bot.api.wait_for_messages(head, after=sent)
    # Only the unit's own task: the other unit's task 9 is not in the list.
    only_task = texts.my_task_line(
        seventh,
        "7",
        "Nhiệm vụ 7",
        texts.dispatch_title("cong_van", "7-CV/TU", None),
        date(2026, 1, 20),
        "open",
        date(2026, 1, 5),  # the harness clock's first day
    )
    header = texts.MY_TASKS_HEADER.format(unit=UNIT, count=1)
    assert tasks["text"] == shown(BLOCK_GAP.join([header, only_task]))
    async with bot.session_factory() as session:
        kinds = set(await session.scalars(select(Event.kind)))
    assert {"invite.created", "person.registered"} <= kinds


async def test_the_admins_and_the_units_head_hear_of_a_registration(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    head = await bot.register(4100, Role.HEAD, unit)
    code = await invite_code(bot, "canbo", "Sở Nội vụ")
    [invite] = bot.api.sent_messages(ADMIN_ID)
    member = bot.api.user(4001, "Nguyễn Văn An")
    sent = await bot.api.send_command(member, "/start", code)
    await bot.api.wait_for_messages(member, after=sent)
    said = texts.person_registered(
        "Nguyễn Văn An", texts.ROLE_LABELS[Role.MEMBER], "Sở Nội vụ thành phố Cần Thơ"
    )
    [to_admin] = await bot.api.wait_for_messages(ADMIN_ID, after=invite)
    [to_head] = await bot.api.wait_for_messages(head)
    assert to_admin["text"] == to_head["text"] == shown(said)
    assert all(m["text"] != shown(said) for m in bot.api.sent_messages(member))


async def test_reused_code_is_refused(bot: BotHarness) -> None:
    await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    code = await invite_code(bot, "canbo", "Sở Nội vụ")
    first, second = bot.api.user(4001, "An"), bot.api.user(4002, "Bình")
    await bot.api.send_command(first, "/start", code)
    await bot.api.wait_for_messages(first)
    await bot.api.send_command(second, "/start", code)
    [reply] = await bot.api.wait_for_messages(second)
    assert reply["text"] == shown(texts.REDEEM_REFUSED["used"])
    async with bot.session_factory() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(Person).where(Person.telegram_user_id == 4002)
            )
            == 0
        )


async def test_the_person_who_used_an_invite_opening_it_again_is_told_he_is_registered(
    bot: BotHarness,
) -> None:
    await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    code = await invite_code(bot, "truong", "Sở Nội vụ")
    head = bot.api.user(4001, "An")
    sent = await bot.api.send_command(head, "/start", code)
    await bot.api.wait_for_messages(head, after=sent)
    sent = await bot.api.send_command(head, "/start", code)
    [reply] = await bot.api.wait_for_messages(head, after=sent)
    said = texts.redeem_already_registered(
        texts.ROLE_LABELS[Role.HEAD], "Sở Nội vụ thành phố Cần Thơ"
    )
    assert reply["text"] == shown(said)
    assert reply["text"] != shown(texts.REDEEM_REFUSED["used"])


async def test_expired_code_is_refused(bot: BotHarness) -> None:
    await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    code = await invite_code(bot, "canbo", "Sở Nội vụ")
    bot.clock.advance(days=bot.settings.invite_ttl_days, seconds=1)
    late = bot.api.user(4003, "Chi")
    await bot.api.send_command(late, "/start", code)
    [reply] = await bot.api.wait_for_messages(late)
    assert reply["text"] == shown(texts.REDEEM_REFUSED["expired"])


async def test_group_chat_is_bound_with_start_code(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    code = await invite_code(bot, "canbo", "Sở Nội vụ")
    member = bot.api.user(4004, "Dũng")
    group = bot.api.group(-1001234, "Sở Nội vụ - nhóm công việc")
    await bot.api.send_command(member, "/start", code, chat=group)
    [reply] = await bot.api.wait_for_messages(group)
    assert reply["text"] == shown(texts.redeem_group_bound(UNIT))
    async with bot.session_factory() as session:
        contact = await session.scalar(select(Contact).where(Contact.chat_id == -1001234))
    assert contact is not None
    assert contact.unit_id == unit


async def test_invite_offers_a_startgroup_link_that_binds_the_group(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ", aliases=["Sở Nội vụ"])
    admin = await bot.register(ADMIN_ID, Role.ADMIN)
    sent = await bot.api.send_command(admin, "/moi", "canbo", "Sở", "Nội", "vụ")
    [reply] = await bot.api.wait_for_messages(admin, after=sent)
    match = re.search(
        rf"https://t\.me/{bot.api.bot_username}\?startgroup=([A-Za-z0-9_-]+)", reply["text"]
    )
    assert match, reply["text"]
    assert reply["text"] == invite_text(bot, Role.MEMBER, UNIT, match.group(1))
    # What Telegram does with the link: the user picks a group, the bot is added to it, and
    # the user's client sends /start@<bot> <code> there.
    member = bot.api.user(4005, "Em")
    group = bot.api.group(-1005678, "Sở Nội vụ - nhóm công việc")
    await bot.api.add_bot_to_group(member, group)
    await bot.api.send_command(member, f"/start@{bot.api.bot_username}", match.group(1), chat=group)
    bound = shown(texts.redeem_group_bound(UNIT))
    await bot.api.wait_for_messages(group, predicate=lambda m: m["text"] == bound)
    async with bot.session_factory() as session:
        contact = await session.scalar(select(Contact).where(Contact.chat_id == -1005678))
    assert contact is not None
    assert contact.unit_id == unit


async def test_an_office_invite_offers_no_group_link(bot: BotHarness) -> None:
    admin = await bot.register(ADMIN_ID, Role.ADMIN)
    sent = await bot.api.send_command(admin, "/moi", "theodoi")
    [reply] = await bot.api.wait_for_messages(admin, after=sent)
    match = re.search(r"\?start=([A-Za-z0-9_-]+)", reply["text"])
    assert match, reply["text"]
    assert reply["text"] == invite_text(bot, Role.SUPERVISOR, None, match.group(1))
    assert "startgroup" not in reply["text"]  # no group link at all, whatever the wording


async def test_member_cannot_open_another_units_task_with_forged_data(bot: BotHarness) -> None:
    home = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ")
    other = await bot.add_unit("Sở Tài chính thành phố Cần Thơ")
    foreign = await assign(bot, other, "9", None)
    member = await bot.register(4005, Role.MEMBER, home)
    # A message with a real button, whose data the member rewrites to another unit's id.
    sent = await bot.api.send_command(member, "/roi")
    [prompt] = await bot.api.wait_for_messages(member, after=sent)
    assert inline_buttons(prompt)
    for forged in (f"a:orig:{foreign}", "dr:ok:1:1", "dr:pu:1:1:1:1", "zz:garbage"):
        query = await bot.api.press_button(member, prompt, forged, forged=True)
        answer = await bot.api.wait_for_callback_answer(query)
        assert answer.text, forged
    assert not [c for c in bot.api.calls_of("sendDocument")]
    async with bot.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_leaving_stops_access(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ")
    member = await bot.register(4006, Role.MEMBER, unit)
    sent = await bot.api.send_command(member, "/roi")
    [prompt] = await bot.api.wait_for_messages(member, after=sent)
    await bot.api.press_button(member, prompt, "leave:yes")
    left = shown(texts.LEFT)
    await bot.api.wait_for_messages(member, predicate=lambda m: m["text"] == left)
    sent = await bot.api.send_command(member, "/viec")
    [reply] = await bot.api.wait_for_messages(member, after=sent)
    assert reply["text"] == shown(texts.NOT_REGISTERED)


async def test_only_admins_create_invites(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ")
    head = await bot.register(4007, Role.HEAD, unit)
    sent = await bot.api.send_command(head, "/moi", "canbo", "Sở", "Nội", "vụ")
    [reply] = await bot.api.wait_for_messages(head, after=sent)
    assert reply["text"] == shown(texts.NOT_ALLOWED_ADMIN)


async def test_upgraded_group_keeps_its_binding(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ")
    group = bot.api.group(-4242, "Sở Nội vụ")
    async with bot.session_factory.begin() as session:
        session.add(Contact(chat_id=-4242, kind="group", unit_id=unit, created_at=bot.clock.now()))
    someone = bot.api.user(4010, "Người lạ")  # need not be registered
    bot.api.migrate(group.id, -1009999, by=someone)
    # Different chats are handled concurrently, so wait for the migration itself.

    async def group_chat_id() -> int | None:
        async with bot.session_factory() as session:
            return await session.scalar(
                select(Contact.chat_id).where(Contact.unit_id == unit, Contact.kind == "group")
            )

    async with asyncio.timeout(10):
        while await group_chat_id() == -4242:  # noqa: ASYNC110 - the database, not an event
            await asyncio.sleep(0.02)
    assert await group_chat_id() == -1009999


async def test_unregistered_chatter_in_a_unit_group_gets_no_reply(bot: BotHarness) -> None:
    unit = await bot.add_unit("Sở Nội vụ thành phố Cần Thơ")
    group = bot.api.group(-5151, "Sở Nội vụ")
    async with bot.session_factory.begin() as session:
        session.add(Contact(chat_id=-5151, kind="group", unit_id=unit, created_at=bot.clock.now()))
    stranger = bot.api.user(4020, "Khách")
    await bot.api.send_text(stranger, "chào cả nhà", chat=group)
    # A command in the group is still answered, so the silence above is a choice, not a lag.
    await bot.api.send_command(stranger, "/viec", chat=group)
    [reply] = await bot.api.wait_for_messages(group)
    assert reply["text"] == shown(texts.NOT_REGISTERED)
    assert reply["reply_to_message"]["text"] == "/viec"
