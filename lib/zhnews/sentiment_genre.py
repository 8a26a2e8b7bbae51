"""Sentence sentiment that transfers to the genre: revised rules, a character n-gram model, and their scores.

The seed-only genre rules (:mod:`zhnews.sentiment`) reach κ 0.43 on the seed but little on unseen articles of the
genre. This module adds, scored on the genre corpus (``data/corpus/``, gold ``gold/sentences.csv``):

1. **Revised rules** (``rules``): the seed's rules plus markers of recognition and reception (codebook G10),
   evaluations, achieved resolutions, resolved counts and citizens' problems (G11), completed measures (R2),
   remedies (R7) and category names (R8), read from ``data/lexicons/sentiment_markers.csv``
   (``marker, class, provenance, round``). Every marker cites the tuning sentence (``dev:<file>#<n>``,
   ``test:<file>#<n>`` or ``test2:<file>#<n>``) or seed sentence (``seed:sid=<n>``) that motivated it
   (:func:`marker_provenance`); a citation of any other split (``test4``) is refused. Rules version 2 adds
   completed-measure verbs and stops reading the genre's topic words (法律, 法治 …, codebook S.2) as positive
   evidence; version 3 (:data:`RULES_VERSION`) adds the round-3 markers (G20 coverage, rates and thanks, G10, R2,
   G11, R3) and reads a clause beginning with 实现 as an aim (:data:`CHAIN_AIM`).
2. **A supervised model** (``model``): logistic regression (``class_weight="balanced"``) on TF-IDF character
   1–3-grams, fitted on the seed and the tuning sentences only, once per process (:func:`fitted_model`).
3. **Their combination** (``rules_or_model``): ``pos`` when either says ``pos``, else ``neg`` when either says
   ``neg``, else ``neu``.
4. **A stacked model** (``stacked``, round 4): logistic regression on the character n-grams **plus** the rules'
   features (:func:`rule_features`: marker classes per clause, clause labels, the rules' label, the aspect cues
   了/已/将/要), so that it learns how far to trust each marker class; balanced class weights, ``C`` chosen inside
   the training splits only (:func:`select_stacked`). ``stacked_pos`` adds a ``pos`` threshold chosen the same way.

**Tuning discipline** (:mod:`zhnews.splits`). A :class:`Setting` names the splits rules may be fitted on, the
rules' version and how the method is picked; one per round of :data:`zhnews.splits.ROUNDS` (:data:`SETTINGS`,
:func:`round_setting`). :data:`CURRENT` (:data:`ROUND4`) tunes on ``dev``, ``test``, ``test2`` and ``test3``
(:data:`TUNING_SPLITS`) with the rules unchanged (version 3); every other split with gold rows (``test4`` once it
is annotated) is held out, refused by everything that fits or picks, and scored once, in aggregate, by
:func:`evaluate_corpus_sentiment`. :data:`ROUND1`–:data:`ROUND3` rerun the past rounds exactly (their rules
version, tuning splits, candidates, pick and held-out split): :func:`evaluate_round` computes their held-out κ
(test 0.501, test2 0.315, test3 0.342), nothing is typed.

**The pick.** Rounds 1–3 picked (:func:`pick_method`) by comparing the rules' *in-sample* κ on the tuning
sentences (their markers were written there) with the model's cross-validated κ — a comparison that favoured the
rules. From round 4 the pick (:func:`pick_loso`) reads :func:`leave_one_split_out`: each tuning split in turn is
unseen, the learned methods are fitted on the other three (their ``C`` and threshold chosen inside those), and the
rules — alone and as features — are the version written without reading that split (:func:`unseen_rules_version`:
v1 on test, v2 on test2, v3 on test3; the seed's rules, v0, on dev). The rules have no honest figure on dev, so
candidates are compared on their mean over test, test2 and test3 (``mean_common``).

**Alignment.** The gold was split into sentences by hand, the package splits by rule; gold sentences are matched to
package sentences by character overlap (:func:`align`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from zhnews import sentiment, splits
from zhnews.paths import CORPUS, LEXICONS, SEED
from zhnews.reading import Article, load_cached
from zhnews.text import count_han

LABELS = sentiment.LABELS
MARKERS = LEXICONS / "sentiment_markers.csv"
CORPUS_GOLD = CORPUS / "gold" / "sentences.csv"
#: Splits the rules, the markers and the model may be fitted on now (round 4: :data:`zhnews.splits.TUNING`).
TUNING_SPLITS = tuple(splits.TUNING)
#: Splits they were fitted on in round 1 (:data:`zhnews.splits.ROUND1_TUNING`).
ROUND1_TUNING = tuple(splits.ROUND1_TUNING)
#: Version of the revised rules: 1 as frozen after round 1, 2 with the round-2 changes (markers of round ≤ 2,
#: :data:`GENRE_VOCABULARY` not read as positive evidence), 3 with the round-3 markers (G20, G10, R2).
RULES_VERSION = 3
#: Marker classes: what a marker found in a clause does.
MARKER_CLASSES = ("recognition", "reception", "evaluation", "resolution", "resolved_count", "result", "problem", "remedy",
                  "aim", "measure", "category")
#: Classes whose marker makes a clause +1 by itself (unless an aim marker stands in it).
DIRECT_CLASSES = ("recognition", "reception", "evaluation", "resolution")
#: The genre's topic and political vocabulary (codebook S.2: its general positive colouring is not sentiment).
#: HowNet lists these as positive words; from rules version 2 they are not positive evidence of a clause.
GENRE_VOCABULARY = ("法律", "法制", "法治", "公平", "正义", "公平正义", "和谐", "稳定", "和谐稳定", "惠民")
#: From rules version 3: a clause that *begins* with 实现 (no subject of its own, no 了 or 已 after it) ends a chain
#: of measure verbs and states their aim (codebook R3: "实现… without 了 or 已, at the end of a chain of measure
#: verbs"); 某省实现…全覆盖, with its subject, and 实现了… are not aims (G20).
CHAIN_AIM = re.compile(r"[\W\d_]*实现(?!了)")
#: Methods compared from round 4: candidates for :func:`pick_loso` (the first three were the candidates of rounds
#: 1–3, :data:`PAST_CANDIDATES`; ``stacked`` and ``stacked_pos`` are :class:`StackedModel`); the others are the
#: old baselines.
CANDIDATES = ("rules", "model", "rules_or_model", "stacked", "stacked_pos")
#: The candidates of rounds 1–3 (picked by :func:`pick_method` on in-sample rules vs cross-validated model).
PAST_CANDIDATES = ("rules", "model", "rules_or_model")
BASELINES = ("genre", "snownlp", "lexicon")
#: Fixed seeds: the model, the cross-validation folds (GroupKFold is deterministic) and the bootstrap.
RANDOM_STATE = 0
BOOTSTRAP_SEED = 2017
CV_FOLDS = 4


@dataclass(frozen=True)
class Setting:
    """What the rules and the pick may see: ``tuning`` (the corpus splits fitted on and picked on), ``rules`` (the
    rules' version, :data:`RULES_VERSION`) and ``held_out`` (the splits scored once; ``None``: every split with gold
    rows that is not a tuning split)."""

    name: str
    tuning: tuple[str, ...]
    rules: int
    held_out: tuple[str, ...] | None = None
    selection: str = "tuning-cv"

    @property
    def candidates(self) -> tuple[str, ...]:
        """The methods the pick chooses among: :data:`PAST_CANDIDATES` (rounds 1–3), :data:`CANDIDATES` (``loso``)."""
        return CANDIDATES if self.selection == "loso" else PAST_CANDIDATES


def round_setting(number: int, rules: int | None = None) -> Setting:
    """The :class:`Setting` of round ``number`` of :data:`zhnews.splits.ROUNDS`: its tuning splits, its rules
    version (default: the round's number, the version frozen at the end of that round, but never above
    :data:`RULES_VERSION` — round 4 did not change the rules, so it reads version 3) and its held-out split.
    The current round's ``held_out`` is left ``None`` (every annotated split that is not tuned on). Rounds 1–3
    picked by ``tuning-cv`` (:func:`pick_method`), round 4 on by ``loso`` (:func:`pick_loso`).

    >>> round_setting(1)
    Setting(name='round 1', tuning=('dev',), rules=1, held_out=('test',), selection='tuning-cv')
    >>> round_setting(2).tuning, round_setting(2).held_out, round_setting(4).rules, round_setting(4).selection
    (('dev', 'test'), ('test2',), 3, 'loso')
    """
    for r in splits.ROUNDS:
        if r.number == number:
            current = r == splits.ROUNDS[-1]
            version = min(number, RULES_VERSION) if rules is None else rules
            return Setting(f"round {number}", tuple(r.tuning), version, None if current else (r.held_out,),
                           "loso" if number >= 4 else "tuning-cv")
    raise ValueError(f"unknown round {number}; rounds are {[r.number for r in splits.ROUNDS]}")


#: Round 1 as it was: rules version 1, tuned and picked on dev, scored on test.
ROUND1 = round_setting(1)
#: Round 2 as it was: rules version 2, tuned and picked on dev and test, scored on test2.
ROUND2 = round_setting(2)
#: Round 3 as it was: rules version 3, tuned and picked on dev, test and test2, scored on test3.
ROUND3 = round_setting(3)
#: Round 4 (now): rules version 3 (unchanged), learned methods fitted on dev, test, test2 and test3, the method
#: picked by leave-one-split-out (:func:`pick_loso`); every other annotated split (test4, once annotated) is held
#: out and refused by everything that fits or picks.
ROUND4 = round_setting(4)
CURRENT = ROUND4
#: Every round's setting, by number.
SETTINGS = {1: ROUND1, 2: ROUND2, 3: ROUND3, 4: ROUND4}


# ---------------------------------------------------------------------------------------------
# Data


def load_markers(path: str | Path = MARKERS) -> pd.DataFrame:
    """The genre markers: ``marker, class, provenance, round`` (one row per marker; ``round`` is the rules version
    that added it, 1 when the column is missing)."""
    table = pd.read_csv(path, keep_default_na=False)
    unknown = sorted(set(table["class"]) - set(MARKER_CLASSES))
    if unknown:
        raise ValueError(f"{Path(path).name}: unknown marker classes {unknown}")
    table["round"] = pd.to_numeric(table["round"]).astype(int) if "round" in table else 1
    return table


def manifest_splits() -> dict[str, str]:
    """file → split, from ``MANIFEST.csv``."""
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    return dict(zip(manifest["file"], manifest["split"]))


def load_corpus_gold(splits: Sequence[str] = TUNING_SPLITS) -> pd.DataFrame:
    """Gold sentences of the genre corpus, **only** of the given splits (default: the tuning splits). The split is
    taken from ``MANIFEST.csv``; rows of other splits are dropped before the table is returned."""
    split = manifest_splits()
    gold = pd.read_csv(CORPUS_GOLD, keep_default_na=False)
    gold = gold[gold["file"].map(split).isin(list(splits))].copy()
    gold["split"] = gold["file"].map(split)
    return gold.sort_values(["file", "n"]).reset_index(drop=True)


def annotated_splits() -> tuple[str, ...]:
    """The corpus splits that have gold sentence rows, in the manifest's order (no sentence is returned)."""
    split = manifest_splits()
    files = set(pd.read_csv(CORPUS_GOLD, keep_default_na=False, usecols=["file"])["file"])
    return tuple(dict.fromkeys(s for f, s in split.items() if f in files))


