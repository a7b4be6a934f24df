"""Word-by-word matching of a question against a candidate sentence over contextual MiniLM token vectors.

Each word-piece of the question is matched to its most similar token of the sentence ("MaxSim", as in
ColBERT; token rows from `index.tokens`), and of the sentence with its neighbours. A paraphrase keeps every
piece's match high; a near-miss question with one swapped name, number or word leaves that piece without a
good match even when the sentence vector is close. The content pieces (the question's words spaCy counts as
stop words aside) are also weighted by their rarity among the article's sentences, so a missing rare word
counts more than a missing common one; stop words get no weight there, as a question's own words ("what",
"did") are rarely in the article and would otherwise weigh most.

The noun of "what/which NOUN" is matched like any word, except that where spaCy knows the kind of answer it
names ("what year": a date, "which city": a place), a candidate holding an entity of that kind matches it
fully (`given`), as a sentence gives a year by instance ("1998"), not by the word.

Fitted on SQuAD 2.0 (8 whole articles, leave-one-article-out, `python -m qa.eval.calibrate`): answered right /
unanswerable refused 0.687 / 0.539 without these features, 0.706 / 0.560 with them (threshold 0.35; articles
cut to 4 paragraphs: 0.730 / 0.560). Recomputed offline from stored similarities, the noun left out gave
0.700 / 0.545 and matched as any word 0.706 / 0.563. Leaving it out answered 0.805 of the 149 answerable "what
NOUN" questions whose noun is not in the answer sentence, matching it 0.792, while the 284 unanswerable ones
whose noun has no known kind were refused 0.500 -> 0.581. So a two-sentence article's "What color was the
lighthouse painted?" against "... painted the lighthouse teal" is now refused ("color" / "teal": cosine 0.35).
Tried: rarity over all pieces 0.708 / 0.563 (the question's own words weighed most on news articles), content
pieces only 0.700 / 0.563.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import numpy as np

from qa.index.tokens import TokenTable

NAMES = (
    "token_mean",
    "token_min",
    "token_low2",
    "window_token_mean",
    "window_token_min",
    "token_weighted",
    "window_token_weighted",
    "token_worst",
    "window_token_worst",
)


def word_positions(pieces: list[str]) -> list[int]:
    """Positions of the pieces that hold a letter or digit (all of them when none does)."""
    return [i for i, p in enumerate(pieces) if any(ch.isalnum() for ch in p)] or list(range(len(pieces)))


def content_positions(pieces: list[str], stops: frozenset[str]) -> list[int]:
    """Positions of the word pieces that are neither stop words nor a word's continuation (##); all word
    pieces when none is left."""
    words = word_positions(pieces)
    return [i for i in words if pieces[i].lower() not in stops and not pieces[i].startswith("##")] or words


def window(position: int, count: int, apart: frozenset[int] = frozenset()) -> list[int]:
    """The sentence at `position` and its neighbours among `count`, leaving out a neighbour that stands `apart`
    (a photo's caption is no context for the story's sentence next to it)."""
    near = (position - 1, position, position + 1)
    return [p for p in near if 0 <= p < count and (p == position or p not in apart)]


class TokenMatcher:
    """MaxSim features of candidate sentences of one article; `word_pieces` tokenises texts as the encoder
    does (for the pieces' rarity, counted on first use)."""

    def __init__(
        self, tokens: TokenTable, sentences: list[str], word_pieces: Callable[[list[str]], list[list[str]]] | None
    ) -> None:
        self.tokens = tokens
        self.sentences = sentences
        self.word_pieces = word_pieces
        self.apart: frozenset[int] = frozenset()  # lines that are no context for their neighbours (captions)
        self._df: Counter[str] | None = None

    def window(self, position: int) -> list[int]:
        """The sentence and its neighbours (see `window`)."""
        return window(position, len(self.sentences), self.apart)

    def rarity(self, pieces: list[str]) -> np.ndarray:
        """Smoothed inverse document frequency of each piece over the article's sentences."""
        if self._df is None:
            found = self.word_pieces(self.sentences) if self.word_pieces else []
            self._df = Counter(p for sentence in found for p in set(sentence))
        n = len(self.sentences)
        return np.array([math.log(1.0 + (n - self._df[p] + 0.5) / (self._df[p] + 0.5)) for p in pieces])

    def best_matches(self, question: np.ndarray, positions: list[int]) -> dict[int, np.ndarray]:
        """For each candidate and its neighbours: each question piece's highest cosine with one of its tokens
        (one matrix product for all of them)."""
        near = sorted({p for pos in positions for p in self.window(pos)})
        found, starts = self.tokens.gather(near)
        # einsum, not `@`: a product this size goes to OpenBLAS's threads, which then spin on the other core
        # for a while and slowed the next question's embedding and search by ~7 ms (retrieval 11 -> 18 ms)
        sims = np.einsum("qd,td->qt", question, found)
        return {
            p: sims[:, a:b].max(axis=1) if b > a else np.zeros(len(question))
            for p, a, b in zip(near, starts[:-1], starts[1:], strict=True)
        }

    def features(
        self,
        pieces: list[str],
        rows: np.ndarray,
        positions: list[int],
        stops: frozenset[str],
        given: tuple[list[int], np.ndarray] = ([], np.zeros(0)),
    ) -> np.ndarray:
        """One row of NAMES per candidate position, then each column minus its best over the candidates
        (all 0 without token rows); `stops` are the question's stop words; `given` lists pieces that a
        candidate matches fully where its flag (one per candidate, 0 or 1) is set."""
        if not positions:
            return np.zeros((0, 2 * len(NAMES)), dtype=np.float32)
        out = np.zeros((len(positions), len(NAMES)), dtype=np.float32)
        words = word_positions(pieces)
        if words and len(self.tokens.rows):
            content = content_positions(pieces, stops)
            weights = np.zeros(len(pieces))
            weights[content] = self.rarity([pieces[i] for i in content])
            weights = weights[words] / (weights.sum() or 1.0)
            top = weights / (weights.max() or 1.0)
            best = self.best_matches(rows[words], positions)
            own = np.stack([best[pos] for pos in positions])  # candidates x question pieces
            window = np.stack([np.max([best[p] for p in self.window(q)], axis=0) for q in positions])
            kept = {i: k for k, i in enumerate(words)}
            for i in given[0]:
                if i in kept:
                    own[:, kept[i]] = np.maximum(own[:, kept[i]], given[1])
                    window[:, kept[i]] = np.maximum(window[:, kept[i]], given[1])
            low = np.sort(own, axis=1)
            out[:] = np.stack(
                [
                    own.mean(axis=1),
                    low[:, 0],
                    low[:, :2].mean(axis=1),
                    window.mean(axis=1),
                    window.min(axis=1),
                    own @ weights,
                    window @ weights,
                    (top * (1.0 - own)).max(axis=1),
                    (top * (1.0 - window)).max(axis=1),
                ],
                axis=1,
            )
        return np.concatenate([out, out - out.max(axis=0)], axis=1)
