"""Bylines: the line under a headline that names the writer ('By Jordan Ellis | June 3, 2026')."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.index.build import IndexedArticle

_BYLINE = re.compile(r"^\s*(?:written |words |reporting )?by\s+\S", re.IGNORECASE)
BYLINE_SENTENCES = 4  # a byline sits under the headline, among the article's first sentences


def is_byline(line: str) -> bool:
    """Whether a line starts like a byline ('By ...', 'Written by ...', 'Reporting by ...')."""
    return _BYLINE.match(line) is not None


def find_byline(indexed: IndexedArticle) -> tuple[int, int, int] | None:
    """The byline among the article's first sentences that names a person: (sentence position, the name's
    start and end in that sentence), or None."""
    for position, sentence in enumerate(indexed.sentences[:BYLINE_SENTENCES]):
        names = [e for e in indexed.annotations[position].entities if e.label == "PERSON"]
        if is_byline(sentence.text) and names:
            return position, names[0].start, names[0].end
    return None