def held_out_splits(setting: Setting = CURRENT, available: Sequence[str] | None = None) -> tuple[str, ...]:
    """The splits ``setting`` scores once: its ``held_out`` if given, else every annotated split
    (``available``, default :func:`annotated_splits`) that is not a tuning split — none until ``test4`` is annotated.

    >>> held_out_splits(CURRENT, ["dev", "test", "test2", "test3"]), held_out_splits(CURRENT, ["dev", "test3", "test4"])
    ((), ('test4',))
    >>> held_out_splits(ROUND1, ["dev", "test", "test2"]), held_out_splits(ROUND2, ["dev", "test", "test2"])
    (('test',), ('test2',))
    """
    if setting.held_out is not None:
        return tuple(setting.held_out)
    available = annotated_splits() if available is None else available
    return tuple(s for s in available if s not in setting.tuning)


def seed_gold() -> pd.DataFrame:
    """The seed's gold with the package's sentence text: ``sid, label, text`` (text = ``text_norm``)."""
    gold = sentiment.load_gold()
    texts = {s.sid: s.text_norm for s in load_cached(SEED).sentences}
    return pd.DataFrame({"sid": gold["sid"], "label": gold["label"], "text": [texts[s] for s in gold["sid"]]})


# ---------------------------------------------------------------------------------------------
# Alignment


