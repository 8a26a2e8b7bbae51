"""Keyness checked against independent evidence: published worked examples, an independent calculator
(scipy), hand-made gold for the reference-counting conventions, and the raw 1998 corpus file read by
another route. Written after an outside audit found (1) the article's size taken as the number of terms
instead of its running tokens and (2) reference counts that depend on the corpus's tokenisation."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, contingency, power_divergence

from zhnews import annotate, reading, terms
from zhnews.annotate import peoples_daily_path


@pytest.fixture(scope="module")
def tokens(seed):
    return annotate.tokens_table(seed)


@pytest.fixture(scope="module")
def table(seed, tokens):
    return terms.terms_table(seed, tokens)


@pytest.fixture(scope="module")
def raw_corpus() -> str:
    return peoples_daily_path().read_text(encoding="utf-8")


# --- G² and Log Ratio against published worked examples and an independent implementation ---------------


def test_log_likelihood_reproduces_the_lancaster_worked_example():
    """Worked example of the Lancaster log-likelihood tutorial that accompanies Paul Rayson's UCREL calculator
    (http://ucrel.lancs.ac.uk/llwizard.html; formula of Rayson & Garside 2000, "Comparing corpora using
    frequency profiling", ACL Workshop on Comparing Corpora): a word seen 52 times in a corpus of 50,000 tokens
    and 57 times in one of 75,000 gives "Word 52 0.10 57 0.08 + 2.65" — relative frequencies 0.10 % and
    0.08 %, log-likelihood +2.65, below the 3.84 needed for p < 0.05. (Seen in a copy of the tutorial:
    https://www.scribd.com/presentation/807361921/Corpus-2.)"""
    g2 = terms.log_likelihood(52, 57, 50_000, 75_000)
    assert round(g2, 2) == 2.65 and g2 > 0
    assert (round(52 / 50_000 * 100, 2), round(57 / 75_000 * 100, 2)) == (0.10, 0.08)
    assert g2 < terms.G2_CRITICAL[0.05]
    assert terms.log_likelihood(57, 52, 75_000, 50_000) == pytest.approx(-g2)  # the sign marks underuse


@pytest.mark.parametrize("a, b, c, d", [(52, 57, 50_000, 75_000), (44, 14, 1325, 948_400), (18, 0, 1325, 948_400),
                                        (26, 2412, 1325, 948_400), (0, 10, 1000, 1000), (3, 3, 10, 10)])
def test_log_likelihood_equals_scipys_power_divergence(a, b, c, d):
    """scipy's ``power_divergence(lambda_="log-likelihood")`` (Cressie & Read's family, the form Rayson &
    Garside cite) on the two observed counts and their expected values is an independent calculator."""
    expected = [c * (a + b) / (c + d), d * (a + b) / (c + d)]
    reference = power_divergence([a, b], expected, lambda_="log-likelihood").statistic
    assert abs(terms.log_likelihood(a, b, c, d)) == pytest.approx(reference, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("a, b, c, d", [(52, 57, 50_000, 75_000), (44, 14, 1325, 948_400), (26, 2412, 1325, 948_400)])
def test_two_cell_form_is_close_to_the_full_2x2_g_test(a, b, c, d):
    """Dunning's G² on the full 2×2 table (scipy) adds the 'other words' cells; for a word that is a small share
    of each corpus the two forms agree within 1 % (Rayson's page, note 1)."""
    full = contingency.chi2_contingency(np.array([[a, b], [c - a, d - b]]), correction=False, lambda_="log-likelihood")[0]
    assert abs(terms.log_likelihood(a, b, c, d)) == pytest.approx(full, rel=0.01)


def test_log_ratio_reproduces_hardies_worked_example():
    """Hardie (2014), "Log Ratio – an informal introduction" (CASS blog, Lancaster University,
    http://cass.lancs.ac.uk/log-ratio-an-informal-introduction/): relative frequencies 0.0006 and 0.0002 are a
    ratio of 3; the binary log of the ratio is 0 for equal frequencies, 1 for twice, 2 for four times as
    frequent; a zero frequency is replaced by 0.5 (our docstring's convention, which Hardie's CQPweb uses)."""
    assert terms.log_ratio(6, 2, 10_000, 10_000) == pytest.approx(math.log2(3))  # 0.0006 vs 0.0002
    assert [terms.log_ratio(k, 1, 1000, 1000) for k in (1, 2, 4)] == [0, 1, 2]
    assert terms.log_ratio(3, 0, 1000, 1000) == pytest.approx(math.log2(3 / 0.5))


def test_critical_values_are_the_chi_square_quantiles():
    """The G² thresholds quoted in notebook 04 and on Rayson's page (3.84, 6.63, 10.83, 15.13) are the 1-df
    chi-square quantiles to two decimals (15.1367 is printed as 15.13 there)."""
    for p, value in terms.G2_CRITICAL.items():
        assert abs(float(chi2.isf(p, 1)) - value) < 0.01
        assert terms.critical_value(p) == pytest.approx(chi2.isf(p, 1))
    assert terms.critical_value(0.05, tests=87) == pytest.approx(chi2.isf(0.05 / 87, 1))


# --- finding 1: the article's size is its running tokens ------------------------------------------------


def test_article_size_is_all_running_non_punctuation_tokens(seed, tokens, table):
    """Counted here by another route: POS tag 'w' (not the is_punct flag) and the roles of sentences_table."""
    role = reading.sentences_table(seed).set_index("sid")["role"]
    in_text = tokens["sid"].map(role).isin(terms.TEXT_ROLES)
    expected = int((in_text & (tokens["pos"] != "w")).sum())
    assert terms.running_tokens(seed, tokens) == expected
    assert set(table["article_tokens"]) == {expected}
    assert expected > table["count"].sum() * 1.2  # terms are a subset: the old size (891) was far too small


def test_reference_size_is_all_non_punctuation_tokens(raw_corpus, table):
    items = raw_corpus.split()
    words = [i for i in items if "/" in i and i.rsplit("/", 1)[0]]
    size = sum(1 for i in words if i.rsplit("/", 1)[1] != "w")
    assert set(table["ref_tokens_1998"]) == {size} == {terms.peoples_daily_counts()[1]}


def test_every_row_of_terms_csv_can_be_recomputed_from_its_columns(table):
    """A reader recomputes G², Log Ratio and the wordfreq ratio from count, article_tokens, ref_count_1998,
    ref_tokens_1998 and wordfreq_per_million alone, with scipy as the calculator."""
    for row in table.itertuples(index=False):
        a, b, c, d = row.count, row.ref_count_1998, row.article_tokens, row.ref_tokens_1998
        expected = [c * (a + b) / (c + d), d * (a + b) / (c + d)]
        g2 = power_divergence([a, b], expected, lambda_="log-likelihood").statistic
        assert abs(row.keyness) == pytest.approx(g2, abs=0.006)
        assert row.log_ratio == pytest.approx(math.log2((a / c) / (max(b, 0.5) / d)), abs=0.006)
        if row.wordfreq_per_million >= 1:
            assert row.wordfreq_log_ratio == pytest.approx(math.log2(a / c * 1e6 / row.wordfreq_per_million), abs=0.02)


def test_keyness_refuses_a_size_smaller_than_the_terms_counted(seed):
    freq = terms.frequencies(terms.term_tokens(seed))
    with pytest.raises(ValueError, match="running_tokens"):
        terms.keyness(freq, int(freq["count"].sum()) - 1)


# --- finding 2: like with like in the reference -----------------------------------------------------------


def test_string_counts_on_hand_made_gold():
    """Hand-made: 依法治国 split into two words counts once as characters; 为民 inside 作为民族 is a substring,
    not a word sequence; 法治 inside 依法治国 likewise."""
    text, boundary = terms.join_tokens([["依法", "治国", "，"], ["作为", "民族"], ["司法", "为", "民"]])
    assert text == "依法治国，\n作为民族\n司法为民"
    assert terms.string_counts("依法治国", text, boundary) == (1, 1)
    assert terms.string_counts("为民", text, boundary) == (2, 1)
    assert terms.string_counts("法治", text, boundary) == (1, 0)
    assert terms.string_counts("治国，", text, boundary) == (1, 1)


def test_reference_counts_match_the_raw_corpus_file(raw_corpus):
    """Token and split-expression counts read from the raw file with regular expressions, not via our parser."""
    def as_token(word):
        return len(re.findall(rf"(?:^|\s){re.escape(word)}/[A-Za-z]+(?=\s|$)", raw_corpus, re.M))

    split = len(re.findall(r"(?:^|\s)依法/[A-Za-z]+\s+治国/[A-Za-z]+(?=\s|$)", raw_corpus, re.M))
    assert terms.reference_counts("依法治国") == {"tokens": as_token("依法治国"), "characters": split + as_token("依法治国"),
                                                   "substring": terms.reference_counts("依法治国")["substring"]}
    assert split > 0 and as_token("依法治国") == 0  # the shipped corpus writes 依法/d 治国/v, never 依法治国/l
    for word in ("法制", "法治", "工作", "依法治市"):
        assert terms.reference_counts(word)["tokens"] == as_token(word)
    assert as_token("法制") > 5 * as_token("法治")  # January 1998: 法制 (legal system) far more common than 法治


def test_conventions_are_ordered_and_change_only_split_expressions(seed, tokens):
    freq = terms.frequencies(terms.term_tokens(seed, tokens))
    size = terms.running_tokens(seed, tokens)
    key = terms.keyness(freq, size, convention="characters")
    assert (key["ref_count_1998_tokens"] <= key["ref_count_1998_characters"]).all()
    assert all(terms.reference_counts(t)["substring"] >= c for t, c in zip(key["term"], key["ref_count_1998_characters"]))
    by_term = key.set_index("term")
    assert by_term.loc["依法治国", "ref_count_1998_tokens"] == 0 < by_term.loc["依法治国", "ref_count_1998_characters"]
    moved = terms.compare_conventions(freq, size)
    assert moved.loc[moved["term"] == "依法治国", "rank_change"].item() < 0  # fairer count, lower rank
    assert (moved["rank_tokens"] - moved["rank_characters"] == moved["rank_change"]).all()


def test_terms_csv_keeps_old_columns_and_adds_the_sizes(table):
    old = ["term", "count", "keyness", "log_ratio", "tfidf", "textrank", "pos", "ref_count_1998", "ref_per_million_1998",
           "wordfreq_per_million", "wordfreq_log_ratio"]
    assert list(table.columns[:6]) == old[:6] and set(old) <= set(table.columns)
    assert {"article_tokens", "ref_tokens_1998", "ref_count_1998_tokens", "ref_count_1998_characters"} <= set(table.columns)
    assert isinstance(table, pd.DataFrame) and table["term"].is_unique


def test_keyness_of_an_article_without_repeated_terms_is_an_empty_table_with_the_columns():
    empty = terms.keyness(pd.DataFrame({"term": [], "count": [], "pos": []}), 10)
    assert empty.empty and list(empty.columns) == terms.KEYNESS_COLUMNS
