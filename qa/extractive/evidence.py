"""How well a sentence (with its neighbours) covers a question's focus: stemmed or near-synonym words."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from qa.extractive.token_match import window
from qa.index.build import IndexedArticle
from qa.index.embedding import Embedder
from qa.retrieval.bm25 import BM25
from qa.text import QUESTION_WORD_PATTERN, has_digit, is_stopword, stem, words

NEIGHBOUR_WEIGHT = 0.6
STACKS_KEPT = 512  # sentences whose word vectors stay stacked (~30 kB each)


CONTEXT_WEIGHT = 0.5
_CONTEXT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$", re.S)
_ASKING = re.compile(
    rf"\?\s*$|^(?:{QUESTION_WORD_PATTERN}|is|are|was|were|do|does|did|can|could|will|would|has|have|had|should)\b",
    re.IGNORECASE,
)

# "Tell me about X", "Please describe X", "Can you explain why ...": a request for what a question would ask
_REQUEST = re.compile(
    r"(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?(?:tell\s+me|describe|explain)"
    r"(?:\s+(?:more|something|a\s+bit))?(?:\s+about)?\s+(.+?)[\s.!?]*$",
    re.IGNORECASE | re.S,
)
_WH_START = re.compile(rf"(?:{QUESTION_WORD_PATTERN})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Focus:
    """A question's focus: unique content stems, one surface word each, weights, and proper-noun flags."""

    stems: tuple[str, ...]
    surface: tuple[str, ...]
    weights: tuple[float, ...]
    proper: tuple[bool, ...]


def asking_part(question: str) -> str:
    """The sentences of a message that ask something (all of it when none does), requests put as questions."""
    parts = [as_question(p) for p in re.split(r"(?<=[.!?])\s+", question.strip()) if p]
    asking = [p for p in parts if _ASKING.search(p.strip())]
    return " ".join(asking) if asking else question


def as_question(text: str) -> str:
    """A request put as the question it asks: 'Tell me about Mensah' -> 'What is Mensah?', 'Can you explain why
    it failed?' -> 'Why it failed?' (the decision was fitted on questions: it refused the requests)."""
    match = _REQUEST.match(text.strip())
    if match is None:
        return text
    asked = match.group(1)
    if _WH_START.match(asked):
        return f"{asked[0].upper()}{asked[1:]}?"
    return f"What is {asked}?"


def split_context(query: str) -> tuple[str, str]:
    """A query's main part and its trailing '(context)' (empty when it has none)."""
    match = _CONTEXT.match(query)
    return (match.group(1), match.group(2)) if match else (query, "")


def asked_text(query: str) -> str:
    """A query without the sentences of its main part that ask nothing (an instruction written before or
    after the question), its trailing '(context)' kept."""
    main, context = split_context(query)
    asked = asking_part(main)
    return f"{asked} ({context})" if context else asked


def focus_words(question: str) -> list[tuple[str, bool, float]]:
    """(word, is proper noun, weight factor) for content words; a trailing '(context)' counts half."""
    main, context = split_context(question)
    out = []
    for text, factor in ((asking_part(main), 1.0), (asking_part(context), CONTEXT_WEIGHT)):
        for i, token in enumerate(re.finditer(r"[^\W_]+(?:[’'.-][^\W_]+)*", text)):
            word = token.group(0)
            lower = word.lower()
            if is_stopword(lower) or (len(lower) < 2 and not lower.isdigit()):
                continue
            opens = i == 0 or bool(re.search(r"[.!?:]\s*$", text[: token.start()]))
            out.append((lower, word[0].isupper() and not opens, factor))
    return out


def _same_name(name_stem: str, sentence: dict[str, str]) -> bool:
    """A name matches its derived forms (Japan / Japanese, Kenya / Kenyan)."""
    return len(name_stem) >= 4 and any(w.startswith(name_stem) for w in sentence)


class WordStacks:
    """Each sentence's word vectors as one matrix, stacked on first use and kept for the most recent
    `STACKS_KEPT` sentences: a question compares its words with the same few sentences many times, and
    gathering and stacking the vectors again each time cost more than the comparisons."""

    def __init__(self, embedder: Embedder, words: list[list[str]]) -> None:
        self.embedder = embedder
        self.words = words
        self._kept: OrderedDict[int, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, position: int) -> np.ndarray:
        """The vectors of the sentence's words, one row each, in `words` order."""
        with self._lock:
            found = self._kept.get(position)
            if found is not None:
                self._kept.move_to_end(position)
                return found
        found = self.embedder.embed_many_cached(self.words[position])
        with self._lock:
            self._kept[position] = found
            while len(self._kept) > STACKS_KEPT:
                self._kept.popitem(last=False)
        return found

    def best(self, asked: np.ndarray, position: int) -> np.ndarray | None:
        """Each asked vector's highest cosine with the sentence's words, or None when it has no words."""
        vectors = self.of(position)
        return (vectors @ asked.T).max(axis=0) if len(vectors) else None


