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

import pandas as pd

from zhnews.paths import LEXICONS
from zhnews.text import is_han, strip_accents

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
    ['yī', 'fǎ', 'zhì', 'shì', '', '', '', '', '', '']
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
        _apply_yi_wei(text, syllables)
    return syllables


_CLAUSE_END = "，。；：？！,;:?!\n"


def _apply_yi_wei(text: str, syllables: list[str]) -> None:
    """The 以…为… construction ("take A as B"): in a clause that opens with 以, the next 为 is wéi.

    pypinyin reads 为 as wèi ("for") in 以辖区主要道路为“线”; the clause-initial 以 marks the
    construction. 为了 (wèi le, "in order to") is left alone.

    >>> char_pinyin("以小区、社区等为重点，为群众服务")[7], char_pinyin("以小区、社区等为重点，为群众服务")[11]
    ('wéi', 'wèi')
    """
    clause_start = True
    opened_with_yi = False
    for i, char in enumerate(text):
        if char in _CLAUSE_END:
            clause_start, opened_with_yi = True, False
            continue
        if clause_start and char == "以":
            opened_with_yi = True
        elif opened_with_yi and char == "为" and text[i + 1 : i + 2] != "了":
            syllables[i] = "wéi"
            opened_with_yi = False
        if not char.isspace():
            clause_start = False


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

    def __repr__(self) -> str:
        return f"<HTML: {len(self):,} characters; displayed as HTML in Jupyter>"


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


def compare_with_gold(raw: str, gold, overrides: bool = True):
    """Reading per gold position, by the library, against the hand-made reading.

    ``gold`` is a table with ``start``, ``char`` and ``pinyin`` (see
    :func:`zhnews.annotations.load_pinyin_gold`). Returns the gold table with ``predicted`` and
    ``correct`` columns. Readings are compared as written (tone marks included).
    """
    readings = char_pinyin(raw, overrides=overrides)
    table = gold.copy()
    if not (table["char"] == [raw[i] for i in table["start"]]).all():
        raise ValueError("the pinyin gold does not match the text: an offset points at another character")
    table["predicted"] = [readings[i] for i in table["start"]]
    table["correct"] = table["predicted"] == table["pinyin"]
    # a full tone where the dictionary prefers the neutral tone (知识 zhīshi, 层面上 shang) is a milder miss
    toneless = [strip_accents(p) == strip_accents(g) for p, g in zip(table["predicted"], table["pinyin"])]
    neutral_gold = [g == strip_accents(g) for g in table["pinyin"]]
    table["acceptable"] = table["correct"] | (pd.Series(toneless, index=table.index) & pd.Series(neutral_gold, index=table.index))
    return table


def accuracy_by_character(comparison) -> pd.DataFrame:
    """Occurrences and accuracy per polyphonic character, hardest first."""
    grouped = comparison.groupby("char")["correct"].agg(occurrences="size", correct="sum").reset_index()
    grouped["accuracy"] = (grouped["correct"] / grouped["occurrences"]).round(3)
    return grouped.sort_values(["accuracy", "occurrences", "char"], ascending=[True, False, True], ignore_index=True)


def evaluation_summary(raw: str, gold: pd.DataFrame) -> pd.DataFrame:
    """Strict and lenient accuracy of pypinyin alone and with this package's overrides, on the gold.

    *Strict*: the reading equals the gold, tone included. *Acceptable*: also counts a full tone where
    the gold has the dictionary's optional neutral tone (知识 zhīshi read zhīshí).
    """
    rows = []
    for label, use_overrides in (("pypinyin", False), ("pypinyin + overrides", True)):
        comparison = compare_with_gold(raw, gold, overrides=use_overrides)
        rows.append(
            {
                "method": label,
                "occurrences": len(comparison),
                "strict_correct": int(comparison["correct"].sum()),
                "strict_accuracy": round(float(comparison["correct"].mean()), 3),
                "acceptable_correct": int(comparison["acceptable"].sum()),
                "acceptable_accuracy": round(float(comparison["acceptable"].mean()), 3),
            }
        )
    return pd.DataFrame(rows)
