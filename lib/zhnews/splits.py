"""The genre corpus's splits and what each may be used for.

The corpus (``data/corpus/MANIFEST.csv``, column ``split``) was built in two rounds:

- **Round 1** fixed ``dev`` (16 articles) and ``test`` (15) before any tuning. Rules, lexicons and thresholds were
  fitted on ``dev`` (and the seed); ``test`` was scored once. Those round-1 scores are kept and recomputable
  (notebook 05 shows them).
- **Round 2** added ``test2``: new articles collected and annotated blind while the rules were frozen away from
  them. Once the round-1 test had been scored and its errors counted, it was moved into the tuning data: round-2
  rules may be fitted on ``dev`` and ``test``. ``test2`` is scored once, with the rules frozen: its score is the
  **headline** — the only one on articles nobody tuned anything on.

>>> may_tune_on("test"), may_tune_on("test2"), HEADLINE
(True, False, 'test2')
>>> role("dev"), role("test2")
('tuning', 'held-out')
"""

from __future__ import annotations

#: Every corpus split, in display order.
CORPUS_SPLITS = ("dev", "test", "test2")
#: Splits rules were fitted on in round 1 (``test`` was held out then).
ROUND1_TUNING = ("dev",)
#: Splits rules, lexicons, gazetteers and thresholds may be fitted on now (round 2).
TUNING = ("dev", "test")
#: Splits never studied: scored once, counts only.
HELD_OUT = ("test2",)
#: The split whose score is quoted first.
HEADLINE = "test2"


def may_tune_on(split: str) -> bool:
    """Whether a rule, lexicon entry or threshold may be fitted on (or cite) articles of ``split``."""
    return split in TUNING


def role(split: str) -> str:
    """``tuning`` for a split rules were fitted on, ``held-out`` for one that is only scored."""
    if split not in CORPUS_SPLITS:
        raise ValueError(f"unknown corpus split {split!r}; expected one of {', '.join(CORPUS_SPLITS)}")
    return "tuning" if may_tune_on(split) else "held-out"


def check_studyable(split: str, what: str) -> None:
    """Refuse to show examples (surfaces, sentences) of a held-out split: it is scored, never read."""
    if role(split) == "held-out":
        raise ValueError(f"{what} shows tuning splits only ({', '.join(TUNING)}), not the held-out {split!r}: "
                         "held-out articles are scored in aggregate, never read")
