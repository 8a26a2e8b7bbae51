"""A corpus of articles on Dask: ``python -m zhnews corpus PATHS… --out DIR``.

One task is one article: a worker runs :func:`zhnews.pipeline.analyse` on it — the same code path as
``python -m zhnews analyze FILE`` — and writes its tables as Parquet part files::

    DIR/<table>/part-<article_id>.parquet     one per article and table (paragraphs, sentences, tokens …)
    DIR/articles/part-<article_id>.parquet    article.json's record + article_id, path, status, version
    DIR/errors/part-<article_id>.parquet      only for an article not analysed: type and one-line message

Every row carries ``article_id`` (the file's stem) and ``sha256`` (of the file's bytes). Read a table
with ``pandas.read_parquet(DIR / "tokens")`` or :func:`read_table` (which keeps only the rows of
articles whose current status is ``ok``).

- **Writes are safe.** Each part is written to a hidden temporary file beside it and renamed into
  place; the ``articles`` part is written last, so it marks an article as done. A killed run leaves
  whole files only (hidden ``.part-*.tmp`` files are ignored by Parquet readers and removed by the
  next run).
- **Resumable.** An article whose ``articles`` part has the same sha256 and package version
  (:data:`zhnews.__version__`) and status ``ok`` or ``error`` (bad input) is skipped; ``failed``
  articles (a bug, a worker that died) are tried again.
- **Bad input is data, not a crash.** An empty, GBK, binary, HTML or non-Chinese file becomes a row of
  ``errors`` with the one-line message ``analyze`` prints; a file above
  :data:`zhnews.files.MAX_ARTICLE_BYTES` is refused unread. An unexpected exception in the code for one
  article is recorded with its type and traceback and the run goes on.
- **Consistent schemas.** A column that is empty in one article (Parquet type ``null``) is rewritten
  at the end of the run with the type other articles give it, so every part of a table has one schema
  (this reads every part's footer: seconds for thousands of articles).
- **Hash seed.** Dask's nanny starts every worker with ``PYTHONHASHSEED=6640`` when it is unset or 0
  (distributed PR 8400); the seed each worker used is recorded in ``articles.python_hash_seed``. The
  tables do not depend on it (tests/test_corpus_command.py compares them with ``analyse`` under seed 0).

Workers need this package installed and must see the articles and ``DIR`` at the same absolute paths
(a shared file system, as on an HPC cluster). This module imports nothing heavy at import time, so
the command line answers a user mistake before Dask or the models are loaded.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from zhnews import __version__
from zhnews.errors import ZhnewsError
from zhnews.files import MAX_ARTICLE_BYTES, read_bytes
from zhnews.output import check_output_dir
from zhnews.paths import relative

#: Memory limit of each worker of the default local cluster. One worker holds the models (SnowNLP,
#: jieba, pypinyin, the reference counts): 0.86 GB resident (0.76 GB unique) after the whole genre corpus,
#: measured on a ``dask worker`` with psutil; the limit leaves room for a long article's tables.
MEMORY_PER_WORKER = "2GiB"
#: Tables written by this module besides the pipeline's (``pipeline.TABLE_FILES`` minus ``article``).
ARTICLES, ERRORS = "articles", "errors"
#: ``status`` of an article in the ``articles`` table.
OK, USER_ERROR, FAILED = "ok", "error", "failed"
PART_PREFIX, TMP_SUFFIX = "part-", ".tmp"


class CorpusError(ZhnewsError):
    """The corpus command cannot start: no articles found, clashing article ids, no scheduler …"""


@dataclass(frozen=True)
class Item:
    """One article to analyse: its id, the path as the user gave it (display) and its absolute path."""

    article_id: str
    display: str
    path: str


@dataclass
class Summary:
    """What a run did (the CLI prints it as one line)."""

    out: str
    n_articles: int = 0
    analysed: int = 0
    skipped: int = 0
    user_errors: int = 0
    failed: int = 0
    workers: int = 0
    seconds: float = 0.0
    hash_seeds: set[str] = field(default_factory=set)
    mixed_schemas: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one-line summary.

        >>> Summary("out", 3, 1, 1, 1, 0, 2, 1.234).line()
        '3 articles: 1 analysed, 1 skipped (done before), 1 bad input, 0 failed → out/ (2 workers, 1.2 s)'
        """
        return (
            f"{self.n_articles} articles: {self.analysed} analysed, {self.skipped} skipped (done before), "
            f"{self.user_errors} bad input, {self.failed} failed → {self.out}/ ({self.workers} workers, {self.seconds:.1f} s)"
        )


