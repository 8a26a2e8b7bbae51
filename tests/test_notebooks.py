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
    assert names[:5] == ["00_start_here.ipynb", "01_reading.ipynb", "02_annotation.ipynb", "03_sentiment.ipynb", "04_terms.ipynb"]
    assert [int(name[:2]) for name in names] == list(range(len(names))), "notebooks numbered in reading order"


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
    assert all(not set(c.get("metadata", {})) - {"tags", "jupyter"} for c in cells), "cell metadata other than tags"
    assert all(set(c["metadata"].get("jupyter", {})) <= {"source_hidden"} for c in cells), "jupyter metadata other than source_hidden"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_teaches(path):
    cells = _load(path)["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    header = markdown[0]
    assert header.startswith("# ") and all(field in header for field in HEADER_FIELDS)
    joined = "\n".join(markdown)
    assert "## Limitations" in joined and "## Exercises" in joined
    headings = [m for m in markdown if m.startswith("## ")]
    assert headings[-1].startswith("## Exercises") or (
        headings[-1].startswith("## Solutions") and headings[-2].startswith("## Exercises")
    ), "the notebook ends with exercises (and their solutions)"
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


def _exercise_numbers(markdown: str) -> list[int]:
    """The numbers of the exercises listed in an Exercises cell ("1. ★ …")."""
    return [int(n) for n in re.findall(r"^(\d+)\. ", markdown, re.M)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_a_difficulty_and_a_hidden_checked_solution(path):
    cells = _load(path)["cells"]
    sources = ["".join(c["source"]) for c in cells]
    start = next(i for i, s in enumerate(sources) if cells[i]["cell_type"] == "markdown" and s.startswith("## Exercises"))
    exercises = _exercise_numbers(sources[start])
    assert exercises == list(range(1, len(exercises) + 1)) and exercises, "exercises numbered 1, 2, …"
    items = re.split(r"^\d+\. ", sources[start], flags=re.M)[1:]
    assert all("★" in item[:5] for item in items), "every exercise marks its difficulty (★, ★★, ★★★)"
    solved = sorted(int(n) for s in sources for n in re.findall(r"^\*\*Solution to exercise (\d+)", s))
    assert solved == exercises, f"solutions for exercises {solved}, exercises {exercises}"
    solutions = [c for c in cells[start:] if c["cell_type"] == "code"]
    assert solutions and all("solution" in c["metadata"].get("tags", []) for c in solutions)
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in solutions), "solutions hidden until asked for"
    assert all("assert" in "".join(c["source"]) for c in solutions), "each solution checks the result its text claims"
