"""The extractive engine: quote the one to three best-covering sentences verbatim, or refuse."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index.build import IndexedArticle
from qa.evidence import EvidenceScorer, Focus, asking_part
from qa.prompts import REFUSAL
from qa.text import answer_type, has_answer_type
from qa.types import Answer, Citation, Hit

SCORE_MARGIN = 0.12
_PRONOUN = re.compile(r"\b(?:he|she|they|he's|she's|they're|his|her|their|him|them)\b", re.IGNORECASE)
_DOC = r"(?:article|story|piece|report|release|post|text)"
_PUBLISHED = re.compile(
    rf"\bwhen (?:was|is) (?:the|this) {_DOC}\b|\bdate (?:of|on) (?:the|this) {_DOC}\b"
    rf"|\b{_DOC}\b.*\b(?:published|written|issued|released|posted|dated)\b",
    re.IGNORECASE,
)
_HEADLINE = re.compile(rf"\b(?:headline|title)\b(?: of (?:the|this) {_DOC})?", re.IGNORECASE)


def about_the_article(question: str, indexed: IndexedArticle) -> list[int]:
    """Questions about the article itself (its date, its headline): the sentence that states it."""
    article = indexed.article
    if _PUBLISHED.search(question) and article.published:
        return [s.index for s in indexed.sentences if article.published in s.text][:1]
    if _HEADLINE.search(question) and article.title:
        return [s.index for s in indexed.sentences if s.text.strip() == article.title.strip()][:1]
    return []


@dataclass(frozen=True)
class Candidate:
    """One scored evidence sentence."""

    position: int
    dense: float
    coverage: float
    typed: bool
    anchored: bool = True

    @property
    def score(self) -> float:
        """Evidence strength: focus coverage plus half the meaning similarity."""
        return self.coverage + 0.5 * self.dense


@dataclass(frozen=True)
class Thresholds:
    """Refusal thresholds, calibrated on the eval set."""

    min_score: float = 0.84
    min_coverage: float = 0.4
    min_similarity: float = 0.2
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
        anchor = self.scorer.anchor(focus, question)
        kind = answer_type(asking_part(question))
        qvec = self.scorer.embedder.embed_query(query)
        positions = [self.indexed.position(h.sentence_id) for h in hits]
        dense = self.indexed.embeddings[positions] @ qvec if positions else np.zeros(0)
        out = []
        for pos, sim in zip(positions, dense, strict=True):
            matches = self.scorer.matches(focus, pos)
            coverage = self.scorer.coverage_of(focus, matches)
            typed = has_answer_type(kind, self.indexed.sentences[pos].text)
            anchored = anchor is None or matches[anchor] == 1.0 or self._refers_back(pos, focus.stems[anchor])
            out.append(Candidate(pos, float(sim), coverage, typed, anchored))
        return sorted(out, key=lambda c: (-c.score, c.position))

    def _refers_back(self, position: int, name_stem: str) -> bool:
        """A sentence with a third-person pronoun right after one naming the anchor refers to it."""
        if position == 0 or not _PRONOUN.search(self.indexed.sentences[position].text):
            return False
        return self.scorer.matches_name(name_stem, position - 1)

    def accepts(self, candidate: Candidate) -> bool:
        """True when a candidate is strong enough evidence to answer with."""
        t = self.thresholds
        strong = candidate.score >= t.min_score and candidate.coverage >= t.min_coverage
        strong = strong and candidate.dense >= t.min_similarity
        return strong and candidate.typed and candidate.anchored

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
        positions = about_the_article(question, self.indexed) or self.select(self.candidates(question, query, hits))
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
