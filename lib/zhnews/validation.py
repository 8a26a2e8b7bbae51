"""How far each layer can be trusted on another article: one tidy table across layers, error kinds, and
how many sentences or articles a user must annotate for a useful interval (notebook 05).

Nothing here scores anything itself: the scores come from the layers' own evaluations
(:func:`zhnews.metadata_eval.accuracy_table`, :func:`zhnews.genre_entities.evaluate_corpus_entities`,
:func:`zhnews.annotate.score_external`, :func:`zhnews.sentiment_genre.evaluate_corpus_sentiment`). This module only

- puts their headline rows side by side (:func:`layer_summary`, :func:`summary_plot`);
- sorts the disagreements of the entity and segmentation layers into *kinds* (:func:`entity_error_kinds`,
  :func:`segmentation_error_kinds`). On a **held-out** split only the counts are returned
  (:func:`entity_error_counts`, :func:`entity_recall_by_form`, :func:`segmentation_error_counts`); examples are
  shown for the seed and the **tuning** splits only (:func:`entity_error_examples`,
  :func:`segmentation_error_examples`), because a held-out split is scored, never studied (:mod:`zhnews.splits`);
- computes how wide an exact 95 % interval is for a given number of annotated units (:func:`interval_widths`).

**Split labels** used throughout: ``seed`` (the article the rules were written on: a training score),
``seed held-out`` (the seed's held-out gold sentences, segmentation only), ``dev`` (corpus articles rules
were fitted on in both rounds), ``test`` (held out in round 1 and scored once; tuning data in round 2) and
``test2`` (articles added in round 2 and never studied: the headline).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from zhnews.splits import CORPUS_SPLITS, check_studyable

#: Order of the splits in tables and figures.
SPLITS = ("seed", "seed held-out") + CORPUS_SPLITS
#: Order of the layers.
LAYERS = ("metadata", "segmentation", "entities", "sentiment")
#: Columns of :func:`layer_summary`.
SUMMARY_COLUMNS = ["layer", "measure", "split", "score", "low", "high", "units"]
#: Last characters of a full administrative-division name (a LOC without one is a short form: 嘉定 for 嘉定区).
DIVISION_SUFFIXES = tuple("省市县区镇乡村州盟旗") + ("街道", "社区", "自治区", "特别行政区")


def _row(layer: str, measure: str, split: str, score: float, low: float, high: float, units: str) -> dict[str, Any]:
    return {"layer": layer, "measure": measure, "split": split, "score": round(float(score), 3),
            "low": round(float(low), 3), "high": round(float(high), 3), "units": units}


def metadata_rows(accuracy: pd.DataFrame) -> list[dict[str, Any]]:
    """The ``overall`` rows of :func:`zhnews.metadata_eval.accuracy_table`, one per split.

    >>> table = pd.DataFrame({"split": ["test"], "field": ["overall"], "n_articles": [15], "n_correct": [153],
    ...                       "accuracy": [0.927], "ci_low": [0.891], "ci_high": [0.964]})
    >>> metadata_rows(table)[0]["units"]
    '15 articles × 11 fields'
    """
    from zhnews.metadata_eval import FIELDS

    overall = accuracy[accuracy["field"] == "overall"]
    return [_row("metadata", "accuracy, all fields", r["split"], r["accuracy"], r["ci_low"], r["ci_high"],
                 f"{r['n_articles']} articles × {len(FIELDS)} fields") for r in overall.to_dict("records")]


def entity_rows(tables: Mapping[str, pd.DataFrame], group: str = "all") -> list[dict[str, Any]]:
    """One row per split from :func:`zhnews.genre_entities.score_sets` tables (``{split: table}``): the
    typed F1 of ``group`` (``all``, ``PER+LOC+ORG`` or one type) with its interval over articles."""
    rows = []
    for split, table in tables.items():
        r = table.set_index("type").loc[group]
        rows.append(_row("entities", f"typed F1, {group}", split, r["f1"], r["low"], r["high"],
                         f"{int(r['gold'])} gold entities"))
    return rows


def segmentation_rows(tables: Mapping[str, pd.DataFrame], segmenter: str = "zhnews") -> list[dict[str, Any]]:
    """One row per split for ``segmenter``: from :func:`zhnews.annotate.score_external` (corpus; the interval
    that resamples **articles**) or :func:`zhnews.annotate.segmentation_intervals` (the seed's halves; the
    interval resamples sentences of the one article)."""
    rows = []
    for split, table in tables.items():
        r = table.set_index("segmenter").loc[segmenter]
        if "article_ci_low" in r:
            score, low, high, units = r["f1"], r["article_ci_low"], r["article_ci_high"], \
                f"{int(r['sentences'])} sentences of {int(r['articles'])} articles"
        else:
            column = next(c for c in table.columns if c.startswith("f1"))
            score, low, high, units = r[column], r["ci_low"], r["ci_high"], f"{int(r['sentences'])} sentences of the seed"
        rows.append(_row("segmentation", f"word F1, {segmenter}", split, score, low, high, units))
    return rows


#: The sentiment evaluation's data sets under this module's split names.
SENTIMENT_SPLITS = {"seed": "seed", **{s: s for s in CORPUS_SPLITS}, **{f"{s}-CV": s for s in CORPUS_SPLITS},
                    **{f"{s}-LOSO": s for s in CORPUS_SPLITS}}


def _picked(table: pd.DataFrame, method: str | None) -> str:
    if method is not None:
        return method
    if "picked" in table and table["picked"].any():
        return str(table.loc[table["picked"].astype(bool), "method"].iloc[0])
    return str(table["method"].iloc[0])


def sentiment_rows(table: pd.DataFrame, method: str | None = None) -> list[dict[str, Any]]:
    """One row per data set (``seed``, ``dev-CV`` or ``dev-LOSO`` → ``dev``, ``test-CV`` → ``test``, a held-out split
    under its name; pooled rows such as ``dev+test-CV`` are left out) of the sentiment evaluation
    (:func:`zhnews.sentiment_genre.evaluate_corpus_sentiment`) for ``method`` (default: the one marked
    ``picked``): Cohen's κ with the interval that resamples **articles** where there is one, else sentences.

    >>> t = pd.DataFrame({"method": ["rules"] * 2, "data": ["seed", "test"], "picked": [True] * 2, "n": [61, 130],
    ...                   "kappa": [0.6, 0.5], "kappa_low": [0.4, 0.3], "kappa_high": [0.8, 0.7],
    ...                   "kappa_article_low": [float("nan"), 0.33], "kappa_article_high": [float("nan"), 0.64]})
    >>> [(r["split"], r["low"], r["high"]) for r in sentiment_rows(t)]
    [('seed', 0.4, 0.8), ('test', 0.33, 0.64)]
    """
    method = _picked(table, method)
    rows = []
    for r in table[(table["method"] == method) & table["data"].isin(SENTIMENT_SPLITS)].to_dict("records"):
        by_article = "kappa_article_low" in r and pd.notna(r["kappa_article_low"])
        low, high = (r["kappa_article_low"], r["kappa_article_high"]) if by_article else (r["kappa_low"], r["kappa_high"])
        rows.append(_row("sentiment", f"Cohen's κ, {method}", SENTIMENT_SPLITS.get(r["data"], r["data"]),
                         r["kappa"], low, high, f"{int(r['n'])} sentences"))
    return rows


def pos_error_counts(table: pd.DataFrame, method: str | None = None) -> pd.DataFrame:
    """Counts of the ``pos`` decisions of ``method`` per data set, read from the evaluation's ``k/n`` columns:
    gold ``pos`` sentences, found, **missed** (gold ``pos`` not labelled ``pos``) and **false alarms** (labelled
    ``pos``, gold ``neu`` or ``neg``).

    >>> t = pd.DataFrame({"method": ["rules"], "data": ["test"], "picked": [True],
    ...                   "pos_precision_count": ["16/27"], "pos_recall_count": ["16/21"]})
    >>> pos_error_counts(t).to_dict("records")
    [{'method': 'rules', 'data': 'test', 'gold_pos': 21, 'labelled_pos': 27, 'found': 16, 'missed': 5, 'false_alarms': 11}]
    """
    method = _picked(table, method)
    rows = []
    for r in table[table["method"] == method].to_dict("records"):
        found, labelled = (int(x) for x in str(r["pos_precision_count"]).split("/"))
        _, gold = (int(x) for x in str(r["pos_recall_count"]).split("/"))
        rows.append({"method": method, "data": r["data"], "gold_pos": gold, "labelled_pos": labelled, "found": found,
                     "missed": gold - found, "false_alarms": labelled - found})
    return pd.DataFrame(rows, columns=["method", "data", "gold_pos", "labelled_pos", "found", "missed", "false_alarms"])


def layer_summary(*row_lists: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The rows of :func:`metadata_rows`, :func:`segmentation_rows`, :func:`entity_rows`,
    :func:`sentiment_rows` (and any rows of the same form) as one table, layers in :data:`LAYERS` order and splits in :data:`SPLITS` order.

    >>> a = _row("entities", "F1", "test", 0.79, 0.75, 0.84, "x")
    >>> b = _row("metadata", "accuracy", "dev", 0.99, 0.98, 1.0, "y")
    >>> layer_summary([a], [b])[["layer", "split"]].values.tolist()
    [['metadata', 'dev'], ['entities', 'test']]
    """
    table = pd.DataFrame([r for rows in row_lists for r in rows], columns=SUMMARY_COLUMNS)
    layer_rank = {name: i for i, name in enumerate(LAYERS)}
    split_rank = {name: i for i, name in enumerate(SPLITS)}
    order = table.assign(_l=table["layer"].map(lambda x: layer_rank.get(x, len(LAYERS))),
                         _s=table["split"].map(lambda x: split_rank.get(x, len(SPLITS))))
    return order.sort_values(["_l", "measure", "_s"], kind="stable").drop(columns=["_l", "_s"]).reset_index(drop=True)


