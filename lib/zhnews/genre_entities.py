"""Entities of the genre (local rule-of-law news): administrative divisions, place + body organisations,
media, people in credits and after titles, named days and campaigns, anchored dates.

The seed recogniser (:mod:`zhnews.entities`) was written on one Kunming article. On unseen articles of
the genre it missed towns, counties and the bodies named after them. This module adds, following the
codebook (section 3 and the genre rules G1–G13):

- **divisions** (method ``division``): every province, city, county/district and town/township/subdistrict of
  jionlp's ``china_location.txt`` (the GB/T 2260 tree with towns and villages), read directly from the
  installed package's zip file — jionlp itself is never imported — full names always, short forms
  (嘉定 for 嘉定区) by the rule of :func:`short_form_ok`, villages and communities only with their suffix
  (…村, …社区). The lookup is built once and cached in a user cache folder (:func:`cache_dir`), keyed by
  jionlp's version and :data:`BUILD_VERSION`;
- **organisation grammar** (``org: place + body``): a place (a division, or a bare level 县/市/区…) + up to four
  modifier characters + a body head (司法局, 司法所, 人大常委会, 法律援助中心, 委宣传部, 学校, 公司 …), longest span
  (codebook G3, G4); media titles (…网, …客户端, …日报, …法制报) at a credit position (G8);
- **persons** (``per: …``): names in the credits (metadata, role words, closing name brackets) and after a title
  (书记 X, 副县长 X, 村民 X, 律师 X …), a surname of ``data/lexicons/surnames.csv`` + one or two characters;
  nicknames 小王 / 老黄 / 刘某 (G7); never a known place;
- **events** (``event: …``): named days with their ordinal (第五个国家宪法日), quoted labels with the head outside
  (“…”活动 / 仪式 / 主题活动), numbered or first-ever sessions (第一届…活动, 首届…节);
- **dates** (``date: …``): calendar dates with times and parts of day, anchored relative dates (G6: 今年, 昨天,
  当天下午, 上月, 4月底).

Round 2 (rules fitted on the ``dev`` and ``test`` articles; ``test2`` never seen) added: departments named by
their function after a level or a place (``org: department``: 区卫健局, 省法学会; G4), short references to a body
the article named (``org: short reference``: 司法局; G4), a body's sub-body in one span (…司法局法律援助中心; G3),
quoted platforms (``org: quoted platform``: “12348”某某法网; G8), named facilities and villages under a
division (``loc: facility``, ``loc: village after a division``; G9, 3.3.5), surname + 先生/女士 (G7), 二十大 and
numbered Party congresses, meetings after 召开的, dates with 晚, day.month.year timestamps and N年内 (G6), and
filters: concept words and bodies read as places (示范县, …林业局, 村民), class words (乡镇街道, 司法部门) and
lines of site furniture (breadcrumbs, copyright, address lines; G1).

Round 3 (fitted on ``dev``, ``test`` and ``test2``; ``test3`` never seen) added, from ``test2``'s misses: units
inside a named body in one span (``org: body + unit``: …司法局基层工作处, …法院诉讼服务中心律师服务工作站; G3),
a chain of places before a public body (河北省某县某镇…调解工作室; G3), body heads of the genre (人民调解委员会,
调解工作室, 法律援助处, 工商联, 电视台; 领导小组 as in 3.3.1) and departments before a title (3.3.4), hotlines by
their number (``org: hotline``; G19), lead and credit outlets (某某网兰州讯, 新甘肃·某某日报记者, 某某报记者,
某某网-某某频道, 某某微信公众号; G8, G14, G15), named weeks and months with a year or a quoted date
(2023年宪法宣传周, “12·4”国家宪法日, 第一个“宪法宣传月”活动) and the bare 宣传周 referring back (G19), the start of a
quoted event at its place, not the verb before it (3.3.4), and dates: ranges, a weekday, slashed timestamps
(G19), parts of an anchored year (今年上半年, 本年度; G6), months with 份 and decades (60年代); an autonomous
county or prefecture by short form + level (漾濞县, 大理州; 3.3.1), 王某某 (G7, G20), and two person fixes (小时
is no nickname; a given name stops before 不).

Round 4 (fitted on ``dev``, ``test``, ``test2`` and ``test3``; ``test4`` never seen) adds a learned recogniser,
a character CRF trained from the gold and stacked on these rules (:mod:`zhnews.entity_crf`), combined with them
by the option chosen by leave-one-split-out (:data:`zhnews.entity_crf.CHOSEN`; round 4: the rules alone).

:func:`adjust` is the one entry point :func:`zhnews.entities.find_entities` calls: it adds these mentions to
the seed methods' mentions and drops the seed methods' known false alarms on the genre (a place tagged PER,
a newspaper title in 《》 tagged DOC — G8 makes it ORG).
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

from zhnews.entities import TYPES, Mention, entities_table
from zhnews.paths import CORPUS, LEXICONS

#: Bump when the division build changes: the cache file name carries it, so an old cache is not reused.
BUILD_VERSION = "3"
SURNAMES = LEXICONS / "surnames.csv"
GENRE_BODIES = LEXICONS / "genre_bodies.csv"
_HAN = "\u4e00-\u9fff"
_NUM = "一二三四五六七八九十百两"
LEVELS = ("province", "city", "county", "town", "village")
#: Full names in the division tree that are generic words in running text, never tagged.
GENERIC_DIVISIONS = frozenset({"城区", "郊区", "矿区", "新区", "市辖区", "开发区", "高新区", "林区", "中心", "社区",
                               "新村", "中心村", "城关", "城中", "街道"})


# ---------------------------------------------------------------------------------------------
# Administrative divisions (jionlp's china_location.txt, read without importing jionlp)


def jionlp_location_zip() -> Path | None:
    """Path of ``jionlp/dictionary/china_location.zip`` in the installed package (``None`` if absent).
    ``find_spec`` locates the package without executing its ``__init__``."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "china_location.zip"
    return path if path.exists() else None


def jionlp_version() -> str:
    """The installed jionlp's version (``none`` when it is not installed)."""
    try:
        return importlib.metadata.version("jionlp")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def cache_dir() -> Path:
    """The user cache folder of :mod:`zhnews.cache`: ``$ZHNEWS_CACHE_DIR``, else ``$XDG_CACHE_HOME/zhnews``,
    else ``~/.cache/zhnews``, else a temporary folder. Never inside the project's data folders."""
    from zhnews.cache import cache_dir as shared_cache_dir

    return shared_cache_dir()


