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
    xs, ys = [], []
    for x, y in zip(positions, values):  # no line across gaps (sentences left out, e.g. headings)
        if xs and x != xs[-1] + 1:
            xs.append(float("nan"))
            ys.append(float("nan"))
        xs.append(x)
        ys.append(y)
    ax.plot(xs, ys, marker="o", markersize=3.5, linewidth=1, color=PALETTE[0])
    top = max(values) if len(values) else 1
    for boundary, label in zip(boundaries, labels):
        ax.axvline(boundary, color="0.5", linewidth=0.8, linestyle=":")
        ax.annotate(label, (boundary, top), xytext=(3, 2), textcoords="offset points", fontsize=8, rotation=0, va="bottom")
    ax.set_title(title, pad=18)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def line_chart(x, series: dict, title: str, xlabel: str, ylabel: str, mark_x: float | None = None, mark_label: str = ""):
    """Several lines over the same x (e.g. κ and accuracy against a threshold), optional vertical marker."""
    fig, ax = figure()
    for (name, values), marker in zip(series.items(), "osD^v"):
        ax.plot(list(x), list(values), marker=marker, markersize=3.5, linewidth=1.2, label=name)
    if mark_x is not None:
        ax.axvline(mark_x, color="0.4", linestyle="--", linewidth=1)
        ax.annotate(mark_label, (mark_x, ax.get_ylim()[1]), xytext=(4, -12), textcoords="offset points", fontsize=9)
    ax.legend(frameon=False)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig


def sentiment_trajectory(sids, scores, gold_labels, predicted_labels, boundaries=(), headings=(), method: str = ""):
    """SnowNLP score along the article (line), gold and predicted labels as markers, sections marked."""
    fig, ax = figure(figsize=(10.0, 4.8))
    sids, scores = list(sids), list(scores)
    ax.plot(sids, scores, color="0.55", linewidth=1, marker=".", label="SnowNLP score")
    colours = {"pos": PALETTE[2], "neg": PALETTE[3]}
    for label, colour in colours.items():
        gold_x = [s for s, g in zip(sids, gold_labels) if g == label]
        if gold_x:
            ax.scatter(gold_x, [1.08] * len(gold_x), marker="s", color=colour, s=36, label=f"gold {label}")
        predicted_x = [s for s, p in zip(sids, predicted_labels) if p == label]
        if predicted_x:
            ax.scatter(predicted_x, [1.15] * len(predicted_x), marker="^", color=colour, s=36, label=f"{method} {label}")
    for k, (boundary, heading) in enumerate(zip(boundaries, headings)):  # staggered so short sections don't collide
        ax.axvline(boundary - 0.5, color="0.5", linewidth=0.8, linestyle=":")
        ax.annotate(heading, (boundary - 0.3, 1.01 + 0.045 * (k % 2)), xycoords=("data", "axes fraction"), fontsize=8,
                    va="bottom", color="0.3")
    ax.set_ylim(0.0, 1.22)
    ax.set_title("Sentence sentiment along the article", pad=30)
    ax.set_xlabel("sentence id (sid)")
    ax.set_ylabel("SnowNLP P(positive)")
    ax.legend(frameon=False, fontsize=8, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    return fig


def dispersion_plot(positions: dict, text_length: int, boundaries=(), labels=()):
    """One row per term, a tick at each occurrence (character offset), section boundaries dotted."""
    terms = list(positions)
    fig, ax = figure(figsize=(9.0, 0.5 * len(terms) + 1.6))
    readable = [c for c in PALETTE if c != "#F0E442"]  # the yellow is too pale for thin ticks
    ax.eventplot([positions[t] for t in terms], lineoffsets=range(len(terms)), linelengths=0.7,
                 colors=[readable[i % len(readable)] for i in range(len(terms))])
    ax.set_yticks(range(len(terms)), [f"{t} ({len(positions[t])})" for t in terms])
    ax.invert_yaxis()
    ax.set_xlim(0, text_length)
    for boundary, label in zip(boundaries, labels):
        ax.axvline(boundary, color="0.5", linewidth=0.8, linestyle=":")
        ax.annotate(label, (boundary, -0.6), xytext=(2, 0), textcoords="offset points", fontsize=8, annotation_clip=False)
    ax.grid(False)
    ax.set_title("Where the terms occur in the article", pad=16)
    ax.set_xlabel("character offset in the article")
    return fig


def component_layout(graph, columns: int = 2) -> dict:
    """Node positions: each connected component laid out on its own (Kamada–Kawai, deterministic) in a cell of
    a grid, largest first, so clusters never overlap each other."""
    import math

    import networkx as nx

    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    rows = math.ceil(len(components) / columns) if components else 1
    layout = {}
    for k, nodes in enumerate(components):
        sub = graph.subgraph(sorted(nodes))
        if len(nodes) > 2:
            local = nx.kamada_kawai_layout(sub)
        else:
            ordered = sorted(nodes)
            local = {n: (i - (len(ordered) - 1) / 2, 0.0) for i, n in enumerate(ordered)}
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        longest = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        # each axis stretched to the cell (the short one at least to half), so labels of long chains don't pile up
        span_x = max(max(xs) - min(xs), longest / 2)
        span_y = max(max(ys) - min(ys), longest / 2)
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        scale = min(0.44, 0.2 + 0.04 * len(nodes))
        column, row = k % columns, k // columns
        for node, (x, y) in local.items():
            layout[node] = (column + 0.5 + (x - cx) / span_x * scale * 2,
                            rows - row - 0.5 + (y - cy) / span_y * scale * 1.6)
    return layout


def network_plot(graph, title: str, min_component: int = 3):
    """A co-occurrence network: node size by degree, edge width by weight, Chinese labels, deterministic layout.
    Components smaller than ``min_component`` nodes (isolated pairs) are left out: a table shows them better."""
    import networkx as nx

    family = chinese_font()
    keep = [n for c in nx.connected_components(graph) if len(c) >= min_component for n in c]
    graph = graph.subgraph(sorted(keep))
    fig, ax = figure(figsize=(10.0, 10.0))
    layout = component_layout(graph)
    weights = [graph.edges[e]["weight"] for e in graph.edges]
    top = max(weights) if weights else 1
    nx.draw_networkx_edges(graph, layout, ax=ax, width=[0.5 + 4 * w / top for w in weights], edge_color="0.55")
    nx.draw_networkx_nodes(graph, layout, ax=ax, node_size=[260 * max(2, len(n)) + 60 * graph.degree(n) for n in graph.nodes],
                           node_color="#DCEFFA", edgecolors=PALETTE[0], linewidths=1)
    nx.draw_networkx_labels(graph, layout, ax=ax, font_family=family, font_size=10)
    ax.set_title(title + "\n(edge width proportional to G²; node size to the number of partners)", fontsize=12)
    ax.margins(0.08)
    ax.axis("off")
    return fig


def word_cloud(frequencies: dict, title: str, seed: int = 2017):
    """A word cloud drawn with the bundled Chinese font (``wordcloud``), fixed random state."""
    from wordcloud import WordCloud

    cloud = WordCloud(font_path=str(font_path()), width=900, height=450, background_color="white",
                      random_state=seed, colormap="viridis", prefer_horizontal=1.0, max_words=60)
    image = cloud.generate_from_frequencies(frequencies).to_array()
    fig, ax = figure(figsize=(9.0, 4.8))
    ax.imshow(image, interpolation="bilinear")
    ax.axis("off")
    ax.set_title(title)
    return fig
