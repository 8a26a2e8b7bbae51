"""``python -m zhnews corpus`` on a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes
on localhost, started here and always torn down.

Evidence is independent of the code under test: the Parquet tables are compared with the tables
:func:`zhnews.pipeline.analyse` returns in this process; error messages with what ``analyze`` prints for the
same file; resuming with the files' bytes and modification times.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from zhnews import cli, corpus
from zhnews.files import MAX_ARTICLE_BYTES
from zhnews.paths import CORPUS, ROOT

MANIFEST = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
ENV = {**os.environ, "PYTHONHASHSEED": "0"}
#: The equality check runs on every fourth article of the manifest (8 of 31), to keep this file under a minute
#: on two cores: analysing all 31 in the test process as well takes ~20 s more (all 31 were compared once by
#: hand: identical). The whole corpus is still analysed by the cluster.
COMPARED = list(MANIFEST["file"])[::4]


def _stop(process: subprocess.Popen) -> None:
    """Stop a process we started (and its children: it leads its own session), bounded in time."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``(scheduler_file, client)`` of a scheduler and two single-thread workers on 127.0.0.1, no dashboard.

    ``--no-dashboard`` alone still starts each node's small HTTP server (health, metrics) on 0.0.0.0;
    ``--dashboard-address 127.0.0.1:0`` keeps it on the loopback interface too.
    """
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    processes = []
    client = None
    try:
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
             "--scheduler-file", str(scheduler_file), "--no-dashboard", "--dashboard-address", "127.0.0.1:0"],
            cwd=folder, env=ENV, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))
        deadline = time.monotonic() + 30
        while not scheduler_file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start within 30 s"
            assert processes[0].poll() is None, "the scheduler exited"
            time.sleep(0.1)
        for _ in range(2):  # the workers run in another folder: paths must not depend on the current directory
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
                 "--nthreads", "1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0", "--host", "127.0.0.1", "--memory-limit", corpus.MEMORY_PER_WORKER,
                 "--local-directory", str(folder), "--death-timeout", "60"],
                cwd=folder, env=ENV, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
        client = Client(scheduler_file=str(scheduler_file), timeout="30s")
        client.wait_for_workers(2, timeout=60)
        yield str(scheduler_file), client
    finally:
        if client is not None:
            client.close()
        for process in reversed(processes):
            _stop(process)


def _corpus(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhnews", "corpus", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def _parts(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``out`` with its bytes and modification time (ns)."""
    return {str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def full_run(cluster, tmp_path_factory):
    """The whole genre corpus analysed on the cluster: ``(out, completed process)``."""
    out = tmp_path_factory.mktemp("corpus") / "out"
    done = _corpus("data/corpus", "--out", str(out), "--scheduler", cluster[0])
    assert done.returncode == 0, done.stderr
    return out, done


def _record(row: pd.Series, like: dict) -> dict:
    """An ``articles`` row back as article.json's record: JSON text → dict, arrays → lists, numpy → Python."""
    record = {}
    for key in like:
        value = row[key]
        if isinstance(like[key], dict):
            value = json.loads(value)
        elif hasattr(value, "tolist"):
            value = value.tolist()
        record[key] = value
    return record


def test_corpus_equals_analyze_article_by_article(full_run):
    from zhnews.pipeline import TABLE_FILES, analyse

    out, done = full_run
    assert done.stdout.startswith(f"{len(MANIFEST)} articles: {len(MANIFEST)} analysed, 0 skipped"), done.stdout
    assert f"{len(MANIFEST)}/{len(MANIFEST)} articles" in done.stderr  # the progress bar is on stderr
    articles = pd.read_parquet(out / "articles")
    assert sorted(articles["article_id"]) == sorted(Path(f).stem for f in MANIFEST["file"])
    assert set(articles["status"]) == {"ok"} and not (out / "errors").exists()
    assert dict(zip(articles["article_id"] + ".txt", articles["sha256"])) == dict(zip(MANIFEST["file"], MANIFEST["sha256"]))
    tables = {name: pd.read_parquet(out / name) for name in TABLE_FILES if name != "article"}
    for file in COMPARED:
        expected = analyse(CORPUS / file)
        article_id = Path(file).stem
        row = articles[articles["article_id"] == article_id].iloc[0]
        assert _record(row, expected["article"]) == expected["article"], file
        for name, table in tables.items():
            rows = table[table["article_id"] == article_id]
            assert set(rows["sha256"]) <= {row["sha256"]}, (file, name)
            got = rows.drop(columns=["article_id", "sha256"]).reset_index(drop=True)
            pd.testing.assert_frame_equal(got, expected[name].reset_index(drop=True), check_dtype=False,
                                          check_index_type=False, check_column_type=False, obj=f"{file} {name}")


def test_models_load_once_per_worker(cluster, full_run):
    pids = cluster[1].run(os.getpid)
    assert len(pids) == 2
    # the models live in the worker process after the run (fastcore's prepared segmenter, loaded once, kept)
    loaded = cluster[1].run(lambda: "zhnews.pipeline" in sys.modules and "zhnews.fastcore" in sys.modules
                            and sys.modules["zhnews.fastcore"].seg_model.cache_info().currsize == 1)
    assert all(loaded.values())


def test_second_run_does_no_work_and_changes_nothing(cluster, full_run):
    out, _ = full_run
    before = _parts(out)
    again = _corpus("data/corpus", "--out", str(out), "--scheduler", cluster[0])
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"{len(MANIFEST)} articles: 0 analysed, {len(MANIFEST)} skipped (done before)")
    assert _parts(out) == before  # same bytes, same modification times: nothing rewritten