def parse_location_tree(lines: Iterable[str]) -> dict[str, dict[str, str]]:
    """Names of the tab-indented division tree by level: ``{"full": {name: level}, "alias": {short: level}}``.

    Depth 0 and 1 are provinces and cities (``name<TAB>code<TAB>short``; a municipality repeats itself at
    depth 1), depth 2 counties/districts, depth 3 towns/townships/subdistricts, depth 4 villages and
    communities, of which only names ending in 村 or 社区 (three characters or more) are kept. A name holding a
    higher level wins (北京市 is a province, not a city). ``parents`` gives, for each county short form, the
    names of the provinces and cities it stands under (``|``-joined).

    >>> tree = parse_location_tree(["某某省\\t1\\t某某", "\\t乙乙市\\t2\\t乙乙", "\\t\\t丙丙县\\t3\\t丙丙",
    ...                             "\\t\\t\\t丁丁镇", "\\t\\t\\t\\t戊戊村", "\\t\\t\\t\\t戊戊组"])
    >>> tree["full"]["丁丁镇"], tree["full"]["戊戊村"], "戊戊组" in tree["full"], tree["alias"]["丙丙"]
    ('town', 'village', False, 'county')
    >>> tree["parents"]["丙丙"]
    '乙乙|乙乙市|某某|某某省'
    
    """
    full: dict[str, str] = {}
    alias: dict[str, str] = {}
    parents: dict[str, str] = {}
    above: list[list[str]] = [[], []]  # names (full and short) of the current province and city
    rank = {level: i for i, level in enumerate(LEVELS)}
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = stripped.split("\t")
        level = LEVELS[min(depth, len(LEVELS) - 1)]
        name = fields[0]
        if level == "village" and not (name.endswith(("村", "社区")) and len(name) >= 3):
            continue
        if name not in full or rank[level] < rank[full[name]]:
            full[name] = level
        if depth <= 1:
            above[depth] = [n for n in (name, fields[2] if len(fields) >= 3 else "") if len(n) >= 2]
        if len(fields) >= 3 and len(fields[2]) >= 2 and fields[2] != name:
            short = fields[2]
            if short not in alias or rank[level] < rank[alias[short]]:
                alias[short] = level
            if level == "county":  # the province and city names under which this short form stands
                known = set(parents.get(short, "").split("|")) - {""}
                parents[short] = "|".join(sorted(known | set(above[0]) | set(above[1])))
    return {"full": full, "alias": alias, "parents": parents}


def division_key() -> str:
    """The cache key: jionlp's version and :data:`BUILD_VERSION`."""
    return f"jionlp{jionlp_version()}-build{BUILD_VERSION}"


def read_divisions(source: Path) -> dict[str, dict[str, str]]:
    """:func:`parse_location_tree` of jionlp's zip (or of a plain text file), each level's names sorted."""
    if source.suffix == ".zip":
        with zipfile.ZipFile(source) as archive:
            member = next(n for n in archive.namelist() if n.endswith(".txt"))
            text = archive.read(member).decode("utf-8")
    else:
        text = Path(source).read_text(encoding="utf-8")
    tree = parse_location_tree(io.StringIO(text))
    return {kind: dict(sorted(names.items())) for kind, names in tree.items()}


def load_divisions(source: Path | None = None, folder: Path | None = None, key: str | None = None) -> dict[str, dict[str, str]]:
    """The division names (see :func:`parse_location_tree`), prepared once and kept by :mod:`zhnews.cache`
    (in ``folder``, default :func:`cache_dir`), else parsed from ``source`` (jionlp's zip) and stored
    atomically for the next run; a damaged file is rebuilt.

    Without ``key`` the prepared file is keyed by :func:`division_key` (jionlp's version and
    :data:`BUILD_VERSION`) and by the source file's size and time; an explicit ``key`` names the file
    ``divisions-<key>.pickle`` and is then the only thing that decides whether it is reused."""
    from zhnews.cache import cached

    source = jionlp_location_zip() if source is None else Path(source)
    if source is None:
        return {"full": {}, "alias": {}, "parents": {}}
    if key is None:
        return cached("divisions", lambda: read_divisions(source), sources=[source], parts=[division_key()],
                      folder=folder)
    return cached("divisions", lambda: read_divisions(source), key=key, folder=folder)


@lru_cache(maxsize=1)
def divisions() -> dict[str, dict[str, str]]:
    """:func:`load_divisions` with the defaults, once per process."""
    return load_divisions()


@dataclass(frozen=True)
class Index:
    """Names by first character with their possible lengths, for longest-match scanning."""

    names: dict[str, str]
    lengths: dict[str, tuple[int, ...]]


def make_index(names: dict[str, str]) -> Index:
    """The scanning index of a ``{name: label}`` dict."""
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    return Index(names, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()})


def scan(text: str, index: Index) -> list[tuple[int, int, str]]:
    """Leftmost-longest matches ``(start, end, label)`` of the index's names, not overlapping: one pass over
    the text, at most one look-up per distinct name length at each position (linear in the text).

    >>> scan("在甲乙镇甲乙村", make_index({"甲乙": "a", "甲乙镇": "b", "甲乙村": "c"}))
    [(1, 4, 'b'), (4, 7, 'c')]
    """
    found, i, n = [], 0, len(text)
    while i < n:
        for length in index.lengths.get(text[i], ()):
            if i + length > n:
                continue
            label = index.names.get(text[i : i + length])
            if label is not None:
                found.append((i, i + length, label))
                i += length
                break
        else:
            i += 1
    return found


@lru_cache(maxsize=1)
def division_index() -> Index:
    """Index of the full division names (minus :data:`GENERIC_DIVISIONS`) and of the short forms, labelled
    ``full:<level>`` / ``alias:<level>``. A short form that is also a full name keeps the full name's label."""
    tree = divisions()
    names = {n: f"alias:{lv}" for n, lv in tree["alias"].items() if n not in GENERIC_DIVISIONS}
    names.update({n: f"full:{lv}" for n, lv in tree["full"].items() if n not in GENERIC_DIVISIONS and len(n) >= 2})
    return make_index(names)


#: Last characters of a division or office name: a village right after one is a new name (…办事处三十里铺村).
_LEVEL_SUFFIX = "省市县区镇乡道处旗州"
#: Short forms that are ordinary words of the genre's prose: tagged only when their full form is in the
#: same article (光明 for 光明区). Each is a dev-article or seed observation or a plain dictionary word.
AMBIGUOUS_SHORT = frozenset({"光明", "和平", "新华", "长安", "城关", "中原", "朝阳", "江北", "南山", "东方", "永安",
                             "太平", "吉利", "前进", "红旗", "新城", "城东", "城西", "城南", "城北", "开发", "高新",
                             "中山", "民主", "胜利", "团结", "人民", "公安", "司法", "法治", "平安", "和谐", "文明",
                             "宝安", "安全", "青年", "东风", "新区", "普洱", "白云", "龙华", "金华", "西湖"})


def short_form_ok(short: str, level: str, text: str, full_names: dict[str, str] | None = None,
                  parents: dict[str, str] | None = None) -> bool:
    """Whether a short division name (渝中 for 渝中区) is tagged LOC at this place.

    Provinces and cities: always, unless the short form is an ordinary word (:data:`AMBIGUOUS_SHORT`).
    Counties and districts: only when the article also writes a full form starting with it (渝中区, 施秉县)
    or names the county's own city or province (射洪 in an article naming 遂宁) — many county short forms
    are words or given names. Town short forms are never used alone.

    >>> full, parents = {"甲乙县": "county"}, {"甲乙": "丙丁|丙丁市"}
    >>> short_form_ok("甲乙", "county", "甲乙县司法局 …甲乙", full, parents), short_form_ok("甲乙", "county", "甲乙区 …甲乙", full, parents)
    (True, False)
    >>> short_form_ok("甲乙", "county", "丙丁市的甲乙", full, parents)
    True
    """
    if level == "town" or level == "village":
        return False
    if level in ("province", "city") and short not in AMBIGUOUS_SHORT:
        return True
    full = divisions()["full"] if full_names is None else full_names
    parents = divisions().get("parents", {}) if parents is None else parents
    if any(p and p in text for p in parents.get(short, "").split("|")):
        return True
    return any(m.group() in full for m in re.finditer(rf"{re.escape(short)}(?:区|县|市|自治县|旗|州|新区)", text))


