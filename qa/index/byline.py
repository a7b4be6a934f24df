"""Bylines: the line under a headline that names the writer ('By Jordan Ellis | June 3, 2026')."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.index.build import IndexedArticle
    from qa.index.nlp import Annotation, Token

_BYLINE = re.compile(r"^\s*(?:written |words |reporting )?by\s+\S", re.IGNORECASE)
BYLINE_SENTENCES = 4  # a byline sits under the headline, among the article's first sentences


def is_byline(line: str) -> bool:
    """Whether a line starts like a byline ('By ...', 'Written by ...', 'Reporting by ...')."""
    return _BYLINE.match(line) is not None


def find_byline(indexed: IndexedArticle) -> tuple[int, int, int] | None:
    """The byline among the article's first sentences that names someone: (sentence position, the names' start
    and end in that sentence), or None."""
    for position, sentence in enumerate(indexed.sentences[:BYLINE_SENTENCES]):
        if is_byline(sentence.text):
            found = _writers(sentence.text, indexed.annotations[position])
            if found is not None:
                return position, *found
    return None


def _writers(text: str, note: Annotation) -> tuple[int, int] | None:
    """The names right after 'by': the proper nouns there, joined by 'and' ('Ana Ruiz and Tom Lee', which
    spaCy's small model tags as no person, or only the second), up to a comma or anything else ('Jane Doe'
    of 'By Jane Doe, Associated Press'; 'the Associated Press'). Else, and in a line with a verb, the first
    person spaCy finds in it."""
    tokens = list(note.tokens)
    after = next((i + 1 for i, t in enumerate(tokens) if text[t.start : t.end].lower() == "by"), len(tokens))
    # a verb after 'by' makes a sentence ('By Tuesday, the bridge will reopen.'), not a line of names
    sentence = any(t.pos in ("VERB", "AUX") for t in tokens[after:])
    run: list[Token] = []
    for i in range(after if not sentence else len(tokens), len(tokens)):
        token, word = tokens[i], text[tokens[i].start : tokens[i].end]
        gap = text[run[-1].end : token.start].strip(" -.'") if run else ""
        if gap and not (gap == "," and _listed(text, tokens[i:])):
            break  # a bar, a bracket or a comma ends the names, but for 'Ana Ruiz, Tom Lee and Kim Park'
        joins = (token.pos == "CCONJ" and word in ("and", "&") and run) or (token.pos == "DET" and not run)
        if _name(text, token) or (joins and i + 1 < len(tokens) and _name(text, tokens[i + 1])):
            run.append(token)
        else:
            break
    if run:
        return run[0].start, run[-1].end
    people = [e for e in note.entities if e.label == "PERSON"]
    return (people[0].start, people[0].end) if people else None


def _name(text: str, token: Token) -> bool:
    """A word of a name: a proper noun, or a word in a script without capitals that spaCy's English model
    cannot tag ('李明' of 'By Zoë Müller and 李明', tagged INTJ)."""
    word = text[token.start : token.end]
    return token.pos == "PROPN" or (word.isalpha() and not word.isascii() and word.lower() == word.upper())


def _listed(text: str, rest: list[Token]) -> bool:
    """After a comma: whether names follow and the list of names ends with 'and' a name ('..., Tom Lee and Kim
    Park'), not an agency on its own ('Jane Doe, Associated Press')."""
    for token, nxt in itertools.pairwise(rest):
        word = text[token.start : token.end]
        if word in ("and", "&"):
            return _name(text, nxt)
        if not _name(text, token):
            return False
    return False
