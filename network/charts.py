"""A small server-rendered SVG line chart: geometry here, drawing in
``templates/network/_line_chart.html`` with CSS classes (no style attributes: strict CSP).

Pages always show the same numbers as a table next to the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # class suffix: line-<css>
    points: str  # polyline points "x,y x,y"
    dots: list[tuple[float, float, int]]
    last: int


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass
class LineChart:
    title: str
    width: int
    height: int
    left: int
    top: int
    bottom: float
    right: float
    maximum: int
    series: list[Series] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    grid: list[tuple[float, int]] = field(default_factory=list)
    empty: bool = False


def line_chart(
    title: str,
    labels: list[str],
    series: list[tuple[str, str, list[int]]],
    *,
    width: int = 360,
    height: int = 160,
    every: int | None = None,
) -> LineChart:
    """Lines over the same x labels (e.g. months); ``series`` is (name, css class, values)."""
    left, top, bottom_margin, right_margin = 34, 10, 22, 8
    bottom = height - bottom_margin
    right = width - right_margin
    maximum = max((v for _n, _c, values in series for v in values), default=0)
    chart = LineChart(
        title=title,
        width=width,
        height=height,
        left=left,
        top=top,
        bottom=bottom,
        right=right,
        maximum=maximum,
        empty=not labels or maximum == 0,
    )
    if not labels:
        return chart
    scale_max = _nice(maximum)
    step = (right - left) / max(1, len(labels) - 1)

    def x(index: int) -> float:
        return round(left + index * step, 1) if len(labels) > 1 else (left + right) / 2

    def y(value: int) -> float:
        return round(bottom - (value / scale_max) * (bottom - top), 1) if scale_max else bottom

    for name, css, values in series:
        coords = [(x(i), y(v), v) for i, v in enumerate(values)]
        chart.series.append(
            Series(
                name=name,
                css=css,
                points=" ".join(f"{cx},{cy}" for cx, cy, _v in coords),
                dots=coords,
                last=values[-1] if values else 0,
            )
        )
    every = every or max(1, (len(labels) + 5) // 6)
    chart.ticks = [Tick(x(i), label) for i, label in enumerate(labels) if i % every == 0]
    chart.grid = [(y(v), v) for v in (0, scale_max // 2, scale_max) if scale_max or v == 0]
    return chart


def _nice(value: int) -> int:
    """A round, even upper bound for the axis: 1 → 2, 7 → 8, 91 → 100, 1234 → 2000."""
    if value <= 0:
        return 0
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for factor in (1, 2, 4, 6, 8, 10):
        bound = factor * magnitude
        if bound >= value and bound % 2 == 0:
            return bound
    return 10 * magnitude
