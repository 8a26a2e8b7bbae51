"""Atomic, deterministic writing of tables, JSON and files.

Every output goes to a temporary file in the target folder first and is then renamed over the
target, so a crash never leaves half a table. Nothing is ever written under ``data/raw/``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from zhnews.errors import ZhnewsError
from zhnews.paths import RAW


class ProtectedPathError(ZhnewsError):
    """An attempt to write into ``data/raw/`` (the raw data are never modified)."""


def check_writable(path: str | Path) -> None:
    """Raise :class:`ProtectedPathError` if ``path`` is ``data/raw/`` or lies inside it (call it before long work)."""
    resolved = Path(path).resolve()
    if resolved == RAW.resolve() or RAW.resolve() in resolved.parents:
        raise ProtectedPathError(f"{path}: refusing to write under data/raw/ (raw data are read-only)")



def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + rename); create parent folders."""
    path = Path(path)
    check_writable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically, with ``\\n`` line ends on every platform."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV with a header, no index, ``\\n`` line ends, stable float format."""
    return write_text_atomic(path, table.to_csv(index=False, lineterminator="\n", float_format="%.6g"))


def write_json(record: dict, path: str | Path) -> Path:
    """Write a JSON record: UTF-8, Chinese as it is, two-space indent, trailing newline."""
    return write_text_atomic(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
