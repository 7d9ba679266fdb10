"""Charts drawn on the server, offline: the theme × year heat map and the bars of latest status
per actor and per review, as SVG or PNG bytes.

matplotlib draws with its own fonts (DejaVu Sans ships with it) and no display: figures are made
with the object API and the Agg canvas, never pyplot, so nothing depends on a screen or on the
network. SVG keeps text as text, escaped by matplotlib's XML writer; the hash salt is fixed and
the date left out, so the same data always gives the same bytes. Labels come from the data, so
before they are drawn they lose control and formatting characters (a right-to-left override
would flip them), `$` is escaped (it would start mathtext), characters the font lacks become a
box, and long ones are cut short. matplotlib is not thread-safe, so one chart is drawn at a time.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from graph.answers.status_counts import STATUS_GROUPS, StatusTable
from graph.answers.theme_years import ThemeYears
from graph.store.errors import InvalidInput

IMAGE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
"""The image formats a chart is drawn in, with their media types."""

STATUS_COLOURS = {"decision": "#4477AA", "implementation": "#228833", "closure": "#AA3377", "no-response": "#BBBBBB"}
"""One colour per group of latest status, the same in every chart (Paul Tol's colour-blind-safe set)."""
DARK_COLOURS = {"#4477AA", "#228833", "#AA3377"}

HEAT_COLOURS = "YlOrRd"
LABEL_WIDTH = 42
"""Characters of a row label kept before it is cut short with an ellipsis."""
TITLE_WIDTH = 200
FONT = "DejaVu Sans"
STYLE = {
    "font.family": FONT,
    "font.size": 9,
    "text.usetex": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "lrkg",
}
PNG_DPI = 150
MISSING_GLYPH = "\u25a1"
_DRAWING = threading.Lock()


def heat_map(data: ThemeYears, image_format: str) -> bytes:
    """Failures per theme (rows) and year (columns), each cell coloured by its count and with the
    count written in it; a last column for failures of reviews with no date, when there are any."""
    title = "Failures (findings of shortcomings) by theme and year" + _filters(
        f"under {data.theme.label}" if data.theme else None, f"reviews of kind {data.kind.label}" if data.kind else None
    )
    if not data.rows:
        return no_data(title, image_format)
    columns = [str(year) for year in data.years]
    cells = [list(row) for row in data.matrix]
    if any(row.undated for row in data.rows):
        columns.append("no date")
        for values, row in zip(cells, data.rows):
            values.append(row.undated)
    with _DRAWING, matplotlib.rc_context(STYLE):
        figure = _figure(width=3.2 + 0.55 * len(columns), height=1.4 + 0.34 * len(data.rows))
        axes = figure.add_subplot()
        highest = max(max(values) for values in cells) or 1
        # Cells and scale as vector shapes, not a raster: an SVG with an embedded image would need a
        # data: URL, which a report's content security policy refuses.
        image = axes.pcolormesh(cells, cmap=HEAT_COLOURS, vmin=0, vmax=highest, edgecolors="white", linewidth=0.5)
        axes.invert_yaxis()
        for i, values in enumerate(cells):
            for j, count in enumerate(values):
                colour = "white" if count > highest * 0.6 else ("#888888" if count == 0 else "black")
                axes.text(j + 0.5, i + 0.5, str(count), ha="center", va="center", color=colour, fontsize=8)
        axes.set_xticks([j + 0.5 for j in range(len(columns))], columns, rotation=90 if len(columns) > 20 else 0)
        axes.set_yticks([i + 0.5 for i in range(len(data.rows))], [drawable(row.label) for row in data.rows])
        axes.tick_params(length=0)
        axes.set_xlabel("year the review was issued")
        axes.set_title(drawable(title, width=TITLE_WIDTH), loc="left")
        for side in axes.spines.values():
            side.set_visible(False)
        scale = figure.colorbar(image, ax=axes, label="failures", fraction=0.04, pad=0.02, ticks=MaxNLocator(integer=True))
        scale.solids.set_rasterized(False)
        scale.solids.set_edgecolor("face")  # no seams between the scale's bands
        return _image(figure, image_format)


def status_bars(table: StatusTable, subject: str, image_format: str, top: int = 15) -> bytes:
    """One horizontal bar per actor or review (`subject`), the `top` with the most recommendations,
    split by the group of each recommendation's latest status."""
    filters = _filters(
        f"addressing {table.theme.label}" if table.theme else None,
        f"reviews of kind {table.kind.label}" if table.kind else None,
        f"in {table.review.label}" if table.review else None,
    )
    shown = table.rows[:top]
    title = f"Latest status of recommendations, by {subject}{filters}"
    if not shown:
        return no_data(title, image_format)
    if len(table.rows) > len(shown):
        title += f" (the {len(shown)} of {len(table.rows)} with the most)"
    labels = [drawable(row.subject.label) for row in reversed(shown)]
    with _DRAWING, matplotlib.rc_context(STYLE):
        figure = _figure(width=9.0, height=1.6 + 0.32 * len(shown))
        axes = figure.add_subplot()
        left = [0] * len(shown)
        for group, name in STATUS_GROUPS:
            counts = [row.by_group()[group] for row in reversed(shown)]
            bars = axes.barh(labels, counts, left=left, color=STATUS_COLOURS[group], label=name, height=0.7)
            text_colour = "white" if STATUS_COLOURS[group] in DARK_COLOURS else "black"
            axes.bar_label(bars, labels=[str(n) if n else "" for n in counts], label_type="center",
                           color=text_colour, fontsize=8)
            left = [a + b for a, b in zip(left, counts)]
        axes.set_xlabel("recommendations")
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.set_title(drawable(title, width=TITLE_WIDTH), loc="left")
        axes.legend(title="Latest status", loc="upper center", bbox_to_anchor=(0.5, -0.5 / len(shown) - 0.12),
                    ncols=len(STATUS_GROUPS), frameon=False)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        return _image(figure, image_format)


def no_data(title: str, image_format: str) -> bytes:
    """An image that says there is nothing to draw, rather than an error."""
    with _DRAWING, matplotlib.rc_context(STYLE):
        figure = _figure(width=6.0, height=1.6)
        figure.text(0.5, 0.68, drawable(title, width=TITLE_WIDTH), ha="center", va="center", fontsize=10)
        figure.text(0.5, 0.32, "No data: nothing in the graph matches these filters.", ha="center", va="center",
                    fontsize=10, color="#555555")
        return _image(figure, image_format, tight=False)


def drawable(text: str, width: int = LABEL_WIDTH) -> str:
    """`text` as a chart label: one line, without control or formatting characters, cut to
    `width` characters, with characters the font lacks shown as a box and `$` kept literal."""
    kept = "".join(c if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") else " " for c in text)
    line = " ".join(kept.split())
    if len(line) > width:
        line = line[: width - 1].rstrip() + "…"
    glyphs = _glyphs()
    return "".join(c if ord(c) in glyphs else MISSING_GLYPH for c in line).replace("$", r"\$")


@cache
def _glyphs() -> frozenset[int]:
    """The characters the chart font can draw."""
    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(FT2Font(path).get_charmap())


def _filters(*parts: str | None) -> str:
    """The filters a chart was drawn with, in brackets after its title."""
    given = [part for part in parts if part]
    return f" ({'; '.join(given)})" if given else ""


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(min(width, 24.0), min(height, 30.0)))
    FigureCanvasAgg(figure)
    return figure


def _image(figure: Figure, image_format: str, tight: bool = True) -> bytes:
    if image_format not in IMAGE_TYPES:
        raise InvalidInput(f"Unknown image format {image_format!r}; use one of {', '.join(IMAGE_TYPES)}.")
    metadata: dict[str, str | None] = {"Date": None} if image_format == "svg" else {"Software": None}
    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format, dpi=PNG_DPI, metadata=metadata, bbox_inches="tight" if tight else None)
    return buffer.getvalue()