# ---------------------------------------------------------------------------------------------
# Inputs


def expand(paths: Iterable[str | Path]) -> list[str]:
    """The article files named by ``paths``: files as given, folders by their ``*.txt`` (not hidden),
    glob patterns expanded; sorted within each argument, duplicates dropped.

    Raises :class:`CorpusError` for a path that does not exist or a pattern or folder that yields nothing.

    >>> from zhnews.paths import CORPUS
    >>> found = expand([CORPUS, str(CORPUS / "anhui-*.txt")])
    >>> len(found) == len(list(CORPUS.glob("*.txt"))), relative(found[0])
    (True, 'data/corpus/anhui-ahcaijing-2021-12-04.txt')
    """
    found: list[str] = []
    seen: set[str] = set()
    for given in map(str, paths):
        if Path(given).is_dir():
            names = sorted(str(p) for p in Path(given).glob("*.txt") if not p.name.startswith(".") and p.is_file())
            if not names:
                raise CorpusError(f"{given}: the folder holds no .txt files; expected a folder of UTF-8 .txt articles")
        elif Path(given).exists():
            names = [given]
        elif glob.has_magic(given):
            names = sorted(p for p in glob.glob(given) if Path(p).is_file())
            if not names:
                raise CorpusError(f"{given}: the pattern matches no file; expected a glob of .txt articles")
        else:
            raise CorpusError(f"{given}: no such file or folder; expected .txt articles, folders of them or a glob")
        for name in names:
            key = os.path.realpath(name)
            if key not in seen:
                seen.add(key)
                found.append(name)
    return found


def items(paths: Iterable[str]) -> list[Item]:
    """One :class:`Item` per file; the article id is the file's stem, which must be unique.

    >>> [i.article_id for i in items(["a/x.txt", "b/y.txt"])]
    ['x', 'y']
    >>> items(["a/x.txt", "b/x.txt"])
    Traceback (most recent call last):
    ...
    zhnews.corpus.CorpusError: a/x.txt and b/x.txt: both would get the article id 'x' (ids are file names without .txt); expected distinct file names — rename one
    """
    by_id: dict[str, Item] = {}
    for path in paths:
        item = Item(Path(path).stem, relative(path), os.path.abspath(path))
        if item.article_id in by_id:
            raise CorpusError(
                f"{by_id[item.article_id].display} and {item.display}: both would get the article id "
                f"'{item.article_id}' (ids are file names without .txt); expected distinct file names — rename one"
            )
        by_id[item.article_id] = item
    return list(by_id.values())


def file_sha256(path: str | Path) -> str | None:
    """sha256 of a file's bytes, read in chunks; None when it cannot be read or is above the size limit
    (so a huge file costs no time)."""
    try:
        if Path(path).stat().st_size > MAX_ARTICLE_BYTES:
            return None
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------
# Part files


def part_name(article_id: str) -> str:
    """File name of an article's part in every table folder.

    >>> part_name("kunming-2017-10-18")
    'part-kunming-2017-10-18.parquet'
    """
    return f"{PART_PREFIX}{article_id}.parquet"


