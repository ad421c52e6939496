"""The fault test: a fan-out of 90 reminders through 500s, 502s, resets, refusals and 429s.

Telegram cannot be asked whether a message arrived, so the notifier resends an ambiguous
send once, AMBIGUOUS_RESEND_SECONDS later, opening with «Nhắc lại». Measured here:

* lost: chats that never got their reminder — must be 0;
* duplicates: chats that got it twice — exactly the ambiguous sends that had in fact
  arrived (500/502 after processing, reset after the request was written), each of them
  marked «Nhắc lại», never more than one extra per reminder;
* refusals before processing cost no duplicate: a 429 is retried after its wait; a 500
  that did nothing and a connection closed before the request was read look ambiguous to
  the bot, so they are resent too, and their only copy arrives marked «Nhắc lại».
  (Connection refused never reaches a server: it is retried at once, as before.)

Run: ``.venv/bin/pytest tests/e2e/test_ambiguous_sends.py -s`` (prints the figures).
"""

from __future__ import annotations

from collections import Counter

from models import Role
from tests.e2e.conftest import BotHarness
from tests.e2e.test_reminders import FRIDAY, assign, local, rows, tick
from tests.fakes import RateLimits

CHATS = 90
FIRST = 800_001
EACH = 5  # faults of each kind


async def test_ninety_reminders_through_faults_lose_none_and_repeat_only_the_ambiguous(
    bot: BotHarness,
) -> None:
    bot.api.rate_limits = RateLimits.disabled()
    chats = range(FIRST, FIRST + CHATS)
    for chat in chats:
        unit = await bot.add_unit(f"Đơn vị thử lỗi {chat}")
        await bot.register(chat, Role.HEAD, unit)
        await assign(bot, unit)
    send = "sendMessage"
    # Processed, then an ambiguous answer: the message did arrive.
    bot.api.fail_after_processing(send, 500, "Internal Server Error", count=EACH)
    bot.api.fail_after_processing(send, 502, "Bad Gateway", count=EACH)
    bot.api.reset_after_processing(EACH, methods=[send])
    # Refused before processing: nothing arrived.
    bot.api.inject_error(send, 500, "Internal Server Error", count=EACH)
    bot.api.drop_connections(EACH, methods=[send])
    bot.api.too_many_requests(retry_after=1, count=EACH)

    first = await tick(bot, local(FRIDAY))
    assert first.delivery is not None
    await tick(bot, local(FRIDAY, 8, 3))  # the 429s' retries, had any stayed pending
    await tick(bot, local(FRIDAY, 9))  # past AMBIGUOUS_RESEND_SECONDS: the resends

    received = {chat: [m["text"] for m in bot.api.sent_messages(chat)] for chat in chats}
    lost = [chat for chat, texts in received.items() if not texts]
    duplicated = {chat: texts for chat, texts in received.items() if len(texts) > 1}
    ambiguous_delivered = len(bot.api.failed_after_processing) + len(bot.api.reset_calls)
    statuses = Counter(row.status for row in await rows(bot))

    assert lost == []
    assert all(len(texts) == 2 for texts in duplicated.values())
    assert all(texts[1].startswith("🔁 Nhắc lại") for texts in duplicated.values())
    # A 500 that did nothing or a dropped request looked the same to the bot: resent, its
    # only copy says «Nhắc lại» too (harmless); every other first copy reads plainly.
    marked_alone = [c for c, texts in received.items() if len(texts) == 1 and "🔁" in texts[0]]
    assert len(marked_alone) == 2 * EACH
    assert all(not texts[0].startswith("🔁") for texts in duplicated.values())
    assert len(duplicated) == ambiguous_delivered == 3 * EACH
    assert first.delivery.unknown == 3 * EACH + EACH * 2  # 500/502/reset + 500-before/drop
    assert statuses == Counter({"sent": CHATS})
    print(
        f"fault test: {CHATS} reminders, faults 500×{2 * EACH} 502×{EACH} reset×{EACH} "
        f"dropped×{EACH} 429×{EACH}; lost 0; duplicates {len(duplicated)} "
        f"(all «Nhắc lại», = ambiguous sends that had arrived), at most 1 per reminder"
    )
