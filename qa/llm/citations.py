"""Parse a model's cited answer: sentences, the candidate numbers each cites, and whether it refused.

A pure function over the raw text, so it can be tested on a corpus of messy model outputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.index.split import split_sentences
from qa.llm.prompts import REFUSAL

_GROUP = re.compile(
    r"(?:\s*(?:\[\s*(?:sentences?\s*|s)?\d+(?:\s*(?:[,;–-]|and)\s*(?:s)?\d+)*\s*\]"
    r"|\(\s*(?:sentences?\s*)?\d+(?:\s*,\s*\d+)*\s*\)|【\d+】))+",
    re.IGNORECASE,
)
_SOURCES = re.compile(
    r"^\s*(?:\*\*|#+\s*)?(?:sources?|references?|citations?)\s*:?\s*(?:\*\*)?\s*:?\s*$|"
    r"^\s*(?:sources?|references?|citations?)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_MARKDOWN = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE), ""),
    (re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]
_REFUSAL = re.compile(
    r"\b(?:the )?article (?:does not|doesn['’]t|did not|didn['’]t) (?:say|mention|state|specify|answer)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Statement:
    """One answer sentence and the (1-based) candidate numbers it cites, in order, in range."""

    text: str
    cited: tuple[int, ...]


@dataclass(frozen=True)
class ParsedAnswer:
    """The statements of a model answer; `refused` when it says the article does not answer."""

    statements: tuple[Statement, ...]
    refused: bool
    dropped_markers: int = 0


def _numbers(group: str) -> list[int]:
    """Candidate numbers in a marker group; ranges like [2-4] expand."""
    out: list[int] = []
    for match in re.finditer(r"(\d+)\s*[–-]\s*(\d+)|(\d+)", group):
        if match.group(3):
            out.append(int(match.group(3)))
        else:
            low, high = int(match.group(1)), int(match.group(2))
            out.extend(range(low, min(high, low + 20) + 1))
    return out


_ECHO = re.compile(r"</?\s*(?:sentences|question)\b", re.IGNORECASE)
_LINE_LABEL = re.compile(r"^\s*\[\d+\]\s*", re.MULTILINE)


def _clean(raw: str) -> str:
    """Drop an echo of the prompt, a trailing Sources list, line labels like '[3] ' and markdown."""
    echo = _ECHO.search(raw)
    text = raw[: echo.start()] if echo else raw
    sources = _SOURCES.search(text)
    text = text[: sources.start()] if sources else text
    text = _LINE_LABEL.sub("", text)
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text.strip()


def parse_citations(raw: str, n_candidates: int) -> ParsedAnswer:
    """Statements with in-range citations; markers out of range are dropped and counted."""
    text = _clean(raw)
    if not text or _REFUSAL.search(text) or REFUSAL.lower().rstrip(".") in text.lower().replace("’", "'"):
        return ParsedAnswer((), True)
    plain, groups = [], []
    pos = 0
    for match in _GROUP.finditer(text):
        plain.append(text[pos : match.start()])
        groups.append((sum(len(p) for p in plain), _numbers(match.group(0))))
        pos = match.end()
    plain.append(text[pos:])
    clean = "".join(plain)
    spans = split_sentences(clean)
    cited: list[list[int]] = [[] for _ in spans]
    dropped = 0
    for offset, numbers in groups:
        owner = max((i for i, (start, _) in enumerate(spans) if start < offset), default=None)
        for n in numbers:
            if owner is None or not 1 <= n <= n_candidates:
                dropped += 1
            elif n not in cited[owner]:
                cited[owner].append(n)
    statements = tuple(
        Statement(clean[s:e].strip(), tuple(c)) for (s, e), c in zip(spans, cited, strict=True) if clean[s:e].strip()
    )
    return ParsedAnswer(statements, False, dropped)