def summary_plot(summary: pd.DataFrame, title: str, ylabel: str = "score (accuracy, F1 or κ)"):
    """One panel: each layer's score per split as a point with its 95 % interval as a bar; returns the figure."""
    from zhnews.plotting import PALETTE, figure

    fig, ax = figure(figsize=(8.5, 4.6))
    keys = list(dict.fromkeys(zip(summary["layer"], summary["measure"])))
    splits = [s for s in SPLITS if s in set(summary["split"])]
    width = 0.8 / max(len(splits), 1)
    for j, split in enumerate(splits):
        part = summary[summary["split"] == split]
        xs, ys, lows, highs = [], [], [], []
        for i, key in enumerate(keys):
            hit = part[(part["layer"] == key[0]) & (part["measure"] == key[1])]
            if len(hit):
                r = hit.iloc[0]
                xs.append(i - 0.4 + width * (j + 0.5))
                ys.append(r["score"])
                lows.append(r["score"] - r["low"])
                highs.append(r["high"] - r["score"])
        ax.errorbar(xs, ys, yerr=[lows, highs], fmt="o", capsize=4, color=PALETTE[j % len(PALETTE)], label=split)
    ax.set_xticks(range(len(keys)), [f"{layer}\n{measure}" for layer, measure in keys], fontsize=9)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylim(min(-0.05, float(summary["low"].min()) - 0.05), 1.05)
    ax.set_title(title)
    ax.set_xlabel("layer and measure")
    ax.set_ylabel(ylabel)
    ax.legend(title="split", fontsize=9, loc="lower left")
    ax.grid(axis="x", visible=False)
    return fig


