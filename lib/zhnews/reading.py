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
from zhnews.paths import LEXICONS
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
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年－／．]\s*(?P<m>\d{1,2})\s*[-/.月－／．]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})(?:[:：](?P<M>\d\d)(?:[:：](?P<S>\d\d))?|\s*[时時]\s*(?P<M2>\d{1,2})\s*分))?"
)
# day.month.year ("04.12.2014 10:20" = 4 December 2014; see _find_date)
_DMY = re.compile(
    r"(?<![\d.])(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?![\d.])"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d\d)(?:[:：](?P<S>\d\d))?)?"
)
# a date written in Chinese numerals ("二〇一八年十二月六日", "二○二一年一月三十一日"), a clock time after it
_CN_DIGIT = "〇○零一二三四五六七八九"
_CN_DATE = re.compile(
    rf"(?P<y>[{_CN_DIGIT}]{{4}})\s*年\s*(?P<m>十[一二]?|[一二三四五六七八九])\s*月"
    r"\s*(?P<d>[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*日"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d\d)(?:[:：](?P<S>\d\d))?)?"
)
# a label that announces the page's date: "发布时间: 2018-12-05 12:35", "出版日期：2021-10-12"
_DATE_LABEL = re.compile(r"(?:发布|發布|发表|發表|更新|出版|刊发|刊發)?(?:时间|時間|日期)\s*[:：]\s*$")
_SOURCE = re.compile(r"(?:来源|來源)\s*[:：]\s*(?P<source>[^\s|｜\]】)）]+)")
# where a 来源 value glued to the next field ends: "宝安日报发布时间:…", "华龙网2020-12-04", "字号:"
_SOURCE_END = re.compile(
    r"(?:发布|發布|发表|發表|时间|時間|日期|作者|编辑|編輯|责任|責任|记者|記者|字号|字號|字数|字數|访问|訪問"
    r"|点击|點擊|浏览|瀏覽|阅读|閱讀|[:：]|(?:19|20)\d\d\s*[-/.年]).*$"
)
# an editor named by the medium edited: "视频编辑:甲 文字编辑:乙" (both are editors)
_MEDIUM_EDITOR = r"(?:视频|視頻|文字|图片|圖片|网络|網絡|新媒体|新媒體|美术|美術)(?:编辑|編輯)"
_CREDIT_LABEL = re.compile(
    r"责任编辑|責任編輯|责编|責編|摄影记者|攝影記者|" + _MEDIUM_EDITOR + r"|编辑|編輯|本报记者|本報記者|本网记者|本網記者|记者|記者"
    r"|通讯员|通訊員|实习生|實習生|摄影|攝影|作者|审核|審核|校对|校對|编审|編審|校审|校審|监审|監審|来源|來源"
)
# labels that end a credit without naming anyone: "责任编辑:张三 | 发布时间: …", "作者:… 字数:754"
_STOP_LABEL = re.compile(
    r"发布时间|發布時間|发表时间|發表時間|发布日期|發布日期|出版日期|更新时间|时间|時間|日期|字号|字號|字数|字數"
    r"|访问量|訪問量|点击|點擊|浏览|瀏覽|值班|签发|簽發"
)
_ANY_LABEL = re.compile(_CREDIT_LABEL.pattern + "|" + _STOP_LABEL.pattern)
_CREDIT_FIELD = {
    "责任编辑": "responsible_editor", "責任編輯": "responsible_editor", "责编": "responsible_editor",
    "責編": "responsible_editor", "编辑": "editor", "編輯": "editor", "记者": "reporter",
    "記者": "reporter", "本报记者": "reporter", "本報記者": "reporter", "本网记者": "reporter",
    "本網記者": "reporter", "通讯员": "correspondent",
    "通訊員": "correspondent", "实习生": "correspondent", "實習生": "correspondent",
    "摄影": "photographer", "攝影": "photographer", "摄影记者": "photographer", "攝影記者": "photographer",
    "作者": "author",  # a reporter unless the article gives the same person a narrower role (see extract_metadata)
    "编审": "editor", "編審": "editor",  # codebook G21; 校审, 监审 (like 审核) name no field
}


def _label_field(label: str) -> str | None:
    """The metadata field a credit label fills (``None``: a label naming nobody, like 来源 or 字数).

    >>> _label_field("责编"), _label_field("视频编辑"), _label_field("作者"), _label_field("字数")
    ('responsible_editor', 'editor', 'author', None)
    """
    if re.fullmatch(_MEDIUM_EDITOR, label):
        return "editor"
    return _CREDIT_FIELD.get(label)


