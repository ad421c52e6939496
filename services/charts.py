"""The /tonghop chart: one horizontal stacked bar per unit, as PNG bytes.

Drawn on a bare :class:`matplotlib.figure.Figure` with the Agg canvas, never through
``pyplot``: no global figure state, so it can run in a worker thread while the bot keeps
serving. The words on the chart come from the caller (bot.texts), like every other string.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from services.summaries import Category, UnitRow

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# DejaVu Sans ships with matplotlib and covers every Vietnamese letter.
FONT = "DejaVu Sans"
# Bars beyond this many units become one "and N more" line: 40 bars still read on a phone.
MAX_BARS = 40
LABEL_CHARS = 38

# Green, orange, blue, red as the office reads them; grey for tasks without a deadline.
COLORS: Mapping[Category, str] = {
    Category.DONE_ON_TIME: "#2e9e44",
    Category.DONE_LATE: "#f28e1c",
    Category.IN_PROGRESS: "#2f6fd6",
    Category.OVERDUE: "#d62f2f",
    Category.NO_DEADLINE: "#b0b0b0",
}


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The chart's words: title, x-axis, category names and the "and N more units" note."""

    title: str
    axis: str
    categories: Mapping[str, str]
    more_units: str  # a format string with {count}


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def render_chart(
    rows: Sequence[UnitRow],
    labels: ChartLabels,
    *,
    subtitle: str | None = None,
    limit: int = MAX_BARS,
) -> bytes:
    """PNG of ``rows`` in their order (worst first), the first ``limit`` of them.

    The figure grows with the number of bars, so 40 units stay as readable as 4. The
    "không có hạn" segment is drawn only when some unit has such tasks. ``subtitle`` (what
    the chart covers and as of which day) is drawn under the title, so a picture forwarded
    without its caption still says it.
    """
    shown = list(rows[:limit])
    hidden = len(rows) - len(shown)
    categories: list[Category] = [c for c in Category if c is not Category.NO_DEADLINE]
    if any(row.counts.no_deadline for row in shown):
        categories.append(Category.NO_DEADLINE)

    height = 2.2 + 0.3 * max(len(shown), 1) + (0.25 if hidden else 0)
    figure = Figure(figsize=(9, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    # Worst first reads top-down: the first row gets the highest position.
    positions = list(range(len(shown) - 1, -1, -1))
    left = [0] * len(shown)
    for category in categories:
        values = [row.counts.of(category) for row in shown]
        axes.barh(
            positions,
            values,
            left=left,
            color=COLORS[category],
            label=labels.categories[category.value],
            height=0.7,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    # The total at each bar's end: the number people look for first.
    for position, total in zip(positions, left, strict=True):
        axes.text(total, position, f" {total}", va="center", fontfamily=FONT, fontsize=8)
    axes.set_yticks(positions, [_short(row.name) for row in shown], fontfamily=FONT, fontsize=9)
    axes.set_ylim(-0.6, max(len(shown), 1) - 0.4)
    axis_label = labels.axis
    if hidden:
        axis_label += "\n" + labels.more_units.format(count=hidden)
    axes.set_xlabel(axis_label, fontfamily=FONT)
    # Title and subtitle at the picture's left edge, above the bars.
    figure.suptitle(
        labels.title, x=0.01, ha="left", fontfamily=FONT, fontsize=13, fontweight="bold"
    )
    if subtitle:
        # Plain text: a "$" in a dispatch's number must not start matplotlib's mathtext.
        axes.annotate(
            subtitle.replace("$", r"\$"),
            xy=(0.01, 1),
            xycoords=("figure fraction", "axes fraction"),
            xytext=(0, 8),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontfamily=FONT,
            fontsize=10,
            color="#444444",
        )
    axes.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(
        loc="outside lower center", ncols=3, frameon=False, prop={"family": FONT, "size": 9}
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
