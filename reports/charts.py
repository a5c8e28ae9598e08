"""Charts as plain data for a server-rendered SVG (templates/reports/_chart.html).

No JavaScript and no chart library: a chart is a handful of rectangles or a
polyline, laid out here in a fixed coordinate system (the viewBox) that the
browser scales. Every chart is an image with a title and a description for
screen readers, and the page shows the same numbers in a table beside it; the
series are told apart by their legend and position as well as by colour.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, WIDTH - 12, 40, HEIGHT - 40
# Category labels need about this much room; with more categories only every n-th is written.
LABEL_ROOM = 52
SERIES_CLASSES = ("chart-series-1", "chart-series-2", "chart-series-3", "chart-series-4")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str


@dataclass(frozen=True)
class Line:
    points: str
    css: str
    dots: tuple[tuple[float, float, str], ...]


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class CategoryLabel:
    x: float
    label: str


@dataclass(frozen=True)
class LegendEntry:
    x: float
    css: str
    label: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    rects: tuple[Rect, ...] = ()
    lines: tuple[Line, ...] = ()
    ticks: tuple[Tick, ...] = ()
    labels: tuple[CategoryLabel, ...] = ()
    legend: tuple[LegendEntry, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    baseline: int = BOTTOM

    @property
    def bars_html(self) -> SafeString:
        """The bars as SVG, each with its label as a tooltip title, every label escaped: built here
        rather than by a template loop, which at seven years of months (over a thousand bars on the
        dashboard) cost more than drawing them."""
        return mark_safe(  # noqa: S308 - the numbers are ours, the labels are escaped
            "".join(
                f'<rect class="{rect.css}" x="{rect.x}" y="{rect.y}" width="{rect.width}" '
                f'height="{rect.height}"><title>{escape(rect.label)}</title></rect>'
                for rect in self.rects
            )
        )


def _nice_step(value: float) -> float:
    """1, 2 or 5 times a power of ten, at least 1 (the charts count things)."""
    if value <= 1:
        return 1
    exponent = math.floor(math.log10(value))
    fraction = value / 10**exponent
    nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10**exponent


def _scale(values: list[float]) -> tuple[float, tuple[Tick, ...]]:
    highest = max([0, *values])
    step = _nice_step(highest / 4) if highest else 1
    top = max(step, math.ceil(highest / step) * step)
    ticks = []
    value = 0
    while value <= top + 1e-9:
        ticks.append(Tick(y=_y(value, top), label=_number(value)))
        value += step
    return top, tuple(ticks)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _y(value: float, top: float) -> float:
    return round(BOTTOM - (BOTTOM - TOP) * (value / top), 1)


def _labels(categories: list[str]) -> tuple[float, tuple[CategoryLabel, ...]]:
    slot = (RIGHT - LEFT) / max(1, len(categories))
    every = max(1, math.ceil(LABEL_ROOM / slot))
    labels = tuple(
        CategoryLabel(x=round(LEFT + slot * (index + 0.5), 1), label=label)
        for index, label in enumerate(categories)
        if index % every == 0
    )
    return slot, labels


def _legend(names: list[str]) -> tuple[LegendEntry, ...]:
    entries, x = [], LEFT
    for index, name in enumerate(names):
        entries.append(LegendEntry(x=x, css=SERIES_CLASSES[index % len(SERIES_CLASSES)], label=name))
        x += 24 + 7 * len(name)
    return tuple(entries)


def bar_chart(
    *, key: str, title: str, description: str, categories: list[str], series: list[tuple[str, list[float]]]
) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series."""
    top, ticks = _scale([value for _name, values in series for value in values])
    slot, labels = _labels(categories)
    bar = slot * 0.8 / max(1, len(series))
    rects = []
    for number, (name, values) in enumerate(series):
        css = SERIES_CLASSES[number % len(SERIES_CLASSES)]
        for index, value in enumerate(values):
            y = _y(value, top)
            rects.append(
                Rect(
                    x=round(LEFT + slot * index + slot * 0.1 + bar * number, 1),
                    y=y,
                    width=round(max(bar - 1, 1), 1),
                    height=round(BOTTOM - y, 1),
                    css=css,
                    label=f"{categories[index]}, {name}: {_number(value)}",
                )
            )
    return Chart(
        key=key,
        title=title,
        description=description,
        rects=tuple(rects),
        ticks=ticks,
        labels=labels,
        legend=_legend([name for name, _values in series]),
    )


def line_chart(
    *, key: str, title: str, description: str, categories: list[str], series: list[tuple[str, list[float]]]
) -> Chart:
    """One polyline per series, a dot on each category."""
    top, ticks = _scale([value for _name, values in series for value in values])
    slot, labels = _labels(categories)
    lines = []
    for number, (name, values) in enumerate(series):
        css = SERIES_CLASSES[number % len(SERIES_CLASSES)]
        dots = tuple(
            (
                round(LEFT + slot * (index + 0.5), 1),
                _y(value, top),
                f"{categories[index]}, {name}: {_number(value)}",
            )
            for index, value in enumerate(values)
        )
        lines.append(Line(points=" ".join(f"{x},{y}" for x, y, _label in dots), css=css, dots=dots))
    return Chart(
        key=key,
        title=title,
        description=description,
        lines=tuple(lines),
        ticks=ticks,
        labels=labels,
        legend=_legend([name for name, _values in series]),
    )
