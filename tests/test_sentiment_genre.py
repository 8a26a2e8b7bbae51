"""Genre sentiment (lib/zhnews/sentiment_genre.py): alignment, determinism, provenance, tuning-only selection,
held-out evaluation with and without held-out rows, every round's setting recomputable (rounds 1, 2, 3), and the
round-4 leave-one-split-out pick with the stacked model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zhnews import sentiment, sentiment_genre as sg
from zhnews.paths import CORPUS


def _manifest() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)


@pytest.fixture(scope="module")
def tuning_rows() -> pd.DataFrame:
    return sg.aligned_corpus(sg.TUNING_SPLITS)


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


def test_tuning_alignment_is_mostly_exact(tuning_rows):
    assert set(tuning_rows["split"]) == set(sg.TUNING_SPLITS)
    for _, part in tuning_rows.groupby("split"):
        assert part["exact"].mean() > 0.9 and (part["sid"] >= 0).mean() > 0.95


def test_the_splits_agree_with_the_shared_split_module():
    splits = pytest.importorskip("zhnews.splits")
    assert sg.TUNING_SPLITS == tuple(splits.TUNING) and sg.ROUND1_TUNING == tuple(splits.ROUND1_TUNING)
    assert not set(splits.HELD_OUT) & set(sg.TUNING_SPLITS)


def test_two_fits_give_identical_coefficients():
    train = sg.training_set()
    first = sg.model_coefficients(sg.fit_model(train["text"], train["label"]))
    second = sg.model_coefficients(sg.fit_model(train["text"], train["label"]))
    assert first == second and first["classes"] == ["neg", "neu", "pos"]


def test_the_training_set_holds_the_tuning_splits_and_nothing_else(tuning_rows):
    manifest = _manifest()
    untuned = set(manifest.loc[~manifest["split"].isin(sg.TUNING_SPLITS), "file"])
    train = sg.training_set(tuning_rows)
    assert not (set(train["group"]) & untuned)
    assert set(train["origin"]) == {"seed", *sg.TUNING_SPLITS}
    assert len(train) == len(sentiment.load_gold()) + len(sg.load_corpus_gold(sg.TUNING_SPLITS))
    # round 1: dev only, no test article
    round1 = sg.training_set(tuning=sg.ROUND1_TUNING)
    test_files = set(manifest.loc[manifest["split"] == "test", "file"])
    assert test_files and not (set(round1["group"]) & test_files)
    # round 2: dev and test, no test2 article
    round2 = sg.training_set(tuning=sg.ROUND2.tuning)
    test2_files = set(manifest.loc[manifest["split"] == "test2", "file"])
    assert test2_files and not (set(round2["group"]) & test2_files) and set(round2["origin"]) == {"seed", "dev", "test"}
    # a row of a held-out split is refused
    with pytest.raises(ValueError, match="test4"):
        sg.training_set(tuning_rows.head(3).assign(split="test4"))
    with pytest.raises(ValueError, match="test2"):
        sg.training_set(tuning_rows[tuning_rows["split"] == "test2"].head(3), tuning=sg.ROUND2.tuning)


def test_every_marker_cites_a_tuning_or_seed_sentence_that_contains_it():
    table = sg.marker_provenance()
    assert len(table) == len(sg.load_markers()) > 0
    bad = table[table["status"] != "tuning"]
    assert bad.empty, bad.to_string()


def test_the_provenance_check_refuses_test4_and_any_split_outside_the_tuning_ones():
    """An invented manifest with a test4 article: citing it is refused whatever the prefix, and a ``test4:``
    citation is refused even for an article the manifest does not know (the sentence is never looked up). test3
    is a tuning split in round 4 and may be cited; it was refused in round 3."""
    splits = {"a.txt": "dev", "b.txt": "test", "c.txt": "test4", "d.txt": "test2", "e.txt": "test3"}
    texts = {("a.txt", 1): "受到群众好评", ("b.txt", 2): "获得好评", ("c.txt", 1): "好评如潮", ("d.txt", 3): "广受好评",
             ("e.txt", 2): "赢得好评"}
    assert sg.check_marker("好评", "dev:a.txt#1; test:b.txt#2; test2:d.txt#3; test3:e.txt#2", texts, {}, splits) == "tuning"
    assert sg.check_marker("好评", "test3:e.txt#2", texts, {}, splits, tuning=sg.ROUND3.tuning) == "held-out citation"
    assert sg.check_marker("好评", "test4:c.txt#1", texts, {}, splits) == "held-out citation"
    assert sg.check_marker("好评", "dev:c.txt#1", texts, {}, splits) == "held-out citation"
    assert sg.check_marker("好评", "dev:a.txt#1; test4:new.txt#4", texts, {}, splits) == "held-out citation"
    assert sg.check_marker("好评", "other:a.txt#1", texts, {}, splits) == "held-out citation"
    # earlier rounds: round 1 tuned on dev only, round 2 on dev and test
    assert sg.check_marker("好评", "test:b.txt#2", texts, {}, splits, tuning=sg.ROUND1_TUNING) == "held-out citation"
    assert sg.check_marker("好评", "test2:d.txt#3", texts, {}, splits, tuning=sg.ROUND2.tuning) == "held-out citation"
    # wrong split written before the file, a sentence without the marker, nothing cited
    assert sg.check_marker("好评", "test:a.txt#1", texts, {}, splits) == "bad citation"
    assert sg.check_marker("称赞", "dev:a.txt#1", texts, {}, splits) == "bad citation"
    assert sg.check_marker("好评", "", texts, {}, splits) == "none"


def test_marker_provenance_refuses_a_test4_citation_in_the_file():
    markers = pd.DataFrame({"marker": ["好评", "好评"], "class": ["reception", "reception"],
                            "provenance": ["dev:guangxi-wzrb-2021-04-13.txt#3", "test4:new-article.txt#1"], "round": [1, 3]})
    assert list(sg.marker_provenance(markers)["status"]) == ["tuning", "held-out citation"]


def test_the_round2_markers_on_invented_sentences():
    """Completed measures (进行了, 了解了, 做了) with a positive-looking word are measures (R2); the genre's
    vocabulary (法律) is no evidence of a result (S.2). Rules version 1 labelled each of them pos."""
    measures = ["社区工作人员对居民进行了详细的讲解。", "代表们详细了解了全区的工作成效。", "志愿者为群众做了精彩的演示。"]
    vocabulary = ["工作站已开始提供法律服务。"]
    for text in measures + vocabulary:
        assert sg.rules_label(text, version=1) == "pos", text
        assert sg.rules_label(text) == "neu", text
    # results and recognitions stay pos; a citizens' dispute stays neg
    assert sg.rules_label("营造了良好的法治氛围。") == "pos"
    assert sg.rules_label("区司法所被评为全国先进司法所。") == "pos"
    assert sg.rules_label("他因门前一棵树和邻居发生纠纷。") == "neg"
    # the version-1 lists hold no round-2 marker
    round2 = set(sg.load_markers().query("round == 2")["marker"])
    assert round2 and not round2 & {m for ms in sg.marker_lists(version=1).values() for m in ms}


def test_the_pick_refuses_held_out_rows_and_uses_the_tuning_kappa():
    rows = pd.DataFrame({"split": ["dev", "test2", "test4"], "label": ["pos", "neu", "neu"],
                         "rules": ["pos", "neu", "neu"], "model": ["neu", "neu", "neu"], "rules_or_model": ["pos", "neu", "pos"]})
    with pytest.raises(ValueError, match="test4"):
        sg.pick_method(rows)
    tuned = rows[rows["split"] != "test4"]
    assert sg.pick_method(tuned) == "rules"  # κ 1.0 (rules, ties to rules_or_model: the first wins) vs 0.0 (model)
    with pytest.raises(ValueError, match="test2"):  # rounds 1 and 2: test2 was held out
        sg.pick_method(tuned, tuning=sg.ROUND2.tuning)
    with pytest.raises(ValueError):
        sg.tuning_cv_predictions(rows.assign(file="x", n=1, package_text="", gold_text=""))


def test_the_picked_method_is_computed_from_the_tuning_splits_only(monkeypatch):
    """The pick must read no other split: make reading one fail and compute it (bypassing the cache) under the
    round-3 setting (quick); the current pick reads the tuning splits only too (from the cache when present)."""
    original = sg.load_corpus_gold
    allowed = set(sg.ROUND3.tuning)

    def tuning_only(splits=sg.TUNING_SPLITS):
        assert set(splits) <= allowed, f"the pick read {splits}"
        return original(splits)

    monkeypatch.setattr(sg, "load_corpus_gold", tuning_only)
    assert sg._pick(sg.ROUND3) in sg.PAST_CANDIDATES
    allowed = set(sg.TUNING_SPLITS)
    assert sg.picked_method() in sg.CANDIDATES


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


#: An invented held-out split: two articles, gold labels by the codebook (G10, R2, G11, R7).
FIXTURE = pd.DataFrame({
    "file": ["fixture-a.txt"] * 3 + ["fixture-b.txt"] * 3, "n": [1, 2, 3, 1, 2, 3],
    "label": ["pos", "neu", "neg", "pos", "neu", "neu"], "split": "fixture", "sid": 0, "exact": True,
    "gold_text": ["区司法所被评为全国先进司法所。", "工作人员向群众发放宣传资料。", "他因门前一棵树和邻居发生纠纷。",
                  "他和邻居发生纠纷,最终握手言和。", "社区工作人员对居民进行了详细的讲解。", "活动现场设置了咨询台。"]})
FIXTURE["package_text"] = FIXTURE["gold_text"]


#: The round-3 setting as it was while round 3 ran (held-out: whatever else has gold rows) — the evaluation's
#: logic checked with the quick in-sample/CV pick; the round-4 leave-one-split-out pick is tested below.
AS_CURRENT3 = sg.Setting("round 3 as current", sg.ROUND3.tuning, 3)


@pytest.fixture(scope="module")
def round3_rows(tuning_rows) -> pd.DataFrame:
    return tuning_rows[tuning_rows["split"].isin(sg.ROUND3.tuning)].reset_index(drop=True)


@pytest.fixture(scope="module")
def evaluations(round3_rows):
    without = sg.evaluate_corpus_sentiment(repeats=50, setting=AS_CURRENT3, rows=round3_rows)
    with_fixture = sg.evaluate_corpus_sentiment(repeats=50, setting=AS_CURRENT3,
                                                rows=pd.concat([round3_rows, FIXTURE], ignore_index=True))
    return without, with_fixture


def test_the_evaluation_works_without_held_out_rows(evaluations, round3_rows):
    table, _ = evaluations
    tuning = AS_CURRENT3.tuning
    pooled = "+".join(tuning) + "-CV"
    assert list(dict.fromkeys(table["data"])) == ["seed", pooled] + [f"{s}-CV" for s in tuning]
    assert set(table["role"]) == {"seed", "tuning-CV"} and set(table["method"]) == set(sg.PAST_CANDIDATES + sg.BASELINES)
    rules = table[table["method"] == "rules"].set_index("data")
    sizes = round3_rows["split"].value_counts()
    assert all(rules.loc[f"{s}-CV", "n"] == sizes[s] for s in tuning)
    assert rules.loc[pooled, "n"] == len(round3_rows)
    # the rules' tuning figure is their plain label: κ of rules_label against the gold, and flagged in sample
    dev = round3_rows[round3_rows["split"] == "dev"]
    assert rules.loc["dev-CV", "kappa"] == round(sentiment._kappa(dev["label"], [sg.rules_label(t) for t in dev["package_text"]]), 3)
    assert rules["in_sample"].all() and not table.loc[table["method"] == "model", "in_sample"].any()
    assert table.groupby("method")["picked"].first().sum() == 1


def test_the_evaluation_scores_a_held_out_split_once_and_it_does_not_move_the_pick(evaluations):
    from sklearn.metrics import cohen_kappa_score

    without, table = evaluations
    held = table[table["data"] == "fixture"]
    assert len(held) == len(sg.PAST_CANDIDATES + sg.BASELINES) and set(held["role"]) == {"held-out"}
    assert not held["in_sample"].any()
    # the tuning rows and the pick are the same with and without the held-out rows
    columns = ["method", "data", "picked", "n", "kappa"]
    assert table[table["data"] != "fixture"][columns].reset_index(drop=True).equals(without[columns])
    # the held-out row is the rules' labels scored against the invented gold
    predicted = [sg.rules_label(t) for t in FIXTURE["package_text"]]
    row = held.set_index("method").loc["rules"]
    assert row["n"] == 6
    assert row["kappa"] == round(cohen_kappa_score(FIXTURE["label"], predicted, labels=list(sentiment.LABELS)), 3)
    found = sum(p == g == "pos" for p, g in zip(predicted, FIXTURE["label"]))
    assert row["pos_precision_count"] == f"{found}/{predicted.count('pos')}" and row["pos_recall_count"] == f"{found}/2"


def test_held_out_splits_come_from_the_annotated_splits():
    assert sg.held_out_splits(sg.CURRENT, ["dev", "test", "test2", "test3"]) == ()
    assert sg.held_out_splits(sg.CURRENT, ["dev", "test", "test2", "test3", "test4"]) == ("test4",)
    # past rounds keep their own held-out split whatever has been annotated since
    assert sg.held_out_splits(sg.ROUND2, ["dev", "test", "test2", "test3"]) == ("test2",)
    assert sg.held_out_splits(sg.ROUND3, ["dev", "test", "test2", "test3", "test4"]) == ("test3",)
    assert set(sg.annotated_splits()) >= set(sg.TUNING_SPLITS)
    assert sg.held_out_splits(sg.CURRENT) == tuple(s for s in sg.annotated_splits() if s not in sg.TUNING_SPLITS)


def test_round1_is_recomputed():
    """The round-1 setting (rules version 1, model and pick on dev, scored on test) gives the round-1 test score
    recorded when the round-1 rules were frozen (data/corpus/round1_scores.csv, when present), and its test row
    is the version-1 rules' labels scored against the gold."""
    table = sg.evaluate_round1(repeats=50)
    assert list(dict.fromkeys(table["data"])) == ["seed", "dev-CV", "test"]
    rules = table[(table["method"] == "rules")].set_index("data")
    assert rules["picked"].all()
    test = sg.aligned_corpus(("test",))
    kappa = sentiment._kappa(test["label"], [sg.rules_label(t, version=1) for t in test["package_text"]])
    assert rules.loc["test", "kappa"] == round(kappa, 3)
    record = CORPUS / "round1_scores.csv"
    if record.exists():
        recorded = pd.read_csv(record, keep_default_na=False)
        hit = recorded[(recorded["layer"] == "sentiment") & (recorded["split"] == "test")]
        assert len(hit) == 1 and rules.loc["test", "kappa"] == float(hit["score"].iloc[0])


