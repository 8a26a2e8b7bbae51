"""Entities, numbered formulations (提法) and quantified targets, with offsets into the raw text.

Entities are found by four documented methods, combined and then resolved by the longest-span
rule of the codebook:

- **metadata**: people and outlets the reading stage found in the credits (reporter, photographer,
  editors; source, outlet, newspaper);
- **POS**: a one-character surname tagged ``nr`` followed by given-name tokens tagged ``nr``;
- **patterns** of the genre: 《titles》 and nested 〈titles〉, dates and periods, Party congresses and
  plenums, quoted campaigns “…”活动, named contests, quoted organisations “…中心/基地/智库”,
  leading groups and their offices, communities next to a district;
- **gazetteer** (``data/lexicons/gazetteer.csv``): Kunming's administrative divisions and
  development zones and the standard Party and state bodies of a Chinese city, each with its reason.

Types: PER, LOC, ORG, DOC, EVENT, DATE (definitions in ``data/annotations/codebook.md``).
"""

from __future__ import annotations

import csv
import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from zhnews.annotate import bootstrap_f1, prf, segment, tag, tokens_table
from zhnews.paths import ANNOTATIONS, LEXICONS
from zhnews.reading import Article

TYPES = ("PER", "LOC", "ORG", "DOC", "EVENT", "DATE")
GAZETTEER = LEXICONS / "gazetteer.csv"
_HAN = "\u4e00-\u9fff"
_NUM = "一二三四五六七八九十百两"


@dataclass(frozen=True)
class Mention:
    """An entity mention: offsets into the raw text, its type and the method that found it."""

    start: int
    end: int
    type: str
    method: str


