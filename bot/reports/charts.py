"""Drawing a report table as a PNG bar chart (matplotlib, no pyplot: safe in web threads).

Masked cells ("<5") are drawn as a hatched bar up to 5 labelled "<5", so the picture tells no more
than the table. Japanese labels use the IPAex Gothic font shipped by ``matplotlib-fontja``.
"""

from __future__ import annotations

import importlib.util
import threading
from io import BytesIO
from pathlib import Path

from bot.reports.period import MASK, SMALL
from bot.reports.table import Table

WIDTH, HEIGHT, DPI = 800, 450, 100  # pixels of every chart
FONT_PACKAGE = "matplotlib_fontja"
_setup_lock = threading.Lock()
_font: list = []  # the FontProperties, once found


def _font_properties():
    """IPAex Gothic from the package's folder, found without importing it (its import changes
    matplotlib's global settings)."""
    with _setup_lock:
        if not _font:
            from matplotlib import font_manager

            spec = importlib.util.find_spec(FONT_PACKAGE)
            path = None
            if spec and spec.submodule_search_locations:
                path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "ipaexg.ttf"
            if path and path.is_file():
                font_manager.fontManager.addfont(str(path))
                _font.append(font_manager.FontProperties(fname=str(path)))
            else:
                _font.append(font_manager.FontProperties())
        return _font[0]


def _number(cell) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    return None


def render_png(table: Table) -> bytes:
    """The table's chart as PNG bytes, WIDTH×HEIGHT pixels."""
    from matplotlib.figure import Figure

    chart = table.chart
    if chart is None:
        raise ValueError(f"table {table.name} has no chart")
    font = _font_properties()
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    ax = fig.add_subplot()
    columns = chart.label if isinstance(chart.label, tuple) else (chart.label,)
    labels = [": ".join(str(row[c]) for c in columns if row[c] != "") for row in table.rows]
    series = len(chart.values)
    height = 0.8 / max(series, 1)
    colours = ["#2f7d6d", "#e39b3a", "#5b6fb5"]
    for s, column in enumerate(chart.values):
        for i, row in enumerate(table.rows):
            cell = row[column]
            y = i + (s - (series - 1) / 2) * height
            value = _number(cell)
            if cell == MASK:
                ax.barh(y, SMALL, height, color="white", edgecolor=colours[s], hatch="//")
                ax.text(SMALL, y, f" {MASK}", va="center", fontproperties=font, fontsize=9)
            elif value is not None:
                ax.barh(y, value, height, color=colours[s % len(colours)])
                ax.text(value, y, f" {cell}", va="center", fontproperties=font, fontsize=9)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontproperties=font, fontsize=9)
    ax.invert_yaxis()  # the table's first row on top
    ax.set_title(table.title, fontproperties=font, fontsize=12)
    ax.set_xlim(left=0, right=max(_top(table), SMALL) * 1.15)
    if chart.unit:
        ax.set_xlabel(chart.unit, fontproperties=font)
    if series > 1:
        from matplotlib.patches import Patch

        handles = [
            Patch(color=colours[s], label=table.headers[c]) for s, c in enumerate(chart.values)
        ]
        small = font.copy()
        small.set_size(8)
        ax.legend(handles=handles, prop=small, loc="lower right")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    out = BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _top(table: Table) -> float:
    values = [_number(row[c]) for row in table.rows for c in table.chart.values if _number(row[c])]
    return max(values, default=0.0)
