"""The whole analysis of one article as tables: ``analyse(path)`` and ``write_tables``.

The command ``python -m zhnews analyze FILE --out DIR`` calls these two functions; every later stage
(annotation, sentiment, terms) adds its tables here, under the names fixed in ARCHITECTURE.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhnews import annotate, entities, mechanisms, reading, sentiment, terms
from zhnews.annotations import load_glossary
from zhnews.io import write_csv, write_json
from zhnews.output import replace_folder
from zhnews.paths import relative

#: Table name → file name, in the order they are written.
TABLE_FILES = {
    "article": "article.json",
    "paragraphs": "paragraphs.csv",
    "sentences": "sentences.csv",
    "sections": "sections.csv",
    "tokens": "tokens.csv",
    "entities": "entities.csv",
    "formulations": "formulations.csv",
    "mechanisms": "mechanisms.csv",
    "mechanism_actions": "mechanism_actions.csv",
    "sentiment": "sentiment.csv",
    "terms": "terms.csv",
}


def analyse(path: str | Path) -> dict[str, pd.DataFrame | dict]:
    """Read the article at ``path`` and return every table of the pipeline, by name.

    >>> from zhnews.paths import SEED
    >>> tables = analyse(SEED)
    >>> list(tables) == list(TABLE_FILES), tables["article"]["n_sentences"], len(tables["mechanisms"])
    (True, 61, 6)
    """
    article = reading.load(path)
    record = reading.article_record(article)
    record["path"] = relative(path)
    tokens = annotate.tokens_table(article)
    mechanism_items = mechanisms.mechanisms_table(article)
    return {
        "article": record,
        "paragraphs": reading.paragraphs_table(article),
        "sentences": reading.sentences_table(article),
        "sections": reading.sections_table(article),
        "tokens": tokens,
        "entities": entities.entities_table(article, tokens),
        "formulations": entities.formulations_table(article, load_glossary()),
        "mechanisms": mechanism_items,
        "mechanism_actions": mechanisms.actions_table(article, mechanism_items),
        "sentiment": sentiment.sentiment_table(article),
        "terms": terms.terms_table(article, tokens),
    }


def write_tables(tables: dict[str, pd.DataFrame | dict], out_dir: str | Path) -> list[Path]:
    """Write the tables into ``out_dir`` all-or-nothing (see :mod:`zhnews.output`): the complete new
    set replaces the complete old set in one step; other files already in ``out_dir`` are kept."""

    def write(folder: Path) -> list[str]:
        for name, filename in TABLE_FILES.items():
            table = tables[name]
            (write_json if isinstance(table, dict) else write_csv)(table, folder / filename)
        return list(TABLE_FILES.values())

    return replace_folder(out_dir, write)