# a person's name in credits: 2–4 Han characters, or a transcribed name with middle dots (阿依·买买提)
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8})+")
# "文/图" (or 图/文, 文图) after the names: the people named wrote the text and took the pictures
_TEXT_AND_PHOTO = re.compile(r"(?<![\u4e00-\u9fff])(?:文\s*[/／]\s*[图圖]|[图圖]\s*[/／]\s*文|文[图圖]|[图圖]文)(?![\u4e00-\u9fff])")
# a whole line of credits: "编辑: 孙红亮 责任编辑: 徐婷", "[责任编辑:xxx]", "记者：张三"
_CREDITS_LINE = re.compile(
    r"^[\[【(（]?\s*(?:" + _CREDIT_LABEL.pattern + r")\s*[:：].{0,60}$"
)
# a byline on its own line: "(记者 张三 通讯员 李四)", "□本报记者 张三", "记者 张三 李四 通讯员 王五"
_BYLINE_ROLE = r"(?:本报|本報|本网|本網)?(?:全媒体|全媒體|融媒体|融媒體)?(?:记者|記者|通讯员|通訊員|实习生|實習生)"
# an outlet named before the role word of a byline ("某某日报全媒体记者 甲乙", "(某某报记者甲乙 通讯员丙丁)")
_BYLINE_ORG = r"(?:[\u4e00-\u9fff·]{2,12}?(?:报|報|网|網|台|社))?"
_NAMES = rf"(?:{_NAME.pattern})(?:\s*[、，, ]\s*(?:{_NAME.pattern}))*"
_BYLINE_LINE = re.compile(
    rf"^(?:[(（]\s*{_BYLINE_ORG}(?:本报|本報|本网|本網)?(?:全媒体|全媒體|融媒体|融媒體)?(?:记者|記者|通讯员|通訊員)[^)）]{{1,40}}[)）]"
    rf"|[□■◎●]?\s*{_BYLINE_ORG}(?:{_BYLINE_ROLE}\s+{_NAMES}\s*)+"
    rf"|(?:[文图圖]\s*[/／]\s*{_NAMES}\s*)+"
    rf"|(?:{_NAMES}\s*[/／]\s*[文图圖]\s*)+)$"
)
# "昆明信息港讯(都市时报记者 林舒佳)", "本报讯（记者 甲 通讯员 乙）", "长江网1月31日讯(记者…)",
# "华龙网-新重庆客户端12月4日16时40分讯(通讯员 …)", "本报拉萨4月5日讯(记者 …)"
_LEAD_OPENER = re.compile(
    r"^(?P<outlet>[^\s，。,(（]{1,30}?)(?:[讯訊电電]|消息)\s*[(（](?P<inner>[^)）]{1,80})[)）]"
)
# the same opener when it does not start the line (after a photo caption and its credit), or without
# the bracket ("本报讯“小王啊…", "某某在线讯 近日…": then the outlet must look like one)
_OPENER_INLINE = re.compile(
    r"(?:^|(?<=\s))(?P<outlet>[^\s，。,(（“”\"]{1,30}?)(?:[讯訊电電]|消息)\s*[(（](?P<inner>[^)）]{1,80})[)）]"
)
# an opener with a colon for 讯 ("某某新闻网:(甲乙)正文", codebook G14): the name must end like an outlet's
_OPENER_COLON = re.compile(
    r"^(?P<outlet>[^\s，。,(（“”\"：:]{1,30}?(?:报|報|网|網|台|社|端|刊|在线|在線))\s*[:：]\s*[(（](?P<inner>[^)）]{1,80})[)）]"
)
# an opener with its dateline and no bracket ("某某网某地12月5日电 正文", "某某在线1月8日讯 正文", codebook G14)
_OPENER_DATED = re.compile(
    r"^(?P<outlet>[^\s，。,(（“”\"]{1,30}?\d{1,2}月\d{1,2}日(?:\d{1,2}[时時](?:\d{1,2}分)?)?)(?:[讯訊电電]|消息)"
    r"(?=[\s“\"‘「]|[\u4e00-\u9fff])"
)
_OPENER_BARE = re.compile(
    r"^(?P<outlet>本报|本報|本网|本網|[^\s，。,(（“”\"]{1,30}?(?:报|報|网|網|台|社|端|刊|在线|在線)"
    r"(?:[\u4e00-\u9fff]{2,3}(?=[讯訊]\s))?)[讯訊](?=[\s“\"‘「：:]|[\u4e00-\u9fff])"
)  # "某某网讯 正文", "某某网某地讯 正文" (a place between name and 讯 needs a space after 讯, codebook G14)
# a web address in brackets after an outlet's name: "某某网(www.example.com)、某某客户端讯"
_URL_BRACKET = re.compile(r"[(（]\s*(?:https?://)?[A-Za-z0-9][A-Za-z0-9.\-/]*\.[A-Za-z]{2,}[A-Za-z0-9.\-/]*\s*[)）]")
# credits closing the last sentence of a paragraph: "…发挥了积极作用。(某某日报 记者甲乙)",
# "…营造了浓厚氛围。 责任编辑:甲乙" — an outlet before the role word is the newspaper (as in the opener)
_TAIL_BRACKET = re.compile(
    rf"[(（]\s*(?P<org>[^\s()（），。,、:：]{{2,20}}?)?\s*(?P<credits>(?:{_BYLINE_ROLE}|作者)\s*{_NAMES}"
    rf"(?:\s*(?:{_BYLINE_ROLE})\s*{_NAMES})*\s*(?:报道|報道)?)\s*[)）]\s*$"
)
# the same bracket with names before the first role word ("(甲乙 丙丁 记者 戊己)": only the labelled names get
# their field, codebook G21) or with 文 before the names ("(文 甲乙 丙丁)": reporters, like 作者, codebook G21)
_TAIL_MIXED = re.compile(
    rf"[(（]\s*(?P<unlabelled>{_NAMES})\s+(?P<credits>{_BYLINE_ROLE}\s*{_NAMES}"
    rf"(?:\s*(?:{_BYLINE_ROLE})\s*{_NAMES})*)\s*[)）]\s*$"
)
_TAIL_TEXT_BY = re.compile(rf"[(（]\s*文\s*[:：/／]?\s*(?P<names>{_NAMES})\s*[)）]\s*$")
_TAIL_EDITORS = re.compile(
    r"(?<=[。！？!?”])\s*(?P<credits>(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：][^。！？!?]{1,40})$"
)
_OPENER_OPEN = re.compile(r"^[^\s，。,(（]{1,30}?(?:[讯訊电電]|消息)\s*[(（][^)）]{1,40}$")  # bracket closes on the next line
# the date and time in an opener's outlet: "长江网1月31日", "华龙网12月4日16时40分", "本报拉萨4月5日"
_OPENER_WHEN = re.compile(
    r"(?:(?:19|20)\d\d年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:\s*(?P<H>\d{1,2})\s*[时時:：]\s*(?P<M>\d{1,2})分?)?\s*$"
)
# how the name of an outlet itself may end after 网/报 (a place does not): 某某网客户端, 某某报在线
_OUTLET_TAILS = ("端", "线", "線", "号", "號", "道", "版", "刊", "台", "社")
_OPENER_PLACE = re.compile(r"(?<=[\u4e00-\u9fff][社网網报報台])[\u4e00-\u9fff]{2,3}$")
# how the names of outlets and bodies end ("某某日报", "某某网", "某某司法局"): such a word is no person's name
_BODY_END = re.compile(r"(?:报|報|网|網|台|社|端|刊|局|厅|廳|院|所|办|辦|委|会|會|站|部|处|處|科|队|隊)$")
# an editor on duty on a line of its own: "值班编辑:甲乙" (codebook G16: an editor)
_DUTY_EDITOR = re.compile(r"^[\[【(（]?\s*(?:值班编辑|值班編輯)\s*[:：]\s*[\u4e00-\u9fff]{2,4}\s*[\]】)）]?$")
# an outlet's name among the names of a photo credit ("某某网 甲乙摄"): three or more characters ending in 网/报/台/社
_OUTLET_NAME = re.compile(r"[\u4e00-\u9fff]{2,}(?:网|網|报|報|台|社)")
_OWN_OUTLET = re.compile(r"^(?:本报|本報|本网|本網|本台|本刊)")
# end-of-article credits: the editors' line closes the article ("编辑: 孙红亮 责任编辑: 徐婷")
_END_CREDITS = re.compile(r"责任编辑|責任編輯|责编|責編|编辑|編輯|审核|審核|校对|校對|值班|签发|簽發")
# photo credit at the end of a caption: "记者孟祝斌/摄", "（张三 摄）", "摄影：李四", "东南网记者 林峰峰 摄"
_PHOTO_CREDIT = re.compile(
    r"(?:(?:(?:(?<=[\s。，,！？])|^)[\u4e00-\u9fff·]{2,12}?(?=记者|記者|通讯员|通訊員))?"
    r"(?:摄影)?(?:记者|記者|通讯员|通訊員)?\s*(?!记者|記者|通讯员|通訊員|摄影|攝影)"
    r"(?P<names>[\u4e00-\u9fff]{2,4}(?:\s*[、 ]\s*[\u4e00-\u9fff]{2,4})*)"
    r"\s*[/／]?\s*(?:摄|攝)(?:影)?|(?:摄影|攝影)\s*[:：]\s*(?P<names2>[\u4e00-\u9fff、 ]{2,20}))\s*[)）]?\s*$"
)
# a picture supplied, not taken: "…。通讯员晏苏供图(资料图)", "受访者供图" — a caption, but no photographer
_PHOTO_SUPPLIED = re.compile(
    r"(?:(?<=[\s。，,！？!?])|^)[(（]?[\u4e00-\u9fff·、 ]{0,20}?(?:供图|供圖)\s*(?:[(（]资料图片?[)）]|[(（]資料圖片?[)）])?[)）]?\s*$"
)
# a photo caption told by the people's places in the picture: "…法律援助工作者(右一)为求助者受理诉求。"
_PHOTO_POSITION = re.compile(r"[(（](?:前排|后排|後排)?[左右][一二三四五六七八九十\d]{1,2}[)）]")
# a picture left as its file name or a placeholder; the next short line is its caption
_IMAGE_PLACEHOLDER = re.compile(r"^(?:\S+\.(?:png|jpe?g|gif|webp|bmp)|\[?图片\]?|\[?圖片\]?)$", re.I)
# a caption printed in brackets on its own line: "(活动现场)", "(工作人员发放宣传资料)" — one clause of Han
# characters (no comma, digit or space: not a sentence, a page reference like "(紧接01版)" or a line of
# names); the opening bracket may have been lost with the picture ("村民参加知识问答)")
_BRACKET_CAPTION = re.compile(r"(?P<open>[(（])?(?P<inner>[\u4e00-\u9fff“”、·]{4,30})[)）]")
# editors' notes in brackets, no caption: "(未完待续)", "(本文有删节)", "(紧接第一版)", "(原标题…)"
_EDITORS_NOTE = re.compile(r"完|续|續|删节|刪節|转载|轉載|编者|編者|标题|標題|版|页|頁")
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
    found = _find_date(text)
    return found is not None and found[0] <= 8 and len(text) <= 60 and "。" not in text


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


