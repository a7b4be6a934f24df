"""Article indexing: load, split with offsets, embed, store in Chroma. Never imports `qa`.

Names are imported lazily: the spaCy child process (`qa.index.nlp_process`) starts without the index
builder, NumPy's first users or tqdm.
"""

from __future__ import annotations

from qa.index.lazy import lazy_exports

_EXPORTS = {
    "Article": "qa.index.types",
    "IndexedArticle": "qa.index.build",
    "Passage": "qa.index.types",
    "QAError": "qa.index.errors",
    "Sentence": "qa.index.types",
    "article_from_text": "qa.index.article",
    "build_index": "qa.index.build",
    "load_article": "qa.index.article",
}
__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports("qa.index", _EXPORTS)