def test_label_sentences_covers_every_sentence():
    from zhnews.paths import SEED
    from zhnews.reading import load_cached

    article = load_cached(SEED)
    labels = sg.label_sentences(article, "rules")
    assert list(labels.index) == [s.sid for s in article.sentences] and set(labels) <= set(sentiment.LABELS)
    gold = sentiment.load_gold()
    assert sentiment._kappa(gold["label"], labels.loc[gold["sid"]]) > 0.3


def test_every_round_is_a_setting_built_from_the_split_module():
    """Rounds come from zhnews.splits.ROUNDS: each past round keeps its tuning splits, its rules version and its
    held-out split; the current round (4) tunes on dev, test, test2 and test3 with the rules unchanged (version 3)
    and holds out whatever else is annotated."""
    splits = pytest.importorskip("zhnews.splits")
    assert sorted(sg.SETTINGS) == [r.number for r in splits.ROUNDS]
    for r in splits.ROUNDS:
        setting = sg.SETTINGS[r.number]
        assert setting.tuning == tuple(r.tuning) and setting.rules == min(r.number, sg.RULES_VERSION)
        assert setting.held_out == (None if r == splits.ROUNDS[-1] else (r.held_out,))
        assert setting.selection == ("loso" if r.number >= 4 else "tuning-cv")
    assert sg.CURRENT is sg.ROUND4 and sg.CURRENT.rules == sg.RULES_VERSION == 3
    assert sg.ROUND3.held_out == ("test3",) and sg.ROUND3.candidates == sg.PAST_CANDIDATES
    assert sg.ROUND2.tuning == ("dev", "test") and sg.ROUND2.held_out == ("test2",) and sg.ROUND1.held_out == ("test",)
    with pytest.raises(ValueError, match="round"):
        sg.round_setting(99)
    with pytest.raises(ValueError, match="round"):
        sg.evaluate_round(0)