def _is_name(token: str) -> bool:
    return bool(_NAME.fullmatch(token)) and not _ANY_LABEL.fullmatch(token) and token not in _NOT_NAMES


def _names(fragment: str) -> list[str]:
    """Person names in a credits fragment: 2–4 Han characters (or a name with middle dots) separated by
    spaces, 、 or commas. A longer run of Han characters (two names written together) is no name: it
    cannot be split without guessing.

    >>> _names("孙红亮、徐婷 冯海明李继光")
    ['孙红亮', '徐婷']
    """
    tokens = re.split(r"[\s、，,;；/／:：\[\]【】()（）|｜]+", fragment)
    return [t for t in tokens if _is_name(t)]


#: Words of credit lines that are no person's name.
_NOT_NAMES = frozenset({
    "文图", "图文", "供图", "本报", "本報", "本网", "本網", "本报讯", "本网讯", "报道", "報道", "报导", "報導",
    "整理", "综合", "綜合", "编译", "編譯", "摄像", "攝像", "文字", "图片", "圖片", "视频", "視頻",
})
_ROLE_WORD = {"文": "text", "图": "photo", "圖": "photo", "摄": "photo", "攝": "photo"}


def _roles(fragment: str) -> list[tuple[str | None, str]]:
    """(role, name) for each name of a credits fragment: ``text`` or ``photo`` when a slash says so
    ("张三/文 李四/图", "文/张三 图/李四"), else ``None`` (the fragment's label decides).

    >>> _roles(" 甲乙 丙丁/文 戊己/图")
    [('text', '甲乙'), ('text', '丙丁'), ('photo', '戊己')]
    >>> _roles("文/甲乙 图/丙丁")
    [('text', '甲乙'), ('photo', '丙丁')]
    """
    tokens = re.findall(r"[/／]|[^\s、，,;；/／:：\[\]【】()（）|｜]+", fragment)
    entries: list[list] = []
    pending: list[int] = []  # entries named since the last role word
    prefix: str | None = None
    for i, token in enumerate(tokens):
        if token in "/／":
            before = tokens[i - 1] if i else ""
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            if after in _ROLE_WORD and _is_name(before):  # 张三/文: the names before get the role
                for k in pending:
                    entries[k][0] = _ROLE_WORD[after]
                pending, prefix = [], None
            elif before in _ROLE_WORD:  # 文/张三: the names after get the role
                prefix = _ROLE_WORD[before]
        elif _is_name(token):
            entries.append([prefix, token])
            if prefix is None:
                pending.append(len(entries) - 1)
    return [(role, name) for role, name in entries]


def parse_credits(text: str) -> dict[str, list[str]]:
    """People named in a credits text, by field. Labels that name nobody (来源, 发布时间, 字数 …) end
    the names of the label before them; "X/文 Y/图", "文/X 图/Y" and a closing "文/图" give the
    photographer; 作者 (author) names reporters (codebook G12); an explicit label may name a user
    handle in Latin letters ("责任编辑:abc3"); a closing 报道 glued to a name ("通讯员甲乙报道") is
    no part of it.

    >>> parse_credits("编辑: 孙红亮 责任编辑: 徐婷")
    {'editor': ['孙红亮'], 'responsible_editor': ['徐婷']}
    >>> parse_credits("本报记者 张三 李四 通讯员 王五")
    {'reporter': ['张三', '李四'], 'correspondent': ['王五']}
    >>> parse_credits("来源:某网 | 责任编辑:甲乙 | 发布时间: 2018-12-05 12:35")
    {'responsible_editor': ['甲乙']}
    >>> parse_credits("某报记者 甲乙 通讯员 丙丁 文/图")
    {'reporter': ['甲乙'], 'correspondent': ['丙丁'], 'photographer': ['甲乙', '丙丁']}
    >>> parse_credits("视频编辑:甲乙 文字编辑:丙丁"), parse_credits("责任编辑:editor_7")
    ({'editor': ['甲乙', '丙丁']}, {'responsible_editor': ['editor_7']})
    >>> parse_credits("记者甲乙 通讯员丙丁戊报道"), parse_credits("作者:甲乙")
    ({'reporter': ['甲乙'], 'correspondent': ['丙丁戊']}, {'reporter': ['甲乙']})
    """
    found = _credits(text)
    authors = found.pop("author", [])
    if authors:
        found.setdefault("reporter", [])
        found["reporter"].extend(n for n in authors if n not in found["reporter"])
    return found


# a user handle after an explicit label ("责任编辑:guanliyuan3"): Latin letters, then letters, digits, _ . -
_HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{1,29}")
# "…通讯员甲乙报道)": the verb closing a byline, glued to the last name
_REPORTED = re.compile(r"(?<=[\u4e00-\u9fff])(?:报道|報道|报导|報導)\s*$")


