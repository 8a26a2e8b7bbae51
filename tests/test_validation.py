"""zhnews.validation: the cross-layer summary, error kinds and interval widths, checked against hand-made
cases, a published interval and invariants that tie them to the layers' own evaluations."""

from __future__ import annotations

import math

import pytest

from zhnews import annotate, genre_entities, metadata_eval, plotting, validation


def test_clopper_pearson_widths_match_the_published_exact_interval():
    # R: binom.test(50, 100)$conf.int -> 0.3983 0.6017 (exact Clopper-Pearson); binom.test(16, 20) -> 0.5634 0.9427
    table = validation.interval_widths(0.5, [100]).iloc[0]
    assert (table["low"], table["high"]) == (0.398, 0.602)
    row = validation.interval_widths(0.8, [20]).iloc[0]
    assert (row["correct"], row["low"], row["high"]) == (16, 0.563, 0.943)


def test_widths_shrink_with_n_and_follow_the_square_root_law():
    table = validation.interval_widths(0.8, [20, 50, 100, 400])
    widths = table["width"].tolist()
    assert widths == sorted(widths, reverse=True)
    wald = 2 * 1.96 * math.sqrt(0.8 * 0.2 / 400)  # the normal approximation is good at n = 400
    assert abs(widths[-1] - wald) < 0.01


def test_entity_error_kinds_on_hand_made_sets():
    gold = {("嘉定区", "LOC"), ("国家宪法日", "EVENT"), ("王明", "PER"), ("司法局", "ORG")}
    predicted = {("嘉定区", "LOC"), ("第五个国家宪法日", "EVENT"), ("王明", "LOC"), ("上海", "LOC")}
    rows = validation.entity_error_kinds(predicted, gold)
    misses = {(r["surface"], r["cause"]) for r in rows if r["error"] == "miss"}
    alarms = {(r["surface"], r["cause"]) for r in rows if r["error"] == "false alarm"}
    assert misses == {("国家宪法日", "boundary"), ("王明", "wrong type"), ("司法局", "not found")}
    assert alarms == {("第五个国家宪法日", "boundary"), ("王明", "wrong type"), ("上海", "spurious")}
    assert {r["surface"]: r["form"] for r in rows}["上海"] == "short form"
    assert {r["surface"]: r["form"] for r in rows}["司法局"] == "without a place"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_entity_error_counts_add_up_to_the_scored_misses_and_false_alarms(split):
    counts = validation.entity_error_counts(split)
    scored = genre_entities.evaluate_corpus_entities(split, n_resamples=10).set_index("type").loc["all"]
    by_error = counts.groupby("error")["count"].sum()
    assert by_error["miss"] == scored["gold"] - scored["correct"]
    assert by_error["false alarm"] == scored["predicted"] - scored["correct"]
    assert "surface" not in counts.columns  # the test half is counted, not shown


@pytest.mark.parametrize("split", ["test4", "no-such-split"])
def test_examples_refuse_a_held_out_split(split):
    with pytest.raises(ValueError, match="held-out|unknown"):
        validation.entity_error_examples(split)
    with pytest.raises(ValueError, match="held-out|unknown"):
        validation.segmentation_error_examples(split)


def test_split_roles_follow_the_two_rounds():
    from zhnews import splits

    roles = [splits.role(s) for s in splits.CORPUS_SPLITS]
    assert roles == ["tuning"] * (len(roles) - 1) + ["held-out"]
    assert set(splits.TUNING).isdisjoint(splits.HELD_OUT) and splits.HEADLINE in splits.HELD_OUT
    for before, after in zip(splits.ROUNDS, splits.ROUNDS[1:]):
        # each round's held-out split joins the next round's tuning data, which only ever grows
        assert set(after.tuning) == set(before.tuning) | {before.held_out} and after.held_out not in after.tuning


