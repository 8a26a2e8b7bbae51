"""The bad-input matrix: every input either gives complete, faithful tables or one clear line and status 2.

For each valid-but-odd article the command line must exit 0 with the complete set of tables, every
offset must point into the decoded file (``raw[start:end] == text``), every character must be
accounted for (``chars_by_role``), and every CSV must read back with the same rows through both the
``csv`` module and pandas. For each user mistake it must print one line naming the file and exit 2,
before loading any model. The folder swap is tested by killing a run in the middle of its write phase
and by two runs racing for the same ``--out``. Timing is measured in ``benchmarks/``, never here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from zhnews import cli, files, reading
from zhnews.paths import ROOT, SEED
from zhnews.pipeline import TABLE_FILES
from zhnews.text import visible_chars

SEED_TEXT = SEED.read_text(encoding="utf-8")
BRIEF = "某市召开普法工作会议\n2019-03-01 来源：某市司法局\n本报讯（记者 张三）3月1日，某市召开普法工作会议，部署全年工作。\n"

#: name → bytes of an article that must be analysed (exit 0, complete tables).
VALID = {
    "bom": "\ufeff".encode() + SEED_TEXT.encode(),
    "crlf": SEED_TEXT.replace("\n", "\r\n").encode(),
    "cr_only": SEED_TEXT.replace("\n", "\r").encode(),
    "stray_cr": SEED_TEXT.replace("。", "。\r", 5).encode(),
    "control_chars": SEED_TEXT.replace("。", "。\x0b", 3).replace("法治", "法\x07治", 1).encode(),
    "traditional": "某某市推動依法治市\n2017-10-18 08:34 來源：某某網\n某某網訊(記者 楊十) 法治是治國之重器。\n編輯: 朱一\n".encode(),
    "emoji_astral": "标题😀\n本报讯（记者 张三）法治𠀀是治国之重器😀。\n".encode(),
    "zero_width": SEED_TEXT.replace("依法治市", "依法\u200b治市").replace("法治", "法\ufeff治", 2).encode(),
    "fullwidth_digits": "标题行\n２０１７年１０月１８日 来源：某网\n某网讯（记者 张三）法治是治国之重器。\n".encode(),
    "truncated_mid_sentence": SEED_TEXT[:1500].encode(),
    "no_title": "本报讯（记者 张三）3月1日，某市召开普法工作会议，部署全年工作。会议强调要加强法治宣传。\n".encode(),
    "one_character": "法".encode(),
    "headings_only": "依法治市\n高位推动\n谋划目标\n全面推进\n".encode(),
    "three_line_brief": BRIEF.encode(),
    "boilerplate_before_title": "首页 > 新闻 > 本地\n当前位置：首页\n某市开展法治宣传活动\n本报讯（记者 张三）某市开展法治宣传活动。\n".encode(),
    "mid_text_photo_credit": ("标题一个\n本报讯（记者 张三）第一段正文讲了很多事情。\n（记者 李四 摄）\n"
                              "第二段正文继续讲述更多的事情，内容很长。\n摄影：王五）\n第三段正文还有。\n编辑：赵六\n").encode(),
    "very_long_line": ("标题\n" + "".join(f"第{i}项法治建设工作推进" for i in range(6000)) + "\n").encode(),
}

#: name → (bytes, the words the one-line message must contain) of an input that must be refused.
REFUSED = {
    "empty": (b"", "the file is empty"),
    "whitespace": (" \n\u3000\n\t\n".encode(), "only whitespace"),
    "gbk": (BRIEF.encode("gbk"), "GB18030/GBK"),
    "utf16_bom": (BRIEF.encode("utf-16"), "UTF-16"),
    "utf16_no_bom": (BRIEF.encode("utf-16-le"), "UTF-16"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    "late_nul": (SEED_TEXT.encode()[:5000] + b"\x00" + SEED_TEXT.encode()[5000:], "NUL byte at byte 5000"),
    "html": (b"<!DOCTYPE html><html><head><title>x</title></head><body><p>\xe6\xb3\x95</p></body></html>", "HTML"),
    "xhtml": (('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><style>'
               + "p{color:red}" * 500 + "</style></head><body><p>" + SEED_TEXT + "</p></body></html>").encode(), "HTML/XML"),
    "english": (b"Kunming builds six mechanisms.\nThe rule of law.\n", "no Chinese"),
    "truncated_mid_byte": (SEED_TEXT.encode()[:1001], "cut short"),
    "too_large": (("法治" * (files.MAX_ARTICLE_BYTES // 6 + 1)).encode(), "above the limit"),
}


def _run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    status = cli.main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _read_back(path: Path) -> int:
    """Rows of a CSV via the csv module, checked equal to pandas' count and field counts consistent."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in body), f"{path.name}: ragged rows"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(frame) == len(body) and list(frame.columns) == header, f"{path.name}: csv and pandas disagree"
    return len(body)


