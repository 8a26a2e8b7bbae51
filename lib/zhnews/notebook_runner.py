"""Execute notebooks top to bottom in a fresh kernel and write them back reproducibly.

Used by ``make run`` (``python -m zhnews notebooks``). Metadata that would change from machine to
machine or run to run (timings, the Python patch version, widget state) is dropped, so that a
re-run on the same environment leaves ``git status`` clean.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat

from zhnews.io import write_text_atomic

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO_KEYS = ("name", "codemirror_mode", "file_extension", "mimetype", "nbconvert_exporter", "pygments_lexer")


def clean_metadata(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep only stable metadata: the generic kernelspec and language info without a version."""
    language = notebook.metadata.get("language_info", {})
    notebook.metadata = nbformat.from_dict(
        {
            "kernelspec": dict(KERNELSPEC),
            "language_info": {k: language[k] for k in LANGUAGE_INFO_KEYS if k in language},
        }
    )
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    return notebook


def coalesce_streams(outputs: list) -> list:
    r"""Merge *consecutive* stream outputs of the same name (stdout, stderr) into one.

    The kernel flushes a long ``print`` in as many chunks as timing dictates, so the same cell can produce
    one stream output or two; merging makes the saved notebook identical from run to run (nbval merges
    streams the same way before comparing).

    >>> merged = coalesce_streams([nbformat.v4.new_output("stream", name="stdout", text="a:"),
    ...                            nbformat.v4.new_output("stream", name="stdout", text=" b\n")])
    >>> len(merged), merged[0]["text"]
    (1, 'a: b\n')
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def execute(path: str | Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel of this environment, in its own folder; return it."""
    from nbclient import NotebookClient

    path = Path(path)
    # the kernel must be this environment's, whatever kernelspecs the user has elsewhere
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH", "")])
    os.environ.setdefault("PYTHONHASHSEED", "0")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", record_timing=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    return clean_metadata(notebook)


def report_font_css() -> str:
    """CSS that draws the Chinese of an HTML copy with the packaged font (``fonts/`` beside the page), after the
    template's own font stacks, so a machine without a CJK font shows glyphs instead of empty boxes."""
    from zhnews.webfont import FAMILY, font_face_css

    return (font_face_css() + f"\nbody, .jp-RenderedHTMLCommon, table {{ font-family: var(--jp-content-font-family, "
            f'sans-serif), "{FAMILY}"; }}\npre, code, .jp-OutputArea-output pre {{ font-family: '
            f'var(--jp-code-font-family, monospace), "{FAMILY}"; }}')


def html(notebook: nbformat.NotebookNode) -> str:
    """The notebook as a standalone HTML page (JupyterLab template) that brings its Chinese font along
    (:func:`report_font_css`; :func:`run` writes the font file into ``fonts/`` beside the pages)."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    return body.replace("</head>", f"<style>\n{report_font_css()}\n</style>\n</head>", 1)


def write_report_font(html_dir: str | Path) -> Path:
    """The web font of the HTML copies: ``<html_dir>/fonts/``, subset to the Chinese of every page there."""
    from zhnews.webfont import FONT_NAME, cjk_characters, write_font

    html_dir = Path(html_dir)
    path, _ = write_font(html_dir / FONT_NAME, cjk_characters(sorted(html_dir.glob("*.html"))))
    return path


def run_one(path: str | Path, html_dir: str | Path | None = None) -> list[Path]:
    """Execute one notebook in place (atomically) and optionally write ``<html_dir>/<name>.html``."""
    path = Path(path)
    notebook = execute(path)
    written = [write_text_atomic(path, nbformat.writes(notebook) + "\n")]
    if html_dir is not None:
        written.append(write_text_atomic(Path(html_dir) / f"{path.stem}.html", html(notebook)))
    return written


def run(paths: list[str | Path], html_dir: str | Path | None = None, workers: int = 1) -> list[Path]:
    """Execute notebooks (each in its own fresh kernel), ``workers`` at a time; return the files written.

    Notebooks are independent (each reads the raw article itself), so running them side by side gives
    the same outputs as running them in order.
    """
    if workers <= 1 or len(paths) <= 1:
        written = [p for path in paths for p in run_one(path, html_dir)]
    else:
        from concurrent.futures import ProcessPoolExecutor

        # longest first (file size is a fair proxy for the work a notebook does), so the workers finish together
        ordered = sorted(paths, key=lambda p: -Path(p).stat().st_size)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run_one, ordered, [html_dir] * len(ordered)))
        written = [p for result in results for p in result]
    if html_dir is not None:
        written.append(write_report_font(html_dir))
    return written
