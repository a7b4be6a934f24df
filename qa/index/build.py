"""Article -> sentences and passages -> embeddings -> Chroma; embeds only what the store lacks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from qa.index.embedding import WORKERS, Embedder, SharedEncoding
from qa.index.nlp import NLP_VERSION, Annotation, annotate
from qa.index.split import split_article
from qa.index.store import Store, collection_name
from qa.index.types import Article, Passage, Sentence


@dataclass(frozen=True)
class IndexedArticle:
    """An article with its passages, sentences and one embedding row per sentence."""

    article: Article
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    embeddings: np.ndarray = field(repr=False)
    collection: str
    annotations: tuple[Annotation, ...] = field(default=(), repr=False, compare=False)
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


def _metadata(article: Article, sentence: Sentence, annotation: Annotation) -> dict:
    return {
        "nlp": annotation.to_json(),
        "nlp_version": NLP_VERSION,
        "article_id": article.id,
        "index": sentence.index,
        "start": sentence.start,
        "end": sentence.end,
        "passage": sentence.passage_index,
        "title": article.title[:200],
        "source": article.source[:500],
    }


def build_index(
    article: Article, embedder: Embedder, store: Store, progress: bool = False, collection: str | None = None
) -> IndexedArticle:
    """Index an article: reuse stored embeddings and annotations; embed, annotate and upsert what is missing.

    `collection` overrides the content-derived collection name (the app reuses a few collections for uploads:
    Chroma never frees a collection's memory, even once it is deleted)."""
    passages, sentences = split_article(article)
    name = collection or collection_name(article.id, embedder.model_id)
    ids = [s.id for s in sentences]
    stored = store.get_records(name, ids) if ids else {}
    vectors = {i: vec for i, (vec, _) in stored.items()}
    notes = {
        i: Annotation.from_json(meta["nlp"])
        for i, (_, meta) in stored.items()
        if meta.get("nlp_version") == NLP_VERSION and "nlp" in meta
    }
    missing = [s for s in sentences if s.id not in vectors]
    unannotated = [s for s in sentences if s.id not in notes]
    # spaCy runs beside the embedding (onnxruntime and torch release the GIL), and its thread then helps
    # with the batches left to embed when the embedder can share them.
    texts = [s.text for s in missing]
    job = embedder.encoding(texts, progress) if missing and isinstance(embedder, SharedEncoding) else None

    def read() -> list[Annotation]:
        found = annotate([s.text for s in unannotated], progress=progress)
        if job is not None:
            job.work()
        return found

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-annotate") as pool:
        annotating = pool.submit(read) if unannotated else None
        if missing:
            if job is None:
                embedded = embedder.embed_documents(texts, progress=progress)
            else:  # this thread and, on more than two cores, helpers; spaCy's thread joins when it is done
                embedded = job.run(workers=max(1, WORKERS - 1) if annotating else WORKERS)
            vectors.update((s.id, v) for s, v in zip(missing, embedded, strict=True))
        if annotating is not None:
            notes.update((s.id, a) for s, a in zip(unannotated, annotating.result(), strict=True))
    if unannotated:
        store.upsert(
            name,
            [s.id for s in unannotated],
            np.stack([vectors[s.id] for s in unannotated]),
            [s.text for s in unannotated],
            [_metadata(article, s, notes[s.id]) for s in unannotated],
        )
    stale = store.ids(name) - set(ids) if missing else set()
    store.delete(name, sorted(stale))
    matrix = np.stack([vectors[i] for i in ids]) if ids else np.zeros((0, 384), dtype=np.float32)
    return IndexedArticle(
        article,
        tuple(passages),
        tuple(sentences),
        matrix,
        name,
        embedded=len(missing),
        annotations=tuple(notes[i] for i in ids),
    )
