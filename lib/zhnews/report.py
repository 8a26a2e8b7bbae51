"""Helpers of notebook 06 ("Your article"): resolve the article's path, show its metadata as a table, and
compare the package's output with a small hand-made annotation of the same article.

The comparison helpers take annotation rows in the formats of the genre corpus gold
(``data/corpus/gold/sentences.csv``: ``start, end, label`` per sentence, offsets into the file's decoded
text; ``data/corpus/gold/entities.csv``: ``surface, type[, in_boilerplate]``), so a reader's own
annotation of a few sentences and entities can be scored exactly like the corpus gold. On one article
the counts are small: every proportion comes with its exact (Clopper–Pearson) 95 % interval.

Held-out articles of the corpus (:data:`zhnews.splits.HELD_OUT`) are scored only in aggregate:
:func:`corpus_gold` returns no rows for them.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pandas as pd

from zhnews.paths import CORPUS, ROOT

#: Gold tables of the genre corpus that :func:`corpus_gold` reads.
GOLD_KINDS = ("metadata", "entities", "sentences")


def resolve(path: str | Path) -> Path:
    """An article path: a relative path is taken from the project root (so the notebook runs from the
    root or from ``notebooks/``), an absolute one is kept.

    >>> resolve("data/corpus/x.txt") == ROOT / "data" / "corpus" / "x.txt"
    True
    >>> resolve("/elsewhere/y.txt").as_posix()
    '/elsewhere/y.txt'
    """
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


def _text(value: object) -> str:
    """A metadata value as one string: lists joined by `` | ``, absent as an empty string.

    >>> _text(["梁燕如", "钟欣霓"]), _text(None), _text("2021-04-13")
    ('梁燕如 | 钟欣霓', '', '2021-04-13')
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " | ".join(str(v) for v in value)
    return str(value)


def metadata_table(metadata: dict[str, Any]) -> pd.DataFrame:
    """One row per metadata field: ``field, value, found`` (lists joined by `` | ``), in the record's order.

    >>> metadata_table({"title": "标题", "reporter": ["甲", "乙"], "editor": None}).values.tolist()
    [['title', '标题', True], ['reporter', '甲 | 乙', True], ['editor', '', False]]
    """
    rows = [{"field": k, "value": _text(v), "found": bool(_text(v))} for k, v in metadata.items()]
    return pd.DataFrame(rows, columns=["field", "value", "found"])


def corpus_split(path: str | Path, corpus: Path = CORPUS) -> str:
    """The split (``dev``, ``test``, ``test2``, ``test3`` …) of an article of the genre corpus (by file name and
    folder), else ``none``.

    >>> corpus_split("data/corpus/guangxi-wzrb-2021-04-13.txt"), corpus_split("data/raw/kunming-2017-10-18.txt")
    ('dev', 'none')
    """
    path = resolve(path)
    if path.resolve().parent != corpus.resolve():
        return "none"
    manifest = pd.read_csv(corpus / "MANIFEST.csv", keep_default_na=False)
    split = manifest.loc[manifest["file"] == path.name, "split"]
    return str(split.iloc[0]) if len(split) else "none"


def corpus_role(path: str | Path, corpus: Path = CORPUS) -> str:
    """What the article's corpus split is for (:func:`zhnews.splits.role`): ``tuning`` (rules were fitted on it, so
    its scores are in sample), ``held-out`` (scored once, never read), or ``none`` for a file outside the corpus.

    >>> corpus_role("data/corpus/guangxi-wzrb-2021-04-13.txt"), corpus_role("data/raw/kunming-2017-10-18.txt")
    ('tuning', 'none')
    """
    from zhnews import splits

    split = corpus_split(path, corpus)
    return "none" if split == "none" else splits.role(split)


def corpus_gold(path: str | Path, kind: str, corpus: Path = CORPUS) -> pd.DataFrame:
    """The rows of ``data/corpus/gold/<kind>.csv`` for this article, when it belongs to a **tuning** split of the
    corpus (:func:`zhnews.splits.may_tune_on`); no rows (same columns) for a held-out article (scored only in
    aggregate) or any other file.

    >>> len(corpus_gold("data/corpus/guangxi-wzrb-2021-04-13.txt", "sentences"))  # dev
    12
    >>> len(corpus_gold("data/corpus/henan-hnrbncb-2022-02-16.txt", "sentences"))  # held out (test4)
    0
    """
    if kind not in GOLD_KINDS:
        raise ValueError(f"kind must be one of {GOLD_KINDS}, not {kind!r}")
    gold = pd.read_csv(corpus / "gold" / f"{kind}.csv", keep_default_na=False)
    from zhnews.splits import may_tune_on

    keep = may_tune_on(corpus_split(path, corpus))
    return gold[(gold["file"] == resolve(path).name) & keep].reset_index(drop=True)


