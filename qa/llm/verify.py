"""Verification of a model answer: keep only statements their cited sentences support."""

from __future__ import annotations

from dataclasses import dataclass

from qa.index.types import Sentence
from qa.llm.citations import ParsedAnswer
from qa.llm.support import SupportChecker
from qa.types import Citation, marker


@dataclass(frozen=True)
class Verified:
    """Supported statements rendered with markers, their citations, and what was removed."""

    text: str
    citations: tuple[Citation, ...]
    removed: tuple[str, ...]


def verify(parsed: ParsedAnswer, candidates: list[Sentence], checker: SupportChecker) -> Verified:
    """Drop statements without a valid citation or without support; renumber markers 1..n."""
    markers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    removed: list[str] = []
    for statement in parsed.statements:
        cited = [candidates[n - 1] for n in statement.cited]
        if not cited or not checker.supports(statement.text, [s.text for s in cited]):
            removed.append(statement.text)
            continue
        alone = [s for s in cited if checker.supports(statement.text, [s.text])]
        labels = []
        for sentence in alone or cited:
            if sentence.id not in markers:
                markers[sentence.id] = len(markers) + 1
                citations.append(
                    Citation(
                        marker=markers[sentence.id],
                        sentence_id=sentence.id,
                        start=sentence.start,
                        end=sentence.end,
                        quote=sentence.text,
                    )
                )
            labels.append(marker(markers[sentence.id]))
        parts.append(f"{statement.text} {''.join(labels)}")
    return Verified(" ".join(parts), tuple(citations), tuple(removed))
