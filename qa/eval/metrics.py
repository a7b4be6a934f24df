"""Eval metrics: pure functions that return the score with its raw counts."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.types import Answer, markers_in


@dataclass(frozen=True)
class Score:
    """A ratio with its counts; `value` is 1.0 when nothing was counted."""

    hits: float
    total: int

    @property
    def value(self) -> float:
        """hits / total, or 1.0 for an empty total."""
        return self.hits / self.total if self.total else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.hits + other.hits, self.total + other.total)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"')).lower()


def citation_validity(answer: Answer, article_text: str) -> Score:
    """Citations whose quote equals the article slice, plus markers in text that map to a citation."""
    markers = markers_in(answer.text)
    good = sum(article_text[c.start : c.end] == c.quote and 0 <= c.start < c.end for c in answer.citations)
    in_range = sum(1 <= m <= len(answer.citations) for m in markers)
    return Score(good + in_range, len(answer.citations) + len(markers))


def retrieval_recall(hit_texts: Sequence[str], gold: Sequence[str], k: int) -> Score:
    """Share of gold sentences among the top-k retrieved."""
    top = {_norm(t) for t in hit_texts[:k]}
    return Score(sum(_norm(g) in top for g in gold), len(gold))


def reciprocal_rank(hit_texts: Sequence[str], gold: Sequence[str]) -> Score:
    """1 / rank of the first gold sentence retrieved (0 when none is)."""
    gold_set = {_norm(g) for g in gold}
    for rank, text in enumerate(hit_texts, start=1):
        if _norm(text) in gold_set:
            return Score(1.0 / rank, 1)
    return Score(0.0, 1)


def answer_correct(answer: Answer, facts: Sequence[str], answerable: bool) -> Score:
    """Answerable: not refused and every gold fact present. Unanswerable: refused."""
    if not answerable:
        return Score(float(answer.refused), 1)
    text = _norm(answer.text)
    return Score(float(not answer.refused and all(_norm(f) in text for f in facts)), 1)


def refusal_scores(refused: Sequence[bool], answerable: Sequence[bool]) -> tuple[Score, Score]:
    """(precision, recall) of refusals, where refusing an unanswerable question is the positive class."""
    true_pos = sum(r and not a for r, a in zip(refused, answerable, strict=True))
    return Score(true_pos, sum(refused)), Score(true_pos, sum(not a for a in answerable))


def statements(answer: Answer) -> list[tuple[str, list[int]]]:
    """Answer sentences with the markers each cites (markers follow their sentence)."""
    out = []
    for match in re.finditer(r"(.+?)((?:\s*\[\d+\])+)(?=\s|$)", answer.text, flags=re.S):
        markers = [int(m) for m in re.findall(r"\d+", match.group(2))]
        out.append((match.group(1).strip(), markers))
    return out


def citation_recall_precision(answer: Answer, supports: Callable[[str, list[str]], bool]) -> tuple[Score, Score]:
    """ALCE citation recall (statements supported by their citations) and precision (citations that help)."""
    if answer.refused:
        return Score(0, 0), Score(0, 0)
    quotes = {c.marker: c.quote for c in answer.citations}
    recall, precision = Score(0, 0), Score(0, 0)
    for statement, markers in statements(answer):
        cited = [quotes[m] for m in markers if m in quotes]
        supported = bool(cited) and supports(statement, cited)
        recall += Score(float(supported), 1)
        for m in markers:
            alone = m in quotes and supports(statement, [quotes[m]])
            rest = [quotes[o] for o in markers if o != m and o in quotes]
            needed = not (rest and supports(statement, rest))
            precision += Score(float(supported and (alone or needed) and m in quotes), 1)
    return recall, precision
