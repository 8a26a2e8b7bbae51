"""Enumerated lists: 一是…六是, 首先/其次/第三…, （一）（二）… → ranked items and the actions they describe.

An item starts at a *sentence* that opens with an enumerator, so items inside one paragraph
(一是…。二是…。) are found as well as items that each open a paragraph.
"""

from __future__ import annotations

import re

import pandas as pd

from zhnews.annotate import segment, tag
from zhnews.reading import Article

_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十", start=0)}
_ORDINAL_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": None, "最後": None}
_ENUMERATOR = re.compile(
    r"^(?:(?P<shi>[一二三四五六七八九十]{1,3})是"
    r"|(?P<word>首先|其次|再次|最后|最後)[，,、：:]?"
    r"|第(?P<di>[一二三四五六七八九十]{1,3})[，,、：:]"
    r"|[（(](?P<paren>[一二三四五六七八九十]{1,3})[）)]"
    r"|(?P<dun>[一二三四五六七八九十]{1,3})、)"
)
#: Leading verbs that introduce a mechanism's name: 构建工作责任机制 → 工作责任机制.
_NAME_VERBS = ("构建", "構建", "建立", "建设", "建設", "健全", "完善", "强化", "強化", "加强", "加強", "推进", "推進", "落实", "落實")


def chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral up to 99.

    >>> [chinese_numeral(t) for t in ("一", "六", "十", "十二", "二十", "二十三")]
    [1, 6, 10, 12, 20, 23]
    """
    if "十" not in text:
        return _CHINESE_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)


def enumerator(text: str) -> tuple[int | None, str, int] | None:
    """(rank, style, length) of the enumerator that opens ``text``, or ``None``.

    >>> enumerator("三是构建法治创建机制。"), enumerator("其次，开展隐患排查。"), enumerator("（二）加强宣传")
    ((3, '一是', 2), (2, '首先', 3), (2, '（一）', 3))
    >>> enumerator("第三方机构") is None
    True
    """
    match = _ENUMERATOR.match(text)
    if not match:
        return None
    if match["shi"]:
        return chinese_numeral(match["shi"]), "一是", match.end()
    if match["word"]:
        return _ORDINAL_WORDS[match["word"]], "首先", match.end()
    if match["di"]:
        return chinese_numeral(match["di"]), "首先", match.end()
    if match["paren"]:
        return chinese_numeral(match["paren"]), "（一）", match.end()
    return chinese_numeral(match["dun"]), "一、", match.end()


def _name(text: str) -> str:
    first_clause = re.split(r"[，。；：！？,;:!?]", text, maxsplit=1)[0]
    return first_clause.strip()


def mechanisms_table(article: Article) -> pd.DataFrame:
    """``mechanisms.csv``: one row per enumerated item — ``rank, name, sid`` (+ ``mechanism, style, n_sentences``).

    ``name`` is the item's first clause without its enumerator (构建工作责任机制); ``mechanism`` drops a
    leading verb (工作责任机制). A 首先/其次 list with 最后 gets the rank after the previous item.
    """
    rows = []
    items = []
    for sentence in article.sentences:
        if sentence.role not in ("lead", "body", "list_item"):
            continue
        found = enumerator(sentence.text_norm)
        if found:
            items.append((sentence, found))
    for k, (sentence, (rank, style, length)) in enumerate(items):
        if rank is None:
            rank = (rows[-1]["rank"] + 1) if rows else 1
        name = _name(sentence.text_norm[length:])
        verb = next((v for v in _NAME_VERBS if name.startswith(v) and len(name) > len(v) + 1), "")
        next_start = items[k + 1][0].sid if k + 1 < len(items) else None
        same_item = [s for s in article.sentences if s.sid >= sentence.sid and (next_start is None or s.sid < next_start)
                     and s.pid >= sentence.pid and s.role == sentence.role and s.section == sentence.section]
        rows.append({"rank": rank, "name": name, "sid": sentence.sid, "mechanism": name[len(verb):],
                     "style": style, "n_sentences": len(same_item)})
    return pd.DataFrame(rows, columns=["rank", "name", "sid", "mechanism", "style", "n_sentences"])


def actions_table(article: Article, mechanisms: pd.DataFrame | None = None) -> pd.DataFrame:
    """The actions each item describes: every clause of the item's sentences that opens with a verb.

    Columns: ``rank, sid, clause, verb``. A clause is a stretch between ，；。 marks that opens with a
    verb (PKU tag ``v``), or with an adverb and then a verb (不断拓展, 积极培育); the copula 是 does not
    count. The item's naming clause (构建工作责任机制) is its ``name``, not an action.
    """
    mechanisms = mechanisms_table(article) if mechanisms is None else mechanisms
    by_sid = {s.sid: s for s in article.sentences}
    rows = []
    starts = list(mechanisms["sid"]) + [None]
    for rank, first, following in zip(mechanisms["rank"], starts, starts[1:]):
        sentence = by_sid[first]
        for s in article.sentences:
            if s.sid < first or (following is not None and s.sid >= following) or s.pid != sentence.pid:
                continue
            text = s.text_norm[enumerator(s.text_norm)[2]:] if s.sid == first else s.text_norm
            clauses = [c.strip() for c in re.split(r"[，；。！？]", text) if c.strip()]
            if s.sid == first:
                clauses = clauses[1:]
            for clause in clauses:
                tokens = segment(clause)
                tags = tag(tokens)
                k = 1 if tags and tags[0] in ("d", "ad") else 0
                if k < len(tags) and tags[k] == "v" and tokens[k] != "是":
                    rows.append({"rank": rank, "sid": s.sid, "clause": clause, "verb": tokens[k]})
    return pd.DataFrame(rows, columns=["rank", "sid", "clause", "verb"])
