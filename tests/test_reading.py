"""Reading stage on the seed and on invented articles of the same genre."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from zhnews import reading
from zhnews.text import normalise

GENRE = Path(__file__).parent / "fixtures" / "genre"


# --- the seed -----------------------------------------------------------------------------------


def test_seed_metadata_every_field(seed):
    assert seed.metadata == {
        "title": "昆明构建六大工作机制推动依法治市",
        "published": "2017-10-18T08:34:11+08:00",
        "source": "昆明信息港",
        "outlet": "昆明信息港",
        "newspaper": "都市时报",
        "reporter": ["林舒佳"],
        "correspondent": None,
        "photographer": ["孟祝斌"],
        "photo_caption": "昆明开展各种活动,引导广大群众自觉守法",
        "editor": ["孙红亮"],
        "responsible_editor": ["徐婷"],
    }


def test_seed_roles(seed):
    roles = Counter(p.role for p in seed.paragraphs)
    assert roles == {
        "title": 2, "dateline": 1, "caption": 1, "lead": 1, "body": 13,
        "subheading": 8, "list_item": 6, "footer": 1,
    }
    titles = [p for p in seed.paragraphs if p.role == "title"]
    assert [t.is_repeat for t in titles] == [False, True]


def test_seed_four_subheading_pairs_and_six_list_items(seed):
    headings = [h for _, h in seed.sections[1:]]
    assert headings == [
        "高位推动依法治市工作 / 谋划依法治市目标任务",
        "更加注重公平正义 / 建立责任追究制度",
        "建“三官一律师”服务站 / 打造10分钟法律服务圈",
        "构建六大工作机制 / 全面推动依法治市",
    ]
    items = [p.text[:10] for p in seed.paragraphs if p.role == "list_item"]
    assert items == ["一是构建工作责任机制", "二是构建考核评价机制", "三是构建法治创建机制",
                     "四是构建社会动员机制", "五是构建常态运行机制", "六是构建创新推动机制"]
    assert {p.section for p in seed.paragraphs if p.role == "list_item"} == {4}


def test_offsets_are_the_spine(seed):
    for p in seed.paragraphs:
        assert seed.raw[p.start : p.end] == p.text
    for s in seed.sentences:
        assert seed.raw[s.start : s.end] == s.text
        assert seed.norm[s.start : s.end] == s.text_norm
        assert len(s.text) == len(s.text_norm)
    assert len(seed.norm) == len(seed.raw)


def test_sentence_boundaries_as_a_reader_draws_them(seed):
    assert len(seed.sentences) == 61
    texts = [s.text_norm for s in seed.sentences]
    # headings, caption and footer are sentences of their own
    assert "高位推动依法治市工作" in texts and "编辑： 孙红亮 责任编辑： 徐婷" in texts
    # the question with a half-width ? ends a sentence
    assert "如何更加注重公平正义呢？" in texts
    # 一是… opens its own sentence, the rest of the item follows
    assert "一是构建工作责任机制。" in texts
    # every body sentence ends with an end mark (the source has no unterminated body sentence)
    body = [s for s in seed.sentences if s.role in ("lead", "body", "list_item")]
    assert all(s.text_norm[-1] in "。！？" for s in body)
    # never split at commas, 、 or ；
    assert not any(s.text_norm[-1] in "，、；" for s in seed.sentences)


def test_closing_quote_stays_with_its_sentence():
    assert [t for t in map(lambda se: "他说：“好。”再见。"[se[0]:se[1]], reading.split_sentences("他说：“好。”再见。"))] == [
        "他说：“好。”", "再见。",
    ]


def test_normalisation_keeps_times_ranges_and_latin():
    text = "2017-10-18 08:34:11 来源:网 (2016—2020年) LED屏,OK"
    out = normalise(text)
    assert out == "2017-10-18 08:34:11 来源：网 （2016—2020年） LED屏，OK"
    assert len(out) == len(text)


def test_normalisation_of_the_seed_changes_only_spaces_and_punctuation(seed):
    changed = Counter((a, b) for a, b in zip(seed.raw, seed.norm) if a != b)
    allowed = {(",", "，"), ("(", "（"), (")", "）"), (":", "："), ("?", "？"), ("<", "〈"), (">", "〉"),
               ("\u00a0", " "), ("\u2002", " ")}
    assert set(changed) <= allowed
    assert changed[(",", "，")] == sum(1 for c in seed.raw if c == ",")  # every comma is in Chinese text
    assert ":" in seed.norm  # the clock time 08:34:11 keeps its colons


# --- the genre ----------------------------------------------------------------------------------

EXPECTED = json.loads((GENRE / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invented_article_roles_and_metadata(name):
    article = reading.load(GENRE / name)
    expected = EXPECTED[name]
    assert [p.role for p in article.paragraphs] == expected["roles"]
    for key, value in expected["metadata"].items():
        assert article.metadata[key] == value, key
    if "n_sections" in expected:
        assert len(article.sections) - 1 == expected["n_sections"]
    for s in article.sentences:
        assert article.raw[s.start : s.end] == s.text


def test_crlf_and_bom_are_read(tmp_path):
    text = (GENRE / "header_nospace.txt").read_text(encoding="utf-8")
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))
    article = reading.load(path)
    assert article.metadata["title"] == "某某市推进垃圾分类工作"
    assert all("\r" not in p.text for p in article.paragraphs)
    assert all(article.raw[p.start : p.end] == p.text for p in article.paragraphs)


def test_outline_lists_sections_and_items(seed):
    outline = reading.outline(seed)
    assert outline.splitlines()[0] == "昆明构建六大工作机制推动依法治市"
    assert outline.count("§") == 5 and outline.count("    - ") == 6


def test_text_statistics(seed):
    stats = reading.text_stats(seed)
    assert stats["characters"] == 3112 and stats["han_characters"] == 2516
    assert stats["non_empty_lines"] == 33 and stats["sentences"] == 61
    punctuation = reading.punctuation_profile(seed.raw).set_index("mark")["count"]
    assert punctuation[","] == seed.raw.count(",") and punctuation["。"] == seed.raw.count("。")
    sections = reading.sections_table(seed)
    assert sections["n_sentences"].sum() == len(seed.sentences) - 1  # the footer belongs to no section


# --- the title role follows the headline (menus, mastheads and navigation above it) -------------

LEAD = "某报讯(记者甲乙)近日，某某县司法局在中心广场开展法治宣传活动，发放宣传资料五百余份，解答群众咨询四十余人次。"


@pytest.mark.parametrize(
    "name, lines, roles",
    [
        ("site name and navigation above the headline",
         ["某某网", "新闻中心 > 本地", "某某县开展普法活动", "2015-10-25 01:03:00", LEAD],
         ["boilerplate", "boilerplate", "title", "dateline", "lead"]),
        ("an app banner and a menu line above the headline",
         ["城市号 | 下载APP", "关注公众号", "某某市获评普法先进城市", "2019-12-12 11:06:59 来源:某某日报", LEAD],
         ["boilerplate", "boilerplate", "title", "dateline", "lead"]),
        ("e-paper: a masthead, the date, then the headline",
         ["《某某日报》 《某某晚报》 《某某法制报》", "2024年04月06日", "某某市开展普法巡演", LEAD],
         ["boilerplate", "dateline", "title", "lead"]),
        ("the headline printed twice: the first copy is the title",
         ["某某区举行开放日活动", "某某区举行开放日活动", "来源:某某网2020-12-04", LEAD],
         ["title", "title", "dateline", "lead"]),
        ("a headline the layout took for the lead: the lead moves to the first full paragraph",
         ["某某网", "某某网>>某某频道", "这群“体验官”来到某某司法所……", "2022年09月14日09:46 |", "小字号",
          "9月13日下午，某某司法所迎来了一群特殊的客人，他们边走边体验，一起感受为民办实事的魅力。"],
         ["boilerplate", "boilerplate", "title", "subheading", "boilerplate", "lead"]),
    ],
    ids=lambda case: case if isinstance(case, str) else None,
)
def test_title_role_is_the_headline(name, lines, roles):
    article = reading.parse("\n".join(lines))
    assert [p.role for p in article.paragraphs] == roles
    titles = [p for p in article.paragraphs if p.role == "title"]
    assert titles[0].text == article.metadata["title"] and not titles[0].is_repeat
    assert all(p.is_repeat for p in titles[1:])
    assert [s.role for s in article.sentences].count("title") == len(titles)  # boilerplate has no sentences


def test_title_role_agrees_with_the_headline_on_the_genre_corpus():
    """Invariant on every corpus article and the seed: the (first) title-role line is the metadata's headline
    (less an outlet tag in brackets before it, "[某某晚报]…"), and no line above it is running text."""
    from zhnews import metadata_eval

    for file in metadata_eval.load_gold()["file"]:
        article = reading.load(metadata_eval.article_path(file))
        titles = [p for p in article.paragraphs if p.role == "title" and not p.is_repeat]
        headline = article.metadata["title"]
        assert [reading._OUTLET_PREFIX.sub("", p.text) for p in titles] == ([headline] if headline else []), file
        if titles:
            above = [p.role for p in article.paragraphs if p.pid < titles[0].pid]
            assert set(above) <= {"boilerplate", "dateline"}, file


@pytest.mark.parametrize(
    "text, expected",
    [
        # a word before a colon that is no known label still ends the names before it (invented CMS lines)
        ("作者:甲乙 阅读量:", {"reporter": ["甲乙"]}),
        ("编辑:甲乙 校核:丙丁 责任编辑:戊己", {"editor": ["甲乙"], "responsible_editor": ["戊己"]}),
        # codebook G21: 编审 is an editor, 校审 and 监审 name no field
        ("编审:甲乙 校审:丙丁 监审:戊己 责编:庚辛", {"editor": ["甲乙"], "responsible_editor": ["庚辛"]}),
    ],
)
def test_credit_labels_end_names(text, expected):
    assert reading.parse_credits(text) == expected


def test_closing_names_need_surnames_and_the_last_text_paragraph():
    def paras(rows):
        return [reading.Paragraph(i, role, 0, 0, len(t), t) for i, (role, t) in enumerate(rows)]

    body = "某县开展普法活动,群众踊跃参加。"
    # furniture and editors below the bracket do not hide it; a bracket earlier in the article is no byline
    assert reading.closing_names(paras([("body", body + "(王某)"), ("footer", "责编:甲乙"), ("boilerplate", "版权所有")])) == ["王某"]
    assert reading.closing_names(paras([("body", body + "(王某)"), ("body", body)])) == []
    # every token must read as a person's name
    assert reading.closing_names(paras([("body", body + "(王某 某某局)")])) == []
    assert reading.closing_names(paras([("subheading", "(欧阳某某)")])) == ["欧阳某某"]
