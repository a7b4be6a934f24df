"""Okapi BM25 over stemmed content words, with an inverted index so queries touch only matching sentences."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from qa.text import content_stems


class BM25:
    """BM25 (k1, b) over a fixed list of texts; `scores` returns only documents that share a term."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.lengths: list[int] = []
        for doc, text in enumerate(texts):
            terms = content_stems(text)
            self.lengths.append(len(terms))
            for term, tf in Counter(terms).items():
                self.postings[term].append((doc, tf))
        self.n = len(texts)
        self.avg_len = (sum(self.lengths) / self.n) if self.n else 0.0

    def idf(self, term: str) -> float:
        """Smoothed, always positive inverse document frequency (unknown terms get the maximum)."""
        df = len(self.postings.get(term, ()))
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> dict[int, float]:
        """BM25 score of every document that contains at least one query term."""
        out: dict[int, float] = defaultdict(float)
        for term in set(content_stems(query)):
            idf = self.idf(term)
            for doc, tf in self.postings.get(term, ()):
                norm = self.k1 * (1 - self.b + self.b * self.lengths[doc] / (self.avg_len or 1))
                out[doc] += idf * tf * (self.k1 + 1) / (tf + norm)
        return dict(out)

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """The k best (document, score) pairs, best first."""
        return sorted(self.scores(query).items(), key=lambda x: (-x[1], x[0]))[:k]