def align(gold_spans: Sequence[tuple[int, int]], package_spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each gold sentence ``[start, end)``, the index of the package sentence that overlaps it by the most
    characters (ties: the earlier sentence); ``-1`` when none overlaps. A gold sentence that the package split in
    two takes the label of the larger part; two gold sentences that the package joined take the same label.

    >>> align([(0, 10), (10, 20), (20, 26), (30, 31)], [(0, 10), (10, 14), (14, 26)])
    [0, 2, 2, -1]
    """
    result = []
    for start, end in gold_spans:
        overlaps = [min(end, e) - max(start, s) for s, e in package_spans]
        best = int(np.argmax(overlaps)) if overlaps else -1
        result.append(best if best >= 0 and overlaps[best] > 0 else -1)
    return result


def exact_alignments(gold_spans: Sequence[tuple[int, int]], package_spans: Sequence[tuple[int, int]]) -> int:
    """How many gold sentences have a package sentence with exactly the same ``[start, end)``.

    >>> exact_alignments([(0, 10), (10, 20)], [(0, 10), (10, 14), (14, 20)])
    1
    """
    return len(set(map(tuple, gold_spans)) & set(map(tuple, package_spans)))


def aligned_corpus(splits: Sequence[str] = TUNING_SPLITS) -> pd.DataFrame:
    """Gold sentences of ``splits`` with the aligned package sentence: ``file, n, label, split, sid, exact,
    gold_text`` (the gold span of the article's normalised text) and ``package_text`` (the package sentence's
    ``text_norm``, empty when nothing overlaps). An empty table (same columns) when ``splits`` has no gold rows."""
    gold = load_corpus_gold(splits)
    frames = []
    for file, rows in gold.groupby("file", sort=True):
        article = load_cached(CORPUS / file)
        spans = [(s.start, s.end) for s in article.sentences]
        gold_spans = list(zip(rows["start"], rows["end"]))
        index = align(gold_spans, spans)
        exact = set(spans)
        frames.append(pd.DataFrame({
            "file": file, "n": rows["n"].to_numpy(), "label": rows["label"].to_numpy(), "split": rows["split"].to_numpy(),
            "sid": [article.sentences[i].sid if i >= 0 else -1 for i in index],
            "exact": [span in exact for span in gold_spans],
            "gold_text": [article.norm[s:e] for s, e in gold_spans],
            "package_text": [article.sentences[i].text_norm if i >= 0 else "" for i in index]}))
    columns = ["file", "n", "label", "split", "sid", "exact", "gold_text", "package_text"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


# ---------------------------------------------------------------------------------------------
# 1. Revised rules


def marker_lists(markers: pd.DataFrame | None = None, version: int = RULES_VERSION) -> dict[str, tuple[str, ...]]:
    """The markers of rules ``version`` (those with ``round`` ≤ ``version``) grouped by class (sorted, so the
    result does not depend on the file's row order)."""
    markers = load_markers() if markers is None else markers
    if "round" in markers:
        markers = markers[pd.to_numeric(markers["round"]).astype(int) <= version]
    return {c: tuple(sorted(markers.loc[markers["class"] == c, "marker"])) for c in MARKER_CLASSES}


def _rules(marker_key: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[sentiment.GenreRules, dict[str, tuple[str, ...]]]:
    return _rules_cached(marker_key, sentiment.genre_rules())  # keyed on the seed's rules as they are now, too


@lru_cache(maxsize=4)
def _rules_cached(marker_key: tuple[tuple[str, tuple[str, ...]], ...],
                  base: sentiment.GenreRules) -> tuple[sentiment.GenreRules, dict[str, tuple[str, ...]]]:
    lists = dict(marker_key)
    aims, results, remedies, problems = base
    extra = "|".join(re.escape(m) for m in lists["result"])
    # 了 of 了解 ("learn about") is not the perfective: the seed's pattern read 了解了 as a claimed result.
    pattern = re.sub(r"^了\|", "了(?!解)|", results.pattern)
    results = re.compile(pattern + ("|" + extra if extra else ""))
    return (aims + lists["aim"], results, remedies + lists["remedy"], problems + lists["problem"]), lists


def _clause_label(clause: str, rules: sentiment.GenreRules, neutral: tuple[str, ...]) -> int:
    """:func:`zhnews.sentiment.genre_clause` with the HowNet positive words in ``neutral`` not counted as positive
    evidence (with ``neutral`` empty, the same label)."""
    aims, results, remedies, problems = rules
    positive = any(t in sentiment.hownet()["pos"] and t not in neutral for t in sentiment.segment(clause))
    aimed = any(marker in clause for marker in aims)
    problem = [word for word in problems if word in clause]
    remedied = any(verb in clause[: clause.find(problem[0])] for verb in remedies) if problem else False
    if positive and not aimed and results.search(clause):
        return 1
    return -1 if problem and not aimed and not remedied else 0


def revised_clause(clause: str, markers: pd.DataFrame | None = None, version: int = RULES_VERSION, *,
                   lists: dict[str, tuple[str, ...]] | None = None) -> int:
    """+1, 0 or -1 for one clause: the seed's rules (:func:`zhnews.sentiment.genre_clause`) with the genre
    markers of rules ``version`` added, and:

    - a recognition, reception, evaluation or resolution marker (or a resolved count: 化解纠纷 + a number) makes
      the clause +1 unless an aim marker stands in it (G10, R7);
    - otherwise a completed-measure marker (举办了, 建立了, 进行了 …) makes it 0 (R2: a measure is not a result);
    - a category name (困难群众) is removed before the problem words are looked for (R8);
    - from version 2, the genre's vocabulary (:data:`GENRE_VOCABULARY`: 法律, 法治 …) is no positive evidence (S.2);
    - a problem with a remedy verb *anywhere* in the clause (把矛盾化解在源头) is 0 (R7);
    - from version 3, a clause beginning with 实现 (not 实现了) is an aim (:data:`CHAIN_AIM`, R3), and the round-3
      markers count: achieved coverage (全覆盖), a rate with its number (满意率 98%), thanks (G20), an honour with
      its giver between 被 and 评为 (G10), 发挥了 (R2), completed measures (开展了 …, R2), citizens' grievances
      told as a case (未果, 拒不 …, G11) and 进一步 as an aim (R3).

    >>> revised_clause("区公共法律服务中心被评为四星级基地"), revised_clause("因门前一棵树和邻居发生纠纷")
    (1, -1)
    >>> revised_clause("化解纠纷3500多件"), revised_clause("努力化解纠纷"), revised_clause("为困难群众提供法律服务")
    (1, 0, 0)
    >>> revised_clause("工作站已开始提供法律服务", version=1), revised_clause("工作站已开始提供法律服务")
    (1, 0)
    >>> revised_clause("全县实现村级法律顾问全覆盖"), revised_clause("实现普法宣传全覆盖")
    (1, 0)

    ``lists`` (the :func:`marker_lists` of ``markers`` and ``version``) saves grouping the markers again for every
    clause when the caller already has them.
    """
    lists = marker_lists(markers, version) if lists is None else lists
    rules, lists = _rules(tuple(lists.items()))
    aimed = any(marker in clause for marker in rules[0]) or (version >= 3 and bool(CHAIN_AIM.match(clause)))
    direct = any(marker in clause for c in DIRECT_CLASSES for marker in lists[c])
    counted = any(re.search(re.escape(marker) + r"[^，。；]*?\d", clause) for marker in lists["resolved_count"])
    if (direct or counted) and not aimed:
        return 1
    if any(marker in clause for marker in lists["measure"]):
        return 0
    for name in lists["category"]:
        clause = clause.replace(name, "")
    label = _clause_label(clause, rules, GENRE_VOCABULARY if version >= 2 else ())
    if label == -1 and any(verb in clause for verb in rules[2]):
        return 0
    return label


def rules_label(text: str, markers: pd.DataFrame | None = None, version: int = RULES_VERSION) -> str:
    """The revised rules' label of a sentence: ``pos`` if any clause is +1 (a claimed result outweighs a problem
    told with it, R7), else ``neg`` if any clause is -1, else ``neu`` (also for text without Chinese).

    >>> rules_label("公司拖欠他们工资,法律援助工作站帮助他们讨回了120万元工资。"), rules_label("")
    ('pos', 'neu')
    """
    if not count_han(text):
        return "neu"
    labels = clause_labels(text, markers, version)
    return "pos" if 1 in labels else "neg" if -1 in labels else "neu"


def clause_labels(text: str, markers: pd.DataFrame | None = None, version: int = RULES_VERSION) -> tuple[int, ...]:
    """:func:`revised_clause` of each clause of ``text``. With the markers file (``markers`` ``None``) the result
    is kept per (text, version, the file's size and modification time): editing the file recomputes it."""
    if markers is not None:
        return tuple(revised_clause(c, markers, version) for c in sentiment._clauses(text))
    stat = MARKERS.stat()
    return _clause_labels_cached(text, version, (stat.st_size, stat.st_mtime_ns), sentiment.genre_rules())


@lru_cache(maxsize=65536)
def _clause_labels_cached(text: str, version: int, stamp: tuple[int, int], base: object) -> tuple[int, ...]:
    lists = _marker_lists_cached(stamp, version)
    return tuple(revised_clause(c, version=version, lists=lists) for c in sentiment._clauses(text))


@lru_cache(maxsize=8)
def _marker_lists_cached(stamp: tuple[int, int], version: int) -> dict[str, tuple[str, ...]]:
    return marker_lists(_markers_cached(stamp), version)


@lru_cache(maxsize=2)
def _markers_cached(stamp: tuple[int, int]) -> pd.DataFrame:
    return load_markers()


# ---------------------------------------------------------------------------------------------
# Provenance of the markers


def check_marker(marker: str, provenance: str, tuning_texts: dict[tuple[str, int], str], seed_texts: dict[int, str],
                 splits: dict[str, str], tuning: Sequence[str] = TUNING_SPLITS) -> str:
    """Status of one marker's provenance. Citations are ``<split>:<file>#<n>`` and ``seed:sid=<n>``:

    - ``held-out citation``: a citation names a split that is not a tuning split (``test4:…``), or a file whose
      manifest split is not one — refused, the sentence is never opened;
    - ``bad citation``: a cited file is not in the manifest or not of the split written before it, or the cited
      sentence is unknown or lacks the marker;
    - ``tuning``: every citation is a tuning or seed sentence containing the marker;
    - ``none``: nothing is cited.

    >>> splits = {"a.txt": "dev", "b.txt": "test2", "c.txt": "test4"}
    >>> check_marker("好评", "dev:a.txt#3; test2:b.txt#1", {("a.txt", 3): "广泛好评", ("b.txt", 1): "好评"}, {}, splits)
    'tuning'
    >>> check_marker("好评", "test4:c.txt#1", {}, {}, splits), check_marker("好评", "dev:c.txt#1", {}, {}, splits)
    ('held-out citation', 'held-out citation')
    >>> check_marker("好评", "test2:b.txt#1", {}, {}, splits, tuning=("dev", "test"))
    'held-out citation'
    >>> check_marker("好评", "seed:sid=4", {}, {4: "法治建设"}, {}), check_marker("好评", "test2:a.txt#3", {}, {}, splits)
    ('bad citation', 'bad citation')
    """
    cites = [(s, f, int(n)) for s, f, n in re.findall(r"(?<![\w=])([A-Za-z]\w*):([\w.-]+\.txt)#(\d+)", provenance)]
    seed_cites = [int(s) for s in re.findall(r"seed:sid=(\d+)", provenance)]
    if any(s not in tuning or (splits.get(f) is not None and splits[f] not in tuning) for s, f, _ in cites):
        return "held-out citation"
    if not cites and not seed_cites:
        return "none"
    for s, f, n in cites:
        if splits.get(f) != s or marker not in tuning_texts.get((f, n), ""):
            return "bad citation"
    for sid in seed_cites:
        if marker not in seed_texts.get(sid, ""):
            return "bad citation"
    return "tuning"


def marker_provenance(markers: pd.DataFrame | None = None, tuning: Sequence[str] = TUNING_SPLITS) -> pd.DataFrame:
    """One row per marker: ``marker, class, provenance, round, status`` (:func:`check_marker`). Only gold rows of
    the ``tuning`` splits and the seed are read."""
    markers = load_markers() if markers is None else markers
    splits = manifest_splits()
    gold = load_corpus_gold(tuple(tuning))
    tuning_texts = {(f, int(n)): t for f, n, t in zip(gold["file"], gold["n"], gold["text"])}
    seed = seed_gold()
    seed_texts = dict(zip(seed["sid"], seed["text"]))
    table = markers.copy()
    table["status"] = [check_marker(m, p, tuning_texts, seed_texts, splits, tuple(tuning))
                       for m, p in zip(markers["marker"], markers["provenance"])]
    return table


# ---------------------------------------------------------------------------------------------
# 2. The model


def make_model():
    """TF-IDF character 1–3-grams + logistic regression (balanced classes, fixed ``random_state``)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)),
                         LogisticRegression(class_weight="balanced", max_iter=5000, random_state=RANDOM_STATE))


def fit_model(texts: Sequence[str], labels: Sequence[str]):
    """:func:`make_model` fitted on ``texts`` (in the order given) and their gold ``labels``."""
    return make_model().fit(list(texts), list(labels))


def _refuse_untuned(rows: pd.DataFrame, tuning: Sequence[str], who: str) -> None:
    if "split" in rows and (~rows["split"].isin(list(tuning))).any():
        found = sorted(set(rows["split"]) - set(tuning))
        raise ValueError(f"{who} received rows of {found}: only the tuning splits {tuple(tuning)} may be fitted or picked on")


def training_set(rows: pd.DataFrame | None = None, tuning: Sequence[str] = TUNING_SPLITS) -> pd.DataFrame:
    """The model's training sentences: the seed (package sentences) and the gold sentences of the ``tuning`` splits
    (their span of the article's normalised text): ``origin`` (``seed`` or the split), ``group`` (``seed`` or the
    file), ``text, label``. Never a row of another split (checked)."""
    rows = aligned_corpus(tuple(tuning)) if rows is None else rows
    _refuse_untuned(rows, tuning, "training_set")
    seed = seed_gold()
    return pd.concat([
        pd.DataFrame({"origin": "seed", "group": "seed", "text": seed["text"], "label": seed["label"]}),
        pd.DataFrame({"origin": rows["split"], "group": rows["file"], "text": rows["gold_text"], "label": rows["label"]}),
    ], ignore_index=True)


@lru_cache(maxsize=2)
def fitted_model(tuning: tuple[str, ...] = TUNING_SPLITS):
    """The model fitted once per process on :func:`training_set` (seed + the ``tuning`` splits' gold as committed)."""
    train = training_set(tuning=tuning)
    return fit_model(train["text"], train["label"])


def model_coefficients(model) -> dict[str, object]:
    """The fitted model's classes, vocabulary size and coefficients rounded to 10 decimals (for comparison)."""
    vectorizer, regression = model.steps[0][1], model.steps[1][1]
    return {"classes": list(regression.classes_), "n_features": len(vectorizer.vocabulary_),
            "coef": np.round(regression.coef_, 10).tolist(), "intercept": np.round(regression.intercept_, 10).tolist()}


def combine(rule_labels: Sequence[str], model_labels: Sequence[str]) -> list[str]:
    """``rules_or_model``: ``pos`` if either is ``pos``, else ``neg`` if either is ``neg``, else ``neu``.

    >>> combine(["pos", "neu", "neg", "neu"], ["neg", "neu", "neu", "pos"])
    ['pos', 'neu', 'neg', 'pos']
    """
    return ["pos" if "pos" in pair else "neg" if "neg" in pair else "neu" for pair in zip(rule_labels, model_labels)]


# ---------------------------------------------------------------------------------------------
# 2b. The stacked model (round 4): character n-grams plus the rules' features


#: Aspect cues counted as features: the perfective 了 and 已 (a result), 将 and 要 (an aim).
ASPECT_CUES = ("了", "已", "将", "要")
#: Names of the rules' features (:func:`rule_features`), in column order.
FEATURE_NAMES = (tuple(f"class:{c}" for c in MARKER_CLASSES) + ("clauses:+1", "clauses:-1", "rules:pos", "rules:neg")
                 + tuple(f"cue:{c}" for c in ASPECT_CUES))
#: Regularisation strengths tried (inside the training splits only) and the ``pos`` thresholds tried.
C_GRID = (0.3, 1.0, 3.0, 10.0)
POS_THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.15, 0.86, 0.05))


def rule_features(texts: Sequence[str], version: int = RULES_VERSION, markers: pd.DataFrame | None = None) -> np.ndarray:
    """The rules' evidence per sentence, one row per text (columns :data:`FEATURE_NAMES`): for each marker class,
    the number of clauses holding a marker of the class (rules ``version``); the number of +1 and of -1 clauses
    (:func:`revised_clause`); the rules' label (pos, neg); the aspect cues of :data:`ASPECT_CUES`. Version 0 is
    the seed's rules with no genre marker.

    >>> f = rule_features(["区司法所被评为先进集体，群众纷纷称赞。", "将进一步加强调解工作。"])
    >>> bool(dict(zip(FEATURE_NAMES, f[0]))["clauses:+1"] >= 1), float(dict(zip(FEATURE_NAMES, f[1]))["cue:将"])
    (True, 1.0)
    """
    markers_given = markers
    markers = load_markers() if markers is None else markers
    lists = marker_lists(markers, version)
    rows = []
    for text in texts:
        clauses = sentiment._clauses(text) if count_han(text) else []
        labels = list(clause_labels(text, None if markers_given is None else markers, version))
        classes = [sum(any(m in c for m in lists[k]) for c in clauses) for k in MARKER_CLASSES]
        label = "pos" if 1 in labels else "neg" if -1 in labels else "neu"
        rows.append(classes + [labels.count(1), labels.count(-1), label == "pos", label == "neg"]
                    + [text.count(c) for c in ASPECT_CUES])
    return np.array(rows, dtype=float).reshape(len(rows), len(FEATURE_NAMES))


@dataclass
class StackedModel:
    """Logistic regression (balanced classes) on TF-IDF character 1–3-grams **and** the rules' features
    (:func:`rule_features` of rules ``version``, ``log1p``-scaled): it learns how far to trust each marker class.
    With ``threshold``, a sentence is ``pos`` when P(pos) reaches it, else the likelier of ``neu`` and ``neg``."""

    vectorizer: object
    regression: object
    version: int
    C: float
    threshold: float | None = None

    def matrix(self, texts: Sequence[str]):
        from scipy import sparse

        return sparse.hstack([self.vectorizer.transform(list(texts)),
                              sparse.csr_matrix(np.log1p(rule_features(texts, self.version)))]).tocsr()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """P(label) per text, columns in :data:`LABELS` order."""
        if not len(texts):
            return np.zeros((0, len(LABELS)))
        found = self.regression.predict_proba(self.matrix(texts))
        order = [list(self.regression.classes_).index(label) for label in LABELS]
        return found[:, order]

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Labels of ``texts`` (``neu`` for a text without Chinese)."""
        return [label if count_han(t) else "neu"
                for label, t in zip(labels_from_probabilities(self.probabilities(texts), self.threshold), texts)]


def labels_from_probabilities(probabilities: np.ndarray, threshold: float | None = None) -> list[str]:
    """Labels from P(pos, neu, neg) rows: the likeliest, or with ``threshold``, ``pos`` when P(pos) ≥ it and
    otherwise the likelier of ``neu`` and ``neg``.

    >>> p = np.array([[0.4, 0.5, 0.1], [0.2, 0.3, 0.5]])
    >>> labels_from_probabilities(p), labels_from_probabilities(p, 0.35)
    (['neu', 'neg'], ['pos', 'neg'])
    """
    if threshold is None:
        return [LABELS[i] for i in np.argmax(probabilities, axis=1)] if len(probabilities) else []
    return ["pos" if row[0] >= threshold else ("neu" if row[1] >= row[2] else "neg") for row in probabilities]


def fit_stacked(texts: Sequence[str], labels: Sequence[str], version: int = RULES_VERSION, C: float = 1.0,
                threshold: float | None = None) -> StackedModel:
    """A :class:`StackedModel` fitted on ``texts`` and their gold ``labels`` (deterministic)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3)).fit(list(texts))
    # newton-cg: the same convex problem as lbfgs, solved in a few Newton steps (5× faster here)
    model = StackedModel(vectorizer, LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="newton-cg",
                                                        random_state=RANDOM_STATE), version, C, threshold)
    model.regression.fit(model.matrix(texts), list(labels))
    return model


