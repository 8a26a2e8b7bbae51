"""The character CRF of round 4 (zhnews.entity_crf): projection of a gold SET onto mentions, the features,
deterministic training, the cached model and its key, the leave-one-split-out folds and the combination
options — on invented texts and mentions only (no corpus sentences)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from zhnews import entity_crf as C
from zhnews.entities import Mention


def _article(paragraphs: list[tuple[str, str]]):
    """An invented article: ``(role, text)`` lines joined by newlines, with their offsets."""
    raw, paras, position = "", [], 0
    for role, text in paragraphs:
        paras.append(SimpleNamespace(start=position, end=position + len(text), text=text, role=role))
        raw += text + "\n"
        position += len(text) + 1
    return SimpleNamespace(raw=raw, norm=raw, paragraphs=tuple(paras))


# --- projection ----------------------------------------------------------------------------------


def test_projection_longest_first_every_occurrence_no_boilerplate():
    article = _article([("title", "青禾县司法所开展活动"), ("body", "青禾县司法所和青禾县民政局。司法所说，青禾县很好。"),
                        ("boilerplate", "版权所有 青禾县司法所")])
    gold = {("青禾县司法所", "ORG"), ("青禾县", "LOC"), ("司法所", "ORG"), ("青禾县民政局", "ORG")}
    found = [(article.raw[m.start:m.end], m.type, m.start) for m in C.project_gold(article, gold)]
    boiler = article.paragraphs[2]
    # nothing in the boilerplate line
    assert all(start < boiler.start for _, _, start in found)
    surfaces = [s for s, _, _ in found]
    # the longest surfaces win their characters; the shorter ones are placed only where free
    assert surfaces.count("青禾县司法所") == 2 and surfaces.count("青禾县民政局") == 1
    assert surfaces.count("司法所") == 1 and surfaces.count("青禾县") == 1
    # no two projected mentions overlap, and each carries its gold type
    spans = sorted((m.start, m.end) for m in C.project_gold(article, gold))
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert {(s, t) for s, t, _ in found} == gold


def test_projection_labels_a_generic_use_too():
    """The documented error: a surface that is sometimes generic is labelled at every occurrence."""
    article = _article([("body", "宣传周期间，各地办宣传周。")])
    assert len(C.project_gold(article, {("宣传周", "EVENT")})) == 2


# --- features ------------------------------------------------------------------------------------


def test_bio_round_trip_and_first_span_wins():
    spans = [(2, 5, "ORG"), (5, 6, "PER"), (8, 10, "LOC")]
    tags = C.bio(12, spans)
    assert C.spans_from_bio(tags) == spans
    assert C.spans_from_bio(C.bio(12, spans, offset=2), offset=2) == [(2, 5, "ORG"), (5, 6, "PER"), (8, 10, "LOC")]
    assert C.bio(4, [(0, 3, "ORG"), (1, 2, "LOC")]) == ["B-ORG", "I-ORG", "I-ORG", "O"]


def test_features_window_classes_flags_and_rule_tags():
    text = "在青禾县民政局2名"
    division = [c in "青禾县" for c in text]
    heads = C.head_ends(text)
    rule_tags = C.bio(len(text), [(1, 7, "ORG")])
    rows = C.char_features(text, "body", division, heads, rule_tags)
    assert len(rows) == len(text)
    by = [set(r) for r in rows]
    # 民政局 is a body head of the rules' list: it ends at 局 (index 6), and 局 alone is a head too
    assert heads[6] and not heads[5] and "head" in by[6] and "head+1" in by[5]
    assert "div" in by[2] and "div" not in by[5]
    assert "cls=digit" in by[7] and "cls=han" in by[0] and "c-1=^" in by[0] and "c2=$" in by[7]
    assert "b-1=局2" in by[7] and "c1=名" in by[7]
    assert "rule=B-ORG" in by[1] and "rule=I-ORG" in by[6] and "rule=O" in by[7] and "role=body" in by[3]
    plain = C.char_features(text, "body", division, heads, None)
    assert not any(f.startswith("rule") for r in plain for f in r)
    assert C.char_class("Ｘ") == "other" and C.char_class("a") == "latin" and C.char_class("。") == "punct"


# --- training: determinism -----------------------------------------------------------------------

_SENTENCES = ["青禾站开会", "白石站发言", "红桥站在场", "某地青禾站", "大家去白石站", "今天红桥站来"]


def _items():
    items = []
    for s in _SENTENCES:
        start = s.index("站") - 2
        tags = C.bio(len(s), [(start, start + 3, "ORG")])
        feats = C.char_features(s, "body", [False] * len(s), C.head_ends(s), None)
        items.append((feats, tags))
    return items


def test_training_is_deterministic_and_learns_the_invented_pattern():
    params = dict(C.PARAMS, max_iterations=60)
    first, second = C.train(_items(), params), C.train(_items(), params)
    assert first == second
    text = "后来黄山站开会"
    feats = C.char_features(text, "body", [False] * len(text), C.head_ends(text), None)
    a, b = C.open_tagger(first).tag(feats), C.open_tagger(second).tag(feats)
    assert a == b
    # the invented pattern (two characters + the head 站 is an ORG) carries over to an unseen name
    assert C.spans_from_bio(a) == [(2, 5, "ORG")]
    plain = "后来黄山开会"
    assert C.spans_from_bio(C.open_tagger(first).tag(
        C.char_features(plain, "body", [False] * len(plain), C.head_ends(plain), None))) == []


# --- the cached model ----------------------------------------------------------------------------


def test_model_is_cached_keyed_and_rebuilt(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(C, "training_items", lambda files, gold, stacked=True: calls.append(tuple(files)) or _items())
    monkeypatch.setattr(C, "PARAMS", dict(C.PARAMS, max_iterations=20))
    first = C.model_bytes(("dev",), folder=tmp_path)
    assert C.model_bytes(("dev",), folder=tmp_path) == first and len(calls) == 1  # read, not retrained
    C.model_bytes(("dev", "test"), folder=tmp_path)  # other splits: another key
    assert len(calls) == 2 and C.training_key(("dev",)) != C.training_key(("dev", "test"))
    monkeypatch.setattr(C, "CRF_VERSION", C.CRF_VERSION + "-changed")  # the code version enters the key
    C.model_bytes(("dev",), folder=tmp_path)
    assert len(calls) == 3
    for path in tmp_path.glob("entity-crf-*.pickle"):  # a damaged file is rebuilt, not an error
        path.write_bytes(b"not a pickle")
    assert C.model_bytes(("dev",), folder=tmp_path) == first and len(calls) == 4
    assert C.training_key(("dev",), stacked=True) != C.training_key(("dev",), stacked=False)


def test_model_refuses_the_held_out_split(tmp_path):
    from zhnews.splits import HELD_OUT

    with pytest.raises(ValueError):
        C.model_bytes(("dev",) + HELD_OUT, folder=tmp_path)


# --- leave-one-split-out -------------------------------------------------------------------------


def test_folds_never_train_on_the_scored_split(monkeypatch):
    from zhnews.splits import TUNING

    for scored in TUNING:
        training = C.fold_training_splits(scored)
        assert scored not in training and set(training) | {scored} == set(TUNING)
    trained_on: list[tuple[str, ...]] = []
    model = C.train(_items(), dict(C.PARAMS, max_iterations=10))

    def fake_model(splits=None, folder=None, stacked=None):
        trained_on.append(tuple(splits))
        return model

    monkeypatch.setattr(C, "model_bytes", fake_model)
    monkeypatch.setattr(C, "_FOLDS", {})
    table = C.leave_one_split_out("union-rules", splits=("dev", "test"))
    assert trained_on == [("test",), ("dev",)]
    assert set(table["split"]) == {"dev", "test", "mean"}
    assert list(table.columns) == ["split", "type", "precision", "recall", "f1"]
    mean = table[table["split"] == "mean"].set_index("type")["f1"]
    each = table[table["split"] != "mean"].groupby("type")["f1"].mean()
    assert (abs(mean - each.reindex(mean.index)) < 1e-12).all()


# --- combination ---------------------------------------------------------------------------------

RULES = [Mention(0, 4, "ORG", "rule"), Mention(10, 12, "PER", "rule")]
CRF = [Mention(2, 6, "ORG", "crf"), Mention(20, 23, "LOC", "crf"), Mention(10, 12, "PER", "crf")]


def test_combination_options():
    methods = lambda ms: sorted((m.start, m.end, m.method) for m in ms)  # noqa: E731
    assert C.combine(RULES, CRF, "rules") == RULES and C.combine(RULES, CRF, "crf") == CRF
    assert methods(C.combine(RULES, CRF, "union-rules")) == [(0, 4, "rule"), (10, 12, "rule"), (20, 23, "crf")]
    assert methods(C.combine(RULES, CRF, "union-crf")) == [(2, 6, "crf"), (10, 12, "crf"), (20, 23, "crf")]
    per_type = C.combine(RULES, CRF, "per-type", {"ORG": "crf", "PER": "rules", "LOC": "rules"})
    assert methods(per_type) == [(2, 6, "crf"), (10, 12, "rule")]
    with pytest.raises(ValueError):
        C.combine(RULES, CRF, "both")
    # invariant: a union never holds two overlapping mentions from different sources
    for option in ("union-rules", "union-crf"):
        kept = sorted(C.combine(RULES, CRF, option), key=lambda m: m.start)
        assert all(a.end <= b.start for a, b in zip(kept, kept[1:]))


def test_chosen_option_is_one_of_the_options():
    assert C.CHOSEN in C.OPTIONS and set(C.PER_TYPE_SOURCE.values()) <= {"rules", "crf"}
