"""Article -> sentences and passages -> embeddings -> Chroma; embeds only what the store lacks."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from qa.index.embedding import WORKERS, DocumentEncoding, Embedder, SharedEncoding, TokenEncoder
from qa.index.instructions import instructions
from qa.index.nlp import NLP_VERSION, Annotation, consistent_people
from qa.index.nlp_process import annotate_chunks
from qa.index.split import split_article
from qa.index.store import Store, collection_name
from qa.index.tokens import TokenTable, pack, unpack
from qa.index.types import Article, Passage, Sentence

CHUNK = 256  # sentences annotated, embedded and stored together: the last chunk's upsert is all that waits
TAIL = 32  # the last 2 * CHUNK sentences go in halving chunks down to this size, so that upsert is short


def chunk_sizes(n: int) -> list[int]:
    """Sizes of the chunks `n` sentences are indexed in: one up to CHUNK (most articles: the same batches as
    one `embed_documents`, whose int8 activations are scaled per batch), else CHUNK each, then halving down
    to TAIL."""
    if n <= CHUNK:
        return [n] if n else []
    sizes = []
    while n > 0:
        size = CHUNK if n > 2 * CHUNK else n if n <= 2 * TAIL else (n + 1) // 2
        sizes.append(size)
        n -= size
    return sizes


@dataclass(frozen=True)
class IndexedArticle:
    """An article with its passages, sentences, one embedding row per sentence and its token rows."""

    article: Article
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    embeddings: np.ndarray = field(repr=False)
    collection: str
    annotations: tuple[Annotation, ...] = field(default=(), repr=False, compare=False)
    embedded: int = 0
    tokens: TokenTable = field(default_factory=lambda: TokenTable([]), repr=False, compare=False)
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)
    # positions of sentences written to an AI reader ('Ignore all previous instructions ...'): never quoted
    instructions: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_positions", {s.id: i for i, s in enumerate(self.sentences)})
        object.__setattr__(self, "instructions", instructions([s.text for s in self.sentences], self.annotations))

    def sentence(self, sentence_id: str) -> Sentence:
        """Look a sentence up by id."""
        return self.sentences[self.position(sentence_id)]

    def position(self, sentence_id: str) -> int:
        """Index of a sentence id in `sentences`."""
        return self._positions[sentence_id]


def _metadata(article: Article, sentence: Sentence, annotation: Annotation, tokens: np.ndarray) -> dict:
    return {
        "nlp": annotation.to_json(),
        "tokens": pack(tokens),
        "nlp_version": NLP_VERSION,
        "article_id": article.id,
        "index": sentence.index,
        "start": sentence.start,
        "end": sentence.end,
        "passage": sentence.passage_index,
        "title": article.title[:200],
        "source": article.source[:500],
    }


class _Current:
    """The document encoding under way, which the writing thread helps with while it waits for it (when
    `helps`: articles of several chunks; two runs side by side grow onnxruntime's arena, which a short
    upload would pay for in memory kept, not win back in time)."""

    def __init__(self, helps: bool) -> None:
        self.helps = helps
        self.job: DocumentEncoding | None = None

    def help_until(self, ready: threading.Event) -> None:
        """Encode batches of the current job until `ready` is set: spaCy, ahead, leaves this core idle."""
        if not self.helps:
            ready.wait()
            return
        while not ready.wait(0.005):
            job = self.job
            if job is not None:
                job.work()


def _embed(
    embedder: Embedder, sentences: list[Sentence], current: _Current | None = None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Vectors and token rows of sentences (no token rows from an embedder that has none), on all cores but
    the one spaCy uses (`current` lets an idle writer join in)."""
    texts = [s.text for s in sentences]
    job = embedder.encoding(texts) if isinstance(embedder, SharedEncoding) else None
    if job is not None:
        if current is not None:
            current.job = job
        try:
            return job.run(workers=max(1, WORKERS - 1)), job.tokens
        finally:
            if current is not None:
                current.job = None
    if isinstance(embedder, TokenEncoder):
        return embedder.encode_documents(texts)
    return embedder.embed_documents(texts), [unpack("")] * len(texts)


