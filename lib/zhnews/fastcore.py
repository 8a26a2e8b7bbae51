"""A fast core with SnowNLP's exact output: its segmenter, POS tagger and sentiment score, re-implemented.

SnowNLP (0.12.3) is the package's default segmenter, tagger and one sentiment method, but it segments only
6,000–11,000 characters a second (measured here): its Viterbi keeps a whole copy of each path in every
state (quadratic per sentence) and calls a Python function per state and character. This module reads SnowNLP's **own model
files** (``seg/seg.marshal.3``, ``tag/tag.marshal.3``, ``sentiment/sentiment.marshal.3``,
``normal/stopwords.txt``; once per process, without importing SnowNLP) and computes the same thing faster:

* :func:`segment` / :func:`segment_many` — the character-based generative model of ``snownlp/seg``
  (a trigram over ``(character, b/m/e/s)`` pairs with TnT's linear interpolation; Wang, Zong & Su 2009,
  ACL Anthology Y09-2047, the name of SnowNLP's module).
  Unigram and bigram log-probabilities are tables computed at load time; trigrams are looked up in
  SnowNLP's own dict only where both of their bigrams were seen, or, once a process has segmented
  :data:`INDEX_AFTER_CHARS` characters, in a sorted index of all 928,492 of them (:func:`trigram_index`).
  Every logarithm is ``math.log``, the very function SnowNLP calls, so every value is bit-identical
  (numpy's SIMD ``log`` differs in the last bit for about 1 value in 10,000 and is never used). The
  Viterbi runs with numpy arrays of 4×4 states and back-pointers, all character runs of a batch in
  lockstep: linear in the length of a sentence.
* :func:`tag` — the TnT trigram HMM of ``snownlp/tag`` (beam of 1,000 states), with back-pointers
  instead of path copies; large steps (unknown words) are done with numpy.
* :func:`sentiment` — the naive Bayes of ``snownlp/sentiment`` on :func:`segment`'s words minus
  SnowNLP's stop words.

**Identical output** is the contract, not an approximation. Everything SnowNLP's output depends on is
reproduced: the order of floating-point additions (``score + log_prob``, ``uni + bi + tri``), strict ``>``
so that the first candidate wins a tie, the order in which SnowNLP's dictionaries and sets are filled
(the iteration order of the tagger's tag sets comes from the same marshal data, so it matches within a
process for any ``PYTHONHASHSEED``), the characters the model never saw (their score is carried over from
the *last* predecessor, as SnowNLP's dictionary overwrite does), the beam's stable ordering, and the
handling of non-Chinese text (``[\\u4E00-\\u9FA5]+`` runs go to the model, the rest is split on
whitespace; the tags of SnowNLP's ``Seg.seg`` become words the way it groups them). Sentiment scores are
equal to the last bit (the tests compare with ``==``).

Public API: :func:`segment`, :func:`segment_many`, :func:`tag`, :func:`sentiment`, :func:`sentiment_many`,
:func:`sentiment_of_words`; the models: :func:`seg_model`, :func:`trigram_index`, :func:`tag_model`,
:func:`sentiment_model` (each loaded once per process). Building them from SnowNLP's files takes about 1.5 s,
2.5 s, 0.1 s and 0.02 s here (against about 1.2–1.6 s for ``import snownlp``, which loads all three); they are
built once per machine and kept as prepared files by :mod:`zhnews.cache` (keyed by the model file's size and
time, the Python, numpy and package versions and :data:`PREPARED_VERSION`), from which a process reads them in
about 0.05 s, 0.02 s, 0.03 s and 0.01 s. The trigram index is then used from the first character
(:data:`PREPARED_INDEX`); SnowNLP's trigram dict is read only to build it. The cyclic garbage collector is
paused while they load and what is alive is then frozen, as ``zhnews.annotate.import_snownlp`` does.
Speed: ``benchmarks/bench_fastcore.py``.

Differences: SnowNLP's ``SnowNLP("").sentiments`` raises ``ZeroDivisionError`` (in its BM25, not in the
classifier); :func:`sentiment` returns what SnowNLP's classifier gives for no words, as
``snownlp.sentiment.classify("")`` does. :func:`tag` of an empty list is ``[]`` (SnowNLP raises
``NameError``).
"""

from __future__ import annotations

import codecs
import gc
import gzip
import importlib.util
import marshal
import math
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

#: SnowNLP splits text into runs of these characters (its ``re_zh``); only they go to the model.
HAN_RUN = re.compile("([\u4E00-\u9FA5]+)")
_FIRST, _LAST = 0x4E00, 0x9FA5
#: Segmentation tags in SnowNLP's order (its ``status``); the sentence start ``BOS`` shares index 0.
SEG_TAGS = ("b", "m", "e", "s")
#: Characters of Chinese runs processed per numpy batch by :func:`segment_many`.
BATCH_CHARS = 1 << 15
#: Tagger steps with more candidate pairs than this use numpy; smaller ones use plain Python.
TAG_NUMPY_ABOVE = 128
#: Version of the code that prepares the models for :mod:`zhnews.cache`: bump it when a ``build_*`` function
#: or a model's fields change, so that prepared files of the old code are not reused.
PREPARED_VERSION = "1"
#: Use the trigram index from the start whenever it is prepared (:func:`trigram_index`; read from the cache in
#: milliseconds). ``False`` restores the lookups in SnowNLP's dict for a process's first
#: :data:`INDEX_AFTER_CHARS` characters (the benchmark compares both; the results are the same).
PREPARED_INDEX = True


