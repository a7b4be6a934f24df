"""A deterministic support checker: is a statement backed by the sentences it cites?

Used by the llm engine's verifier and by the eval's citation metrics, so both judge the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qa.index.embedding import Embedder
from qa.text import content_stems, stem, words

_NUMBER = re.compile(r"\d[\d,.]*")
_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
}


@dataclass(frozen=True)
class SupportResult:
    """The verdict and the evidence for it."""

    supported: bool
    coverage: float
    similarity: float
    missing_numbers: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()


def numbers(text: str) -> set[str]:
    """Numbers in a text, digits and small number words normalised to digits."""
    found = {m.group(0).rstrip(".,").replace(",", "") for m in _NUMBER.finditer(text)}
    found |= {_NUMBER_WORDS[w] for w in words(text) if w in _NUMBER_WORDS}
    return found


def names(text: str) -> set[str]:
    """Stems of capitalised words that do not open a sentence."""
    out = set()
    for match in re.finditer(r"(?<![.!?:]\s)(?<!^)(?<=\s)([A-Z][\w’'-]+)", text):
        out.add(stem(match.group(1)))
    return out


class SupportChecker:
    """Judges support by numbers, names, content words and embedding similarity."""

    def __init__(
        self,
        embedder: Embedder,
        min_coverage: float = 0.8,
        soft_coverage: float = 0.5,
        min_support_similarity: float = 0.7,
    ) -> None:
        self.embedder = embedder
        self.min_coverage = min_coverage
        self.soft_coverage = soft_coverage
        self.min_support_similarity = min_support_similarity

    def check(self, statement: str, evidence: list[str]) -> SupportResult:
        """Whether `evidence` (cited sentences) supports `statement`."""
        if not evidence or not statement.strip():
            return SupportResult(False, 0.0, 0.0)
        joined = " ".join(evidence)
        evidence_stems = set(content_stems(joined))
        missing_numbers = tuple(sorted(numbers(statement) - numbers(joined)))
        missing_names = tuple(sorted(names(statement) - evidence_stems - names(joined)))
        stems = set(content_stems(statement))
        coverage = len(stems & evidence_stems) / len(stems) if stems else 0.0
        similarity = float(np.dot(self.embedder.embed_query(statement), self.embedder.embed_query(joined)))
        lexical = coverage >= self.min_coverage or (
            coverage >= self.soft_coverage and similarity >= self.min_support_similarity
        )
        supported = lexical and not missing_numbers and not missing_names
        return SupportResult(supported, round(coverage, 3), round(similarity, 3), missing_numbers, missing_names)

    def supports(self, statement: str, evidence: list[str]) -> bool:
        """Shorthand for `check(...).supported`."""
        return self.check(statement, evidence).supported
