"""The HTML copies in reports/ bring their own Chinese font (a machine without a CJK font shows boxes otherwise)."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from zhnews.notebook_runner import report_font_css
from zhnews.paths import REPORTS
from zhnews.webfont import FONT_NAME, cjk_characters, font_source

PAGES = sorted(REPORTS.glob("*.html"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_report_declares_the_packaged_font(page):
    assert report_font_css() in page.read_text(encoding="utf-8")


def test_the_font_file_covers_every_chinese_character_of_the_reports():
    covered = {chr(code) for code in TTFont(REPORTS / FONT_NAME).getBestCmap()}
    in_the_font = {chr(code) for code in TTFont(font_source()).getBestCmap()}
    shown = cjk_characters(PAGES)
    assert shown and not (shown & in_the_font) - covered, "the subset dropped characters the pages show"
    assert (REPORTS / "fonts" / "OFL.txt").exists(), "the OFL licence travels with the font"
