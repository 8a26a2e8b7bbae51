"""Notebook 06 runs on any article of the genre: papermill with another ``article_path``, from the project root."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from zhnews import reading
from zhnews.paths import CORPUS, ROOT

NOTEBOOK = ROOT / "notebooks" / "06_your_article.ipynb"
#: One article with a byline (本报讯-style lead with 记者), one cut short at the stored copy's limit; both from
#: a tuning split (the notebook's own-annotation check shows single articles of tuning splits only).
OTHER_ARTICLES = {
    "byline": "data/corpus/beijing-chinadaily-2015-10-25.txt",
    "truncated": "data/corpus/chongqing-hlw-2020-12-04.txt",
}


def _manifest() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False).set_index("file")


def _parameters_cell() -> dict:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters` (papermill injects after it)"
    return tagged[0]


def test_the_parameters_cell_names_a_complete_dev_article():
    namespace: dict = {}
    exec("".join(_parameters_cell()["source"]), namespace)  # plain assignments only
    path = namespace["article_path"]
    assert not path.startswith("/"), "paths relative to the project root"
    entry = _manifest().loc[path.removeprefix("data/corpus/")]
    assert (entry["split"], entry["status"]) == ("dev", "complete")


def test_the_chosen_other_articles_are_what_the_test_says():
    manifest = _manifest()
    byline = reading.load(ROOT / OTHER_ARTICLES["byline"]).metadata
    assert byline["reporter"], "the byline article names a reporter"
    assert manifest.loc[OTHER_ARTICLES["truncated"].removeprefix("data/corpus/"), "status"] == "truncated"
    assert all(manifest.loc[p.removeprefix("data/corpus/"), "split"] == "dev" for p in OTHER_ARTICLES.values())


def _output_text(notebook: dict) -> str:
    parts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", "".join(output.get("traceback", []))[-500:]
            parts.append("".join(output.get("text", "")))
            data = output.get("data", {})
            parts.append("".join(data.get("text/plain", "")) + "".join(data.get("text/html", "")))
    return "\n".join(parts)


@pytest.mark.parametrize("kind", sorted(OTHER_ARTICLES))
def test_the_notebook_runs_on_another_article(kind, tmp_path):
    papermill = pytest.importorskip("papermill")
    article_path = OTHER_ARTICLES[kind]
    title = reading.load(ROOT / article_path).metadata["title"]
    assert title, "the article has a title to look for"
    output = tmp_path / "06_out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(output), parameters={"article_path": article_path, "figure_folder": str(tmp_path)},
        kernel_name="python3", cwd=str(ROOT), progress_bar=False,
    )
    text = _output_text(json.loads(output.read_text(encoding="utf-8")))
    assert title in text
    assert article_path in text  # the file shown is the parameter's, as a project-relative path
    stem = article_path.rsplit("/", 1)[1].removesuffix(".txt")
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [f"06_{stem}_keyness.png", f"06_{stem}_roles.png"]
