"""User-facing errors; every one is a `QAError` whose message says what to do."""

from qa.index.errors import (
    ArticleDecodeError,
    ArticleNotFoundError,
    ArticleTooLargeError,
    EmptyArticleError,
    QAError,
    StoreError,
    UnsupportedFormatError,
)


class ArticleExpiredError(QAError):
    """A session's article was unloaded after going unused; it must be given again."""


class UploadLocationError(QAError):
    """A file outside the app's upload directory was offered as an upload."""


class EmptyQuestionError(QAError):
    """The question is empty or whitespace."""


class InvalidQuestionError(QAError):
    """The question is not text (bytes, a number, a dict...) or holds characters that are not valid Unicode."""


class QuestionTooLongError(QAError):
    """The question is longer than the configured limit."""


class InvalidHistoryError(QAError):
    """The history is not a list of {'role', 'content'} messages."""


class EngineError(QAError):
    """The configured answer engine cannot be used (missing extra, unreachable server)."""


__all__ = [
    "ArticleDecodeError",
    "ArticleExpiredError",
    "ArticleNotFoundError",
    "ArticleTooLargeError",
    "EmptyArticleError",
    "EmptyQuestionError",
    "EngineError",
    "InvalidHistoryError",
    "InvalidQuestionError",
    "QAError",
    "QuestionTooLongError",
    "StoreError",
    "UnsupportedFormatError",
    "UploadLocationError",
]