def round_scores(number: int, path: str | Path | None = None) -> pd.DataFrame:
    """The scores recorded when round ``number``'s rules were frozen and its held-out split scored once
    (``data/corpus/round{number}_scores.csv``, same columns as :func:`layer_summary` plus ``recorded_from``, which
    names the commit; a ``round`` column is added). A past round cannot be recomputed from today's code, whose
    rules have since been fitted on that round's held-out split too; the record keeps it."""
    from zhnews.paths import CORPUS

    table = pd.read_csv(CORPUS / f"round{number}_scores.csv" if path is None else path, keep_default_na=False)
    for column in ("score", "low", "high"):
        table[column] = pd.to_numeric(table[column].replace("", float("nan")))
    return table.assign(round=number)


def past_round_scores() -> pd.DataFrame:
    """:func:`round_scores` of every round before the current one (:data:`zhnews.splits.ROUNDS`), stacked."""
    from zhnews.splits import ROUNDS

    return pd.concat([round_scores(r.number) for r in ROUNDS[:-1]], ignore_index=True)


def rounds_table(summary: pd.DataFrame, records: pd.DataFrame, rounds: Iterable[Any] | None = None) -> pd.DataFrame:
    """Each round's **held-out** score, one row per (layer, measure) of ``summary``: a past round's from its record
    (``records``, :func:`past_round_scores`), the current round's from ``summary`` (today's code), with the current
    round's 95 % interval. Every cell is a score on articles nobody had tuned *that round's* rules on. A measure
    that names the picked method ("Cohen's κ, rules") is matched by its stem when another round picked another
    method.

    >>> from zhnews.splits import Round
    >>> rounds = [Round(1, ("dev",), "test"), Round(2, ("dev", "test"), "test2")]
    >>> summary = pd.DataFrame([_row("entities", "typed F1, all", "test", 0.9, 0.85, 0.95, "x"),
    ...                         _row("entities", "typed F1, all", "test2", 0.86, 0.8, 0.9, "y")])
    >>> records = pd.DataFrame([_row("entities", "typed F1, all", "test", 0.79, 0.75, 0.84, "x")]).assign(round=1)
    >>> rounds_table(summary, records, rounds).to_dict("records")
    [{'layer': 'entities', 'measure': 'typed F1, all', 'round 1: test': 0.79, 'round 2: test2': 0.86, 'round 2: 95 % CI': '0.80–0.90'}]
    """
    from zhnews.splits import ROUNDS

    rounds = list(ROUNDS if rounds is None else rounds)
    rows = []
    for layer, measure in dict.fromkeys(zip(summary["layer"], summary["measure"])):
        row: dict[str, Any] = {"layer": layer, "measure": measure}
        for r in rounds:
            current = r is rounds[-1]
            table = summary if current else records[records["round"] == r.number]
            hit = table[(table["layer"] == layer) & (table["measure"] == measure) & (table["split"] == r.held_out)]
            if hit.empty:  # the picked method may differ between rounds ("Cohen's κ, rules" → "Cohen's κ, stacked_pos")
                stem = measure.split(",")[0]
                same = table[(table["layer"] == layer) & (table["split"] == r.held_out)]
                hit = same[same["measure"].str.split(",").str[0] == stem]
                hit = hit if len(hit) == 1 else hit.iloc[0:0]
            row[f"round {r.number}: {r.held_out}"] = float(hit["score"].iloc[0]) if len(hit) else None
            if current:
                row[f"round {r.number}: 95 % CI"] = f"{hit['low'].iloc[0]:.2f}–{hit['high'].iloc[0]:.2f}" if len(hit) else None
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Two annotators: how far careful readers agree, and the package beside them


