"""A learned entity recogniser: a character-level BIO sequence labeller (CRF, python-crfsuite) trained from the
genre corpus's gold, stacked on the rules of :mod:`zhnews.genre_entities` (round 4, issue 9).

**Training data.** The gold (``data/corpus/gold/entities.csv``) is a SET of distinct (surface, type) per
article, not mentions. :func:`project_gold` turns it into mentions: every occurrence of a gold surface in the
article's non-boilerplate paragraphs gets the surface's type, longest surfaces first, never overlapping a
surface already placed. Known error of the projection: a surface that is sometimes generic (司法局 as a short
reference in one sentence, a class word in another; 宣传周 meaning the named week or any week) is labelled
at every occurrence, so the CRF sees some generic uses as entities; and a surface inside a longer gold
surface is never labelled there (the longer one wins), which is what the longest-span rule (G3) wants.

**Features** per character (:func:`char_features`): the character, its neighbours and the bigrams in a ±2
window, character classes (digit, Latin, punctuation, Han), whether it lies inside a division name of the
rules' division scan (:func:`zhnews.genre_entities.division_index`), whether a known body head
(:data:`BODY_HEADS`, reusing the rules' list) ends here, the paragraph role, and the **rules' own BIO tag**
at that character (stacking: the CRF learns when to trust the rules).

**Training** is deterministic (lbfgs, fixed c1/c2/max_iterations, articles sorted by file name); the model
is kept by :mod:`zhnews.cache`, keyed on the bytes of the gold, the manifest, the training articles and the
rules' source files, the training splits and :data:`CRF_VERSION`, so it is trained at most once per machine
(:func:`model_bytes`) and loaded once per process (:func:`tagger`).

**Combination** with the rules (:func:`combine`): ``rules``, ``crf``, ``union-rules`` (the union, the
rules winning on overlaps), ``union-crf`` (the CRF winning) and ``per-type`` (each type from the source of
:data:`PER_TYPE_SOURCE`). :func:`leave_one_split_out` scores an option honestly for the CRF: trained on three
tuning splits, scored on the fourth. The rules were written reading all four splits, so their
leave-one-split-out figures (and the rule tags the CRF is trained with) are optimistic.

**Round 4 result** (typed set F1, mean of the four folds dev/test/test2/test3): rules 0.876; stacked CRF alone
0.851, union preferring the rules 0.864, union preferring the CRF 0.854; per-type = rules (the rules win or tie
every type). Without the rule tags the CRF alone reaches 0.733 and the union preferring the rules 0.858 — it
adds recall (ORG 0.800 → 0.832, PER 0.899 → 0.930) but costs more precision on the three splits the rules were
read on; only on ``test3`` (0.730 → 0.742) does it help. Trained and scored on the same articles the stacked
CRF reaches 0.997: in-sample figures say nothing. Chosen: ``rules`` (:data:`CHOSEN`). Training on the 76
tuning articles: about 3 s of features and rules and 7 s of lbfgs on one core, a 0.37 MB model, tagging about
11 µs a character.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Iterable, Sequence

import pandas as pd

from zhnews.entities import TYPES, Mention

#: Bump when features, projection or training parameters change: the cached model's key carries it.
CRF_VERSION = "1"
#: Training parameters (lbfgs is deterministic given the same sorted inputs).
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
#: Whether the CRF sees the rules' BIO tags (stacking); see the module docstring for the choice.
STACKED = True
OPTIONS = ("rules", "crf", "union-rules", "union-crf", "per-type")
#: The option :func:`zhnews.genre_entities.adjust` applies, chosen by the mean of :func:`leave_one_split_out`.
#: Round 4: ``rules`` (mean typed F1 over the four folds 0.876, against 0.862 for the best union and 0.850 for
#: the CRF alone; the rules' figure is optimistic, see the module docstring). With ``rules`` the CRF is never
#: trained nor loaded by ``analyze``.
CHOSEN = "rules"
#: For the ``per-type`` option: which source each type comes from — the better mean leave-one-split-out F1
#: of ``rules`` and ``crf`` for that type, ties to the rules. Round 4: the rules for every type (PER a tie), so
#: ``per-type`` equals ``rules``.
PER_TYPE_SOURCE = {"PER": "rules", "LOC": "rules", "ORG": "rules", "DOC": "rules", "EVENT": "rules", "DATE": "rules"}

#: Body heads of the genre: the rules' heads (:data:`zhnews.genre_entities.BODY_HEADS`, character classes
#: expanded) and the unit heads of the rules' sub-body and unit patterns, plus short generic heads.
_EXTRA_HEADS = ("诉讼服务中心", "服务工作站", "工作站", "志愿服务队", "办公室", "调查总队", "管委会", "委员会", "政治部",
                "中心", "局", "所", "站", "院", "处", "科", "办", "部", "队", "会")
_PUNCT = set("，。；：、“”‘’（）()《》〈〉【】[]！？!?,.;:—…·-/／|>＞ \u3000\t")


def _expand(head: str) -> list[str]:
    """A head with one ``[…]`` character class written out.

    >>> _expand("依法治[市县]办")
    ['依法治市办', '依法治县办']
    """
    m = re.search(r"\[([^\]]+)\]", head)
    if m is None:
        return [head]
    return [head[: m.start()] + c + head[m.end():] for c in m.group(1)]


@lru_cache(maxsize=1)
def body_heads() -> frozenset[str]:
    """The body heads (see the module docstring)."""
    from zhnews.genre_entities import BODY_HEADS

    return frozenset(h for head in BODY_HEADS + _EXTRA_HEADS for h in _expand(head))


def char_class(c: str) -> str:
    """``digit``, ``latin``, ``punct``, ``han`` or ``other``.

    >>> [char_class(c) for c in "3a，局%"]
    ['digit', 'latin', 'punct', 'han', 'other']
    """
    if c.isdigit():
        return "digit"
    if c.isascii() and c.isalpha():
        return "latin"
    if c in _PUNCT:
        return "punct"
    if "\u4e00" <= c <= "\u9fff":
        return "han"
    return "other"


def head_ends(text: str, heads: Iterable[str] | None = None) -> list[bool]:
    """For each character, whether a body head ends at it (a look-up per distinct head length: linear).

    >>> head_ends("某某司法所在", frozenset({"司法所", "所"}))
    [False, False, False, False, True, False]
    """
    heads = body_heads() if heads is None else frozenset(heads)
    lengths = sorted({len(h) for h in heads})
    return [any(i + 1 >= n and text[i + 1 - n:i + 1] in heads for n in lengths) for i in range(len(text))]


def bio(length: int, mentions: Iterable[tuple[int, int, str]], offset: int = 0) -> list[str]:
    """BIO tags of ``length`` characters from ``(start, end, type)`` spans (offsets minus ``offset``); the
    first span placed wins a character.

    >>> bio(5, [(1, 3, "LOC"), (2, 4, "ORG")])
    ['O', 'B-LOC', 'I-LOC', 'O', 'O']
    """
    tags = ["O"] * length
    for start, end, type_ in mentions:
        a, b = max(start - offset, 0), min(end - offset, length)
        if a >= b or any(t != "O" for t in tags[a:b]):
            continue
        tags[a] = f"B-{type_}"
        for k in range(a + 1, b):
            tags[k] = f"I-{type_}"
    return tags


def spans_from_bio(tags: Sequence[str], offset: int = 0) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` spans of BIO tags (an ``I`` after another type starts a new span).

    >>> spans_from_bio(["B-PER", "I-PER", "O", "I-LOC", "B-ORG"], offset=10)
    [(10, 12, 'PER'), (13, 14, 'LOC'), (14, 15, 'ORG')]
    """
    spans, start, current = [], None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        kind, _, type_ = tag.partition("-")
        if start is not None and (kind != "I" or type_ != current):
            spans.append((offset + start, offset + i, current))
            start, current = None, None
        if kind == "B" or (kind == "I" and start is None):
            start, current = i, type_
    return spans