def _write_part(table, folder: Path, article_id: str) -> Path:  # table: pyarrow.Table
    """Write one Parquet part atomically: a hidden temporary file in the same folder, then a rename."""
    import pyarrow.parquet as pq

    from zhnews.io import atomic_target

    target = folder / part_name(article_id)
    with atomic_target(target, TMP_SUFFIX) as tmp:
        pq.write_table(table, tmp)
    return target


def _arrow(frame, article_id: str, sha256: str | None):
    """A pandas table as an Arrow table with ``article_id`` and ``sha256`` as its first columns."""
    import pyarrow as pa

    frame = frame.copy()
    for position, (name, value) in enumerate((("article_id", article_id), ("sha256", sha256))):
        if name in frame.columns:
            frame = frame.drop(columns=name)
        frame.insert(position, name, value)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table.cast(table.schema.set(1, pa.field("sha256", pa.string())))


def _remove_parts(out: Path, article_id: str, keep: Iterable[str] = ()) -> None:
    """Remove the article's part in every table folder except ``keep``."""
    for folder in out.iterdir() if out.is_dir() else []:
        if folder.is_dir() and folder.name not in keep:
            (folder / part_name(article_id)).unlink(missing_ok=True)


def _record_row(record: dict) -> dict:
    """article.json's record as one row: lists stay lists of strings, dicts become JSON text."""
    return {
        key: json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict) else value
        for key, value in record.items()
    }


def _status_row(item: Item, sha256: str | None, status: str, record: dict | None = None) -> dict:
    row = {"article_id": item.article_id, "sha256": sha256, "status": status, "zhnews_version": __version__,
           "python_hash_seed": os.environ.get("PYTHONHASHSEED")}
    row.update(_record_row(record or {}))
    row["path"] = item.display
    row["sha256"] = sha256
    return row


def _finish(out: Path, item: Item, sha256: str | None, status: str, record: dict | None = None,
            error: dict | None = None) -> None:
    """Write the ``errors`` part (if any) and then the ``articles`` part, which marks the article done."""
    import pandas as pd

    if error is not None:
        _remove_parts(out, item.article_id, keep=(ARTICLES, ERRORS))
        _write_part(_arrow(pd.DataFrame([error]), item.article_id, sha256), out / ERRORS, item.article_id)
    else:
        (out / ERRORS / part_name(item.article_id)).unlink(missing_ok=True)
    row = _status_row(item, sha256, status, record)
    _write_part(_arrow(pd.DataFrame([row]), item.article_id, sha256), out / ARTICLES, item.article_id)


