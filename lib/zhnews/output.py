"""The output folder of ``analyze``: checked before the analysis, replaced all-or-nothing after it.

A run writes every table into a hidden temporary folder beside ``--out`` and then swaps it in:

1. under an exclusive lock on the *parent* folder (``flock``), so two runs on the same ``--out``
   cannot interleave and no lock file is left behind;
2. files in the old folder that are not tables of this package (a user's notes) are hard-linked into
   the new folder first, so they survive;
3. the new folder replaces the old one in **one** atomic step: ``renameat2(RENAME_EXCHANGE)`` on
   Linux, a plain ``rename`` when there is no old folder; elsewhere two renames, the old folder kept
   until the new one is in place;
4. the old set (now in the temporary place) is deleted.

A run stopped at any moment therefore leaves either the complete old set or the complete new set at
``--out``. SIGTERM and Ctrl-C clean up the temporary folder on the way out; after a SIGKILL a hidden
``.NAME.zhnews-tmp-PID-*`` folder may remain beside ``--out``, and the next run on it removes it (a
folder whose process is still alive, i.e. a concurrent run's, is left alone).

This module imports nothing heavy: the command line validates ``--out`` before loading any model.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from zhnews.errors import ZhnewsError
from zhnews.paths import CORPUS, RAW

TMP_MARK = ".zhnews-tmp-"


class OutputError(ZhnewsError):
    """``--out`` cannot be used: a file, unwritable, or inside ``data/raw/``."""


class ProtectedPathError(OutputError):
    """An attempt to write into ``data/raw/`` (the raw data are never modified)."""


#: Folders whose files are source data, never written to by the package.
PROTECTED = {"data/raw/": RAW, "data/corpus/": CORPUS}


def check_writable(path: str | Path) -> None:
    """Raise :class:`ProtectedPathError` if ``path`` is ``data/raw/`` or ``data/corpus/`` or lies inside
    one (call it before long work)."""
    resolved = Path(path).resolve()
    for name, folder in PROTECTED.items():
        if resolved == folder.resolve() or folder.resolve() in resolved.parents:
            raise ProtectedPathError(f"{path}: refusing to write under {name} (source data are read-only)")


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_output_dir(out: str | Path) -> Path:
    """Validate ``--out`` before any work; return it as an absolute path.

    It must not be ``data/raw/``, not an existing file, and the folder that will hold it must be
    writable (tested by creating and removing a temporary folder there, which also works as root).
    """
    out = Path(out)
    check_writable(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: --out names an existing file; expected a folder (existing or new) for the tables")
    absolute = Path(os.path.abspath(out))
    parent = _nearest_existing(absolute.parent)
    if not parent.is_dir():
        raise OutputError(f"{out}: {parent} is a file, so the folder cannot be created; expected a folder path")
    try:
        probe = tempfile.mkdtemp(prefix=f".{absolute.name}{TMP_MARK}{os.getpid()}-probe-", dir=parent)
        os.rmdir(probe)
        if out.is_dir():
            probe = tempfile.mkdtemp(prefix=f".{TMP_MARK}probe-", dir=out)
            os.rmdir(probe)
    except OSError as error:
        raise OutputError(f"{out}: cannot write there ({error.strerror.lower()}); expected a writable folder") from None
    return absolute


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``folder`` (flock on its descriptor) for the duration of the block."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the swap is still atomic per run
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux's ``renameat2(RENAME_EXCHANGE)``; False if unsupported."""
    library = ctypes.util.find_library("c")
    if library is None:
        return False
    libc = ctypes.CDLL(library, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(out: Path) -> list[Path]:
    """Remove temporary folders that an earlier, *dead* run left beside ``out``; return them.

    Each temporary folder carries its creator's process id, so a concurrent live run's folder is kept.
    """
    stale = []
    for path in sorted(out.parent.glob(f".{out.name}{TMP_MARK}*")):
        pid = path.name[len(f".{out.name}{TMP_MARK}"):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            stale.append(path)
    return stale


def _carry_over(old: Path, new: Path, ours: set[str]) -> None:
    """Hard-link (or copy) into ``new`` every entry of ``old`` that is not one of our tables."""
    for entry in old.iterdir():
        if entry.name in ours or (new / entry.name).exists() or TMP_MARK in entry.name:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, copy_function=_link_or_copy, symlinks=True)
        else:
            _link_or_copy(entry, new / entry.name)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def replace_folder(out: str | Path, write: Callable[[Path], list[str]]) -> list[Path]:
    """Write a new set of files with ``write(folder) -> names`` and swap it in at ``out`` all-or-nothing.

    ``write`` fills a fresh temporary folder beside ``out`` and returns the names it wrote (our
    tables; any other file already in ``out`` is kept). Returns the final paths.
    """
    out = check_output_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}{TMP_MARK}{os.getpid()}-", dir=out.parent))
    try:
        names = write(staging)
        os.chmod(staging, 0o755)
        with _locked(out.parent):
            if out.is_dir():
                _carry_over(out, staging, set(names))
                if not _exchange(staging, out):
                    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}{TMP_MARK}{os.getpid()}-old-", dir=out.parent))
                    os.rmdir(aside)
                    os.rename(out, aside)
                    os.rename(staging, out)
                    staging = aside
            else:
                os.rename(staging, out)
                staging = None
            if staging is not None:
                shutil.rmtree(staging)
                staging = None
            remove_stale(out)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in names]
