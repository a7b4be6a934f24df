"""Errors a user can cause while loading or indexing an article.

`QAError` is the root of every user-facing error; `qa` re-exports it as `qa.QAError`.
"""


class QAError(Exception):
    """An error caused by user input; its message says what to do."""


class ArticleNotFoundError(QAError):
    """The article file does not exist or is not a file."""


class ArticleDecodeError(QAError):
    """The article is binary or not UTF-8 text."""


class EmptyArticleError(QAError):
    """The article holds no readable text."""


class ArticleTooLargeError(QAError):
    """The article is larger than the configured limit."""


class UnsupportedFormatError(QAError):
    """The file type is not one of .txt, .md or .html."""


class StoreError(QAError):
    """The vector store is unreachable, corrupt or incompatible."""
