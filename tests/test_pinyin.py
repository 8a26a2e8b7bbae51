"""Pinyin: right for polyphonic characters in context, checked against the hand-made gold."""

from __future__ import annotations

from zhnews import pinyin
from zhnews.annotations import load_glossary, load_pinyin_gold
from zhnews.paths import SEED
from zhnews.text import is_han


def test_every_glossary_term_occurs_in_the_article_and_its_pinyin_agrees():
    raw = SEED.read_text(encoding="utf-8")
    glossary = load_glossary()
    assert len(glossary) >= 40
    assert list(glossary.columns) == ["term", "pinyin", "gloss", "note"]
    for term, reading in zip(glossary["term"], glossary["pinyin"]):
        assert term in raw, term
        assert pinyin.to_pinyin(term) == reading, term
    assert all(glossary["gloss"].str.len() > 0) and all(glossary["note"].str.len() > 0)


def test_polyphones_against_the_gold():
    raw = SEED.read_text(encoding="utf-8")
    gold = load_pinyin_gold()
    assert len(gold) >= 300 and gold["char"].nunique() >= 50
    plain = pinyin.compare_with_gold(raw, gold, overrides=False)
    fixed = pinyin.compare_with_gold(raw, gold, overrides=True)
    # the overrides repair every outright error; what is left are full tones for optional neutral tones
    assert fixed["acceptable"].all(), fixed.loc[~fixed["acceptable"], ["start", "char", "pinyin", "predicted"]]
    assert fixed["correct"].sum() > plain["correct"].sum()
    # and they never break a reading pypinyin had right
    assert not (plain["correct"] & ~fixed["correct"]).any()


def test_overrides_are_documented_and_well_formed():
    for phrase, syllables in pinyin.load_overrides():
        assert len(syllables) == sum(map(is_han, phrase))
    text = pinyin.OVERRIDES.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "phrase,pinyin,reason"


def test_ruby_html_escapes_and_aligns():
    html = pinyin.ruby_html("<法>")
    assert html.startswith('<p class="zhnews-ruby"') and "&lt;" in html and "<rt>fǎ</rt>" in html
    assert html._repr_html_() == str(html)


def test_other_characters_are_kept():
    assert pinyin.to_pinyin("LED屏宣传") == "LED píng xuān chuán"
    assert pinyin.char_pinyin("") == []
