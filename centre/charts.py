"""Geometry for small server-rendered SVG charts.

The functions here only compute numbers: where each bar or cell goes, its
size, its colour and the text beside it. Templates draw them
(templates/includes/_bar_chart.html and _heat_grid.html); every chart must
have a data table beside it, so a chart never is the only way to read a figure.

The output is deterministic: the same input gives the same geometry, which
keeps the pages cacheable and the tests exact. Colours are plain hex values
for SVG presentation attributes (no inline style, no stylesheet change), and
meet WCAG 2.1 AA on a white page: bars 3:1 or more against white (non-text
contrast), text 4.5:1 or more against what it sits on.

In a right-to-left language (Arabic) a chart reads from the right: the bar
chart's labels stand at the right and its bars grow to the left, the heat
grid's row labels stand at the right and its first column is the rightmost.
The SVG itself is drawn ``direction="ltr"`` so that ``text-anchor`` keeps the
meaning the geometry gives it; the text inside each label still runs in its
own direction.
"""

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import number_format

INK = "#1b1b1f"
MUTED = "#4a4f57"
BAR = "#0b4f8a"
PAPER = "#ffffff"

# Heat levels from empty to busiest, each with a text colour that reads on it.
HEAT_LEVELS: tuple[tuple[str, str], ...] = (
    ("#f3f5f8", INK),
    ("#d4e3f1", INK),
    ("#9fc1e0", INK),
    ("#2f6ea5", PAPER),
    ("#0b4f8a", PAPER),
)


def one_decimal(value: float) -> str:
    """A number with one decimal, in the reader's language (1,5 in Danish)."""
    return number_format(round(value, 1), 1)


def shorten(text: str, limit: int) -> str:
    """The text, cut to at most ``limit`` characters with an ellipsis."""
    text = str(text)
    if limit < 1 or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: float
    value_label: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_x: float
    text_y: float
    label_anchor: str = "end"
    value_anchor: str = "start"


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    max_value: float
    plot_x: float
    plot_width: float
    fill: str = BAR
    text_fill: str = INK
    axis_fill: str = MUTED


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    max_value: float | None = None,
    value_format: Callable[[float], str] = one_decimal,
    width: int = 640,
    label_width: int = 210,
    value_width: int = 80,
    bar_height: int = 24,
    gap: int = 10,
    padding: int = 8,
    max_label_chars: int = 24,
    rtl: bool | None = None,
) -> BarChart:
    """A horizontal bar chart: one bar per (label, value), in the given order.

    Labels sit left of the bars (right-aligned at ``label_x``), value labels
    just after each bar's end. The scale runs from 0 to ``max_value``, or to
    the largest value when that is larger or no maximum is given; a scale of
    0 (no data, or only zeros) draws no bars rather than dividing by zero.
    Negative values are drawn as empty bars. ``rtl`` (by default: whether the
    active language is written right to left) mirrors it."""
    if rtl is None:
        rtl = translation.get_language_bidi()
    values = [max(0.0, float(value)) for _label, value in items]
    scale = max([float(max_value or 0), *values]) if values else float(max_value or 0)
    plot_x = float(label_width + padding)
    plot_width = float(width - plot_x - value_width - padding)
    bars = []
    for index, ((label, raw), value) in enumerate(zip(items, values, strict=True)):
        y = float(padding + index * (bar_height + gap))
        bar_width = round(value / scale * plot_width, 2) if scale else 0.0
        bars.append(
            Bar(
                label=str(label),
                short_label=shorten(label, max_label_chars),
                value=float(raw),
                value_label=value_format(float(raw)),
                x=plot_x,
                y=y,
                width=bar_width,
                height=float(bar_height),
                label_x=float(label_width),
                value_x=round(plot_x + bar_width + 6, 2),
                text_y=round(y + bar_height / 2, 2),
            )
        )
    height = padding * 2 + len(bars) * bar_height + max(0, len(bars) - 1) * gap
    if rtl:
        bars = [
            dataclasses.replace(
                bar,
                x=round(width - bar.x - bar.width, 2),
                label_x=width - bar.label_x,
                value_x=round(width - bar.value_x, 2),
                label_anchor="start",
                value_anchor="end",
            )
            for bar in bars
        ]
        plot_x = width - plot_x
    return BarChart(
        bars=tuple(bars),
        width=width,
        height=height,
        max_value=scale,
        plot_x=plot_x,
        plot_width=plot_width,
    )


