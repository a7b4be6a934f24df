"""Frozen data types of the index: Article, Sentence, Passage.

Ids are derived from content hashes, never from counters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def content_id(*parts: object, length: int = 16) -> str:
    """Return a short, stable hex id hashed from `parts`."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:length]


@dataclass(frozen=True)
class Article:
    """A loaded article: canonical `text` is what every offset points into."""

    id: str
    title: str
    published: str | None
    source: str
    text: str

    @classmethod
    def create(cls, text: str, title: str = "", published: str | None = None, source: str = "") -> Article:
        """Build an Article whose id hashes what a reader is shown: its canonical text, title and date (so two
        uploads with one body and different titles are two articles)."""
        return cls(id=content_id(text, title, published), title=title, published=published, source=source, text=text)


@dataclass(frozen=True)
class Sentence:
    """One sentence; invariant: `article.text[start:end] == text`."""

    id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    passage_index: int = 0


@dataclass(frozen=True)
class Passage:
    """A paragraph or bullet block, with the ids of its sentences in order."""

    id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    sentence_ids: tuple[str, ...]
