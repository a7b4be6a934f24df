"""Article -> sentences and passages -> embeddings -> Chroma; embeds only what the store lacks."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index.embedding import Embedder
from index.split import split_article
from index.store import ChromaStore, collection_name
from index.types import Article, Passage, Sentence


@dataclass(frozen=True)
class IndexedArticle:
    """An article with its passages, sentences and one embedding row per sentence."""

    article: Article
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    embeddings: np.ndarray = field(repr=False)
    collection: str
    embedded: int = 0
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_positions", {s.id: i for i, s in enumerate(self.sentences)})

    def sentence(self, sentence_id: str) -> Sentence:
        """Look a sentence up by id."""
        return self.sentences[self.position(sentence_id)]

    def position(self, sentence_id: str) -> int:
        """Index of a sentence id in `sentences`."""
        return self._positions[sentence_id]


def _metadata(article: Article, sentence: Sentence) -> dict:
    return {
        "article_id": article.id,
        "index": sentence.index,
        "start": sentence.start,
        "end": sentence.end,
        "passage": sentence.passage_index,
        "title": article.title[:200],
    }


CHUNK = 256


def _embed_and_store(
    article: Article, missing: list[Sentence], embedder: Embedder, store: ChromaStore, name: str, progress: bool
) -> dict[str, np.ndarray]:
    """Embed in length-sorted chunks (little padding); each chunk is stored while the next is embedded."""
    from concurrent.futures import ThreadPoolExecutor

    from tqdm import tqdm

    vectors: dict[str, np.ndarray] = {}
    ordered = sorted(missing, key=lambda s: len(s.text))
    chunks = [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending = []
        for chunk in tqdm(chunks, desc="embedding", unit="chunk", disable=not progress or len(chunks) < 2):
            embedded = embedder.embed_documents([s.text for s in chunk])
            vectors.update((s.id, v) for s, v in zip(chunk, embedded, strict=True))
            meta = [_metadata(article, s) for s in chunk]
            pending.append(
                writer.submit(store.upsert, name, [s.id for s in chunk], embedded, [s.text for s in chunk], meta)
            )
        for future in pending:
            future.result()
    return vectors


def build_index(article: Article, embedder: Embedder, store: ChromaStore, progress: bool = False) -> IndexedArticle:
    """Index an article: reuse stored embeddings, embed and upsert only the missing sentences."""
    passages, sentences = split_article(article)
    name = collection_name(article.id, embedder.model_id)
    ids = [s.id for s in sentences]
    stored = store.get_embeddings(name, ids) if ids else {}
    missing = [s for s in sentences if s.id not in stored]
    if missing:
        vectors = embedder.embed_documents([s.text for s in missing], progress=progress)
        store.upsert(
            name,
            [s.id for s in missing],
            vectors,
            [s.text for s in missing],
            [_metadata(article, s) for s in missing],
        )
        stored.update({s.id: v for s, v in zip(missing, vectors, strict=True)})
    stale = store.ids(name) - set(ids) if missing else set()
    store.delete(name, sorted(stale))
    matrix = np.stack([stored[i] for i in ids]) if ids else np.zeros((0, 384), dtype=np.float32)
    return IndexedArticle(article, tuple(passages), tuple(sentences), matrix, name, embedded=len(missing))
