"""Article indexing: load, split with offsets, embed, store in Chroma. Never imports `qa`."""

from index.article import article_from_text, load_article
from index.build import IndexedArticle, build_index
from index.errors import QAError
from index.types import Article, Passage, Sentence

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
