"""What every area of the texts shares."""

from __future__ import annotations

import html
from datetime import date


def esc(value: object) -> str:
    """Escape user or document content for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=False)


DISPATCH_KIND_LABELS = {
    "cong_van": "Công văn",
    "ke_hoach": "Kế hoạch",
    "thong_bao": "Thông báo",
    "quyet_dinh": "Quyết định",
    "chi_thi": "Chỉ thị",
    "article": "Bài viết",
    "other": "Văn bản",
}


NO_DEADLINE = "không có hạn"


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def first_words(text: str, count: int = 16) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def dispatch_title(kind: str, number: str | None, subject: str | None) -> str:
    label = DISPATCH_KIND_LABELS.get(kind, "Văn bản")
    if number:
        return f"{label} số {esc(number)}"
    return f"{label} «{esc(first_words(subject or '', 10))}»"
