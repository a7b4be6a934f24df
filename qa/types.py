"""Frozen answer types (Citation, ShortAnswer, Hit, Answer) and the Engine protocol every engine implements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

MARKER = re.compile(r"\[(\d+)\]")


def marker(number: int) -> str:
    """The citation marker as written in answer text: [1], [2], ..."""
    return f"[{number}]"


def markers_in(text: str) -> list[int]:
    """The marker numbers written in a text, in order."""
    return [int(m) for m in MARKER.findall(text)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Frozen):
    """A cited span; invariant: `quote == article.text[start:end]`."""

    marker: int = Field(description="1-based marker number as written in Answer.text, e.g. 1 for [1]")
    sentence_id: str
    start: int
    end: int
    quote: str


class ShortAnswer(_Frozen):
    """The answer span (a name, date, number or phrase) inside a cited sentence; `text == article.text[start:end]`."""

    text: str
    start: int
    end: int
    marker: int = Field(description="the citation whose sentence holds the span")


class Hit(_Frozen):
    """One retrieved sentence with its fused and component scores."""

    sentence_id: str
    start: int
    end: int
    text: str
    score: float = Field(description="reciprocal-rank fusion score")
    dense: float | None = Field(default=None, description="cosine similarity, if ranked by the dense retriever")
    bm25: float | None = Field(default=None, description="BM25 score, if ranked by the lexical retriever")


class Answer(_Frozen):
    """An answer whose `text` carries markers [1], [2] mapping 1-based to `citations`."""

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    refused: bool = False
    engine: str = "extractive"
    query: str = Field(description="the (possibly rewritten) query that was actually searched")
    hits: tuple[Hit, ...] = ()
    timings: dict[str, float] = Field(default_factory=dict, description="milliseconds per stage")
    confidence: float | None = Field(default=None, description="calibrated probability that the answer is right")
    short: ShortAnswer | None = Field(default=None, description="the answer span inside a cited sentence")
    removed: tuple[str, ...] = Field(default=(), description="model sentences the verifier removed (llm engine)")


class Engine(Protocol):
    """An answer engine: turns retrieved hits into a cited Answer, whole or streamed."""

    name: str

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer:
        """Answer `question` (searched as `query`) from `hits`."""
        ...

    def stream(self, question: str, query: str, hits: list[Hit]) -> Iterator[str | Answer]:
        """Text deltas, then the final Answer."""
        ...


def answer_pieces(answer: Answer) -> Iterator[str | Answer]:
    """Stream a finished answer: one delta per quoted sentence with its marker, then the Answer itself."""
    pieces = [f"{c.quote} {marker(c.marker)}" for c in answer.citations] or [answer.text]
    for i, piece in enumerate(pieces):
        yield piece if i == 0 else " " + piece
    yield answer