def match_sentences(sentences: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Pair each annotated sentence (``start, end, label``) with the package's sentence that overlaps it
    most (``sentences``: ``sid, start, end`` and a ``label`` column): ``start, end, gold, sid, package``.
    An annotated sentence that overlaps none gets ``sid`` 0 and the package label ``neu`` (nothing said).

    >>> package = pd.DataFrame({"sid": [1, 2], "start": [0, 10], "end": [10, 30], "label": ["neu", "pos"]})
    >>> mine = pd.DataFrame({"start": [0, 12, 40], "end": [9, 30, 50], "label": ["neu", "neu", "pos"]})
    >>> match_sentences(package, mine).values.tolist()
    [[0, 9, 'neu', 1, 'neu'], [12, 30, 'neu', 2, 'pos'], [40, 50, 'pos', 0, 'neu']]
    """
    rows = []
    for start, end, label in zip(gold["start"], gold["end"], gold["label"]):
        overlaps = [(min(end, e) - max(start, s), sid, lab)
                    for sid, s, e, lab in zip(sentences["sid"], sentences["start"], sentences["end"], sentences["label"])]
        best = max(overlaps, default=(0, 0, "neu"))
        sid, predicted = (best[1], best[2]) if best[0] > 0 else (0, "neu")
        rows.append({"start": int(start), "end": int(end), "gold": label, "sid": int(sid), "package": predicted})
    return pd.DataFrame(rows, columns=["start", "end", "gold", "sid", "package"])


def sentiment_check(matched: pd.DataFrame) -> pd.DataFrame:
    """Agreement of the package's labels with an annotation of one article (output of
    :func:`match_sentences`): sentences, agreements, accuracy with its exact 95 % interval, Cohen's κ
    with a bootstrap interval over sentences, and the ``pos`` counts on both sides.

    >>> m = pd.DataFrame({"gold": ["neu"] * 8 + ["pos", "pos"], "package": ["neu"] * 8 + ["pos", "neu"]})
    >>> sentiment_check(m)[["sentences", "agree", "accuracy", "acc_low", "acc_high", "gold_pos", "package_pos"]].to_dict("records")
    [{'sentences': 10, 'agree': 9, 'accuracy': 0.9, 'acc_low': 0.555, 'acc_high': 0.997, 'gold_pos': 2, 'package_pos': 1}]
    """
    from zhnews.sentiment import agreement, bootstrap_kappa, clopper_pearson

    gold, predicted = list(matched["gold"]), list(matched["package"])
    agree = sum(g == p for g, p in zip(gold, predicted))
    low, high = clopper_pearson(agree, len(gold))
    scores = agreement(gold, predicted) if gold else {"accuracy": float("nan"), "kappa": float("nan")}
    k_low, k_high = bootstrap_kappa(gold, predicted) if gold else (float("nan"), float("nan"))
    row = {"sentences": len(gold), "agree": agree, "accuracy": scores["accuracy"], "acc_low": low, "acc_high": high,
           "kappa": scores["kappa"], "kappa_low": k_low, "kappa_high": k_high,
           "gold_pos": gold.count("pos"), "package_pos": predicted.count("pos"),
           "gold_neg": gold.count("neg"), "package_neg": predicted.count("neg")}
    return pd.DataFrame([row])


def entity_check(predicted: set[tuple[str, str]], gold: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 of the package's distinct (surface, type) entities against an annotation of
    the same article (``surface, type`` and optionally ``in_boilerplate``: rows marked ``True`` are left
    out, as in the corpus scores), per type present and for ``all``, with exact 95 % intervals of
    precision and recall.

    >>> gold = pd.DataFrame({"surface": ["甲", "乙", "丙"], "type": ["PER", "LOC", "LOC"]})
    >>> table = entity_check({("甲", "PER"), ("乙", "LOC"), ("丁", "ORG")}, gold)
    >>> table[["type", "gold", "predicted", "correct", "precision", "recall"]].to_dict("records")[-1]
    {'type': 'all', 'gold': 3, 'predicted': 3, 'correct': 2, 'precision': 0.667, 'recall': 0.667}
    """
    from zhnews.annotate import prf
    from zhnews.sentiment import clopper_pearson

    if "in_boilerplate" in gold:
        gold = gold[gold["in_boilerplate"].astype(str) != "True"]
    gold_set = set(zip(gold["surface"], gold["type"]))
    types = sorted({t for _, t in gold_set | predicted})
    rows = []
    for group in [*types, "all"]:
        g = {x for x in gold_set if group in ("all", x[1])}
        p = {x for x in predicted if group in ("all", x[1])}
        c = len(g & p)
        p_low, p_high = clopper_pearson(c, len(p))
        r_low, r_high = clopper_pearson(c, len(g))
        rows.append({"type": group, "gold": len(g), "predicted": len(p), "correct": c, **prf(c, len(p), len(g)),
                     "precision_low": p_low, "precision_high": p_high, "recall_low": r_low, "recall_high": r_high})
    return pd.DataFrame(rows)


