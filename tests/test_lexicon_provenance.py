"""Provenance of the lexicons: every entry names its evidence, and none rests on a held-out sentence alone.

The segmentation gold is split into a dev half (rules and lexicon may be written on it) and a test half
(scored, never studied). An entry whose only support in the article is a test sentence leaks the test half
into the tool and inflates the test score (the audit found 尊法, which occurs only in the test sentence at
start=684).
"""

from __future__ import annotations

import csv

import pytest

from zhnews import annotate
from zhnews.paths import ANNOTATIONS, LEXICONS


@pytest.fixture(scope="module")
def provenance():
    return annotate.lexicon_provenance()


@pytest.mark.parametrize("path", [LEXICONS / name for name in (
    "segmentation_lexicon.csv", "gazetteer.csv", "genre_bodies.csv", "surnames.csv")], ids=lambda p: p.name)
def test_every_entry_has_an_evidence_column(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all((row.get("evidence") or "").strip() for row in rows)


def test_no_entry_rests_on_a_held_out_sentence(provenance):
    bad = provenance[~provenance["status"].isin(["dev", "external"])]
    assert bad.empty, "entries without admissible evidence:\n" + bad.to_string()


def test_the_check_catches_the_leak_the_audit_found():
    """尊法 occurs in the gold only in a test sentence (start=684): with no other evidence it is a leak, and
    citing that sentence is refused; a dev sentence or an external source is accepted."""
    gold = annotate.load_segmentation_gold()
    test_starts = [g.start for g in gold if g.split == "test" and "尊法" in "".join(g.tokens)]
    assert test_starts == [684] and not [g for g in gold if g.split == "dev" and "尊法" in "".join(g.tokens)]
    assert annotate.check_evidence("尊法", "", gold)["status"] == "held-out only"
    assert annotate.check_evidence("尊法", "seed:start=684", gold)["status"] == "bad citation"
    assert annotate.check_evidence("靠法", "seed:start=1282", gold)["status"] == "dev"
    assert annotate.check_evidence("靠法", "seed:start=145", gold)["status"] == "bad citation"  # 靠法 is not there
    assert annotate.check_evidence("呈贡", "external: GB/T 2260 530114", gold)["status"] == "external"


def test_removing_the_leaking_entry_left_the_lexicon(provenance):
    assert "尊法" not in set(provenance["entry"])
    assert "尊法" not in {e.word for e in annotate.load_lexicon()}


def test_依法治国_provenance_matches_the_1998_corpus():
    """The People's Daily 1998 corpus splits 依法/d 治国/v; nothing may claim it keeps 依法治国 whole."""
    corpus = annotate.peoples_daily_path().read_text(encoding="utf-8")
    assert "依法治国/" not in corpus and corpus.count("依法/d  治国/v") > 0
    reasons = {e.word: e.reason for e in annotate.load_lexicon()}
    assert "依法/d 治国/v" in reasons["依法治国"] and "D13" in reasons["依法治国"]
    d13 = (ANNOTATIONS / "codebook.md").read_text(encoding="utf-8").split("#### D13")[1].split("####")[0]
    assert "依法治国/l" not in d13 and "依法/d 治国/v" in d13


# --- the genre lexicons (genre_bodies.csv, surnames.csv): tuning articles (dev, test) or outside sources ----


@pytest.fixture(scope="module")
def genre_provenance():
    from zhnews import genre_entities

    return genre_entities.genre_lexicon_provenance()


def test_no_genre_entry_rests_on_a_held_out_article(genre_provenance):
    bad = genre_provenance[~genre_provenance["status"].isin(["tuning", "external"])]
    assert bad.empty, "genre-lexicon entries without admissible evidence:\n" + bad.to_string()


def test_the_genre_check_refuses_a_held_out_citation():
    """Round 3: citing a dev, test or test2 article that contains the name is accepted (all are tuning data);
    citing an article of a held-out split (test3, or any split rules may not be fitted on) is refused whatever
    it contains, and the file is never opened (here it does not even exist); citing a tuning article that
    lacks the name, or a file the manifest does not list, is a bad citation."""
    import pandas as pd

    from zhnews import genre_entities
    from zhnews.paths import CORPUS

    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    splits = dict(zip(manifest["file"], manifest["split"]))
    dev_file = "fujian-fjsen-2018-12-03.txt"
    test_file = next(f for f in sorted(splits) if splits[f] == "test" and "司法" in (CORPUS / f).read_text(encoding="utf-8"))
    assert splits[dev_file] == "dev"
    # an invented held-out article: listed in the manifest under the held-out split (and under an unknown split),
    # absent on disk
    from zhnews.splits import HELD_OUT, may_tune_on

    assert may_tune_on("test2") and not may_tune_on(HELD_OUT[0])
    held_out = pd.concat([manifest, pd.DataFrame({"file": ["xx-invented-2099-01-01.txt", "yy-invented-2099-01-02.txt"],
                                                  "split": [HELD_OUT[0], "later"]})], ignore_index=True)
    assert not (CORPUS / "xx-invented-2099-01-01.txt").exists()
    check = genre_entities.check_genre_evidence
    assert check("司法", f"dev:{dev_file}", held_out) == "tuning"
    assert check("司法", f"test:{test_file}", held_out) == "tuning"
    test2_file = next(f for f in sorted(splits) if splits[f] == "test2" and "司法" in (CORPUS / f).read_text(encoding="utf-8"))
    assert check("司法", f"test2:{test2_file}", held_out) == "tuning"
    assert check("司法", f"dev:{dev_file}; {HELD_OUT[0]}:xx-invented-2099-01-01.txt", held_out) == "held-out citation"
    assert check("司法", "yy-invented-2099-01-02.txt", held_out) == "held-out citation"
    assert check("不存在的名字", f"dev:{dev_file}", held_out) == "bad citation"
    assert check("司法", "zz-unknown-2099-01-03.txt", held_out) == "bad citation"
    assert check("司法部", "external: 国务院组成部门", held_out) == "external"
    assert check("司法部", "", held_out) == "none"


# --- the sentiment markers (sentiment_markers.csv): every marker cites a tuning sentence that has it -----


def test_no_sentiment_marker_rests_on_a_held_out_sentence():
    from zhnews import sentiment_genre

    table = sentiment_genre.marker_provenance()
    assert len(table) > 0 and table["provenance"].str.strip().all()
    bad = table[table["status"] != "tuning"]
    assert bad.empty, "sentiment markers without tuning (dev or test) evidence:\n" + bad.to_string()
