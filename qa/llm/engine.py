"""The llm engine: a chat model answers from numbered candidate sentences; every sentence is verified."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.language_models import BaseChatModel

from qa.index.build import IndexedArticle
from qa.index.types import Sentence
from qa.llm.citations import parse_citations
from qa.llm.prompts import ANSWER_TEMPLATE
from qa.llm.support import SupportChecker
from qa.llm.verify import verify
from qa.types import Answer, Engine, Hit, marker

FALLBACK = "llm→extractive"


def _content(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content)


class LLMEngine:
    """Any LangChain chat model, guarded: unsupported sentences are removed, nothing left means extractive."""

    name = "llm"

    def __init__(
        self, indexed: IndexedArticle, model: BaseChatModel, checker: SupportChecker, fallback: Engine
    ) -> None:
        self.indexed = indexed
        self.model = model
        self.checker = checker
        self.fallback = fallback

    def candidates(self, hits: list[Hit]) -> list[Sentence]:
        """Retrieved sentences in article order (the model sees them numbered 1..n)."""
        return sorted((self.indexed.sentence(h.sentence_id) for h in hits), key=lambda s: s.index)

    def messages(self, query: str, candidates: list[Sentence]) -> list[Any]:
        """System rules plus the delimited, numbered sentences and question."""
        numbered = "\n".join(f"{marker(i)} {' '.join(s.text.split())}" for i, s in enumerate(candidates, start=1))
        return ANSWER_TEMPLATE.format_messages(sentences=numbered, question=" ".join(query.split()))

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer:
        """Ask the model, then verify its answer."""
        candidates = self.candidates(hits)
        raw = _content(self.model.invoke(self.messages(query, candidates)))
        return self.finish(question, query, hits, candidates, raw)

    def stream(self, question: str, query: str, hits: list[Hit]) -> Iterator[str | Answer]:
        """Yield the model's text as it comes, then the verified Answer."""
        candidates = self.candidates(hits)
        raw = ""
        for chunk in self.model.stream(self.messages(query, candidates)):
            delta = _content(chunk)
            raw += delta
            if delta:
                yield delta
        yield self.finish(question, query, hits, candidates, raw)

    def finish(self, question: str, query: str, hits: list[Hit], candidates: list[Sentence], raw: str) -> Answer:
        """Parse and verify a raw model answer; when nothing supported is left (or the model refused), the
        extractive answer, which is grounded by construction, decides; a refusal both agree on stays llm's."""
        parsed = parse_citations(raw, len(candidates))
        verified = verify(parsed, candidates, self.checker)
        if not verified.citations:
            extractive = self.fallback.answer(question, query, hits)
            if parsed.refused and extractive.refused:
                return extractive.model_copy(update={"engine": self.name})
            return extractive.model_copy(update={"engine": FALLBACK, "removed": verified.removed})
        return Answer(
            question=question,
            text=verified.text,
            citations=verified.citations,
            engine=self.name,
            query=query,
            hits=tuple(hits),
            removed=verified.removed,
        )
