"""The weekly digest moves off days off: Monday 08/02/2027 is Tết, so it goes on 11/02."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.context import AppContext
from jobs.digest import latest_due_fire, send_weekly_digest_if_due
from models import Role
from services.workdays import WorkingCalendar
from tests.e2e.conftest import BotHarness

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_8AM = datetime(2027, 2, 8, 8, 0, tzinfo=TZ)  # mùng 3 Tết
THURSDAY_8AM = datetime(2027, 2, 11, 8, 0, tzinfo=TZ)  # the first working day after Tết


def test_a_digest_due_on_a_holiday_is_due_on_the_next_working_day() -> None:
    trigger = CronTrigger.from_crontab("0 8 * * mon", timezone=TZ)
    due = latest_due_fire(trigger, THURSDAY_8AM.astimezone(UTC), WorkingCalendar(), TZ)
    assert due == (MONDAY_8AM, THURSDAY_8AM)


def test_on_the_holiday_itself_the_digest_is_not_yet_due() -> None:
    trigger = CronTrigger.from_crontab("0 8 * * mon", timezone=TZ)
    now = MONDAY_8AM.replace(hour=9).astimezone(UTC)
    scheduled, _ = latest_due_fire(trigger, now, WorkingCalendar(), TZ) or (None, None)
    assert scheduled == datetime(2027, 2, 1, 8, 0, tzinfo=TZ)  # last week's, on a working day


async def test_the_digest_of_a_holiday_goes_out_once_on_the_next_working_day(
    bot: BotHarness,
) -> None:
    office = await bot.register(100, Role.SUPERVISOR)
    # Last week's digest went out on Monday 01/02.
    bot.clock.set(datetime(2027, 2, 1, 8, 1, tzinfo=TZ))
    await send_weekly_digest_if_due(AppContext(bot.app))
    await bot.api.wait_for_messages(office)
    bot.clock.set(MONDAY_8AM.replace(minute=5))
    await send_weekly_digest_if_due(AppContext(bot.app))
    assert len(bot.api.sent_messages(office)) == 1
    bot.clock.set(THURSDAY_8AM.replace(minute=5))
    await send_weekly_digest_if_due(AppContext(bot.app))
    await bot.api.wait_for_messages(office, count=2)
    bot.clock.set(THURSDAY_8AM.replace(minute=10))
    await send_weekly_digest_if_due(AppContext(bot.app))
    assert len(bot.api.sent_messages(office)) == 2
