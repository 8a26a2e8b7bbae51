"""The seed against its genre (zhnews.genre): counts on the keyness basis, keyness against a corpus,
inventories, profiles, positions and the benchmark files.

The corpus tables are built here with :func:`zhnews.pipeline.analyse` — the function each Dask worker of
``python -m zhnews corpus`` runs — on the seed and three short corpus articles, each table given an
``article_id`` column as the corpus command writes it; the checks compare them with independent evidence
(the single-article functions of :mod:`zhnews.terms`, the raw text, the hand-made gold, the JSON files).
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from zhnews import genre, terms
from zhnews.paths import ANNOTATIONS, CORPUS, SEED

CORPUS_IDS = ("guizhou-gzw-2020-01-14", "jilin-jlncb-2020-07-24", "xizang-xzrb-2024-04-06")
TABLES = ("articles", "sentences", "tokens", "entities", "formulations", "mechanisms", "sentiment")


@pytest.fixture(scope="module")
def tables():
    """The tables of a small corpus run (three corpus articles + the seed), as read_table returns them."""
    from zhnews.pipeline import analyse

    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for path in [CORPUS / f"{article_id}.txt" for article_id in CORPUS_IDS] + [SEED]:
        result = analyse(path)
        for name in TABLES:
            table = pd.DataFrame([result["article"]]) if name == "articles" else result[name].copy()
            table.insert(0, "article_id", path.stem)
            frames[name].append(table)
    return {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}


def test_split_separates_the_seed_and_refuses_a_missing_one(tables):
    seed, corpus = genre.split(tables["tokens"], SEED.stem)
    assert set(seed["article_id"]) == {SEED.stem} and set(corpus["article_id"]) == set(CORPUS_IDS)
    assert len(seed) + len(corpus) == len(tables["tokens"])
    with pytest.raises(ValueError, match="no rows"):
        genre.split(corpus, SEED.stem)


def test_seed_counts_equal_the_single_article_functions(tables, seed):
    """The corpus-table path gives notebook 04's basis: running_tokens and term frequencies of the Article."""
    tokens, _ = genre.split(tables["tokens"], SEED.stem)
    sentences, _ = genre.split(tables["sentences"], SEED.stem)
    assert genre.running_size(tokens, sentences) == terms.running_tokens(seed) == 1325
    mine = genre.term_counts(tokens, sentences)[["term", "count", "pos"]]
    theirs = terms.frequencies(terms.term_tokens(seed))[["term", "count", "pos"]]
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), theirs.reset_index(drop=True), check_dtype=False)


def test_corpus_counts_are_the_sums_of_the_articles(tables):
    _, tokens = genre.split(tables["tokens"], SEED.stem)
    _, sentences = genre.split(tables["sentences"], SEED.stem)
    whole = genre.term_counts(tokens, sentences).set_index("term")
    per_article = [genre.term_counts(tokens[tokens["article_id"] == a], sentences[sentences["article_id"] == a]).set_index("term")
                   for a in CORPUS_IDS]
    summed = pd.concat([p["count"] for p in per_article], axis=1).fillna(0).sum(axis=1)
    present = pd.concat([p["count"] for p in per_article], axis=1).notna().sum(axis=1)
    assert whole["count"].sort_index().tolist() == summed.sort_index().astype(int).tolist()
    assert whole["articles"].sort_index().tolist() == present.sort_index().astype(int).tolist()
    assert genre.running_size(tokens, sentences) == sum(
        genre.running_size(tokens[tokens["article_id"] == a], sentences[sentences["article_id"] == a]) for a in CORPUS_IDS)
    # every term occurs in the raw text of each article said to use it
    raw = {a: (CORPUS / f"{a}.txt").read_text(encoding="utf-8") for a in CORPUS_IDS}
    for term in whole.index:
        users = set(tokens.loc[tokens["token"] == term, "article_id"])
        assert all(term in raw[a] for a in users), term


def test_keyness_against_itself_is_zero_and_swapping_sides_flips_the_sign():
    freq = pd.DataFrame({"term": ["法治", "工作", "机制"], "count": [44, 26, 9]})
    same = genre.keyness_against(freq, 1325, freq, 1325)
    assert (same["keyness"] == 0).all() and (same["log_ratio"] == 0).all()
    other = pd.DataFrame({"term": ["法治", "工作", "机制"], "count": [93, 49, 1]})
    forward = genre.keyness_against(freq, 1325, other, 7739, min_count=1).set_index("term").sort_index()
    backward = genre.keyness_against(other, 7739, freq, 1325, min_count=1).set_index("term").sort_index()
    assert (forward["keyness"] == -backward["keyness"]).all()
    assert (forward["log_ratio"] == -backward["log_ratio"]).all()
    # each row equals the two published statistics computed directly
    row = forward.loc["法治"]
    assert row["keyness"] == round(terms.log_likelihood(44, 93, 1325, 7739), 2)
    assert row["log_ratio"] == round(terms.log_ratio(44, 93, 1325, 7739), 2)


def test_keyness_counts_an_absent_term_as_zero_and_respects_min_count():
    seed = pd.DataFrame({"term": ["依法治市", "少见"], "count": [18, 2]})
    ref = pd.DataFrame({"term": ["法治"], "count": [93], "articles": [21]})
    table = genre.keyness_against(seed, 1325, ref, 7739)
    assert table["term"].tolist() == ["依法治市"]
    assert table.loc[0, "ref_count"] == 0 and table.loc[0, "ref_articles"] == 0
    # Log Ratio with the zero count set to 0.5 (Hardie 2014)
    assert table.loc[0, "log_ratio"] == round(__import__("math").log2((18 / 1325) / (0.5 / 7739)), 2)


