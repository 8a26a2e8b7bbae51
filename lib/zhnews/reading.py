"""Reading stage: load an article, find its structure and metadata, split it into sentences.

Offsets are the spine: every :class:`Paragraph` and :class:`Sentence` carries ``start``/``end``
character offsets into :attr:`Article.raw` (end exclusive), and ``raw[start:end] == text`` always
holds. NLP works on :attr:`Article.norm`, a length-preserving normalisation (see
:func:`zhnews.text.normalise`), so the same offsets serve both.

The parser is written for the genre (Chinese web news saved as text), not for one file: header
with date and 来源, photo captions, "XX讯(记者 …)" leads, paired subheadings, 一是…/首先…
enumerations, 编辑/责任编辑 credits, and site boilerplate around them.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from zhnews.files import check_text, decode, read_article_text  # noqa: F401  (re-exported: reading.decode …)
from zhnews.text import CLOSERS, INVISIBLE, LINE_BREAK, SENTENCE_END, count_han, fold_digits, is_han, normalise

ROLES = (
    "title", "dateline", "caption", "lead", "subheading", "body", "list_item", "footer", "boilerplate",
)
#: Roles whose paragraph is always one sentence.
SINGLE_SENTENCE_ROLES = frozenset({"title", "dateline", "caption", "subheading", "footer"})
#: Metadata fields that may name several people; they are lists.
PERSON_FIELDS = ("reporter", "correspondent", "photographer", "editor", "responsible_editor")
#: Longest line (characters) still taken for a subheading.
MAX_SUBHEADING_CHARS = 25
#: Longest sentence (characters) passed whole to the segmenter. A longer run without 。！？ (a table
#: flattened into one line, a page without punctuation) is cut at the last clause mark (，；：、 or a
#: space) in its second half, or failing that at this length; the pieces are flagged ``is_cut``.
MAX_SENTENCE_CHARS = 500
#: Share of the characters set aside as boilerplate above which the command line warns.
BOILERPLATE_WARNING_SHARE = 0.2

# ---------------------------------------------------------------------------------------------
# Patterns of the genre (simplified and traditional forms)

_DATETIME = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d\d)(?:[:：](?P<S>\d\d))?)?"
)
_SOURCE = re.compile(r"(?:来源|來源)\s*[:：]\s*(?P<source>[^\s|｜\]】]+)")
_CREDIT_LABEL = re.compile(
    r"责任编辑|責任編輯|责编|責編|编辑|編輯|本报记者|本報記者|记者|記者|通讯员|通訊員|实习生|實習生"
    r"|摄影|攝影|作者|审核|審核|校对|校對|来源|來源"
)
_CREDIT_FIELD = {
    "责任编辑": "responsible_editor", "責任編輯": "responsible_editor", "责编": "responsible_editor",
    "責編": "responsible_editor", "编辑": "editor", "編輯": "editor", "记者": "reporter",
    "記者": "reporter", "本报记者": "reporter", "本報記者": "reporter", "通讯员": "correspondent",
    "通訊員": "correspondent", "实习生": "correspondent", "實習生": "correspondent",
    "摄影": "photographer", "攝影": "photographer", "作者": "reporter",
}
# a whole line of credits: "编辑: 孙红亮 责任编辑: 徐婷", "[责任编辑:xxx]", "记者：张三"
_CREDITS_LINE = re.compile(
    r"^[\[【(（]?\s*(?:" + _CREDIT_LABEL.pattern + r")\s*[:：].{0,60}$"
)
# a byline in parentheses on its own line: "(记者 张三 通讯员 李四)"
_BYLINE_LINE = re.compile(r"^[(（]\s*(?:本报)?(?:记者|記者|通讯员|通訊員)[^)）]{1,40}[)）]$")
# "昆明信息港讯(都市时报记者 林舒佳)", "本报讯（记者 甲 通讯员 乙）"
_LEAD_OPENER = re.compile(
    r"^(?P<outlet>[^\s，。,(（]{1,15}?)[讯訊电電]\s*[(（](?P<inner>[^)）]{1,60})[)）]"
)
# end-of-article credits: the editors' line closes the article ("编辑: 孙红亮 责任编辑: 徐婷")
_END_CREDITS = re.compile(r"责任编辑|責任編輯|责编|責編|编辑|編輯|审核|審核|校对|校對|值班|签发|簽發")
# photo credit at the end of a caption: "记者孟祝斌/摄", "（张三 摄）", "摄影：李四"
_PHOTO_CREDIT = re.compile(
    r"(?:(?:摄影)?(?:记者|記者|通讯员|通訊員)?\s*(?P<names>[\u4e00-\u9fff]{2,4}(?:\s*[、 ]\s*[\u4e00-\u9fff]{2,4})*)"
    r"\s*[/／]?\s*(?:摄|攝)(?:影)?|(?:摄影|攝影)\s*[:：]\s*(?P<names2>[\u4e00-\u9fff、 ]{2,20}))\s*[)）]?\s*$"
)
_CAPTION_START = re.compile(r"^(?:图为|圖為|图：|图:|图片：|图片:|\(图\)|（图）)")
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}是"
    r"|(?:首先|其次|再次|最后|最後|第[一二三四五六七八九十]{1,3})\s*[，,、：:]"
    r"|[(（][一二三四五六七八九十]{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|\d{1,2}[.、．](?!\d))"
)
_BOILERPLATE = re.compile(
    r"首页|首頁|当前位置|當前位置|您的位置|分享到|扫一扫|掃一掃|版权所有|版權所有|Copyright|©"
    r"|ICP|备案|举报|舉報|上一篇|下一篇|相关新闻|相關新聞|返回顶部|关闭窗口|打印本页|字号|【字体"
    r"|登录|註冊|注册|网站地图|联系我们|免责声明|^>|\s>\s|»"
)
_TERMINAL = "。！？!?；;：:，,…"


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Paragraph:
    """A non-empty line of the source with its role. ``raw[start:end] == text``."""

    pid: int
    role: str
    section: int | None
    start: int
    end: int
    text: str
    is_repeat: bool = False


@dataclass(frozen=True)
class Sentence:
    """A sentence with offsets into the raw text and its normalised form."""

    sid: int
    pid: int
    section: int | None
    role: str
    start: int
    end: int
    text: str
    text_norm: str
    is_cut: bool = False


@dataclass(frozen=True)
class Article:
    """An article as read from disk: the untouched text, its structure and metadata."""

    path: str
    raw: str
    sha256: str
    norm: str
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    metadata: dict = field(hash=False)
    sections: tuple[tuple[int, str], ...] = ()

    def span(self, start: int, end: int) -> str:
        """The raw text between two offsets."""
        return self.raw[start:end]


# ---------------------------------------------------------------------------------------------
# Loading


def load(path: str | Path) -> Article:
    """Read an article file and parse it. Nothing is written; the file is never modified.

    Raises :class:`~zhnews.errors.ArticleError` (a subclass) with the file name and the problem: see
    :mod:`zhnews.files` for the checks (size limit, encoding, Chinese text, not a web page).
    """
    text, sha256 = read_article_text(path)
    return parse(text, path=str(path), sha256=sha256)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> Article:
    return load(path)


def load_cached(path: str | Path) -> Article:
    """:func:`load`, remembered per process while the file is unchanged (notebooks call it often)."""
    stat = Path(path).stat() if Path(path).exists() else None
    if stat is None:
        return load(path)
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


# ---------------------------------------------------------------------------------------------
# Structure


_EDGE = re.compile(rf"[\s{INVISIBLE}]*(.*?)[\s{INVISIBLE}]*$", re.S)


def _lines(raw: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line, stripped of whitespace (incl. no-break/en spaces) and of
    invisible characters (a BOM, zero-width spaces). Lines end at LF, CRLF, a lone CR or U+2028/2029.

    >>> _lines("\\ufeff标题\\r\\n\\r正文 \\n")
    [(1, 3), (6, 8)]
    """
    spans = []
    pos = 0
    for match in [*LINE_BREAK.finditer(raw), None]:
        end = match.start() if match else len(raw)
        content = _EDGE.match(raw, pos, end)
        if content.end(1) > content.start(1):
            spans.append((content.start(1), content.end(1)))
        pos = match.end() if match else len(raw)
    return spans