def _expected_message(path: Path, tmp_path: Path, capsys) -> str:
    """The one line ``python -m zhnews analyze`` prints for this file (without the ``zhnews: error:`` prefix)."""
    assert cli.main(["analyze", str(path), "--out", str(tmp_path / "analyze-out")]) == cli.EXIT_USAGE
    line = capsys.readouterr().err
    assert line.startswith("zhnews: error: ") and line.count("\n") == 1
    return line[len("zhnews: error: "):].rstrip("\n")


def test_bad_files_are_rows_of_errors_and_the_rest_is_analysed(cluster, tmp_path, capsys):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = list(MANIFEST["file"])[:2]
    for name in good:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    bad = {
        "empty": b"",
        "gbk": "昆明构建六大工作机制推动依法治市。".encode("gbk") * 20,
        "binary": bytes(range(256)) * 8,
        "page": "<!DOCTYPE html><html><head><title>法治</title></head><body>依法治市</body></html>".encode(),
        "english": b"Kunming builds six working mechanisms to govern the city according to law.",
    }
    for name, data in bad.items():
        (folder / f"{name}.txt").write_bytes(data)
    with open(folder / "huge.txt", "wb") as handle:  # sparse: refused by its size, never read
        handle.truncate(MAX_ARTICLE_BYTES + 1)
    expected = {path.stem: _expected_message(path, tmp_path, capsys) for path in sorted(folder.glob("*.txt"))
                if path.name not in good}
    started = time.monotonic()
    out = tmp_path / "out"
    done = _corpus(str(folder), "--out", str(out), "--scheduler", cluster[0])
    assert done.returncode == 0, done.stderr  # bad input is data, not a failure of the run
    assert done.stdout.startswith(f"{len(good) + len(expected)} articles: {len(good)} analysed, 0 skipped (done before), "
                                  f"{len(expected)} bad input, 0 failed")
    assert time.monotonic() - started < 60
    errors = pd.read_parquet(out / "errors").set_index("article_id")
    assert dict(errors["message"]) == expected
    assert "huge" in expected and f"{MAX_ARTICLE_BYTES:,} bytes" in expected["huge"]
    assert set(errors["kind"]) == {"bad input"}
    assert errors.loc["gbk", "error_type"] == "ArticleEncodingError" and errors.loc["empty", "error_type"] == "ArticleFormatError"
    articles = pd.read_parquet(out / "articles").set_index("article_id")
    assert dict(articles["status"]) == {**{Path(g).stem: "ok" for g in good}, **{name: "error" for name in expected}}
    assert sorted(corpus.read_table(out, "sentences")["article_id"].unique()) == sorted(Path(g).stem for g in good)
    # bad input is not tried again while the file and the version are unchanged
    before = _parts(out)
    again = _corpus(str(folder), "--out", str(out), "--scheduler", cluster[0])
    assert again.stdout.startswith(f"{len(good) + len(expected)} articles: 0 analysed, {len(good) + len(expected)} skipped")
    assert _parts(out) == before


