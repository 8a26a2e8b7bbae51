"""Term analysis: clean terms, keyness against the 1998 corpus, KWIC, collocations, TextRank, terms.csv."""

from __future__ import annotations

import json
import re

import pytest

from zhnews import plotting, terms
from zhnews.paths import ROOT


@pytest.fixture(scope="module")
def term_tokens(seed):
    return terms.term_tokens(seed)


def test_terms_are_content_words_without_punctuation_or_stop_words(term_tokens):
    stop = terms.stop_words()
    assert not any(t in stop for t in term_tokens["token"])
    assert all(len(t) >= 2 and any("\u4e00" <= c <= "\u9fff" for c in t) for t in term_tokens["token"])


def test_top_keyness_terms_are_content_words_of_the_article(seed, term_tokens):
    key = terms.keyness(terms.frequencies(term_tokens), terms.running_tokens(seed))
    top = list(key["term"][:15])
    assert top[0] == "法治"
    assert all(term in seed.norm for term in top)
    assert all(pos[0] in "nvajil" for pos in key["pos"][:15])
    assert (key["count"] >= 3).all()


def test_reference_corpus_is_the_shipped_peoples_daily():
    counts, size = terms.peoples_daily_counts()
    assert 900_000 < size < 1_000_000  # words; 1.1 million tokens with punctuation
    assert counts["法治"] < 50 and counts["经济"] > 1000  # 1998: rule of law was rare, the economy was not


def test_log_likelihood_and_log_ratio_formulas():
    assert terms.log_likelihood(0, 10, 1000, 1000) < 0 < terms.log_likelihood(10, 0, 1000, 1000)
    assert terms.log_ratio(8, 4, 1000, 1000) == pytest.approx(1.0)


def test_kwic_is_aligned_and_traceable(seed):
    table = terms.kwic(seed, "法治", width=8)
    frequency = terms.frequencies(terms.term_tokens(seed)).set_index("term")["count"]
    assert len(table) == frequency["法治"]  # tokens, not substrings: 法治 inside 依法治市 is not counted
    for start in table["start"]:
        assert seed.norm[start : start + 2] == "法治"
    html = terms.kwic_display(table)
    assert html == terms.kwic_display(table) and "T_kwic" in html


def test_collocations_respect_the_minimum_frequencies(term_tokens):
    pairs = terms.collocations(term_tokens, min_count=3, min_pair=2)
    assert (pairs["sentences_both"] >= 2).all() and (pairs[["sentences_a", "sentences_b"]] >= 3).all().all()
    assert {"公平", "正义"} in [set(p) for p in zip(pairs["term_a"], pairs["term_b"])]


def test_textrank_has_no_punctuation_and_the_summary_no_duplicates(seed, term_tokens):
    keywords = terms.textrank_keywords(term_tokens, limit=20)
    assert all(any("\u4e00" <= c <= "\u9fff" for c in t) for t in keywords["term"])
    summary = terms.textrank_summary(seed, term_tokens, limit=5)
    assert summary["sentence"].is_unique and seed.metadata["title"] not in set(summary["sentence"])


def test_terms_table_contract(seed):
    table = terms.terms_table(seed)
    assert list(table.columns[:6]) == ["term", "count", "keyness", "log_ratio", "tfidf", "textrank"]
    assert table["term"].is_unique and (table["count"] >= 2).all()


def test_network_and_word_cloud_draw_chinese(term_tokens):
    import matplotlib.pyplot as plt

    graph = terms.cooccurrence_graph(terms.collocations(term_tokens), top=10)
    for fig in (plotting.network_plot(graph, "网络"), plotting.word_cloud({"法治": 10, "机制": 5}, "词云")):
        assert plotting.missing_glyphs(fig) == []
        plt.close(fig)


# --- notebook 04: sourced history, statistics explained, exercises with checked solutions ------------------

HISTORY = re.compile(r"Congress|Plenum|Constitution|普法|depend on|adopted|strategy|programmes? go back|since (19|20)\d\d")
CITATION = re.compile(r"\([^()]*\b(19|20)\d\d[a-z]?\)")


def _notebook_04():
    return json.loads((ROOT / "notebooks" / "04_terms.ipynb").read_text(encoding="utf-8"))["cells"]


def _markdown_sentences():
    for cell in _notebook_04():
        if cell["cell_type"] == "markdown":
            for item in re.split(r"\n\s*(?:- |\d+\. )", "".join(cell["source"])):
                yield from re.split(r"(?<=[.;])\s+(?=[A-Z*(0-9\u4e00-\u9fff])", re.sub(r"\s+", " ", item))


def test_notebook_04_sources_every_historical_statement():
    """The audit found 'did not yet exist' for vocabulary adopted in 1997: every sentence that states political
    history must carry a short author–year or title–year citation, and the false claim must not come back."""
    sentences = list(_markdown_sentences())
    assert not any("did not yet exist" in s or "not yet exist" in s for s in sentences)
    unsourced = [s for s in sentences if HISTORY.search(s) and not CITATION.search(s) and "Exercise" not in s]
    assert unsourced == []
    joined = " ".join(sentences)
    for reference in ("CCP 15th Congress report, 1997", "Constitution amendment, 1999", "4th Plenum Decision, 2014"):
        assert reference in joined


def test_notebook_04_explains_critical_values_and_multiple_tests():
    joined = " ".join(_markdown_sentences())
    assert all(f"{value}" in joined for value in (3.84, 10.83, 15.13)) and "Bonferroni" in joined
    assert "one-month" in joined and "January 1998" in joined


def test_notebook_04_every_exercise_has_a_checked_hidden_solution():
    cells = _notebook_04()
    exercises = next("".join(c["source"]) for c in cells if "## Exercises" in "".join(c["source"]))
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ★{1,3} ", exercises, re.M)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 4
    assert len(re.findall(r"^\d+\. ", exercises, re.M)) == len(numbers), "every exercise is marked ★, ★★ or ★★★"
    for n in numbers:
        at = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith(f"**Solution to exercise {n}"))
        solution = cells[at + 1]
        assert solution["cell_type"] == "code" and "solution" in solution["metadata"].get("tags", [])
        assert solution["metadata"]["jupyter"]["source_hidden"] is True
        assert "".join(solution["source"]).strip().splitlines()[-1].lstrip().startswith("assert ")