def second_annotation(kind: str) -> pd.DataFrame:
    """The blind second annotation of a sample of corpus articles (``data/corpus/gold/second/{kind}.csv``, ``kind``
    one of ``metadata``, ``entities``, ``sentences``; same columns as the first gold, sentences keyed by the first
    gold's ``file, n``)."""
    from zhnews.paths import CORPUS

    return pd.read_csv(CORPUS / "gold" / "second" / f"{kind}.csv", keep_default_na=False, dtype=str)


def _metadata_agreement(files: list[str]) -> list[dict[str, Any]]:
    from zhnews.metadata_eval import FIELDS, field_correct, load_gold, score
    from zhnews.annotate import bootstrap_f1

    first = load_gold().set_index("file").loc[files]
    second = second_annotation("metadata").set_index("file").loc[files]
    matrices = {
        "annotator vs annotator": [[field_correct(f, str(first.loc[a, f]), second.loc[a, f]) for f in FIELDS] for a in files],
    }
    for name, gold in (("package vs first annotator", first), ("package vs second annotator", second)):
        scored = score(gold.reset_index().assign(split="sample", annotator="x"))
        matrices[name] = [list(scored.loc[scored["file"] == a, "correct"]) for a in files]
    rows = []
    for name, matrix in matrices.items():
        counts = [(sum(r), len(r), len(r)) for r in matrix]  # (agree, fields, fields): a rate through bootstrap_f1
        interval = bootstrap_f1(counts)
        k, n = sum(c[0] for c in counts), sum(c[1] for c in counts)
        rows.append(_row("metadata", "fields agreeing", name, k / n, interval["low"], interval["high"],
                         f"{len(files)} articles × {len(FIELDS)} fields") | {"comparison": name})
    return rows


