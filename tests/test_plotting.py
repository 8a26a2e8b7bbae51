"""Chinese renders in every figure: the bundled font has every glyph; no missing-glyph warning."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt

from zhnews import plotting
from zhnews.paths import SEED


def test_the_font_ships_inside_a_package_and_is_open_licensed():
    path = plotting.font_path()
    assert path.is_file() and "site-packages" in str(path) and path.suffix == ".otf"
    assert plotting.chinese_font() == "Noto Sans SC"


def test_a_figure_with_chinese_labels_draws_without_missing_glyphs(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    labels = sorted({c for c in text if "\u4e00" <= c <= "\u9fff"})  # every Han character of the article
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plotting.bar_chart(["依法治市", "法治建设", "“三官一律师”"], [21, 12, 2], "标题：依法治市", "次数", "词语")
        fig.axes[0].text(0, 0, "".join(labels))
        saved = plotting.save(fig, "glyph_test", tmp_path)
    plt.close(fig)
    glyph_warnings = [w for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    assert glyph_warnings == []
    assert plotting.missing_glyphs(fig) == []
    assert (tmp_path / "glyph_test.png").stat().st_size > 10_000 and saved.endswith("glyph_test.png")


def test_png_output_is_byte_identical_across_runs():
    def draw():
        fig = plotting.bar_chart(["甲", "乙"], [1, 2], "同一图", "x", "y")
        data = plotting.png_bytes(fig)
        plt.close(fig)
        return data

    assert draw() == draw()


def test_house_style_uses_the_chinese_font_first():
    plotting.use_house_style()
    assert plt.rcParams["font.sans-serif"][0] == "Noto Sans SC"
    assert plt.rcParams["axes.unicode_minus"] is False


def test_figures_show_the_data_they_claim(seed):
    """Images are not compared by nbval: check what the bars and points of the notebooks' figures hold."""
    from zhnews import reading

    sections = reading.sections_table(seed)
    fig = plotting.bar_chart(sections["heading"], sections["n_han"], "t", "x", "y")
    bars = fig.axes[0].patches
    assert [round(b.get_width()) for b in bars] == list(sections["n_han"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(sections["heading"])
    plt.close(fig)
    lengths = reading.sentence_lengths(seed)
    fig = plotting.along_text(lengths.index, lengths.values, "t", "x", "y")
    xs, ys = fig.axes[0].lines[0].get_data()
    points = [(x, y) for x, y in zip(xs, ys) if x == x]  # NaN breaks the line across left-out sentences
    assert points == list(zip(lengths.index, lengths.values))
    plt.close(fig)
