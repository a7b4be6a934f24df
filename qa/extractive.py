"""The extractive engine: quote the one to three best-covering sentences verbatim, or refuse."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.build import IndexedArticle
from qa.evidence import EvidenceScorer, Focus
from qa.prompts import REFUSAL
from qa.text import answer_type, has_answer_type
from qa.types import Answer, Citation, Hit

SCORE_MARGIN = 0.12


@dataclass(frozen=True)
class Candidate:
    """One scored evidence sentence."""

    position: int
    dense: float
    coverage: float
    typed: bool

    @property
    def score(self) -> float:
        """Ranking score: meaning and focus coverage weigh equally."""
        return 0.5 * self.dense + 0.5 * self.coverage


@dataclass(frozen=True)
class Thresholds:
    """Refusal thresholds, calibrated on the eval set."""

    min_coverage: float = 0.62
    min_similarity: float = 0.25
    max_sentences: int = 3


class ExtractiveEngine:
    """Answers by quoting article sentences; grounded by construction."""

    name = "extractive"

    def __init__(self, indexed: IndexedArticle, scorer: EvidenceScorer, thresholds: Thresholds) -> None:
        self.indexed = indexed
        self.scorer = scorer
        self.thresholds = thresholds

    def candidates(self, question: str, query: str, hits: list[Hit]) -> list[Candidate]:
        """Score the retrieved sentences against the (rewritten) question, best first."""
        focus: Focus = self.scorer.focus(query)
        kind = answer_type(question)
        qvec = self.scorer.embedder.embed_query(query)
        positions = [self.indexed.position(h.sentence_id) for h in hits]
        dense = self.indexed.embeddings[positions] @ qvec if positions else np.zeros(0)
        out = []
        for pos, sim in zip(positions, dense, strict=True):
            window = " ".join(s.text for s in self.indexed.sentences[max(pos - 1, 0) : pos + 2])
            typed = has_answer_type(kind, self.indexed.sentences[pos].text) or has_answer_type(kind, window)
            out.append(Candidate(pos, float(sim), self.scorer.coverage(focus, pos), typed))
        return sorted(out, key=lambda c: (-c.score, c.position))

    def accepts(self, candidate: Candidate) -> bool:
        """True when a candidate is strong enough evidence to answer with."""
        t = self.thresholds
        return candidate.typed and candidate.coverage >= t.min_coverage and candidate.dense >= t.min_similarity

    def select(self, candidates: list[Candidate]) -> list[int]:
        """Positions to quote, in article order; empty means refuse."""
        accepted = [c for c in candidates if self.accepts(c)]
        if not accepted:
            return []
        best = accepted[0]
        chosen = [best.position]
        for c in accepted[1:]:
            if len(chosen) < self.thresholds.max_sentences and c.score >= best.score - SCORE_MARGIN:
                chosen.append(c.position)
        chosen.extend(self._list_items(best.position, chosen))
        return sorted(set(chosen))

    def _list_items(self, position: int, chosen: list[int]) -> list[int]:
        """A sentence that announces a list (ends with ':') brings the items after it."""
        sentences = self.indexed.sentences
        if not sentences[position].text.rstrip().endswith(":"):
            return []
        room = self.thresholds.max_sentences - len(chosen)
        return [p for p in range(position + 1, min(position + 1 + room, len(sentences)))]

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer:
        """Quote the chosen sentences with markers, or refuse with the constant message."""
        positions = self.select(self.candidates(question, query, hits))
        if not positions:
            return Answer(
                question=question, text=REFUSAL, refused=True, engine=self.name, query=query, hits=tuple(hits)
            )
        citations = []
        parts = []
        for marker, pos in enumerate(positions, start=1):
            s = self.indexed.sentences[pos]
            citations.append(Citation(marker=marker, sentence_id=s.id, start=s.start, end=s.end, quote=s.text))
            parts.append(f"{s.text} [{marker}]")
        return Answer(
            question=question,
            text=" ".join(parts),
            citations=tuple(citations),
            engine=self.name,
            query=query,
            hits=tuple(hits),
        )