def _entity_agreement(files: list[str]) -> list[dict[str, Any]]:
    from zhnews.genre_entities import corpus_gold, predicted_set, score_sets
    from zhnews.paths import CORPUS
    from zhnews.reading import load

    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    split_of = dict(zip(manifest["file"], manifest["split"])).__getitem__

    second = second_annotation("entities")
    second = second[second["in_boilerplate"].str.lower() != "true"]
    first: dict[str, set] = {}
    for split in sorted({split_of(f) for f in files}):
        first.update(corpus_gold(split))
    pairs = {
        "annotator vs annotator": [({(s, t) for s, t in zip(second.loc[second["file"] == f, "surface"],
                                                            second.loc[second["file"] == f, "type"])}, first[f]) for f in files],
    }
    predicted = {f: predicted_set(load(CORPUS / f)) for f in files}
    pairs["package vs first annotator"] = [(predicted[f], first[f]) for f in files]
    pairs["package vs second annotator"] = [(predicted[f], b) for f, (b, _) in zip(files, pairs["annotator vs annotator"])]
    rows = []
    for name, per_article in pairs.items():
        table = score_sets(per_article).set_index("type")
        for group in ("all", "PER+LOC+ORG"):
            r = table.loc[group]
            rows.append(_row("entities", f"typed F1, {group}", name, r["f1"], r["low"], r["high"],
                             f"{len(files)} articles") | {"comparison": name})
    return rows


def _sentiment_agreement(files: list[str]) -> list[dict[str, Any]]:
    from zhnews import sentiment_genre

    first = pd.read_csv(sentiment_genre.CORPUS_GOLD, keep_default_na=False, dtype={"n": str})
    first = first[first["file"].isin(files)]
    second = second_annotation("sentences")
    both = first.merge(second[["file", "n", "label"]], on=["file", "n"], suffixes=("_first", "_second"))
    aligned = sentiment_genre.aligned_corpus(tuple(sorted(set(first["split"])))).astype({"n": str})
    package = aligned[aligned["file"].isin(files)][["file", "n", "package_text"]]
    package = package.assign(package=sentiment_genre.predict(sentiment_genre.picked_method(), package["package_text"]))
    both = both.merge(package[["file", "n", "package"]], on=["file", "n"], how="left").fillna({"package": "neu"})
    rows = []
    for name, a, b in (("annotator vs annotator", "label_first", "label_second"),
                       ("package vs first annotator", "label_first", "package"),
                       ("package vs second annotator", "label_second", "package")):
        r = sentiment_genre.scores(list(both[a]), list(both[b]), list(both["file"]))
        rows.append(_row("sentiment", "Cohen's κ", name, r["kappa"], r["kappa_article_low"], r["kappa_article_high"],
                         f"{len(both)} sentences of {len(files)} articles") | {"comparison": name})
    return rows


