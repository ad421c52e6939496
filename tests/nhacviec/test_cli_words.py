"""The command line speaks Vietnamese, argparse's own words included."""

from __future__ import annotations

import argparse
import re

import pytest

from bot import texts
from nhacviec.cli import main

# argparse's English, as Python 3.11–3.13 print it.
ENGLISH = re.compile(
    r"usage:|positional arguments|options:|show this help message|error:|"
    r"the following arguments are required|invalid choice|unrecognized arguments|"
    r"expected one argument|invalid \w+ value"
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as ended:
        main(argv)
    captured = capsys.readouterr()
    return int(ended.value.code or 0), captured.out + captured.err


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["units", "--help"], ["invite", "--help"], ["demo", "--help"]],
)
def test_help_is_vietnamese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, printed = run(argv, capsys)
    assert code == 0
    assert not ENGLISH.search(printed), printed
    assert "Cách dùng:" in printed
    assert "hiện hướng dẫn này rồi thoát" in printed


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([], "cần có"),
        (["invite"], "cần có"),
        (["lamgi"], "không có lựa chọn"),
        (["invite", "--role", "vua"], "không có lựa chọn"),
        (["demo", "--port", "abc"], "không hợp lệ"),
        (["parse", "a.txt", "--thua"], "không nhận ra"),
        (["invite", "--role"], "cần một giá trị"),
    ],
)
def test_usage_errors_are_vietnamese(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = run(argv, capsys)
    assert code == 2
    assert not ENGLISH.search(printed), printed
    assert "lỗi:" in printed
    assert says in printed


def test_other_parsers_in_the_process_keep_their_words() -> None:
    # The translation holds only while the CLI builds and reads its own arguments.
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "usage:" in argparse.ArgumentParser(prog="khac").format_usage()


def test_every_argparse_word_has_a_translation() -> None:
    assert all(texts.ARGPARSE_WORDS.values())
