"""Typed dates: the hint and why a date was refused."""

from __future__ import annotations

from bot.texts.common import esc

DATE_INPUT_HINT = (
    "Vui lòng nhập ngày theo dạng dd/mm/yyyy, ví dụ 20/10/2025. "
    "Cũng có thể viết «ngày 20 tháng 10», «cuối tháng 11», «thêm 5 ngày» hoặc «1 tuần»."
)
DATE_INPUT_ERRORS = {
    "empty": "Anh/Chị chưa nhập ngày.",
    "unrecognised": "Nhắc Việc chưa đọc được ngày trong tin nhắn của Anh/Chị.",
    "not_a_date": "Ngày {fragment} không tồn tại.",
    "in_the_past": "Ngày {fragment} đã qua.",
    "in_the_future": "Ngày {fragment} chưa tới; ngày nhận văn bản là hôm nay hoặc trước đó.",
}
DATE_INPUT_ERROR_FALLBACK = "Ngày vừa nhập chưa hợp lệ."


def date_input_error(code: str, fragment: str | None = None) -> str:
    """Why a typed date was refused (codes of ``services.date_input.DateInputError``)."""
    reason = DATE_INPUT_ERRORS.get(code, DATE_INPUT_ERROR_FALLBACK)
    if "{fragment}" in reason:
        reason = reason.format(fragment=esc(fragment)) if fragment else DATE_INPUT_ERROR_FALLBACK
    return f"{reason} {DATE_INPUT_HINT}"