# any other word before a colon is a label too ("阅读量:", "校核:"): it ends the names of the label before it
_OTHER_LABEL = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,4}(?=\s*[:：])")


def _credits(text: str) -> dict[str, list[str]]:
    """:func:`parse_credits` with the names labelled 作者 apart (key ``author``)."""
    found: dict[str, list[str]] = {}

    def add(field_name: str, name: str) -> None:
        found.setdefault(field_name, [])
        if name not in found[field_name]:
            found[field_name].append(name)

    both = bool(_TEXT_AND_PHOTO.search(text))
    text = _REPORTED.sub("", _TEXT_AND_PHOTO.sub(" ", text))
    labels = list(_ANY_LABEL.finditer(text))
    known = {m.start() for m in labels}
    labels = sorted(labels + [m for m in _OTHER_LABEL.finditer(text) if m.start() not in known and not _ANY_LABEL.match(m.group())],
                    key=lambda m: m.start())
    segments = [(None, text[: labels[0].start()] if labels else text)]
    for k, match in enumerate(labels):
        end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
        segments.append((_label_field(match.group()), text[match.end() : end]))
    for field_name, fragment in segments:
        entries = _roles(fragment)
        for role, name in entries:
            if role == "photo":
                add("photographer", name)
            elif role == "text" or field_name:
                add(field_name or "reporter", name)
        if field_name and not entries:
            handle = _HANDLE.fullmatch(fragment.strip(" :：[]【】()（）|｜,，;；"))
            if handle:
                add(field_name, handle.group())
    if both:
        for name in found.get("reporter", []) + found.get("author", []) + found.get("correspondent", []):
            add("photographer", name)
    return found


def _tail_credits(text: str) -> tuple[str | None, dict[str, list[str]]] | None:
    """Credits closing a paragraph of running text, and the outlet named before the role word: a bracket
    with a role word ("…作用。(某某日报 记者甲乙)"; names before the first role word are left out, and 文 before
    the names makes them reporters, codebook G21) or an editors' label after the last sentence
    ("…氛围。 责任编辑:甲乙"). A bracket of bare names names nobody's role here: ``None`` (codebook G12; see
    :func:`closing_names`).

    >>> _tail_credits("活动取得实效。(某某日报 记者甲乙)")
    ('某某日报', {'reporter': ['甲乙']})
    >>> _tail_credits("活动取得实效。 责任编辑:abc3"), _tail_credits("活动取得实效。(甲乙 丙丁)")
    ((None, {'responsible_editor': ['abc3']}), None)
    >>> _tail_credits("活动取得实效。(甲乙 丙丁 记者 戊己)"), _tail_credits("活动取得实效。(文 甲乙 丙丁)")  # codebook G21
    ((None, {'reporter': ['戊己']}), (None, {'reporter': ['甲乙', '丙丁']}))
    """
    if (text_by := _TAIL_TEXT_BY.search(text)) and text_by.start():
        return None, {"reporter": [t for t in re.split(r"[\s、，,]+", text_by["names"]) if _is_name(t)]}
    match = _TAIL_BRACKET.search(text) or _TAIL_MIXED.search(text) or _TAIL_EDITORS.search(text)
    if not match or match.start() == 0:
        return None
    found = _credits(match.group("credits"))
    if not found:
        return None
    return match.groupdict().get("org"), found


# a bracket of bare names closing the article: "…取得实效。(甲乙 丙丁)", or "(甲乙)" on a line of its own
_CLOSING_NAMES = re.compile(rf"(?:^|(?<=[。！？!?”」]))\s*[(（]\s*(?P<names>{_NAMES})\s*[)）]\s*$")
_SURNAMES_CSV = LEXICONS / "surnames.csv"


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    """The surnames of ``data/lexicons/surnames.csv`` (百家姓, cited there): single and compound."""
    with open(_SURNAMES_CSV, encoding="utf-8") as handle:
        return frozenset(line.split(",", 1)[0] for line in list(handle)[1:] if line.strip())


def _is_person(token: str) -> bool:
    """A credits token that reads as a person's name: a name (:func:`_is_name`) that starts with a surname
    and does not end like a body (某某局, 某某网). A bare bracket has no role word to vouch for its names.

    >>> _is_person("甲乙"), _is_person("王某某"), _is_person("活动现场"), _is_person("王家局")
    (False, True, False, False)
    """
    surnames = _surnames()
    return (_is_name(token) and not _BODY_END.search(token)
            and (token[0] in surnames or token[:2] in surnames or "·" in token))


def closing_names(paragraphs: list[Paragraph]) -> list[str]:
    """Names in a bracket with no role word that closes the article: at the end of its last paragraph of
    text, or as a line of its own after it (site furniture and editors' lines below do not count). Every
    token must read as a person's name (:func:`_is_person`); otherwise ``[]``. Codebook G12/G16 record
    annotators as divided on such names; most put them under ``reporter``, which :func:`extract_metadata`
    follows when no other line names a reporter.

    >>> rows = [("body", "某县开展普法活动,群众踊跃参加。(王某某 李某)"), ("footer", "责任编辑:张某")]
    >>> closing_names([Paragraph(i, r, 0, 0, len(t), t) for i, (r, t) in enumerate(rows)])
    ['王某某', '李某']
    >>> closing_names([Paragraph(0, "body", 0, 0, 9, "活动取得实效。(活动现场)")])
    []
    """
    last = next((p for p in reversed(paragraphs) if p.role not in ("boilerplate", "footer", "title", "dateline")), None)
    match = _CLOSING_NAMES.search(last.text) if last is not None else None
    if not match:
        return []
    tokens = [t for t in re.split(r"[\s、，,]+", match["names"]) if t]
    return list(dict.fromkeys(tokens)) if tokens and all(_is_person(t) for t in tokens) else []


def _opener_match(text: str) -> re.Match | None:
    """The "XX讯(…)" opener of a lead: at the start of the line, after a photo caption and its credit
    (within the first 80 characters), or without a bracket ("本报讯“…")."""
    match = (
        _LEAD_OPENER.match(text) or _OPENER_INLINE.search(text[:80]) or _OPENER_BARE.match(text)
        or _OPENER_COLON.match(text) or _OPENER_DATED.match(text)
    )
    if match and match.re is _OPENER_INLINE and match.start() and not _PHOTO_CREDIT.search(text[: match.start()].strip()):
        return None  # inside a line, only after a photo credit ("…现场。 东南网记者 林峰峰 摄 东南网讯(…)")
    return match


