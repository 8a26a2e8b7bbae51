"""Bad input: clear errors naming the file, one line from the CLI, raw data untouched."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from zhnews import reading
from zhnews.errors import ArticleEncodingError, ArticleError, ArticleFormatError, ArticleNotFoundError
from zhnews.paths import RAW, SEED

SAMPLE = "昆明构建六大工作机制推动依法治市\n昆明信息港讯(记者 林舒佳) 法治是治国之重器。\n"


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, data, error, message",
    [
        ("empty.txt", b"", ArticleFormatError, "the file is empty"),
        ("blank.txt", " \n\u3000\n\t\n".encode(), ArticleFormatError, "only whitespace"),
        ("gbk.txt", SAMPLE.encode("gbk"), ArticleEncodingError, "iconv -f GB18030 -t UTF-8"),
        ("gb18030.txt", SAMPLE.encode("gb18030"), ArticleEncodingError, "not UTF-8"),
        ("utf16.txt", SAMPLE.encode("utf-16"), ArticleEncodingError, "UTF-16"),
        ("utf16be.txt", SAMPLE.encode("utf-16-be"), ArticleEncodingError, "UTF-16"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ArticleEncodingError, "binary"),
        ("page.html", b"<!DOCTYPE html><html><head><title>x</title></head><body><p>\xe6\xb3\x95</p></body></html>",
         ArticleFormatError, "HTML/XML page"),
        ("english.txt", b"Kunming builds six mechanisms.\nThe rule of law.\n", ArticleFormatError, "no Chinese"),
        ("mostly_latin.txt", ("法" + "x" * 200).encode(), ArticleFormatError, "are Chinese"),
    ],
)
def test_bad_input_raises_a_clear_error_naming_the_file(tmp_path, name, data, error, message):
    path = _write(tmp_path, name, data)
    with pytest.raises(error) as caught:
        reading.load(path)
    assert str(path) in str(caught.value) and message in str(caught.value)
    assert "expected" in str(caught.value)
    assert isinstance(caught.value, ArticleError)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ArticleNotFoundError, match="no such file"):
        reading.load(tmp_path / "nope.txt")
    with pytest.raises(ArticleNotFoundError, match="not a regular file"):
        reading.load(tmp_path)


def test_traditional_chinese_works():
    article = reading.parse("某某市推動依法治市\n2017-10-18 08:34 來源：某某網\n某某網訊(記者 楊十) 法治是治國之重器。\n編輯: 朱一")
    assert article.metadata["source"] == "某某網" and article.metadata["editor"] == ["朱一"]
    assert [p.role for p in article.paragraphs] == ["title", "dateline", "lead", "footer"]


def test_an_article_at_the_size_limit_parses_and_one_byte_more_is_refused(tmp_path):
    from zhnews.files import MAX_ARTICLE_BYTES

    body = "\n".join(p.text for p in reading.load(SEED).paragraphs if p.role in ("body", "list_item"))
    text = "大文章\n" + "\n".join([body] * (MAX_ARTICLE_BYTES // len(body.encode()) + 1))
    data = text.encode()[:MAX_ARTICLE_BYTES]
    data = data[: len(data.decode("utf-8", "ignore").encode())]  # whole characters only
    article = reading.load(_write(tmp_path, "big.txt", data))
    assert len(article.sentences) > 5_000
    assert article.raw[article.sentences[-1].start : article.sentences[-1].end] == article.sentences[-1].text
    with pytest.raises(ArticleFormatError, match="above the limit of 2,000,000 bytes"):
        reading.load(_write(tmp_path, "bigger.txt", data + "法".encode() * (MAX_ARTICLE_BYTES - len(data) + 1)))


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "zhnews", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("args", [["frobnicate"], ["analyze"], ["analyze", "missing.txt", "--out", "x"]])
def test_cli_user_mistakes_are_one_line_and_status_2(args, tmp_path):
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("zhnews: error:") and "Traceback" not in result.stderr


def test_cli_bad_encoding_is_one_line(tmp_path):
    path = _write(tmp_path, "gbk.txt", SAMPLE.encode("gbk"))
    result = _cli("analyze", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "gbk.txt" in result.stderr and "not UTF-8" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_cli_refuses_to_write_into_raw_and_raw_is_untouched(tmp_path):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RAW.iterdir()}
    result = _cli("analyze", str(SEED), "--out", str(RAW))
    assert result.returncode == 2 and "data/raw" in result.stderr
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RAW.iterdir()} == before


def test_cli_help_and_version():
    assert _cli("--version").stdout.startswith("zhnews ")
    assert "analyze" in _cli("--help").stdout
