"""Genre sentiment (lib/zhnews/sentiment_genre.py): alignment, determinism, provenance, dev-only selection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zhnews import sentiment, sentiment_genre as sg


def test_alignment_on_an_invented_example():
    """Package sentences: [0,10) [10,14) [14,26). Gold: one exact match, one gold sentence split by the package
    (larger part wins), one inside the third package sentence, one overlapping nothing."""
    package = [(0, 10), (10, 14), (14, 26)]
    gold = [(0, 10), (10, 20), (20, 26), (30, 31)]
    # [10,20) overlaps [10,14) by 4 and [14,26) by 6 -> the third sentence (index 2)
    assert sg.align(gold, package) == [0, 2, 2, -1]
    assert sg.exact_alignments(gold, package) == 1
    # a tie goes to the earlier sentence: [8,12) overlaps [0,10) by 2 and [10,14) by 2
    assert sg.align([(8, 12)], package) == [0]


def test_dev_alignment_is_mostly_exact():
    dev = sg.aligned_corpus(("dev",))
    assert set(dev["split"]) == {"dev"}
    assert dev["exact"].mean() > 0.9 and (dev["sid"] >= 0).mean() > 0.95


def test_two_fits_give_identical_coefficients():
    train = sg.training_set()
    first = sg.model_coefficients(sg.fit_model(train["text"], train["label"]))
    second = sg.model_coefficients(sg.fit_model(train["text"], train["label"]))
    assert first == second and first["classes"] == ["neg", "neu", "pos"]


def test_training_set_has_no_test_article():
    import pandas as pd

    from zhnews.paths import CORPUS

    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    test_files = set(manifest.loc[manifest["split"] == "test", "file"])
    train = sg.training_set()
    assert test_files and not (set(train["group"]) & test_files)
    assert len(train) == len(sentiment.load_gold()) + len(sg.load_corpus_gold(("dev",)))


def test_every_marker_cites_a_dev_or_seed_sentence_that_contains_it():
    table = sg.marker_provenance()
    assert len(table) == len(sg.load_markers()) > 0
    bad = table[table["status"] != "dev"]
    assert bad.empty, bad.to_string()


def test_the_provenance_check_refuses_a_test_citation():
    from zhnews.paths import CORPUS

    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    splits = dict(zip(manifest["file"], manifest["split"]))
    test_file = sorted(f for f, s in splits.items() if s == "test")[0]
    assert sg.check_marker("好评", f"dev:{test_file}#1", {}, {}, splits) == "test citation"
    assert sg.check_marker("好评", "", {}, {}, splits) == "none"


def test_the_pick_refuses_test_rows_and_uses_dev_kappa():
    rows = pd.DataFrame({"split": ["dev", "dev", "test"], "label": ["pos", "neu", "neu"],
                         "rules": ["pos", "neu", "neu"], "model": ["neu", "neu", "neu"], "rules_or_model": ["pos", "neu", "pos"]})
    with pytest.raises(ValueError):
        sg.pick_method(rows)
    dev = rows[rows["split"] == "dev"]
    assert sg.pick_method(dev) == "rules"  # κ 1.0 (rules, ties to rules_or_model: the first wins) vs 0.0 (model)
    with pytest.raises(ValueError):
        sg.dev_cv_predictions(rows.assign(file="x", n=1, package_text="", gold_text=""))


def test_the_picked_method_is_computed_from_dev_only(monkeypatch):
    """The pick must not read the test split: make reading test rows fail and compute it (bypassing the cache),
    and the cached pick is the computed one."""
    original = sg.load_corpus_gold

    def dev_only(splits=("dev",)):
        assert "test" not in splits, "the pick read the test split"
        return original(splits)

    monkeypatch.setattr(sg, "load_corpus_gold", dev_only)
    computed = sg._pick_on_dev()
    assert computed in sg.CANDIDATES and sg.picked_method() == computed


def test_combination_and_rules_follow_the_codebook():
    assert sg.combine(["neu", "neg"], ["pos", "neu"]) == ["pos", "neg"]
    # G10: an honour received is pos; G11: a citizens' dispute told as a case is neg; R7: resolved -> pos
    assert sg.rules_label("区公共法律服务中心被评为深圳市法治宣传教育基地。") == "pos"
    assert sg.rules_label("他因门前一棵树和邻居发生纠纷。") == "neg"
    assert sg.rules_label("他和邻居发生纠纷,最终握手言和。") == "pos"
    # R2: a completed measure is neu even with a positive word
    assert sg.rules_label("县司法局举办了精彩的普法活动。") == "neu"


def test_scores_agree_with_sklearn_and_intervals_contain_the_estimate():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(0)
    gold = list(rng.choice(sentiment.LABELS, 60, p=[0.2, 0.7, 0.1]))
    predicted = [g if rng.random() < 0.7 else "neu" for g in gold]
    row = sg.scores(gold, predicted, groups=[f"a{i // 6}" for i in range(60)], repeats=300)
    assert row["kappa"] == round(cohen_kappa_score(gold, predicted, labels=list(sentiment.LABELS)), 3)
    assert row["kappa_low"] <= row["kappa"] <= row["kappa_high"]
    assert row["kappa_article_low"] <= row["kappa"] <= row["kappa_article_high"]
    hits = sum(g == p == "pos" for g, p in zip(gold, predicted))
    assert row["pos_recall_count"] == f"{hits}/{gold.count('pos')}" and row["pos_precision"] == 1.0


def test_label_sentences_covers_every_sentence():
    from zhnews.paths import SEED
    from zhnews.reading import load_cached

    article = load_cached(SEED)
    labels = sg.label_sentences(article, "rules")
    assert list(labels.index) == [s.sid for s in article.sentences] and set(labels) <= set(sentiment.LABELS)
    gold = sentiment.load_gold()
    assert sentiment._kappa(gold["label"], labels.loc[gold["sid"]]) > 0.3