def error_row(item: Item, error: BaseException, user: bool) -> dict:
    """The ``errors`` row of an exception: type, the one-line message ``analyze`` prints, kind, traceback.

    The worker reads the file at its absolute path; the message names it as the user gave it.
    """
    message = str(error).replace(item.path, item.display).splitlines()[0] if str(error) else type(error).__name__
    return {
        "path": item.display,
        "error_type": type(error).__name__,
        "message": message,
        "kind": "bad input" if user else "internal",
        "zhnews_version": __version__,
        "traceback": "" if user else "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    }


def analyse_one(item: Item, out: str) -> dict:
    """Analyse one article with :func:`zhnews.pipeline.analyse` and write its parts (the task a worker runs).

    Returns a small summary: ``article_id``, ``status``, ``sha256``, ``message``, ``pid``, ``hash_seed``.
    Bad input and unexpected exceptions are recorded in ``errors``, never raised.
    """
    import pandas as pd

    from zhnews.pipeline import analyse

    out_dir = Path(out)
    (out_dir / ARTICLES / part_name(item.article_id)).unlink(missing_ok=True)  # not done until rewritten
    sha256 = file_sha256(item.path)
    try:
        tables = analyse(item.path)
    except ZhnewsError as error:
        status, record, error_info = USER_ERROR, None, error_row(item, error, user=True)
    except Exception as error:  # a bug for this article: recorded, the run goes on
        status, record, error_info = FAILED, None, error_row(item, error, user=False)
    else:
        record = dict(tables["article"])
        sha256 = record.get("sha256") or sha256
        for name, table in tables.items():
            if name != "article":  # the record goes into `articles`; any other one-record table is one row
                frame = pd.DataFrame([_record_row(table)]) if isinstance(table, dict) else table
                _write_part(_arrow(frame, item.article_id, sha256), out_dir / name, item.article_id)
        status, error_info = OK, None
    _finish(out_dir, item, sha256, status, record, error_info)
    return {"article_id": item.article_id, "status": status, "sha256": sha256,
            "message": error_info["message"] if error_info else "", "pid": os.getpid(),
            "hash_seed": os.environ.get("PYTHONHASHSEED")}


def refuse_too_large(item: Item) -> dict | None:
    """The ``errors`` row of a file above the size limit, decided from its size alone (never read)."""
    try:
        if Path(item.path).stat().st_size <= MAX_ARTICLE_BYTES:
            return None
        read_bytes(item.path)  # raises the same message as `analyze`, before reading
    except ZhnewsError as error:
        return error_row(item, error, user=True)
    except OSError:
        return None  # missing or unreadable: the worker reports it like `analyze`
    return None


# ---------------------------------------------------------------------------------------------
# Resuming and reading


def done_before(out: Path) -> dict[str, tuple[str, str, str]]:
    """``article_id → (sha256, zhnews_version, status)`` from the ``articles`` parts already in ``out``."""
    import pyarrow.parquet as pq

    done: dict[str, tuple[str, str, str]] = {}
    folder = out / ARTICLES
    for part in sorted(folder.glob(f"{PART_PREFIX}*.parquet")) if folder.is_dir() else []:
        try:
            row = pq.read_table(part, columns=["article_id", "sha256", "zhnews_version", "status"]).to_pylist()[0]
        except Exception:  # an unreadable part (another tool wrote it): analyse the article again
            continue
        done[row["article_id"]] = (row["sha256"], row["zhnews_version"], row["status"])
    return done


def is_done(previous: tuple[str, str, str] | None, sha256: str | None) -> bool:
    """True when an article was analysed (or refused as bad input) before with the same bytes and version.

    >>> is_done(("ab", __version__, "ok"), "ab"), is_done(("ab", "0.0.1", "ok"), "ab"), is_done(("ab", __version__, "failed"), "ab")
    (True, False, False)
    """
    return (previous is not None and sha256 is not None and previous[0] == sha256
            and previous[1] == __version__ and previous[2] in (OK, USER_ERROR))


def remove_temporary(out: Path) -> list[Path]:
    """Remove hidden ``.part-*.tmp`` files a killed run left in the table folders; return them."""
    stale = sorted(out.glob(f"*/.{PART_PREFIX}*{TMP_SUFFIX}")) if out.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def harmonise(out: Path) -> tuple[list[Path], list[str]]:
    """Give every part of each table the same schema; return the parts rewritten and the tables left mixed.

    A column that is empty in one article has the Parquet type ``null`` there; it is cast to the type the
    other articles give it (read from the files' footers only), so ``pandas.read_parquet(DIR / table)``
    reads all parts. Columns missing from a part are added as nulls. The rewrite is atomic, like every
    write. A table whose types cannot be reconciled (text in one part, numbers in another) is left as it
    is and named in the second list.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    rewritten, mixed = [], []
    for folder in sorted(p for p in out.iterdir() if p.is_dir()) if out.is_dir() else []:
        schemas = {part: pq.read_schema(part) for part in sorted(folder.glob(f"{PART_PREFIX}*.parquet"))}
        if len({schema.remove_metadata() for schema in schemas.values()}) <= 1:
            continue
        try:
            merged = pa.unify_schemas(list(schemas.values()), promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            mixed.append(folder.name)
            continue
        # column order and pandas metadata from the part with the most columns and the fewest empty ones
        richest = max(schemas.values(), key=lambda s: (len(s), -sum(pa.types.is_null(f.type) for f in s)))
        names = richest.names + [name for name in merged.names if name not in richest.names]
        target = pa.schema([merged.field(name) for name in names])
        for part, schema in schemas.items():
            if schema.remove_metadata() == target:
                continue
            table = pq.read_table(part)
            for column in target:
                if column.name not in table.column_names:
                    table = table.append_column(column.name, pa.nulls(len(table), column.type))
            table = table.select(target.names).cast(target).replace_schema_metadata(richest.metadata)
            _write_part(table, folder, part.name[len(PART_PREFIX):-len(".parquet")])
            rewritten.append(part)
    return rewritten, mixed


def read_table(out: str | Path, name: str, current_only: bool = True):
    """One table of a corpus run as a pandas DataFrame, sorted by ``article_id`` then its own order.

    With ``current_only`` (the default), rows of articles that are not ``ok`` in ``articles`` now, or whose
    sha256 differs from it (a part left from an older version of the file), are dropped.
    """
    import pandas as pd

    folder = Path(out) / name
    table = pd.read_parquet(folder) if folder.is_dir() else pd.DataFrame(columns=["article_id", "sha256"])
    if current_only and name not in (ARTICLES, ERRORS):
        articles = pd.read_parquet(Path(out) / ARTICLES, columns=["article_id", "sha256", "status"])
        current = articles[articles["status"] == OK][["article_id", "sha256"]]
        table = table.merge(current, on=["article_id", "sha256"], how="inner")
    order = {article_id: rank for rank, article_id in enumerate(sorted(table["article_id"].unique()))}
    table = table.assign(_order=table["article_id"].map(order)).sort_values("_order", kind="stable")
    return table.drop(columns="_order").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# The run


def default_workers() -> int:
    """Workers of the local cluster: one per core, fewer if memory is short (:data:`MEMORY_PER_WORKER` each)."""
    import psutil
    from dask.utils import parse_bytes

    cores = os.cpu_count() or 1
    return max(1, min(cores, psutil.virtual_memory().total // parse_bytes(MEMORY_PER_WORKER)))


def _client(scheduler: str | None, workers: int | None):
    """A Dask client: on an existing scheduler (an address or a scheduler file), or on a new local cluster."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            if Path(scheduler).is_file():
                return Client(scheduler_file=scheduler, timeout="30s"), None
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError, ValueError) as error:
            raise CorpusError(
                f"{scheduler}: cannot connect to a Dask scheduler ({str(error).splitlines()[0] if str(error) else type(error).__name__}); "
                "expected an address such as tcp://host:8786 or a scheduler file"
            ) from None
    cluster = LocalCluster(
        n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
        memory_limit=MEMORY_PER_WORKER, dashboard_address=None, host="127.0.0.1",
    )
    return Client(cluster), cluster


