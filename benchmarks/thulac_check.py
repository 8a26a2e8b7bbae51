"""One-off check of THULAC, a segmenter we measured but do not ship (a 510 MB install for its models).

THULAC (Tsinghua) installs and loads offline from PyPI, so the issue's "any other segmenter" applies; it
is left out of the environment because of its size. To reproduce the figure quoted in the README:

    python3 -m venv /tmp/thulac-venv && /tmp/thulac-venv/bin/pip install thulac
    PYTHONPATH=/tmp/thulac-venv/lib/python3.11/site-packages .venv/bin/python benchmarks/thulac_check.py

(2026-11-27: dev F1 0.915, held-out test F1 0.923, all 0.918, model load 1.6 s.)
"""

from __future__ import annotations

from zhnews import annotate, reading
from zhnews.paths import SEED


def main() -> None:
    try:
        import thulac
    except ImportError:
        print("thulac is not importable: see this script's docstring for how to install it aside.")
        return
    segmenter = thulac.thulac(seg_only=True)
    article = reading.load(SEED)
    for part in ("dev", "test", "all"):
        gold = [g for g in annotate.load_segmentation_gold() if part in ("all", g.split)]
        tp = predicted = expected = 0
        for sentence in gold:
            text = article.norm[sentence.start : sentence.end]
            words = [w for w, _ in segmenter.cut(text) if w.strip()]
            spans = set(annotate.align(words, text, sentence.start))
            gold_spans = annotate._spans(sentence.tokens, sentence.start)
            tp, predicted, expected = tp + len(spans & gold_spans), predicted + len(spans), expected + len(gold_spans)
        print(part, annotate.prf(tp, predicted, expected))


if __name__ == "__main__":
    main()