@lru_cache(maxsize=2)
def load_gazetteer(path: str | Path = GAZETTEER) -> tuple[tuple[str, str], ...]:
    """(name, type) pairs of the gazetteer, longest name first."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [(r["name"], r["type"]) for r in csv.DictReader(handle)]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


# ---------------------------------------------------------------------------------------------
# Methods


def _find_all(text: str, needle: str) -> list[int]:
    found, position = [], text.find(needle)
    while position != -1:
        found.append(position)
        position = text.find(needle, position + len(needle))
    return found


def from_metadata(article: Article) -> list[Mention]:
    """People and outlets of the credits, located in the paragraphs they were read from."""
    meta = article.metadata
    roles = {"reporter": ("lead", "dateline", "footer"), "correspondent": ("lead", "dateline", "footer"),
             "photographer": ("caption",), "editor": ("footer",), "responsible_editor": ("footer",)}
    mentions = []
    for field, where in roles.items():
        for name in meta.get(field) or []:
            for p in article.paragraphs:
                if p.role in where:
                    mentions += [Mention(p.start + i, p.start + i + len(name), "PER", "metadata") for i in _find_all(p.text, name)]
    for field in ("source", "outlet", "newspaper"):
        name = meta.get(field)
        if name and name not in ("本报", "本報"):
            for p in article.paragraphs:
                if p.role in ("dateline", "lead"):
                    mentions += [Mention(p.start + i, p.start + i + len(name), "ORG", "metadata") for i in _find_all(p.text, name)]
    return mentions


def from_pos(article: Article, tokens: pd.DataFrame | None = None) -> list[Mention]:
    """Person names: a one-character ``nr`` token (surname) followed by ``nr`` tokens, 2–4 characters in all."""
    tokens = tokens_table(article) if tokens is None else tokens
    mentions = []
    rows = list(tokens.itertuples(index=False))
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.pos == "nr" and len(row.token) == 1:
            j = i + 1
            while j < len(rows) and rows[j].pos == "nr" and rows[j].start == rows[j - 1].end and rows[j].sid == row.sid:
                j += 1
            if j > i + 1 and 2 <= rows[j - 1].end - row.start <= 4:
                mentions.append(Mention(row.start, rows[j - 1].end, "PER", "pos"))
                i = j
                continue
        i += 1
    return mentions


_PATTERNS: tuple[tuple[str, str, str], ...] = (
    # (type, name, regex on the normalised text); group "e" if present is the entity, else the whole match
    ("DOC", "title in 《》", r"《(?P<e>[^《》\n]{2,80})》"),
    ("DOC", "nested title in 〈〉", r"〈(?P<e>[^〈〉\n]{2,60})〉"),
    ("DATE", "date and time", r"\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?"),
    ("DATE", "calendar date", r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日"),
    ("DATE", "anchored period", rf"(?:过去|未来|近)的?[{_NUM}\d]+年"),
    ("EVENT", "Party congress", rf"十[{_NUM}]?大(?![会战行事力])"),
    ("EVENT", "plenum", rf"十[{_NUM}]?届[{_NUM}]中全会"),
    ("EVENT", "numbered session", rf"(?:市委|省委|县委|区委|市人大|市政协)?[{_NUM}]+届[{_NUM}]+次[{_HAN}]{{0,4}}(?:（[{_HAN}]{{1,4}}）)?会议"),
    ("EVENT", "quoted campaign", rf"(?:“[^“”\n]{{2,20}}”)+[{_HAN}]{{0,6}}?(?:活动|评选|大赛|行动)(?![{_HAN}])"),
    ("EVENT", "first-ever event", rf"(?:[{_HAN}]{{2}}市)?首届[^，。；“”\n]{{2,30}}(?:活动|大赛|评选|论坛)"),
    ("ORG", "quoted organisation", rf"“(?P<e>[^“”\n]{{2,24}}(?:中心|基地|智库|研究院|协会|学会|委员会))”"),
    ("ORG", "leading group or office", rf"(?:[{_HAN}]{{2}}市委)?依法治[市省县区](?:领导小组|办公室|办)"),
    ("ORG", "university", rf"[{_HAN}]{{2}}(?:师范|理工|农业|财经|民族|政法|人民|交通|医科)?大学"),
    ("ORG", "newspaper or outlet", rf"[{_HAN}]{{2}}(?:日报|晚报|时报|信息港)"),
)


def from_patterns(article: Article) -> list[Mention]:
    """Mentions matched by the genre patterns (see the module docstring)."""
    mentions = []
    for type_, name, pattern in _PATTERNS:
        for match in re.finditer(pattern, article.norm):
            group = "e" if "e" in match.groupdict() else 0
            mentions.append(Mention(match.start(group), match.end(group), type_, f"pattern: {name}"))
    return mentions


def from_gazetteer(article: Article) -> list[Mention]:
    """Gazetteer names (longest first, not inside a longer name already found), plus a community
    (…社区) directly after a district."""
    taken = [False] * len(article.norm)
    mentions = []
    for name, type_ in load_gazetteer():
        for start in _find_all(article.norm, name):
            end = start + len(name)
            if not any(taken[start:end]):
                mentions.append(Mention(start, end, type_, "gazetteer"))
                for k in range(start, end):
                    taken[k] = True
    for mention in list(mentions):
        if mention.type == "LOC":
            community = re.match(rf"[{_HAN}]{{2,6}}?(?:社区|街道|村)", article.norm[mention.end : mention.end + 8])
            if community:
                mentions.append(Mention(mention.end, mention.end + community.end(), "LOC", "pattern: community after district"))
    return mentions


# ---------------------------------------------------------------------------------------------
# Combination


def sentence_finder(article: Article) -> Callable[[int], int | None]:
    """A function giving the ``sid`` of the sentence that holds a character offset (``None`` outside
    every sentence), by bisection over the sentence starts: O(log n) per look-up.

    >>> from zhnews.reading import parse
    >>> sid_at = sentence_finder(parse("标题\\n某网讯(记者 张三) 第一句。第二句。"))
    >>> sid_at(0), sid_at(19), sid_at(2)
    (1, 3, None)
    """
    starts = [s.start for s in article.sentences]
    sentences = article.sentences

    def sid_at(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        return sentences[i].sid if i >= 0 and offset < sentences[i].end else None

    return sid_at


def resolve(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest span where mentions overlap (a DOC may nest inside a DOC); drop duplicates.

    >>> resolve([Mention(0, 2, "LOC", "a"), Mention(0, 4, "ORG", "b"), Mention(10, 20, "DOC", "c"), Mention(12, 15, "DOC", "d")])
    [Mention(start=0, end=4, type='ORG', method='b'), Mention(start=10, end=20, type='DOC', method='c'), Mention(start=12, end=15, type='DOC', method='d')]
    """
    # Linear-logarithmic: the kept mentions that are not nested DOCs never overlap one another, so a
    # candidate can only clash with the kept mention that starts last before its end (bisect), or with
    # a DOC nested inside that one.
    outer_starts: list[int] = []
    outer: list[Mention] = []
    nested: dict[tuple[int, int], list[Mention]] = {}
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start, TYPES.index(m.type))):
        i = bisect.bisect_left(outer_starts, mention.end) - 1
        other = outer[i] if i >= 0 and outer[i].end > mention.start else None
        if other is None:
            j = bisect.bisect_left(outer_starts, mention.start)
            outer_starts.insert(j, mention.start)
            outer.insert(j, mention)
            kept.append(mention)
            continue
        inside = other.start <= mention.start and mention.end <= other.end and (other.start, other.end) != (mention.start, mention.end)
        if mention.type == other.type == "DOC" and inside:
            siblings = nested.setdefault((other.start, other.end), [])
            if not any(mention.start < n.end and n.start < mention.end for n in siblings):
                siblings.append(mention)
                kept.append(mention)
    return sorted(kept, key=lambda m: (m.start, -m.end))