def agreement_table() -> pd.DataFrame:
    """How far two careful readers agree on the doubly annotated articles, and the package beside each of them:
    metadata fields agreeing, typed entity F1 (the first annotator's set as reference) and sentence-sentiment κ,
    each with a 95 % bootstrap interval over the articles. The annotator-vs-annotator row is the ceiling a tool can
    be expected to reach; where the package is as close to either reader as they are to each other, its remaining
    "errors" are disagreements about the codebook, not failures of the method. ``package_in_sample`` is true for
    the package's rows when the doubly annotated articles belong to a split the current rules were fitted on
    (:mod:`zhnews.splits`): then the package's agreement there is a training figure."""
    from zhnews.paths import CORPUS
    from zhnews.splits import may_tune_on

    files = sorted(set(second_annotation("metadata")["file"]))
    rows = _metadata_agreement(files) + _entity_agreement(files) + _sentiment_agreement(files)
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    tuned = any(may_tune_on(s) for s in manifest.loc[manifest["file"].isin(files), "split"])
    table = pd.DataFrame(rows)
    table["package_in_sample"] = table["comparison"].str.startswith("package") & tuned
    return table[["layer", "measure", "comparison", "score", "low", "high", "units", "package_in_sample"]]


# ---------------------------------------------------------------------------------------------
# Kinds of errors


def entity_form(surface: str, type_: str, places: Iterable[str] = ()) -> str:
    """The form of an entity that decides how hard it is to find. LOC: ``full name`` (ends in a division
    suffix: 嘉定区), ``short form`` (the division tree's short form of a division: 嘉定) or ``other place``
    (parks, squares, sites: 虹桥公园). ORG: ``with a place`` (it starts with one of ``places`` or with a
    division name) or ``without a place`` (司法局, 最高人民法院). EVENT: ``quoted label`` (“…” inside) or
    ``named``. Other types: the type's own name.

    >>> entity_form("嘉定", "LOC"), entity_form("嘉定区", "LOC"), entity_form("虹桥公园", "LOC")
    ('short form', 'full name', 'other place')
    >>> entity_form("嘉定区司法局", "ORG"), entity_form("甲乙村委会", "ORG", ["甲乙村"]), entity_form("司法局", "ORG")
    ('with a place', 'with a place', 'without a place')
    >>> entity_form("“法律进乡村”活动", "EVENT"), entity_form("张三", "PER")
    ('quoted label', 'PER')
    """
    from zhnews.genre_entities import division_index, scan

    if type_ == "LOC":
        if surface.endswith(DIVISION_SUFFIXES):
            return "full name"
        found = scan(surface, division_index())
        return "short form" if found and found[0][:2] == (0, len(surface)) else "other place"
    if type_ == "ORG":
        if any(p and surface.startswith(p) and p != surface for p in places):
            return "with a place"
        found = scan(surface, division_index())
        return "with a place" if found and found[0][0] == 0 and found[0][1] < len(surface) else "without a place"
    if type_ == "EVENT":
        return "quoted label" if "“" in surface or '"' in surface else "named"
    return type_


def _overlap(a: str, b: str) -> bool:
    return a != b and (a in b or b in a)


