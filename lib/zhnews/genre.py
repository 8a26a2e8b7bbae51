"""The seed against its genre: keyness with the corpus as reference, inventories, profiles, position.

The inputs are the tables of a corpus run (:func:`zhnews.corpus.read_table`: one DataFrame per table,
every row with ``article_id``), with the seed analysed in the same run, so both sides are counted by
the same code. :func:`split` separates the seed's rows from the reference corpus's.

Counting basis for keyness (as in :mod:`zhnews.terms`): a side's size is its **running
non-punctuation tokens** in the text roles (lead, body, list items, subheadings); a term is counted
as a token that :func:`zhnews.terms.is_term` accepts. G² and Log Ratio are those of
:func:`zhnews.terms.log_likelihood` and :func:`zhnews.terms.log_ratio`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from zhnews.paths import CORPUS, ROOT
from zhnews.terms import TEXT_ROLES, is_term, log_likelihood, log_ratio

#: Entity types of the inventory (DOC and DATE are left out: titles of documents and dates).
INVENTORY_TYPES = ("ORG", "LOC", "PER", "EVENT")
#: Benchmark result files: label in figures → file name in ``benchmarks/results/``.
BENCHMARK_FILES = {"before (baseline.json)": "baseline.json", "after (after.json)": "after.json"}
BENCHMARKS = ROOT / "benchmarks" / "results"


def split(table: pd.DataFrame, seed_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The seed's rows and the reference corpus's rows of one corpus table (both re-indexed).

    >>> t = pd.DataFrame({"article_id": ["a", "seed", "b"], "x": [1, 2, 3]})
    >>> seed, corpus = split(t, "seed")
    >>> seed["x"].tolist(), corpus["x"].tolist()
    ([2], [1, 3])
    """
    is_seed = table["article_id"] == seed_id
    if not is_seed.any():
        raise ValueError(f"{seed_id!r}: no rows of this article in the table; expected the seed analysed in the same run")
    return table[is_seed].reset_index(drop=True), table[~is_seed].reset_index(drop=True)


def load_manifest(path: str | Path = CORPUS / "MANIFEST.csv") -> pd.DataFrame:
    """The corpus manifest with ``article_id`` (file name without ``.txt``) as the first column."""
    manifest = pd.read_csv(path, dtype=str)
    manifest.insert(0, "article_id", manifest["file"].str.removesuffix(".txt"))
    return manifest


def _running(tokens: pd.DataFrame, sentences: pd.DataFrame, roles: Iterable[str]) -> pd.DataFrame:
    """Non-punctuation tokens of sentences whose role is in ``roles``."""
    role = sentences[["article_id", "sid", "role"]]
    merged = tokens.merge(role, on=["article_id", "sid"], how="left", validate="many_to_one")
    keep = merged["role"].isin(set(roles)) & ~merged["is_punct"].astype(bool)
    return merged[keep]


def running_size(tokens: pd.DataFrame, sentences: pd.DataFrame, roles: Iterable[str] = TEXT_ROLES) -> int:
    """Running non-punctuation tokens in the text roles, summed over the articles of the tables — the
    same basis as :func:`zhnews.terms.running_tokens` for one article.

    >>> tok = pd.DataFrame({"article_id": ["a"] * 4, "sid": [1, 1, 2, 2], "token": ["法治", "，", "标题", "词"],
    ...                     "pos": ["n", "w", "n", "n"], "is_punct": [False, True, False, False]})
    >>> sen = pd.DataFrame({"article_id": ["a", "a"], "sid": [1, 2], "role": ["body", "title"]})
    >>> running_size(tok, sen)
    1
    """
    return int(len(_running(tokens, sentences, roles)))


def term_counts(tokens: pd.DataFrame, sentences: pd.DataFrame, roles: Iterable[str] = TEXT_ROLES) -> pd.DataFrame:
    """``term, count, pos, articles``: each term's tokens in the running text, its most frequent POS tag
    and the number of articles using it; most frequent first, ties alphabetical.

    >>> tok = pd.DataFrame({"article_id": ["a", "a", "b", "b"], "sid": [1, 1, 1, 1],
    ...                     "token": ["法治", "建设", "法治", "的"], "pos": ["n", "v", "n", "u"],
    ...                     "is_punct": [False] * 4})
    >>> sen = pd.DataFrame({"article_id": ["a", "b"], "sid": [1, 1], "role": ["body", "lead"]})
    >>> term_counts(tok, sen).values.tolist()
    [['法治', 2, 'n', 2], ['建设', 1, 'v', 1]]
    """
    running = _running(tokens, sentences, roles)
    running = running[[is_term(t, p) for t, p in zip(running["token"], running["pos"])]]
    if running.empty:
        return pd.DataFrame(columns=["term", "count", "pos", "articles"])
    counts = running.groupby("token").agg(
        count=("token", "size"), pos=("pos", lambda p: p.value_counts().index[0]), articles=("article_id", "nunique"))
    table = counts.reset_index().rename(columns={"token": "term"})
    return table.sort_values(["count", "term"], ascending=[False, True], ignore_index=True)