def from_divisions(article) -> list[Mention]:
    """LOC mentions of administrative divisions (method ``division``), see :func:`short_form_ok`."""
    text = article.norm
    mentions = []
    for start, end, label in scan(text, division_index()):
        kind, level = label.split(":")
        name = text[start:end]
        if kind == "alias" and not short_form_ok(name, level, text):
            continue
        if kind == "alias" and level in ("county", "city") and text[end:end + 1] in ("县", "州", "旗"):
            end += 1  # an autonomous county or prefecture by short form + level (漾濞县, 大理州): longest span (3.3.1)
        if not division_reading_ok(text, start, end, level):
            continue
        if level == "village" and start > 0 and re.match(f"[{_HAN}]", text[start - 1]) \
                and text[start - 1] not in _STOP + _LEVEL_SUFFIX and not (mentions and mentions[-1].end == start):
            continue  # a village or community name glued to a preceding word (民主法治示范村, 和谐社区)
        mentions.append(Mention(start, end, "LOC", f"division: {level}" if kind == "full" else f"division: {level} short form"))
    # a subdistrict or its office not in the tree (renamed or merged since): a name after a clause boundary
    subdistrict = re.compile(rf"(?<=[{_STOP}])(?:{_MOD}){{2,4}}(?:街道办事处|街道|办事处)(?!工作|党|干部)")
    mentions += [Mention(m.start(), m.end(), "LOC", "division: subdistrict by suffix") for m in subdistrict.finditer(text)
                 if not _GENERIC_AREA.search(m.group())]
    return mentions


#: Words that make a "…街道" or "…村" a class or a concept, not a name (乡镇街道, 法治街道, 示范村).
_GENERIC_AREA = re.compile(r"乡镇|镇街|法治|平安|文明|和谐|示范|先进|各|全|基层")
#: Concept words of the genre whose last characters spell a two-character county (法治示范县 holds 范县).
_GLUED_CONCEPT = ("示范县", "示范区", "示范市", "先进县", "先进区", "试点县", "试点区", "百强县")


def division_reading_ok(text: str, start: int, end: int, level: str) -> bool:
    """Whether a full division name found by the scan reads as that place here: not a forestry or farm
    bureau listed as a town (…林业局), not the last characters of a concept word (示范县 holds 范县), not a
    village name that is the start of 村民 / 村委 (广大村民).

    >>> division_reading_ok("创建法治示范县", 5, 7, "county"), division_reading_ok("来到青禾县", 2, 5, "county")
    (False, True)
    >>> division_reading_ok("市林业局等部门", 1, 4, "town"), division_reading_ok("提高广大村民意识", 2, 5, "village")
    (False, False)
    """
    name = text[start:end]
    if name.endswith(("局", "场", "所")) and level in ("town", "village"):
        return False
    if any(text.startswith(w, end - len(w)) for w in _GLUED_CONCEPT if len(w) > end - start):
        return False
    if level == "village" and text[end:end + 1] in ("民", "委", "干", "级"):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Organisations: place + body, media


#: Body heads of the genre (codebook 3.2, G3, G4): longest alternatives first.
BODY_HEADS = (
    "人大常委会办公室", "人大常委会", "人民调解委员会", "调解委员会", "人民调解工作室", "调解工作室", "人民政府网", "人民政府", "委依法治[省市县区]办", "依法治[省市县区]办",
    "委政法委", "委宣传部", "委组织部", "委统战部", "中级人民法院", "人民法院", "人民检察院", "公安分局", "公安局",
    "司法局", "司法厅", "司法所", "派出所", "法律援助中心", "法律援助工作站", "法律援助处", "公共法律服务中心",
    "公共法律服务工作站", "公共法律服务站", "公共法律服务工作室", "律师事务所", "律师协会", "普法办", "法宣办",
    "文明办", "普法处", "教育局", "民政局", "总工会", "工商联", "妇联", "广播电视台", "电视台", "政法委", "宣传部", "纪委", "监委", "政协", "人大",
    "政府", "党委", "委", "外国语学校", "学校", "中学", "小学", "书院", "公司", "融媒体中心", "法院", "检察院",
)
_BODY = "(?:" + "|".join(BODY_HEADS) + ")"
#: Body heads of companies and schools, whose names may start with a place that is not where they stand.
_PRIVATE_HEADS = ("公司", "学校", "中学", "小学", "书院")
#: Characters that end a modifier between place and body (function words, verbs of the genre's prose).
_STOP = "的和与及在对为是了将把被由向从等并也都就已以于到经即共各全该本每个名所位次、，。；：“”（）()《》\\s"
#: A character of a name part: a Han character that is not a function word.
_MOD = rf"(?:(?![{_STOP}])[{_HAN}])"
_LEVEL_PREFIX_BEFORE = "在由和与及同向对从为将到经即并于的了等是以名个合、，。；：“”（）()\\s|>"
#: Body heads after a bare level character (县司法局, 区公共法律服务中心): the same list without the bare
#: heads that are ordinary words after 市/区 (市委 is kept; 市中学 is not a body).
_LEVEL_BODY = "(?:" + "|".join(h for h in BODY_HEADS if h not in ("学校", "中学", "小学", "书院", "公司", "法院", "检察院")) + ")"
_SUB_BODY = re.compile(rf"(?:{_MOD}){{0,6}}?(?:派出所|司法所|法律援助中心|法律援助工作站|公共法律服务中心|公共法律服务工作站)")
#: A unit inside a named body (codebook G3, longest span: …司法局基层工作处, …法院诉讼服务中心律师服务工作站): a service centre, station, team or office, or a section (处, 科) before its
#: head's title or a clause boundary. Used by :func:`extend_sub_bodies`. (A Party group, 党组 before 书记, is
#: not a unit: test2's annotators differ on it.)
#: A character of a section's name (普法与依法治理科, 公共法律服务管理处): a Han character that is not a verb or
#: preposition of the prose (与, 共 and 全 may be part of the name).
_UNIT_CHAR = rf"(?:(?![的在对为是了将把被由向从等并、，。；：“”（）()《》\s])[{_HAN}])"
_UNIT = re.compile(rf"驻?(?:(?:{_MOD}){{0,8}}?(?:诉讼服务中心|服务工作站|工作站|志愿服务队|办公室|调查总队)"
                   rf"|(?:{_MOD}){{2,8}}?中心|(?:{_UNIT_CHAR}){{2,8}}?(?:处|科)(?=副?(?:处长|科长)|负责人|相关|[，、。；]))")
_MEDIA_HEAD = "(?:新闻网|网络平台|网|客户端|日报|晚报|法制报|法治报|商报|时报|电视台|广播电视台)"


