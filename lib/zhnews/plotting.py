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

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from zhnews.io import write_bytes_atomic  # noqa: E402
from zhnews.paths import FIGURES  # noqa: E402

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


def save(fig, name: str, folder: str | Path = FIGURES) -> Path:
    """Save a figure as ``reports/figures/<name>.png`` atomically; return the path."""
    return write_bytes_atomic(Path(folder) / f"{name}.png", png_bytes(fig))


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