def entity_error_kinds(predicted: set[tuple[str, str]], gold: set[tuple[str, str]],
                       places: Iterable[str] | None = None) -> list[dict[str, str]]:
    """Every disagreement between a predicted and a gold (surface, type) set, with its kind:

    - ``miss``: a gold entity not predicted — ``wrong type`` (same surface predicted with another type),
      ``boundary`` (a predicted surface of the same type contains it or lies inside it: 第五个国家宪法日 for
      国家宪法日, a head left out) or ``not found``;
    - ``false alarm``: a predicted entity not in the gold — ``wrong type``, ``boundary`` (the other half of a
      boundary error) or ``spurious`` (nothing like it in the gold).

    ``form`` is :func:`entity_form` of the surface (places: the article's gold LOC surfaces unless given).
    Rows are sorted by error, type, surface.

    >>> gold = {("嘉定", "LOC"), ("国家宪法日", "EVENT"), ("王明", "PER")}
    >>> predicted = {("第五个国家宪法日", "EVENT"), ("王明", "LOC"), ("上海", "LOC")}
    >>> [(r["error"], r["type"], r["cause"]) for r in entity_error_kinds(predicted, gold)]
    [('false alarm', 'EVENT', 'boundary'), ('false alarm', 'LOC', 'spurious'), ('false alarm', 'LOC', 'wrong type'), ('miss', 'EVENT', 'boundary'), ('miss', 'LOC', 'not found'), ('miss', 'PER', 'wrong type')]
    """
    places = [s for s, t in gold if t == "LOC"] if places is None else list(places)
    rows = []
    for error, own, other in (("miss", gold - predicted, predicted), ("false alarm", predicted - gold, gold)):
        for surface, type_ in own:
            if any(s == surface and t != type_ for s, t in other):
                cause = "wrong type"
            elif any(t == type_ and _overlap(s, surface) for s, t in other):
                cause = "boundary"
            else:
                cause = "not found" if error == "miss" else "spurious"
            rows.append({"error": error, "type": type_, "form": entity_form(surface, type_, places),
                         "cause": cause, "surface": surface})
    return sorted(rows, key=lambda r: (r["error"], r["type"], r["surface"]))


def _entity_errors(split: str) -> pd.DataFrame:
    from zhnews.genre_entities import corpus_gold, predicted_set
    from zhnews.paths import CORPUS
    from zhnews.reading import load

    rows = []
    for file, gold in sorted(corpus_gold(split).items()):
        for r in entity_error_kinds(predicted_set(load(CORPUS / file)), gold):
            rows.append({"file": file, **r})
    return pd.DataFrame(rows, columns=["file", "error", "type", "form", "cause", "surface"])


def entity_error_counts(split: str) -> pd.DataFrame:
    """Counts of the entity errors of one corpus split (``dev`` or ``test``) by ``error, type, form, cause``
    — no surfaces, so the test half can be counted without being read. Most frequent first."""
    table = _entity_errors(split)
    counts = table.groupby(["error", "type", "form", "cause"]).size().rename("count").reset_index()
    return counts.sort_values(["count", "error", "type", "form", "cause"], ascending=[False, True, True, True, True],
                              ignore_index=True)


def entity_recall_by_form(split: str) -> pd.DataFrame:
    """Recall of the gold entities of one corpus split by ``type`` and :func:`entity_form`: ``gold`` (distinct
    entities of that form), ``missed`` and ``recall`` = 1 − missed / gold — counts only, so the test half can be
    described without being read. Rows sorted by type and form."""
    from zhnews.genre_entities import corpus_gold

    gold_forms: Counter = Counter()
    for entities in corpus_gold(split).values():
        places = [s for s, t in entities if t == "LOC"]
        gold_forms.update((t, entity_form(s, t, places)) for s, t in entities)
    errors = _entity_errors(split)
    missed = Counter(zip(*(errors.loc[errors["error"] == "miss", c] for c in ("type", "form"))))
    rows = [{"type": t, "form": f, "gold": n, "missed": missed[(t, f)], "recall": round(1 - missed[(t, f)] / n, 3)}
            for (t, f), n in sorted(gold_forms.items())]
    return pd.DataFrame(rows, columns=["type", "form", "gold", "missed", "recall"])


def entity_error_examples(split: str = "dev") -> pd.DataFrame:
    """Every entity error of the **dev** split with its surface (``file, error, type, form, cause, surface``);
    refuses ``test``, which is scored in aggregate only."""
    check_studyable(split, "entity_error_examples()")
    return _entity_errors(split)


def segmentation_kind(gold_cut: str, predicted_cut: str) -> str:
    """The kind of one segmentation disagreement (cuts as space-separated words over the same stretch):
    ``joined`` (the segmenter made fewer, longer words than the gold), ``split`` (more, shorter words) or
    ``moved`` (as many words, boundaries elsewhere).

    >>> segmentation_kind("法律 援助 中心", "法律援助 中心"), segmentation_kind("依法治市", "依法 治市"), segmentation_kind("甲乙 丙", "甲 乙丙")
    ('joined', 'split', 'moved')
    """
    g, p = len(gold_cut.split()), len(predicted_cut.split())
    return "joined" if p < g else "split" if p > g else "moved"


