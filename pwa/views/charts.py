"""Charts as geometry for server-rendered SVG (partials/_chart.html draws them). Pure: no
I/O, no markup — the template escapes every text, so a chart cannot carry script.

Team figures only: a chart has one value per week (or per type), never per person.
"""

import math
from collections.abc import Callable, Sequence

import msgspec

WIDTH, HEIGHT = 340, 190
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 28
ZERO_BAR = 2.0  # px: a value of 0 still shows as a bar, so a week with a figure never looks empty


class Bar(msgspec.Struct, frozen=True):
    x: float
    y: float
    width: float
    height: float
    series: int
    text: str  # the value, for the table and the bar's <title>


class Tick(msgspec.Struct, frozen=True):
    y: float
    text: str


class Label(msgspec.Struct, frozen=True):
    x: float
    text: str


class Chart(msgspec.Struct, frozen=True):
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[Label]
    points: str  # a line chart's polyline ("x,y x,y ..."), "" for bar charts
    dots: list[Bar]  # the line's points (as zero-size bars carrying their value text)
    rows: list[tuple[str, list[str]]]  # category → value texts per series: the chart as a table
    empty: bool


def nice_top(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above `value` (a step that reads well)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power * (1 + 1e-9):
            return float(step * power)
    return float(10 * power)  # pragma: no cover (the loop always returns)


def scale(largest: float, *, whole: bool = False, top: float | None = None) -> tuple[float, float]:
    """An axis (top, step) with about four round steps; counts get whole steps."""
    if top is not None:
        return top, top / 4
    step = nice_top(largest / 4 if largest > 0 else 0.25)
    if whole:
        step = max(step, 1.0)
    return step * max(math.ceil(largest / step - 1e-9), 1), step


def _axis(top: float, step: float, fmt: Callable[[float], str]) -> list[Tick]:
    plot = HEIGHT - TOP - BOTTOM
    count = round(top / step)
    return [Tick(y=round(TOP + plot - plot * i / count, 1), text=fmt(step * i)) for i in range(count + 1)]


def _labels(categories: Sequence[str], slot: float) -> list[Label]:
    # Phones are narrow: past 5 categories, label every other one.
    every = 1 if len(categories) <= 5 else 2
    return [Label(x=round(LEFT + slot * (i + 0.5), 1), text=c) for i, c in enumerate(categories) if i % every == 0]


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Sequence[float | None]],
    fmt: Callable[[float], str],
    *,
    whole: bool = False,
) -> Chart:
    """Grouped bars: one group per category, one bar per series; None draws no bar.
    `whole`: the values are counts (the axis steps by whole numbers, and counts that are all
    zero mean nothing happened yet). A measured 0 (a median pick-up under a few seconds) is a
    figure: it draws a stub bar, never "no figures"."""
    values = [v for s in series for v in s if v is not None]
    top, step = scale(max(values, default=0.0), whole=whole)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.7 / max(len(series), 1)
    bars = []
    for i in range(len(categories)):
        for k, s in enumerate(series):
            v = s[i]
            if v is None:
                continue
            h = max(plot_h * v / top, ZERO_BAR)
            x = LEFT + slot * i + slot * 0.15 + bar_w * k
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(TOP + plot_h - h, 1),
                    width=round(bar_w, 1),
                    height=round(h, 1),
                    series=k,
                    text=fmt(v),
                )
            )
    rows = [(c, ["–" if s[i] is None else fmt(s[i]) for s in series]) for i, c in enumerate(categories)]  # type: ignore[arg-type]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=_axis(top, step, fmt),
        labels=_labels(categories, slot),
        points="",
        dots=[],
        rows=rows,
        empty=not any(values) if whole else not values,
    )


def line_chart(
    categories: Sequence[str], values: Sequence[float | None], fmt: Callable[[float], str], top: float | None = None
) -> Chart:
    """One line over the categories; a None leaves a gap in the dots (the line joins the rest)."""
    known = [v for v in values if v is not None]
    top, step = scale(max(known, default=0.0), top=top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(categories), 1)
    dots = []
    for i, v in enumerate(values):
        if v is not None:
            y = TOP + plot_h - plot_h * min(v, top) / top
            dots.append(
                Bar(x=round(LEFT + slot * (i + 0.5), 1), y=round(y, 1), width=0, height=0, series=0, text=fmt(v))
            )
    rows = [(c, ["–" if v is None else fmt(v)]) for c, v in zip(categories, values, strict=True)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=[],
        ticks=_axis(top, step, fmt),
        labels=_labels(categories, slot),
        points=" ".join(f"{d.x},{d.y}" for d in dots),
        dots=dots,
        rows=rows,
        empty=not known,
    )