def char_features(text: str, role: str, in_division: Sequence[bool], head_end: Sequence[bool],
                  rule_tags: Sequence[str] | None) -> list[list[str]]:
    """Feature strings of each character of one paragraph (see the module docstring); without ``rule_tags``
    (``None``) the rules' tags are left out (the plain, not stacked, CRF).

    >>> f = char_features("在甲局", "body", [False, True, False], [False, False, True], ["O", "B-ORG", "I-ORG"])
    >>> sorted(x for x in f[2] if x.startswith(("c0=", "c-1=", "b-1=", "head", "rule=", "div")))
    ['b-1=甲局', 'c-1=甲', 'c0=局', 'head', 'rule=I-ORG']
    """
    n = len(text)
    padded = "^^" + text + "$$"
    rows = []
    for i in range(n):
        p = i + 2
        f = ["bias", f"c0={padded[p]}", f"cls={char_class(text[i])}", f"role={role}"]
        if rule_tags is not None:
            f += [f"rule={rule_tags[i]}", f"rule-1={rule_tags[i - 1] if i else '^'}",
                  f"rule+1={rule_tags[i + 1] if i + 1 < n else '$'}", f"rule0|c0={rule_tags[i]}|{padded[p]}"]
        for d in (-2, -1, 1, 2):
            f.append(f"c{d}={padded[p + d]}")
        f += [f"b-2={padded[p - 2:p]}", f"b-1={padded[p - 1:p + 1]}", f"b+1={padded[p:p + 2]}", f"b+2={padded[p + 1:p + 3]}"]
        f += [f"cls-1={char_class(padded[p - 1])}", f"cls+1={char_class(padded[p + 1])}"]
        if in_division[i]:
            f.append("div")
        if head_end[i]:
            f.append("head")
        if i + 1 < n and head_end[i + 1]:
            f.append("head+1")
        rows.append(f)
    return rows


