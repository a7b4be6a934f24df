"""Okapi BM25 over stemmed content words: an inverted index of NumPy arrays, so one query costs a few
vector operations per query term, even at 100k sentences."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from qa.text import content_stems


class BM25:
    """BM25 (k1, b) over a fixed list of texts."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        lists: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        lengths = np.zeros(len(texts), dtype=np.float32)
        for doc, text in enumerate(texts):
            terms = content_stems(text)
            lengths[doc] = len(terms)
            for term, tf in Counter(terms).items():
                docs, tfs = lists[term]
                docs.append(doc)
                tfs.append(tf)
        self.postings = {t: (np.array(d, dtype=np.int64), np.array(f, dtype=np.float32)) for t, (d, f) in lists.items()}
        self.n = len(texts)
        avg = float(lengths.mean()) if self.n else 0.0
        self._norm = k1 * (1 - b + b * lengths / (avg or 1.0))

    def idf(self, term: str) -> float:
        """Smoothed, always positive inverse document frequency (unknown terms get the maximum)."""
        df = len(self.postings[term][0]) if term in self.postings else 0
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document (0 where no query term occurs)."""
        out = np.zeros(self.n, dtype=np.float32)
        for term in set(content_stems(query)):
            if term in self.postings:
                docs, tfs = self.postings[term]
                out[docs] += self.idf(term) * tfs * (self.k1 + 1) / (tfs + self._norm[docs])
        return out

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        """The k best (document, score) pairs with a positive score, best first (ties by position)."""
        scores = self.scores(query)
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        return sorted(((int(d), float(scores[d])) for d in hits), key=lambda x: (-x[1], x[0]))
