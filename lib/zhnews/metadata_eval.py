"""How far the extracted metadata can be trusted: field-by-field accuracy against hand-made gold.

The gold is ``data/corpus/gold/metadata.csv`` (31 real articles of the genre, made by annotators who
never saw the package's output; columns ``title, published, source, outlet, newspaper, reporter,
correspondent, photographer, editor, responsible_editor, photo_caption``; several people or captions
joined by ``|``; an empty cell = absent) and, for the seed, :data:`SEED_GOLD` (written by close reading
of ``data/raw/``). The extraction judged is ``zhnews.reading.load(path).metadata``.

**The comparison** (:func:`field_correct`), one decision per article and field:

- *people fields* (``reporter``, ``correspondent``, ``photographer``, ``editor``, ``responsible_editor``)
  compare as **sets of names** (order and repeats do not matter; spaces inside a name are removed);
- ``published`` compares the **date** (``YYYY-MM-DD``) and, **when the gold gives a time**, the time too
  (``HH:MM``, plus seconds when the gold has them); a time extracted where the gold has none is not held
  against the extraction (the gold records the date alone when the page gives no time);
- ``photo_caption`` compares as the **set of captions** (gold and extraction may list several, ``|``
  between them), each caption with its spaces removed;
- other strings compare after **removing all spaces** (web copies vary in spacing, not in wording);
- a field **absent in both** counts as correct; absent in the gold but extracted is **wrong** (a guess),
  and present in the gold but not extracted is wrong (a miss).

Accuracy is the share of correct (article, field) decisions; its 95 % interval is a percentile bootstrap
over **articles** (the unit that was sampled), with a fixed seed.

**Dev/test discipline.** Round 1 fitted the rules on the seed and the ``dev`` articles and scored the
``test`` articles once (those scores are recorded); round 2 fitted on ``dev`` and ``test`` and scored the fresh
``test2`` once; round 3 fitted on those three and scored the fresh ``test3`` once. In round 4 ``dev``, ``test``,
``test2`` and ``test3`` are tuning data, and a fresh held-out set (split ``test4``, :mod:`zhnews.splits`) is scored
once, in aggregate only: :func:`errors` lists individual mistakes of the seed and the tuning splits
(:data:`zhnews.splits.TUNING`) for error analysis and refuses every other split; :func:`accuracy_table` scores
every split in the gold.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from zhnews import reading
from zhnews.paths import CORPUS, SEED
from zhnews.splits import CORPUS_SPLITS, check_studyable

#: Fields scored, in the order of the gold's columns.
FIELDS = (
    "title", "published", "source", "outlet", "newspaper", "reporter", "correspondent", "photographer",
    "editor", "responsible_editor", "photo_caption",
)
#: Fields holding a set of names.
PEOPLE = ("reporter", "correspondent", "photographer", "editor", "responsible_editor")
GOLD = CORPUS / "gold" / "metadata.csv"
#: Gold metadata of the seed, by close reading of ``data/raw/kunming-2017-10-18.txt`` (its dateline,
#: photo caption with credit, "XX讯(…记者 …)" lead and editors' line). The parser was written on this
#: article, so its score is a training score, not evidence of transfer.
SEED_GOLD = {
    "title": "昆明构建六大工作机制推动依法治市",
    "published": "2017-10-18T08:34:11+08:00",
    "source": "昆明信息港",
    "outlet": "昆明信息港",
    "newspaper": "都市时报",
    "reporter": "林舒佳",
    "correspondent": "",
    "photographer": "孟祝斌",
    "editor": "孙红亮",
    "responsible_editor": "徐婷",
    "photo_caption": "昆明开展各种活动,引导广大群众自觉守法",
}
#: Order of the splits in tables; a split not listed here comes after them, in alphabetical order.
SPLIT_ORDER = ("seed", *CORPUS_SPLITS)
BOOTSTRAP_SEED = 20261129
BOOTSTRAP_REPS = 2000

_SPACE = re.compile(r"\s+")
_WHEN = re.compile(r"^(?P<date>\d{4}-\d\d-\d\d)(?:[T ](?P<time>\d\d:\d\d(?::\d\d)?))?")


def load_gold(path: str | Path = GOLD) -> pd.DataFrame:
    """The corpus gold, one row per article (strings; empty = absent), with the seed's row first
    (``file`` = the seed's file name, ``split`` = ``seed``).

    >>> gold = load_gold()
    >>> gold.loc[0, "split"], set(gold["split"]) - {"seed"} <= set(CORPUS_SPLITS)
    ('seed', True)
    """
    corpus = pd.read_csv(path, dtype=str, keep_default_na=False)
    seed = pd.DataFrame([{"file": SEED.name, **SEED_GOLD, "annotator": "A", "split": "seed"}])
    return pd.concat([seed, corpus], ignore_index=True)[["file", *FIELDS, "split"]]


def article_path(file: str) -> Path:
    """Where an article of the gold lives: the seed in ``data/raw/``, the others in ``data/corpus/``."""
    return SEED if file == SEED.name else CORPUS / file


def _as_text(value: object) -> str:
    """A metadata value as the gold writes it: lists joined by ``|``, ``None`` as ``""``."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return str(value)


def _parts(value: str) -> frozenset[str]:
    return frozenset(p for p in (_SPACE.sub("", part) for part in value.split("|")) if p)


def field_correct(field: str, gold: str, predicted: object) -> bool:
    """Whether the extracted value of ``field`` agrees with the gold (see the module docstring).

    >>> field_correct("reporter", "张三|李四", ["李四", "张三"])
    True
    >>> field_correct("published", "2017-12-05", "2017-12-05T17:39:00+08:00")
    True
    >>> field_correct("published", "2017-12-05T17:39:00+08:00", "2017-12-05")
    False
    >>> field_correct("title", "甲乙 丙丁", "甲乙丙丁"), field_correct("editor", "", None), field_correct("source", "", "某网")
    (True, True, False)
    """
    pred = _as_text(predicted)
    if not gold.strip() or not pred.strip():
        return not gold.strip() and not pred.strip()
    if field == "published":
        g, p = _WHEN.match(gold.strip()), _WHEN.match(pred.strip())
        if not g or not p or g["date"] != p["date"]:
            return False
        if g["time"] is None:
            return True
        return p["time"] is not None and p["time"][: len(g["time"])] == g["time"]
    if field in PEOPLE or field == "photo_caption":
        return _parts(gold) == _parts(pred)
    return _SPACE.sub("", gold) == _SPACE.sub("", pred)


def score(gold: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (article, field): ``file, split, field, correct`` — no values, so that test
    articles can be scored without being shown. Articles in file order, fields in :data:`FIELDS` order."""
    gold = load_gold() if gold is None else gold
    rows = []
    for record in gold.to_dict("records"):
        metadata = reading.load(article_path(record["file"])).metadata
        for field in FIELDS:
            rows.append(
                {"file": record["file"], "split": record["split"], "field": field,
                 "correct": field_correct(field, record[field], metadata.get(field))}
            )
    return pd.DataFrame(rows, columns=["file", "split", "field", "correct"])


def _bootstrap(matrix: np.ndarray, reps: int, seed: int) -> tuple[float, float]:
    """95 % percentile interval of the mean of ``matrix`` (articles × fields) over resampled articles."""
    n = matrix.shape[0]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(reps, n))
    means = matrix[draws].mean(axis=(1, 2))
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def accuracy_table(
    scores: pd.DataFrame | None = None, reps: int = BOOTSTRAP_REPS, seed: int = BOOTSTRAP_SEED
) -> pd.DataFrame:
    """Accuracy per split (seed, dev, test, then any held-out split) and field, plus ``overall`` (all fields pooled): columns
    ``split, field, n_articles, n_correct, accuracy, ci_low, ci_high`` (rounded to 3 decimals).

    The interval resamples articles with replacement (``reps`` times, fixed ``seed``); with one article
    (the seed) it collapses onto the point estimate.
    """
    scores = score() if scores is None else scores
    rows = []
    present = set(scores["split"])
    order = [s for s in SPLIT_ORDER if s in present] + sorted(present - set(SPLIT_ORDER))
    for split in order:
        part = scores[scores["split"] == split]
        wide = part.pivot(index="file", columns="field", values="correct").loc[:, list(FIELDS)].astype(float)
        for field in [*FIELDS, "overall"]:
            matrix = (wide if field == "overall" else wide[[field]]).to_numpy()
            low, high = _bootstrap(matrix, reps, seed)
            rows.append(
                {"split": split, "field": field, "n_articles": len(wide), "n_correct": int(matrix.sum()),
                 "accuracy": round(float(matrix.mean()), 3), "ci_low": round(low, 3), "ci_high": round(high, 3)}
            )
    return pd.DataFrame(rows, columns=["split", "field", "n_articles", "n_correct", "accuracy", "ci_low", "ci_high"])


def errors(split: str = "dev", gold: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every wrong (article, field) of the seed or a tuning split (:data:`zhnews.splits.TUNING`), with both values,
    for error analysis: ``file, field, gold, extracted`` (values written as in the gold: lists joined by ``|``).

    Refuses a held-out split (``test4`` in round 4, :mod:`zhnews.splits`) and an unknown one: held-out articles
    are scored in aggregate only.

    >>> errors("test4")
    Traceback (most recent call last):
    ...
    ValueError: metadata_eval.errors() shows tuning splits only (dev, test, test2, test3), not the held-out 'test4': held-out articles are scored in aggregate, never read
    """
    if split != "seed":
        check_studyable(split, "metadata_eval.errors()")
    gold = load_gold() if gold is None else gold
    rows = []
    for record in gold[gold["split"] == split].to_dict("records"):
        metadata = reading.load(article_path(record["file"])).metadata
        for field in FIELDS:
            if not field_correct(field, record[field], metadata.get(field)):
                rows.append({"file": record["file"], "field": field, "gold": record[field],
                             "extracted": _as_text(metadata.get(field))})
    return pd.DataFrame(rows, columns=["file", "field", "gold", "extracted"])