def test_structure_profile_of_the_seed_matches_the_gold_and_the_text(tables, seed):
    profile = genre.structure_profile(tables["articles"], tables["sentences"], tables["mechanisms"], tables["formulations"])
    row = profile.set_index("article_id").loc[SEED.stem]
    raw = SEED.read_text(encoding="utf-8")
    assert row["chars"] == len(raw)
    gold_formulations = pd.read_csv(ANNOTATIONS / "formulations_gold.csv")
    assert row["formulations"] == len(gold_formulations)
    # 一是 … 六是 at the start of a sentence in the raw text
    assert row["enumerated"] == len(re.findall(r"(?:^|[。\n])\s*[一二三四五六七八九十]是", raw, re.M)) == 6
    running = [s for s in seed.sentences if s.role in terms.TEXT_ROLES]
    assert row["sentences"] == len(running) and row["text_chars"] == sum(s.end - s.start for s in running)
    assert sorted(profile["article_id"]) == sorted(CORPUS_IDS + (SEED.stem,))


def test_positive_share_counts_running_text_sentences(tables, seed):
    shares = genre.positive_share(tables["sentiment"]).set_index("article_id")
    assert shares.loc[SEED.stem, "sentences"] == sum(s.role in terms.TEXT_ROLES for s in seed.sentences)
    assert ((shares["pos"] <= shares["sentences"]) & shares["share"].between(0, 1)).all()
    assert (shares["share"] == (shares["pos"] / shares["sentences"]).round(3)).all()


def test_entity_inventory_counts_articles_and_mentions(tables):
    _, corpus = genre.split(tables["entities"], SEED.stem)
    inventory = genre.entity_inventory(corpus, top=100)
    chosen = corpus[corpus["type"].isin(genre.INVENTORY_TYPES)]
    assert inventory["mentions"].sum() == len(chosen)
    for _, row in inventory.iterrows():
        rows = chosen[(chosen["type"] == row["type"]) & (chosen["surface"] == row["surface"])]
        assert row["articles"] == rows["article_id"].nunique() and row["mentions"] == len(rows)
    order = [genre.INVENTORY_TYPES.index(t) for t in inventory["type"]]
    assert order == sorted(order)


def test_formulation_inventory_names_the_outlets_of_the_articles_printing_it(tables):
    _, corpus = genre.split(tables["formulations"], SEED.stem)
    manifest = genre.load_manifest()
    inventory = genre.formulation_inventory(corpus, manifest)
    outlet = dict(zip(manifest["article_id"], manifest["outlet"]))
    for _, row in inventory.iterrows():
        users = set(corpus.loc[corpus["surface"] == row["surface"], "article_id"])
        assert row["articles"] == len(users)
        assert all(any(outlet[a].startswith(name) for a in users) for name in row["outlets"].split("; "))
        assert all(row["surface"] in (CORPUS / f"{a}.txt").read_text(encoding="utf-8") for a in users)


def test_manifest_ids_are_the_corpus_files():
    manifest = genre.load_manifest()
    assert sorted(manifest["article_id"]) == sorted(p.stem for p in CORPUS.glob("*.txt"))


def test_seed_position_invariants():
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    assert genre.seed_position(values, 0)["percentile"] == 0.0
    assert genre.seed_position(values, 10)["percentile"] == 100.0
    for probe in (1, 4, 5.5):
        p = genre.seed_position(values, probe)
        assert p["below"] + p["equal"] + p["above"] == p["n"] == len(values)
    # the mid-rank percentile of the median of an odd-sized sample is 50
    assert genre.seed_position([1, 2, 3, 4, 5], 3)["percentile"] == 50.0


def test_benchmark_runs_read_the_files_present(tmp_path):
    baseline = json.loads((genre.BENCHMARKS / "baseline.json").read_text(encoding="utf-8"))
    runs = genre.benchmark_runs()
    before = runs[runs["run"] == "before (baseline.json)"]
    assert before["chars"].tolist() == [baseline["corpus"][k]["chars"] for k in sorted(baseline["corpus"], key=int)]
    assert before["seconds"].tolist() == [baseline["corpus"][k]["seconds"] for k in sorted(baseline["corpus"], key=int)]
    assert genre.benchmark_runs(tmp_path).empty
    after = {"corpus": {"10000": {"chars": 10, "seconds": 1.0, "chars_per_s": 10, "peak_memory_mb": 1}}}
    (tmp_path / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    (tmp_path / "after.json").write_text(json.dumps(after), encoding="utf-8")
    both = genre.benchmark_runs(tmp_path)
    assert both["run"].tolist()[:len(before)] == ["before (baseline.json)"] * len(before)
    assert both.iloc[-1]["run"] == "after (after.json)" and both.iloc[-1]["chars"] == 10


def test_figures_draw_every_chinese_label(tables):
    from zhnews import plotting

    profile = genre.structure_profile(tables["articles"], tables["sentences"], tables["mechanisms"], tables["formulations"])
    figures = [genre.profile_plot(profile, SEED.stem, ["sentences", "enumerated"], ["句子", "一是…"], "结构"),
               genre.distribution_plot([0.1, 0.2, 0.2], 0.25, "正面句子", "share"),
               genre.scaling_plot(genre.benchmark_runs(), "规模")]
    for fig in figures:
        assert plotting.missing_glyphs(fig) == []
        plotting.plt.close(fig)