def test_the_round3_changes_on_invented_sentences():
    """Each round-3 change on an invented sentence, with the codebook rule it implements; rules version 2 gave
    the other label. (Invented: no corpus sentence is copied.)"""
    changed = {
        "今年群众对调解工作的满意率达到98%。": "pos",     # G20: a rate stated with its number
        "当事人连声感谢调解员的耐心帮助。": "pos",         # G20: a party's thanks
        "该所被省司法厅评为先进集体。": "pos",             # G10: an honour, its giver between 被 and 评为
        "市局召开了全市调解工作推进会。": "neu",           # R2: a completed measure is not a result
        "小李多次向老板讨要工钱未果。": "neg",             # G11: a citizen's grievance told as a case
        "进一步提高了群众的法治意识。": "neu",             # R3: 进一步 frames an aim
    }
    for text, label in changed.items():
        assert sg.rules_label(text, version=2) != label, text
        assert sg.rules_label(text) == label, text
    # unchanged by round 3: a rate without a number is no result, coverage as a goal or at the end of a chain of
    # measures is an aim (R3), achieved coverage with its subject is a result (G20)
    assert sg.rules_label("努力提升群众的满意率。") == "neu"
    assert sg.rules_label("力争年底前实现村级法律顾问全覆盖。") == "neu"
    assert sg.rules_label("坚持上下联动，动员各方力量，实现普法宣传的全覆盖。") == "neu"
    assert sg.rules_label("全县实现村级法律顾问全覆盖。") == "pos"
    # the version-2 lists hold no round-3 marker, and every round-3 marker cites a tuning sentence
    round3 = set(sg.load_markers().query("round == 3")["marker"])
    assert round3 and not round3 & {m for ms in sg.marker_lists(version=2).values() for m in ms}


