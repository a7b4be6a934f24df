"""How well a sentence (with its neighbours) covers a question's focus: stemmed or near-synonym words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.build import IndexedArticle
from index.embedding import Embedder
from qa.bm25 import BM25
from qa.text import is_stopword, stem, words

NEIGHBOUR_WEIGHT = 0.8


@dataclass(frozen=True)
class Focus:
    """A question's focus: unique content stems, one surface word each, and their weights."""

    stems: tuple[str, ...]
    surface: tuple[str, ...]
    weights: tuple[float, ...]


class EvidenceScorer:
    """Scores sentences of one article against a question's focus words."""

    def __init__(self, indexed: IndexedArticle, bm25: BM25, embedder: Embedder, soft_match: float = 0.6) -> None:
        self.indexed = indexed
        self.bm25 = bm25
        self.embedder = embedder
        self.soft_match = soft_match
        self.sentence_words = [{stem(w): w for w in words(s.text) if not is_stopword(w)} for s in indexed.sentences]

    def focus(self, question: str) -> Focus:
        """Content stems of the question, weighted by their rarity in the article."""
        seen: dict[str, str] = {}
        for w in words(question):
            if not is_stopword(w) and (len(w) > 1 or w.isdigit()):
                seen.setdefault(stem(w), w)
        stems = tuple(seen)
        return Focus(stems, tuple(seen.values()), tuple(self.bm25.idf(s) for s in stems))

    def coverage(self, focus: Focus, position: int) -> float:
        """Weighted share of focus terms found in the sentence (1), a neighbour (0.8) or as a synonym."""
        if not focus.stems:
            return 0.0
        total = sum(focus.weights)
        got = sum(w * m for w, m in zip(focus.weights, self.matches(focus, position), strict=True))
        return got / total if total else 0.0

    def matches(self, focus: Focus, position: int) -> list[float]:
        """Per focus term: how well the sentence at `position` (or a neighbour) matches it, 0..1."""
        own = self.sentence_words[position]
        near = [self.sentence_words[p] for p in (position - 1, position + 1) if 0 <= p < len(self.sentence_words)]
        out = []
        unmatched = []
        for i, s in enumerate(focus.stems):
            if s in own:
                out.append(1.0)
            elif any(s in n for n in near):
                out.append(NEIGHBOUR_WEIGHT)
            else:
                out.append(0.0)
                unmatched.append(i)
        if unmatched:
            soft = self._soft(
                [focus.surface[i] for i in unmatched], list(own.values()), [w for n in near for w in n.values()]
            )
            for i, value in zip(unmatched, soft, strict=True):
                out[i] = value
        return out

    def _soft(self, terms: list[str], own: list[str], near: list[str]) -> list[float]:
        """Synonym matches through word embeddings: the best cosine at or above the threshold, else 0."""
        if not own and not near:
            return [0.0] * len(terms)
        vectors = self.embedder.embed_many_cached(terms + own + near)
        term_vecs, own_vecs, near_vecs = np.split(vectors, [len(terms), len(terms) + len(own)])
        scores = []
        for vec in term_vecs:
            best = 0.0
            for group, factor in ((own_vecs, 1.0), (near_vecs, NEIGHBOUR_WEIGHT)):
                if len(group):
                    top = float((group @ vec).max())
                    best = max(best, factor * top if top >= self.soft_match else 0.0)
            scores.append(best)
        return scores
