"""Reading aids: pinyin with tone marks, right for polyphonic characters in context, and ruby HTML.

pypinyin chooses a reading from its phrase dictionary; where it is wrong for this genre, a small
documented override table (``data/lexicons/pinyin_overrides.csv``: phrase, pinyin, reason) wins.
The overrides are applied by this module only: pypinyin's global dictionaries are not touched.
"""

from __future__ import annotations

import csv
import html
from functools import lru_cache
from pathlib import Path

from pypinyin import Style
from pypinyin import pinyin as _pypinyin

from zhnews.paths import LEXICONS
from zhnews.text import is_han

OVERRIDES = LEXICONS / "pinyin_overrides.csv"


@lru_cache(maxsize=4)
def load_overrides(path: str | Path = OVERRIDES) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(phrase, syllables) pairs of the override table, longest phrase first."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [(r["phrase"], tuple(r["pinyin"].split())) for r in csv.DictReader(handle)]
    for phrase, syllables in rows:
        if sum(map(is_han, phrase)) != len(syllables):
            raise ValueError(f"{path}: {phrase!r} has {len(syllables)} syllables for {sum(map(is_han, phrase))} Han characters")
    return tuple(sorted(rows, key=lambda row: (-len(row[0]), row[0])))


def char_pinyin(text: str, overrides: bool = True) -> list[str]:
    """One reading per character of ``text``: tone-marked pinyin for Han characters, ``""`` otherwise.

    >>> char_pinyin("依法治市, 2017")
    ['yī', 'fǎ', 'zhì', 'shì', '', '', '', '', '', '', '']
    >>> char_pinyin("准确地评价")[2], char_pinyin("准确地评价", overrides=False)[2]
    ('de', 'dì')
    """
    readings = _pypinyin(text, style=Style.TONE, errors=lambda chars: [[""] for _ in chars])
    syllables = [item[0] if is_han(char) else "" for item, char in zip(readings, text)]
    assert len(syllables) == len(text), "pypinyin returned one item per character"
    if overrides:
        for phrase, fixed in load_overrides():
            start = text.find(phrase)
            while start != -1:
                han_positions = [start + k for k, c in enumerate(phrase) if is_han(c)]
                for position, syllable in zip(han_positions, fixed):
                    syllables[position] = syllable
                start = text.find(phrase, start + len(phrase))
    return syllables


def to_pinyin(text: str, overrides: bool = True) -> str:
    """Pinyin of a text: syllables separated by spaces, other characters kept as runs.

    >>> to_pinyin("依法治市")
    'yī fǎ zhì shì'
    >>> to_pinyin("打造10分钟法律服务圈")
    'dǎ zào 10 fēn zhōng fǎ lǜ fú wù quān'
    """
    pieces: list[str] = []
    run = ""
    for char, syllable in zip(text, char_pinyin(text, overrides)):
        if syllable:
            if run.strip():
                pieces.append(run.strip())
            run = ""
            pieces.append(syllable)
        else:
            run += char
    if run.strip():
        pieces.append(run.strip())
    return " ".join(pieces)


class Html(str):
    """A string of HTML that Jupyter displays as HTML (and tests compare as text)."""

    def _repr_html_(self) -> str:
        return str(self)


def ruby_html(text: str, overrides: bool = True) -> Html:
    """The text as HTML ruby: pinyin above every Han character, other characters as they are.

    >>> print(ruby_html("法治。"))
    <p class="zhnews-ruby" style="line-height:2.6;font-size:1.15em"><ruby>法<rt>fǎ</rt></ruby><ruby>治<rt>zhì</rt></ruby>。</p>
    """
    parts = []
    for char, syllable in zip(text, char_pinyin(text, overrides)):
        escaped = html.escape(char)
        parts.append(f"<ruby>{escaped}<rt>{syllable}</rt></ruby>" if syllable else escaped)
    return Html('<p class="zhnews-ruby" style="line-height:2.6;font-size:1.15em">' + "".join(parts) + "</p>")
