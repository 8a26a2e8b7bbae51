"""Reading an article file safely: size limit, decoding, and the checks that it is a Chinese article.

This module imports nothing heavy, so the command line can answer a user mistake (a missing,
unreadable, empty, wrongly encoded or unfamiliar file) in well under a second, before the
analysis libraries are loaded. :func:`zhnews.reading.load` calls the same functions.

Offsets are defined on the *decoded* file: a UTF-8 byte-order mark is kept as the first character
(U+FEFF) of the text rather than stripped, so that ``raw[start:end]`` indexes the file as decoded.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from zhnews.errors import ArticleEncodingError, ArticleFormatError, ArticleNotFoundError

#: Largest article accepted (bytes). A news article is 1–50 kB; a larger file is usually a whole
#: site dump or a corpus in one file — split it and use ``python -m zhnews corpus`` (one article per file).
MAX_ARTICLE_BYTES = 2_000_000

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]{0,500})?/?>")
_MARKUP_START = ("<?xml", "<!doctype", "<html", "<head", "<body", "<svg", "<rss", "<feed", "<!--")


def read_bytes(path: str | Path) -> bytes:
    """The bytes of the article at ``path``, or a clear :class:`~zhnews.errors.ArticleError`.

    Refuses a missing path, a folder, an unreadable file and a file above :data:`MAX_ARTICLE_BYTES`.
    """
    path = Path(path)
    if not path.exists():
        raise ArticleNotFoundError(path, "no such file", "the path of a UTF-8 .txt article")
    if not path.is_file():
        raise ArticleNotFoundError(path, "not a regular file", "the path of a UTF-8 .txt article")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ArticleFormatError(
            path, f"the file is {size:,} bytes, above the limit of {MAX_ARTICLE_BYTES:,} bytes for one article",
            "one news article per file (split a collection into one file per article)",
        )
    try:
        return path.read_bytes()
    except PermissionError:
        raise ArticleNotFoundError(path, "the file cannot be read (permission denied)", "a readable UTF-8 .txt article") from None
    except OSError as error:
        raise ArticleNotFoundError(path, f"the file cannot be read ({error.strerror})", "a readable UTF-8 .txt article") from None


def _looks_utf16(data: bytes) -> bool:
    """True when BOM-less bytes decode as UTF-16 (either byte order) into mostly readable text."""
    if b"\x00" not in data[:4096] or len(data) % 2:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:4096].decode(codec)
        except UnicodeDecodeError:
            continue
        readable = sum(c.isprintable() or c.isspace() for c in text)
        if readable >= 0.95 * len(text) and (_HAN.search(text) or text.isascii()):
            return True
    return False


def decode(data: bytes, path: str | Path) -> str:
    """Decode the bytes of an article as UTF-8, or say why not. A BOM is kept as ``"\\ufeff"``.

    >>> decode("法治".encode("utf-8-sig"), "a.txt")
    '\\ufeff法治'
    >>> decode("法治".encode("gb18030"), "a.txt")
    Traceback (most recent call last):
    ...
    zhnews.errors.ArticleEncodingError: a.txt: the file is not UTF-8 (it decodes as GB18030/GBK); expected UTF-8 text — convert it first, e.g. `iconv -f GB18030 -t UTF-8 a.txt > a.utf8.txt`
    >>> decode(b"\\xe6\\xb3\\x95" * 2000 + b"\\x00", "late.txt")
    Traceback (most recent call last):
    ...
    zhnews.errors.ArticleEncodingError: late.txt: the file contains a NUL byte at byte 6000 (binary or corrupted); expected a UTF-8 text file
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(data):
        raise ArticleEncodingError(
            path, "the file is UTF-16",
            f"UTF-8 text — convert it first, e.g. `iconv -f UTF-16 -t UTF-8 {path} > {Path(path).stem}.utf8.txt`",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        problem = "the file is binary (it contains NUL bytes)" if nul < 4096 else \
            f"the file contains a NUL byte at byte {nul} (binary or corrupted)"
        raise ArticleEncodingError(path, problem, "a UTF-8 text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        if utf8_error.reason == "unexpected end of data":
            raise ArticleEncodingError(
                path, f"the file ends in the middle of a UTF-8 character (byte {utf8_error.start}): it was cut short",
                "a complete UTF-8 text file — save or download it again",
            ) from None
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise ArticleEncodingError(
                path, f"the file is not UTF-8 (invalid byte at position {utf8_error.start})", "a UTF-8 text file",
            ) from None
        raise ArticleEncodingError(
            path, "the file is not UTF-8 (it decodes as GB18030/GBK)",
            f"UTF-8 text — convert it first, e.g. `iconv -f GB18030 -t UTF-8 {path} > {Path(path).stem}.utf8.txt`",
        ) from None


def looks_like_markup(text: str) -> bool:
    """True for an HTML, XHTML or XML page (a prolog or root tag first, or markup throughout its head).

    >>> looks_like_markup('<?xml version="1.0"?>\\n<html><head><style>p{}</style>'), looks_like_markup("法治<b>好</b>")
    (True, False)
    """
    head = text.lstrip("\ufeff \t\r\n").lower()
    if head.startswith(_MARKUP_START):
        return True
    window = text[:20_000]
    tags = _TAG.findall(window)
    return len(tags) >= 5 and sum(map(len, tags)) >= 0.1 * len(window.strip())


def check_text(text: str, path: str | Path) -> None:
    """Raise :class:`~zhnews.errors.ArticleFormatError` unless ``text`` looks like a Chinese article.

    >>> check_text("法", "one.txt")
    >>> check_text("Kunming", "en.txt")
    Traceback (most recent call last):
    ...
    zhnews.errors.ArticleFormatError: en.txt: the file contains no Chinese characters; expected a Chinese news article
    """
    visible = text.replace("\ufeff", "")
    if not visible.strip():
        problem = "the file is empty" if not visible else "the file holds only whitespace"
        raise ArticleFormatError(path, problem, "the text of a Chinese news article")
    if looks_like_markup(visible):
        raise ArticleFormatError(
            path, "the file is an HTML/XML page",
            "the article's text — save the page as plain text or copy the article into a .txt file",
        )
    n_han = len(_HAN.findall(visible))
    if n_han == 0:
        raise ArticleFormatError(path, "the file contains no Chinese characters", "a Chinese news article")
    if n_han < 0.2 * len(re.sub(r"\s", "", visible)):
        raise ArticleFormatError(
            path, f"only {n_han} of its characters are Chinese",
            "a Chinese news article (at least a fifth of the characters Han)",
        )


def read_article_text(path: str | Path) -> tuple[str, str]:
    """``(text, sha256)`` of a checked article file; raises a clear error for anything else."""
    data = read_bytes(path)
    text = decode(data, path)
    check_text(text, path)
    return text, hashlib.sha256(data).hexdigest()
