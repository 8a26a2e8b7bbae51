"""Project-local Jupyter configuration, used by `make lab` (JUPYTER_CONFIG_DIR points here).

It never touches the user's home: the Makefile sets JUPYTER_CONFIG_DIR to this folder for the one command.
- custom/custom.css (JupyterLab 4 loads it when LabApp.custom_css is on; it is looked up in
  JUPYTER_CONFIG_DIR/custom/ and served at <base_url>custom/custom.css) declares Noto Sans SC as a web font
  for CJK code points, in prose, the UI and code;
- the font file itself is served by the server from the installed wheel pylopdf-fonts-zh-cn (SIL OFL 1.1),
  at <base_url>static/NotoSansSC-Regular.otf, through ServerApp.extra_static_paths: it is never copied into
  the repository;
- nothing is fetched from the internet: no news feed, no update check, no PyPI search for extensions.
User settings and workspaces stay in jupyter-config/lab/ (git-ignored) while JupyterLab runs this way.
"""

from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

try:
    from pylopdf_fonts_zh_cn import sans_path
except ImportError:  # the environment is incomplete: JupyterLab still starts, Chinese falls back to system fonts
    pass
else:
    c.ServerApp.extra_static_paths = [str(Path(sans_path()).parent)]

c.LabApp.custom_css = True
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.extension_manager = "readonly"  # no PyPI queries from the extension manager