class EvidenceScorer:
    """Scores sentences of one article against a question's focus words."""

    def __init__(self, indexed: IndexedArticle, bm25: BM25, embedder: Embedder, soft_match: float = 0.6) -> None:
        self.indexed = indexed
        self.bm25 = bm25
        self.embedder = embedder
        self.soft_match = soft_match
        self.apart: frozenset[int] = frozenset()  # lines that are no context for their neighbours (`window`)
        self.sentence_words = [{stem(w): w for w in words(s.text) if not is_stopword(w)} for s in indexed.sentences]
        # each sentence's words that may match softly (numbers match only exactly), listed once per article
        self.soft_candidates = [[w for w in sw.values() if not has_digit(w)] for sw in self.sentence_words]
        self.soft_vectors = WordStacks(embedder, self.soft_candidates)

    def focus(self, question: str) -> Focus:
        """Content stems of the question, weighted by their rarity in the article."""
        seen: dict[str, tuple[str, bool, float]] = {}
        for word, proper, factor in focus_words(question):
            key = stem(word)
            if key not in seen or seen[key][2] < factor:
                seen[key] = (word, proper, factor)
        stems = tuple(seen)
        return Focus(
            stems,
            tuple(v[0] for v in seen.values()),
            tuple(self.bm25.idf(k) * v[2] for k, v in seen.items()),
            tuple(v[1] for v in seen.values()),
        )

    def matches_name(self, name_stem: str, position: int) -> bool:
        """True when the sentence at `position` names `name_stem` (or a derived form)."""
        words_here = self.sentence_words[position]
        return name_stem in words_here or _same_name(name_stem, words_here)

    def anchor(self, focus: Focus, typed: str) -> int | None:
        """Index of the weightiest name the user typed that the article mentions (the answer must too)."""
        own = {stem(w) for w in words(typed)}
        present = [i for i, s in enumerate(focus.stems) if focus.proper[i] and s in own and s in self.bm25.postings]
        return max(present, key=lambda i: focus.weights[i]) if present else None

    @staticmethod
    def coverage_of(focus: Focus, matches: list[float]) -> float:
        """Weighted share of focus terms given per-term match values."""
        total = sum(focus.weights)
        return sum(w * m for w, m in zip(focus.weights, matches, strict=True)) / total if total else 0.0

    def matches(self, focus: Focus, position: int) -> list[float]:
        """Per focus term: how well the sentence at `position` (or a neighbour) matches it, 0..1."""
        own = self.sentence_words[position]
        near = [self.sentence_words[p] for p in window(position, len(self.sentence_words), self.apart) if p != position]
        out = []
        unmatched = []
        for i, s in enumerate(focus.stems):
            if s in own or (focus.proper[i] and _same_name(s, own)):
                out.append(1.0)
            elif any(s in n for n in near) or (focus.proper[i] and any(_same_name(s, n) for n in near)):
                out.append(NEIGHBOUR_WEIGHT)
            else:
                out.append(0.0)
                unmatched.append(i)
        unmatched = [i for i in unmatched if not focus.proper[i] and not has_digit(focus.surface[i])]
        if unmatched:
            soft = self._soft([focus.surface[i] for i in unmatched], position)
            for i, value in zip(unmatched, soft, strict=True):
                out[i] = value
        return out

    def soft_words(self, question: str, window: list[int]) -> list[str]:
        """The words `matches` may compare for sentences whose windows (each with its neighbours) cover the
        positions `window`: the question's soft-matchable focus words and those sentences' words."""
        focus = self.focus(question)
        terms = [w for w, proper in zip(focus.surface, focus.proper, strict=True) if not proper and not has_digit(w)]
        return terms + [w for q in window for w in self.soft_candidates[q]]

    def _soft(self, terms: list[str], position: int) -> list[float]:
        """Synonym matches through word embeddings, in the sentence at `position` (or, weighted down, a
        neighbour): the best cosine at or above the threshold, else 0."""
        asked = self.embedder.embed_many_cached(terms)
        best = np.zeros(len(terms))
        for p in window(position, len(self.soft_candidates), self.apart):
            factor = 1.0 if p == position else NEIGHBOUR_WEIGHT
            top = self.soft_vectors.best(asked, p)
            if top is not None:
                best = np.maximum(best, np.where(top >= self.soft_match, factor * top, 0.0))
        return [float(b) for b in best]