@dataclass(frozen=True)
class HeatCell:
    row: int
    column: int
    value: float
    value_label: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    fill: str
    text_fill: str


@dataclass(frozen=True)
class HeatLabel:
    text: str
    x: float
    y: float
    anchor: str = "end"


@dataclass(frozen=True)
class HeatGrid:
    cells: tuple[HeatCell, ...]
    row_labels: tuple[HeatLabel, ...]
    column_labels: tuple[HeatLabel, ...]
    width: int
    height: int
    max_value: float
    text_fill: str = INK
    border: str = MUTED


def heat_level(value: float, max_value: float) -> int:
    """Which of the HEAT_LEVELS a value gets: 0 for nothing, the last for the maximum."""
    if value <= 0 or max_value <= 0:
        return 0
    steps = len(HEAT_LEVELS) - 1
    return min(steps, max(1, math.ceil(round(value / max_value * steps, 9))))


def heat_grid(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    value_format: Callable[[float], str] = one_decimal,
    blank_zero: bool = True,
    cell_width: int = 64,
    cell_height: int = 28,
    row_label_width: int = 64,
    header_height: int = 28,
    max_column_chars: int = 8,
    edge: int = 0,
    rtl: bool | None = None,
) -> HeatGrid:
    """A grid of shaded cells (rows x columns) with the value written in each
    non-empty cell; shading by ``heat_level`` relative to the largest value.
    ``edge`` is room beyond the last column, for a heading wider than its cell.
    ``rtl`` (by default: whether the active language is written right to
    left) mirrors it."""
    if rtl is None:
        rtl = translation.get_language_bidi()
    flat = [float(value) for row in values for value in row]
    scale = max(flat, default=0.0)
    cells = []
    for r, row in enumerate(values):
        if len(row) != len(column_labels):
            raise ValueError("every row needs one value per column")
        for c, raw in enumerate(row):
            value = float(raw)
            fill, text_fill = HEAT_LEVELS[heat_level(value, scale)]
            x = float(row_label_width + c * cell_width)
            y = float(header_height + r * cell_height)
            cells.append(
                HeatCell(
                    row=r,
                    column=c,
                    value=value,
                    value_label="" if blank_zero and value == 0 else value_format(value),
                    x=x,
                    y=y,
                    width=float(cell_width),
                    height=float(cell_height),
                    text_x=x + cell_width / 2,
                    text_y=y + cell_height / 2,
                    fill=fill,
                    text_fill=text_fill,
                )
            )
    if len(values) != len(row_labels):
        raise ValueError("one row label per row of values")
    rows = [
        HeatLabel(str(label), float(row_label_width - 8), header_height + (i + 0.5) * cell_height)
        for i, label in enumerate(row_labels)
    ]
    columns = [
        HeatLabel(
            shorten(label, max_column_chars),
            row_label_width + (i + 0.5) * cell_width,
            header_height / 2,
            anchor="middle",
        )
        for i, label in enumerate(column_labels)
    ]
    width = row_label_width + len(column_labels) * cell_width + edge
    if rtl:
        cells = [
            dataclasses.replace(cell, x=width - cell.x - cell.width, text_x=width - cell.text_x)
            for cell in cells
        ]
        rows = [dataclasses.replace(row, x=width - row.x, anchor="start") for row in rows]
        columns = [dataclasses.replace(column, x=width - column.x) for column in columns]
    return HeatGrid(
        cells=tuple(cells),
        row_labels=tuple(rows),
        column_labels=tuple(columns),
        width=width,
        height=header_height + len(row_labels) * cell_height,
        max_value=scale,
    )
