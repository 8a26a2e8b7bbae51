"""The Chinese web font of the tutorial site: Noto Sans SC from the installed wheel, subset to what is shown.

Used by ``conf.py`` at the end of the build. The subset keeps every CJK character that occurs in the built HTML
(pages, search index) plus the 3,755 common characters of GB 2312 level 1, so a reader who types a query into
the search box sees it in the same font. Without fontTools the whole OTF is copied instead (8 MB).
"""

from __future__ import annotations

import re
import shutil
from importlib import metadata
from pathlib import Path

#: File name the CSS (``_static/zhnews.css``) refers to, relative to ``_static/``.
FONT_NAME = "fonts/NotoSansSC-zhnews.woff"

#: CJK blocks the @font-face covers (its ``unicode-range`` in zhnews.css lists the same blocks).
CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]"
)


def font_source() -> Path:
    """The OTF shipped in ``pylopdf-fonts-zh-cn`` (the same file the figures use)."""
    from pylopdf_fonts_zh_cn import sans_path

    return Path(sans_path())


def gb2312_level1() -> set[str]:
    """The 3,755 level-1 (common) hanzi of GB 2312: rows 16–55 of the code table.

    >>> chars = gb2312_level1()
    >>> len(chars), "法" in chars, "治" in chars
    (3755, True, True)
    """
    chars = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def site_characters(outdir: Path) -> set[str]:
    """Every CJK character in the built site's HTML and JavaScript (search index included)."""
    chars: set[str] = set()
    for path in sorted(outdir.rglob("*")):
        if path.suffix in {".html", ".js"} and path.is_file():
            chars.update(CJK.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return chars


def write_licence(fonts_dir: Path) -> None:
    """Put the font's licence (SIL OFL 1.1, from the wheel's metadata) next to the font file."""
    try:
        files = metadata.files("pylopdf-fonts-zh-cn") or []
    except metadata.PackageNotFoundError:
        return
    for file in files:
        if file.name in {"LICENSE", "LICENSE.txt", "OFL.txt"}:
            shutil.copyfile(file.locate(), fonts_dir / "OFL.txt")
            return


def write_site_font(outdir: Path) -> tuple[Path, int]:
    """Write the subset font into ``outdir/_static/fonts/`` and return its path and number of characters.

    When fontTools is missing the whole OTF is copied under the subset's name (browsers sniff the format).
    """
    source = font_source()
    target = outdir / "_static" / FONT_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    write_licence(target.parent)
    wanted = site_characters(outdir) | gb2312_level1() | set("，。、；：？！“”‘’（）《》【】—…·")
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        shutil.copyfile(source, target)
        return target, len(wanted)
    font = TTFont(source, recalcTimestamp=False)  # same bytes from the same wheel
    cmap = font.getBestCmap()
    unicodes = sorted(ord(c) for c in wanted if ord(c) in cmap)
    options = subset.Options()
    options.flavor = "woff"  # zlib; woff2 would need brotli, which is not installed
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.flavor = "woff"
    font.save(target, reorderTables=True)
    return target, len(unicodes)
