"""Bar charts drawn on the server as SVG, always with the same figures as a table.

`bar_chart(...)` works out every coordinate here, so the page needs no script and no inline styles (the Content
Security Policy allows neither); `templates/includes/bar_chart.html` draws it:

    {% include "includes/bar_chart.html" with chart=chart %}

The SVG has a title and a description for screen readers, and the table (in a details element) carries the same
figures for anyone who cannot see the bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str  # in the table and the bar's tooltip, e.g. "March 2025"
    short_label: str  # under the axis, e.g. "Mar 2025"
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    show_label: bool


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    html_id: str
    title: str
    caption: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    axis_x: int
    axis_y: float
    label_y: float
    plot_right: int


def bar_chart(
    points: Sequence[tuple[str, str, int]],
    *,
    html_id: str,
    title: str,
    caption: str,
    label_heading: str,
    value_heading: str,
    width: int = 720,
    height: int = 240,
    left: int = 40,
    bottom: int = 40,
    max_labels: int = 8,
) -> BarChart | None:
    """A chart of `points` (label, short label, value), or None when there is nothing to draw.

    `title` reads in a sentence ("organisations signing each month"): the template says "Bar chart of {title}" and
    "Table: {title}". `caption` is shown under the chart. At most about `max_labels` axis labels are shown so they
    never overlap; every bar keeps its full label as a tooltip and in the table.
    """
    if not points:
        return None
    top = max(value for _, _, value in points) or 1
    plot_w = width - left - 10
    plot_h = height - bottom - 10
    step = plot_w / len(points)
    label_every = max(1, len(points) // max_labels)
    bars = []
    for index, (label, short_label, value) in enumerate(points):
        bar_height = round(plot_h * value / top, 1)
        x = round(left + index * step + step * 0.1, 1)
        bars.append(
            Bar(
                label=label,
                short_label=short_label,
                value=value,
                x=x,
                y=round(10 + plot_h - bar_height, 1),
                width=round(step * 0.8, 1),
                height=bar_height,
                label_x=round(x + step * 0.4, 1),
                show_label=index % label_every == 0,
            )
        )
    ticks = [Tick(value=t, y=round(10 + plot_h - plot_h * t / top, 1)) for t in sorted({0, top // 2, top})]
    return BarChart(
        html_id=html_id,
        title=title,
        caption=caption,
        label_heading=label_heading,
        value_heading=value_heading,
        bars=bars,
        ticks=ticks,
        width=width,
        height=height,
        axis_x=left,
        axis_y=10 + plot_h,
        label_y=10 + plot_h + 18,
        plot_right=width - 10,
    )
