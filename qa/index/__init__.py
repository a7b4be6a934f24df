"""Article indexing: load, split with offsets, embed, store in Chroma. Never imports `qa`."""

from qa.index.article import article_from_text, load_article
from qa.index.build import IndexedArticle, build_index
from qa.index.errors import QAError
from qa.index.types import Article, Passage, Sentence

__all__ = [
    "Article",
    "IndexedArticle",
    "Passage",
    "QAError",
    "Sentence",
    "article_from_text",
    "build_index",
    "load_article",
]
