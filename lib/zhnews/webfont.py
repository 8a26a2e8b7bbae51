"""Noto Sans SC as a web font, so HTML pages show Chinese on a machine without a CJK font.

The font comes from the installed ``pylopdf-fonts-zh-cn`` wheel (SIL OFL 1.1; the same file the figures use),
subset with fontTools to the characters a set of pages shows plus the 3,755 common characters of GB 2312
level 1, and written as WOFF beside its licence. The tutorial site (``site/webfont.py``) and the HTML copies
of the notebooks in ``reports/`` (:mod:`zhnews.notebook_runner`) both use it. Subsetting is deterministic:
the same characters give the same bytes.
"""

from __future__ import annotations

import re
import shutil
from importlib import metadata
from pathlib import Path
from typing import Iterable

#: File name of the subset, relative to the folder of the pages that use it.
FONT_NAME = "fonts/NotoSansSC-zhnews.woff"
#: The family name the pages' CSS uses for it.
FAMILY = "Noto Sans SC"

#: CJK blocks the @font-face covers (its ``unicode-range``).
CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]"
)
UNICODE_RANGE = ("U+2E80-2FDF, U+3000-303F, U+3040-30FF, U+3100-312F, U+31C0-31EF, U+3200-33FF, U+3400-4DBF, "
                 "U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, U+20000-2FA1F, U+2018-2019, U+201C-201D, "
                 "U+2014, U+2026, U+00B7")
#: Punctuation of Chinese text outside the CJK blocks.
PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…·"


def font_source() -> Path:
    """The OTF shipped in ``pylopdf-fonts-zh-cn``."""
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


def cjk_characters(paths: Iterable[Path]) -> set[str]:
    """Every CJK character in the given text files (HTML, JavaScript).

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "p.html"
    >>> _ = page.write_text("<p>法治 law</p>", encoding="utf-8")
    >>> sorted(cjk_characters([page]))
    ['治', '法']
    """
    chars: set[str] = set()
    for path in paths:
        chars.update(CJK.findall(Path(path).read_text(encoding="utf-8", errors="ignore")))
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


def write_font(target: Path, characters: Iterable[str]) -> tuple[Path, int]:
    """Write the subset of the font covering ``characters`` (plus GB 2312 level 1 and Chinese punctuation) to
    ``target`` as WOFF, with the licence beside it; return the path and the number of characters covered.

    Without fontTools the whole OTF is copied under the subset's name (browsers sniff the format).
    """
    source = font_source()
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_licence(target.parent)
    wanted = set(characters) | gb2312_level1() | set(PUNCTUATION)
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


def font_face_css(url: str = FONT_NAME) -> str:
    """An ``@font-face`` rule for the subset, limited to the CJK ranges, so Latin text keeps its own font.

    >>> "unicode-range" in font_face_css() and FONT_NAME in font_face_css()
    True
    """
    return (f'@font-face {{ font-family: "{FAMILY}"; src: url("{url}") format("woff"); '
            f"font-display: swap; unicode-range: {UNICODE_RANGE}; }}")