def _mean_split_kappa(gold: pd.Series, predicted: Sequence[str], groups: pd.Series) -> float:
    predicted = pd.Series(list(predicted), index=gold.index)
    return float(np.mean([sentiment._kappa(gold[groups == g], predicted[groups == g]) for g in dict.fromkeys(groups)]))


def select_stacked(train: pd.DataFrame, version: int = RULES_VERSION, grid: Sequence[float] = C_GRID,
                   thresholds: Sequence[float] = POS_THRESHOLDS) -> tuple[float, float | None]:
    """``C`` and the ``pos`` threshold for :func:`fit_stacked`, chosen **inside** ``train`` only (``text, label,
    split``; rows of split ``seed`` are always fitted on): leave one of its corpus splits out at a time, fit on the
    rest, and take the ``C`` (then the threshold, ``None`` = the likeliest label, kept unless a threshold does
    strictly better) with the best mean κ over the left-out splits. The caller's scored split is not in ``train``."""
    inner = [s for s in dict.fromkeys(train["split"]) if s != "seed"]
    if len(inner) < 2:
        return 1.0, None
    scored = train[train["split"] != "seed"]
    probabilities = {C: np.zeros((len(scored), len(LABELS))) for C in grid}
    position = pd.Series(np.arange(len(scored)), index=scored.index)
    for split in inner:
        fit_rows = train[train["split"] != split]
        rows = scored[scored["split"] == split]
        for C in grid:
            model = fit_stacked(fit_rows["text"], fit_rows["label"], version, C)
            probabilities[C][position[rows.index].to_numpy()] = model.probabilities(list(rows["text"]))
    gold, groups = scored["label"], scored["split"]
    kappas = [_mean_split_kappa(gold, labels_from_probabilities(probabilities[C]), groups) for C in grid]
    C = grid[int(np.argmax(kappas))]
    best, threshold = max(kappas), None
    for t in thresholds:
        kappa = _mean_split_kappa(gold, labels_from_probabilities(probabilities[C], t), groups)
        if kappa > best + 1e-12:
            best, threshold = kappa, t
    return C, threshold


