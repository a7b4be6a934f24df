"""Photos in a news article: their captions and credit lines, and the questions asked about them.

News text carries a photo's caption and its credit ('Photo: Jane Doe/AP', 'Photograph: Reuters', '... (AP
Photo/Jane Doe)'). The learned decision, fitted on encyclopedia text that has none, refuses questions about
the photo ('Who took the photo?', 'Where were they photographed?'). Like the article's date and headline,
these are answered from the article's structure. Credit lines follow the news agencies' own conventions,
which a pattern states exactly; the words that make a question ask about a photo or its credit are the few
stems below, compared with the question's spaCy lemmas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.extractive.question import Question
from qa.extractive.short import Span, short_answer
from qa.index.build import IndexedArticle
from qa.text import stem

_CREDIT = re.compile(
    r"^\W*(?:photo(?:graph)?s?(?: (?:credit|illustration))?|images?|pictures?|illustrations?|credits?)"
    r"\s*(?::|\bby\b)\s*(?P<line>\S.*?)\W*$"
    r"|\((?:[A-Z][\w.]* )?photo(?:graph)?\s*/\s*(?P<inline>[^)]+?)\s*\)",
    re.IGNORECASE,
)
PHOTO_STEMS = frozenset(stem(w) for w in ("photo", "photograph", "picture", "image", "caption"))
CREDIT_STEMS = frozenset(stem(w) for w in ("take", "shoot", "snap", "credit", "agency", "supply", "provide", "source"))
CAPTION_SENTENCES = 2  # a longer paragraph above a lone credit line is body text, not its caption
ALT_SHARE = 0.5  # an alt text repeats at least half its words in the caption below it
_CLOSING = (".", "!", "?", ":", '"', "\u201d", ")")  # a line ending so is prose, not an image's alt text
_NOT_CREDIT_WH = frozenset({"when", "where", "how", "why"})  # 'when was the photo taken?' asks the caption


@dataclass(frozen=True)
class Photo:
    """One photo's sentences: the caption's positions and the credit's span (inside a sentence)."""

    caption: tuple[int, ...]
    credit: Span


def credit_span(text: str) -> tuple[int, int, bool] | None:
    """Offsets of the credited name(s) when the sentence is a credit line ('Photo: ...'; False) or a caption
    ending with one ('... (AP Photo/...)'; True)."""
    found = _CREDIT.search(text)
    if found is None:
        return None
    inline = found.group("line") is None
    group = "inline" if inline else "line"
    return found.start(group), found.end(group), inline


def find_photos(indexed: IndexedArticle) -> list[Photo]:
    """Every credited photo: its credit, and as caption the (at most `CAPTION_SENTENCES`) sentences of the
    credit's paragraph just before it, or for a credit line standing alone, the paragraph above it if it is
    that short."""
    sentences = indexed.sentences
    photos = []
    for pos, sentence in enumerate(sentences):
        found = credit_span(sentence.text)
        if found is None:
            continue
        start, end, inline = found
        before = pos > 0 and sentences[pos - 1].passage_index == sentence.passage_index
        caption = _paragraph_end(indexed, pos - 1, CAPTION_SENTENCES) if before else []
        if not before and pos:
            above = _paragraph_end(indexed, pos - 1, CAPTION_SENTENCES + 1)
            caption = above if len(above) <= CAPTION_SENTENCES else []
        photos.append(Photo(tuple(caption + [pos] * inline), Span(pos, start, end)))
    return photos


def photo_lines(indexed: IndexedArticle, photos: list[Photo], stems: list[frozenset[str]]) -> frozenset[int]:
    """Positions of what only describes a photo: each caption paragraph that holds nothing but the caption and
    its credit, and the image's alt text just above it (a line with no closing stop, most of whose words the
    caption repeats; a headline there shares few). A caption tells of its photo, often an old one ('... in Sochi
    on Oct. 22, 2021'), not of the news."""
    sentences = indexed.sentences
    out: set[int] = set()
    for photo in photos:
        own = {*photo.caption, photo.credit.position}
        top = min(own)
        paragraph = {p for p, s in enumerate(sentences) if s.passage_index == sentences[top].passage_index}
        if not photo.caption or paragraph != own:
            continue  # a credit under body text: its sentences are the story's
        out |= own
        above = [p for p, s in enumerate(sentences) if s.passage_index == sentences[top].passage_index - 1]
        if len(above) == 1 and not sentences[above[0]].text.rstrip().endswith(_CLOSING):
            alt, caption = stems[above[0]], frozenset().union(*(stems[p] for p in photo.caption))
            if alt and len(alt & caption) >= ALT_SHARE * len(alt):
                out.add(above[0])
    return frozenset(out)


def _paragraph_end(indexed: IndexedArticle, last: int, most: int) -> list[int]:
    """Positions of the last `most` sentences of the paragraph that ends at `last`, in order."""
    sentences = indexed.sentences
    found = [last]
    while len(found) < most and found[0] > 0 and sentences[found[0] - 1].passage_index == sentences[last].passage_index:
        found.insert(0, found[0] - 1)
    return found


def about_a_photo(question: Question) -> bool:
    """Whether the question names a photo ('photo', 'pictured', 'photographed', 'image', 'caption')."""
    return any(t.stem in PHOTO_STEMS for t in question.terms)


def asks_credit(question: Question) -> bool:
    """Whether it asks whose the photo is ('Who took ...', 'Which agency supplied ...', 'photographer')."""
    if question.wh in _NOT_CREDIT_WH:
        return False
    return any(t.stem in CREDIT_STEMS or t.surface.lower().startswith("photographer") for t in question.terms)


def photo_answer(
    question: Question, indexed: IndexedArticle, photos: list[Photo], stems: list[frozenset[str]]
) -> tuple[list[int], Span | None] | None:
    """The sentence to quote and the short answer for a question about a photo, or None to leave it to the
    decision: no credited photo, not about a photo, or no caption sentence holding the kind of answer
    expected ('When was it taken?' and a caption without a date)."""
    if not photos or not about_a_photo(question):
        return None
    own = {t.stem for t in question.terms} - PHOTO_STEMS - CREDIT_STEMS

    def shared(positions: tuple[int, ...]) -> int:
        return len(own & frozenset().union(*(stems[p] for p in positions)))

    # the photo whose caption shares most of the question's other words; the first one (the lead) on a tie
    photo = max(photos, key=lambda ph: (shared((*ph.caption, ph.credit.position)), -ph.credit.position))
    if asks_credit(question):
        return [photo.credit.position], photo.credit
    typed = [
        p
        for p in photo.caption
        if not question.expected or any(e.label in question.expected for e in indexed.annotations[p].entities)
    ]
    if not typed:
        return None
    best = max(typed, key=lambda p: (shared((p,)), -p))
    return [best], short_answer(question, indexed, best)