def test_round2_is_recomputed():
    """The round-2 setting (rules version 2, model and pick on dev+test, scored on test2) is recomputed: its test2
    row is the version-2 rules' labels scored against the gold, and equals the figure recorded when the round-2
    rules were frozen (data/corpus/round2_scores.csv, when present). The round-3 rules score differently there."""
    table = sg.evaluate_round(2, repeats=50)
    assert list(dict.fromkeys(table["data"])) == ["seed", "dev+test-CV", "dev-CV", "test-CV", "test2"]
    rules = table[table["method"] == "rules"].set_index("data")
    assert rules["picked"].all() and not rules.loc["test2", "in_sample"] and rules.loc["test2", "role"] == "held-out"
    test2 = sg.aligned_corpus(("test2",))
    version2 = [sg.rules_label(t, version=2) for t in test2["package_text"]]
    assert rules.loc["test2", "kappa"] == round(sentiment._kappa(test2["label"], version2), 3)
    assert version2 != [sg.rules_label(t) for t in test2["package_text"]]
    record = CORPUS / "round2_scores.csv"
    if record.exists():
        recorded = pd.read_csv(record, keep_default_na=False)
        hit = recorded[(recorded["layer"] == "sentiment") & (recorded["split"] == "test2")]
        assert len(hit) == 1 and rules.loc["test2", "kappa"] == float(hit["score"].iloc[0])