# ---------------------------------------------------------------------------------------------
# Articles → sequences


def content_paragraphs(article) -> list:
    """The article's paragraphs outside boilerplate (G1), in text order."""
    return [p for p in article.paragraphs if p.role != "boilerplate"]


def project_gold(article, gold: set[tuple[str, str]]) -> list[Mention]:
    """Mentions of a gold SET: every occurrence of a gold surface in the non-boilerplate paragraphs gets its
    type, longest surfaces first (ties: surface, then type order), no overlaps (method ``gold projection``).

    >>> from zhnews.reading import parse
    >>> a = parse("标题\\n某某网讯 甲乙县司法局在甲乙县开会。司法局说好。")
    >>> [(a.raw[m.start:m.end], m.type) for m in project_gold(a, {("甲乙县司法局", "ORG"), ("甲乙县", "LOC")})]
    [('甲乙县司法局', 'ORG'), ('甲乙县', 'LOC')]
    """
    order = sorted(gold, key=lambda st: (-len(st[0]), st[0], TYPES.index(st[1]) if st[1] in TYPES else 99))
    mentions = []
    for p in content_paragraphs(article):
        taken = bytearray(len(p.text))
        for surface, type_ in order:
            if not surface:
                continue
            i = p.text.find(surface)
            while i != -1:
                j = i + len(surface)
                if not any(taken[i:j]):
                    taken[i:j] = b"\x01" * (j - i)
                    mentions.append(Mention(p.start + i, p.start + j, type_, "gold projection"))
                i = p.text.find(surface, i + 1)
    return sorted(mentions, key=lambda m: (m.start, m.end))


def rule_mentions(article) -> list[Mention]:
    """The rules' resolved mentions (seed methods + :func:`zhnews.genre_entities.adjust`, no CRF)."""
    from zhnews.entities import from_gazetteer, from_metadata, from_patterns, from_pos, resolve
    from zhnews.genre_entities import adjust

    seed = from_metadata(article) + from_pos(article) + from_patterns(article) + from_gazetteer(article)
    return resolve(adjust(article, seed, learned=False))


