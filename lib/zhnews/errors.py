"""The library's exceptions: each names the file and says what was expected.

The command line turns any :class:`ZhnewsError` into one readable line on stderr and a non-zero
exit status; notebooks let them surface as they are.
"""

from __future__ import annotations


class ZhnewsError(Exception):
    """Base class of every error the library raises on purpose."""


class ArticleError(ZhnewsError):
    """An article file cannot be used.

    >>> str(ArticleError("data/x.txt", "the file is empty", "a UTF-8 text of a news article"))
    'data/x.txt: the file is empty; expected a UTF-8 text of a news article'
    """

    def __init__(self, path: object, problem: str, expected: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.expected = expected
        message = f"{self.path}: {problem}"
        if expected:
            message += f"; expected {expected}"
        super().__init__(message)


class ArticleNotFoundError(ArticleError, FileNotFoundError):
    """The path does not exist or is not a regular file."""


class ArticleEncodingError(ArticleError):
    """The bytes are not UTF-8 text (GBK, UTF-16, binary …)."""


class ArticleFormatError(ArticleError):
    """The text is readable but is not a Chinese news article (empty, HTML, no Chinese …)."""
