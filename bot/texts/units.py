"""The unit registry and matching written names to it."""

from __future__ import annotations

from bot.texts.common import esc
from services.unit_csv import CsvProblem

UNIT_CSV_REFUSED = (
    "Chưa nhập danh sách đơn vị: tệp có lỗi, không dòng nào được nhập. Sửa rồi gửi lại."
)

_UNIT_CSV_PROBLEMS = {
    "not_utf8": "tệp không ở mã UTF-8; hãy lưu lại dưới dạng «CSV UTF-8»",
    "empty_file": "tệp trống; dòng đầu phải là tiêu đề name,aliases,groups",
    "bad_header": "dòng tiêu đề không có cột name",
    "bad_column_count": "số ô không khớp với dòng tiêu đề",
    "empty_name": "thiếu tên đơn vị",
    "duplicate_name": "tên đơn vị trùng với một dòng phía trên",
    "alias_clash": "tên gọi này đã là tên hoặc tên gọi khác của một đơn vị khác",
}


def unit_csv_problem(problem: CsvProblem) -> str:
    """One problem of an imported unit list, as a line of the reply."""
    reason = _UNIT_CSV_PROBLEMS.get(problem.code, problem.code)
    value = f": <code>{esc(problem.value)}</code>" if problem.value else ""
    return f"Dòng {problem.line}: {reason}{value}"


def unit_csv_problems(problems: list[CsvProblem] | tuple[CsvProblem, ...], limit: int = 20) -> str:
    """The refusal message listing the first ``limit`` problems of an imported unit list."""
    lines = [UNIT_CSV_REFUSED, *(unit_csv_problem(p) for p in problems[:limit])]
    if len(problems) > limit:
        lines.append(f"… và {len(problems) - limit} lỗi khác.")
    return "\n".join(lines)