def unseen_rules_version(split: str) -> int:
    """The latest rules version written without reading ``split``: the version frozen in the round that held
    ``split`` out (``test`` → 1, ``test2`` → 2, ``test3`` → 3), 0 (the seed's rules, no genre marker) for
    ``dev``, and :data:`RULES_VERSION` for a split never tuned on (``test4``).

    >>> [unseen_rules_version(s) for s in ("dev", "test", "test2", "test3", "test4")]
    [0, 1, 2, 3, 3]
    """
    for r in splits.ROUNDS:
        if r.held_out == split:
            return min(r.number, RULES_VERSION)
    return 0


def _training_frame(rows: pd.DataFrame) -> pd.DataFrame:
    seed = seed_gold()
    return pd.concat([pd.DataFrame({"split": "seed", "text": seed["text"], "label": seed["label"]}),
                      pd.DataFrame({"split": rows["split"], "text": rows["gold_text"], "label": rows["label"]})],
                     ignore_index=True)


def loso_predictions(rows: pd.DataFrame, methods: Sequence[str] = CANDIDATES + BASELINES,
                     tuning: Sequence[str] = TUNING_SPLITS) -> pd.DataFrame:
    """Leave-one-split-out predictions for every gold sentence of the ``tuning`` splits (``rows`` as
    :func:`aligned_corpus`): ``file, n, split, label`` and one column per method. Each split in turn is
    unseen: the learned methods are fitted on the seed and the **other** splits (their ``C`` and threshold chosen
    inside those, :func:`select_stacked`), and the rules — alone, in ``rules_or_model`` and as the stacked
    model's features — are the latest version written without reading it (:func:`unseen_rules_version`), so
    every figure is out of sample. Refuses rows of a split outside ``tuning``."""
    _refuse_untuned(rows, tuning, "loso_predictions")
    out = rows[["file", "n", "split", "label"]].copy().reset_index(drop=True)
    texts = rows["package_text"].reset_index(drop=True)
    for method in methods:
        if method in BASELINES:
            out[method] = predict(method, texts)
    learned = [m for m in methods if m not in BASELINES]
    for method in learned:
        out[method] = "neu"
    for split in dict.fromkeys(out["split"]):
        scored = (out["split"] == split).to_numpy()
        fit_rows = rows[(rows["split"] != split).to_numpy()]
        train = _training_frame(fit_rows)
        version = unseen_rules_version(split)
        part = list(texts[scored])
        rules = [rules_label(t, version=version) for t in part]
        result: dict[str, list[str]] = {"rules": rules}
        if {"model", "rules_or_model"} & set(learned):
            model = fit_model(train["text"], train["label"])
            result["model"] = [str(x) if count_han(t) else "neu" for x, t in zip(model.predict(part), part)]
            result["rules_or_model"] = combine(rules, result["model"])
        if {"stacked", "stacked_pos"} & set(learned):
            C, threshold = select_stacked(train, version)
            stacked = fit_stacked(train["text"], train["label"], version, C)
            probabilities = stacked.probabilities(part)
            result["stacked"] = [x if count_han(t) else "neu" for x, t in zip(labels_from_probabilities(probabilities), part)]
            result["stacked_pos"] = [x if count_han(t) else "neu"
                                     for x, t in zip(labels_from_probabilities(probabilities, threshold), part)]
        for method in learned:
            out.loc[scored, method] = result[method]
    return out


