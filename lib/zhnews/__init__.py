"""zhnews — read, annotate and analyse a Chinese news article, reproducibly.

The library does every computation; the notebooks in ``notebooks/`` narrate.
"""

__version__ = "0.1.0"
