"""Sentiment: defined results on bad input, validation against the gold, the best method beats the baselines."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from zhnews import sentiment


@pytest.fixture(scope="module")
def scores(seed):
    return sentiment.score_sentences(seed)


@pytest.fixture(scope="module")
def gold():
    return sentiment.load_gold()


def test_gold_covers_every_sentence_with_valid_labels(seed, gold):
    assert list(gold["sid"]) == [s.sid for s in seed.sentences]
    assert set(gold["label"]) <= set(sentiment.LABELS)
    texts = {s.sid: (s.text, s.text_norm) for s in seed.sentences}
    for sid, cue in zip(gold["sid"], gold["cue"]):
        assert not cue or cue in texts[sid][0] or cue in texts[sid][1]


@pytest.mark.parametrize("text", ["", "   ", "Rule of law.", "2017-10-18", "\u3000"])
@pytest.mark.parametrize("method", sentiment.METHODS)
def test_every_method_is_defined_on_empty_and_non_chinese_text(text, method):
    score = sentiment.SCORERS[method](text)
    assert math.isnan(score)
    assert sentiment.LABELLERS[method](score) == "neu"


def test_snownlp_itself_fails_on_empty_text_and_we_do_not():
    snownlp = sentiment.import_snownlp()
    with pytest.raises(ZeroDivisionError):
        snownlp.SnowNLP("").sentiments
    assert math.isnan(sentiment.snownlp_score(""))


def test_lexicon_reads_hownet_from_the_installed_package_with_negation_and_degree():
    lists = sentiment.hownet()
    assert len(lists["pos"]) > 4000 and len(lists["neg"]) > 4000 and "不" in lists["deny"]
    assert sentiment.lexicon_score("环境良好") > 0 > sentiment.lexicon_score("环境不好")
    assert sentiment.lexicon_score("环境非常良好") > sentiment.lexicon_score("环境良好")


def test_vectorised_kappa_equals_sklearn():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, (50, 40))
    predicted = np.where(rng.random((50, 40)) < 0.7, gold, rng.integers(0, 3, (50, 40)))
    ours = sentiment.kappa_many(gold, predicted)
    theirs = [cohen_kappa_score(g, p, labels=[0, 1, 2]) for g, p in zip(gold, predicted)]
    assert np.allclose(ours, theirs)


def test_best_method_beats_snownlp_and_the_majority_baseline(scores, gold):
    table = sentiment.validation_table(scores, gold).set_index("method")
    best = sentiment.best_method(scores, gold)
    assert table.loc[best, "kappa"] > table.loc["snownlp", "kappa"]
    assert table.loc[best, "kappa"] > table.loc["majority baseline", "kappa"] == 0
    assert table.loc[best, "kappa_low"] <= table.loc[best, "kappa"] <= table.loc[best, "kappa_high"]
    assert table.loc["majority baseline", "accuracy"] > 0.9  # why accuracy alone misleads


def test_bootstrap_is_reproducible(scores, gold):
    labels = list(gold["label"])
    predicted = list(scores["genre_label"])
    assert sentiment.bootstrap_kappa(labels, predicted) == sentiment.bootstrap_kappa(labels, predicted)


def test_sentiment_table_contract(seed):
    table = sentiment.sentiment_table(seed)
    assert list(table.columns[:3]) == ["sid", "snownlp", "label"]
    assert all(f"{m}_label" in table.columns and m in table.columns for m in sentiment.METHODS)
    assert set(table["label"]) <= set(sentiment.LABELS) and len(table) == len(seed.sentences)
    assert (table["label_method"] == sentiment.package_best_method()).all()


def test_genre_rules_separate_results_from_aims_and_remedies():
    assert sentiment.genre_clause("营造了良好的法治环境") == 1
    assert sentiment.genre_clause("努力营造良好的法治氛围") == 0
    assert sentiment.genre_clause("下大力解决办案工作中存在的问题") == 0
    assert sentiment.genre_clause("基层法治建设仍然存在薄弱环节和问题") == -1


def test_sensitivity_tables(seed, scores, gold):
    thresholds = sentiment.threshold_sensitivity(scores, gold)
    assert thresholds["accuracy"].is_monotonic_increasing or thresholds["accuracy"].iloc[-1] > thresholds["accuracy"].iloc[0]
    units = sentiment.unit_sensitivity(seed, gold)
    assert set(units["unit"]) == {"sentence (normalised)", "sentence (raw punctuation)", "clause", "paragraph"}
