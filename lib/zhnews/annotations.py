"""Loading the hand-made annotation in ``data/annotations/`` (the gold the tools are judged by)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhnews.paths import ANNOTATIONS


def load_glossary(path: str | Path = ANNOTATIONS / "glossary.csv") -> pd.DataFrame:
    """The glossary of key terms: ``term, pinyin, gloss, note`` in order of first occurrence."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_pinyin_gold(path: str | Path = ANNOTATIONS / "pinyin_gold.csv") -> pd.DataFrame:
    """Hand-checked readings of polyphonic characters: ``start, char, context, pinyin, note``."""
    return pd.read_csv(path, dtype={"start": int}, keep_default_na=False)
