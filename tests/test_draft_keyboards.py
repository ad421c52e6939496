"""The draft's buttons: every one built in bot.keyboards parses back to what it means."""

from __future__ import annotations

from bot import keyboards
from bot.keyboards import UnitChoice, parse_draft_press

# Ids of a database that has made a hundred million rows of each kind.
BIG = 99_999_999


def datas(markup) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.callback_data for row in markup.inline_keyboard for b in row]


def test_the_units_screen_buttons_parse_to_their_role_and_ids() -> None:
    markup = keyboards.draft_units(
        7,
        3,
        12,
        "support",
        [(40, "Sở Nội vụ")],
        [UnitChoice("unit", 41, "Sở Tài chính", 0), UnitChoice("group", 5, "Các sở", None)],
        ["Ban Tổ chức Tỉnh ủy"],
    )
    presses = [parse_draft_press(d) for d in datas(markup)]
    assert [(p.verb, p.role, p.ids) for p in presses if p is not None] == [
        ("r", "support", (12, 40)),
        ("a", "support", (12, 41, 1)),  # answers the first unmatched name
        ("g", "support", (12, 5)),
        ("n", "support", (12, 1)),
        ("f", "support", (12,)),
        ("t", None, (12,)),
        ("back", None, ()),
    ]
    assert all(p is not None and (p.dispatch_id, p.version) == (7, 3) for p in presses)


def test_the_task_menu_opens_the_lead_and_the_support_screens() -> None:
    presses = [parse_draft_press(d) for d in datas(keyboards.draft_task_menu(7, 3, 12))]
    assert [(p.verb, p.role) for p in presses if p is not None][:2] == [
        ("u", "lead"),
        ("u", "support"),
    ]


def test_big_ids_stay_within_telegrams_64_bytes() -> None:
    markup = keyboards.draft_units(
        BIG, BIG, BIG, "lead", [(BIG, "x" * 80)], [UnitChoice("unit", BIG, "y", 99)]
    )
    assert all(len(d.encode()) <= 64 for d in datas(markup))


def test_forged_or_foreign_data_is_not_a_draft_press() -> None:
    for data in (None, "", "dr:ok", "dr:ok:1", "dr:al:1:x:3", "a:done:1", "dr:al:-1:2:3"):
        assert parse_draft_press(data) is None


def test_an_older_versions_lead_button_opens_the_lead_screen() -> None:
    press = parse_draft_press("dr:lead:7:3:12")
    assert press is not None
    assert (press.verb, press.role, press.task_id) == ("u", "lead", 12)