def _break_one_article() -> None:
    """On a worker: make ``pipeline.analyse`` raise for one article (a stand-in for a bug)."""
    import zhnews.pipeline

    original = zhnews.pipeline.analyse

    def broken(path):
        if "guangxi-pawz" in str(path):
            raise RuntimeError("a bug for this article")
        return original(path)

    broken.original = original
    zhnews.pipeline.analyse = broken


def _repair() -> None:
    import zhnews.pipeline

    zhnews.pipeline.analyse = getattr(zhnews.pipeline.analyse, "original", zhnews.pipeline.analyse)


def test_a_bug_for_one_article_is_recorded_the_run_goes_on_and_exits_1(cluster, tmp_path):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
    names = ["fujian-fjsen-2018-12-03.txt", "guangxi-pawz-2015-10-16.txt", "hubei-cjw-2021-01-31.txt"]
    paths = [str(CORPUS / name) for name in names]
    out = tmp_path / "out"
    client = cluster[1]
    client.run(_break_one_article)
    try:
        done = _corpus(*paths, "--out", str(out), "--scheduler", cluster[0])
    finally:
        client.run(_repair)
    assert done.returncode == 1, done.stderr
    assert "2 analysed, 0 skipped (done before), 0 bad input, 1 failed" in done.stdout
    errors = pd.read_parquet(out / "errors")
    assert errors[["article_id", "error_type", "message", "kind"]].values.tolist() == [
        ["guangxi-pawz-2015-10-16", "RuntimeError", "a bug for this article", "internal"]]
    assert "Traceback" in errors["traceback"].iloc[0]
    # resuming retries the failed article only, and clears its error
    again = _corpus(*paths, "--out", str(out), "--scheduler", cluster[0])
    assert again.returncode == 0 and "1 analysed, 2 skipped" in again.stdout, again.stdout + again.stderr
    assert not list((out / "errors").glob("*.parquet"))
    assert set(pd.read_parquet(out / "articles")["status"]) == {"ok"}


