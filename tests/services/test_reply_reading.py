"""The reply reader on realistic replies: done, not done, progress, extension, empty."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.reply_reading import ReplyReading, read_reply

TODAY = date(2025, 10, 10)  # a Friday
DUE = date(2025, 10, 15)  # a Wednesday
NOW = datetime(2025, 10, 10, 10, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # 10:30 on TODAY


class _Unchecked:
    def __repr__(self) -> str:
        return "<unchecked>"


UNCHECKED = _Unchecked()


@dataclass(frozen=True)
class Case:
    text: str
    kind: str
    note: str | _Unchecked | None = UNCHECKED
    proposed_date: date | None = None
    reason: str | None = None
    percent: int | None = None
    current_due: date | None = None


def done(text: str, note: str | _Unchecked | None = UNCHECKED, percent: int | None = None) -> Case:
    return Case(text, "done", note=note, percent=percent)


def progress(text: str, percent: int | None = None) -> Case:
    return Case(text, "progress", note=text.strip(), percent=percent)


def extension(
    text: str,
    proposed_date: date | None,
    reason: str | None = None,
    current_due: date | None = None,
) -> Case:
    return Case(
        text,
        "extension",
        note=text.strip(),
        proposed_date=proposed_date,
        reason=reason,
        current_due=current_due,
    )


def empty(text: str) -> Case:
    return Case(text, "empty", note=None)


DONE = [
    done("xong", None),
    done("Xong", None),
    done("XONG", None),
    done("xog", None),
    done("xong rồi", None),
    done("Xong rồi ạ", None),
    done("xong roi a", None),
    done("đã xong", None),
    done("Đã xong ạ.", None),
    done("hoàn thành", None),
    done("hoan thanh roi", None),
    done("hoàn thành rồi", None),
    done("đã hoàn thành ạ", None),
    done("DA HOAN THANH", None),
    done("Dạ, đơn vị đã hoàn thành", None),
    done("ok xong", None),
    done("Ok, xong rồi nhé", None),
    done("✅", None),
    done("☑️", None),
    done("✔️ xong", None),
    done("✅ Đã hoàn thành", None),
    done("done", None),
    done("Done ạ", None),
    done("đã hoàn tất", None),
    done("Xong xuôi rồi ạ", None),
    done("Em làm xong rồi ạ", None),
    done("Đã thực hiện xong", None),
    done("đã báo cáo xong", None),
    done("Cán bộ đã hoàn thành", None),
    done("xong rồi anh ơi", None),
    done(
        "Xong. Đã gửi Báo cáo số 12-BC/SNV ngày 14/10",
        "Đã gửi Báo cáo số 12-BC/SNV ngày 14/10",
    ),
    done(
        "xong, đã gửi Báo cáo số 12-BC/SNV ngày 14/10",
        "đã gửi Báo cáo số 12-BC/SNV ngày 14/10",
    ),
    done("Xong - đã gửi qua hệ thống quản lý văn bản", "đã gửi qua hệ thống quản lý văn bản"),
    done("Đơn vị đã hoàn thành, gửi kèm báo cáo", "gửi kèm báo cáo"),
    done("Đã hoàn thành, không có vướng mắc", "không có vướng mắc"),
    done("Đã hoàn thành trước hạn", "trước hạn"),
    done("Đính kèm báo cáo. Đã hoàn thành", "Đính kèm báo cáo"),
    done("Đã hoàn thành 100%", percent=100),
    done("Đã xong, không cần gia hạn", "không cần gia hạn"),
    done("Báo cáo số 45/BC-UBND đã gửi, xong", "Báo cáo số 45/BC-UBND đã gửi"),
    done("Kho bạc đã hoàn thành", "Kho bạc"),
    done("Hôm nay đã xong", None),
    done("Đã hoàn thành và gửi kèm file", "gửi kèm file"),
    done("Đã tổ chức xong hội nghị", "hội nghị"),
    # When it happened, in the past: done, the time kept as the note.
    done("đã xong từ chiều qua", "từ chiều qua"),
    done("hoàn thành lúc 8 giờ", "lúc 8 giờ"),
    done("xong hôm qua", "hôm qua"),
    done("Đã hoàn thành ngày 08/10", "ngày 08/10"),
    done("Đã hoàn thành từ tuần trước", "từ tuần trước"),
    done("xong lúc 8 giờ hôm qua", "lúc 8 giờ hôm qua"),
    done("Xong rồi, hoàn thành lúc 9h30 sáng nay", "hoàn thành lúc 9h30 sáng nay"),
    done("đã hoàn thành vào ngày 10 tháng 10", "vào ngày 10 tháng 10"),
    # Filler is no note: address, particles, the task itself.
    done("Xong rồi chị", None),
    done("xong roi chi", None),
    done("Đã hoàn thành nhiệm vụ", None),
    done("Đã hoàn thành nhiệm vụ được giao ạ", None),
    done("Xong công việc rồi anh", None),
    done("Xong nhiệm vụ, đã gửi báo cáo", "đã gửi báo cáo"),
    done("xong, đã gửi báo cáo rồi chị ạ", "đã gửi báo cáo"),
    done("xong, chị Lan đã gửi báo cáo", "chị Lan đã gửi báo cáo"),
    done("Xong, đã gửi cho Chi", "đã gửi cho Chi"),
    done("Kho bạc đã hoàn thành nhiệm vụ", "Kho bạc"),
    done("Đã hoàn thành, không cần điều chỉnh thời hạn", "không cần điều chỉnh thời hạn"),
]

NOT_DONE = [
    progress("chưa xong"),
    progress("chua hoan thanh"),
    progress("Chưa ạ"),
    progress("CHƯA XONG"),
    progress("sắp xong"),
    progress("gần xong"),
    progress("gan xong roi"),
    progress("xong phần 1"),
    progress("xong 1 phần"),
    progress("Xong một nửa"),
    progress("chưa hoàn thành được"),
    progress("không kịp hoàn thành"),
    progress("ko kịp xong"),
    progress("k xong dc"),
    progress("chx xong"),
    progress("đang hoàn thành"),
    progress("sẽ hoàn thành trước 20/10"),
    progress("Dự kiến hoàn thành ngày 20/10"),
    progress("Phấn đấu hoàn thành trong tuần"),
    progress("Cơ bản đã hoàn thành"),
    progress("xong chưa?"),
    progress("Xong chưa anh"),
    progress("xong rồi à"),
    progress("Hoàn thành rồi hả"),
    progress("đã xong bước 1"),
    progress("đã xong đâu"),
    progress("khi nào xong sẽ báo"),
    progress("đã hoàn thành 3/5 nội dung"),
    progress("Đã hoàn thành việc thu thập số liệu, đang tổng hợp"),
    progress("Xong rồi nhưng còn thiếu số liệu quý 4"),
    progress("Đang chờ lãnh đạo ký, ký xong sẽ gửi"),
    progress("Nếu có số liệu thì hoàn thành ngay"),
    progress("Đã nhận, đang triển khai"),
    progress("ok"),
    progress("Đã nhận"),
    progress("Đã gửi báo cáo"),
    progress("Hoàn thành sau 20/10"),
    progress("Mai xong"),
    progress("Xong rồi, mai gửi báo cáo"),
    progress("Đã giao cho chuyên viên, hôm nay xong"),
    progress("Xong trong hôm nay"),
    progress("Tuần sau xong"),
    progress("Còn ký là xong"),
    progress("Ký xong là gửi"),
    progress("Xong bản nháp"),
    progress("Đã hoàn thành dự thảo, đang xin ý kiến"),
    progress("Hoàn thành hồ sơ, chờ duyệt"),
    progress("Việc này khó hoàn thành đúng hạn"),
    progress("Làm sao mà xong được"),
    progress("Hầu như đã xong"),
    progress("Hoàn thành hầu hết"),
    progress("Xong đâu mà xong"),
    # A time ahead after the done word is a plan.
    progress("hoàn thành ngày 20/10"),
    progress("Hoàn thành vào ngày 15/10/2025"),
    progress("xong lúc 17h"),
    progress("Xong lúc 5 giờ chiều nay"),
    progress("chưa xong từ hôm qua"),
    progress("sắp xong từ hôm qua"),
    progress("xong phần 1 từ hôm qua"),
    progress("xong hôm qua phần 1"),
    progress("không hoàn thành lúc 8 giờ"),
    progress("hoàn thành 3/5 nội dung"),
]

PROGRESS_WITH_PERCENT = [
    progress("hoàn thành 80%", 80),
    progress("Đang làm, 60%", 60),
    progress("dang lam 60 %", 60),
    progress("Đạt 45%", 45),
    progress("da xong 90%", 90),
    progress("hoàn thành được khoảng 70%", 70),
    progress("Tiến độ 30 phần trăm", 30),
    progress("tien do 62,5%", 62),
]

EXTENSION = [
    extension("xin gia hạn đến 20/10", date(2025, 10, 20)),
    extension("xin gia han den 20/10", date(2025, 10, 20)),
    extension("gia hạn 5 ngày vì chờ số liệu", date(2025, 10, 20), "chờ số liệu", DUE),
    extension("gia hạn 5 ngày vì chờ số liệu", date(2025, 10, 15), "chờ số liệu"),
    extension("gia han 5 ngay vi cho so lieu", date(2025, 10, 20), "cho so lieu", DUE),
    extension(
        "đề nghị gia hạn đến ngày 30/11/2025 do chưa có số liệu",
        date(2025, 11, 30),
        "chưa có số liệu",
    ),
    extension("xin lùi thời hạn đến cuối tháng", date(2025, 10, 31)),
    extension("xin thêm 1 tuần", date(2025, 10, 22), current_due=DUE),
    extension("cho xin them 3 ngay", date(2025, 10, 18), current_due=DUE),
    extension("Cần thêm 3 ngày nữa", date(2025, 10, 18), current_due=DUE),
    extension(
        "Xin gia hạn đến cuối tháng 11 vì đơn vị đang chờ ý kiến của Sở Tài chính.",
        date(2025, 11, 30),
        "đơn vị đang chờ ý kiến của Sở Tài chính",
    ),
    extension(
        "xin gia han den 25/10 ly do: can bo nghi phep", date(2025, 10, 25), "can bo nghi phep"
    ),
    extension("Chưa xong, xin gia hạn đến 20/10/2025", date(2025, 10, 20)),
    extension(
        "Do chờ số liệu của Sở Tài chính nên xin gia hạn đến 30/11",
        date(2025, 11, 30),
        "chờ số liệu của Sở Tài chính",
    ),
    extension("xin gia hạn", None),
    extension("xin gia hạn đến 31/02", None),
    extension(
        "Xin gia hạn thêm 2 tuần bởi khối lượng công việc lớn",
        date(2025, 10, 29),
        "khối lượng công việc lớn",
        DUE,
    ),
    extension("đề nghị lùi hạn đến thứ sáu tuần sau", date(2025, 10, 17)),
    extension("GIA HAN DEN NGAY 20 THANG 10 VI CHO SO LIEU", date(2025, 10, 20), "CHO SO LIEU"),
    extension("xin gia hạn 5 ngày làm việc", date(2025, 10, 22), current_due=DUE),
    extension(
        "Don vi xin gia han den 20/10 vi don vi chua nhan duoc van ban",
        date(2025, 10, 20),
        "don vi chua nhan duoc van ban",
    ),
    extension("Xin gia hạn thời hạn nộp báo cáo sang ngày 25/10", date(2025, 10, 25)),
    extension("xin thêm thời gian để hoàn thiện", None),
    extension("Xin lùi hạn đến cuối quý", date(2025, 12, 31)),
    extension("Có thể gia hạn đến 20/10 không ạ?", date(2025, 10, 20)),
    extension("Đến 25/10 mới xong được, xin gia hạn", date(2025, 10, 25)),
    # Other words for the same request.
    extension("đề nghị điều chỉnh thời hạn sang 30/12", date(2025, 12, 30)),
    extension(
        "Đề nghị điều chỉnh hạn đến ngày 30/10 vì chờ số liệu", date(2025, 10, 30), "chờ số liệu"
    ),
    extension("xin lùi thời hạn đến 25/10", date(2025, 10, 25)),
    extension("xin thêm thời gian đến 25/10", date(2025, 10, 25)),
    extension("xin thêm 5 ngày", date(2025, 10, 20), current_due=DUE),
    extension("de nghi dieu chinh thoi han sang 30/12", date(2025, 12, 30)),
]

NOT_EXTENSION = [
    progress("Không cần gia hạn, sẽ xong đúng hạn"),
]

EMPTY = [
    empty(""),
    empty("   "),
    empty("..."),
    empty("?!"),
    empty("\n\t"),
    empty("👍"),
]

CASES = DONE + NOT_DONE + PROGRESS_WITH_PERCENT + EXTENSION + NOT_EXTENSION + EMPTY


def _read(case: Case, text: str) -> ReplyReading:
    return read_reply(text, TODAY, current_due=case.current_due, now=NOW)


def _check(case: Case, reading: ReplyReading) -> None:
    assert reading.kind == case.kind
    if not isinstance(case.note, _Unchecked):
        assert reading.note == case.note
    assert reading.proposed_date == case.proposed_date
    assert reading.reason == case.reason
    assert reading.percent == case.percent


def test_the_table_has_at_least_eighty_replies() -> None:
    assert len(CASES) >= 80
    assert len({(c.text, c.current_due) for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text or "<blank>")
def test_reads_reply(case: Case) -> None:
    _check(case, _read(case, case.text))


NFD_CASES = [c for c in CASES if unicodedata.normalize("NFD", c.text) != c.text]


@pytest.mark.parametrize("case", NFD_CASES, ids=lambda c: c.text)
def test_reads_nfd_reply_like_nfc(case: Case) -> None:
    _check(case, _read(case, unicodedata.normalize("NFD", case.text)))


def test_note_keeps_original_diacritics_and_is_nfc() -> None:
    text = unicodedata.normalize("NFD", "Xong. Đã gửi Báo cáo số 12-BC/SNV")
    assert read_reply(text, TODAY).note == "Đã gửi Báo cáo số 12-BC/SNV"


def test_extension_without_current_due_counts_from_today() -> None:
    reading = read_reply("xin thêm 1 tuần", TODAY)
    assert reading.proposed_date == date(2025, 10, 17)


def test_reading_is_frozen() -> None:
    reading = read_reply("xong", TODAY)
    with pytest.raises(AttributeError):
        reading.kind = "progress"  # type: ignore[misc]


_NOT_YET = st.sampled_from(
    ["chưa", "chua", "Chưa", "CHƯA", "CHUA", unicodedata.normalize("NFD", "chưa")]
)
_DONE_TAILS = st.sampled_from(["", " xong", " hoàn thành", " ✅", ". Xong rồi", "xong", " done"])


@given(prefix=_NOT_YET, middle=st.text(max_size=40), tail=_DONE_TAILS)
def test_text_starting_with_chua_is_never_done(prefix: str, middle: str, tail: str) -> None:
    assert read_reply(prefix + middle + tail, TODAY).kind != "done"


@given(st.text(max_size=80))
def test_any_text_reads_without_error_and_note_is_nfc(text: str) -> None:
    reading = read_reply(text, TODAY, current_due=DUE)
    if reading.note is not None:
        assert unicodedata.normalize("NFC", reading.note) == reading.note
        assert reading.note in unicodedata.normalize("NFC", text)
    if reading.kind != "extension":
        assert reading.proposed_date is None
        assert reading.reason is None


def test_an_extension_to_a_nonexistent_date_names_it() -> None:
    reading = read_reply("xin gia hạn đến 31/02 vì chờ số liệu", date(2026, 1, 5))
    assert reading.kind == "extension"
    assert reading.proposed_date is None
    assert reading.bad_date == "31/02"


def test_more_days_on_an_overdue_task_count_from_today() -> None:
    # The deadline 01/10 has passed (today is 10/10): "thêm 10 ngày" is 20/10, not 11/10.
    reading = read_reply("xin gia hạn thêm 10 ngày", TODAY, current_due=date(2025, 10, 1))
    assert reading.proposed_date == date(2025, 10, 20)


def test_more_days_on_a_task_due_today_count_from_today() -> None:
    assert read_reply("xin thêm 3 ngày", TODAY, current_due=TODAY).proposed_date == date(
        2025, 10, 13
    )


def test_an_hour_reads_as_a_plan_when_the_reader_has_no_time() -> None:
    assert read_reply("hoàn thành lúc 8 giờ", TODAY).kind == "progress"


def test_an_hour_is_done_once_it_has_passed() -> None:
    assert read_reply("xong lúc 8 giờ", TODAY, now=NOW.replace(hour=7)).kind == "progress"
    assert read_reply("xong lúc 8 giờ", TODAY, now=NOW.replace(hour=8, minute=5)).kind == "done"


def test_an_afternoon_hour_is_read_in_office_hours() -> None:
    # «2 giờ» at 10:30 is two in the afternoon: still ahead.
    assert read_reply("hoàn thành lúc 2 giờ", TODAY, now=NOW).kind == "progress"
    assert read_reply("hoàn thành lúc 2 giờ", TODAY, now=NOW.replace(hour=15)).kind == "done"


@given(days=st.integers(1, 150), word=st.sampled_from(["xong", "hoàn thành", "đã xong"]))
def test_a_done_word_before_a_future_date_is_never_done(days: int, word: str) -> None:
    ahead = TODAY + timedelta(days=days)
    text = f"{word} ngày {ahead:%d/%m}"
    assert read_reply(text, TODAY, now=NOW).kind != "done"


@given(days=st.integers(0, 150), word=st.sampled_from(["xong", "hoàn thành", "đã xong"]))
def test_a_done_word_before_a_past_date_is_done(days: int, word: str) -> None:
    before = TODAY - timedelta(days=days)
    assert read_reply(f"{word} ngày {before:%d/%m/%Y}", TODAY, now=NOW).kind == "done"


def test_a_date_without_a_year_is_the_one_nearest_today() -> None:
    january = date(2026, 1, 5)
    assert read_reply("xong ngày 30/12", january).kind == "done"
    assert read_reply("xong ngày 05/01", date(2025, 12, 20)).kind == "progress"