def leave_one_split_out(methods: Sequence[str] = CANDIDATES + ("genre",), setting: Setting = CURRENT,
                        predictions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per method: its κ on each tuning split when that split was unseen (:func:`loso_predictions`), their
    ``mean`` (the estimate of the score on a fresh round), ``mean_common`` (over the splits where every candidate
    has an honest figure: test, test2, test3 — the rules have none on dev),
    and ``pos`` precision and recall pooled over the four (with counts). For ``rules`` only the rules versions on
    the split held out in their round are honest (v1 on test, v2 on test2, v3 on test3): its ``dev`` figure is the
    seed's rules with no genre marker (version 0) and is left out of its ``mean``; ``evidence`` says so.

    ``predictions`` (as :func:`loso_predictions`) avoids recomputing them."""
    tuning = tuple(setting.tuning)
    if predictions is None:
        predictions = loso_predictions(aligned_corpus(tuning), methods, tuning)
    _refuse_untuned(predictions, tuning, "leave_one_split_out")
    present = [s for s in tuning if (predictions["split"] == s).any()]
    out = []
    for method in methods:
        row: dict[str, object] = {"method": method}
        for split in present:
            part = predictions[predictions["split"] == split]
            row[split] = round(sentiment._kappa(part["label"], part[method]), 3)
        honest = [s for s in present if not (method == "rules" and unseen_rules_version(s) == 0)]
        row["mean"] = round(float(np.mean([row[s] for s in honest])), 3)
        row["mean_common"] = round(float(np.mean([row[s] for s in present if unseen_rules_version(s) > 0])), 3)
        gold, found = predictions["label"] == "pos", predictions[method] == "pos"
        row["pos_precision"] = round(float((gold & found).sum() / found.sum()), 3) if found.sum() else math.nan
        row["pos_recall"] = round(float((gold & found).sum() / gold.sum()), 3) if gold.sum() else math.nan
        row["pos_counts"] = f"{int((gold & found).sum())}/{int(found.sum())} found, {int(gold.sum())} gold"
        row["evidence"] = ("rules v1→test, v2→test2, v3→test3 (dev: v0, not in the mean)" if method == "rules" else
                           "baseline, nothing fitted on the corpus" if method in BASELINES else
                           "fitted on the other splits; rules features of the version that had not read the split")
        out.append(row)
    return pd.DataFrame(out)


def pick_loso(table: pd.DataFrame, candidates: Sequence[str] = CANDIDATES, column: str = "mean_common") -> str:
    """The candidate with the highest honest out-of-sample κ (:func:`leave_one_split_out`), by default
    ``mean_common``: the mean over the same splits for every candidate (test, test2, test3), since the rules have
    no honest figure on dev and dev is the hardest split for every method (ties: the order of ``candidates``).

    >>> pick_loso(pd.DataFrame({"method": ["rules", "model", "stacked"], "mean_common": [0.39, 0.41, 0.41]}))
    'model'
    """
    means = table.set_index("method")[column]
    values = [means.get(m, -math.inf) for m in candidates]
    return candidates[int(np.argmax(values))]


def fitted_stacked(tuning: tuple[str, ...] = TUNING_SPLITS, version: int = RULES_VERSION, pos: bool = False) -> StackedModel:
    """The stacked model fitted on the seed and the ``tuning`` splits' gold (``C`` and, with ``pos``, the threshold
    chosen by leave-one-split-out inside them, :func:`select_stacked`) — fitted once per machine and kept in the
    prepared-file cache, keyed on the gold, the manifest, the markers and this module."""
    from zhnews import cache

    def build() -> StackedModel:
        rows = aligned_corpus(tuning)
        _refuse_untuned(rows, tuning, "fitted_stacked")
        train = _training_frame(rows)
        C, threshold = select_stacked(train, version)
        return fit_stacked(train["text"], train["label"], version, C, threshold if pos else None)

    sources = [CORPUS_GOLD, CORPUS / "MANIFEST.csv", MARKERS, Path(__file__)]
    return cache.cached("sentiment-genre-stacked", build, sources=sources, parts=[tuning, version, pos])


def predict(method: str, texts: Sequence[str], model=None, setting: Setting = CURRENT) -> list[str]:
    """Labels of ``texts`` by ``method`` (a candidate or a baseline) under ``setting`` (the rules' version; the
    model defaults to :func:`fitted_model` of its tuning splits)."""
    texts = list(texts)
    if method in BASELINES:
        return [sentiment.LABELLERS[method](sentiment.SCORERS[method](t)) for t in texts]
    if method not in CANDIDATES:
        raise ValueError(f"unknown method {method!r}; expected one of {CANDIDATES + BASELINES}")
    rules = [rules_label(t, version=setting.rules) for t in texts] if method in ("rules", "rules_or_model") else []
    if method == "rules":
        return rules
    if method in ("stacked", "stacked_pos"):
        stacked = fitted_stacked(tuple(setting.tuning), setting.rules, method == "stacked_pos") if model is None else model
        return stacked.predict(texts)
    model = fitted_model(tuple(setting.tuning)) if model is None else model
    learned = [str(x) if count_han(t) else "neu" for x, t in zip(model.predict(texts) if texts else [], texts)]
    return learned if method == "model" else combine(rules, learned)


# ---------------------------------------------------------------------------------------------
# Scores


def _kappa_codes(gold: np.ndarray, predicted: np.ndarray) -> float:
    return float(sentiment.kappa_many(gold[None, :], predicted[None, :])[0])


def _codes(labels: Iterable[str]) -> np.ndarray:
    return np.array([LABELS.index(label) for label in labels], dtype=int)


def scores(gold: Sequence[str], predicted: Sequence[str], groups: Sequence[str] | None = None,
           repeats: int = 2000, seed: int = BOOTSTRAP_SEED) -> dict[str, object]:
    """κ with 95 % percentile bootstrap intervals resampling sentences (``kappa_low/high``) and, with ``groups``,
    whole articles (``kappa_article_low/high``); ``pos`` precision and recall with their counts, bootstrap
    intervals (by sentence) and exact Clopper–Pearson intervals; and ``n``."""
    g, p = _codes(gold), _codes(predicted)
    rng = np.random.default_rng(seed)
    index = rng.integers(0, len(g), (repeats, len(g)))
    low, high = np.percentile(sentiment.kappa_many(g[index], p[index]), [2.5, 97.5])
    row: dict[str, object] = {"n": len(g), "kappa": round(_kappa_codes(g, p), 3),
                              "kappa_low": round(float(low), 3), "kappa_high": round(float(high), 3)}
    if groups is not None:
        groups = np.asarray(groups)
        members = [np.flatnonzero(groups == name) for name in sorted(set(groups))]
        rng = np.random.default_rng(seed)
        values = []
        for _ in range(repeats):
            take = np.concatenate([members[i] for i in rng.integers(0, len(members), len(members))])
            values.append(_kappa_codes(g[take], p[take]))
        low, high = np.percentile(values, [2.5, 97.5])
        row.update({"kappa_article_low": round(float(low), 3), "kappa_article_high": round(float(high), 3)})
    is_gold, is_pred = g == 0, p == 0
    hits = is_gold & is_pred
    for measure, denominator in (("precision", is_pred), ("recall", is_gold)):
        k, n, (b_low, b_high), (e_low, e_high) = sentiment.rate_intervals(hits, denominator, index)
        row.update({f"pos_{measure}": round(k / n, 3) if n else math.nan, f"pos_{measure}_count": f"{k}/{n}",
                    f"pos_{measure}_low": round(float(b_low), 3), f"pos_{measure}_high": round(float(b_high), 3),
                    f"pos_{measure}_exact_low": e_low, f"pos_{measure}_exact_high": e_high})
    return row


def tuning_cv_predictions(rows: pd.DataFrame, methods: Sequence[str] = PAST_CANDIDATES + BASELINES,
                          folds: int = CV_FOLDS, setting: Setting = CURRENT) -> pd.DataFrame:
    """Predictions for every gold sentence of the tuning splits (on its aligned package sentence): ``file, n,
    split, label`` and one column per method. The model is fitted on the seed and the other folds' articles
    (GroupKFold by article: a fold never splits an article). The rules and the baselines have nothing fitted on the
    corpus, so their "CV" labels are their plain labels — for the rules an **in-sample** figure, since their markers
    were written on these sentences. Refuses rows of any split that is not a tuning split of ``setting``."""
    from sklearn.model_selection import GroupKFold

    _refuse_untuned(rows, setting.tuning, "tuning_cv_predictions")
    out = rows[["file", "n", "split", "label", "package_text"]].copy()
    for method in methods:
        if method in ("model", "rules_or_model"):
            continue
        out[method] = predict(method, out["package_text"], setting=setting)
    learned = pd.Series("neu", index=out.index, dtype=object)
    seed = seed_gold()
    for train_index, test_index in GroupKFold(n_splits=folds).split(rows, groups=rows["file"]):
        train = rows.iloc[train_index]
        model = fit_model(list(seed["text"]) + list(train["gold_text"]), list(seed["label"]) + list(train["label"]))
        learned.iloc[test_index] = predict("model", rows.iloc[test_index]["package_text"], model, setting)
    if "model" in methods:
        out["model"] = list(learned)
    if "rules_or_model" in methods:
        rules = out["rules"] if "rules" in out else predict("rules", out["package_text"], setting=setting)
        out["rules_or_model"] = combine(rules, list(learned))
    return out.drop(columns="package_text")


def pick_method(predictions: pd.DataFrame, candidates: Sequence[str] = PAST_CANDIDATES,
                tuning: Sequence[str] = TUNING_SPLITS) -> str:
    """Rounds 1–3's pick: the candidate with the highest κ on the tuning predictions (:func:`tuning_cv_predictions`;
    ties: the order of ``candidates``) — the rules' figure in sample, the model's cross-validated, which favoured
    the rules (from round 4: :func:`pick_loso`). Refuses any row of a split outside ``tuning``: the pick never sees a held-out label.

    >>> rows = pd.DataFrame({"split": ["dev", "test", "test"], "label": ["pos", "neu", "neu"],
    ...                      "rules": ["pos", "neu", "pos"], "model": ["pos", "neu", "neu"],
    ...                      "rules_or_model": ["pos", "neu", "pos"]})
    >>> pick_method(rows)
    'model'
    """
    _refuse_untuned(predictions, tuning, "pick_method")
    kappas = [sentiment._kappa(predictions["label"], predictions[m]) for m in candidates]
    return candidates[int(np.argmax(kappas))]


def seed_predictions(methods: Sequence[str] = CANDIDATES + BASELINES, setting: Setting = CURRENT) -> pd.DataFrame:
    """Predictions for the seed's sentences. The model here is fitted on the tuning splits' sentences only (the
    seed held out), so its seed score is out of sample; the rules were written on the seed (in sample)."""
    seed = seed_gold()
    rows = aligned_corpus(tuple(setting.tuning))
    model = fit_model(rows["gold_text"], rows["label"])
    stacked: dict[str, StackedModel] = {}
    if {"stacked", "stacked_pos"} & set(methods):
        train = pd.DataFrame({"split": rows["split"], "text": rows["gold_text"], "label": rows["label"]})
        C, threshold = select_stacked(train, setting.rules)
        fitted = fit_stacked(train["text"], train["label"], setting.rules, C)
        stacked = {"stacked": fitted, "stacked_pos": StackedModel(fitted.vectorizer, fitted.regression,
                                                                  setting.rules, C, threshold)}
    out = seed[["sid", "label"]].copy()
    for method in methods:
        out[method] = predict(method, seed["text"], stacked.get(method, model), setting)
    return out


def _pick(setting: Setting) -> str:
    rows = aligned_corpus(tuple(setting.tuning))
    if setting.selection == "loso":
        predictions = loso_predictions(rows, setting.candidates, setting.tuning)
        return pick_loso(leave_one_split_out(setting.candidates, setting, predictions), setting.candidates)
    return pick_method(tuning_cv_predictions(rows, setting.candidates, setting=setting), setting.candidates,
                       tuning=setting.tuning)


def picked_method(setting: Setting = CURRENT) -> str:
    """The method :func:`pick_method` chooses on the tuning splits' predictions — computed, and kept in the
    prepared-file cache (:mod:`zhnews.cache`) keyed on the corpus gold, the manifest, the markers file, this module
    and ``setting``, so that editing any of them re-runs the choice."""
    from zhnews import cache

    sources = [CORPUS_GOLD, CORPUS / "MANIFEST.csv", MARKERS, Path(__file__)]
    return cache.cached("sentiment-genre-pick", lambda: _pick(setting), sources=sources,
                        parts=[tuple(setting.candidates), repr(setting)])


#: Methods whose labels come (partly) from the revised rules, written on the seed and the tuning sentences.
_RULE_METHODS = ("rules", "rules_or_model")


def in_sample(method: str, role: str) -> bool:
    """Whether ``method``'s score on data of ``role`` (``seed``, ``tuning-CV``, ``held-out``) is in sample: the
    revised rules were written on the seed and the tuning sentences, the seed-only ``genre`` rules on the seed;
    the model is always scored on articles it was not fitted on.

    >>> in_sample("rules", "tuning-CV"), in_sample("model", "tuning-CV"), in_sample("genre", "seed")
    (True, False, True)
    """
    if role in ("held-out", "tuning-LOSO"):
        return False
    return method in _RULE_METHODS or (method == "genre" and role == "seed")


def evaluate_corpus_sentiment(repeats: int = 2000, setting: Setting = CURRENT,
                              rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Method × data set: κ with bootstrap intervals (by sentence; by article for the corpus), ``pos`` precision and
    recall with intervals, ``n``; ``picked`` marks the method chosen on the tuning splits, ``role`` and
    ``in_sample`` say what kind of score each row is. Data sets, in order:

    - ``seed`` (role ``seed``);
    - the tuning splits' predictions of :func:`tuning_cv_predictions` (role ``tuning-CV``, rounds 1–3): pooled
      (``dev+test-CV``) and one row per split (``dev-CV``, ``test-CV``); one ``dev-CV`` row when only dev is tuned;
      from round 4 the leave-one-split-out predictions of :func:`loso_predictions` (role ``tuning-LOSO``,
      ``dev+test+test2+test3-LOSO``, ``dev-LOSO`` …: every figure out of sample, the rules' too);
    - one row per held-out split with gold rows (role ``held-out``, :func:`held_out_splits`): ``test4`` once it is
      annotated, none before; ``test`` under :data:`ROUND1`, ``test2`` under :data:`ROUND2`, ``test3`` under
      :data:`ROUND3`.

    ``rows`` (aligned gold rows, as :func:`aligned_corpus`; default: the tuning and held-out splits of the corpus)
    lets a caller supply the corpus. Held-out rows are read here and nowhere else, after the pick."""
    if rows is not None:
        return _evaluate_corpus_sentiment(repeats, setting, rows)
    from zhnews import cache

    # the evaluation fits every learned method many times (leave-one-split-out, nested): once per machine, kept in
    # the prepared-file cache, keyed on the gold, the manifest, the markers and every module of the package
    sources = [CORPUS_GOLD, CORPUS / "MANIFEST.csv", MARKERS, *sorted(Path(__file__).parent.glob("*.py"))]
    return cache.cached("sentiment-genre-evaluation", lambda: _evaluate_corpus_sentiment(repeats, setting, None),
                        sources=sources, parts=[repeats, repr(setting)])


