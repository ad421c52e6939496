"""The typed slot: every kind prints to one stored name and parses back to itself."""

from __future__ import annotations

from datetime import date

import pytest

from services.slots import MAX_SLOT_LENGTH, Slot, SlotKind, parse_slot, slot_like

D = date(2026, 1, 16)
EVERY_KIND = [
    (Slot.new(), "new"),
    (Slot.support(42), "support:42"),
    (Slot.due(3, D), "due-3:2026-01-16"),
    (Slot.overdue(2, D), "over-2:2026-01-16"),
    (Slot.late_list(D), "late:2026-01-16"),
    (Slot.escalation(D), "esc:2026-01-16"),
    (Slot.check_in(2026, 2), "check:2026-02"),
    (Slot.blocked(-1001234567890), "blocked:-1001234567890"),
    (Slot.notice(987654321), "notice:987654321"),
]


@pytest.mark.parametrize(("slot", "name"), EVERY_KIND)
def test_a_slot_prints_its_stored_name_and_parses_back(slot: Slot, name: str) -> None:
    assert str(slot) == name
    assert parse_slot(name) == slot
    assert len(name) <= MAX_SLOT_LENGTH


def test_every_kind_is_covered_by_the_round_trip() -> None:
    assert {slot.kind for slot, _ in EVERY_KIND} == set(SlotKind)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "nope",
        "due:2026-01-16",
        "due-x:2026-01-16",
        "late:2026-13-01",
        "check:2026",
        "new:1",
        "support:",
        "blocked:abc",
        "esc-1:2026-01-16",
    ],
)
def test_a_name_this_version_did_not_write_parses_to_nothing(name: str) -> None:
    assert parse_slot(name) is None


def test_the_like_pattern_of_a_kind_matches_its_names_only() -> None:
    assert slot_like(SlotKind.DUE) == "due-%"
    assert slot_like(SlotKind.CHECK_IN) == "check:%"
    assert slot_like(SlotKind.NEW) == "new"


def test_the_slot_tells_what_it_is_about() -> None:
    assert Slot.due(0, D).deadline == D
    assert Slot.late_list(D).is_list
    assert not Slot.new().is_reminder
    assert Slot.check_in(2026, 1).mutable
    assert not Slot.overdue(1, D).mutable