def _check_workers_see(client, out: Path) -> None:
    """Every worker must see the output folder (a shared file system); say so clearly if one does not."""
    seen = client.run(os.path.isdir, str(out))
    blind = sorted(address for address, ok in seen.items() if not ok)
    if blind:
        raise CorpusError(
            f"{out}: Dask worker(s) {', '.join(blind)} cannot see this folder; expected the articles and --out "
            "on a file system shared by the workers (the same absolute paths)"
        )


def analyse_corpus(paths: Iterable[str | Path], out: str | Path, scheduler: str | None = None,
                   workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> Summary:
    """Analyse every article named by ``paths`` on Dask and write the Parquet tables into ``out``.

    ``scheduler``: an address (``tcp://host:8786``) or a scheduler file of an existing cluster; by
    default a local cluster of ``workers`` processes (one per core), one thread each, no dashboard.
    ``progress(done, total)`` is called as articles finish. Returns a :class:`Summary`.
    """
    started = time.perf_counter()
    if workers is not None and workers < 1:
        raise CorpusError(f"--workers {workers}: expected a positive number of worker processes")
    out_dir = check_output_dir(out)
    todo = items(expand(paths))
    summary = Summary(out=relative(out), n_articles=len(todo))
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir):
        remove_temporary(out_dir)
        previous = done_before(out_dir)
        submit = []
        for item in todo:
            refused = refuse_too_large(item)
            if refused is not None and previous.get(item.article_id) == (None, __version__, USER_ERROR):
                summary.skipped += 1  # refused before, still too large
            elif refused is not None:
                (out_dir / ARTICLES / part_name(item.article_id)).unlink(missing_ok=True)
                _finish(out_dir, item, None, USER_ERROR, None, refused)
                summary.user_errors += 1
            elif is_done(previous.get(item.article_id), file_sha256(item.path)):
                summary.skipped += 1
            else:
                submit.append(item)
        if submit:
            _run(submit, out_dir, scheduler, workers, summary, progress, len(todo) - len(submit), len(todo))
        elif progress:
            progress(len(todo), len(todo))
        summary.mixed_schemas = harmonise(out_dir)[1]
    summary.seconds = time.perf_counter() - started
    return summary