def snownlp_dir() -> Path:
    """The folder of the installed SnowNLP package, found without importing it (which loads its models)."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("snownlp is not installed")
    return Path(list(spec.submodule_search_locations)[0])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a model loads, then freeze what is alive (as
    ``zhnews.annotate.import_snownlp`` does for SnowNLP): the models are millions of small permanent objects
    that every collection would otherwise walk again (loading is 2–3 times faster, the first collection after
    it 0.4 s shorter)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _load_marshal(path: Path) -> dict:
    """SnowNLP's ``load``: a gzipped marshal dump (``.3`` for Python 3), plain marshal as a fallback."""
    data = path.read_bytes()
    try:
        return marshal.loads(gzip.decompress(data))
    except OSError:
        return marshal.loads(data)


def _logs(values: np.ndarray) -> np.ndarray:
    """``math.log`` of each value (``-inf`` for 0), exactly as SnowNLP computes it, as a float64 array."""
    log = math.log
    return np.array([log(v) if v else -math.inf for v in values.tolist()], dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# 1. Segmenter: SnowNLP's CharacterBasedGenerativeModel (snownlp/seg/y09_2047.py)


@dataclass(frozen=True)
class SegModel:
    """SnowNLP's segmentation model as lookup tables.

    ``code_to_id`` maps a code point of U+4E00..U+9FA5 to a character id (0 is the empty "character" of
    ``BOS``, 1 a character the model never saw); ``chars[id]`` is the character. ``found[id]``: the
    character has a non-zero unigram count under some tag. ``uni_value[id, t]`` is ``l1·P(c, t)`` and
    ``log_uni`` its log. Bigram tables are indexed by the sorted keys ``id₁·V + id₂``: ``bi_count`` and
    ``bi_value`` (``l2·count / count(c₁, t₁)``) per ``[k, t₁, t₂]``, and ``log_ub`` the log of ``uni + bi``
    (log of ``uni`` where the bigram count is 0). Trigrams stay in SnowNLP's dict ``tri``: they are looked
    up only where both bigrams were seen (:func:`_trigram_hits`; ``pairs[id·4 + t]`` is the key part
    ``(character, tag)``), or through :class:`TrigramIndex`. ``tri`` is read on first use only
    (``tri_loader``): a model prepared by :mod:`zhnews.cache` works through the index and never needs it.
    """

    size: int
    chars: tuple[str, ...]
    code_to_id: np.ndarray
    found: np.ndarray
    uni_value: np.ndarray
    log_uni: np.ndarray
    pair_keys: np.ndarray
    bi_count: np.ndarray
    bi_value: np.ndarray
    log_ub: np.ndarray
    l3: float
    tri_loader: Callable[[], dict] = field(repr=False, compare=False)
    pairs: tuple[tuple[str, str], ...] = field(repr=False, compare=False)

    @property
    def tri(self) -> dict:
        """SnowNLP's trigram counts ``{((c, t), (c, t), (c, t)): n}`` (loaded from its model file on first use)."""
        return self.tri_loader()


@dataclass(frozen=True)
class TrigramIndex:
    """Every trigram of the model as arrays: sorted keys ``(id₁·V + id₂)·V + id₃``, and for each key a range
    ``start[k]:start[k+1]`` of ``(cell = t₁·16 + t₂·4 + t₃, value = log(uni + bi + tri))``."""

    keys: np.ndarray
    start: np.ndarray
    cell: np.ndarray
    value: np.ndarray


def _columns(counts: dict, code: dict, order: int) -> np.ndarray:
    """An n-gram count dict ``{((c, t), ...): n}`` as columns ``id₁, t₁, …, id_order, t_order, n`` (C-speed maps)."""
    n = len(counts)
    keys = list(counts)
    columns = []
    for position in range(order):
        coded = np.fromiter(map(code.__getitem__, map(itemgetter(position), keys)), dtype=np.int64, count=n)
        columns += [coded // 4, coded % 4]
    columns.append(np.fromiter(counts.values(), dtype=np.int64, count=n))
    return np.stack(columns, axis=1)


_TAG_INDEX = {"b": 0, "m": 1, "e": 2, "s": 3, "BOS": 0}


def _div(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """SnowNLP's ``div``: ``numerator / denominator``, 0 where the denominator is 0."""
    return np.where(denominator != 0, numerator / np.where(denominator != 0, denominator, 1), 0.0)


def build_seg_model(data: dict) -> SegModel:
    """Tables of :class:`SegModel` from SnowNLP's unmarshalled segmentation model ``data``.

    Every probability is computed with the operations, operands and order of SnowNLP's ``log_prob``:
    ``l1 * (count / total)`` + ``(l2 * count) / count`` + ``(l3 * count) / count``, then ``math.log``.
    """
    l1, l2 = data["l1"], data["l2"]
    uni, bi = data["uni"]["d"], data["bi"]["d"]
    chars = sorted({c for c, _ in uni} - {""})
    ids = {"": 0} | {c: i + 2 for i, c in enumerate(chars)}
    size = len(chars) + 2
    counts = np.zeros((size, 4), dtype=np.float64)
    for (c, t), n in uni.items():
        counts[ids[c], _TAG_INDEX[t]] = n
    uni_value = l1 * (counts / data["uni"]["total"])
    found = (counts != 0).any(axis=1)
    found[0] = False
    log_uni = _logs(uni_value.ravel()).reshape(size, 4)

    # bigrams: ((c1, t1), (c2, t2)) -> count
    code = {(c, t): ids[c] * 4 + _TAG_INDEX[t] for c, t in uni}  # every (char, tag) of the model
    b = _columns(bi, code, 2)
    pair_keys, b_slot = np.unique(b[:, 0] * size + b[:, 2], return_inverse=True)
    denominator = counts[b[:, 0], b[:, 1]]
    b_value = _div(l2 * b[:, 4].astype(np.float64), denominator)
    bi_value = np.zeros((len(pair_keys), 4, 4))
    bi_value[b_slot, b[:, 1], b[:, 3]] = b_value
    bi_count = np.zeros((len(pair_keys), 4, 4))
    bi_count[b_slot, b[:, 1], b[:, 3]] = b[:, 4]
    log_ub = np.broadcast_to(log_uni[pair_keys % size][:, None, :], (len(pair_keys), 4, 4)).copy()
    log_ub[b_slot, b[:, 1], b[:, 3]] = _logs(uni_value[b[:, 2], b[:, 3]] + b_value)

    code_to_id = np.ones(_LAST - _FIRST + 1, dtype=np.int64)
    for c, i in ids.items():
        if len(c) == 1 and _FIRST <= ord(c) <= _LAST:
            code_to_id[ord(c) - _FIRST] = i
    return SegModel(
        size=size, chars=("", "") + tuple(chars), code_to_id=code_to_id, found=found, uni_value=uni_value,
        log_uni=log_uni, pair_keys=pair_keys, bi_count=bi_count, bi_value=bi_value, log_ub=log_ub,
        l3=data["l3"], tri_loader=_constant(data["tri"]["d"]), pairs=_pairs(("", "") + tuple(chars)),
    )


def _constant(value: dict) -> Callable[[], dict]:
    return lambda: value


def _pairs(chars: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``(character, tag)`` by ``id·4 + tag`` (id 0 is ``BOS``)."""
    return tuple(("", "BOS") if i == 0 else (c, t) for i, c in enumerate(chars) for t in SEG_TAGS)


def _seg_path() -> Path:
    return snownlp_dir() / "seg" / "seg.marshal.3"


@lru_cache(maxsize=1)
def _seg_trigrams() -> dict:
    """SnowNLP's trigram dict, read from ``seg.marshal.3`` (only to build the index or the dict lookups)."""
    with _collector_paused():
        return _load_marshal(_seg_path())["tri"]["d"]


_ARRAY_FIELDS = ("size", "chars", "code_to_id", "found", "uni_value", "log_uni", "pair_keys", "bi_count", "bi_value",
                 "log_ub", "l3")


def _dump_seg(model: SegModel) -> dict:
    """What :mod:`zhnews.cache` stores of a :class:`SegModel`: its tables, not SnowNLP's trigram dict; the
    bigram counts (whole numbers) in the smallest integer type that holds them exactly."""
    stored = {name: getattr(model, name) for name in _ARRAY_FIELDS}
    counts = model.bi_count
    compact = counts.astype(np.min_scalar_type(int(counts.max()) if counts.size else 0))
    if np.array_equal(compact.astype(np.float64), counts):
        stored["bi_count"] = compact
    return stored


def _load_seg(stored: dict) -> SegModel:
    tables = dict(stored, bi_count=np.asarray(stored["bi_count"], dtype=np.float64))
    return SegModel(**tables, tri_loader=_seg_trigrams, pairs=_pairs(stored["chars"]))


def _prepared_parts() -> list[str]:
    """Key parts of every prepared model: this module's :data:`PREPARED_VERSION` and numpy's version."""
    return [PREPARED_VERSION, np.__version__]


def _trigram_sums(model: SegModel, slot12: np.ndarray, slot23: np.ndarray, t1: np.ndarray, t2: np.ndarray,
                  t3: np.ndarray, third: np.ndarray, count: np.ndarray) -> np.ndarray:
    """``uni + bi + tri`` of trigrams (SnowNLP's order of additions); ``slot12 < 0``: bigram 1-2 unseen."""
    last = max(len(model.pair_keys) - 1, 0)
    denominator = np.where(slot12 >= 0, model.bi_count[np.clip(slot12, 0, last), t1, t2], 0.0)
    tri = _div(model.l3 * count.astype(np.float64), denominator)
    bi = np.where(slot23 >= 0, model.bi_value[np.clip(slot23, 0, last), t2, t3], 0.0)
    return (model.uni_value[third, t3] + bi) + tri


def build_trigram_index(model: SegModel) -> TrigramIndex:
    """:class:`TrigramIndex` of every trigram in ``model.tri`` (about 2 s: one pass over 928,492 keys)."""
    size = model.size
    code = {(c, t): i * 4 + _TAG_INDEX[t] for i, c in enumerate(model.chars) if i != 1 for t in _TAG_INDEX}
    t = _columns(model.tri, code, 3)
    slot12 = _lookup(model.pair_keys, t[:, 0] * size + t[:, 2])
    slot23 = _lookup(model.pair_keys, t[:, 2] * size + t[:, 4])
    sums = _trigram_sums(model, slot12, slot23, t[:, 1], t[:, 3], t[:, 5], t[:, 4], t[:, 6])
    key = (t[:, 0] * size + t[:, 2]) * size + t[:, 4]
    order = np.argsort(key, kind="stable")
    keys, start = np.unique(key[order], return_index=True)
    return TrigramIndex(keys=keys, start=np.append(start, len(key)),
                        cell=(t[:, 1] * 16 + t[:, 3] * 4 + t[:, 5])[order], value=_logs(sums[order]))


def _build_seg() -> SegModel:
    with _collector_paused():
        return build_seg_model(_load_marshal(_seg_path()))


@lru_cache(maxsize=1)
def seg_model() -> SegModel:
    """SnowNLP's segmentation model, once per process: its tables prepared from ``seg.marshal.3`` and kept
    in :mod:`zhnews.cache` (building them takes about 1.5 s, reading them some 0.05 s)."""
    from zhnews.cache import cached

    with _collector_paused():
        return cached("snownlp-seg", _build_seg, sources=[_seg_path()], parts=_prepared_parts(),
                      dump=_dump_seg, load=_load_seg)


def _build_index() -> TrigramIndex:
    model = seg_model()
    with _collector_paused():
        return build_trigram_index(model)


@lru_cache(maxsize=1)
def trigram_index() -> TrigramIndex:
    """:func:`build_trigram_index` of :func:`seg_model`, once per process, kept in :mod:`zhnews.cache`
    (built once in about 2.5 s, then read in some 0.05 s)."""
    from zhnews.cache import cached

    with _collector_paused():
        return cached("snownlp-seg-trigrams", _build_index, sources=[_seg_path()], parts=_prepared_parts())


#: With :data:`PREPARED_INDEX` off: after this many characters segmented in a process, :func:`trigram_index` is
#: built and used from then on (it costs about 2 s, what the one-by-one lookups cost over roughly this many
#: characters: a ski-rental rule; call :func:`trigram_index` first to use it from the start). Before, trigrams
#: are looked up in SnowNLP's dict one by one. Both ways give the same tables (tested).
INDEX_AFTER_CHARS = 500_000
_segmented = [0]


def _lookup(keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Index of each ``query`` in the sorted ``keys``, or -1."""
    if not len(keys):
        return np.full(len(query), -1)
    where = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[where] == query, where, -1)


def _trigram_hits(model: SegModel, keys: np.ndarray,
                  index: TrigramIndex | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(row, cell, value)`` for every seen trigram of the sorted unique ``keys``: from ``index`` if given,
    otherwise by looking up SnowNLP's dict where both bigrams were seen (a trigram implies its bigrams)."""
    if index is not None:
        found = _lookup(index.keys, keys)
        hit = np.flatnonzero(found >= 0)
        begin, end = index.start[found[hit]], index.start[found[hit] + 1]
        lengths = end - begin
        entries = np.repeat(begin - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return np.repeat(hit, lengths), index.cell[entries], index.value[entries]
    size = model.size
    first, second, third = keys // (size * size), keys // size % size, keys % size
    slot12 = _lookup(model.pair_keys, first * size + second)
    slot23 = _lookup(model.pair_keys, second * size + third)
    both = np.flatnonzero((slot12 >= 0) & (slot23 >= 0))
    seen = (model.bi_count[slot12[both]] > 0)[:, :, :, None] & (model.bi_count[slot23[both]] > 0)[:, None, :, :]
    k, t1, t2, t3 = np.nonzero(seen)
    rows = both[k]
    pair = model.pairs  # (character, tag) tuples by id·4 + tag
    queries = zip(map(pair.__getitem__, (first[rows] * 4 + t1).tolist()),
                  map(pair.__getitem__, (second[rows] * 4 + t2).tolist()),
                  map(pair.__getitem__, (third[rows] * 4 + t3).tolist()))
    count = np.fromiter(map(model.tri.get, queries, repeat(0)), dtype=np.int64, count=len(rows))
    hit = count > 0
    rows, t1, t2, t3, count = rows[hit], t1[hit], t2[hit], t3[hit], count[hit]
    sums = _trigram_sums(model, slot12[rows], slot23[rows], t1, t2, t3, third[rows], count)
    return rows, t1 * 16 + t2 * 4 + t3, _logs(sums)


def _log_probs(model: SegModel, ids: np.ndarray, at_start: np.ndarray, index: TrigramIndex | None = None) -> np.ndarray:
    """``L[i, t₁, t₂, t₃]``: SnowNLP's ``log_prob`` of character ``i`` with tag ``t₃`` after tags ``t₁, t₂``.

    ``at_start[i]`` is the position of ``i`` in its run (capped at 2): before a run come two ``BOS``
    (character id 0, tag index 0).
    """
    n, size = len(ids), model.size
    prev1 = np.where(at_start >= 1, np.roll(ids, 1), 0)
    prev2 = np.where(at_start >= 2, np.roll(ids, 2), 0)
    pair = _lookup(model.pair_keys, prev1 * size + ids)
    ub = np.where((pair >= 0)[:, None, None], model.log_ub[np.maximum(pair, 0)], model.log_uni[ids][:, None, :])
    table = np.broadcast_to(ub[:, None, :, :], (n, 4, 4, 4)).reshape(n, 64).copy()
    keys, where = np.unique((prev2 * size + prev1) * size + ids, return_inverse=True)
    rows, cells, values = _trigram_hits(model, keys, index)
    if len(rows):
        # positions of each unique key, grouped: every hit of key k goes to every position of k
        by_key = np.argsort(where, kind="stable")
        first = np.searchsorted(where[by_key], np.arange(len(keys) + 1))
        per_key = np.diff(first)[rows]
        at = np.repeat(first[rows] - np.cumsum(per_key) + per_key, per_key) + np.arange(per_key.sum())
        table[by_key[at], np.repeat(cells, per_key)] = np.repeat(values, per_key)
    return table.reshape(n, 4, 4, 4)


def _viterbi(model: SegModel, text: str, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """b/m/e/s tag indices of every character of ``text``, a concatenation of Chinese runs at ``starts``.

    All runs advance together, one character per step (runs sorted longest first, so the runs still
    going are a prefix). States are ``(t_prev, t)``: 4×4 scores per run; absent states (before the
    second character) are ``-inf`` at indices ≥ 1, so that SnowNLP's first-wins ties pick the real one.
    """
    n = len(text)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    ids = model.code_to_id[codes - _FIRST]
    offset = np.arange(n) - np.repeat(starts, lengths)
    _segmented[0] += n
    built = trigram_index.cache_info().currsize > 0
    index = trigram_index() if PREPARED_INDEX or built or _segmented[0] > INDEX_AFTER_CHARS else None
    table = _log_probs(model, ids, np.minimum(offset, 2), index)
    found = model.found[ids]
    order = np.argsort(-lengths, kind="stable")
    first, length = starts[order], lengths[order]
    runs, steps = len(order), int(length[0])
    still = np.searchsorted(-length, -np.arange(steps + 1), side="left")  # runs with length > j
    # step-major order: the characters of step j (of the runs still going, longest first) are contiguous
    block = np.concatenate(([0], np.cumsum(still[:-1])))
    rank = np.empty(runs, dtype=np.int64)
    rank[order] = np.arange(runs)
    run_of = np.repeat(np.arange(runs), lengths)
    where = block[offset] + rank[run_of]  # position of each character in step-major order
    sorted_table = np.empty_like(table)
    sorted_table[where] = table
    unseen_steps = set(offset[~found].tolist())
    sorted_found = np.empty(n, dtype=bool)
    sorted_found[where] = found
    sorted_back = np.empty((n, 4, 4), dtype=np.int64)
    scores = np.full((runs, 4, 4), -np.inf)
    scores[:, 0, 0] = 0.0
    final = np.empty((runs, 4, 4))
    for j in range(steps):
        going, active, lo = still[j], still[j + 1], block[j]
        if going < len(scores):
            scores = scores[:going]
        candidates = sorted_table[lo:lo + going] + scores[:, :, :, None]  # score + log_prob
        best = candidates.argmax(axis=1)  # the first maximum: SnowNLP's strict ">"
        new = candidates.max(axis=1)
        if j in unseen_steps:
            unseen = ~sorted_found[lo:lo + going]
            # SnowNLP overwrites stage[(prev, (w, s))] with each predecessor in turn: the last one stays
            last = 0 if j < 2 else 3
            new[unseen] = scores[unseen, last, :, None]
            best[unseen] = last
        sorted_back[lo:lo + going] = best
        scores = new
        if active < going:
            final[active:going] = scores[active:going]
    back = sorted_back[where]
    flat = final.transpose(0, 2, 1).reshape(runs, 16).argmax(axis=1)  # SnowNLP's state order: t outer
    last_at = first + length - 1
    if runs < 8:  # few runs: a plain loop is faster than numpy steps
        tags_list = [0] * n
        back_list = back.tolist()
        for r in range(runs):
            end = int(last_at[r])
            tags_list[end] = int(flat[r]) // 4
            if length[r] >= 2:
                tags_list[end - 1] = int(flat[r]) % 4
            for k in range(end, end - int(length[r]) + 2, -1):
                tags_list[k - 2] = back_list[k][tags_list[k - 1]][tags_list[k]]
        return np.array(tags_list, dtype=np.int64)
    tags = np.zeros(n, dtype=np.int64)
    tags[last_at] = flat // 4
    two = length >= 2
    tags[last_at[two] - 1] = (flat % 4)[two]
    for j in range(steps - 2):
        going = still[j + 2]
        at = last_at[:going] - j
        tags[at - 2] = back[at, tags[at - 1], tags[at]]
    return tags


def _words(text: str, starts: np.ndarray, lengths: np.ndarray, tags: np.ndarray) -> list[list[str]]:
    """Words of each run from its b/m/e/s tags, as SnowNLP's ``Seg.seg`` groups them."""
    n = len(text)
    begins = np.zeros(n, dtype=bool)
    begins[starts] = True
    begins |= (tags == 0) | (tags == 3)
    begins[1:] |= tags[:-1] == 2
    cuts = np.flatnonzero(begins).tolist() + [n]
    words = [text[a:b] for a, b in zip(cuts, cuts[1:])]
    first_word = np.searchsorted(cuts, starts).tolist() + [len(words)]
    return [words[a:b] for a, b in zip(first_word, first_word[1:])]


def _segment_runs(runs: Sequence[str]) -> list[list[str]]:
    """The words of each Chinese run (``[\\u4E00-\\u9FA5]+``), batch by batch."""
    model = seg_model()
    out: list[list[str]] = []
    i = 0
    while i < len(runs):
        j, total = i, 0
        while j < len(runs) and (j == i or total + len(runs[j]) <= BATCH_CHARS):
            total += len(runs[j])
            j += 1
        batch = runs[i:j]
        lengths = np.array([len(r) for r in batch], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        text = "".join(batch)
        out.extend(_words(text, starts, lengths, _viterbi(model, text, starts, lengths)))
        i = j
    return out


def _pieces(text: str) -> list[str | list[str]]:
    """SnowNLP's ``seg.seg`` loop: a Chinese run as a ``str`` (to segment), other text split on whitespace."""
    pieces: list[str | list[str]] = []
    for s in HAN_RUN.split(text):
        s = s.strip()
        if not s:
            continue
        if HAN_RUN.match(s):
            pieces.append(s)
        else:
            pieces.append([w for w in (word.strip() for word in s.split()) if w])
    return pieces


def segment_many(texts: Iterable[str]) -> list[list[str]]:
    """SnowNLP's words (``snownlp.seg.seg``) for each text, all texts' Chinese runs batched together.

    >>> segment_many(["", "  ", "法治建设", "GDP 增长7.5%"])
    [[], [], ['法治', '建设'], ['GDP', '增长', '7.5%']]
    """
    parsed = [_pieces(text) for text in texts]
    runs = [p for pieces in parsed for p in pieces if isinstance(p, str)]
    cut = iter(_segment_runs(runs))
    result = []
    for pieces in parsed:
        words: list[str] = []
        for p in pieces:
            words.extend(next(cut) if isinstance(p, str) else p)
        result.append(words)
    return result


def segment(text: str) -> list[str]:
    """SnowNLP's words for ``text`` (``snownlp.seg.seg(text)``, identical output, linear time).

    >>> segment("党的十八大以来，党中央高度重视法治建设。")  # 十八大 is joined by zhnews's lexicon, not here
    ['党', '的', '十', '八大', '以来', '，', '党中央', '高度', '重视', '法治', '建设', '。']
    """
    return segment_many([text])[0]


# ---------------------------------------------------------------------------------------------
# 2. POS tagger: SnowNLP's TnT (snownlp/utils/tnt.py), model snownlp/tag/tag.marshal.3


@dataclass(frozen=True)
class TagModel:
    """SnowNLP's TnT tagger: its tags in the iteration order of its ``status`` set (index ``len`` = BOS),
    the words' tag sets (as tuples of indices in their sets' iteration order), SnowNLP's transition
    log-probabilities ``trans`` as an array ``[t₁, t₂, t₃]`` and as nested lists, the counts for the
    emission scores, and the end score ``geteos`` of each tag."""

    tags: tuple[str, ...]
    index: dict[str, int]
    word_tags: dict[str, tuple[int, ...]]
    trans_array: np.ndarray
    trans_lists: list
    wd: dict[tuple[str, str], int]
    wd_none: int
    log_uni: tuple[float, ...]
    eos: tuple[float, ...]
    beam: int


def build_tag_model(data: dict) -> TagModel:
    """:class:`TagModel` from SnowNLP's unmarshalled ``tag.marshal.3`` (its ``TnT.load``)."""
    tags = tuple(set(data["status"]))  # TnT.load: set(list) -> the same iteration order as SnowNLP's
    index = {t: i for i, t in enumerate(tags)} | {"BOS": len(tags)}
    trans = data["trans"]
    array = np.full((len(tags) + 1, len(tags) + 1, len(tags)), -np.inf)
    for (a, b, c), value in trans.items():
        array[index[a], index[b], index[c]] = value
    uni, eos, eosd = data["uni"], data["eos"], data["eosd"]

    def end(tag: str) -> float:  # TnT.geteos
        if tag not in eosd["d"]:
            return math.log(1.0 / len(tags))
        return math.log(eos["d"].get((tag, "EOS"), eos["none"])) - math.log(eosd["d"][tag])

    return TagModel(
        tags=tags, index=index,
        word_tags={w: tuple(index[t] for t in s) for w, s in data["word"].items()},
        trans_array=array, trans_lists=array.tolist(), wd=data["wd"]["d"], wd_none=data["wd"]["none"],
        log_uni=tuple(math.log(uni["d"].get(t, uni["none"])) for t in tags),
        eos=tuple(end(t) for t in tags), beam=data["N"],
    )


def _build_tag() -> TagModel:
    with _collector_paused():
        return build_tag_model(_load_marshal(snownlp_dir() / "tag" / "tag.marshal.3"))


def _dump_tag(model: TagModel) -> dict:
    return {f.name: getattr(model, f.name) for f in fields(model) if f.name != "trans_lists"}


def _load_tag(stored: dict) -> TagModel:
    return TagModel(**stored, trans_lists=stored["trans_array"].tolist())


@lru_cache(maxsize=1)
def tag_model() -> TagModel:
    """SnowNLP's POS model, from its ``tag.marshal.3``, once per process (kept in :mod:`zhnews.cache`).

    The order of the tag sets is the iteration order of Python sets in the process that built the model:
    it depends on string hashing, and SnowNLP's ties follow it. The prepared file is therefore used only
    when this process hashes without a random seed (``sys.flags.hash_randomization == 0``, i.e. started with
    ``PYTHONHASHSEED=0``, as every output of this package is made) and is keyed by a probe hash; otherwise
    the model is built from SnowNLP's file in each process, as SnowNLP does (about 0.1 s).
    """
    if sys.flags.hash_randomization:  # this process's set order is its own: nothing to share
        return _build_tag()
    from zhnews.cache import cached

    path = snownlp_dir() / "tag" / "tag.marshal.3"
    probe = hash("zhnews.fastcore tag-set order")
    with _collector_paused():
        return cached("snownlp-tag", _build_tag, sources=[path], parts=_prepared_parts() + [f"hash={probe}"],
                      dump=_dump_tag, load=_load_tag)


Stage = tuple  # (previous tags, tags, scores, back-pointers into the previous beam), lists or arrays


def _tag_step_python(model: TagModel, prev: Sequence[int], tag: Sequence[int], score: Sequence[float],
                     samples: Sequence[int], emission: Sequence[float]) -> Stage:
    """One step of ``TnT.tag`` as SnowNLP writes it (a dict of states, strict ``>``: the first maximum
    wins), with a back-pointer instead of a copy of the path. Returns the stage in insertion order."""
    trans = model.trans_lists
    stage: dict[tuple[int, int], tuple[float, int]] = {}
    for s, wd in zip(samples, emission):
        for k, (a, b, p0) in enumerate(zip(prev, tag, score)):
            p = p0 + wd + trans[a][b][s]
            old = stage.get((b, s))
            if old is None or p > old[0]:
                stage[(b, s)] = (p, k)
    keys = list(stage)
    values = list(stage.values())
    return ([b for b, _ in keys], [s for _, s in keys], [p for p, _ in values], [k for _, k in values])


def _tag_step_numpy(model: TagModel, prev: Sequence[int], tag: Sequence[int], score: Sequence[float],
                    samples: Sequence[int], emission: Sequence[float]) -> Stage:
    """The same step as :func:`_tag_step_python` with arrays (the large steps, after unknown words)."""
    prev_a, tag_a, score_a, s = np.asarray(prev), np.asarray(tag), np.asarray(score), np.asarray(samples)
    p = (score_a[None, :] + np.asarray(emission)[:, None]) + model.trans_array[prev_a[None, :], tag_a[None, :], s[:, None]]
    values, first = np.unique(tag_a, return_index=True)
    groups = values[np.argsort(first, kind="stable")]  # keys enter the stage in order of first appearance
    rank = np.empty(int(values.max()) + 1, dtype=np.int64)
    rank[groups] = np.arange(len(groups))
    member = rank[tag_a]
    ordered = np.lexsort((np.arange(len(tag_a)), member))  # by group, then by position in the beam
    sizes = np.bincount(member, minlength=len(groups))
    slot = np.arange(len(tag_a)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    grid = np.zeros((len(groups), int(sizes.max())), dtype=np.int64)
    valid = np.zeros_like(grid, dtype=bool)
    grid[member[ordered], slot] = ordered
    valid[member[ordered], slot] = True
    candidates = np.where(valid[None], p[:, grid], -np.inf)  # (samples, groups, members)
    best = candidates.argmax(axis=2)  # the first maximum: SnowNLP's strict ">"
    back = grid[np.arange(len(groups))[None, :], best]
    return (np.tile(groups, len(s)), np.repeat(s, len(groups)), candidates.max(axis=2).ravel(), back.ravel())


def tag(words: Sequence[str]) -> list[str]:
    """SnowNLP's part-of-speech tags of ``words`` (``snownlp.tag.tag``: TnT, People's Daily 1998 tag set).

    >>> tag(["法治", "建设"])
    ['n', 'vn']
    >>> tag([])
    []
    """
    if not len(words):
        return []
    model = tag_model()
    names, word_tags, wd, wd_none, log_uni = model.tags, model.word_tags, model.wd, model.wd_none, model.log_uni
    bos = len(names)
    prev, tags, score = [bos], [bos], [0.0]  # the beam, in SnowNLP's order
    history = []  # per step: the stage's tags, its back-pointers, and which of its states the beam kept
    every = tuple(range(len(names)))
    for w in words:
        samples = word_tags.get(w, every)
        emission = [math.log(wd.get((names[s], w), wd_none)) - log_uni[s] for s in samples]
        if len(samples) * len(tags) > TAG_NUMPY_ABOVE:
            s_prev, s_tag, s_score, s_back = _tag_step_numpy(model, prev, tags, score, samples, emission)
            # heapq.nlargest(N, stage) == sorted(stage, key=score, reverse=True)[:N]: stable, ties keep stage order
            keep = np.argsort(-s_score, kind="stable")[:model.beam]
            prev, tags, score = s_prev[keep], s_tag[keep], s_score[keep]
        else:
            if isinstance(tags, np.ndarray):
                prev, tags, score = prev.tolist(), tags.tolist(), score.tolist()
            s_prev, s_tag, s_score, s_back = _tag_step_python(model, prev, tags, score, samples, emission)
            keep = sorted(range(len(s_score)), key=s_score.__getitem__, reverse=True)[:model.beam]
            prev, tags, score = [s_prev[k] for k in keep], [s_tag[k] for k in keep], [s_score[k] for k in keep]
        history.append((s_tag, s_back, keep))
    # the end: the first maximum of score + eos over the last stage, unpruned and in insertion order
    if isinstance(s_score, np.ndarray):
        s_score, s_tag = s_score.tolist(), s_tag.tolist()
    end = [x + model.eos[t] for x, t in zip(s_score, s_tag)]
    entry = max(range(len(end)), key=end.__getitem__)
    path = []
    for i in range(len(history) - 1, -1, -1):
        s_tag, s_back, _ = history[i]
        path.append(names[int(s_tag[entry])])
        if i:
            entry = int(history[i - 1][2][int(s_back[entry])])
    return path[::-1]


# ---------------------------------------------------------------------------------------------
# 3. Sentiment: SnowNLP's naive Bayes (snownlp/classification/bayes.py, snownlp/sentiment)


@dataclass(frozen=True)
class SentimentModel:
    """SnowNLP's sentiment classifier: classes in the order of its dict, log priors, per-class log
    frequencies of seen words and of an unseen word (add-one: count 1), and its stop words."""

    classes: tuple[str, ...]
    prior: tuple[float, ...]
    log_freq: tuple[dict[str, float], ...]
    unseen: tuple[float, ...]
    stop: frozenset[str]


def build_sentiment_model(data: dict, stop_words: Iterable[str]) -> SentimentModel:
    """:class:`SentimentModel` from SnowNLP's unmarshalled ``sentiment.marshal.3`` (``Bayes.load``):
    ``log(getsum) - log(total)`` and ``log(float(count) / total)`` exactly as ``Bayes.classify`` writes them."""
    classes = tuple(data["d"])
    prior, log_freq, unseen = [], [], []
    for k in classes:
        counts = data["d"][k]
        prior.append(math.log(counts["total"]) - math.log(data["total"]))
        log_freq.append({w: math.log(float(n) / counts["total"]) for w, n in counts["d"].items()})
        unseen.append(math.log(float(counts["none"]) / counts["total"]))
    return SentimentModel(classes, tuple(prior), tuple(log_freq), tuple(unseen), frozenset(stop_words))


def _stop_words(path: Path) -> list[str]:
    """SnowNLP's stop words, read the way ``snownlp.normal`` reads them (``codecs`` lines, stripped)."""
    with codecs.open(str(path), "r", "utf-8") as lines:
        return [line.strip() for line in lines]


def _build_sentiment() -> SentimentModel:
    root = snownlp_dir()
    return build_sentiment_model(_load_marshal(root / "sentiment" / "sentiment.marshal.3"),
                                 _stop_words(root / "normal" / "stopwords.txt"))


@lru_cache(maxsize=1)
def sentiment_model() -> SentimentModel:
    """SnowNLP's sentiment model and stop words, once per process (kept in :mod:`zhnews.cache`)."""
    from zhnews.cache import cached

    root = snownlp_dir()
    with _collector_paused():
        return cached("snownlp-sentiment", _build_sentiment, parts=_prepared_parts(),
                      sources=[root / "sentiment" / "sentiment.marshal.3", root / "normal" / "stopwords.txt"])


def sentiment_of_words(words: Iterable[str]) -> float:
    """SnowNLP's probability of "positive" for segmented ``words`` (stop words are removed here)."""
    model = sentiment_model()
    kept = [w for w in words if w not in model.stop]
    tmp = []
    for prior, freq, unseen in zip(model.prior, model.log_freq, model.unseen):
        value = prior
        for w in kept:
            value += freq.get(w, unseen)
        tmp.append(value)
    ret, prob = None, 0
    for k, mine in zip(model.classes, tmp):
        now = 0
        try:
            for other in tmp:
                now += math.exp(other - mine)
            now = 1 / now
        except OverflowError:
            now = 0
        if now > prob:
            ret, prob = k, now
    return prob if ret == "pos" else 1 - prob


def sentiment(text: str) -> float:
    """SnowNLP's ``SnowNLP(text).sentiments``, equal to the last bit (``""``: the classifier's value for no words).

    >>> 0.0 <= sentiment("法治环境良好") <= 1.0
    True
    """
    return sentiment_of_words(segment(text))


def sentiment_many(texts: Iterable[str]) -> list[float]:
    """:func:`sentiment` of each text, the segmentation batched (:func:`segment_many`)."""
    return [sentiment_of_words(words) for words in segment_many(texts)]
