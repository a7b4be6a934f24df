"""The story's opening: its first sentences of prose, for the chat's overview and for "What is the article about?"."""

from __future__ import annotations

import re
from collections import Counter

from qa.extractive.photos import find_photos
from qa.extractive.short import QUOTE_MARKS
from qa.index.build import IndexedArticle
from qa.index.byline import find_byline
from qa.index.types import Sentence

CAPTION_OVERLAP = 0.5  # share of their words two sentences have in common to be the same caption twice
_CLOSING = (".", "!", "?", *QUOTE_MARKS, "”", "’")


def title_line(indexed: IndexedArticle, within: int | None = None) -> int | None:
    """The index of the sentence that repeats the article's title (among the first `within`, default any), or
    None: the answer to "What is the headline?", and the pane's heading."""
    title = indexed.article.title.strip()
    return next((s.index for s in indexed.sentences[:within] if title and s.text.strip() == title), None)


def opening(indexed: IndexedArticle, lead: int = 2) -> list[Sentence]:
    """The story's first `lead` sentences: not its title or another heading (a paragraph of one sentence with
    no closing punctuation), byline, a photo's caption and credit (nor the same caption again, as the image's
    alt text often repeats it), nor a line without a verb ('Mar 8, 2022 - World')."""
    title = (indexed.article.title or "").strip()
    author = find_byline(indexed)
    skipped = {author[0]} if author is not None else set()
    photos = find_photos(indexed)
    skipped |= {p for photo in photos for p in (*photo.caption, photo.credit.position)}
    captions = [_words(indexed.sentences[p].text) for photo in photos for p in photo.caption]
    sentences = indexed.sentences
    alone = Counter(s.passage_index for s in sentences)
    found = []
    for i, (sentence, note) in enumerate(zip(sentences, indexed.annotations, strict=True)):
        text = sentence.text.strip()
        heading = alone[sentence.passage_index] == 1 and not text.endswith(_CLOSING)
        skipped_here = i in skipped or i in indexed.instructions  # an instruction to an AI is never quoted
        if skipped_here or text == title or heading or not any(t.pos in ("VERB", "AUX") for t in note.tokens):
            continue
        words = _words(sentence.text)
        if any(len(words & caption) >= CAPTION_OVERLAP * len(words | caption) for caption in captions):
            continue
        found.append(sentence)
        if len(found) == lead:
            break
    return found


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}