@pytest.mark.parametrize("argv, fragment", [
    (["corpus", "no/such/folder", "--out", "{tmp}/o"], "no/such/folder: no such file or folder"),
    (["corpus", "{tmp}/*.nothing", "--out", "{tmp}/o"], "the pattern matches no file"),
    (["corpus", "data/corpus", "--out", "data/corpus/out"], "refusing to write under data/corpus/"),
    (["corpus", "data/corpus/anhui-qyxgov-2018-12-06.txt", "{tmp}/anhui-qyxgov-2018-12-06.txt", "--out", "{tmp}/o"],
     "both would get the article id 'anhui-qyxgov-2018-12-06'"),
])
def test_user_mistakes_are_one_line_and_fast(argv, fragment, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    (tmp_path / "anhui-qyxgov-2018-12-06.txt").write_text("法治", encoding="utf-8")
    started = time.monotonic()
    assert cli.main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("zhnews: error: ") and fragment in err and err.count("\n") == 1, err
    assert time.monotonic() - started < 2
    assert not (CORPUS / "out").exists()


def test_a_write_interrupted_midway_leaves_no_file(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    def fail(table, where, **kwargs):
        Path(where).write_bytes(b"PAR1 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(pq, "write_table", fail)
    with pytest.raises(KeyboardInterrupt):
        corpus._write_part(pa.table({"a": [1]}), tmp_path / "tokens", "x")
    assert list((tmp_path / "tokens").iterdir()) == []
    # a temporary file a SIGKILL left behind is invisible to readers and removed by the next run
    (tmp_path / "tokens" / ".part-x.parquet.abc.tmp").write_bytes(b"half")
    assert corpus.remove_temporary(tmp_path) == [tmp_path / "tokens" / ".part-x.parquet.abc.tmp"]


def test_empty_columns_get_the_type_other_articles_give_them(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "mechanisms"
    empty = pd.DataFrame({"rank": pd.Series([], dtype=object), "name": pd.Series([], dtype=object)})
    full = pd.DataFrame({"rank": [1, 2], "name": ["构建", "完善"]})
    corpus._write_part(corpus._arrow(empty, "a", "0" * 64), folder, "a")
    corpus._write_part(corpus._arrow(full, "b", "1" * 64), folder, "b")
    assert pa.types.is_null(pq.read_schema(folder / "part-a.parquet").field("rank").type)
    assert corpus.harmonise(tmp_path) == ([folder / "part-a.parquet"], [])
    assert pq.read_schema(folder / "part-a.parquet").field("rank").type == pa.int64()
    table = pd.read_parquet(folder)
    assert table["rank"].tolist() == [1, 2] and table["article_id"].tolist() == ["b", "b"]
    # a part without a column gets it as nulls; integers meeting floats become floats
    corpus._write_part(corpus._arrow(pd.DataFrame({"rank": [0.5]}), "c", "2" * 64), folder, "c")
    rewritten, mixed = corpus.harmonise(tmp_path)
    assert sorted(p.name for p in rewritten) == ["part-a.parquet", "part-b.parquet", "part-c.parquet"] and mixed == []
    table = pd.read_parquet(folder)
    assert table["rank"].tolist() == [1.0, 2.0, 0.5] and table["name"].tolist() == ["构建", "完善", None]
    # text in one part and numbers in another cannot be reconciled: left as is, and named
    corpus._write_part(corpus._arrow(pd.DataFrame({"rank": ["一"]}), "d", "3" * 64), folder, "d")
    assert corpus.harmonise(tmp_path) == ([], ["mechanisms"])


def _listening(pids) -> set[str]:
    import psutil

    return {f"{c.laddr.ip}" for pid in pids for c in psutil.Process(pid).net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN}


def test_the_default_local_cluster_is_private_and_bounded(cluster):
    from dask.utils import parse_bytes

    assert _listening(cluster[1].run(os.getpid).values()) == {"127.0.0.1"}  # the test cluster's workers too
    client, local = corpus._client(None, 1)
    try:
        (address, worker), = client.scheduler_info()["workers"].items()
        assert address.startswith("tcp://127.0.0.1:") and worker["nthreads"] == 1
        assert worker["memory_limit"] == parse_bytes(corpus.MEMORY_PER_WORKER)
        (worker_pid,) = client.run(os.getpid).values()
        assert worker_pid != os.getpid()  # a worker process (its nanny and the scheduler live in this process)
        # nothing listens on a public interface: not the scheduler, not the nanny, not the worker
        assert _listening({worker_pid, os.getpid()}) == {"127.0.0.1"}
    finally:
        client.close()
        local.close()


def test_a_second_run_on_the_same_out_is_refused_while_one_runs(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with corpus._locked(out):  # what a running `corpus` holds for its whole run
        assert cli.main(["corpus", str(CORPUS / "anhui-qyxgov-2018-12-06.txt"), "--out", str(out)]) == cli.EXIT_USAGE
    assert "another corpus run is writing there" in capsys.readouterr().err
    assert list(out.iterdir()) == []
