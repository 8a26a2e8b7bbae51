"""The pipeline: `analyze` reproduces the committed tables byte for byte; table contracts hold."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys

import pandas as pd
import pytest

from zhnews.paths import DERIVED, SEED
from zhnews.pipeline import TABLE_FILES

REQUIRED = {
    "paragraphs.csv": ["pid", "role", "section", "start", "end", "text"],
    "sentences.csv": ["sid", "pid", "section", "start", "end", "text", "text_norm"],
}
ARTICLE_FIELDS = ["title", "published", "source", "newspaper", "reporter", "photographer", "photo_caption",
                  "editor", "responsible_editor", "sha256", "n_chars", "n_paragraphs", "n_sentences"]


@pytest.fixture(scope="module")
def fresh_tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("derived")
    result = subprocess.run([sys.executable, "-m", "zhnews", "analyze", str(SEED), "--out", str(out)],
                            capture_output=True, text=True, check=True)
    assert "61 sentences" in result.stdout
    return out


@pytest.mark.parametrize("name", list(TABLE_FILES.values()))
def test_committed_tables_reproduce_byte_for_byte(fresh_tables, name):
    assert (DERIVED / name).exists(), f"data/derived/{name} missing: run `make run`"
    assert filecmp.cmp(fresh_tables / name, DERIVED / name, shallow=False), f"{name} differs: run `make run`"


def test_table_contracts(fresh_tables):
    for name, columns in REQUIRED.items():
        table = pd.read_csv(fresh_tables / name)
        assert list(table.columns[: len(columns)]) == columns or set(columns) <= set(table.columns)
    record = json.loads((fresh_tables / "article.json").read_text(encoding="utf-8"))
    assert all(field in record for field in ARTICLE_FIELDS)
    assert record["published"].endswith("+08:00")


def test_offsets_in_the_written_tables_point_into_the_raw_text(fresh_tables):
    raw = SEED.read_text(encoding="utf-8")
    for name in ("paragraphs.csv", "sentences.csv"):
        table = pd.read_csv(fresh_tables / name, dtype={"text": str}, keep_default_na=False)
        assert all(raw[s:e] == t for s, e, t in zip(table["start"], table["end"], table["text"]))


def test_analyze_works_on_another_article(tmp_path):
    from zhnews.paths import ROOT
    from zhnews.pipeline import analyse, write_tables

    article = ROOT / "tests" / "fixtures" / "genre" / "web_junk.txt"
    write_tables(analyse(article), tmp_path)  # the CLI itself is exercised on the seed above
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(TABLE_FILES.values())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary file was left behind"