def _outlet(raw: str) -> tuple[str | None, re.Match | None]:
    """The outlet of an opener without its dateline (date, time, or the place after 本报), and the
    dateline's match (month, day, hour, minute).

    >>> _outlet("本报拉萨4月5日")[0], _outlet("某某社某地4月5日")[0], _outlet("华龙网-新重庆客户端12月4日16时40分")[1]["H"]
    ('本报', '某某社', '16')
    >>> _outlet("某某网兰州")[0], _outlet("某某网客户端")[0]
    ('某某网', '某某网客户端')
    """
    when = _OPENER_WHEN.search(fold_digits(raw))
    outlet = raw[: when.start()] if when else raw
    own = _OWN_OUTLET.match(outlet)
    if own:
        outlet = own.group()
    elif when:  # "新华社北京12月4日电": the place of the dateline follows the outlet's name
        outlet = _OPENER_PLACE.sub("", outlet)
    elif (place := _OPENER_PLACE.search(outlet)) and not _BODY_END.search(outlet) and not outlet.endswith(_OUTLET_TAILS):
        outlet = outlet[: place.start()]  # "某某网兰州讯": a place without a date (codebook G14)
    outlet = re.sub(r"^[据據]", "", outlet).strip(" -·—")  # "据新华社讯": a reprint names its outlet after 据
    return outlet or None, when


# a byline right after a bare opener, closed by 报道 or a colon: "本报讯 记者甲乙 通讯员丙丁 戊己报道:"
_BARE_BYLINE = re.compile(
    rf"\s*(?P<credits>(?:{_BYLINE_ROLE}\s*{_NAMES}\s*)+?)(?:报道|報道)?\s*[:：]"
)
# a qualifier of the role word, no outlet: "(全媒体记者 甲乙)", "(特约记者 甲乙)"
_QUALIFIER = re.compile(r"(?:全媒体|全媒體|融媒体|融媒體|特约|特約)\s*$")


def _byline_org(text: str) -> str | None:
    """The outlet named before the first role word of a byline line (codebook G15: "某某日报全媒体记者 甲乙" →
    某某日报); ``None`` for 本报, a bare qualifier or no outlet.

    >>> _byline_org("某某日报全媒体记者 甲乙 丙丁"), _byline_org("(某某报记者甲乙 通讯员丙丁)"), _byline_org("(全媒体记者 甲乙)")
    ('某某日报', '某某报', None)
    """
    label = _CREDIT_LABEL.search(text)
    if not label:
        return None
    org = _QUALIFIER.sub("", text[: label.start()]).strip(" (（□■◎●")
    return org if org and _BODY_END.search(org) and not _OWN_OUTLET.match(org) and len(org) <= 12 else None


def parse_opener(lead: str) -> dict[str, object]:
    """Outlet, newspaper and people of a lead opener like ``昆明信息港讯(都市时报记者 林舒佳)``.

    >>> parse_opener("昆明信息港讯(都市时报记者 林舒佳) 法治是治国之重器。")
    {'outlet': '昆明信息港', 'newspaper': '都市时报', 'reporter': ['林舒佳']}
    >>> parse_opener("本报讯（记者 甲乙 通讯员 丙丁）正文")
    {'outlet': '本报', 'newspaper': None, 'reporter': ['甲乙'], 'correspondent': ['丙丁']}
    >>> parse_opener("某网1月31日讯(本网记者 甲乙)正文")
    {'outlet': '某网', 'newspaper': None, 'reporter': ['甲乙']}
    >>> parse_opener("本报讯(甲乙 丙丁)正文")  # names without a role word: the reporters (codebook G12)
    {'outlet': '本报', 'newspaper': None, 'reporter': ['甲乙', '丙丁']}
    >>> parse_opener("某网讯(某某日报)正文")  # an outlet's name is no reporter
    {'outlet': '某网', 'newspaper': None}
    >>> parse_opener("某某网某地12月5日电 正文"), parse_opener("某某新闻网:(甲乙)正文")  # codebook G14
    ({'outlet': '某某网', 'newspaper': None}, {'outlet': '某某新闻网', 'newspaper': None, 'reporter': ['甲乙']})
    >>> parse_opener("某某日报讯(全媒体记者 甲乙)正文")  # 全媒体 qualifies the role word, it is no newspaper
    {'outlet': '某某日报', 'newspaper': None, 'reporter': ['甲乙']}
    >>> parse_opener("本报讯 记者甲乙 通讯员丙丁 戊己报道:正文")  # a byline after a bare opener
    {'outlet': '本报', 'newspaper': None, 'reporter': ['甲乙'], 'correspondent': ['丙丁', '戊己']}
    >>> parse_opener("某某网讯 记者从某某局获悉,正文")  # 记者 as the subject of a sentence: no byline
    {'outlet': '某某网', 'newspaper': None}
    >>> parse_opener("某某报、某某网、某某客户端讯 (甲乙 特约记者丙丁)正文")  # several outlets (codebook G21)
    {'outlet': '某某报|某某网|某某客户端', 'newspaper': None, 'reporter': ['丙丁']}
    >>> parse_opener("某某网某地讯 正文")  # a place between the outlet and 讯 (codebook G14)
    {'outlet': '某某网', 'newspaper': None}
    """
    match = _opener_match(lead)
    if not match:
        return {}
    # several outlets in one opener ("某某报、某某网、某某客户端讯"): all of them, joined by | (codebook G21)
    names = [_outlet(part)[0] for part in match.group("outlet").split("、")]
    outlet = "|".join(n for n in names if n) or None
    inner = match.groupdict().get("inner") or ""
    if not inner and (byline := _BARE_BYLINE.match(lead, match.end())):
        inner = byline.group("credits")  # "本报讯 记者甲乙 通讯员丙丁报道:" — the bracket left out
    first_label = _CREDIT_LABEL.search(inner)
    org = _QUALIFIER.sub("", inner[: first_label.start()]).strip() if first_label else ""
    names_before = first_label is not None and bool(re.search(r"\s", inner[: first_label.start()].strip()))
    newspaper = org if org and not _OWN_OUTLET.match(org) and not names_before else None  # "(甲乙 特约记者丙丁)"
    result: dict[str, object] = {"outlet": outlet, "newspaper": newspaper}
    if first_label:
        result.update(parse_credits(inner[first_label.start():]))
        return result
    tokens = [t for t in re.split(r"[\s、，,]+", _REPORTED.sub("", inner)) if t]
    if tokens and all(_is_name(t) and not _BODY_END.search(t) for t in tokens):
        result["reporter"] = list(dict.fromkeys(tokens))
    return result