def extend_sub_bodies(text: str, orgs: list[Mention]) -> list[Mention]:
    """ORG mentions of a body followed by units inside it (:data:`_UNIT`), one span from the body's start
    (method ``org: body + unit``; codebook G3, longest span). Only the longer spans are returned.

    >>> text = "青禾县司法局基层工作处处长说，县法院诉讼服务中心律师服务工作站成立。"
    >>> court = text.index("县法院")
    >>> orgs = [Mention(0, 6, "ORG", "t"), Mention(court, court + 3, "ORG", "t")]
    >>> [text[m.start:m.end] for m in extend_sub_bodies(text, orgs)]
    ['青禾县司法局基层工作处', '县法院诉讼服务中心律师服务工作站']
    """
    found = []
    for m in orgs:
        end = m.end
        while (unit := _UNIT.match(text, end)) is not None and unit.end() > end:
            end = unit.end()
        if end > m.end:
            found.append(Mention(m.start, end, "ORG", "org: body + unit"))
    return found


def from_org_grammar(article, places: list[Mention]) -> list[Mention]:
    """ORG mentions built from a place and a body (method ``org: place + body``), from a bare level
    character and a body (``org: level + body``: 县司法局, 团县委, 省委), media names at credit positions
    (``org: media``) and hotlines named by their five-digit number (``org: hotline``: “12348”法律咨询热线,
    12348某某法网; codebook G19, G8). ``places`` are the division mentions of the article.

    >>> a = _parse_body("拨打“12348”法律咨询热线或登录12348青禾法网，2018年共。")
    >>> sorted(a.norm[m.start:m.end] for m in from_org_grammar(a, []) if m.method == "org: hotline")
    ['12348青禾法网', '“12348”法律咨询热线']
    """
    text = article.norm
    mentions = []
    body_after_place = re.compile(rf"(?:[驻]?(?:{_MOD}){{0,8}}?){_BODY}")
    chain_start: dict[int, int] = {}  # end of a place -> start of the chain of adjacent places ending there
    for p in sorted(places, key=lambda m: (m.start, -m.end)):
        if p.end not in chain_start:
            chain_start[p.end] = chain_start.get(p.start, p.start)
    for p in places:
        # a chain of places (河北省临城县东镇镇, 遂宁市大英县, 重庆渝中区) starts at the first one (G3)
        match = body_after_place.match(text, p.end)
        if match and match.end() - p.end <= 14:
            end = match.end()
            # a sub-body under the body (…公安分局姚家集街道派出所): extend while another station head follows
            while (sub := _SUB_BODY.match(text, end)) is not None:
                end = sub.end()
            # a company or school keeps its own place word (新疆和静县 | 达州某某公司): only public bodies take the chain
            start = p.start if match.group().endswith(_PRIVATE_HEADS) else chain_start.get(p.start, p.start)
            mentions.append(Mention(start, end, "ORG", "org: place + body"))
        media = re.compile(rf"(?:{_MOD}){{0,6}}?{_MEDIA_HEAD}(?=[\s\d讯记·|)）,，。、:：\-]|$)").match(text, p.end)
        if media:
            mentions.append(Mention(p.start, media.end(), "ORG", "org: media"))
    mentions += [Mention(m.start(), m.end(), "ORG", "org: level + body") for m in re.finditer(r"团[省县市区]委", text)]
    station = re.compile(rf"(?<=[{_STOP}])(?:{_MOD}){{2,3}}(?:司法所|派出所)")
    mentions += [Mention(m.start(), m.end(), "ORG", "org: named station") for m in station.finditer(text)]
    website = re.compile(r"(?<![A-Za-z0-9.])www\.[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:cn|com|net|org)(?![A-Za-z0-9])")
    mentions += [Mention(m.start(), m.end(), "ORG", "org: website") for m in website.finditer(text)]
    before_title = re.compile(rf"(?<=[{_STOP}])(?:宣传部|组织部|统战部|政法委|纪委)(?=副?(?:部长|书记))")
    mentions += [Mention(m.start(), m.end(), "ORG", "org: body before a title") for m in before_title.finditer(text)]
    school = re.compile(rf"(?<=[{_STOP}])(?:{_MOD}){{2,4}}(?:中学|小学)(?=[^{_HAN}]|[被的在举开组带参等和与])")
    mentions += [Mention(m.start(), m.end(), "ORG", "org: named school") for m in school.finditer(text)]
    level = re.compile(rf"(?:(?<=[{_LEVEL_PREFIX_BEFORE}])|^)(?:(?:自治区|[省市县区州])(?:第[{_NUM}]+中学|{_LEVEL_BODY}))", re.M)
    mentions += [Mention(m.start(), m.end(), "ORG", "org: level + body") for m in level.finditer(text)]
    platform = re.compile(rf"(?:“[^“”\n]{{2,12}}”)(?:{_MOD}){{0,4}}?(?:网|视频号|公众号|客户端|APP|App|微博)(?![{_HAN}]|站)|(?:“[^“”\n]{{2,12}}”)(?:{_MOD}){{0,4}}?(?:网|视频号|公众号|客户端)(?=[{_STOP}]|演示|平台)")
    mentions += [Mention(m.start(), m.end(), "ORG", "org: quoted platform") for m in platform.finditer(text)]
    hotline = re.compile(rf"(?:“\d{{5}}”|(?<!\d)\d{{5}})(?:{_MOD}){{0,6}}?(?:热线平台|热线|法网)")
    mentions += [Mention(m.start(), m.end(), "ORG", "org: hotline") for m in hotline.finditer(text)]
    media_credit = re.compile(rf"(?:(?<=[\s:：·(（|>])|^)([{_HAN}]{{2,6}}?(?:{_MEDIA_HEAD}|微信公众号|公众号|报(?=记者))"
                              rf"(?:-[{_HAN}]{{2,6}}(?:客户端|频道|在线))?)(?=[\s\d讯记·|)）]|[{_HAN}]{{2,3}}(?:讯|电)|$)", re.M)
    mentions += [Mention(m.start(1), m.end(1), "ORG", "org: media") for m in media_credit.finditer(text)]
    # the first of two outlets in a lead's bracket (新青禾·青禾日报记者 X): G14
    paired = re.compile(rf"(?<=[(（])[{_HAN}]{{2,6}}(?=·[{_HAN}]{{2,8}}?{_MEDIA_HEAD}记者)")
    mentions += [Mention(m.start(), m.end(), "ORG", "org: media") for m in paired.finditer(text)]
    return mentions


#: Heads of a named facility (codebook G9: a named park, square or line is LOC).
_FACILITY_HEAD = "(?:公园广场|文化广场|主题公园|广场|公园|示范园|文化园|纪念馆|博物馆|体育馆|图书馆|文化馆|大礼堂|礼堂|地铁\\d+号线|\\d+号线)"
#: Words that open a description of a facility, not its name (大型商业广场, 社区公园, 附近的公园).
_DESCRIBED = "(?:大型|小型|商业|公共|城市|主要|周边|附近|临街|露天|休闲|健身|社区|村|各|多|该|这|那|一|新建|现有|已有)"
#: What follows a facility's name: not a Han character continuing the word (广场舞), unless a stop or a verb.
_FACILITY_END = rf"(?=[^{_HAN}]|$|[{_STOP}]|举|开|启|召|内|里|上|前|旁|通过|打造)"