def article_sequences(article, rules: list[Mention], stacked: bool = True) -> list[tuple[int, list[list[str]]]]:
    """``(paragraph start, features)`` of each non-boilerplate paragraph, with the rules' BIO tags when
    ``stacked``."""
    from zhnews.genre_entities import division_index, scan

    spans = [(m.start, m.end, m.type) for m in sorted(rules, key=lambda m: (-(m.end - m.start), m.start))]
    out = []
    for p in content_paragraphs(article):
        text = article.norm[p.start:p.end]
        division = [False] * len(text)
        for a, b, _ in scan(text, division_index()):
            division[a:b] = [True] * (b - a)
        local = [s for s in spans if s[0] < p.end and s[1] > p.start]
        tags = bio(len(text), local, p.start) if stacked else None
        out.append((p.start, char_features(text, p.role, division, head_ends(text), tags)))
    return out


# ---------------------------------------------------------------------------------------------
# Training and tagging


def training_items(files: Sequence[str], gold: dict[str, set[tuple[str, str]]],
                   stacked: bool = True) -> list[tuple[list[list[str]], list[str]]]:
    """(features, gold BIO) of each non-boilerplate paragraph of the articles, files sorted."""
    from zhnews.paths import CORPUS
    from zhnews.reading import load

    items = []
    for f in sorted(files):
        article = load(CORPUS / f)
        golds = [(m.start, m.end, m.type) for m in project_gold(article, gold.get(f, set()))]
        rules = rule_mentions(article) if stacked else []
        for start, feats in article_sequences(article, rules, stacked):
            if feats:
                items.append((feats, bio(len(feats), golds, start)))
    return items


def train(items: list[tuple[list[list[str]], list[str]]], params: dict | None = None) -> bytes:
    """The model file's bytes of a CRF trained (lbfgs) on the items, in their order."""
    import os
    import tempfile

    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for feats, tags in items:
        trainer.append(feats, tags)
    trainer.set_params(dict(PARAMS if params is None else params))
    handle, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(handle)
    try:
        trainer.train(path)
        with open(path, "rb") as model:
            return model.read()
    finally:
        os.remove(path)


def split_files(splits: Iterable[str]) -> list[str]:
    """File names of the corpus splits, sorted."""
    from zhnews.genre_entities import corpus_files

    return sorted(f for s in splits for f in corpus_files(s))


def split_gold(splits: Iterable[str]) -> dict[str, set[tuple[str, str]]]:
    """The gold sets (:func:`zhnews.genre_entities.corpus_gold`) of the splits' articles."""
    from zhnews.genre_entities import corpus_gold

    gold: dict[str, set[tuple[str, str]]] = {}
    for s in splits:
        gold.update(corpus_gold(s))
    return gold


def training_key(splits: Sequence[str], stacked: bool = True) -> str:
    """A hash of everything the model depends on: the bytes of the gold and the manifest, of the training
    articles and of the rules' and this module's source files, the splits and :data:`CRF_VERSION`."""
    from pathlib import Path

    from zhnews.paths import CORPUS

    here = Path(__file__).parent
    digest = hashlib.sha256()
    paths = [CORPUS / "gold" / "entities.csv", CORPUS / "MANIFEST.csv"]
    paths += [CORPUS / f for f in split_files(splits)]
    paths += [here / n for n in ("entity_crf.py", "genre_entities.py", "entities.py", "reading.py")]
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(("|".join(sorted(splits)) + f"|{CRF_VERSION}|{stacked}|" + repr(sorted(PARAMS.items()))).encode())
    return digest.hexdigest()[:20]


