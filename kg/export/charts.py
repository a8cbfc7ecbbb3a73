"""The overview's charts as inline SVG, drawn by matplotlib.

matplotlib writes plain SVG with no script and no external resource, so a chart
works offline from `file://`; with a fixed hash salt and no date the bytes are
the same for the same figures. Each clickable mark (a bar, a heatmap cell, a
point of a trend line) gets an element id `kg-<chart>-...` that the page's script
maps to the papers behind the number.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kg.export.style import COMMUNITY_COLORS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RC = {
    "svg.hashsalt": "kg",
    "svg.fonttype": "none",  # text stays text: small, searchable, drawn in the page's font
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
LABEL_CHARS = 30
_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_STYLE = re.compile(r"\s*<style type=\"text/css\">.*?</style>", re.S)


def _styled(draw: Callable[..., str]) -> Callable[..., str]:
    """Run `draw` under the charts' matplotlib settings, leaving the global ones alone."""

    @functools.wraps(draw)
    def styled(*args, **kwargs) -> str:
        import matplotlib  # here, not at `import kg`: only the HTML export draws (0.6 s)

        with matplotlib.rc_context(RC):
            return draw(*args, **kwargs)

    return styled


def mark_id(chart: str, *parts: int) -> str:
    """The element id of one clickable mark of `chart`."""
    return "-".join(["kg", chart, *(str(part) for part in parts)])


def name_id(chart: str, position: int) -> str:
    """The element id of the name of the entity at `position` in a ranked `chart`."""
    return f"kg-{chart}-name-{position}"


@_styled
def bar_chart(chart: str, labels: Sequence[str], counts: Sequence[int], color: str) -> str:
    """Horizontal bars, largest on top, each count written at its bar's end."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(3.9, 0.45 + 0.2 * max(len(labels), 1)))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    bars = axes.barh(positions, counts, color=color, height=0.7)
    for index, (bar, count) in enumerate(zip(bars, counts, strict=True)):
        bar.set_gid(mark_id(chart, index))
        axes.annotate(
            str(count),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
        )
    axes.set_yticks(positions, [_short(label) for label in labels])
    for index, tick_label in enumerate(axes.get_yticklabels()):
        tick_label.set_gid(name_id(chart, index))
    axes.set_xlabel("papers")
    axes.tick_params(axis="y", length=0)
    axes.set_xlim(0, max(counts, default=1) * 1.15)
    axes.xaxis.get_major_locator().set_params(integer=True)
    return _svg(chart, figure)


@_styled
def heatmap(
    chart: str, rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]]
) -> str:
    """A grid of counts, row by column, darker for more papers; empty cells blank."""
    import matplotlib
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=(1.4 + 0.32 * max(len(columns), 1), 1.0 + 0.24 * max(len(rows), 1)))
    axes = figure.add_subplot()
    colormap = matplotlib.colormaps["Blues"]
    highest = max((count for row in counts for count in row), default=0) or 1
    for row_index, row in enumerate(counts):
        for column_index, count in enumerate(row):
            if not count:
                continue
            shade = 0.15 + 0.85 * count / highest
            cell = Rectangle(
                (column_index - 0.5, row_index - 0.5), 1, 1, color=to_hex(colormap(shade))
            )
            cell.set_gid(mark_id(chart, row_index, column_index))
            axes.add_patch(cell)
            axes.text(
                column_index,
                row_index,
                str(count),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if shade > 0.6 else "#222222",
            )
    axes.set_xlim(-0.5, len(columns) - 0.5)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_xticks(range(len(columns)), [_short(c, 18) for c in columns], rotation=50, ha="right")
    axes.set_yticks(range(len(rows)), [_short(r, 22) for r in rows])
    axes.tick_params(length=0)
    axes.xaxis.tick_top()
    axes.xaxis.set_label_position("top")
    for label in axes.get_xticklabels():
        label.set_ha("left")
    axes.spines[:].set_visible(False)
    axes.set_xticks([x + 0.5 for x in range(len(columns))], minor=True)
    axes.set_yticks([y + 0.5 for y in range(len(rows))], minor=True)
    axes.grid(which="minor", color="#e6e6e6", linewidth=0.6)
    axes.tick_params(which="minor", length=0)
    return _svg(chart, figure)


@_styled
def trend_chart(
    chart: str, years: Sequence[int], series: Sequence[tuple[str, Sequence[int]]]
) -> str:
    """Papers per year, one line per series, each point clickable."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(4.2, 2.3))
    axes = figure.add_subplot()
    for series_index, (label, counts) in enumerate(series):
        color = COMMUNITY_COLORS[series_index % len(COMMUNITY_COLORS)]
        axes.plot(years, counts, color=color, linewidth=1.6, label=_short(label, 20))
        for year_index, (year, count) in enumerate(zip(years, counts, strict=True)):
            if not count:
                continue
            (point,) = axes.plot([year], [count], "o", color=color, markersize=5)
            point.set_gid(mark_id(chart, series_index, year_index))
    # A tick a year while they fit; past that matplotlib picks round years.
    if len(years) <= 12:
        axes.set_xticks(list(years), [str(year) for year in years])
    else:
        axes.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    if len(years) == 1:
        axes.set_xlim(years[0] - 1, years[0] + 1)
    axes.set_ylabel("papers")
    axes.set_ylim(bottom=0)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    return _svg(chart, figure)


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def _svg(chart: str, figure: Figure) -> str:
    """The figure as an `<svg>` element for inlining, its ids made unique to `chart`."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = _PROLOGUE.sub("", buffer.getvalue())
    # The metadata block names its vocabularies by URL and the style block styles `*`,
    # which inline would reach the whole page: the page's CSS carries that rule instead.
    text = _STYLE.sub("", _METADATA.sub("", text))
    text = re.sub(r'\bid="(?!kg-)', f'id="{chart}-', text)
    text = text.replace("url(#", f"url(#{chart}-").replace(
        'xlink:href="#', f'xlink:href="#{chart}-'
    )
    return text.replace("<svg ", f'<svg class="chart" aria-label="{chart} chart" ', 1).strip()