def _evaluate_corpus_sentiment(repeats: int, setting: Setting, rows: pd.DataFrame | None) -> pd.DataFrame:
    methods = setting.candidates + BASELINES
    tuning = tuple(setting.tuning)
    if rows is None:
        rows = aligned_corpus(tuning + tuple(s for s in held_out_splits(setting) if s not in tuning))
    held_out = held_out_splits(setting, list(dict.fromkeys(rows["split"])))
    tuned = rows[rows["split"].isin(tuning)].reset_index(drop=True)
    if setting.selection == "loso":
        cv, suffix, kind = loso_predictions(tuned, methods, tuning), "LOSO", "tuning-LOSO"
        picked = pick_loso(leave_one_split_out(setting.candidates, setting, cv), setting.candidates)
    else:
        cv, suffix, kind = tuning_cv_predictions(tuned, methods, setting=setting), "CV", "tuning-CV"
        picked = pick_method(cv, setting.candidates, tuning=tuning)
    seed = seed_predictions(methods, setting)
    datasets: list[tuple[str, str, pd.DataFrame]] = [("seed", "seed", seed.assign(file=None))]
    present = [s for s in tuning if (cv["split"] == s).any()]
    if len(present) > 1:
        datasets.append(("+".join(present) + f"-{suffix}", kind, cv))
    datasets += [(f"{s}-{suffix}", kind, cv[cv["split"] == s]) for s in present]
    for split in held_out:
        part = rows[rows["split"] == split].reset_index(drop=True)
        if len(part):
            predicted = part[["file", "label"]].copy()
            for method in methods:
                predicted[method] = predict(method, part["package_text"], setting=setting)
            datasets.append((split, "held-out", predicted))
    out = []
    for method in methods:
        for name, role, table in datasets:
            groups = None if role == "seed" else list(table["file"])
            out.append({"method": method, "data": name, "role": role, "picked": method == picked,
                        "in_sample": in_sample(method, role), "setting": setting.name,
                        **scores(list(table["label"]), list(table[method]), groups, repeats)})
    return pd.DataFrame(out)