def segmentation_error_kinds(split: str, segmenter: str = "zhnews") -> pd.DataFrame:
    """Disagreements of ``segmenter`` with the corpus segmentation gold of one split: ``file, gold,
    predicted, kind`` (see :func:`segmentation_kind`), in gold order."""
    from zhnews import annotate

    gold = [g for g in annotate.load_corpus_segmentation_gold() if g.split == split]
    rows = []
    for sentence, (text, tokens) in zip(gold, annotate._external_texts(gold, annotate.CORPUS)):
        gold_spans, predicted_spans = set(annotate._walk(tokens, text)), set(annotate.align(annotate._cut(text, segmenter), text))
        for s, e in annotate._stretches(gold_spans, predicted_spans):
            g, p = annotate._cut_in(text, gold_spans, s, e), annotate._cut_in(text, predicted_spans, s, e)
            rows.append({"file": sentence.file, "gold": g, "predicted": p, "kind": segmentation_kind(g, p)})
    return pd.DataFrame(rows, columns=["file", "gold", "predicted", "kind"])


def segmentation_error_counts(split: str, segmenter: str = "zhnews") -> pd.DataFrame:
    """Counts of :func:`segmentation_error_kinds` by kind (no text), most frequent first."""
    counts = Counter(segmentation_error_kinds(split, segmenter)["kind"])
    table = pd.DataFrame(sorted(counts.items()), columns=["kind", "count"])
    return table.sort_values(["count", "kind"], ascending=[False, True], ignore_index=True)


def segmentation_error_examples(split: str = "dev", segmenter: str = "zhnews") -> pd.DataFrame:
    """The dev split's disagreements grouped by (gold, predicted, kind), most frequent first; refuses ``test``."""
    check_studyable(split, "segmentation_error_examples()")
    table = segmentation_error_kinds(split, segmenter)
    counts = table.groupby(["gold", "predicted", "kind"]).size().rename("count").reset_index()
    return counts.sort_values(["count", "gold"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# How many units to annotate


def interval_widths(rate: float, sizes: Iterable[int] = (20, 50, 100), level: float = 0.95) -> pd.DataFrame:
    """Width of the exact (Clopper–Pearson, :func:`zhnews.sentiment.clopper_pearson`) interval of a
    proportion near ``rate`` when ``n`` units are annotated (``k = round(rate · n)`` correct), per size.

    >>> interval_widths(0.5, [100]).to_dict("records")
    [{'n': 100, 'correct': 50, 'rate': 0.5, 'low': 0.398, 'high': 0.602, 'width': 0.204}]
    """
    from zhnews.sentiment import clopper_pearson

    rows = []
    for n in sizes:
        k = int(round(rate * n))
        low, high = clopper_pearson(k, n, level)
        rows.append({"n": int(n), "correct": k, "rate": round(k / n, 3), "low": low, "high": high,
                     "width": round(high - low, 3)})
    return pd.DataFrame(rows, columns=["n", "correct", "rate", "low", "high", "width"])


# ---------------------------------------------------------------------------------------------
# Evaluations that another part of the package may not provide yet


def optional_evaluation(modules: Iterable[str], name: str, *args: Any, **kwargs: Any) -> Any:
    """``module.name(*args, **kwargs)`` for the first of ``modules`` that exists and has a callable
    ``name``; ``None`` when none has it (a module that is not installed counts as not having it).

    >>> optional_evaluation(["zhnews.no_such_module", "zhnews.paths"], "relative", "x.txt")
    'x.txt'
    >>> optional_evaluation(["zhnews.no_such_module"], "anything") is None
    True
    """
    for module in modules:
        if importlib.util.find_spec(module) is None:
            continue
        function = getattr(importlib.import_module(module), name, None)
        if callable(function):
            return function(*args, **kwargs)
    return None