def find_entities(article: Article, tokens: pd.DataFrame | None = None) -> list[Mention]:
    """All entity mentions of the article, every method combined and resolved."""
    mentions = from_metadata(article) + from_pos(article, tokens) + from_patterns(article) + from_gazetteer(article)
    from zhnews.genre_entities import adjust  # the genre methods (divisions, place + body, credits); imports this module

    return resolve(adjust(article, mentions))


def entities_table(article: Article, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """``entities.csv``: ``sid, start, end, surface, type`` (+ ``method``), in text order."""
    rows = []
    sid_at = sentence_finder(article)
    for m in find_entities(article, tokens):
        sid = sid_at(m.start)
        rows.append({"sid": sid, "start": m.start, "end": m.end, "surface": article.raw[m.start : m.end],
                     "type": m.type, "method": m.method})
    table = pd.DataFrame(rows, columns=["sid", "start", "end", "surface", "type", "method"])
    table["sid"] = table["sid"].astype("Int64")
    return table


# ---------------------------------------------------------------------------------------------
# Evaluation


def load_entities_gold(path: str | Path = ANNOTATIONS / "entities_gold.csv") -> pd.DataFrame:
    """The hand-made entity gold: ``start, end, surface, type, note``."""
    return pd.read_csv(path, keep_default_na=False)


def evaluate_entities(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Exact-match precision/recall/F1 per type and overall (a mention counts when span and type agree)."""
    predicted_set = set(zip(predicted["start"], predicted["end"], predicted["type"]))
    gold_set = set(zip(gold["start"], gold["end"], gold["type"]))
    rows = []
    for type_ in TYPES + ("all",):
        p = {m for m in predicted_set if type_ in ("all", m[2])}
        g = {m for m in gold_set if type_ in ("all", m[2])}
        rows.append({"type": type_, "gold": len(g), "predicted": len(p), "correct": len(p & g), **prf(len(p & g), len(p), len(g))})
    return pd.DataFrame(rows)


def entity_errors(predicted: pd.DataFrame, gold: pd.DataFrame, raw: str) -> pd.DataFrame:
    """Missed and spurious mentions (a wrong span or a wrong type shows as one of each), in text order."""
    predicted_set = set(zip(predicted["start"], predicted["end"], predicted["type"]))
    gold_set = set(zip(gold["start"], gold["end"], gold["type"]))
    methods = dict(zip(zip(predicted["start"], predicted["end"], predicted["type"]), predicted.get("method", "")))
    rows = [{"start": s, "end": e, "surface": raw[s:e], "type": t, "error": "missed", "method": ""}
            for s, e, t in gold_set - predicted_set]
    rows += [{"start": s, "end": e, "surface": raw[s:e], "type": t, "error": "spurious", "method": methods.get((s, e, t), "")}
             for s, e, t in predicted_set - gold_set]
    table = pd.DataFrame(rows, columns=["start", "end", "surface", "type", "error", "method"])
    return table.sort_values(["start", "error"], ignore_index=True)


def _unit_of(starts: list[int], position: int) -> int:
    """Index of the sentence holding ``position`` (-1: outside every sentence, e.g. boilerplate)."""
    import bisect

    return bisect.bisect_right(starts, position) - 1


def entity_counts_by_sentence(predicted: pd.DataFrame, gold: pd.DataFrame, article: Article) -> list[tuple[int, int, int]]:
    """(correct, predicted, gold) exact typed mentions per sentence of the article (a mention belongs to the
    sentence its start falls in; mentions outside every sentence form one more unit)."""
    starts = [s.start for s in article.sentences]
    ends = {i: s.end for i, s in enumerate(article.sentences)}
    predicted_set = set(zip(predicted["start"], predicted["end"], predicted["type"]))
    gold_set = set(zip(gold["start"], gold["end"], gold["type"]))
    units: dict[int, list[int]] = {i: [0, 0, 0] for i in range(-1, len(starts))}
    for mention in predicted_set | gold_set:
        unit = _unit_of(starts, int(mention[0]))
        unit = unit if unit >= 0 and mention[0] < ends[unit] else -1
        units[unit][0] += mention in predicted_set and mention in gold_set
        units[unit][1] += mention in predicted_set
        units[unit][2] += mention in gold_set
    return [tuple(c) for _, c in sorted(units.items())]  # type: ignore[misc]


def entity_interval(predicted: pd.DataFrame, gold: pd.DataFrame, article: Article, n_resamples: int = 2000,
                    seed: int = 0) -> dict[str, float]:
    """Overall exact-match F1 with its 95 % percentile bootstrap interval, resampling the article's sentences
    (see :func:`zhnews.annotate.bootstrap_f1`). A perfect score gives the degenerate interval 1.0–1.0."""
    return bootstrap_f1(entity_counts_by_sentence(predicted, gold, article), n_resamples, seed)


def load_entities_second(path: str | Path = ANNOTATIONS / "entities_second.csv") -> pd.DataFrame:
    """The second annotator's blind entity layer: ``start, end, surface, type, note``."""
    return pd.read_csv(path, keep_default_na=False)


def entity_agreement(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Agreement of two annotators: per type and overall, how many mentions each marked, how many both
    marked identically (span and type), and F1 (symmetric: either annotator may be the reference). The
    row ``all (span only)`` ignores the type.

    >>> a = pd.DataFrame({"start": [0, 5], "end": [2, 9], "type": ["LOC", "ORG"]})
    >>> b = pd.DataFrame({"start": [0, 5], "end": [2, 9], "type": ["LOC", "LOC"]})
    >>> entity_agreement(a, b).set_index("type").loc[["all", "all (span only)"], "f1"].tolist()
    [0.5, 1.0]
    """
    one = set(zip(first["start"], first["end"], first["type"]))
    two = set(zip(second["start"], second["end"], second["type"]))
    rows = []
    for type_ in TYPES + ("all",):
        a = {m for m in one if type_ in ("all", m[2])}
        b = {m for m in two if type_ in ("all", m[2])}
        rows.append({"type": type_, "first": len(a), "second": len(b), "both": len(a & b), "f1": prf(len(a & b), len(b), len(a))["f1"]})
    spans_a, spans_b = {m[:2] for m in one}, {m[:2] for m in two}
    rows.append({"type": "all (span only)", "first": len(spans_a), "second": len(spans_b), "both": len(spans_a & spans_b),
                 "f1": prf(len(spans_a & spans_b), len(spans_b), len(spans_a))["f1"]})
    return pd.DataFrame(rows, columns=["type", "first", "second", "both", "f1"])


def entity_disagreements(first: pd.DataFrame, second: pd.DataFrame, raw: str) -> pd.DataFrame:
    """Mentions only one annotator marked (a different span or type shows as one row each), in text order:
    ``start, end, surface, type, annotator`` (``first only`` / ``second only``)."""
    one = set(zip(first["start"], first["end"], first["type"]))
    two = set(zip(second["start"], second["end"], second["type"]))
    rows = [{"start": s, "end": e, "surface": raw[s:e], "type": t, "annotator": "first only"} for s, e, t in one - two]
    rows += [{"start": s, "end": e, "surface": raw[s:e], "type": t, "annotator": "second only"} for s, e, t in two - one]
    table = pd.DataFrame(rows, columns=["start", "end", "surface", "type", "annotator"])
    return table.sort_values(["start", "end", "annotator"], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Numbered formulations (提法) and quantified targets

_QUOTED = re.compile(r"“([^“”\n]{2,16})”")
_NUMERALS_IN_FORMULA = re.compile(rf"[{_NUM}双]")
_NUMBERED_SLOGAN = re.compile(rf"[{_NUM}]+[大佳]")
_DISTRIBUTIVE = re.compile(rf"一个?[{_HAN}]{{1,4}}(?:（[{_HAN}]{{1,4}}）)?一个?[{_HAN}]{{1,6}}")
_TARGET = re.compile(r"(?:不少于|不低于|至少|超过|达到)\d+[个家所座名项人%]")
_MINUTE_CIRCLE = re.compile(rf"\d+分钟[{_HAN}]{{2,8}}?圈")
_NOUNISH = ("n", "vn", "nz", "j", "an", "Ng", "b")


def _extend_noun_phrase(text: str, start: int, max_tokens: int = 3) -> int:
    """End offset of the noun phrase that begins at ``start`` (up to ``max_tokens`` noun-like tokens)."""
    window = text[start:]
    stop = re.search(r"[，。；：、“”（）\n]", window)
    window = window[: stop.start()] if stop else window
    tokens = segment(window)
    tags = tag(tokens)
    end, count = start, 0
    for token, pos in zip(tokens, tags):
        if count == 0 or (pos in _NOUNISH and count <= max_tokens):
            end += len(token)
            count += 1
        else:
            break
    return end


def find_formulations(article: Article) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every numbered formulation and quantified target, in text order.

    Kinds: ``numbered_slogan`` (numeral + 大/佳 + category: 六大工作机制), ``numbered_formula`` (a formula
    holding two or more numbers: “三个一”, 一岗双责, 三官一律师, 一个乡镇一个示范点), ``quantified_target``
    (不少于30个…, 10分钟…圈). Patterns, not a list of this article's strings.
    """
    text = article.norm
    found: list[tuple[int, int, str]] = []
    for match in _QUOTED.finditer(text):  # quoted formulas
        inner = match.group(1)
        if _NUMBERED_SLOGAN.match(inner):
            found.append((match.start(1), match.end(1), "numbered_slogan"))
        elif len(_NUMERALS_IN_FORMULA.findall(inner)) >= 2:
            found.append((match.start(1), match.end(1), "numbered_formula"))
    for match in _NUMBERED_SLOGAN.finditer(text):  # unquoted numeral + 大/佳 + category
        before = text[match.start() - 1] if match.start() else ""
        if before in "“" or re.match(r"十[一二三四五六七八九]?大", match.group()) and not text[match.end():match.end() + 1] in "工战目行":
            continue
        end = _extend_noun_phrase(text, match.start())
        if end - match.start() > len(match.group()):
            found.append((match.start(), end, "numbered_slogan"))
    for match in _DISTRIBUTIVE.finditer(text):
        if not _inside_quotes(text, match.start()):
            second = match.start() + match.group().rfind("一") + 1
            second += text[second] == "个"
            found.append((match.start(), _extend_noun_phrase(text, second, 2), "numbered_formula"))
    for match in _TARGET.finditer(text):  # a target runs to the end of its clause (at most 12 characters more)
        clause = re.match(r"[^，。；：、\n]{0,12}", text[match.end():])
        found.append((match.start(), match.end() + clause.end(), "quantified_target"))
    for match in _MINUTE_CIRCLE.finditer(text):
        found.append((match.start(), match.end(), "quantified_target"))
    kinds: dict[tuple[int, int], str] = {}
    for start, end, kind in found:  # the last kind found for a span wins
        kinds[(start, end)] = kind
    # drop spans strictly inside another: sorted by start, longest first, a span is inside an earlier one
    # exactly when the furthest end seen so far reaches it (one pass instead of all pairs)
    kept, furthest = [], -1
    for start, end in sorted(kinds, key=lambda span: (span[0], -span[1])):
        if furthest < end:
            kept.append((start, end, kinds[(start, end)]))
        furthest = max(furthest, end)
    return kept


def _inside_quotes(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    before = text[line_start:position]
    return before.count("“") > before.count("”")


def formulations_table(article: Article, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """``formulations.csv``: one row per distinct formulation — ``surface, count, first_sid`` (+ ``kind,
    first_start, gloss``). ``count`` counts the surface in the whole (normalised) text."""
    sid_at = sentence_finder(article)
    glosses = {} if glossary is None else dict(zip(glossary["term"], glossary["gloss"]))
    rows = {}
    for start, end, kind in find_formulations(article):
        surface_norm = article.norm[start:end]
        if surface_norm in rows:
            continue
        first_sid = sid_at(start)
        # the glossary's gloss for this formulation, or for the term it is built on (法律服务圈 in 10分钟法律服务圈)
        gloss = glosses.get(surface_norm) or next(
            (g for t, g in glosses.items() if t in surface_norm and len(t) >= 0.6 * len(surface_norm)), "")
        rows[surface_norm] = {"surface": article.raw[start:end], "count": article.norm.count(surface_norm),
                              "first_sid": first_sid, "kind": kind, "first_start": start, "gloss": gloss}
    table = pd.DataFrame(list(rows.values()), columns=["surface", "count", "first_sid", "kind", "first_start", "gloss"])
    return table.sort_values("first_start", ignore_index=True)


def load_formulations_gold(path: str | Path = ANNOTATIONS / "formulations_gold.csv") -> pd.DataFrame:
    """The hand-made formulation gold: ``surface, count, first_start, kind, note``."""
    return pd.read_csv(path, keep_default_na=False)


def evaluate_formulations(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Precision/recall of the detector on distinct formulations (matched by first offset and surface)."""
    p = set(zip(predicted["first_start"], predicted["surface"]))
    g = set(zip(gold["first_start"], gold["surface"]))
    rows = []
    for kind in sorted(set(gold["kind"]) | set(predicted["kind"])) + ["all"]:
        pk = {x for x, k in zip(zip(predicted["first_start"], predicted["surface"]), predicted["kind"]) if kind in ("all", k)}
        gk = {x for x, k in zip(zip(gold["first_start"], gold["surface"]), gold["kind"]) if kind in ("all", k)}
        precision, recall = prf(len(pk & g), len(pk), 1), prf(len(gk & p), 1, len(gk))
        f1 = prf(len(pk & g), len(pk), len(gk)) if kind == "all" else None
        rows.append({"kind": kind, "gold": len(gk), "predicted": len(pk), "found": len(gk & p),
                     "precision": precision["precision"], "recall": recall["recall"],
                     "f1": f1["f1"] if f1 else round(2 * precision["precision"] * recall["recall"] / (precision["precision"] + recall["recall"]), 3) if precision["precision"] + recall["recall"] else 0.0})
    return pd.DataFrame(rows)


def ablation(article: Article, gold: pd.DataFrame, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Overall F1 with all four methods and with each one left out: what each method contributes."""
    methods = {"metadata": from_metadata(article), "pos": from_pos(article, tokens),
               "patterns": from_patterns(article), "gazetteer": from_gazetteer(article)}
    rows = []
    for left_out in [None, *methods]:
        mentions = [m for name, found in methods.items() if name != left_out for m in found]
        resolved = resolve(mentions)
        table = pd.DataFrame([(m.start, m.end, m.type) for m in resolved], columns=["start", "end", "type"])
        scores = evaluate_entities(table, gold).set_index("type").loc["all"]
        rows.append({"methods": "all four" if left_out is None else f"without {left_out}",
                     "precision": scores["precision"], "recall": scores["recall"], "f1": scores["f1"]})
    return pd.DataFrame(rows)
