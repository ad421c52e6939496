"""The one message splitter: under the limit, cut between blocks or lines, nothing lost."""

from __future__ import annotations

from bot.splitting import MESSAGE_LIMIT, groups, pack, split_message


def test_split_message_stays_under_the_limit_and_cuts_between_lines() -> None:
    text = "\n".join(f"<b>dòng {i}</b> " + "x" * 50 for i in range(300))
    pieces = split_message(text, limit=1000)
    assert len(pieces) > 1
    assert all(len(piece) <= 1000 for piece in pieces)
    assert "\n".join(pieces) == text
    assert all(piece.count("<b>") == piece.count("</b>") for piece in pieces)


def test_blocks_stay_whole_and_are_joined_by_a_blank_line() -> None:
    blocks = [f"Nhiệm vụ {i}\n" + "y" * 300 for i in range(40)]
    messages = pack(blocks, limit=1000)
    assert all(len(m) <= 1000 for m in messages)
    assert "\n\n".join(messages) == "\n\n".join(blocks)
    assert all(m.startswith("Nhiệm vụ") for m in messages)


def test_a_block_longer_than_a_message_is_cut_between_its_lines_not_truncated() -> None:
    long_block = "\n".join(f"dòng {i} " + "z" * 40 for i in range(100))
    messages = pack(["đầu", long_block, "cuối"], limit=500)
    assert all(len(m) <= 500 for m in messages)
    assert "\n".join(messages).replace("\n\n", "\n") == f"đầu\n{long_block}\ncuối"


def test_a_single_line_longer_than_a_message_is_cut_inside() -> None:
    line = "w" * 2500
    assert split_message(line, limit=1000) == ["w" * 1000, "w" * 1000, "w" * 500]


def test_groups_tell_which_blocks_go_together() -> None:
    blocks = ["a" * 400, "b" * 400, "c" * 400, "d" * 1200]
    assert groups(blocks, limit=1000) == [range(0, 2), range(2, 3), range(3, 4)]
    assert groups([]) == []


def test_the_limit_leaves_a_margin_below_telegrams_4096() -> None:
    assert MESSAGE_LIMIT < 4096
    assert all(len(p) <= MESSAGE_LIMIT for p in split_message("x\n" * 5000))