def test_round3_is_recomputed():
    """The round-3 setting (rules version 3, model and in-sample/CV pick on dev+test+test2, scored on test3) is
    recomputed: its test3 row is the version-3 rules' labels scored against the gold, and equals the figure recorded
    when the round-3 rules were frozen (data/corpus/round3_scores.csv, when present)."""
    table = sg.evaluate_round(3, repeats=50)
    assert list(dict.fromkeys(table["data"])) == ["seed", "dev+test+test2-CV", "dev-CV", "test-CV", "test2-CV", "test3"]
    rules = table[table["method"] == "rules"].set_index("data")
    assert rules["picked"].all() and rules.loc["test3", "role"] == "held-out"
    test3 = sg.aligned_corpus(("test3",))
    kappa = sentiment._kappa(test3["label"], [sg.rules_label(t, version=3) for t in test3["package_text"]])
    assert rules.loc["test3", "kappa"] == round(kappa, 3)
    record = CORPUS / "round3_scores.csv"
    if record.exists():
        recorded = pd.read_csv(record, keep_default_na=False)
        hit = recorded[(recorded["layer"] == "sentiment") & (recorded["split"] == "test3")]
        assert len(hit) == 1 and rules.loc["test3", "kappa"] == float(hit["score"].iloc[0])


#: An invented tuning corpus of four splits (one article each; no corpus sentence): for the leave-one-split-out
#: machinery, with the fitting functions replaced by fakes.
INVENTED = pd.DataFrame({
    "file": [f"{s}-a.txt" for s in ("dev", "test", "test2", "test3") for _ in range(3)],
    "n": [1, 2, 3] * 4, "split": [s for s in ("dev", "test", "test2", "test3") for _ in range(3)],
    "label": ["pos", "neu", "neg"] * 4,
    "gold_text": ["甲镇调解室被评为先进集体。", "甲镇召开了普法工作会议。", "张某因宅基地与邻居发生纠纷。",
                  "乙村群众纷纷点赞调解员。", "乙村举办了法治讲座。", "李某多次讨要工钱未果。",
                  "丙区法律援助工作获得广泛好评。", "丙区将进一步加强普法宣传。", "王某与物业公司发生矛盾。",
                  "丁县实现了村级法律顾问全覆盖。", "丁县开展了宪法宣传周活动。", "赵某被拖欠工资半年。"]})