def test_segmentation_kinds_on_hand_made_cuts_and_on_the_corpus():
    assert validation.segmentation_kind("法律 援助", "法律援助") == "joined"
    assert validation.segmentation_kind("景德镇市", "景德镇 市") == "split"
    assert validation.segmentation_kind("甲乙 丙", "甲 乙丙") == "moved"
    table = validation.segmentation_error_kinds("test")
    # every disagreement spells the same text on both sides, and its kind follows the word counts
    assert (table["gold"].str.replace(" ", "") == table["predicted"].str.replace(" ", "")).all()
    for gold, predicted, kind in zip(table["gold"], table["predicted"], table["kind"]):
        assert kind == validation.segmentation_kind(gold, predicted)
    # a segmenter below F1 = 1 must disagree somewhere; the counts table holds every disagreement
    f1 = annotate.score_external(split="test", segmenters=["zhnews"], n_resamples=10)["f1"].iloc[0]
    assert (f1 < 1) == (len(table) > 0)
    assert validation.segmentation_error_counts("test")["count"].sum() == len(table)


def test_layer_summary_takes_the_evaluations_own_numbers():
    accuracy = metadata_eval.accuracy_table(reps=50)
    rows = validation.metadata_rows(accuracy)
    overall = accuracy[accuracy["field"] == "overall"].set_index("split")
    assert {r["split"]: r["score"] for r in rows} == overall["accuracy"].to_dict()
    entities = {s: genre_entities.evaluate_corpus_entities(s, n_resamples=10) for s in ("test", "dev")}
    summary = validation.layer_summary(validation.entity_rows(entities), rows)
    n_meta = len(rows)  # the seed and every corpus split with gold
    assert summary["layer"].tolist() == ["metadata"] * n_meta + ["entities"] * 2
    assert summary["split"].tolist()[:n_meta] == [s for s in validation.SPLITS if s in overall.index]
    assert summary["split"].tolist()[n_meta:] == ["dev", "test"]
    assert ((summary["low"] <= summary["score"]) & (summary["score"] <= summary["high"])).all()


def test_summary_plot_draws_one_series_per_split_with_chinese_safe_text():
    rows = [validation._row("entities", "F1", s, 0.8, 0.7, 0.9, "x") for s in ("seed", "dev", "test")]
    fig = validation.summary_plot(validation.layer_summary(rows), "测试 summary")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["seed", "dev", "test"]
    assert plotting.missing_glyphs(fig) == []
    plotting.plt.close(fig)


def test_optional_evaluation_skips_missing_modules_and_functions():
    assert validation.optional_evaluation(["zhnews.no_such_module", "zhnews.paths"], "no_such_function") is None
    assert validation.optional_evaluation(["zhnews.paths"], "relative", "a.txt") == "a.txt"


def test_pos_error_counts_agree_with_counting_the_labels_by_hand():
    sentiment_genre = pytest.importorskip("zhnews.sentiment_genre")
    gold = ["pos", "pos", "pos", "neu", "neu", "neg", "neu", "pos"]
    predicted = ["pos", "neu", "pos", "pos", "neu", "pos", "neu", "neu"]
    # by hand: gold pos at 0, 1, 2, 7; labelled pos at 0, 2, 3, 5 -> found 2, missed 2, false alarms 2
    row = {"method": "rules", "data": "test", "picked": True, **sentiment_genre.scores(gold, predicted, repeats=20)}
    import pandas as pd

    counts = validation.pos_error_counts(pd.DataFrame([row])).iloc[0]
    assert (counts["gold_pos"], counts["labelled_pos"], counts["found"], counts["missed"], counts["false_alarms"]) == (4, 4, 2, 2, 2)
    kappa_row = validation.sentiment_rows(pd.DataFrame([row]))[0]
    assert kappa_row["split"] == "test" and kappa_row["score"] == row["kappa"]
    assert (kappa_row["low"], kappa_row["high"]) == (row["kappa_low"], row["kappa_high"])  # no article interval: sentences