def from_facilities(article, places: list[Mention]) -> list[Mention]:
    """LOC mentions of named facilities and of villages under a division (methods ``loc: facility``,
    ``loc: village after a division``): a name ending in a facility head after 在/于/到 or right after a
    division (在青禾广场举行, 青禾市法治文化示范园), and a …村 / …社区 right after a county or town mention
    that is not in the division tree (青禾县白石村).

    >>> a = _parse_body("活动在白鹭公园举行，跳广场舞，在大型商业广场设点。")
    >>> [a.norm[m.start:m.end] for m in from_facilities(a, [])]
    ['白鹭公园']
    """
    text = article.norm
    name = rf"(?!{_DESCRIBED})(?:(?![{_STOP}])[{_HAN}\d]){{2,10}}?{_FACILITY_HEAD}{_FACILITY_END}"
    found = [Mention(m.start(), m.end(), "LOC", "loc: facility")
             for m in re.finditer(rf"(?<=[在于到]){name}", text)]
    after_place = re.compile(rf"(?:(?![{_STOP}])[{_HAN}\d]){{0,8}}?{_FACILITY_HEAD}{_FACILITY_END}")
    village = re.compile(rf"(?:{_MOD}){{2,4}}?(?:村|社区)(?![民委干级])")
    for p in places:
        m = after_place.match(text, p.end)
        if m:
            found.append(Mention(p.start, m.end(), "LOC", "loc: facility"))
        if p.method in ("division: county", "division: town"):
            v = village.match(text, p.end)
            if v:
                found.append(Mention(p.end, v.end(), "LOC", "loc: village after a division"))
    return found


#: Heads of a government department or association named by its function (卫健局, 人防办, 法学会).
_DEPARTMENT_HEAD = "(?:领导小组办公室|领导小组|法学会|学会|协会|联合社|联合会|局|厅|(?<![举主承协创开兴操包督交代合筹申])办)"
#: What may follow a department's name: not a Han character that continues the word, except a stop.
_DEPARTMENT_END = rf"(?=[^{_HAN}]|[{_STOP}]|$|副?(?:组长|主任|局长|厅长|会长|主席|书记))"


def from_departments(article, places: list[Mention]) -> list[Mention]:
    """ORG mentions of departments named by their function after a level character or a place (method
    ``org: department``): 区卫健局, 市人防办, 省法学会, 温州市国税局 — a level (省, 市, 县, 区, 州, 自治区)
    at a clause boundary, or a division mention, then two to six name characters and a department head
    (局, 厅, 办, 学会, 协会, 联合社 …) ending the word. Codebook G3/G4: the body with its level is one ORG.

    >>> a = _parse_body("区司法局、区卫健局、市人防办等部门和省法学会共同参加，区居民举办活动。")
    >>> sorted(a.norm[m.start:m.end] for m in from_departments(a, []))
    ['区卫健局', '区司法局', '市人防办', '省法学会']
    """
    text = article.norm
    level = re.compile(rf"(?:(?<=[{_LEVEL_PREFIX_BEFORE}])|^)(?:自治区|[省市县区州])(?:{_MOD}){{1,6}}?{_DEPARTMENT_HEAD}{_DEPARTMENT_END}", re.M)
    found = [Mention(m.start(), m.end(), "ORG", "org: department") for m in level.finditer(text)
             if m.end() - m.start() >= 4]
    after_place = re.compile(rf"(?:{_MOD}){{2,4}}?{_DEPARTMENT_HEAD}{_DEPARTMENT_END}")
    for p in places:
        m = after_place.match(text, p.end)
        if m:
            found.append(Mention(p.start, m.end(), "ORG", "org: department"))
    return found


def _parse_body(body: str):
    """A one-paragraph article for the doctests."""
    from zhnews.reading import parse

    return parse("标题\n" + body + "\n")


#: Heads that, once the article has named its particular body (冀州区司法局), refer to it when they stand
#: alone (下一步，司法局将…): codebook G4.
SHORT_REFERENCE_HEADS = ("司法局", "司法厅", "法律援助中心", "公共法律服务中心", "公安局", "公安分局", "教育局", "民政局",
                         "普法办", "法宣办", "融媒体中心", "人大常委会")


def from_short_references(article, orgs: list[Mention]) -> list[Mention]:
    """ORG mentions of a body head standing alone (method ``org: short reference``) when an ORG found by
    the grammar in the same article holds that head: the short form refers to the body already named
    (G4). Not after 各/全/等/级/个 or a level (a class: 各司法局; 市司法局 is found whole), not before a count
    (共建法律援助中心12个) and not inside a longer name (司法厅行政服务中心): after the head comes a non-Han
    character, a function word, a title or 工作人员 / 负责人. Linear: one regex pass per distinct head.

    >>> a = _parse_body("青禾县司法局法律援助中心开展活动。下一步，司法局将继续，法律援助中心工作人员参加。各地共建法律援助中心12个。")
    >>> start = a.norm.index("青禾县")
    >>> sorted(a.norm[m.start:m.end] for m in from_short_references(a, [Mention(start, start + 12, "ORG", "t")]))
    ['司法局', '法律援助中心']
    """
    text = article.norm
    named = {text[m.start:m.end] for m in orgs if m.type == "ORG"}
    heads = [h for h in SHORT_REFERENCE_HEADS if any(h in n and n != h for n in named)]
    found = []
    titles = "|".join(sorted(TITLES, key=len, reverse=True))
    after = re.compile(rf"(?:[^{_HAN}\d{_NUM}]|[{_STOP}]|工作人员|负责人|{titles}|$)")
    for head in heads:
        for m in re.finditer(re.escape(head), text):
            if m.start() and text[m.start() - 1] in "各全等级个省市县区州" or not after.match(text, m.end()):
                continue
            found.append(Mention(m.start(), m.end(), "ORG", "org: short reference"))
    return found


@lru_cache(maxsize=1)
def load_genre_bodies(path: str | Path = GENRE_BODIES) -> tuple[tuple[str, str], ...]:
    """(name, type) pairs of ``genre_bodies.csv``: national bodies and fixed names of the genre."""
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple((r["name"], r["type"]) for r in csv.DictReader(handle))


def from_genre_bodies(article) -> list[Mention]:
    """Mentions of the fixed names in ``genre_bodies.csv`` (method ``genre lexicon``), not when the name is the
    start of a class noun (司法部门 "judicial departments" holds 司法部; codebook 3.4: generic bodies are not ORG).

    >>> a = _parse_body("司法部发文，各司法部门落实。")
    >>> [a.norm[m.start:m.end] for m in from_genre_bodies(a)]
    ['司法部']
    """
    text = article.norm
    index = make_index(dict(load_genre_bodies()))
    return [Mention(s, e, t, "genre lexicon") for s, e, t in scan(text, index)
            if not (text[e - 1] == "部" and text[e:e + 1] == "门")]


