"""The README's notebook map quotes numbers; each must be one the notebook's committed outputs show.

A summary sentence that drifts from its notebook (a κ re-estimated, a threshold changed) is the kind of
error a reviewer catches: this test catches it first. Every number in the "main results" column of a
notebook's row must occur in that notebook's outputs (text, tables or HTML), written the same way.
"""

from __future__ import annotations

import json
import re

import pytest

from zhnews.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: A number as the README writes it: 0.96, 515, 3,112, 97 %, −0.04 (the minus sign may be U+2212).
NUMBER = re.compile(r"(?<![\w.])[−-]?\d[\d,]*(?:\.\d+)?")


def _map_rows() -> list[tuple[str, str]]:
    """(notebook file name, main-results text) of every row of the README's notebook map."""
    section = README[README.index("## Notebooks") :]
    section = section[: section.index("\n## ", 1)]
    rows = []
    for line in section.splitlines():
        match = re.match(r"\|\s*\[`(\d\d_\w+)`\]\(notebooks/\1\.ipynb\)\s*\|[^|]*\|(.*)\|\s*$", line)
        if match:
            rows.append((match.group(1), match.group(2)))
    return rows


def _outputs(name: str) -> str:
    notebook = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    texts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            for kind in ("text/plain", "text/html", "text/markdown"):
                texts.append("".join(output.get("data", {}).get(kind, "")))
    return "\n".join(texts)


ROWS = _map_rows()


def test_the_map_lists_every_notebook():
    assert [name for name, _ in ROWS] == sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name, results", ROWS, ids=[name for name, _ in ROWS])
def test_every_number_in_the_map_is_in_the_notebook_outputs(name, results):
    outputs = _outputs(name).replace("\u2212", "-")
    plain = outputs.replace(",", "")
    # single digits and calendar years (People's Daily 1998) name things; every other number is a result
    quoted = [n for n in NUMBER.findall(results.replace("`", ""))
              if not re.fullmatch(r"0?\d|(?:19|20)\d\d", n.strip("−-"))]
    missing = [n for n in quoted if n.replace("\u2212", "-") not in outputs and n.replace(",", "").replace("\u2212", "-") not in plain]
    assert not missing, f"{name}: README quotes {missing}, not found in the notebook's outputs"


def test_the_headline_table_quotes_notebook_05():
    """The README's first table (test, dev and seed scores of each layer) is notebook 05's, number for number."""
    table = README[README.index("**How far to trust it on another article**") : README.index("## Quickstart")]
    outputs = _outputs("05_validation")
    quoted = [n for n in NUMBER.findall(table) if not re.fullmatch(r"0?\d|(?:19|20)\d\d|95", n)]
    assert len(quoted) >= 12
    missing = [n for n in quoted if n not in outputs]
    assert not missing, f"the README's headline table quotes {missing}, not in notebook 05's outputs"
