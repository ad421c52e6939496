"""Short dispatch snippets for the rule tests: a fixed header around a body under test."""

from __future__ import annotations

import datetime

from ingest import ParsedDispatch, ParsedTask, parse_text

ISSUED_ON = datetime.date(2025, 10, 6)

HEADER = """ỦY BAN NHÂN DÂN
TỈNH HÀ NAM

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 100/UBND-VP
V/v triển khai một số nhiệm vụ

Hà Nam, ngày 06 tháng 10 năm 2025

Kính gửi:
- Các sở, ban, ngành tỉnh;
- UBND các huyện, thành phố.

Thực hiện chỉ đạo của Chính phủ, UBND tỉnh yêu cầu các cơ quan, đơn vị thực hiện
tốt các nội dung sau:

"""

FOOTER = """

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn An
"""


def parse_body(body: str) -> ParsedDispatch:
    return parse_text(HEADER + body + FOOTER)


def tasks_of(body: str) -> dict[str, ParsedTask]:
    return {task.ref: task for task in parse_body(body).tasks}


def one_task(body: str) -> ParsedTask:
    tasks = parse_body(body).tasks
    assert len(tasks) == 1, [t.ref for t in tasks]
    return tasks[0]


def dated(task: ParsedTask) -> list[tuple[str, datetime.date | None]]:
    return [(due.kind, due.date) for due in task.due]