INVENTED["package_text"] = INVENTED["gold_text"]


def test_leave_one_split_out_never_fits_on_the_scored_split(monkeypatch):
    """Every fit (the model, the stacked model, and every inner fit that chooses C and the threshold) is made
    without the split being scored: the fakes remember what they were fitted on and fail if asked to label one of
    those sentences. Each split is scored by a model fitted on the seed and the other three splits only."""
    seed_texts = set(sg.seed_gold()["text"])
    fits: list[set[str]] = []

    class Fake:
        def __init__(self, texts):
            self.texts = set(texts)
            fits.append(self.texts)

        def _check(self, texts):
            assert not self.texts & set(texts), "a model labelled a sentence it was fitted on"

        def predict(self, texts):
            self._check(texts)
            return ["neu"] * len(texts)

        def probabilities(self, texts):
            self._check(texts)
            return np.tile([0.2, 0.7, 0.1], (len(texts), 1))

    monkeypatch.setattr(sg, "fit_model", lambda texts, labels: Fake(texts))
    monkeypatch.setattr(sg, "fit_stacked", lambda texts, labels, version=3, C=1.0, threshold=None: Fake(texts))
    out = sg.loso_predictions(INVENTED, ("rules", "model", "rules_or_model", "stacked", "stacked_pos"))
    assert list(out["label"]) == list(INVENTED["label"]) and set(out["model"]) == {"neu"}
    invented = set(INVENTED["gold_text"])
    outer = [f for f in fits if len(f & invented) == 9]  # fitted on three splits of three sentences
    assert len(outer) == 8 and all(seed_texts <= f for f in fits)  # 4 splits × (model + stacked)
    assert all(len(f & invented) in (6, 9) for f in fits)  # inner fits: two of the three training splits
    # the rules in each split are the version written without reading it
    rules = [sg.rules_label(t, version=sg.unseen_rules_version(s)) for t, s in zip(INVENTED["gold_text"], INVENTED["split"])]
    assert list(out["rules"]) == rules


