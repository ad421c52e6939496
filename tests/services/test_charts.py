"""The /tonghop chart: a PNG, drawn with Vietnamese labels, readable with many units."""

from __future__ import annotations

import io
from datetime import date

from matplotlib.image import imread

from bot import texts
from bot.handlers.summaries import CHART_LABELS
from services.charts import MAX_BARS, PNG_SIGNATURE, render_chart
from services.summaries import Counts, DispatchRef, UnitRow


def rows(count: int) -> list[UnitRow]:
    return [
        UnitRow(
            unit_id=i,
            name=f"Ủy ban nhân dân phường Tân Phú số {i} quận Bình Thủy",
            counts=Counts(i % 5, i % 3, i % 7, i % 4, i % 2),
        )
        for i in range(count)
    ]


def height(png: bytes) -> int:
    return int(imread(io.BytesIO(png), format="png").shape[0])


def test_chart_is_a_png() -> None:
    assert render_chart(rows(3), CHART_LABELS).startswith(PNG_SIGNATURE)


def test_fifty_units_render_taller_with_every_glyph() -> None:
    # Warnings are errors in this suite, so a missing Vietnamese glyph would fail here.
    png = render_chart(rows(50), CHART_LABELS)
    assert png.startswith(PNG_SIGNATURE)
    # Height follows the bars shown (capped at MAX_BARS), so long lists stay readable.
    assert height(png) > height(render_chart(rows(3), CHART_LABELS)) * 4
    assert MAX_BARS < 50


def test_no_units_still_renders() -> None:
    assert render_chart([], CHART_LABELS).startswith(PNG_SIGNATURE)


def test_the_subtitle_is_drawn_in_the_picture() -> None:
    plain = render_chart(rows(3), CHART_LABELS)
    titled = render_chart(rows(3), CHART_LABELS, subtitle="Tất cả văn bản — tính đến 05/01/2026")
    assert titled.startswith(PNG_SIGNATURE)
    assert titled != plain
    assert height(titled) == height(plain)  # the bars make room, the picture keeps its size


def test_the_subtitle_names_the_scope_and_the_day() -> None:
    every = texts.chart_subtitle(date(2026, 1, 5), 36)
    assert every == "Tất cả văn bản đang theo dõi — 36 nhiệm vụ — tính đến ngày 05/01/2026"
    one = texts.chart_subtitle(
        date(2026, 1, 5), 4, DispatchRef(1, "ke_hoach", "14-KH/TU&BCĐ", None, None)
    )
    assert one.startswith("Kế hoạch số 14-KH/TU&BCĐ — 4 nhiệm vụ")  # plain text, not HTML
