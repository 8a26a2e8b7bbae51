"""The Chinese web font of the tutorial site: Noto Sans SC from the installed wheel, subset to what is shown.

Used by ``conf.py`` at the end of the build. The subset keeps every CJK character that occurs in the built HTML
(pages, search index) plus the 3,755 common characters of GB 2312 level 1, so a reader who types a query into
the search box sees it in the same font. Without fontTools the whole OTF is copied instead (8 MB).
"""

from __future__ import annotations

from pathlib import Path

from zhnews.webfont import FONT_NAME, cjk_characters, write_font  # shared with the HTML copies in reports/


def site_characters(outdir: Path) -> set[str]:
    """Every CJK character in the built site's HTML and JavaScript (search index included)."""
    return cjk_characters(p for p in sorted(outdir.rglob("*")) if p.suffix in {".html", ".js"} and p.is_file())


def write_site_font(outdir: Path) -> tuple[Path, int]:
    """Write the subset font into ``outdir/_static/fonts/`` and return its path and number of characters."""
    return write_font(outdir / "_static" / FONT_NAME, site_characters(outdir))
