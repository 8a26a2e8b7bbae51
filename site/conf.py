"""Sphinx configuration of the zhnews tutorial site (``make site``).

The site is built from the COMMITTED notebooks: nothing is executed (``nb_execution_mode = "off"``) and
nothing is downloaded (no intersphinx, no remote assets, no MathJax). Sources are this folder plus the
repository's ``notebooks/`` folder, which is linked in as ``site/notebooks`` at build time (a symlink, or a copy
where symlinks are not allowed; both are git-ignored). The README is the home page (``index.md``).

The Chinese web font: at the end of the build, Noto Sans SC (SIL OFL 1.1) is taken from the installed wheel
``pylopdf-fonts-zh-cn``, subset with fontTools to the characters the site shows (plus the 3,755 common
characters of GB 2312 level 1, for the search box) and written to ``_static/fonts/``; ``_static/zhnews.css``
declares it with ``@font-face`` for CJK code points only. The font is never committed to the repository.

One setting: the repository's public URL (launch buttons for Binder and Colab, the repository button). It is
read from ``repository-code:`` in ``CITATION.cff``; the environment variable ``ZHNEWS_REPOSITORY_URL``
overrides it; until either exists a placeholder is used (see ``PLACEHOLDER_URL``).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from sphinx.util import logging

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
NOTEBOOKS = ROOT / "notebooks"

# --- the one setting: where the repository lives --------------------------------------------------------------

PLACEHOLDER_URL = "https://github.com/OWNER/zhnews"


def repository_url() -> str:
    """``$ZHNEWS_REPOSITORY_URL``, else ``repository-code`` of CITATION.cff, else the placeholder."""
    env = os.environ.get("ZHNEWS_REPOSITORY_URL", "").strip()
    if env:
        return env.rstrip("/")
    cff = ROOT / "CITATION.cff"
    if cff.exists():
        match = re.search(r"^repository-code:\s*[\"']?([^\"'\s]+)", cff.read_text(encoding="utf-8"), re.M)
        if match:
            return match.group(1).rstrip("/")
    return PLACEHOLDER_URL


# --- sources: the notebooks folder appears inside the source directory ---------------------------------------


def link_notebooks() -> None:
    """Make ``site/notebooks`` point at ``../notebooks`` (symlink; a fresh copy where symlinks fail)."""
    target = SITE / "notebooks"
    if target.is_symlink() and target.resolve() == NOTEBOOKS.resolve():
        return
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    try:
        target.symlink_to(Path("..") / "notebooks", target_is_directory=True)
    except OSError:  # Windows without developer mode: copy instead
        shutil.copytree(NOTEBOOKS, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


link_notebooks()

#: Notebook pages, in reading order (00, 01, …, and 05_validation, 06_your_article, 07_corpus when present).
TUTORIAL = sorted(p.stem for p in NOTEBOOKS.glob("0*.ipynb"))
#: References are written by others in notebooks/references.md; until then a placeholder page stands in.
REFERENCES_DOC = "notebooks/references" if (NOTEBOOKS / "references.md").exists() else "references"

# --- project ---------------------------------------------------------------------------------------------------

project = "zhnews"
author = "zhnews contributors"
copyright = "zhnews contributors; code MIT, annotation CC BY 4.0, article © its publisher"
html_title = "zhnews · reading one Chinese news article"
language = "en"

extensions = ["myst_nb"]  # MyST-NB brings MyST-Parser

root_doc = "index"
# Only the site's pages and the notebooks folder's tutorial pages are sources; anything else in notebooks/ is
# left out (so that a stray file there does not turn into an orphan page and a warning).
_keep = {f"{name}.ipynb" for name in TUTORIAL} | {"glossary.md", "references.md"}
exclude_patterns = [
    "_build",
    "**/.ipynb_checkpoints",
    "README.md",
    *(f"notebooks/{p.name}" for p in sorted(NOTEBOOKS.iterdir()) if p.name not in _keep),
    *(["references.md"] if REFERENCES_DOC != "references" else []),
]

# --- MyST and notebooks ----------------------------------------------------------------------------------------

nb_execution_mode = "off"  # the committed outputs are the content; never re-executed here
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "deflist"]  # no dollarmath: MathJax would be fetched from a CDN
myst_heading_anchors = 3  # `glossary.md#cohens-kappa` style links between pages

# --- HTML --------------------------------------------------------------------------------------------------------

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["zhnews.css"]
# a valid colour mode on the first visit (an empty one logs a console error in pydata-sphinx-theme 0.15)
html_context = {"default_mode": "auto"}
html_last_updated_fmt = None  # no build date in the pages: identical output from identical sources
html_show_sphinx = True
html_copy_source = True
# Sphinx's built-in search, with Chinese words segmented by jieba (installed) so that 法治 finds pages; English
# words are still stemmed.
html_search_language = "zh"
html_theme_options = {
    "repository_url": repository_url(),
    "repository_branch": "main",
    "path_to_docs": "",  # notebooks' launch paths are notebooks/NN_name.ipynb, relative to the repository root
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",  # repo2docker reads environment.yml at the repository root
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
}


def fill_toctree(app, docname: str, source: list[str]) -> None:
    """Write the reading order into index.md's toctrees (notebooks found at build time)."""
    if docname == "index":
        source[0] = source[0].replace("TUTORIAL_NOTEBOOKS", "\n".join(f"notebooks/{n}" for n in TUTORIAL))
        source[0] = source[0].replace("REFERENCES_DOC", REFERENCES_DOC)


def link_repository_files(app, doctree) -> None:
    """Links from a page to a repository file outside the site (``../data/annotations/codebook.md``) point to
    that file in the repository (``<repository>/blob/main/<path>``) instead of failing as missing pages."""
    from docutils import nodes
    from sphinx import addnodes

    source = Path(app.env.doc2path(app.env.docname)).resolve()  # notebooks/… resolves into ROOT/notebooks
    for node in list(doctree.findall(addnodes.pending_xref)):
        if node.get("reftype") != "myst" or node.get("refdomain"):
            continue
        path, _, anchor = node["reftarget"].partition("#")
        if not path or "://" in path:
            continue
        # the README, included by index.md and data_dictionary.md, links relative to the repository root
        candidates = [source.parent / path] + ([ROOT / path] if source.parent == SITE else [])
        target = next((c.resolve() for c in candidates if c.exists()), None)
        if target is None or ROOT not in target.parents or SITE in target.parents:
            continue
        kind = "tree" if target.is_dir() else "blob"
        uri = f"{repository_url()}/{kind}/main/{target.relative_to(ROOT).as_posix()}" + (f"#{anchor}" if anchor else "")
        reference = nodes.reference("", "", *node.children, refuri=uri, internal=False)
        reference["classes"].append("repository-file")
        node.replace_self(reference)


def add_web_font(app, exception) -> None:
    """Write Noto Sans SC (from the installed wheel) into ``_static/fonts/``, subset to the site's characters."""
    if exception is not None or app.builder.format != "html":
        return
    sys.path.insert(0, str(SITE))
    from webfont import write_site_font  # noqa: PLC0415  (site/webfont.py, next to this file)

    path, n_chars = write_site_font(Path(app.outdir))
    logging.getLogger(__name__).info(f"zhnews: web font {path.relative_to(app.outdir)} ({n_chars} characters)")


def setup(app):
    app.connect("source-read", fill_toctree)
    app.connect("doctree-read", link_repository_files)
    app.connect("build-finished", add_web_font)
