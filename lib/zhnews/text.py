"""Character classes and the length-preserving normalisation that keeps offsets.

Web pages saved as text mix no-break spaces, en spaces and half-width punctuation into Chinese
sentences. Tools trained on clean text then mis-tag ``,`` as a word. :func:`normalise` repairs
that *character for character*: the output has exactly the length of the input, so an offset
into the normalised text is an offset into the raw text.
"""

from __future__ import annotations

import re
import unicodedata

#: Space-like characters of web pages that become an ordinary space.
SPACE_LIKE = "\u00a0\u2002\u2003\u2009\u200a\u202f\u2007\u3000\t"

#: Half-width punctuation that becomes full-width inside Chinese text.
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}

#: Sentence-final marks (full- and half-width).
SENTENCE_END = "。！？!?"

#: Closing quotes and brackets that stay with the sentence they close.
CLOSERS = "”’\"'」』）)】》〉"

#: Invisible format characters of web text (zero-width space and joiners, word joiner, byte-order mark).
#: They stay in the raw text; the segmenter skips them, so they never split a word.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

#: Line ends: LF, CRLF, a lone CR (old Mac files, stray CRs) and the other Unicode line separators.
LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

#: Control characters that are not line ends; normalisation turns each into a space (length kept).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def is_han(char: str) -> bool:
    """True for a Han character (CJK unified ideographs, extension A–F, compatibility).

    >>> is_han("法"), is_han("A"), is_han("，")
    (True, False, False)
    """
    return bool(_HAN_RE.fullmatch(char))


def is_cjk_punct(char: str) -> bool:
    """True for punctuation used in Chinese text: CJK symbols, full-width forms, curly quotes, dashes.

    >>> is_cjk_punct("，"), is_cjk_punct("“"), is_cjk_punct(","), is_cjk_punct("１")
    (True, True, False, False)
    """
    code = ord(char)
    if 0xFF01 <= code <= 0xFF65:  # full-width forms: punctuation and symbols, not the digits and letters
        return unicodedata.category(char)[0] in "PS"
    return 0x3000 < code <= 0x303F or char in "“”‘’—…·"


def count_han(text: str) -> int:
    """Number of Han characters in ``text``.

    >>> count_han("2017年昆明, OK")
    3
    """
    return len(_HAN_RE.findall(text))


def _is_chinese_context(char: str | None) -> bool:
    return char is not None and (is_han(char) or is_cjk_punct(char))


def _matching_brackets(line: str) -> dict[int, int]:
    """Positions of matched half-width ``(`` → ``)`` in one line (innermost first)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, char in enumerate(line):
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            pairs[stack.pop()] = i
    return pairs


def _normalise_line(line: str) -> str:
    line = _CONTROL.sub(" ", line)
    chars = [" " if c in SPACE_LIKE else c for c in line]
    # 1. brackets as pairs: full-width when the bracketed text contains Chinese
    converted: set[int] = set()
    for left, right in _matching_brackets(line).items():
        inner = line[left + 1 : right]
        before = line[left - 1] if left else None
        if any(is_han(c) for c in inner) or _is_chinese_context(before):
            chars[left], chars[right] = "（", "）"
            converted.update((left, right))
    for i, char in enumerate(line):
        if char in "()" and i not in converted:
            before = line[i - 1] if i else None
            after = line[i + 1] if i + 1 < len(line) else None
            if is_han(before or "") or is_han(after or ""):
                chars[i] = HALF_TO_FULL[char]
    # 2. , ; : ? ! after Chinese (skipping spaces), or directly before Han
    for i, char in enumerate(line):
        if char not in ",;:?!":
            continue
        j = i - 1
        while j >= 0 and chars[j] == " ":
            j -= 1
        before = chars[j] if j >= 0 else None
        after = line[i + 1] if i + 1 < len(line) else None
        if _is_chinese_context(before) or (is_han(after or "") and not (before or "").isascii()):
            chars[i] = HALF_TO_FULL[char]
        elif is_han(after or "") and before is None:
            chars[i] = HALF_TO_FULL[char]
    # 3. < > used as inner title marks inside 《 》
    depth = 0
    for i, char in enumerate(chars):
        if char == "《":
            depth += 1
        elif char == "》":
            depth = max(0, depth - 1)
        elif depth and char == "<":
            chars[i] = "〈"
        elif depth and char == ">":
            chars[i] = "〉"
    return "".join(chars)


def normalise(text: str) -> str:
    """Normalise for NLP without changing length: spaces, half-width punctuation in Chinese.

    - no-break, en, em, thin and ideographic spaces and tabs → ``" "``;
    - ``, ; : ? !`` after Chinese text → ``，；：？！``; ``( )`` around Chinese → ``（ ）``;
    - ``< >`` inside ``《 》`` → ``〈 〉`` (nested document titles);
    - control characters (other than line ends) → ``" "``, so no table ever holds one;
    - digits, Latin text, clock times and number ranges are left alone.

    >>> normalise("来源:昆明信息港 2017-10-18 08:34:11")
    '来源：昆明信息港 2017-10-18 08:34:11'
    >>> normalise("呢?(2016—2020年) 警官,律师\u00a0OK, fine")
    '呢？（2016—2020年） 警官，律师 OK, fine'
    >>> text = "《关于<决定>的意见》"
    >>> normalise(text), len(normalise(text)) == len(text)
    ('《关于〈决定〉的意见》', True)
    """
    lines = text.split("\n")
    normalised = "\n".join(_normalise_line(line) for line in lines)
    assert len(normalised) == len(text)
    return normalised


def visible_chars(text: str) -> tuple[str, list[int]]:
    """``text`` without its invisible characters (:data:`INVISIBLE`), and the index in ``text`` of each
    character kept, so that an offset in the visible text maps back to the original.

    >>> visible_chars("依法\u200b治市")
    ('依法治市', [0, 1, 3, 4])
    """
    kept = [i for i, c in enumerate(text) if c not in INVISIBLE]
    return "".join(text[i] for i in kept), kept


def fold_digits(text: str) -> str:
    """Full-width and other Unicode decimal digits → ASCII digits (for parsing dates and numbers).

    >>> fold_digits("２０１７年１０月１８日")
    '2017年10月18日'
    """
    return "".join(str(unicodedata.digit(c)) if not c.isascii() and c.isdecimal() else c for c in text)


def is_traditional_hint(text: str) -> bool:
    """True when the text uses characters found only in Traditional Chinese news.

    A cheap hint (frequent traditional-only forms), not a classifier.

    >>> is_traditional_hint("依法治國，記者報導"), is_traditional_hint("依法治国")
    (True, False)
    """
    return bool(re.search("[國說們這對會時與為機從經動車長東體開門關發區]", text))


def strip_accents(text: str) -> str:
    """Pinyin without tone marks, for matching (``fǎ zhì`` → ``fa zhi``).

    >>> strip_accents("fǎ zhì lǜ")
    'fa zhi lu'
    """
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