def test_leave_one_split_out_table_on_invented_predictions():
    """Per-split κ equal sklearn's; the rules' mean leaves dev out (no rules version was written without reading
    it), the others average all four; the pick compares the common splits."""
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(1)
    n = 40
    gold = rng.choice(sentiment.LABELS, 4 * n, p=[0.2, 0.7, 0.1])
    noisy = lambda p: [g if rng.random() < p else "neu" for g in gold]  # noqa: E731
    predictions = pd.DataFrame({"split": np.repeat(["dev", "test", "test2", "test3"], n), "label": gold,
                                "rules": noisy(0.6), "stacked": noisy(0.8)})
    table = sg.leave_one_split_out(("rules", "stacked"), predictions=predictions).set_index("method")
    for split in ("dev", "test", "test2", "test3"):
        part = predictions[predictions["split"] == split]
        expected = cohen_kappa_score(part["label"], part["rules"], labels=list(sentiment.LABELS))
        assert table.loc["rules", split] == round(expected, 3)
    assert table.loc["rules", "mean"] == round(np.mean(table.loc["rules", ["test", "test2", "test3"]].astype(float)), 3)
    assert table.loc["stacked", "mean"] == round(np.mean(table.loc["stacked", ["dev", "test", "test2", "test3"]].astype(float)), 3)
    found = (predictions["stacked"] == "pos") & (predictions["label"] == "pos")
    assert table.loc["stacked", "pos_recall"] == round(found.sum() / (predictions["label"] == "pos").sum(), 3)
    assert table.loc["stacked", "pos_precision"] == 1.0  # the noisy copy never invents a pos
    best = "stacked" if table.loc["stacked", "mean_common"] > table.loc["rules", "mean_common"] else "rules"
    assert sg.pick_loso(table.reset_index(), ("rules", "stacked")) == best


def test_the_round4_setting_refuses_test4(tuning_rows):
    """Nothing that fits or picks under round 4 accepts a test4 row."""
    rows = pd.concat([tuning_rows.head(6), tuning_rows.head(2).assign(split="test4")], ignore_index=True)
    with pytest.raises(ValueError, match="test4"):
        sg.training_set(rows, tuning=sg.ROUND4.tuning)
    with pytest.raises(ValueError, match="test4"):
        sg.loso_predictions(rows, tuning=sg.ROUND4.tuning)
    with pytest.raises(ValueError, match="test4"):
        sg.leave_one_split_out(("rules",), sg.ROUND4, predictions=rows.assign(rules="neu"))
    with pytest.raises(ValueError, match="test4"):
        sg.pick_method(rows.assign(rules="neu", model="neu", rules_or_model="neu"), tuning=sg.ROUND4.tuning)
    assert "test4" not in sg.ROUND4.tuning and sg.ROUND4.candidates == sg.CANDIDATES
    assert sg.unseen_rules_version("test4") == sg.RULES_VERSION


def test_the_stacking_features_on_invented_sentences():
    """The rules' features: marker classes per clause, clause labels, the rules' label and the aspect cues."""
    texts = ["区调解委员会被评为先进集体，群众纷纷点赞。", "他因门前一棵树和邻居发生纠纷。", "明年将要建成调解中心。", "Hello"]
    table = pd.DataFrame(sg.rule_features(texts), columns=sg.FEATURE_NAMES)
    assert table.loc[0, "class:recognition"] >= 1 and table.loc[0, "rules:pos"] == 1 and table.loc[0, "clauses:+1"] >= 1
    assert table.loc[1, "clauses:-1"] == 1 and table.loc[1, "rules:neg"] == 1 and table.loc[1, "rules:pos"] == 0
    assert table.loc[2, ["cue:将", "cue:要", "cue:了"]].tolist() == [1, 1, 0] and table.loc[2, "rules:pos"] == 0
    assert (table.loc[3] == 0).all()
    # the features agree with the rules' label, and version 0 has no genre marker at all
    for text, row in zip(texts, table.itertuples(index=False)):
        assert sg.rules_label(text) == ("pos" if row[-6] else "neg" if row[-5] else "neu")
    version0 = pd.DataFrame(sg.rule_features(texts, version=0), columns=sg.FEATURE_NAMES)
    assert (version0[[f"class:{c}" for c in sg.MARKER_CLASSES]] == 0).all().all()
    # a model on these features learns from them: fitted on invented sentences, its probabilities sum to 1 and a
    # pos threshold of 0 labels every Chinese sentence pos
    train = ["乡司法所被评为先进单位。", "镇调解室获得群众好评。", "县局召开了工作会议。", "村里举办了普法讲座。",
             "刘某与邻居发生纠纷。", "陈某被拖欠工资。"]
    model = sg.fit_stacked(train, ["pos", "pos", "neu", "neu", "neg", "neg"], C=1.0)
    probabilities = model.probabilities(texts)
    assert np.allclose(probabilities.sum(axis=1), 1)
    model.threshold = 0.0
    assert model.predict(texts) == ["pos", "pos", "pos", "neu"]
