"""Where the compendium's folders are. The library is installed editable from ``lib/``."""

from __future__ import annotations

from pathlib import Path

#: The project root (the folder holding ``lib/``, ``data/`` and ``notebooks/``).
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RAW = DATA / "raw"
#: The genre corpus: real articles byte for byte, MANIFEST.csv and gold/ (never written to, like RAW).
CORPUS = DATA / "corpus"
ANNOTATIONS = DATA / "annotations"
LEXICONS = DATA / "lexicons"
DERIVED = DATA / "derived"
REPORTS = ROOT / "reports"
FIGURES = REPORTS / "figures"
#: The article this package is about.
SEED = RAW / "kunming-2017-10-18.txt"


def relative(path: str | Path) -> str:
    """A path relative to the project root when it lies inside it (outputs never show machine paths).

    >>> relative(ROOT / "data" / "raw" / "x.txt")
    'data/raw/x.txt'
    >>> relative("elsewhere/y.txt")
    'elsewhere/y.txt'
    """
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()
