"""Atomic, deterministic writing of tables, JSON and files.

Every output goes to a temporary file in the target folder first and is then renamed over the
target, so a crash never leaves half a table. Nothing is ever written under ``data/raw/``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Iterator

import pandas as pd

from zhnews.output import ProtectedPathError, check_writable  # noqa: F401  (re-exported)

#: Characters that would break a CSV row if written unquoted (line ends of any reader, NUL).
_ROW_BREAKERS = "\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@contextlib.contextmanager
def atomic_target(path: str | Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary file beside ``path`` to write into: renamed over ``path`` when the block succeeds, removed
    when it fails (so a crash never leaves half a file). Refuses ``data/raw/`` and ``data/corpus/``.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "t.txt"
    >>> with atomic_target(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('done', ['t.txt'])
    """
    path = Path(path)
    check_writable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + rename); create parent folders."""
    with atomic_target(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically, with ``\\n`` line ends on every platform."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def needs_full_quoting(table: pd.DataFrame) -> bool:
    """True when a text cell holds a character that splits rows for some CSV reader (CR, LF, NUL …).

    >>> needs_full_quoting(pd.DataFrame({"text": ["好", "a\\rb"]})), needs_full_quoting(pd.DataFrame({"n": [1]}))
    (True, False)
    """
    pattern = "[" + _ROW_BREAKERS + "]"
    return any(
        bool(table[column].astype("string").str.contains(pattern, regex=True, na=False).any())
        for column in table.columns if table[column].dtype == object
    )


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV with a header, no index, ``\\n`` line ends, stable float format.

    Fields are quoted only where needed; a table with a line-breaking character inside a text cell
    (which the reader never produces, but a caller might) is written with every field quoted, so it
    always reads back with the same rows via ``csv`` and pandas.
    """
    quoting = csv.QUOTE_ALL if needs_full_quoting(table) else csv.QUOTE_MINIMAL
    return write_text_atomic(path, table.to_csv(index=False, lineterminator="\n", float_format="%.6g", quoting=quoting))


def write_json(record: dict, path: str | Path) -> Path:
    """Write a JSON record: UTF-8, Chinese as it is, two-space indent, trailing newline."""
    return write_text_atomic(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
