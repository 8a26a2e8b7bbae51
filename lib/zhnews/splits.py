"""The genre corpus's splits and what each may be used for.

The corpus (``data/corpus/MANIFEST.csv``, column ``split``) grows by **rounds**. In each round the rules are
fitted on the splits of :attr:`Round.tuning`, frozen (a commit), and then scored **once** on a split nobody had
seen (:attr:`Round.held_out`), collected and annotated blind meanwhile. After that scoring the held-out split joins
the tuning data of the next round, and a new held-out split is collected. Every round's held-out score is kept in
``data/corpus/round{N}_scores.csv`` with the commit it comes from (:func:`zhnews.validation.round_scores`).

- **Round 1**: fitted on ``dev``, scored on ``test``.
- **Round 2**: fitted on ``dev`` + ``test``, scored on ``test2``.
- **Round 3**: fitted on ``dev`` + ``test`` + ``test2``, scored on ``test3``.
- **Round 4**: fitted on ``dev`` + ``test`` + ``test2`` + ``test3``, models chosen by leave-one-split-out
  estimates, scored on ``test4`` — the **headline**: the only articles nobody tuned today's methods on.

>>> may_tune_on("test3"), may_tune_on("test4"), HEADLINE
(True, False, 'test4')
>>> role("dev"), role("test4")
('tuning', 'held-out')
>>> [(r.number, r.held_out) for r in ROUNDS]
[(1, 'test'), (2, 'test2'), (3, 'test3'), (4, 'test4')]
"""

from __future__ import annotations

from typing import NamedTuple


class Round(NamedTuple):
    """One round of tuning: the splits rules were fitted on, and the split then scored once."""

    number: int
    tuning: tuple[str, ...]
    held_out: str


#: The rounds so far, oldest first; the last is the current one.
ROUNDS = (
    Round(1, ("dev",), "test"),
    Round(2, ("dev", "test"), "test2"),
    Round(3, ("dev", "test", "test2"), "test3"),
    Round(4, ("dev", "test", "test2", "test3"), "test4"),
)
#: Every corpus split, in display order.
CORPUS_SPLITS = ("dev",) + tuple(r.held_out for r in ROUNDS)
#: Splits rules were fitted on in round 1 (``test`` was held out then).
ROUND1_TUNING = ROUNDS[0].tuning
#: Splits rules, lexicons, gazetteers and thresholds may be fitted on now.
TUNING = ROUNDS[-1].tuning
#: Splits never studied: scored once, counts only.
HELD_OUT = (ROUNDS[-1].held_out,)
#: The split whose score is quoted first.
HEADLINE = ROUNDS[-1].held_out


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
