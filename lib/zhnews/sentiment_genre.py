"""Sentence sentiment that transfers to the genre: revised rules, a character n-gram model, and their test score.

The seed-only genre rules (:mod:`zhnews.sentiment`) reach κ 0.43 on the seed but little on unseen articles of the
genre. This module adds, scored on the genre corpus (``data/corpus/``, gold ``gold/sentences.csv``):

1. **Revised rules** (``rules``): the seed's rules plus markers of recognition and reception (codebook G10),
   evaluations, achieved resolutions, resolved counts and citizens' problems (G11), completed measures (R2),
   remedies (R7) and category names (R8), read from
   ``data/lexicons/sentiment_markers.csv`` (``marker, class, provenance``). Every marker cites the dev sentence
   (``dev:<file>#<n>``) or seed sentence (``seed:sid=<n>``) that motivated it (:func:`marker_provenance`).
2. **A supervised model** (``model``): logistic regression (``class_weight="balanced"``) on TF-IDF character
   1–3-grams, fitted on the seed and the dev sentences only, once per process (:func:`fitted_model`).
3. **Their combination** (``rules_or_model``): ``pos`` when either says ``pos``, else ``neg`` when either says
   ``neg``, else ``neu``.

**Dev/test discipline.** Rules were written and the method is picked (:func:`pick_method`) on the seed and the dev
articles only; the test articles are scored once, by :func:`evaluate_corpus_sentiment`, with aggregates only.
The model's dev score is cross-validated by article; the rules' dev score is **in sample** (they were written on
those sentences), so the pick favours the rules and only the test score says how far they transfer.

**Alignment.** The gold was split into sentences by hand, the package splits by rule; gold sentences are matched to
package sentences by character overlap (:func:`align`).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from zhnews import sentiment
from zhnews.paths import CORPUS, LEXICONS, SEED
from zhnews.reading import Article, load_cached
from zhnews.text import count_han

LABELS = sentiment.LABELS
MARKERS = LEXICONS / "sentiment_markers.csv"
CORPUS_GOLD = CORPUS / "gold" / "sentences.csv"
#: Marker classes: what a marker found in a clause does.
MARKER_CLASSES = ("recognition", "reception", "evaluation", "resolution", "resolved_count", "result", "problem", "remedy",
                  "aim", "measure", "category")
#: Classes whose marker makes a clause +1 by itself (unless an aim marker stands in the clause).
DIRECT_CLASSES = ("recognition", "reception", "evaluation", "resolution")
#: Methods compared; the first three are candidates for :func:`pick_method`, the others are the old baselines.
CANDIDATES = ("rules", "model", "rules_or_model")
BASELINES = ("genre", "snownlp", "lexicon")
#: Fixed seeds: the model, the cross-validation folds (GroupKFold is deterministic) and the bootstrap.
RANDOM_STATE = 0
BOOTSTRAP_SEED = 2017
CV_FOLDS = 4


# ---------------------------------------------------------------------------------------------
# Data


def load_markers(path: str | Path = MARKERS) -> pd.DataFrame:
    """The genre markers: ``marker, class, provenance`` (one row per marker)."""
    table = pd.read_csv(path, keep_default_na=False)
    unknown = sorted(set(table["class"]) - set(MARKER_CLASSES))
    if unknown:
        raise ValueError(f"{Path(path).name}: unknown marker classes {unknown}")
    return table


def load_corpus_gold(splits: Sequence[str] = ("dev",)) -> pd.DataFrame:
    """Gold sentences of the genre corpus, **only** of the given splits (default: dev). The split is taken from
    ``MANIFEST.csv``; rows of other splits are dropped before the table is returned."""
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    split = dict(zip(manifest["file"], manifest["split"]))
    gold = pd.read_csv(CORPUS_GOLD, keep_default_na=False)
    gold = gold[gold["file"].map(split).isin(list(splits))].copy()
    gold["split"] = gold["file"].map(split)
    return gold.sort_values(["file", "n"]).reset_index(drop=True)


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


def aligned_corpus(splits: Sequence[str] = ("dev",)) -> pd.DataFrame:
    """Gold sentences of ``splits`` with the aligned package sentence: ``file, n, label, split, sid, exact,
    gold_text`` (the gold span of the article's normalised text) and ``package_text`` (the package sentence's
    ``text_norm``, empty when nothing overlaps)."""
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
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# 1. Revised rules


def marker_lists(markers: pd.DataFrame | None = None) -> dict[str, tuple[str, ...]]:
    """The markers grouped by class (sorted, so the result does not depend on the file's row order)."""
    markers = load_markers() if markers is None else markers
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


def revised_clause(clause: str, markers: pd.DataFrame | None = None) -> int:
    """+1, 0 or -1 for one clause: the seed's rules (:func:`zhnews.sentiment.genre_clause`) with the genre
    markers added, and:

    - a recognition, reception, evaluation or resolution marker (or a resolved count: 化解纠纷 + a number) makes
      the clause +1 unless an aim marker stands in it (G10, R7);
    - otherwise a completed-measure marker (举办了, 建立了 …) makes it 0 (R2: a measure is not a result);
    - a category name (困难群众) is removed before the problem words are looked for (R8);
    - a problem with a remedy verb *anywhere* in the clause (把矛盾化解在源头) is 0 (R7).

    >>> revised_clause("区公共法律服务中心被评为四星级基地"), revised_clause("因门前一棵树和邻居发生纠纷")
    (1, -1)
    >>> revised_clause("化解纠纷3500多件"), revised_clause("努力化解纠纷"), revised_clause("为困难群众提供法律服务")
    (1, 0, 0)
    """
    lists = marker_lists(markers)
    rules, lists = _rules(tuple(lists.items()))
    aimed = any(marker in clause for marker in rules[0])
    direct = any(marker in clause for c in DIRECT_CLASSES for marker in lists[c])
    counted = any(re.search(re.escape(marker) + r"[^，。；]*?\d", clause) for marker in lists["resolved_count"])
    if (direct or counted) and not aimed:
        return 1
    if any(marker in clause for marker in lists["measure"]):
        return 0
    for name in lists["category"]:
        clause = clause.replace(name, "")
    label = sentiment.genre_clause(clause, rules)
    if label == -1 and any(verb in clause for verb in rules[2]):
        return 0
    return label


def rules_label(text: str, markers: pd.DataFrame | None = None) -> str:
    """The revised rules' label of a sentence: ``pos`` if any clause is +1 (a claimed result outweighs a problem
    told with it, R7), else ``neg`` if any clause is -1, else ``neu`` (also for text without Chinese).

    >>> rules_label("公司拖欠他们工资,法律援助工作站帮助他们讨回了120万元工资。"), rules_label("")
    ('pos', 'neu')
    """
    if not count_han(text):
        return "neu"
    markers = load_markers() if markers is None else markers
    labels = [revised_clause(c, markers) for c in sentiment._clauses(text)]
    return "pos" if 1 in labels else "neg" if -1 in labels else "neu"


# ---------------------------------------------------------------------------------------------
# Provenance of the markers


def check_marker(marker: str, provenance: str, dev_texts: dict[tuple[str, int], str], seed_texts: dict[int, str],
                 splits: dict[str, str]) -> str:
    """Status of one marker's provenance: ``test citation`` (a test article is cited: refused, never opened),
    ``bad citation`` (a cited sentence is unknown or lacks the marker), ``dev`` (every citation is a dev or seed
    sentence containing the marker) or ``none``.

    >>> check_marker("好评", "dev:a.txt#3", {("a.txt", 3): "得到群众广泛好评"}, {}, {"a.txt": "dev"})
    'dev'
    >>> check_marker("好评", "dev:b.txt#1", {}, {}, {"b.txt": "test"})
    'test citation'
    >>> check_marker("好评", "seed:sid=4", {}, {4: "法治建设"}, {})
    'bad citation'
    """
    dev_cites = re.findall(r"dev:([\w.-]+\.txt)#(\d+)", provenance)
    seed_cites = [int(s) for s in re.findall(r"seed:sid=(\d+)", provenance)]
    if any(splits.get(f) != "dev" and splits.get(f) is not None for f, _ in dev_cites):
        return "test citation"
    if not dev_cites and not seed_cites:
        return "none"
    for f, n in dev_cites:
        if marker not in dev_texts.get((f, int(n)), ""):
            return "bad citation"
    for sid in seed_cites:
        if marker not in seed_texts.get(sid, ""):
            return "bad citation"
    return "dev"


def marker_provenance(markers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per marker: ``marker, class, provenance, status`` (:func:`check_marker`). Only dev gold rows and
    the seed are read."""
    markers = load_markers() if markers is None else markers
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    splits = dict(zip(manifest["file"], manifest["split"]))
    dev = load_corpus_gold(("dev",))
    dev_texts = {(f, int(n)): t for f, n, t in zip(dev["file"], dev["n"], dev["text"])}
    seed = seed_gold()
    seed_texts = dict(zip(seed["sid"], seed["text"]))
    table = markers.copy()
    table["status"] = [check_marker(m, p, dev_texts, seed_texts, splits) for m, p in zip(markers["marker"], markers["provenance"])]
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


def training_set(dev: pd.DataFrame | None = None) -> pd.DataFrame:
    """The model's training sentences: the seed (package sentences) and the dev gold sentences (their span of the
    article's normalised text): ``origin, group, text, label``. Never a test row (checked)."""
    dev = aligned_corpus(("dev",)) if dev is None else dev
    if (dev["split"] != "dev").any():
        raise ValueError("training_set received non-dev rows")
    seed = seed_gold()
    return pd.concat([
        pd.DataFrame({"origin": "seed", "group": "seed", "text": seed["text"], "label": seed["label"]}),
        pd.DataFrame({"origin": "dev", "group": dev["file"], "text": dev["gold_text"], "label": dev["label"]}),
    ], ignore_index=True)


@lru_cache(maxsize=1)
def fitted_model():
    """The model fitted once per process on :func:`training_set` (seed + dev gold as committed)."""
    train = training_set()
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


def predict(method: str, texts: Sequence[str], model=None) -> list[str]:
    """Labels of ``texts`` by ``method`` (a candidate or a baseline); ``model`` defaults to :func:`fitted_model`."""
    texts = list(texts)
    if method in BASELINES:
        return [sentiment.LABELLERS[method](sentiment.SCORERS[method](t)) for t in texts]
    rules = [rules_label(t) for t in texts] if method in ("rules", "rules_or_model") else []
    if method == "rules":
        return rules
    model = fitted_model() if model is None else model
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


def dev_cv_predictions(dev: pd.DataFrame, methods: Sequence[str] = CANDIDATES + BASELINES,
                       folds: int = CV_FOLDS) -> pd.DataFrame:
    """Predictions for every dev gold sentence (on its aligned package sentence), the model fitted on the seed and
    the other folds' dev articles (GroupKFold by article). Rules and baselines have nothing fitted on the corpus,
    so their dev "CV" is their dev score (the rules were *written* on dev: an in-sample figure)."""
    from sklearn.model_selection import GroupKFold

    if (dev["split"] != "dev").any():
        raise ValueError("dev_cv_predictions received non-dev rows")
    out = dev[["file", "n", "label", "package_text"]].copy()
    for method in methods:
        if method in ("model", "rules_or_model"):
            continue
        out[method] = predict(method, out["package_text"])
    learned = pd.Series("neu", index=out.index, dtype=object)
    seed = seed_gold()
    for train_index, test_index in GroupKFold(n_splits=folds).split(dev, groups=dev["file"]):
        train = dev.iloc[train_index]
        model = fit_model(list(seed["text"]) + list(train["gold_text"]), list(seed["label"]) + list(train["label"]))
        learned.iloc[test_index] = predict("model", dev.iloc[test_index]["package_text"], model)
    if "model" in methods:
        out["model"] = list(learned)
    if "rules_or_model" in methods:
        out["rules_or_model"] = combine(out["rules"] if "rules" in out else predict("rules", out["package_text"]), list(learned))
    return out


def pick_method(dev_predictions: pd.DataFrame, candidates: Sequence[str] = CANDIDATES) -> str:
    """The candidate with the highest dev κ (ties: the order of ``candidates``). Refuses any non-dev row: the
    pick never sees a test label.

    >>> rows = pd.DataFrame({"split": "dev", "label": ["pos", "neu", "neu"], "rules": ["pos", "neu", "pos"],
    ...                      "model": ["pos", "neu", "neu"], "rules_or_model": ["pos", "neu", "pos"]})
    >>> pick_method(rows)
    'model'
    """
    if "split" in dev_predictions and (dev_predictions["split"] != "dev").any():
        raise ValueError("pick_method received non-dev rows")
    kappas = [sentiment._kappa(dev_predictions["label"], dev_predictions[m]) for m in candidates]
    return candidates[int(np.argmax(kappas))]


def seed_predictions(methods: Sequence[str] = CANDIDATES + BASELINES) -> pd.DataFrame:
    """Predictions for the seed's sentences. The model here is fitted on the dev sentences only (the seed held out),
    so its seed score is out of sample; the rules were written on the seed (in sample)."""
    seed = seed_gold()
    dev = aligned_corpus(("dev",))
    model = fit_model(dev["gold_text"], dev["label"])
    out = seed[["sid", "label"]].copy()
    for method in methods:
        out[method] = predict(method, seed["text"], model)
    return out


@lru_cache(maxsize=1)
def _pick_on_dev() -> str:
    dev = aligned_corpus(("dev",))
    return pick_method(dev_cv_predictions(dev, CANDIDATES).assign(split=dev["split"]))


def picked_method() -> str:
    """The method :func:`pick_method` chooses on the dev cross-validation — computed, and kept in the prepared-file
    cache (:mod:`zhnews.cache`) keyed on the corpus gold, the manifest, the markers file and this module, so that
    editing any of them re-runs the choice."""
    from zhnews import cache
    from zhnews.paths import CORPUS, LEXICONS

    sources = [CORPUS / "gold" / "sentences.csv", CORPUS / "MANIFEST.csv", LEXICONS / "sentiment_markers.csv", Path(__file__)]
    return cache.cached("sentiment-genre-pick", _pick_on_dev, sources=sources, parts=[tuple(CANDIDATES)])


def evaluate_corpus_sentiment(repeats: int = 2000) -> pd.DataFrame:
    """Method × data set (``seed``, ``dev-CV``, ``test``): κ with bootstrap intervals (by sentence; by article for
    the corpus), ``pos`` precision and recall with intervals, ``n``; ``picked`` marks the method chosen on dev.
    The test articles are read here and nowhere else, after the pick."""
    methods = CANDIDATES + BASELINES
    dev = aligned_corpus(("dev",))
    dev_pred = dev_cv_predictions(dev, methods)
    picked = pick_method(dev_pred.assign(split=dev["split"]))
    seed = seed_predictions(methods)
    test = aligned_corpus(("test",))
    test_texts = test["package_text"]
    rows = []
    for method in methods:
        test_pred = predict(method, test_texts)
        for name, gold, predicted, groups in (("seed", seed["label"], seed[method], None),
                                              ("dev-CV", dev_pred["label"], dev_pred[method], dev_pred["file"]),
                                              ("test", test["label"], test_pred, test["file"])):
            rows.append({"method": method, "data": name, "picked": method == picked,
                         **scores(list(gold), list(predicted), None if groups is None else list(groups), repeats)})
    return pd.DataFrame(rows)


def alignment_summary(splits: Sequence[str] = ("dev", "test")) -> pd.DataFrame:
    """Per split: gold sentences, how many align exactly with a package sentence, how many overlap none."""
    table = aligned_corpus(splits)
    return (table.assign(unaligned=table["sid"] < 0).groupby("split")
            .agg(gold_sentences=("n", "size"), exact=("exact", "sum"), unaligned=("unaligned", "sum")).reset_index())


# ---------------------------------------------------------------------------------------------
# For sentiment_table


def label_sentences(article: Article, method: str | None = None) -> pd.Series:
    """sid → ``pos``/``neu``/``neg`` for every sentence of ``article`` by ``method`` (default: the method picked
    on dev, :func:`picked_method`), read from ``text_norm``."""
    method = picked_method() if method is None else method
    sids = [s.sid for s in article.sentences]
    return pd.Series(predict(method, [s.text_norm for s in article.sentences]), index=pd.Index(sids, name="sid"),
                     name="label", dtype=object)