def model_bytes(splits: Sequence[str] | None = None, folder=None, stacked: bool | None = None) -> bytes:
    """The CRF trained on the gold of ``splits`` (default :data:`zhnews.splits.TUNING`), from the cache
    (:mod:`zhnews.cache`, keyed by :func:`training_key`) or trained now and stored."""
    from zhnews.cache import cached
    from zhnews.splits import TUNING, may_tune_on

    splits = tuple(sorted(TUNING if splits is None else splits))
    stacked = STACKED if stacked is None else stacked
    if not all(may_tune_on(s) for s in splits):
        raise ValueError(f"the CRF is trained on tuning splits only, not {splits}")
    build = lambda: train(training_items(split_files(splits), split_gold(splits), stacked))  # noqa: E731
    return cached("entity-crf", build, key=training_key(splits, stacked), folder=folder)


class Tagger:
    """A crfsuite tagger of a model's bytes. It keeps the bytes: crfsuite reads the model in place, so they
    must outlive the tagger (freeing them early gives garbage labels or a crash)."""

    def __init__(self, model: bytes) -> None:
        import pycrfsuite

        self.model = bytes(model)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(self.model)

    def tag(self, features: list[list[str]]) -> list[str]:
        """The BIO tags of one sequence of feature lists."""
        return self._tagger.tag(features)


def open_tagger(model: bytes) -> Tagger:
    """A :class:`Tagger` of a model's bytes."""
    return Tagger(model)


@lru_cache(maxsize=1)
def tagger():
    """The tagger of the model trained on every tuning split: trained (or read) once per process."""
    return open_tagger(model_bytes())


def crf_mentions(article, rules: list[Mention] | None = None, model=None, stacked: bool | None = None) -> list[Mention]:
    """The CRF's mentions (method ``crf``) in the non-boilerplate paragraphs; ``model`` is a tagger (default
    :func:`tagger`). Linear in the text."""
    rules = rule_mentions(article) if rules is None else rules
    model = tagger() if model is None else model
    stacked = STACKED if stacked is None else stacked
    mentions = []
    for start, feats in article_sequences(article, rules, stacked):
        if feats:
            mentions += [Mention(a, b, t, "crf") for a, b, t in spans_from_bio(model.tag(feats), start)]
    return mentions


# ---------------------------------------------------------------------------------------------
# Combination


def union_preferring(first: list[Mention], second: list[Mention]) -> list[Mention]:
    """All of ``first`` and those of ``second`` that overlap none of ``first`` (bisection over ``first``'s
    starts with a running maximum of its ends: O(log n) per mention).

    >>> a, b = [Mention(0, 3, "ORG", "rule")], [Mention(1, 2, "LOC", "crf"), Mention(5, 7, "PER", "crf")]
    >>> [m.method for m in union_preferring(a, b)], [m.method for m in union_preferring(b, a)]
    (['rule', 'crf'], ['crf', 'crf'])
    """
    import bisect

    spans = sorted((m.start, m.end) for m in first)
    starts = [a for a, _ in spans]
    reach, top = [], -1
    for _, end in spans:
        top = max(top, end)
        reach.append(top)
    kept = []
    for m in second:
        i = bisect.bisect_left(starts, m.end) - 1  # the first-list spans starting before m ends
        if i < 0 or reach[i] <= m.start:
            kept.append(m)
    return list(first) + kept


def combine(rules: list[Mention], crf: list[Mention], option: str | None = None,
            per_type: dict[str, str] | None = None) -> list[Mention]:
    """The mentions of an option (:data:`OPTIONS`, default :data:`CHOSEN`) from the rules' and the CRF's mentions.

    >>> r, c = [Mention(0, 2, "LOC", "r")], [Mention(0, 4, "ORG", "c"), Mention(6, 8, "PER", "c")]
    >>> [(m.type, m.method) for m in combine(r, c, "per-type", {"LOC": "rules", "ORG": "crf", "PER": "rules"})]
    [('LOC', 'r')]
    """
    option = CHOSEN if option is None else option
    if option == "rules":
        return list(rules)
    if option == "crf":
        return list(crf)
    if option == "union-rules":
        return union_preferring(rules, crf)
    if option == "union-crf":
        return union_preferring(crf, rules)
    if option == "per-type":
        source = PER_TYPE_SOURCE if per_type is None else per_type
        from_rules = [m for m in rules if source.get(m.type, "rules") == "rules"]
        from_crf = [m for m in crf if source.get(m.type, "rules") == "crf"]
        return union_preferring(from_rules, from_crf)
    raise ValueError(f"unknown option {option!r}; expected one of {', '.join(OPTIONS)}")