def check_output(out: Path, article_path: Path) -> dict:
    """Assert a complete, faithful set of tables for ``article_path`` in ``out``; return article.json."""
    assert sorted(p.name for p in out.iterdir()) == sorted(TABLE_FILES.values())
    assert not [p for p in out.parent.iterdir() if ".zhnews-tmp-" in p.name], "temporary folder left behind"
    raw = article_path.read_bytes().decode("utf-8")
    norm = reading.normalise(raw)
    record = json.loads((out / "article.json").read_text(encoding="utf-8"))
    rows = {name: _read_back(out / name) for name in TABLE_FILES.values() if name.endswith(".csv")}
    assert rows["paragraphs.csv"] == record["n_paragraphs"] and rows["sentences.csv"] == record["n_sentences"]
    assert sum(record["chars_by_role"].values()) == record["n_chars"] == len(raw)
    for name, column in (("paragraphs.csv", "text"), ("sentences.csv", "text"), ("entities.csv", "surface")):
        table = pd.read_csv(out / name, dtype={column: str}, keep_default_na=False)
        assert all(raw[s:e] == t for s, e, t in zip(table["start"], table["end"], table[column])), name
    tokens = pd.read_csv(out / "tokens.csv", dtype={"token": str}, keep_default_na=False)
    assert all(visible_chars(norm[s:e])[0] == t for s, e, t in zip(tokens["start"], tokens["end"], tokens["token"]))
    return record


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_odd_articles_give_complete_faithful_tables(name, tmp_path, capsys):
    article = tmp_path / f"{name}.txt"
    article.write_bytes(VALID[name])
    status, out, err = _run_cli(["analyze", str(article), "--out", str(tmp_path / "out")], capsys)
    assert status == 0, err
    record = check_output(tmp_path / "out", article)
    text_roles = {"title", "lead", "body", "list_item", "subheading", "caption", "dateline", "footer"}
    # no silent loss: what is set aside is boilerplate by what it is, never body text after a credit
    assert set(record["chars_by_role"]) - {"between_lines", "boilerplate"} <= text_roles
    if name == "mid_text_photo_credit":
        roles = pd.read_csv(tmp_path / "out" / "paragraphs.csv")["role"].tolist()
        assert roles == ["title", "lead", "caption", "body", "caption", "body", "footer"]
    if name == "zero_width":
        terms = pd.read_csv(tmp_path / "out" / "terms.csv")
        assert terms.loc[terms["term"] == "依法治市", "count"].item() == 18
    if name == "fullwidth_digits":
        assert record["published"] == "2017-10-18"
    if name == "very_long_line":
        sentences = pd.read_csv(tmp_path / "out" / "sentences.csv")
        assert sentences["n_chars"].max() <= reading.MAX_SENTENCE_CHARS and sentences["is_cut"].sum() > 1
        assert record["n_sentences_cut"] == sentences["is_cut"].sum()
    if name in ("bom", "crlf", "cr_only"):
        seed_record = json.loads((ROOT / "data" / "derived" / "article.json").read_text(encoding="utf-8"))
        assert (record["n_paragraphs"], record["n_sentences"]) == (seed_record["n_paragraphs"], seed_record["n_sentences"])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_user_mistakes_are_one_line_status_2_and_write_nothing(name, tmp_path):
    data, words = REFUSED[name]
    article = tmp_path / f"{name}.txt"
    article.write_bytes(data)
    code = ("import sys; from zhnews.cli import main; status = main(sys.argv[1:]); "
            "assert 'pandas' not in sys.modules, 'heavy imports before the checks'; sys.exit(status)")
    result = subprocess.run([sys.executable, "-c", code, "analyze", str(article), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("zhnews: error: "), result.stderr
    assert str(article) in result.stderr and words in result.stderr and "expected" in result.stderr
    assert not (tmp_path / "out").exists()


def test_large_boilerplate_share_warns_with_the_count(tmp_path, capsys):
    page = "某市开展法治宣传活动\n本报讯（记者 张三）某市开展法治宣传活动。\n编辑：李四\n" + "".join(
        f"首页 | 新闻 | 分享到 | 相关新闻{i}\n" for i in range(20))
    article = tmp_path / "page.txt"
    article.write_text(page, encoding="utf-8")
    status, _, err = _run_cli(["analyze", str(article), "--out", str(tmp_path / "out")], capsys)
    record = json.loads((tmp_path / "out" / "article.json").read_text(encoding="utf-8"))
    assert status == 0 and err.count("\n") == 1 and "warning" in err
    assert f"{record['n_chars_set_aside']:,} of {record['n_chars']:,} characters" in err


def test_out_naming_a_file_is_refused_before_any_work(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("mine", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "zhnews", "analyze", str(SEED), "--out", str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "existing file" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"


def _without_privilege(command: list[str]) -> list[str]:
    """``command`` run without root's power to ignore file permissions (root reads and writes anything):
    util-linux's ``setpriv`` drops the DAC-override capabilities when we are root."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without util-linux's setpriv: cannot test permission errors")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *command]


def test_unwritable_out_and_unreadable_input_are_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    article = tmp_path / "article.txt"
    shutil.copy(SEED, article)
    try:
        unwritable = subprocess.run(
            _without_privilege([sys.executable, "-m", "zhnews", "analyze", str(article), "--out", str(locked / "out")]),
            capture_output=True, text=True)
        assert unwritable.returncode == 2 and unwritable.stderr.count("\n") == 1, unwritable.stderr
        assert "cannot write there" in unwritable.stderr and str(locked / "out") in unwritable.stderr
        article.chmod(0o000)
        unreadable = subprocess.run(
            _without_privilege([sys.executable, "-m", "zhnews", "analyze", str(article), "--out", str(tmp_path / "out")]),
            capture_output=True, text=True)
        assert unreadable.returncode == 2 and unreadable.stderr.count("\n") == 1, unreadable.stderr
        assert "permission denied" in unreadable.stderr and str(article) in unreadable.stderr
    finally:
        article.chmod(0o644)
        locked.chmod(0o755)


# A run that pauses in its write phase after four tables, so that the test can kill it there.
_PAUSING_RUN = """
import sys, time, pathlib
import zhnews.pipeline as pipeline
real_write_csv, written = pipeline.write_csv, []
def slow_write_csv(table, path):
    written.append(path)
    if len(written) == 4:
        pathlib.Path(sys.argv[3]).write_text("paused")
        time.sleep(60)
    return real_write_csv(table, path)
pipeline.write_csv = slow_write_csv
from zhnews.cli import main
sys.exit(main(["analyze", sys.argv[1], "--out", sys.argv[2]]))
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_run_killed_during_the_write_leaves_the_complete_old_set(tmp_path, how, capsys):
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF, encoding="utf-8")
    out = tmp_path / "out"
    assert _run_cli(["analyze", str(brief), "--out", str(out)], capsys)[0] == 0
    (out / "my-notes.txt").write_text("kept", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    flag = tmp_path / "paused"
    run = subprocess.Popen([sys.executable, "-c", _PAUSING_RUN, str(SEED), str(out), str(flag)])
    deadline = time.monotonic() + 120
    while not flag.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert flag.exists(), "the run did not reach its write phase"
    run.send_signal(how)
    run.wait(timeout=30)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the complete old set, untouched
    leftovers = [p for p in tmp_path.iterdir() if ".zhnews-tmp-" in p.name]
    assert leftovers == [] if how == signal.SIGTERM else len(leftovers) == 1
    # the next run replaces the set completely, keeps the user's file and removes a dead run's leftovers
    assert _run_cli(["analyze", str(SEED), "--out", str(out)], capsys)[0] == 0
    (out / "my-notes.txt").unlink()
    record = check_output(out, SEED)
    assert record["n_sentences"] == 61


def test_two_concurrent_runs_leave_one_complete_set(tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF, encoding="utf-8")
    out = tmp_path / "out"
    runs = [subprocess.Popen([sys.executable, "-m", "zhnews", "analyze", str(path), "--out", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for path in (SEED, brief)]
    assert [run.wait(timeout=180) for run in runs] == [0, 0], [run.stderr.read() for run in runs]
    record = json.loads((out / "article.json").read_text(encoding="utf-8"))
    winner = SEED if record["n_sentences"] == 61 else brief
    check_output(out, winner)  # every table from the same article, none mixed


def test_replace_folder_swaps_under_a_lock_without_mixing(tmp_path):
    """Many writers racing on one folder: each final state is one writer's complete set."""
    code = """
import sys, time
from pathlib import Path
from zhnews.output import replace_folder
def write(folder, tag=sys.argv[2]):
    for name in ("a.csv", "b.csv", "c.csv"):
        (folder / name).write_text(tag)
        time.sleep(0.01)
    return ["a.csv", "b.csv", "c.csv"]
replace_folder(sys.argv[1], write)
"""
    out = tmp_path / "out"
    runs = [subprocess.Popen([sys.executable, "-c", code, str(out), str(k)]) for k in range(6)]
    assert [run.wait(timeout=60) for run in runs] == [0] * 6
    contents = {p.read_text() for p in out.iterdir()}
    assert len(contents) == 1 and sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv", "c.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_csv_with_line_breaking_characters_reads_back(tmp_path):
    from zhnews.io import write_csv

    table = pd.DataFrame({"sid": [1, 2, 3], "text": ["甲\r乙", "丙\n丁", "戊\u2028己"]})
    write_csv(table, tmp_path / "t.csv")
    assert _read_back(tmp_path / "t.csv") == 3
    assert pd.read_csv(tmp_path / "t.csv")["text"].tolist() == table["text"].tolist()
    assert io.open(tmp_path / "t.csv", encoding="utf-8").read().startswith('"sid","text"')