def keyness_against(freq: pd.DataFrame, size: int, reference: pd.DataFrame, reference_size: int,
                    min_count: int = 3) -> pd.DataFrame:
    """G² and Log Ratio of each term seen ``min_count``+ times in ``freq`` (``term, count``) against a
    reference (``term, count`` and optionally ``articles``), sizes on the same basis; sorted by G²
    (ties alphabetical). A term absent from the reference has ``ref_count`` 0 (Log Ratio sets it to 0.5).

    >>> seed = pd.DataFrame({"term": ["法治", "工作", "稀有"], "count": [10, 3, 2]})
    >>> ref = pd.DataFrame({"term": ["法治", "工作"], "count": [10, 300], "articles": [5, 20]})
    >>> keyness_against(seed, 1000, ref, 100000)[["term", "ref_count", "keyness", "log_ratio"]].values.tolist()
    [['法治', 10, 64.78, 6.64], ['工作', 300, 0.0, 0.0]]
    """
    ref_count = dict(zip(reference["term"], reference["count"]))
    ref_articles = dict(zip(reference["term"], reference["articles"])) if "articles" in reference else {}
    rows = []
    for term, count in zip(freq["term"], freq["count"]):
        if count < min_count:
            continue
        ref = int(ref_count.get(term, 0))
        rows.append({
            "term": term, "count": int(count), "ref_count": ref, "ref_articles": int(ref_articles.get(term, 0)),
            "keyness": round(log_likelihood(int(count), ref, size, reference_size), 2) + 0.0,
            "log_ratio": round(log_ratio(int(count), ref, size, reference_size), 2) + 0.0,
        })
    table = pd.DataFrame(rows, columns=["term", "count", "ref_count", "ref_articles", "keyness", "log_ratio"])
    return table.sort_values(["keyness", "term"], ascending=[False, True], ignore_index=True)


def entity_inventory(entities: pd.DataFrame, types: Sequence[str] = INVENTORY_TYPES, top: int = 6) -> pd.DataFrame:
    """The ``top`` entity surfaces of each type across articles: ``type, surface, articles, mentions``,
    ranked by the number of articles naming them, then mentions, then the surface.

    >>> e = pd.DataFrame({"article_id": ["a", "a", "b", "b"], "type": ["ORG", "ORG", "ORG", "LOC"],
    ...                   "surface": ["市委", "市委", "司法局", "昆明"]})
    >>> entity_inventory(e, top=1).values.tolist()
    [['ORG', '市委', 1, 2], ['LOC', '昆明', 1, 1]]
    """
    chosen = entities[entities["type"].isin(types)]
    counts = chosen.groupby(["type", "surface"]).agg(articles=("article_id", "nunique"), mentions=("article_id", "size"))
    counts = counts.reset_index()
    counts["_type"] = counts["type"].map({t: i for i, t in enumerate(types)})
    counts = counts.sort_values(["_type", "articles", "mentions", "surface"], ascending=[True, False, False, True])
    return counts.groupby("type", sort=False).head(top).drop(columns="_type").reset_index(drop=True)