def evaluate_round(number: int, repeats: int = 2000) -> pd.DataFrame:
    """:func:`evaluate_corpus_sentiment` under round ``number``'s setting (:data:`SETTINGS`): that round's rules
    version, model and pick on its tuning splits, scored on its held-out split — each past round's held-out figure
    recomputed, not typed (round 1: test κ 0.501; round 2: test2 κ 0.315; round 3: test3 κ 0.342). The current
    round (4) has no held-out rows until ``test4`` is annotated."""
    if number not in SETTINGS:
        raise ValueError(f"unknown round {number}; rounds are {sorted(SETTINGS)}")
    return evaluate_corpus_sentiment(repeats, SETTINGS[number])


def evaluate_round1(repeats: int = 2000) -> pd.DataFrame:
    """:func:`evaluate_round` (1): rules version 1, model and pick on ``dev``, scored on ``test``."""
    return evaluate_round(1, repeats)


def alignment_summary(splits: Sequence[str] = TUNING_SPLITS) -> pd.DataFrame:
    """Per split: gold sentences, how many align exactly with a package sentence, how many overlap none."""
    table = aligned_corpus(splits)
    return (table.assign(unaligned=table["sid"] < 0).groupby("split")
            .agg(gold_sentences=("n", "size"), exact=("exact", "sum"), unaligned=("unaligned", "sum")).reset_index())


# ---------------------------------------------------------------------------------------------
# For sentiment_table


def label_sentences(article: Article, method: str | None = None, setting: Setting = CURRENT) -> pd.Series:
    """sid → ``pos``/``neu``/``neg`` for every sentence of ``article`` by ``method`` (default: the method picked
    on the tuning splits, :func:`picked_method`), read from ``text_norm``."""
    method = picked_method(setting) if method is None else method
    sids = [s.sid for s in article.sentences]
    return pd.Series(predict(method, [s.text_norm for s in article.sentences], setting=setting),
                     index=pd.Index(sids, name="sid"), name="label", dtype=object)