def entity_differences(predicted: set[tuple[str, str]], gold: pd.DataFrame) -> pd.DataFrame:
    """The (surface, type) pairs on one side only: ``surface, type, side`` (``missed`` = in the annotation
    only, ``extra`` = found by the package only), sorted.

    >>> gold = pd.DataFrame({"surface": ["甲", "乙"], "type": ["PER", "LOC"]})
    >>> entity_differences({("甲", "PER"), ("丁", "ORG")}, gold).values.tolist()
    [['丁', 'ORG', 'extra'], ['乙', 'LOC', 'missed']]
    """
    if "in_boilerplate" in gold:
        gold = gold[gold["in_boilerplate"].astype(str) != "True"]
    gold_set = set(zip(gold["surface"], gold["type"]))
    rows = [(s, t, "missed") for s, t in gold_set - predicted] + [(s, t, "extra") for s, t in predicted - gold_set]
    return pd.DataFrame(sorted(rows), columns=["surface", "type", "side"])


def metadata_check(metadata: dict[str, Any], gold: pd.DataFrame) -> pd.DataFrame:
    """Field-by-field comparison of extracted metadata with one gold row (``data/corpus/gold/metadata.csv``
    format), by the rules of :func:`zhnews.metadata_eval.field_correct`: ``field, gold, extracted, correct``.
    No rows when ``gold`` is empty.

    >>> gold = pd.DataFrame([{"title": "标题", "reporter": "甲|乙"}])
    >>> metadata_check({"title": "标题", "reporter": ["乙", "甲"]}, gold)["correct"].tolist()
    [True, True]
    """
    from zhnews.metadata_eval import FIELDS, field_correct

    rows = []
    for record in gold.to_dict("records"):
        for field in [f for f in FIELDS if f in record]:
            rows.append({"field": field, "gold": record[field], "extracted": _text(metadata.get(field)),
                         "correct": field_correct(field, record[field], metadata.get(field))})
    return pd.DataFrame(rows, columns=["field", "gold", "extracted", "correct"])


def optional_call(module: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call ``module.name(*args, **kwargs)`` if the library has that function, else return ``None`` (for
    evaluations that other parts of the package may not provide yet).

    >>> optional_call("zhnews.paths", "relative", "x.txt"), optional_call("zhnews.paths", "no_such_function")
    ('x.txt', None)
    """
    function = getattr(importlib.import_module(module), name, None)
    return function(*args, **kwargs) if callable(function) else None


def row(table: pd.DataFrame, **where: Any) -> dict[str, Any]:
    """The one row of ``table`` whose columns equal ``where``, as a dict (a score quoted in prose is read
    from the evaluation's own table, never typed).

    >>> row(pd.DataFrame({"split": ["dev", "test"], "accuracy": [0.9, 0.8]}), split="test")
    {'split': 'test', 'accuracy': 0.8}
    """
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    found = table[mask]
    if len(found) != 1:
        raise ValueError(f"{len(found)} rows match {where}")
    return found.iloc[0].to_dict()