def formulation_inventory(formulations: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """Numbered formulations across articles: ``surface, kind, count, articles, outlets`` (outlet names
    from the manifest without their parenthesised notes, joined by "; "), most widespread first, then most frequent, then the surface.

    >>> f = pd.DataFrame({"article_id": ["a", "b", "b"], "surface": ["七五", "七五", "八五"],
    ...                   "kind": ["numbered_formula"] * 3, "count": [1, 2, 3]})
    >>> m = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["报甲", "网乙 (reprint)"]})
    >>> formulation_inventory(f, m).values.tolist()
    [['七五', 'numbered_formula', 3, 2, '报甲; 网乙'], ['八五', 'numbered_formula', 3, 1, '网乙']]
    """
    outlet = dict(zip(manifest["article_id"], manifest["outlet"].str.split(" (", regex=False).str[0]))
    rows = []
    for (surface, kind), group in formulations.groupby(["surface", "kind"]):
        outlets = sorted({outlet.get(a, a) for a in group["article_id"]})
        rows.append({"surface": surface, "kind": kind, "count": int(group["count"].sum()),
                     "articles": int(group["article_id"].nunique()), "outlets": "; ".join(outlets)})
    table = pd.DataFrame(rows, columns=["surface", "kind", "count", "articles", "outlets"])
    return table.sort_values(["articles", "count", "surface"], ascending=[False, False, True], ignore_index=True)


def positive_share(sentiment: pd.DataFrame, roles: Iterable[str] = TEXT_ROLES, label: str = "label") -> pd.DataFrame:
    """Per article: ``sentences`` of the running text, ``pos`` among them (by ``label``) and their
    ``share`` (rounded to 3 places); sorted by article.

    >>> s = pd.DataFrame({"article_id": ["a", "a", "a", "b"], "role": ["body", "body", "title", "lead"],
    ...                   "label": ["pos", "neu", "pos", "neu"]})
    >>> positive_share(s).values.tolist()
    [['a', 2, 1, 0.5], ['b', 1, 0, 0.0]]
    """
    running = sentiment[sentiment["role"].isin(set(roles))]
    table = running.groupby("article_id").agg(sentences=(label, "size"), pos=(label, lambda x: int((x == "pos").sum())))
    table["share"] = (table["pos"] / table["sentences"]).round(3)
    return table.reset_index().sort_values("article_id", ignore_index=True)


def structure_profile(articles: pd.DataFrame, sentences: pd.DataFrame, mechanisms: pd.DataFrame,
                      formulations: pd.DataFrame, roles: Iterable[str] = TEXT_ROLES) -> pd.DataFrame:
    """Per article: ``chars`` (all characters of the file), ``text_chars`` and ``sentences`` of the running
    text, ``sections`` (subheaded sections), ``enumerated`` (items of 一是… / 首先… / （一）… lists) and
    ``formulations`` (distinct numbered formulations and quantified targets).

    >>> a = pd.DataFrame({"article_id": ["a", "b"], "n_chars": [100, 50], "n_sections": [2, 0]})
    >>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "role": ["body", "title", "lead"], "n_chars": [30, 10, 20]})
    >>> m = pd.DataFrame({"article_id": ["a", "a"], "rank": [1, 2]})
    >>> f = pd.DataFrame({"article_id": ["b"], "surface": ["七五"]})
    >>> structure_profile(a, s, m, f).values.tolist()
    [['a', 100, 30, 1, 2, 2, 0], ['b', 50, 20, 1, 0, 0, 1]]
    """
    running = sentences[sentences["role"].isin(set(roles))]
    text = running.groupby("article_id").agg(text_chars=("n_chars", "sum"), sentences=("n_chars", "size"))
    enumerated = mechanisms.groupby("article_id").size().rename("enumerated")
    formulated = formulations.groupby("article_id")["surface"].nunique().rename("formulations")
    table = articles.set_index("article_id")[["n_chars", "n_sections"]].rename(columns={"n_chars": "chars", "n_sections": "sections"})
    table = table.join(text).join(enumerated).join(formulated).fillna(0).astype(int)
    columns = ["chars", "text_chars", "sentences", "sections", "enumerated", "formulations"]
    return table[columns].reset_index().sort_values("article_id", ignore_index=True)


def seed_position(values: Iterable[float], seed_value: float) -> dict[str, float]:
    """Where one value sits in a distribution: ``n`` corpus values, how many are ``below``, ``equal``
    and ``above``, and the mid-rank percentile 100 × (below + equal / 2) / n.

    >>> seed_position([1, 2, 2, 3, 10], 2)
    {'n': 5, 'below': 1, 'equal': 2, 'above': 2, 'percentile': 40.0}
    """
    values = list(values)
    below = sum(v < seed_value for v in values)
    equal = sum(v == seed_value for v in values)
    n = len(values)
    return {"n": n, "below": below, "equal": equal, "above": n - below - equal,
            "percentile": round(100 * (below + equal / 2) / n, 1) if n else float("nan")}


def positions(profile: pd.DataFrame, seed_id: str, columns: Sequence[str]) -> pd.DataFrame:
    """:func:`seed_position` of the seed for each of ``columns`` of a per-article table, with the corpus
    median and range: ``measure, seed, median, min, max, below, equal, above, percentile``.

    >>> p = pd.DataFrame({"article_id": ["a", "b", "s"], "x": [1, 3, 5]})
    >>> positions(p, "s", ["x"]).values.tolist()
    [['x', 5.0, 2.0, 1.0, 3.0, 2, 0, 0, 100.0]]
    """
    seed, corpus = split(profile, seed_id)
    rows = []
    for column in columns:
        value = float(seed[column].iloc[0])
        rows.append({"measure": column, "seed": value, "median": float(corpus[column].median()),
                     "min": float(corpus[column].min()), "max": float(corpus[column].max()),
                     **{k: v for k, v in seed_position(corpus[column], value).items() if k != "n"}})
    return pd.DataFrame(rows)


def benchmark_runs(folder: str | Path = BENCHMARKS) -> pd.DataFrame:
    """The corpus runs of each benchmark file present (``baseline.json``; ``after.json`` once added):
    ``run, target, chars, seconds, chars_per_s, peak_memory_mb``, sorted by run then size."""
    rows = []
    for run, name in BENCHMARK_FILES.items():
        path = Path(folder) / name
        if not path.is_file():
            continue
        for target, result in json.loads(path.read_text(encoding="utf-8"))["corpus"].items():
            rows.append({"run": run, "target": int(target), "chars": int(result["chars"]), "seconds": float(result["seconds"]),
                         "chars_per_s": int(result["chars_per_s"]), "peak_memory_mb": int(result["peak_memory_mb"])})
    columns = ["run", "target", "chars", "seconds", "chars_per_s", "peak_memory_mb"]
    return pd.DataFrame(rows, columns=columns).sort_values(["run", "target"], ascending=[False, True], ignore_index=True)


def distribution_plot(values: Iterable[float], seed_value: float, title: str, xlabel: str, seed_label: str = "seed"):
    """The corpus articles as dots along one axis (stacked where they coincide) with the seed as a
    vertical line; returns the figure."""
    from zhnews.plotting import PALETTE, figure

    fig, ax = figure(figsize=(8.0, 3.2))
    stack: dict[float, int] = {}
    for value in sorted(values):
        level = stack.get(value, 0)
        stack[value] = level + 1
        ax.plot([value], [level + 1], "o", color=PALETTE[0], markersize=7, alpha=0.8)
    ax.axvline(seed_value, color=PALETTE[3], linestyle="--", linewidth=1.5)
    top = max(stack.values()) if stack else 1
    ax.annotate(seed_label, (seed_value, top + 0.6), xytext=(4, 0), textcoords="offset points", color=PALETTE[3], fontsize=10)
    ax.set_ylim(0, top + 1.5)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("corpus articles")
    return fig


def profile_plot(profile: pd.DataFrame, seed_id: str, columns: Sequence[str], labels: Sequence[str], title: str):
    """One panel per measure: the corpus articles as a strip of dots, the seed as a red diamond."""
    from zhnews.plotting import PALETTE, figure

    seed, corpus = split(profile, seed_id)
    fig, axes = figure(nrows=len(columns), figsize=(8.0, 1.3 * len(columns) + 0.8))
    for ax, column, label in zip(axes, columns, labels):
        ax.plot(corpus[column], [0] * len(corpus), "o", color=PALETTE[0], alpha=0.5, markersize=7, label="corpus article")
        ax.plot(seed[column], [0], "D", color=PALETTE[3], markersize=9, label="seed")
        ax.set_yticks([])
        ax.set_xlabel(label)
        ax.grid(axis="y", visible=False)
    axes[0].legend(frameon=False, loc="upper right", ncol=2, bbox_to_anchor=(1.0, 1.6))
    axes[0].set_title(title, pad=24)
    fig.tight_layout()
    return fig


def scaling_plot(runs: pd.DataFrame, title: str):
    """Seconds against characters (log–log), one line per benchmark file, peak memory annotated."""
    from zhnews.plotting import figure

    fig, ax = figure()
    for (run, group), marker in zip(runs.groupby("run", sort=False), "os"):
        ax.plot(group["chars"], group["seconds"], marker=marker, linewidth=1.2, label=run)
        for chars, seconds, memory in zip(group["chars"], group["seconds"], group["peak_memory_mb"]):
            ax.annotate(f"{seconds:g} s, {memory / 1024:.1f} GB", (chars, seconds), xytext=(6, -10),
                        textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks([1e4, 1e5, 1e6], ["10 k", "100 k", "1 M"])
    ax.set_yticks([10, 30, 100, 300], ["10", "30", "100", "300"])
    ax.minorticks_off()
    ax.legend(frameon=False, loc="upper left")
    ax.set_title(title)
    ax.set_xlabel("characters in the corpus (log scale); measured on a shared 2-core machine")
    ax.set_ylabel("wall-clock seconds (log scale)")
    return fig
