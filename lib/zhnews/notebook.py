"""One call at the top of every notebook: display settings and the house figure style."""

from __future__ import annotations

import warnings

import pandas as pd

from zhnews import plotting


def setup() -> None:
    """Wide, readable tables; Chinese-capable figures; no noise from third-party deprecations."""
    pd.set_option("display.max_colwidth", 70)
    pd.set_option("display.max_rows", 80)
    pd.set_option("display.width", 120)
    pd.set_option("display.precision", 3)
    plotting.use_house_style()
    # jieba and snownlp use pkg_resources / old regex escapes; their warnings are not ours to fix
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(jieba|snownlp|pkg_resources)")
    warnings.filterwarnings("ignore", category=SyntaxWarning, module=r"(jieba|snownlp)")