# ---------------------------------------------------------------------------------------------
# Leave-one-split-out


def mention_set(article, mentions: list[Mention]) -> set[tuple[str, str]]:
    """Distinct (surface, type) of resolved mentions outside boilerplate paragraphs (as the scoring of
    :func:`zhnews.genre_entities.predicted_set`)."""
    from zhnews.entities import resolve

    boiler = [(p.start, p.end) for p in article.paragraphs if p.role == "boilerplate"]
    return {(article.raw[m.start:m.end], m.type) for m in resolve(mentions)
            if not any(a <= m.start < b for a, b in boiler)}


def fold_training_splits(scored: str, splits: Sequence[str] | None = None) -> tuple[str, ...]:
    """The splits a fold trains on: every tuning split but the scored one.

    >>> fold_training_splits("test2", ("dev", "test", "test2", "test3"))
    ('dev', 'test', 'test3')
    """
    from zhnews.splits import TUNING

    return tuple(s for s in (TUNING if splits is None else splits) if s != scored)


def fold_predictions(scored: str, splits: Sequence[str] | None = None, folder=None, stacked: bool | None = None):
    """For one fold: ``[(article, gold set, rules' mentions, CRF mentions)]`` of the scored split's articles,
    the CRF trained on the other splits only (cached like :func:`model_bytes`)."""
    from zhnews.genre_entities import corpus_gold
    from zhnews.paths import CORPUS
    from zhnews.reading import load

    training = fold_training_splits(scored, splits)
    if scored in training:  # pragma: no cover - guarded by fold_training_splits
        raise AssertionError("a fold never trains on its scored split")
    stacked = STACKED if stacked is None else stacked
    model = open_tagger(model_bytes(training, folder=folder, stacked=stacked))
    out = []
    for f, gold in sorted(corpus_gold(scored).items()):
        article = load(CORPUS / f)
        rules = rule_mentions(article)
        out.append((article, gold, rules, crf_mentions(article, rules, model, stacked)))
    return out


def leave_one_split_out(option: str, splits: Sequence[str] | None = None, folder=None,
                        per_type: dict[str, str] | None = None, stacked: bool | None = None) -> pd.DataFrame:
    """Typed set scores of an option, each tuning split scored by a CRF trained on the other three:
    ``split, type, precision, recall, f1`` (types: each type, ``PER+LOC+ORG`` and ``all``), plus a ``mean``
    row per type (mean of the splits' figures)."""
    from zhnews.genre_entities import score_sets
    from zhnews.splits import TUNING

    splits = tuple(TUNING if splits is None else splits)
    frames = []
    for scored in splits:
        pairs = [(mention_set(a, combine(r, c, option, per_type)), g) for a, g, r, c in _fold_cache(scored, splits, folder, STACKED if stacked is None else stacked)]
        table = score_sets(pairs, n_resamples=1)[["type", "precision", "recall", "f1"]]
        frames.append(table.assign(split=scored))
    scores = pd.concat(frames, ignore_index=True)
    mean = scores.groupby("type", sort=False)[["precision", "recall", "f1"]].mean().reset_index().assign(split="mean")
    return pd.concat([scores, mean], ignore_index=True)[["split", "type", "precision", "recall", "f1"]]


_FOLDS: dict[tuple, list] = {}


def _fold_cache(scored: str, splits: tuple[str, ...], folder, stacked: bool) -> list:
    """:func:`fold_predictions`, kept per process (every option scores the same predictions)."""
    key = (scored, splits, str(folder), stacked)
    if key not in _FOLDS:
        _FOLDS[key] = fold_predictions(scored, splits, folder, stacked)
    return _FOLDS[key]