def _is_dateline(text: str) -> bool:
    if _SOURCE.search(text) and len(text) <= 100:
        return True
    match = _DATETIME.search(text)
    return bool(match) and match.start() <= 8 and len(text) <= 60 and "。" not in text


def _is_credits(text: str) -> bool:
    return bool(_CREDITS_LINE.match(text) or _BYLINE_LINE.match(text))


def _is_end_credits(text: str) -> bool:
    """A credits line naming editors: it closes the article (photo and reporter credits do not)."""
    return _is_credits(text) and bool(_END_CREDITS.search(text))


def _is_caption(text: str) -> bool:
    return len(text) <= 120 and bool(_PHOTO_CREDIT.search(text) or _CAPTION_START.match(text))


def _is_heading_like(text: str) -> bool:
    return (
        len(text) <= MAX_SUBHEADING_CHARS
        and text[-1] not in _TERMINAL
        and any(is_han(c) for c in text)
    )


def classify(lines: list[str]) -> tuple[list[str], list[bool]]:
    """Give each non-empty line a role (see :data:`ROLES`) and flag repeats of the title.

    >>> classify(["标题", "2017-10-18 08:34 来源:某网", "某网讯(记者 张三) 正文。", "小标题", "一是做事。", "编辑: 李四"])
    (['title', 'dateline', 'lead', 'subheading', 'list_item', 'footer'], [False, False, False, False, False, False])
    """
    n = len(lines)
    roles = [""] * n
    repeat = [False] * n
    for i, text in enumerate(lines):
        if _BOILERPLATE.search(text) and not _LEAD_OPENER.match(text) and len(text) < 200:
            roles[i] = "boilerplate"
    # title: first candidate line that is not junk, a dateline or credits, and not a sentence
    title_i = None
    for i, text in enumerate(lines):
        if roles[i]:
            continue
        if _is_dateline(text) or _is_credits(text) or _LEAD_OPENER.match(text):
            break
        if len(text) <= 80 and text[-1] not in "。！？!?" and any(is_han(c) for c in text):
            title_i = i
        break
    if title_i is not None:
        roles[title_i] = "title"
        for i in range(title_i + 1, n):
            if lines[i] == lines[title_i]:
                roles[i] = "title"
                repeat[i] = True
    # header zone: datelines, captions, credits before the lead
    lead_i = None
    start = 0 if title_i is None else title_i + 1
    for i in range(start, n):
        if roles[i]:
            continue
        text = lines[i]
        if _LEAD_OPENER.match(text):
            lead_i = i
            break
        if _is_dateline(text) or _is_credits(text):
            roles[i] = "dateline"
        elif _is_caption(text):
            roles[i] = "caption"
        elif not _is_heading_like(text) or _ENUMERATOR.match(text):
            lead_i = i
            break
        elif i + 1 < n and lines[i + 1] == lines[title_i if title_i is not None else i]:
            roles[i] = "boilerplate"
        else:  # a short line before any paragraph: a subtitle or kicker, keep it with the header
            roles[i] = "caption" if _is_caption(text) else "dateline" if _DATETIME.search(text) else "subheading"
    if lead_i is not None:
        roles[lead_i] = "lead"
    # after the lead: a credits line is a photo credit (caption) or credits (footer) wherever it stands —
    # it never ends the text. Only after the editors' credits are short link-like lines site furniture
    # (related-news lists); every full paragraph stays in the analysis wherever it stands.
    end_i = None
    if lead_i is not None:
        end_i = next((i for i in range(lead_i + 1, n) if not roles[i] and _is_end_credits(lines[i])), None)
    for i in range(0 if lead_i is None else lead_i + 1, n):
        if roles[i]:
            continue
        text = lines[i]
        if _is_credits(text):
            roles[i] = "caption" if _PHOTO_CREDIT.search(text) and not _is_end_credits(text) else "footer"
        elif end_i is not None and i > end_i and _is_heading_like(text):
            roles[i] = "boilerplate"
        elif _is_caption(text):
            roles[i] = "caption"
        elif _is_heading_like(text) and not _ENUMERATOR.match(text):
            roles[i] = "subheading"
        elif _ENUMERATOR.match(text):
            roles[i] = "list_item"
        else:
            roles[i] = "body"
    return [r or "body" for r in roles], repeat