# ---------------------------------------------------------------------------------------------
# Persons


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(all surnames, surnames rarely used otherwise) of ``data/lexicons/surnames.csv``."""
    with open(SURNAMES, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return frozenset(r["surname"] for r in rows), frozenset(r["surname"] for r in rows if r["unambiguous"] == "True")


#: Titles and roles after which a name follows (书记 X, 副县长 X, 村民 X).
TITLES = ("副书记", "书记", "副部长", "部长", "副主任", "主任", "副主席", "主席", "副县长", "县长", "副市长", "市长",
          "副区长", "区长", "副局长", "局长", "科长", "所长", "站长", "处长", "厅长", "民警", "辅警", "律师", "调解员",
          "村民", "农民", "居民", "法官", "检察官", "同学", "老师", "队长", "社长", "委员", "记者", "通讯员", "编辑",
          "责任编辑", "责编", "作者", "摄影", "供图", "主持人", "副组长", "组长")
#: Role words before which only a surname rarely used otherwise starts a name (村民法律… is no name).
_GENERIC_ROLES = frozenset({"村民", "农民", "居民", "同学", "老师", "委员", "律师"})
#: Characters that do not continue a given name (so a two-character name stops before them).
_NOT_NAME = set("的和与及在对为是了将把被由向从等并也都就已以于到经即共各全该本每个名所位次说表带出主同一又来去上下中里先后还再更最很会要可能供摄文图不")


def _name_at(text: str, start: int, family: frozenset[str]) -> tuple[int, int] | None:
    """The span of a name starting at ``start``: a surname (two-character ones first) and one or two
    given-name characters, the second only when it can continue a name."""
    for k in (2, 1):
        if text[start : start + k] in family:
            g = start + k
            if any(text.startswith(t, g) or text.startswith(t, g + 1) for t in TITLES):
                return None  # 任组长, 兼副组长: a verb and a title, not a name
            if g < len(text) and re.match(f"[{_HAN}]", text[g]) and text[g] not in _NOT_NAME:
                end = g + 1
                if end < len(text) and re.match(f"[{_HAN}]", text[end]) and text[end] not in _NOT_NAME \
                        and not any(text.startswith(t, end) for t in TITLES):
                    end += 1
                return start, end
    return None


def from_persons(article, places: Iterable[str] = ()) -> list[Mention]:
    """PER mentions of the genre: names in credits and metadata anywhere, after a title, in a closing name
    bracket ``(王某 李某)``, and nicknames (小王, 老黄, 刘某; G7). A known place is never a person."""
    text = article.norm
    family, unambiguous = surnames()
    places = set(places)
    found: list[Mention] = []
    meta = article.metadata
    names = set()
    for field in ("reporter", "correspondent", "photographer", "editor", "responsible_editor"):
        names.update(n for n in (meta.get(field) or []) if n and re.fullmatch(f"[{_HAN}]{{2,4}}", n))
    titles = "|".join(sorted(TITLES, key=len, reverse=True))
    for match in re.finditer(rf"(?:{titles})[:：\s]*", text):
        position = match.end()
        generic = match.group().rstrip(":： \u3000") in _GENERIC_ROLES
        for _ in range(4):  # a credit may list several names separated by spaces
            if any(text.startswith(t, position) for t in TITLES):
                break
            span = _name_at(text, position, unambiguous if generic else family)
            if not span:
                break
            names.add(text[span[0]:span[1]])
            rest = re.match(r"[ \u3000]+", text[span[1]:])
            if not rest or match.group().rstrip(":： ") in ("书记", "副书记", "主任", "副主任", "村民", "农民", "居民"):
                break
            position = span[1] + rest.end()
    for match in re.finditer(rf"[(（]((?:[{_HAN}]{{2,3}}[ \u3000]+)*[{_HAN}]{{2,3}})[)）]", text):
        parts = match.group(1).split()
        if all(p[0] in family and p not in places and p not in TITLES for p in parts) and (len(parts) > 1 or match.end() >= len(text.rstrip()) - 2):
            names.update(parts)
    names = {n for n in names if n not in places and (n[0] in family or n[:2] in family) and not any(n in p for p in places)}
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            found.append(Mention(m.start(), m.end(), "PER", "per: credit or title"))
    nick = re.compile(rf"(?:[小老]([{''.join(sorted(family - {'时'}))}])(?![们师年人家乡板百姓])|([{''.join(sorted(unambiguous))}])某某?)")
    for m in nick.finditer(text):
        after = text[m.end() : m.end() + 1]
        if m.group(1) and after and re.match(f"[{_HAN}]", after) and after not in "又和与从更一在是说也就都把被向对带急赶":
            continue
        found.append(Mention(m.start(), m.end(), "PER", "per: nickname"))
    return found + polite_forms(text, unambiguous)


def polite_forms(text: str, surnames_: frozenset[str]) -> list[Mention]:
    """PER mentions of a surname (one rarely used otherwise) + 先生 / 女士 at a word start (G7: 李先生),
    method ``per: surname + 先生/女士``.

    >>> [text[m.start:m.end] for text in ["68岁的林先生家住青禾。"] for m in polite_forms(text, frozenset("林"))]
    ['林先生']
    """
    chars = "".join(sorted(surnames_))
    polite = re.compile(rf"(?:(?<![{_HAN}])|(?<=[{_STOP}]))[{chars}](?:先生|女士)")
    return [Mention(m.start(), m.end(), "PER", "per: surname + 先生/女士") for m in polite.finditer(text)]


# ---------------------------------------------------------------------------------------------
# Events and dates

_DAYS = r"(?:国家宪法日|宪法宣传周|宪法宣传月|全国法制宣传日|国家宪法宣传日|宪法宣传日|宪法日|法制宣传日|国家安全教育日|世界读书日|消费者权益日)"
_EVENT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("named day", rf"第[{_NUM}]+个“{_DAYS}”(?:活动)?|(?:\d{{4}}年|“\d{{1,2}}[·.]\d{{1,2}}”)?(?:第[{_NUM}]+个)?{_DAYS}"),
    ("quoted label + head", rf"(?:(?:{_MOD}){{1,7}}?(?:省|市|县|区))?(?:\d{{4}}年)?(?:“[^“”\n]{{2,20}}”—?)+(?:[^{_STOP}]){{0,14}}(?:主题活动|实践活动|宣传活动|专题活动|启动仪式|活动|仪式|大赛|评选|行动)"),
    ("numbered session", rf"(?:第[{_NUM}]+届|首届)[^，。；“”、\n]{{2,16}}?(?:活动|大赛|评选|论坛|节|会议|运动会)"),
    ("Party congress", rf"二十[一二三四五六七八九]?大(?![会战行事力])|[省市县区]?第[{_NUM}]+次(?:党代会|党员代表大会)"),
    ("meeting held", rf"(?<=召开的|举行的|召开了)(?:(?![的和与及、，。；：“”（）《》\s])[{_HAN}]){{2,20}}?(?:推进会|通气会|座谈会|培训会|部署会|现场会|动员会|表彰会|发布会|研讨会|联席会议|工作会议|全体会议|常务会议)"),
)
_DOCUMENT_WORD = re.compile(r"(?:实施方案|方案|通知|计划|意见|办法|细则)")
_DATE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("timestamp", r"\d{4}年\d{1,2}月\d{1,2}日\s?\d{1,2}:\d{2}(?::\d{2})?|\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?"),
    ("calendar date", r"(?:今年|去年|明年)?(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日(?:\d{1,2}时(?:\d{1,2}分)?)?|底|初|中旬|上旬|下旬)?)(?:上午|下午|晚上|早上|中午|晚(?![会间报]))?|\d{4}年(?:底|初|末)?"),
    ("date range", r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:至|到|—|－|-|~)(?:\d{1,2}月)?\d{1,2}日"),
    ("date with weekday", r"\d{4}年\d{1,2}月\d{1,2}日[ \u3000]?(?:星期|周)[一二三四五六日天]"),
    ("slashed timestamp", r"(?<![\d/])\d{4}/\d{1,2}/\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?(?![\d/])"),
    ("day.month.year timestamp", r"(?<![\d.])\d{2}\.\d{2}\.\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?(?![\d.])"),
    ("year part", r"(?:今年|去年|明年|本年)(?:年初|年底|年末|上半年|下半年|度)|(?<!\d)\d0年代|(?:今年|去年|明年)?\d{1,2}月份"),
    ("within years", rf"(?<![\d{_NUM}])[\d{_NUM}]+年内"),
    ("anchored relative", r"(?:今天|昨天|昨日|前天|明天|今年|去年|明年|上月|本月|上周|本周)(?:上午|下午|晚上|早上|中午)?(?:起至\d{1,2}日)?"
                          r"|(?:今日|当天|当日|次日)(?:上午|下午|晚上|早上|中午|起至\d{1,2}日)"),
    ("part of day", r"(?:(?<=[。，；\n])|^)(?:上午|下午|晚上)(?=，)"),
)


def _place_prefix_start(text: str, start: int, quote: int) -> int:
    """Where an event's place prefix (``text[start:quote]``, before its quoted label) really starts: at the
    first division name in it (公布北京市“…”活动 → 北京市“…”活动), else where the pattern started.

    >>> _place_prefix_start("将公布北京市“某某”活动", 1, 6)
    3
    """
    for s, _, _ in scan(text[start:quote], division_index()):
        return start + s
    return start


def from_events_dates(article) -> list[Mention]:
    """EVENT and DATE mentions of the genre patterns (methods ``event: …``, ``date: …``)."""
    text = article.norm
    mentions = []
    for name, pattern in _EVENT_PATTERNS:
        for m in re.finditer(pattern, text, re.M):
            start = m.start()
            if name == "quoted label + head":
                if _DOCUMENT_WORD.match(text, m.end()):
                    continue  # …“宪法宣传周”活动方案: the description of a plan, not the event
                start = _place_prefix_start(text, start, text.index("“", start))
            mentions.append(Mention(start, m.end(), "EVENT", f"event: {name}"))
    # a bare 宣传周 / 宣传月 referring back to the named week or month the article named (G19, as G4)
    named = {text[m.start:m.end] for m in mentions}
    for head in ("宣传周", "宣传月"):
        if any(head in n and n != head for n in named):
            mentions += [Mention(m.start(), m.end(), "EVENT", "event: short reference")
                         for m in re.finditer(rf"(?:(?<=[^{_HAN}])|(?<=[{_STOP}])|^){head}", text, re.M)]
    for name, pattern in _DATE_PATTERNS:
        for m in re.finditer(pattern, text, re.M):
            surface = m.group()
            if m.end() > m.start() and re.search(r"\d|今|昨|前|明|当|次|去|上|本|下|晚|年内", surface):
                end = m.end() - (1 if surface.endswith("以来") else 0) * 2
                mentions.append(Mention(m.start(), end, "DATE", f"date: {name}"))
    return mentions


# ---------------------------------------------------------------------------------------------
# Combination with the seed methods


_NEWSPAPER_TITLE = re.compile(rf"[{_HAN}]{{2,8}}(?:日报|晚报|法制报|法治报|商报|时报|报)(?:藏文版|维文版|农村版)?")


#: A line of site furniture: a breadcrumb (首页 > 新闻, 人民网>>上海频道), a copyright, address, disclaimer or
#: sponsor line, or a row of newspaper titles only (《某某日报》 《某某晚报》 …). Codebook G1.
_FURNITURE_LINE = re.compile(r"[^\n]*?(?:\S ?(?:>|＞|>>) ?\S|版权所有|版权归|声明：|地址：|主办：|ICP备|直管网站|投稿邮箱)[^\n]*"
                             r"|(?:[ \u3000]*《[^《》\n]{2,20}》){3,}[ \u3000]*(?=\n|$)")


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines of site furniture (:data:`_FURNITURE_LINE`), in text order: one pass.

    >>> furniture_spans("首页 > 青禾\\n正文一句。\\n版权所有：青禾网")
    [(0, 7), (14, 22)]
    """
    spans, position = [], 0
    for line in text.split("\n"):
        if _FURNITURE_LINE.fullmatch(line):
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def outside_furniture(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions that do not start on a line of site furniture (:func:`furniture_spans`); entities
    there are boilerplate (G1) whatever the reading stage called the paragraph. Bisection per mention."""
    import bisect

    spans = furniture_spans(text)
    starts = [a for a, _ in spans]
    kept = []
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and m.start < spans[i][1]:
            continue
        kept.append(m)
    return kept


def adjust(article, mentions: list[Mention], learned: bool = True) -> list[Mention]:
    """The seed methods' mentions with the genre methods added and the seed's known false alarms on the
    genre removed: a PER from the POS method that is a place, lacks a surname or holds a digit; a 《》 title
    that is a newspaper (G8: ORG, not DOC). With ``learned`` (round 4), the rules' resolved mentions are
    combined with the character CRF's (:mod:`zhnews.entity_crf`, option :data:`zhnews.entity_crf.CHOSEN`)."""
    text = article.norm
    places = from_divisions(article)
    place_names = {text[m.start:m.end] for m in places}
    family, _ = surnames()
    covered = bytearray(len(text) + 1)  # characters inside a place mention: one mark per place character
    for p in places:
        covered[p.start:p.end] = b"\x01" * (p.end - p.start)
    kept = []
    for m in mentions:
        surface = text[m.start:m.end]
        if m.type == "PER" and m.method == "pos":
            if surface in place_names or any(covered[m.start:m.end]) \
                    or not (surface[0] in family) or not re.fullmatch(f"[{_HAN}]{{2,4}}", surface):
                continue
        if m.method == "pattern: quoted organisation" and re.match(rf"[{_NUM}\d]", surface):
            continue  # “四星级基地”: a rating or a numbered formula (formulation layer), not a body's name
        if m.type == "DOC" and _NEWSPAPER_TITLE.fullmatch(surface):
            m = Mention(m.start, m.end, "ORG", "org: newspaper title in 《》")
        kept.append(m)
    orgs = from_org_grammar(article, places) + from_departments(article, places)
    orgs += extend_sub_bodies(text, orgs + from_genre_bodies(article))
    added = places + from_facilities(article, places) + orgs + from_short_references(article, orgs) + from_genre_bodies(article) \
        + from_persons(article, place_names) + from_events_dates(article)
    rules = outside_furniture(text, kept + added)
    if not learned:
        return rules
    from zhnews import entity_crf
    from zhnews.entities import resolve

    if entity_crf.CHOSEN == "rules":
        return rules
    resolved = resolve(rules)
    return outside_furniture(text, entity_crf.combine(resolved, entity_crf.crf_mentions(article, resolved),
                                                       entity_crf.CHOSEN))


# ---------------------------------------------------------------------------------------------
# Evaluation on the genre corpus (the set of distinct (surface, type) per article)


def corpus_files(split: str) -> list[str]:
    """File names of one split of the genre corpus (``dev`` or ``test``), sorted."""
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    return sorted(manifest.loc[manifest["split"] == split, "file"])


def predicted_set(article, table: pd.DataFrame | None = None) -> set[tuple[str, str]]:
    """Distinct (surface, type) of the recogniser's mentions outside boilerplate paragraphs (G1)."""
    table = entities_table(article) if table is None else table
    boiler = [(p.start, p.end) for p in article.paragraphs if p.role == "boilerplate"]
    return {(s, t) for s, t, start in zip(table["surface"], table["type"], table["start"])
            if not any(a <= start < b for a, b in boiler)}


def set_counts(predicted: set, gold: set, types: Iterable[str]) -> tuple[int, int, int]:
    """(correct, predicted, gold) of two (surface, type) sets restricted to ``types``."""
    types = set(types)
    p = {x for x in predicted if x[1] in types}
    g = {x for x in gold if x[1] in types}
    return len(p & g), len(p), len(g)


GROUPS: dict[str, tuple[str, ...]] = {**{t: (t,) for t in TYPES}, "PER+LOC+ORG": ("PER", "LOC", "ORG"), "all": TYPES}


def score_sets(per_article: list[tuple[set, set]], n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Typed precision/recall/F1 per type, for PER+LOC+ORG and overall, micro-averaged over the articles,
    with a 95 % percentile bootstrap interval of F1 resampling articles (fixed seed).

    >>> one = ({("甲", "PER"), ("乙", "LOC")}, {("甲", "PER"), ("丙", "LOC")})
    >>> score_sets([one, one], n_resamples=50).set_index("type").loc["all", ["precision", "recall", "f1", "low", "high"]].tolist()
    [0.5, 0.5, 0.5, 0.5, 0.5]
    """
    from zhnews.annotate import bootstrap_f1, prf

    rows = []
    for group, types in GROUPS.items():
        counts = [set_counts(p, g, types) for p, g in per_article]
        c, p, g = (sum(x[i] for x in counts) for i in range(3))
        interval = bootstrap_f1(counts, n_resamples, seed) if g or p else {"low": 0.0, "high": 0.0}
        rows.append({"type": group, "gold": g, "predicted": p, "correct": c, **prf(c, p, g),
                     "low": interval["low"], "high": interval["high"]})
    return pd.DataFrame(rows)


def corpus_gold(split: str) -> dict[str, set[tuple[str, str]]]:
    """Gold (surface, type) sets per article of one split, mentions only in boilerplate left out (G1)."""
    gold = pd.read_csv(CORPUS / "gold" / "entities.csv", keep_default_na=False)
    gold = gold[(gold["split"] == split) & (gold["in_boilerplate"].astype(str) != "True")]
    return {f: set(zip(gold.loc[gold["file"] == f, "surface"], gold.loc[gold["file"] == f, "type"])) for f in corpus_files(split)}


def evaluate_corpus_entities(split: str, recogniser=None, n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Scores of the recogniser on one split of the genre corpus (see :func:`score_sets`). ``recogniser``
    maps an article to its predicted (surface, type) set; by default :func:`predicted_set`."""
    from zhnews.reading import load

    recogniser = predicted_set if recogniser is None else recogniser
    gold = corpus_gold(split)
    pairs = [(recogniser(load(CORPUS / f)), gold[f]) for f in sorted(gold)]
    return score_sets(pairs, n_resamples, seed)


def evaluate_seed_entities(n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """The seed article scored the same way: its mention gold turned into one (surface, type) set
    (all mentions: the seed gold has no boilerplate)."""
    from zhnews.entities import load_entities_gold
    from zhnews.paths import SEED
    from zhnews.reading import load

    article = load(SEED)
    table = entities_table(article)
    gold = load_entities_gold()
    pairs = [(set(zip(table["surface"], table["type"])), set(zip(gold["surface"], gold["type"])))]
    return score_sets(pairs, n_resamples, seed)


# ---------------------------------------------------------------------------------------------
# Provenance of the genre lexicons


def _may_tune_on(split: str) -> bool:
    """Whether rules may be fitted on (and lexicon entries cite) a corpus split: :func:`zhnews.splits.may_tune_on`
    (round 3: ``dev``, ``test`` and ``test2``; never the held-out ``test3``)."""
    try:
        from zhnews.splits import may_tune_on
    except ImportError:  # pragma: no cover - the splits module ships with the package
        return split in ("dev", "test")
    return may_tune_on(split)


def check_genre_evidence(name: str, evidence: str, manifest: pd.DataFrame | None = None) -> str:
    """Status of a genre-lexicon entry's evidence: ``external`` (an outside source is named), ``tuning`` (every
    cited corpus article belongs to a split rules may be fitted on — ``dev``, ``test`` or ``test2`` in round 3 —
    and contains the name), ``held-out citation`` (an article of any other split is cited, e.g. ``test3``: refused,
    and the file is never opened), ``bad citation`` (a cited tuning article lacks the name, or the file is not
    in the manifest) or ``none``. Citations are ``dev:<file>``, ``test:<file>``, ``test2:<file>`` or the bare file name.

    >>> check_genre_evidence("某某", "external: GB/T 2260")
    'external'
    >>> check_genre_evidence("某某", "")
    'none'
    """
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False) if manifest is None else manifest
    split = dict(zip(manifest["file"], manifest["split"]))
    cited = re.findall(r"(?<![\w])([a-z]+-[\w-]+-\d{4}-\d{2}-\d{2}\.txt)", evidence)
    cited = sorted(set(cited))
    if any(f in split and not _may_tune_on(split[f]) for f in cited):
        return "held-out citation"
    for f in cited:
        if f not in split or name not in (CORPUS / f).read_text(encoding="utf-8"):
            return "bad citation"
    if cited:
        return "tuning"
    return "external" if "external:" in evidence else "none"


def genre_lexicon_provenance() -> pd.DataFrame:
    """One row per entry of ``genre_bodies.csv`` and ``surnames.csv``: ``lexicon, entry, evidence, status``
    (see :func:`check_genre_evidence`)."""
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", keep_default_na=False)
    rows = []
    for path, column in ((GENRE_BODIES, "name"), (SURNAMES, "surname")):
        with open(path, encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle):
                rows.append({"lexicon": path.name, "entry": r[column], "evidence": r["evidence"],
                             "status": check_genre_evidence(r[column], r["evidence"], manifest)})
    return pd.DataFrame(rows, columns=["lexicon", "entry", "evidence", "status"])