def _run(submit: list[Item], out_dir: Path, scheduler: str | None, workers: int | None, summary: Summary,
         progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
    from distributed import as_completed

    client, cluster = _client(scheduler, workers)
    try:
        _check_workers_see(client, out_dir)
        summary.workers = len(client.scheduler_info(n_workers=-1)["workers"]) if scheduler else len(cluster.workers)
        if progress:
            progress(done, total)
        run_id = uuid.uuid4().hex[:8]
        futures = {client.submit(analyse_one, item, str(out_dir), key=f"zhnews-{item.article_id}-{run_id}"): item
                   for item in submit}
        for future in as_completed(futures):
            item = futures[future]
            if future.status == "finished":
                result = future.result()
                summary.hash_seeds.add(str(result["hash_seed"]))
                status = result["status"]
            else:  # the task itself could not run (its worker died, KilledWorker …): recorded like a bug
                try:
                    error = future.exception()
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as cancelled:  # CancelledError (a BaseException): the scheduler dropped it
                    error = cancelled
                _finish(out_dir, item, file_sha256(item.path), FAILED, None, error_row(item, error, user=False))
                status = FAILED
            summary.analysed += status == OK
            summary.user_errors += status == USER_ERROR
            summary.failed += status == FAILED
            done += 1
            if progress:
                progress(done, total)
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` for the run; a second run on the same ``--out`` is refused at once."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CorpusError(
                f"{relative(folder)}: another corpus run is writing there; expected one run per --out folder"
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


class TextProgress:
    """A progress bar on a stream (the CLI passes ``sys.stderr``): redrawn in place on a terminal; in a log
    file (a batch job's), one line per tenth of the work, so 100,000 articles do not make 100,000 updates.

    >>> import io
    >>> log = io.StringIO()
    >>> bar = TextProgress(log, width=10)
    >>> for done in range(0, 5):
    ...     bar(done, 4)
    >>> print(log.getvalue().replace(" 0 s", " t"), end="")
    [----------] 0/4 articles | t
    [##--------] 1/4 articles | t
    [#####-----] 2/4 articles | t
    [#######---] 3/4 articles | t
    [##########] 4/4 articles | t
    """

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.stream, self.width, self.started = stream, width, time.perf_counter()
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        line = f"[{'#' * filled}{'-' * (self.width - filled)}] {done}/{total} articles | {time.perf_counter() - self.started:.0f} s"
        if self.tty:
            self.stream.write(f"\r{line}" + ("\n" if done >= total else ""))
        else:
            tenth = 10 * done // total if total else 10
            if tenth == self.last_tenth:
                return
            self.last_tenth = tenth
            self.stream.write(line + "\n")
        self.stream.flush()
