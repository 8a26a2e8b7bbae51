"""Notebook hygiene: outputs committed, run top to bottom, no errors, no machine strings, clean metadata."""

from __future__ import annotations

import json
import re

import pytest

from zhnews.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MACHINE_STRINGS = re.compile(r"(/(root|home|Users|tmp|work)/|site-packages|[A-Z]:\\\\|0x[0-9a-f]{8,})")
HEADER_FIELDS = ("**Question**", "**Prerequisites**", "**Time**", "**You will learn**")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _text(output) -> str:
    data = output.get("data", {})
    return "".join(output.get("text", "")) + "".join(data.get("text/plain", "")) + "".join(data.get("text/html", ""))


def test_the_notebook_sequence_exists():
    names = [p.name for p in NOTEBOOKS]
    assert names == ["00_start_here.ipynb", "01_reading.ipynb", "02_annotation.ipynb", "03_sentiment.ipynb", "04_terms.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_hygiene(path):
    notebook = _load(path)
    cells = notebook["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code, "no code cells"
    assert all("".join(c["source"]).strip() for c in cells), "empty cell"
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), "not run top to bottom in one run"
    assert any(c["outputs"] for c in code), "no outputs committed"
    for cell in code:
        assert len("".join(cell["source"]).splitlines()) <= 30, "code cell longer than a screen: move logic to lib/"
        assert not re.search(r"^\s*(def|class) ", "".join(cell["source"]), re.M), "helper defined in a notebook"
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"error output in {path.name}"
            if output.get("name") == "stderr":
                pytest.fail(f"stderr output in {path.name}: {''.join(output['text'])[:200]}")
            text = _text(output)
            assert not MACHINE_STRINGS.search(text), MACHINE_STRINGS.search(text).group(0)
            assert not ("Glyph" in text and "missing" in text), "missing-glyph warning"
    metadata = notebook["metadata"]
    assert set(metadata) <= {"kernelspec", "language_info"}, f"unexpected metadata: {set(metadata)}"
    assert metadata["kernelspec"]["name"] == "python3"
    assert "version" not in metadata.get("language_info", {})
    assert all(not set(c.get("metadata", {})) - {"tags"} for c in cells), "cell metadata other than tags"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_teaches(path):
    cells = _load(path)["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    header = markdown[0]
    assert header.startswith("# ") and all(field in header for field in HEADER_FIELDS)
    joined = "\n".join(markdown)
    assert "## Limitations" in joined and "## Exercises" in joined
    assert "## Exercises" in markdown[-1], "the notebook ends with exercises"
    # every code cell is introduced or interpreted by prose next to it
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            neighbours = cells[max(0, i - 1) : i] + cells[i + 1 : i + 2]
            assert any(n["cell_type"] == "markdown" for n in neighbours) or cells[i - 1]["cell_type"] == "code"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_split_stream_outputs(path):
    """`make run` merges consecutive stream chunks; a split one means the file was saved some other way."""
    for cell in _load(path)["cells"]:
        outputs = cell.get("outputs", [])
        for before, after in zip(outputs, outputs[1:]):
            assert not (before["output_type"] == after["output_type"] == "stream" and before["name"] == after["name"])