def _cn_number(numeral: str) -> int:
    """The value of a Chinese numeral: digit by digit (a year: 二〇一八 → 2018), or up to 三十九 with 十.

    >>> _cn_number("二〇一八"), _cn_number("十二"), _cn_number("三十一"), _cn_number("六")
    (2018, 12, 31, 6)
    """
    digits = {"〇": 0, "○": 0, "零": 0} | {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
    if "十" not in numeral:
        return int("".join(str(digits[c]) for c in numeral))
    tens, _, ones = numeral.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _find_date(text: str) -> tuple[int, str | None] | None:
    """(offset, ISO date or date-time) of the first date in ``text`` (digits folded first); the date is
    ``None`` when it cannot be read (an impossible month or day). Dotted dates with the year last are read
    day.month.year, the order of that notation (a second number above 12 shows the month first).

    >>> _find_date("发布时间：２０１７年１２月５日 17时39分")
    (5, '2017-12-05T17:39:00+08:00')
    >>> _find_date("2017/12/05"), _find_date("14.12.2017 08:30"), _find_date("04.12.2014")
    ((0, '2017-12-05'), (0, '2017-12-14T08:30:00+08:00'), (0, '2014-12-04'))
    >>> _find_date("日期：二〇一八年十二月六日 14:11")
    (3, '2018-12-06T14:11:00+08:00')
    """
    text = fold_digits(text)
    found = [m for m in (_DATETIME.search(text), _DMY.search(text), _CN_DATE.search(text)) if m]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    if match.re is _CN_DATE:
        y, m, d = (_cn_number(match[k]) for k in ("y", "m", "d"))
        hour, minute = match["H"], match["M"]
    elif match.re is _DMY:
        a, b = int(match["a"]), int(match["b"])
        # the dotted form with the year last is day.month.year (04.12.2014 = 4 December; the month-first
        # habit writes slashes); only a second number above 12 shows a month first (12.14.2014)
        m, d = (a, b) if b > 12 else (b, a)
        y, hour, minute = int(match["y"]), match["H"], match["M"]
    else:
        y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
        hour, minute = match["H"], match["M"] or match["M2"]
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return match.start(), None
    if hour is None or minute is None or int(hour) > 23 or int(minute) > 59:
        return match.start(), f"{y:04d}-{m:02d}-{d:02d}"
    seconds = int(match["S"] or 0)
    return match.start(), f"{y:04d}-{m:02d}-{d:02d}T{int(hour):02d}:{int(minute):02d}:{seconds:02d}+08:00"


def _labelled_date(text: str) -> bool:
    """Whether the first date of ``text`` follows a date label ("发布时间:", "发表于:").

    >>> _labelled_date("作者:甲乙 发表于:2020年04月16日"), _labelled_date("2024年04月19日")
    (True, False)
    """
    found = _find_date(text)
    return found is not None and bool(_DATE_LABEL.search(text[: found[0]]) or _PUBLISHED_AT.search(text[: found[0]]))


_PUBLISHED_AT = re.compile(r"(?:发表|發表|发布|發布)于\s*[:：]?\s*$")


def _published(text: str) -> str | None:
    found = _find_date(text)
    return found[1] if found else None


def _source(text: str) -> str | None:
    """The value of the first 来源 label, cut where a next field glued to it begins; ``None`` when the
    label is empty ("来源: 字号:").

    >>> _source("来源:宝安日报发布时间:2021-12-03 10:49"), _source("来源: 字号:")
    ('宝安日报', None)
    """
    for match in _SOURCE.finditer(text):
        value = _SOURCE_END.sub("", match.group("source")).strip(" ,，、;；-")
        if value:
            return value
    return None


_EMPTY_SOURCE = re.compile(r"(?:来源|來源)\s*[:：]\s*$")


def _source_below(front: list[Paragraph]) -> str | None:
    """The source of a front matter whose 来源 label ends its line: the next line, when it is a short name
    (at most 20 characters, no punctuation of a sentence or a label, not a date).

    >>> lines = ["标题", "2017年12月04日 18:34:00", "来源:", "某某在线", "某某在线讯(记者 甲乙)正文。"]
    >>> _source_below([Paragraph(i, "body", 0, 0, len(t), t) for i, t in enumerate(lines)])
    '某某在线'
    """
    for above, below in zip(front, front[1:]):
        text = below.text
        if (
            _EMPTY_SOURCE.search(above.text) and len(text) <= 20 and not re.search(r"[。，,；;：:！？!?]", text)
            and any(is_han(c) for c in text) and not _find_date(text) and not _opener_match(text)
        ):
            return text.strip()
    return None


def _is_datelike(p: Paragraph) -> bool:
    """A front-matter line giving the page's date or source (whatever role the layout gave it)."""
    if p.role == "dateline" or (_SOURCE.search(p.text) and len(p.text) <= 100):
        return True
    found = _find_date(p.text)
    if not found or len(p.text) > 80 or "。" in p.text:
        return False
    return found[0] <= 8 or bool(_DATE_LABEL.search(p.text[: found[0]]))
# a navigation bar: four or more items between vertical bars, no full stop
_NAV_BAR = re.compile(r"^[^。]*(?:[|｜][^|｜。]{1,12}){3,}[^。]*$")


_NOT_HEADLINE = re.compile(r"上一版|下一版|上一篇|下一篇|>|＞|»|›|《[^》]*》\s*《")


def _is_headline(p: Paragraph) -> bool:
    """Could this front-matter line be the headline (not navigation, a masthead or a sentence)?"""
    text = p.text
    return (
        p.role != "boilerplate" and len(text) <= 80 and text[-1] not in "。.：:" and any(is_han(c) for c in text)
        and not _NOT_HEADLINE.search(text) and not _is_credits(text)
        and not _is_datelike(p) and not _opener_match(text) and not text.startswith(("—", "原标题", "原標題"))
    )


def _front(paragraphs: list[Paragraph]) -> int:
    """Index of the paragraph that ends the front matter: the one with the "XX讯" opener, else the
    first full paragraph of running text (40 characters or more) that is neither a date/source line
    ("发布日期:… 来源:… 作者:…") nor a navigation bar ("甲 | 乙 | 丙 | 丁"); ``len(paragraphs)`` if none."""
    for i, p in enumerate(paragraphs):
        if p.role in ("boilerplate", "footer"):
            continue
        if _opener_match(p.text) or _OPENER_OPEN.match(p.text):
            return i
        if p.role in ("lead", "body", "list_item") and len(p.text) >= 40 and not _is_datelike(p) and not _NAV_BAR.search(p.text):
            return i
    return len(paragraphs)


def _headline_index(paragraphs: list[Paragraph], front: int) -> int | None:
    """Index of the headline: the line just above the date/source line (skipping site furniture), else the
    first headline-like line between the date line and the lead, else the line the layout took for the title.

    Web pages print site names, channel names and navigation above the headline; the date/source line
    sits right under it (or, on e-paper pages, above it).
    """
    zone = paragraphs[: front + 1]
    first_dated = last = None  # the first date/source line; the last line above it that is no furniture
    for i, p in enumerate(zone):
        if _is_datelike(p):
            if last is not None and _is_headline(zone[last]):
                return last
            first_dated = i if first_dated is None else first_dated
        if p.role != "boilerplate":
            last = i
    if first_dated is not None:
        below = next((k for k in range(first_dated + 1, min(front, len(zone))) if _is_headline(zone[k])), None)
        if below is not None:
            return below
    title = next((k for k, p in enumerate(paragraphs) if p.role == "title"), None)
    return title if title is not None and _is_headline(paragraphs[title]) else None


# an outlet in brackets before the headline: "[某某晚报]某某活动举行", "【某某日报】…" — the source, not the headline
_OUTLET_PREFIX = re.compile(r"^[\[【](?P<outlet>[\u4e00-\u9fff·]{2,12}?(?:报|報|网|網|台|社|端|刊))[\]】]\s*(?=\S)")


def _headline(paragraphs: list[Paragraph], front: int) -> str | None:
    """The headline's text (see :func:`_headline_index`), without an outlet in brackets before it.

    >>> lines = ["[某某晚报]某某县开展普法活动", "来源:某某晚报", "本报讯 近日开展活动,群众踊跃参加,反响良好,活动取得实效。"]
    >>> _headline([Paragraph(i, "body", 0, 0, len(t), t) for i, t in enumerate(lines)], 2)
    '某某县开展普法活动'
    """
    index = _headline_index(paragraphs, front)
    if index is None:
        return None
    text = paragraphs[index].text
    prefix = _OUTLET_PREFIX.match(text)
    return text[prefix.end():] if prefix else text


def title_roles(paragraphs: list[Paragraph]) -> tuple[list[str], list[bool]]:
    """Roles and repeat flags with the ``title`` role on the metadata's headline (:func:`_headline_index`).

    Where a page prints its site name, channels, a masthead or navigation above the headline, the layout
    pass may have taken one of those lines for the title. The headline then becomes the title (its later
    copies repeats); every line above it is site furniture (``boilerplate``, codebook G1) except a date or
    source line (``dateline``); and when the lead was above the headline, the paragraph that ends the front
    matter (the "XX讯" opener or the first full paragraph) becomes the lead. A headline printed twice keeps
    its first copy as the title.

    >>> lines = ["某某网", "新闻中心 > 本地", "某某县开展普法活动", "2015-10-25 01:03:00", "某报讯(记者甲乙)近日开展活动。"]
    >>> roles, _ = classify(lines)
    >>> roles[:3]
    ['title', 'boilerplate', 'subheading']
    >>> title_roles([Paragraph(i + 1, r, 0, 0, len(t), t) for i, (r, t) in enumerate(zip(roles, lines))])[0]
    ['boilerplate', 'boilerplate', 'title', 'dateline', 'lead']
    >>> lines = ["原标题:某某县开展普法活动", "某某网12月4日消息(记者甲乙)近日开展活动,群众踊跃参加。"]
    >>> title_roles([Paragraph(i + 1, r, 0, 0, len(t), t) for i, (r, t) in enumerate(zip(["title", "lead"], lines))])[0]
    ['subheading', 'lead']
    """
    roles = [p.role for p in paragraphs]
    repeats = [p.is_repeat for p in paragraphs]
    front = _front(paragraphs)
    index = _headline_index(paragraphs, front)
    if index is None:
        # a page that prints no headline has no title (codebook G18): a line the layout took for the title but
        # no headline ("原标题:…") is a subheading
        for i, p in enumerate(paragraphs):
            if roles[i] == "title" and not _is_headline(p):
                roles[i], repeats[i] = "subheading", False
        return roles, repeats
    if index >= front:
        return roles, repeats
    # a headline printed twice: the first copy is the title, the second its repeat
    index = next(k for k, p in enumerate(paragraphs) if p.text == paragraphs[index].text)
    if roles[index] == "title" and not repeats[index]:
        return roles, repeats
    had_lead = "lead" in roles[: index + 1]
    for i, p in enumerate(paragraphs):
        if i < index and roles[i] != "boilerplate":
            roles[i], repeats[i] = ("dateline" if _is_datelike(p) else "boilerplate"), False
        elif i > index and roles[i] == "title":  # copies of the line wrongly taken for the title
            roles[i], repeats[i] = "boilerplate", False
    roles[index], repeats[index] = "title", False
    for i in range(index + 1, len(paragraphs)):
        if paragraphs[i].text == paragraphs[index].text:
            roles[i], repeats[i] = "title", True
    if had_lead and front < len(paragraphs) and roles[front] == "body":
        roles[front] = "lead"
    return roles, repeats


def _single_sentence(text: str) -> bool:
    return len(split_sentences(text)) == 1


def _is_short_caption(text: str) -> bool:
    """A line short enough to be a caption left by a dropped picture: at most 15 characters, one sentence
    ending in 。, no comma."""
    return len(text) <= 15 and text[-1] in "。." and _single_sentence(text) and not re.search(r"[，,、；;：:]", text)


def _bracket_caption(text: str) -> str | None:
    """A caption printed in brackets on a line of its own, as printed; a closing bracket whose opening
    bracket is missing is dropped. Names, bodies and credit labels in brackets are no caption.

    >>> _bracket_caption("(工作人员发放宣传资料)"), _bracket_caption("村民参加知识问答)")
    ('(工作人员发放宣传资料)', '村民参加知识问答')
    >>> _bracket_caption("(紧接01版)"), _bracket_caption("(甲乙 丙丁)"), _bracket_caption("(某某县人民政府网)")
    (None, None, None)
    >>> _bracket_caption("(本文有删节)"), _bracket_caption("(紧接第一版)")
    (None, None)
    """
    match = _BRACKET_CAPTION.fullmatch(text)
    if not match or _CREDIT_LABEL.search(text) or _EDITORS_NOTE.search(text) or _BODY_END.search(match["inner"]):
        return None
    return text if match["open"] else match["inner"]


def _captions(paragraphs: list[Paragraph], front: int, opener_prefix: str) -> tuple[list[str], list[str]]:
    """Photo captions and photographers, in reading order.

    A caption is a caption-role line (its credit cut off), the text before an opener that ends with a
    photo credit, a line ending in "…供图" (no photographer: the picture was supplied), a line holding
    one bracketed clause ("(活动现场)", :func:`_bracket_caption`), a one-sentence
    line placing people in the picture ("(右一)"), the short line under an image placeholder, or a
    short standalone line of the body (at most 15 characters, one sentence, no comma) that names a scene
    ("新闻发布现场。") or stands next to another such line (pictures in a row).
    A line holding only a photo credit makes the line above it the caption.
    """
    captions: list[str] = []
    photographers: list[str] = []

    def credit_of(text: str) -> tuple[str, list[str]] | None:
        credit = _PHOTO_CREDIT.search(text)
        if credit:
            caption = text[: credit.start()].strip().rstrip("(（").rstrip()  # "…学法。(甲乙 摄)": the bracket is the credit's
            names = _names(credit.group("names") or credit.group("names2") or "")
            return caption, [n for n in names if not _OUTLET_NAME.fullmatch(n)]  # "人民网 甲乙摄": 人民网 took none
        supplied = _PHOTO_SUPPLIED.search(text)
        if supplied:
            return text[: supplied.start()].strip(), []
        return None

    if opener_prefix:
        found = credit_of(opener_prefix)
        if found:
            captions.append(found[0])
            photographers.extend(found[1])
    for i, p in enumerate(paragraphs):
        text = p.text
        if p.role in ("boilerplate", "footer", "title", "dateline") or len(text) > 120:
            continue
        if (i == front and opener_prefix) or _IMAGE_PLACEHOLDER.match(text):
            continue  # an image's file name is no caption (codebook G18)
        found = credit_of(text)
        if found and (p.role == "caption" or found[0] == "" or _single_sentence(found[0])):
            caption, names = found
            if not caption and i > 0 and paragraphs[i - 1].role not in ("title", "dateline", "boilerplate"):
                above = paragraphs[i - 1].text
                caption = above if len(above) <= 60 and _single_sentence(above) else ""
            captions.append(caption)
            photographers.extend(names)
        elif p.role == "caption":
            captions.append(text)
        elif (bracketed := _bracket_caption(text)) is not None:
            captions.append(bracketed)
        elif p.role in ("lead", "body", "list_item") and (
            (_PHOTO_POSITION.search(text) and _single_sentence(text))
            or (i > 0 and _IMAGE_PLACEHOLDER.match(paragraphs[i - 1].text) and len(text) <= 60 and _single_sentence(text))
            or (_is_short_caption(text) and (
                text.rstrip("。.").endswith(("现场", "現場", "场景", "場景"))
                or any(_is_short_caption(q.text) and q.role in ("lead", "body", "list_item")
                       for q in paragraphs[max(0, i - 1) : i + 2] if q is not p)))
        ):
            captions.append(text)
    unique = list(dict.fromkeys(c for c in captions if c))
    return unique, list(dict.fromkeys(photographers))


def extract_metadata(paragraphs: list[Paragraph]) -> dict[str, object]:
    """Title, date, source, outlet, newspaper, the people of the article and its photo captions.

    Absent fields are ``None`` (never a guess); people fields are lists (several reporters …); several
    photo captions are joined by `` | ``. The front matter (everything above the "XX讯" opener, or above
    the first full paragraph) is read whatever roles the layout gave its lines: the headline is the line
    above the date/source line, the date may sit on a line of site furniture, a 来源 label may end its line
    (the source is the next line), and the opener may follow a photo caption on the same line or be split
    over two lines. Credits may close a paragraph of running text ("…。(某某日报 记者甲乙)", "…。 责任编辑:甲乙");
    a person labelled 作者 whom the opener names with a narrower role (通讯员) keeps that role only.
    """
    meta: dict[str, object] = {
        "title": None, "published": None, "source": None, "outlet": None, "newspaper": None,
        "reporter": None, "correspondent": None, "photographer": None, "photo_caption": None,
        "editor": None, "responsible_editor": None,
    }
    people: dict[str, list[str]] = {f: [] for f in (*PERSON_FIELDS, "author")}

    def add(found: dict) -> None:
        for key, names in found.items():
            if key in people:
                people[key].extend(n for n in names if n not in people[key])

    front = _front(paragraphs)
    meta["title"] = _headline(paragraphs, front)
    datelines = [p for p in paragraphs if p.role == "dateline"]
    header = [p for p in paragraphs[:front] if _is_datelike(p) and p.role != "dateline"]
    footers = [p for p in paragraphs[front:] if p.role == "footer"]
    # a date under a label ("发布时间:", "发表于:") is the page's; an unlabelled date above it may be the
    # site's display of today's date (codebook G17)
    for p in sorted(datelines + header, key=lambda q: not _labelled_date(q.text)):
        if meta["published"] is None:
            meta["published"] = _published(p.text)
    for p in datelines + header + footers:
        if meta["source"] is None:
            meta["source"] = _source(p.text)
    if meta["source"] is None:
        meta["source"] = _source_below(paragraphs[: front + 1])
    # the opener (its bracket may close on the next line)
    opener_prefix = ""
    if front < len(paragraphs):
        text = _URL_BRACKET.sub("", paragraphs[front].text)
        if _OPENER_OPEN.match(text) and front + 1 < len(paragraphs):
            text = text + " " + paragraphs[front + 1].text
        match = _opener_match(text)
        if match:
            opener_prefix = text[: match.start()].strip()
            opener = parse_opener(text[match.start() :])
            meta["outlet"] = opener.pop("outlet", None)
            meta["newspaper"] = opener.pop("newspaper", None)
            add(opener)
            _, when = _outlet(match.group("outlet"))
            published = meta["published"]
            if when and when["H"] and isinstance(published, str) and len(published) == 10:
                if (int(published[5:7]), int(published[8:10])) == (int(when["m"]), int(when["d"])):
                    meta["published"] = f"{published}T{int(when['H']):02d}:{int(when['M']):02d}:00+08:00"
    for p in header:  # a date/source line the layout took for running text ("发布日期:… 作者:… 编辑:…")
        add(_credits(p.text))
    for p in paragraphs:
        if p.role in ("dateline", "footer") or (p.role != "boilerplate" and _BYLINE_LINE.match(p.text)):
            add(_credits(p.text))
            if meta["newspaper"] is None and _BYLINE_LINE.match(p.text):
                meta["newspaper"] = _byline_org(p.text)  # codebook G15
        elif p.role != "boilerplate" and _DUTY_EDITOR.match(p.text):
            add(_credits(p.text))  # "值班编辑:甲乙" on a line of its own (codebook G16)
        elif p.role in ("lead", "body", "list_item") and (tail := _tail_credits(p.text)):
            org, found = tail
            add(found)
            if org and meta["newspaper"] is None and not _OWN_OUTLET.match(org):
                meta["newspaper"] = org
    if not people["reporter"] and not people["author"]:  # "…实效。(甲乙 丙丁)" closing the article (G12, G16)
        add({"reporter": closing_names(paragraphs[front:])})
    captions, photographers = _captions(paragraphs, front, opener_prefix)
    add({"photographer": photographers})
    meta["photo_caption"] = " | ".join(captions) or None
    # 作者 (author) is the generic label: a person the article names with a narrower role (通讯员 in the
    # opener) keeps that role only; the other authors are reporters (codebook G12)
    authors = people.pop("author")
    add({"reporter": [n for n in authors if n not in people["correspondent"]]})
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
    roles, repeats = title_roles(
        [Paragraph(pid=i + 1, role=r, section=0, start=s, end=e, text=t, is_repeat=rep)
         for i, ((s, e), t, r, rep) in enumerate(zip(spans, texts, roles, repeats))]
    )
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
