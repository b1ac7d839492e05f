"""Small server-rendered SVG charts: geometry only; templates draw them with CSS classes.

No style attributes (strict CSP): colours come from classes in static/css/outcomes.css.
Every chart has a title for screen readers, and pages show the numbers as a table too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_label: str
    title: str = ""  # the full label, for the tooltip and screen readers
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0


@dataclass
class Chart:
    width: int
    height: int
    title: str
    bars: list[Bar] = field(default_factory=list)
    line: str = ""  # polyline points, for line charts
    dots: list[tuple[float, float, str]] = field(default_factory=list)
    baseline: float = 0
    empty: bool = False


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal) else float(value or 0)


def hbar_chart(
    items: list[tuple[str, float, str]], *, title: str, width: int = 360, label_width: int = 150
) -> Chart:
    """Horizontal bars: one row per item (label, value, value as text)."""
    row, gap, top = 22, 6, 4
    height = top + len(items) * (row + gap)
    chart = Chart(width=width, height=height, title=title)
    biggest = max((_number(value) for _label, value, _text in items), default=0)
    chart.empty = biggest <= 0
    room = width - label_width - 70
    for index, (label, value, text) in enumerate(items):
        y = top + index * (row + gap)
        length = 0 if biggest <= 0 else max(room * _number(value) / biggest, 0)
        if _number(value) > 0:
            length = max(length, 2)
        chart.bars.append(
            Bar(
                x=label_width,
                y=y,
                width=round(length, 1),
                height=row,
                label=label,
                value_label=text,
                label_x=label_width - 6,
                label_y=y + row * 0.7,
                value_x=round(label_width + length + 6, 1),
                value_y=y + row * 0.7,
            )
        )
    return chart


def column_chart(
    items: list[tuple[str, float, str]],
    *,
    title: str,
    width: int = 360,
    height: int = 150,
    titles: list[str] | None = None,
) -> Chart:
    """Vertical columns, e.g. one per month; labels under every other column when crowded."""
    chart = Chart(width=width, height=height, title=title)
    bottom, top = height - 22, 14
    chart.baseline = bottom
    biggest = max((_number(value) for _label, value, _text in items), default=0)
    chart.empty = biggest <= 0
    if not items:
        return chart
    slot = width / len(items)
    thin = slot < 36
    for index, (label, value, text) in enumerate(items):
        size = 0 if biggest <= 0 else (bottom - top) * _number(value) / biggest
        x = index * slot + slot * 0.15
        chart.bars.append(
            Bar(
                x=round(x, 1),
                y=round(bottom - size, 1),
                width=round(slot * 0.7, 1),
                height=round(size, 1),
                label=label if not thin or index % 2 == 0 else "",
                value_label=text if _number(value) > 0 else "",
                title=titles[index] if titles else label,
                label_x=round(index * slot + slot / 2, 1),
                label_y=height - 6,
                value_x=round(index * slot + slot / 2, 1),
                value_y=round(bottom - size - 3, 1),
            )
        )
    return chart


def line_chart(
    items: list[tuple[str, float, str]],
    *,
    title: str,
    width: int = 360,
    height: int = 150,
    titles: list[str] | None = None,
) -> Chart:
    """A line through the values (e.g. active connections at each month's end)."""
    chart = Chart(width=width, height=height, title=title)
    bottom, top, left, right = height - 22, 18, 20, 20
    chart.baseline = bottom
    values = [_number(value) for _label, value, _text in items]
    biggest = max(values, default=0)
    chart.empty = biggest <= 0
    if not items:
        return chart
    step = (width - left - right) / max(len(items) - 1, 1)
    points = []
    for index, (label, value, text) in enumerate(items):
        x = left + index * step
        y = bottom - (0 if biggest <= 0 else (bottom - top) * _number(value) / biggest)
        points.append(f"{x:.1f},{y:.1f}")
        full = titles[index] if titles else label
        chart.dots.append((round(x, 1), round(y, 1), f"{full}: {text}"))
        ends = index in (0, len(items) - 1)
        labelled = ends or (len(items) <= 13 and index % 2 == 0)
        if labelled:
            chart.bars.append(
                Bar(
                    x,
                    y,
                    0,
                    0,
                    label,
                    text if ends else "",
                    label_x=round(x, 1),
                    label_y=height - 6,
                    value_x=round(x, 1),
                    value_y=round(y - 7, 1),
                )
            )
    chart.line = " ".join(points)
    return chart