def _sections(roles: list[str], lines: list[str]) -> tuple[list[int | None], list[tuple[int, str]]]:
    """Section number per line: 0 before the first subheading; a run of subheadings opens one section."""
    numbers: list[int | None] = []
    headings: list[tuple[int, str]] = [(0, "")]
    section = 0
    in_body = False
    previous = ""
    for role, text in zip(roles, lines):
        if role == "lead":
            in_body = True
        if role == "subheading" and in_body:
            if previous != "subheading":
                section += 1
                headings.append((section, text))
            else:
                headings[-1] = (section, headings[-1][1] + " / " + text)
        numbers.append(None if role in ("footer", "boilerplate") else section)
        previous = role
    return numbers, headings


# ---------------------------------------------------------------------------------------------
# Sentences


def cut_long(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``limit`` characters: after the last clause mark
    (，；：、,;: or a space) in the second half of each window, else at ``limit`` itself.

    >>> cut_long("甲乙丙，丁戊己庚辛", 0, 9, limit=5)
    [(0, 4), (4, 9)]
    >>> cut_long("甲乙丙丁戊己庚辛", 0, 8, limit=5)
    [(0, 5), (5, 8)]
    """
    pieces = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(mark) for mark in "，；：、,;: ")
        cut = start + cut + 1 if cut >= limit // 2 else start + limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one paragraph (normalised text), whitespace trimmed.

    Ends at 。！？!? (a run of them), keeps closing quotes and brackets with the sentence, and
    never splits at ，、；.

    >>> text = "他说：“好。”我们走吧！真的?  好"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['他说：“好。”', '我们走吧！', '真的?', '好']
    """
    spans = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in SENTENCE_END:
            j = i + 1
            while j < n and text[j] in SENTENCE_END:
                j += 1
            while j < n and text[j] in CLOSERS:
                j += 1
            spans.append((start, j))
            start = i = j
        else:
            i += 1
    spans.append((start, n))
    trimmed = []
    for s, e in spans:
        piece = text[s:e]
        if piece.strip():
            s2 = s + len(piece) - len(piece.lstrip())
            trimmed.append((s2, s2 + len(piece.strip())))
    return trimmed


# ---------------------------------------------------------------------------------------------
# Metadata


def _names(fragment: str) -> list[str]:
    """Person names in a credits fragment: 2–6 Han characters separated by spaces, 、 or commas."""
    tokens = re.split(r"[\s、，,;；/／:：\[\]【】()（）]+", fragment)
    return [t for t in tokens if 2 <= len(t) <= 6 and all(is_han(c) for c in t) and t not in ("文图", "摄影")]


def parse_credits(text: str) -> dict[str, list[str]]:
    """People named in a credits text, by field.

    >>> parse_credits("编辑: 孙红亮 责任编辑: 徐婷")
    {'editor': ['孙红亮'], 'responsible_editor': ['徐婷']}
    >>> parse_credits("本报记者 张三 李四 通讯员 王五")
    {'reporter': ['张三', '李四'], 'correspondent': ['王五']}
    """
    found: dict[str, list[str]] = {}
    labels = list(_CREDIT_LABEL.finditer(text))
    for k, match in enumerate(labels):
        field_name = _CREDIT_FIELD.get(match.group())
        end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
        if field_name:
            for name in _names(text[match.end() : end]):
                found.setdefault(field_name, [])
                if name not in found[field_name]:
                    found[field_name].append(name)
    return found


def parse_opener(lead: str) -> dict[str, object]:
    """Outlet, newspaper and people of a lead opener like ``昆明信息港讯(都市时报记者 林舒佳)``.

    >>> parse_opener("昆明信息港讯(都市时报记者 林舒佳) 法治是治国之重器。")
    {'outlet': '昆明信息港', 'newspaper': '都市时报', 'reporter': ['林舒佳']}
    >>> parse_opener("本报讯（记者 甲乙 通讯员 丙丁）正文")
    {'outlet': '本报', 'newspaper': None, 'reporter': ['甲乙'], 'correspondent': ['丙丁']}
    """
    match = _LEAD_OPENER.match(lead)
    if not match:
        return {}
    inner = match.group("inner")
    first_label = _CREDIT_LABEL.search(inner)
    org = inner[: first_label.start()].strip() if first_label else ""
    newspaper = org if org and org not in ("本报", "本報", "本刊") else None
    result: dict[str, object] = {"outlet": match.group("outlet"), "newspaper": newspaper}
    result.update(parse_credits(inner[first_label.start():] if first_label else ""))
    return result


def _published(text: str) -> str | None:
    match = _DATETIME.search(fold_digits(text))
    if not match:
        return None
    y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    if match["H"] is None:
        return f"{y:04d}-{m:02d}-{d:02d}"
    seconds = int(match["S"] or 0)
    return f"{y:04d}-{m:02d}-{d:02d}T{int(match['H']):02d}:{match['M']}:{seconds:02d}+08:00"


def extract_metadata(paragraphs: list[Paragraph]) -> dict[str, object]:
    """Title, date, source, newspaper and the people of the article, from its paragraphs.

    Absent fields are ``None`` (never a guess); people fields are lists (several reporters …).
    """
    meta: dict[str, object] = {
        "title": None, "published": None, "source": None, "outlet": None, "newspaper": None,
        "reporter": None, "correspondent": None, "photographer": None, "photo_caption": None,
        "editor": None, "responsible_editor": None,
    }
    people: dict[str, list[str]] = {f: [] for f in PERSON_FIELDS}

    def add(found: dict) -> None:
        for key, names in found.items():
            if key in people:
                people[key].extend(n for n in names if n not in people[key])

    for p in paragraphs:
        if p.role == "title" and meta["title"] is None:
            meta["title"] = p.text
        elif p.role == "dateline":
            if meta["published"] is None:
                meta["published"] = _published(p.text)
            source = _SOURCE.search(p.text)
            if source and meta["source"] is None:
                meta["source"] = source.group("source")
            add(parse_credits(p.text))
        elif p.role == "caption":
            credit = _PHOTO_CREDIT.search(p.text)
            if credit:
                add({"photographer": _names(credit.group("names") or credit.group("names2") or "")})
                caption = p.text[: credit.start()].strip()
            else:
                caption = p.text
            if meta["photo_caption"] is None and caption:
                meta["photo_caption"] = caption
        elif p.role == "lead":
            opener = parse_opener(p.text)
            meta["outlet"] = opener.pop("outlet", None)
            meta["newspaper"] = opener.pop("newspaper", None)
            add(opener)
        elif p.role == "footer":
            add(parse_credits(p.text))
    for key, names in people.items():
        meta[key] = names or None
    return meta


# ---------------------------------------------------------------------------------------------
# Parsing


def parse(raw: str, path: str = "<text>", sha256: str | None = None) -> Article:
    """Parse decoded article text into an :class:`Article` (see :func:`load` for files).

    >>> art = parse("标题\\n2017-10-18 08:34 来源:某网\\n某网讯(记者 张三) 第一句。第二句!\\n编辑: 李四")
    >>> [(s.role, s.text) for s in art.sentences]
    [('title', '标题'), ('dateline', '2017-10-18 08:34 来源:某网'), ('lead', '某网讯(记者 张三) 第一句。'), ('lead', '第二句!'), ('footer', '编辑: 李四')]
    >>> art.metadata["published"], art.metadata["reporter"], art.metadata["editor"]
    ('2017-10-18T08:34:00+08:00', ['张三'], ['李四'])
    """
    check_text(raw, path)
    if sha256 is None:
        sha256 = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    norm = normalise(raw)
    spans = _lines(raw)
    texts = [raw[s:e] for s, e in spans]
    norm_texts = [norm[s:e] for s, e in spans]
    roles, repeats = classify(norm_texts)
    section_of, headings = _sections(roles, norm_texts)
    paragraphs = tuple(
        Paragraph(pid=i + 1, role=role, section=sec, start=s, end=e, text=text, is_repeat=rep)
        for i, ((s, e), text, role, sec, rep) in enumerate(zip(spans, texts, roles, section_of, repeats))
    )
    sentences: list[Sentence] = []
    for p in paragraphs:
        if p.role == "boilerplate":
            continue
        if p.role in SINGLE_SENTENCE_ROLES:
            pieces = [(0, p.end - p.start)]
        else:
            pieces = split_sentences(norm[p.start : p.end])
        for s, e in pieces:
            parts = cut_long(norm, p.start + s, p.start + e)
            for start, end in parts:
                sentences.append(
                    Sentence(
                        sid=len(sentences) + 1, pid=p.pid, section=p.section, role=p.role,
                        start=start, end=end, text=raw[start:end], text_norm=norm[start:end],
                        is_cut=len(parts) > 1,
                    )
                )
    metadata = extract_metadata(list(paragraphs))
    return Article(
        path=path, raw=raw, sha256=sha256, norm=norm, paragraphs=paragraphs,
        sentences=tuple(sentences), metadata=metadata, sections=tuple(headings),
    )


# ---------------------------------------------------------------------------------------------
# Tables


def chars_by_role(article: Article) -> dict[str, int]:
    """Characters of the raw text per paragraph role, plus ``between_lines`` (line ends and the spaces
    around lines): every character is accounted for, the values sum to ``len(article.raw)``.

    >>> chars_by_role(parse("标题\\n某网讯(记者 张三) 正文。\\n首页 | 分享到"))
    {'title': 2, 'lead': 14, 'boilerplate': 8, 'between_lines': 2}
    """
    counts: dict[str, int] = {}
    for p in article.paragraphs:
        counts[p.role] = counts.get(p.role, 0) + p.end - p.start
    counts["between_lines"] = len(article.raw) - sum(counts.values())
    return counts


def article_record(article: Article) -> dict[str, object]:
    """The ``article.json`` record: metadata plus checksum and sizes, and where every character went
    (``chars_by_role``; ``n_chars_set_aside`` counts the boilerplate the analysis leaves out)."""
    record = dict(article.metadata)
    by_role = chars_by_role(article)
    record.update(
        sha256=article.sha256,
        n_chars=len(article.raw),
        n_han=count_han(article.raw),
        n_paragraphs=len(article.paragraphs),
        n_sentences=len(article.sentences),
        n_sections=len(article.sections) - 1,
        n_sentences_cut=sum(s.is_cut for s in article.sentences),
        chars_by_role=by_role,
        n_chars_set_aside=by_role.get("boilerplate", 0),
    )
    return record


def paragraphs_table(article: Article) -> pd.DataFrame:
    """One row per non-empty line: ``pid, role, section, start, end, text`` (+ ``is_repeat, n_chars, n_han``)."""
    rows = [
        {
            "pid": p.pid, "role": p.role, "section": p.section, "start": p.start, "end": p.end,
            "text": p.text, "is_repeat": p.is_repeat, "n_chars": p.end - p.start, "n_han": count_han(p.text),
        }
        for p in article.paragraphs
    ]
    table = pd.DataFrame(rows, columns=["pid", "role", "section", "start", "end", "text", "is_repeat", "n_chars", "n_han"])
    table["section"] = table["section"].astype("Int64")
    return table


def sentences_table(article: Article) -> pd.DataFrame:
    """One row per sentence: ``sid, pid, section, start, end, text, text_norm`` (+ ``role, n_chars, n_han``)."""
    rows = [
        {
            "sid": s.sid, "pid": s.pid, "section": s.section, "role": s.role, "start": s.start, "end": s.end,
            "text": s.text, "text_norm": s.text_norm, "n_chars": s.end - s.start, "n_han": count_han(s.text),
            "is_cut": s.is_cut,
        }
        for s in article.sentences
    ]
    columns = ["sid", "pid", "section", "role", "start", "end", "text", "text_norm", "n_chars", "n_han", "is_cut"]
    table = pd.DataFrame(rows, columns=columns)
    table["section"] = table["section"].astype("Int64")
    return table


def sections_table(article: Article) -> pd.DataFrame:
    """One row per section: number, heading (paired subheadings joined by " / "), extent and sizes."""
    paragraphs = paragraphs_table(article)
    sentences = sentences_table(article)
    rows = []
    for number, heading in article.sections:
        in_section = paragraphs[paragraphs["section"] == number]
        rows.append(
            {
                "section": number,
                "heading": heading or "(front matter and lead)",
                "start": int(in_section["start"].min()),
                "end": int(in_section["end"].max()),
                "n_paragraphs": int(in_section["role"].isin(["lead", "body", "list_item"]).sum()),
                "n_sentences": int((sentences["section"] == number).sum()),
                "n_han": int(in_section["n_han"].sum()),
            }
        )
    return pd.DataFrame(rows)


def outline(article: Article) -> str:
    """A plain-text outline: title, sections with their headings, list items shortened.

    >>> print(outline(parse("标题\\n某网讯(记者 张三) 第一句。\\n小标题\\n一是做事。")))
    标题
      §0 (front matter and lead): 1 paragraph(s)
      §1 小标题: 1 paragraph(s)
        - 一是做事。
    """
    lines = [article.metadata.get("title") or "(no title)"]
    paragraphs = paragraphs_table(article)
    for number, heading in article.sections:
        body = paragraphs[(paragraphs["section"] == number) & paragraphs["role"].isin(["lead", "body", "list_item"])]
        lines.append(f"  §{number} {heading or '(front matter and lead)'}: {len(body)} paragraph(s)")
        for text in body.loc[body["role"] == "list_item", "text"]:
            lines.append(f"    - {text[:12]}{'…' if len(text) > 12 else ''}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Text statistics


def punctuation_profile(text: str) -> pd.DataFrame:
    """Counts of each punctuation mark, half- and full-width apart, most frequent first.

    >>> punctuation_profile("好,好。好，好")[["mark", "count", "width"]].values.tolist()
    [[',', 1, 'half'], ['。', 1, 'full'], ['，', 1, 'full']]
    """
    marks = Counter(c for c in text if not (is_han(c) or c.isalnum() or c.isspace()))
    rows = [
        {"mark": m, "count": k, "width": "half" if m.isascii() else "full", "codepoint": f"U+{ord(m):04X}"}
        for m, k in marks.items()
    ]
    table = pd.DataFrame(rows, columns=["mark", "count", "width", "codepoint"])
    return table.sort_values(["count", "codepoint"], ascending=[False, True], ignore_index=True)


def space_profile(text: str) -> pd.DataFrame:
    """Counts of each kind of space character (web pages mix several).

    >>> space_profile("a\\u00a0b c")[["name", "count"]].values.tolist()
    [['SPACE', 1], ['NO-BREAK SPACE', 1]]
    """
    import unicodedata

    counts = Counter(c for c in text if c.isspace() and c not in "\n\r")
    rows = [{"codepoint": f"U+{ord(c):04X}", "name": unicodedata.name(c, "?"), "count": k} for c, k in counts.items()]
    return pd.DataFrame(rows, columns=["codepoint", "name", "count"]).sort_values("codepoint", ignore_index=True)


def text_stats(article: Article) -> dict[str, int]:
    """Sizes of the raw text: characters, Han characters, lines, non-empty lines, paragraphs, sentences."""
    raw = article.raw
    return {
        "characters": len(raw),
        "han_characters": count_han(raw),
        "lines": raw.count("\n") + (0 if raw.endswith("\n") else 1),
        "non_empty_lines": len(article.paragraphs),
        "body_paragraphs": sum(p.role in ("lead", "body", "list_item") for p in article.paragraphs),
        "sentences": len(article.sentences),
    }


def normalisation_changes(article: Article) -> pd.DataFrame:
    """What :func:`~zhnews.text.normalise` changed: one row per (raw → normalised) character pair.

    Columns: ``raw``, ``norm``, ``raw_name`` (Unicode name), ``count``, ``first_offset``, ``example``
    (the normalised text around the first change).
    """
    import unicodedata

    changes: dict[tuple[str, str], list[int]] = {}
    for offset, (before, after) in enumerate(zip(article.raw, article.norm)):
        if before != after:
            changes.setdefault((before, after), []).append(offset)
    rows = []
    for (before, after), offsets in changes.items():
        first = offsets[0]
        rows.append(
            {
                "raw": before, "norm": after, "raw_name": unicodedata.name(before, "?"), "count": len(offsets),
                "first_offset": first, "example": article.norm[max(0, first - 8) : first + 8].replace("\n", " "),
            }
        )
    table = pd.DataFrame(rows, columns=["raw", "norm", "raw_name", "count", "first_offset", "example"])
    return table.sort_values(["count", "first_offset"], ascending=[False, True], ignore_index=True)


def sentence_lengths(article: Article, roles: tuple[str, ...] = ("lead", "body", "list_item")) -> pd.Series:
    """Han characters per sentence of the running text (headings, captions and credits left out)."""
    table = sentences_table(article)
    return table.loc[table["role"].isin(roles)].set_index("sid")["n_han"]


def section_starts(article: Article) -> list[tuple[int, str]]:
    """(first sentence id, "§n") of every section, for marking boundaries on plots along the text."""
    starts = []
    for number, _ in article.sections:
        sids = [s.sid for s in article.sentences if s.section == number]
        if sids:
            starts.append((min(sids), f"§{number}"))
    return starts
