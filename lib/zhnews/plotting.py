"""Chinese-capable figures in one house style.

The font is Noto Sans SC (SIL Open Font License 1.1), shipped inside the PyPI wheel
``pylopdf-fonts-zh-cn``: no system font, no download, no rebuild of matplotlib's font cache. It is
registered with :func:`matplotlib.font_manager.FontManager.addfont`, and the same file serves
``wordcloud`` and HTML exports.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager

from zhnews.io import write_bytes_atomic
from zhnews.paths import FIGURES, relative

#: Colour-blind-safe palette (Okabe & Ito 2008), in the order figures use it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
DPI = 110
FIGSIZE = (8.0, 4.5)


def font_path() -> Path:
    """Path of the bundled Chinese font file (Noto Sans SC Regular, OTF)."""
    from pylopdf_fonts_zh_cn import sans_path

    return Path(sans_path())


@lru_cache(maxsize=1)
def chinese_font() -> str:
    """Register the bundled font with matplotlib (once per process) and return its family name.

    >>> chinese_font()
    'Noto Sans SC'
    """
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_house_style() -> None:
    """Set the house style: the Chinese font first, readable sizes, the palette, light grid."""
    family = chinese_font()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.figsize": FIGSIZE,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "savefig.bbox": "tight",
            "font.size": 11,
            "axes.titlesize": 13,
            "axes.titleweight": "normal",
            "axes.labelsize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "svg.hashsalt": "zhnews",
        }
    )


def figure(**kwargs):
    """A new figure and axes in the house style (``plt.subplots`` arguments pass through)."""
    use_house_style()
    return plt.subplots(**kwargs)


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes, without a software stamp (identical bytes on every run)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def save(fig, name: str, folder: str | Path = FIGURES) -> str:
    """Save a figure as ``reports/figures/<name>.png`` atomically; return its project-relative path."""
    return relative(write_bytes_atomic(Path(folder) / f"{name}.png", png_bytes(fig)))


def missing_glyphs(fig) -> list[str]:
    """Characters in the figure's texts that the chosen font cannot draw (empty when all render).

    >>> fig, ax = figure()
    >>> _ = ax.set_title("依法治市 2017")
    >>> missing_glyphs(fig)
    []
    >>> plt.close(fig)
    """
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(font_path()))
    charmap = font.get_charmap()
    missing = set()
    for text in fig.findobj(matplotlib.text.Text):
        for char in text.get_text():
            if not char.isspace() and ord(char) not in charmap:
                missing.add(char)
    return sorted(missing)


def bar_chart(labels, values, title: str, xlabel: str, ylabel: str, horizontal: bool = True, color: str = PALETTE[0]):
    """A labelled bar chart (horizontal by default, long Chinese labels stay readable); returns the figure."""
    labels, values = list(labels), list(values)
    fig, ax = figure(figsize=(8.0, max(2.5, 0.42 * len(labels) + 1.2)) if horizontal else FIGSIZE)
    if horizontal:
        ax.barh(range(len(labels)), values, color=color)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        for y, value in enumerate(values):
            ax.annotate(f"{value:g}", (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
        ax.grid(axis="y", visible=False)
    else:
        ax.bar(range(len(labels)), values, color=color)
        ax.set_xticks(range(len(labels)), labels)
        ax.grid(axis="x", visible=False)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def histogram(values, title: str, xlabel: str, ylabel: str = "number of sentences", bins: int = 12):
    """A histogram with the median marked; returns the figure."""
    import statistics

    values = list(values)
    fig, ax = figure()
    ax.hist(values, bins=bins, color=PALETTE[0], edgecolor="white")
    median = statistics.median(values)
    ax.axvline(median, color=PALETTE[3], linestyle="--", label=f"median = {median:g}")
    ax.legend(frameon=False)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def along_text(positions, values, title: str, xlabel: str, ylabel: str, boundaries=(), labels=()):
    """Values along the article (e.g. sentence length by sentence number), with section boundaries."""
    fig, ax = figure(figsize=(9.0, 4.0))
    ax.plot(list(positions), list(values), marker="o", markersize=3.5, linewidth=1, color=PALETTE[0])
    top = max(values) if len(values) else 1
    for boundary, label in zip(boundaries, labels):
        ax.axvline(boundary, color="0.5", linewidth=0.8, linestyle=":")
        ax.annotate(label, (boundary, top), xytext=(3, 2), textcoords="offset points", fontsize=8, rotation=0, va="bottom")
    ax.set_title(title, pad=18)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig
