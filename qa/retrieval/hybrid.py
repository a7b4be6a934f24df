"""Hybrid retrieval: Chroma dense search plus stemmed BM25, fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass

from qa.index.build import IndexedArticle
from qa.index.embedding import Embedder
from qa.index.store import Store
from qa.retrieval.bm25 import BM25
from qa.types import Hit


def rrf(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """Reciprocal rank fusion of several best-first id lists."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused


@dataclass(frozen=True)
class HybridSearch:
    """Sentences of one indexed article, ranked by dense + BM25 reciprocal rank fusion (as a LangChain
    retriever: `qa.integrations.LangChainRetriever`, or `Assistant.retriever`)."""

    indexed: IndexedArticle
    embedder: Embedder
    store: Store
    bm25: BM25
    k: int = 8
    rrf_k: int = 60

    @classmethod
    def build(
        cls,
        indexed: IndexedArticle,
        embedder: Embedder,
        store: Store,
        k: int = 8,
        rrf_k: int = 60,
        bm25: BM25 | None = None,
    ) -> HybridSearch:
        """Search over an indexed article (builds its BM25 index unless one is given)."""
        bm25 = bm25 if bm25 is not None else BM25([s.text for s in indexed.sentences])
        return cls(indexed=indexed, embedder=embedder, store=store, bm25=bm25, k=k, rrf_k=rrf_k)

    def search(self, query: str, k: int | None = None) -> list[Hit]:
        """The k best sentences for `query`, best first."""
        k = k or self.k
        depth = max(3 * k, 30)
        vector = self.embedder.embed_query(query)
        dense = self.store.query(self.indexed.collection, vector, depth)
        lexical = self.bm25.top(query, depth)
        sentences = self.indexed.sentences
        lexical_ids = [sentences[i].id for i, _ in lexical]
        fused = rrf([[i for i, _ in dense], lexical_ids], self.rrf_k)
        dense_of, bm25_of = dict(dense), {sentences[i].id: s for i, s in lexical}
        quotable = [i for i in fused if self.indexed.position(i) not in self.indexed.instructions]
        best = sorted(quotable, key=lambda i: (-fused[i], self.indexed.position(i)))[:k]
        hits = []
        for sid in best:
            s = self.indexed.sentence(sid)
            hits.append(
                Hit(
                    sentence_id=sid,
                    start=s.start,
                    end=s.end,
                    text=s.text,
                    score=round(fused[sid], 6),
                    dense=_round(dense_of.get(sid)),
                    bm25=_round(bm25_of.get(sid)),
                )
            )
        return hits


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