def test_sentiment_rows_prefer_the_interval_over_articles_and_the_picked_method():
    import pandas as pd

    table = pd.DataFrame({"method": ["a", "b"], "data": ["dev-CV", "dev-CV"], "picked": [False, True], "n": [10, 10],
                          "kappa": [0.1, 0.5], "kappa_low": [0.0, 0.4], "kappa_high": [0.2, 0.6],
                          "kappa_article_low": [0.0, 0.3], "kappa_article_high": [0.3, 0.7]})
    (row,) = validation.sentiment_rows(table)
    assert (row["measure"], row["split"], row["low"], row["high"]) == ("Cohen's κ, b", "dev", 0.3, 0.7)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_recall_by_form_pools_to_the_evaluations_recall_per_type(split):
    by_form = validation.entity_recall_by_form(split)
    scored = genre_entities.evaluate_corpus_entities(split, n_resamples=10).set_index("type")
    for type_, part in by_form.groupby("type"):
        gold, missed = part["gold"].sum(), part["missed"].sum()
        assert gold == scored.loc[type_, "gold"]
        assert round(1 - missed / gold, 3) == scored.loc[type_, "recall"]
    assert ((0 <= by_form["recall"]) & (by_form["recall"] <= 1)).all()


def test_round1_record_is_what_the_round1_notebook_printed():
    """The recorded round-1 scores equal the outputs committed in notebook 05 at the commit the record names
    (checked against git history when the clone has it)."""
    import json
    import re
    import subprocess

    from zhnews.paths import ROOT

    record = validation.round_scores(1)
    assert set(record["split"]) <= {"seed", "seed held-out", "dev", "test"}  # round 1 had no test2
    commit = re.search(r"commit ([0-9a-f]{7,40})", record["recorded_from"].iloc[0]).group(1)
    shown = subprocess.run(["git", "show", f"{commit}:notebooks/05_validation.ipynb"], cwd=ROOT,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        pytest.skip(f"commit {commit} is not in this clone's history")
    printed = "\n".join("".join(o.get("data", {}).get("text/plain", o.get("text", "")))
                        for c in json.loads(shown.stdout)["cells"] if c["cell_type"] == "code" for o in c["outputs"])
    for r in record[record["measure"].str.startswith(("accuracy", "word F1", "typed F1, all", "Cohen"))].itertuples():
        line = f"{r.split}  {r.score:.3f}  {r.low:.3f}  {r.high:.3f}"
        assert re.search(re.escape(r.split) + r"\s+" + r"\s+".join(f"{v:.3f}" for v in (r.score, r.low, r.high)), printed), line


def test_agreement_table_compares_like_with_like():
    """Two readers on the same doubly annotated articles; the package beside each. Checked against independent
    computations: sklearn's κ for the two labellings, the set F1 of the two entity sets, and the share of fields
    on which metadata_eval's own comparison says the two readers agree."""
    import pandas as pd
    from sklearn.metrics import cohen_kappa_score

    from zhnews.paths import CORPUS

    table = validation.agreement_table()
    assert set(table["comparison"]) == {"annotator vs annotator", "package vs first annotator", "package vs second annotator"}
    assert ((table["low"] <= table["score"]) & (table["score"] <= table["high"])).all()
    pair = table[table["comparison"] == "annotator vs annotator"].set_index("measure")["score"]
    first = pd.read_csv(CORPUS / "gold" / "sentences.csv", keep_default_na=False, dtype={"n": str})
    both = first.merge(validation.second_annotation("sentences"), on=["file", "n"], suffixes=("_1", "_2"))
    assert len(both) == len(validation.second_annotation("sentences"))  # every second label has a first
    assert pair["Cohen's κ"] == round(cohen_kappa_score(both["label_1"], both["label_2"]), 3)
    gold = pd.read_csv(CORPUS / "gold" / "entities.csv", keep_default_na=False)
    second = validation.second_annotation("entities")
    files = set(second["file"])
    one = {(f, s, t) for f, s, t, b in gold[["file", "surface", "type", "in_boilerplate"]].itertuples(index=False)
           if f in files and str(b) != "True"}
    two = {(f, s, t) for f, s, t, b in second[["file", "surface", "type", "in_boilerplate"]].itertuples(index=False)
           if b.lower() != "true"}
    assert pair["typed F1, all"] == round(2 * len(one & two) / (len(one) + len(two)), 3)
    # the package's agreement on articles it was tuned on is flagged as a training figure
    assert table.loc[table["comparison"].str.startswith("package"), "package_in_sample"].all()
    assert not table.loc[table["comparison"] == "annotator vs annotator", "package_in_sample"].any()