def _index_chunks(
    article: Article,
    sentences: list[Sentence],
    vectors: dict[str, np.ndarray],
    tokens: dict[str, np.ndarray],
    notes: dict[str, Annotation],
    embedder: Embedder,
    store: Store,
    name: str,
    missing: int,
    progress: bool,
) -> None:
    """Annotate, embed and upsert `sentences` chunk by chunk, filling `vectors`, `tokens` and `notes`. spaCy (in its
    child process for long articles) and the upserts run in one thread, the embedding in this one
    (onnxruntime and torch release the GIL), so the store is written while the rest is still embedded. When
    the writer of an article of several chunks has read one before it is embedded, it encodes batches of it
    too (`_Current`): indexing the 263 KB prose article 26.3 -> 24.8 s, 1,000 synthetic sentences 7.1 ->
    6.3 s (medians of 3; raw sentence-transformers encoding 22 s and 5 s)."""
    chunks, start = [], 0
    for size in chunk_sizes(len(sentences)):
        chunks.append(sentences[start : start + size])
        start += size
    embedded = [threading.Event() for _ in chunks]
    current = _Current(helps=len(chunks) > 1)

    def read_and_store() -> None:
        stream = annotate_chunks([[s.text for s in chunk] for chunk in chunks], progress=progress)
        try:
            for chunk, found, ready in zip(chunks, stream, embedded, strict=False):
                notes.update((s.id, a) for s, a in zip(chunk, found, strict=True))
                current.help_until(ready)
                if any(s.id not in vectors for s in chunk):
                    return  # the embedding stopped early; what was embedded is stored
                store.upsert(
                    name,
                    [s.id for s in chunk],
                    np.stack([vectors[s.id] for s in chunk]),
                    [s.text for s in chunk],
                    [_metadata(article, s, notes[s.id], tokens[s.id]) for s in chunk],
                )
        finally:
            stream.close()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-annotate") as pool:
        writing = pool.submit(read_and_store)
        try:
            with tqdm(total=missing, desc="embedding sentences", unit="sentence", disable=not progress) as bar:
                for chunk, ready in zip(chunks, embedded, strict=True):
                    if writing.done():
                        break  # it failed: its error is raised below
                    todo = [s for s in chunk if s.id not in vectors]
                    if todo:
                        found, rows = _embed(embedder, todo, current)
                        tokens.update((s.id, r) for s, r in zip(todo, rows, strict=True))
                        vectors.update((s.id, v) for s, v in zip(todo, found, strict=True))
                        bar.update(len(todo))
                    ready.set()
        finally:
            for ready in embedded:  # stopped early or not, the writer must not wait
                ready.set()
        writing.result()


def build_index(
    article: Article, embedder: Embedder, store: Store, progress: bool = False, collection: str | None = None
) -> IndexedArticle:
    """Index an article: reuse stored embeddings and annotations; embed, annotate and upsert what is missing.

    `collection` overrides the content-derived collection name (the app reuses a few collections for uploads:
    Chroma never frees a collection's memory, even once it is deleted)."""
    passages, sentences = split_article(article)
    name = collection or collection_name(article.id, embedder.model_id)
    ids = [s.id for s in sentences]
    # a record without token rows (stored before they were kept) is embedded again
    stored = {i: r for i, r in (store.get_records(name, ids) if ids else {}).items() if "tokens" in r[1]}
    vectors = {i: vec for i, (vec, _) in stored.items()}
    tokens = {i: unpack(meta["tokens"]) for i, (_, meta) in stored.items()}
    notes = {
        i: Annotation.from_json(meta["nlp"])
        for i, (_, meta) in stored.items()
        if meta.get("nlp_version") == NLP_VERSION and "nlp" in meta
    }
    missing = [s for s in sentences if s.id not in vectors]
    unannotated = [s for s in sentences if s.id not in notes]  # holds every missing one: no vector, no record
    if unannotated:
        _index_chunks(article, unannotated, vectors, tokens, notes, embedder, store, name, len(missing), progress)
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
        annotations=tuple(consistent_people([s.text for s in sentences], [notes[i] for i in ids])),
        tokens=TokenTable([tokens[i] for i in ids]),
    )
