"""Suggested questions for whichever article is loaded: made from its own sentences, checked by the engine.

Candidates come from what spaCy found at index time (kept with each sentence): who is quoted ("What did
a senior official say?"), the people named most often ("Who is Ada Lovelace?"), dates ("What happened
on Tuesday?") and places or organisations ("What does the article say about NATO?"). Each candidate is
asked of the article's own assistant and kept only when it is answered, not refused, and the answer
quotes the sentence the candidate came from or one naming the same thing. Kinds are interleaved so the
few shown are varied, and a person or body already in a suggestion is not suggested again.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import chain, zip_longest
from typing import TYPE_CHECKING

from qa.errors import QAError
from qa.extractive.question import NAME_LABELS
from qa.index.byline import find_byline

if TYPE_CHECKING:
    from qa.api import Assistant
    from qa.index.build import IndexedArticle
    from qa.index.nlp import Annotation, Entity

PEOPLE = frozenset({"PERSON"})
PLACES = frozenset({"GPE", "ORG", "LOC", "FAC", "EVENT"})
MAX_NAME = 60
MAX_SHOWN = 60  # characters: Gradio's example buttons show a question's first 60, then "..."
ABOUT = "What does the article say about {}?"
ABOUT_SHORT = "Tell me about {}"  # read as "What is ...?" (`extractive.evidence.as_question`)
NAME_MARKS = frozenset(" .,'’&-")


def suggest_questions(assistant: Assistant, count: int = 3, tries: int = 10) -> list[str]:
    """Up to `count` questions the assistant answers about its article (at most `tries` are asked)."""
    found: list[str] = []
    named: set[str] = set()  # the capitalised words of the anchors chosen: one suggestion per person or body
    shown = [(q, anchor) for q, anchor in candidates(assistant.indexed) if len(q) <= MAX_SHOWN]  # not cut off
    for question, anchor in shown[:tries]:
        words = {w for w in anchor.split() if w[:1].isupper()}
        if words & named:
            continue
        try:
            answer = assistant.ask(question)
        except QAError:
            continue
        if answer.refused or not any(anchor.lower() in c.quote.lower() for c in answer.citations):
            continue
        found.append(question)
        named |= words
        if len(found) == count:
            break
    return found


def candidates(indexed: IndexedArticle) -> list[tuple[str, str]]:
    """(question, anchor) pairs, kinds interleaved; the anchor is the text a good answer's quote contains."""
    kinds = [list(_quoted(indexed)), list(_named(indexed, PEOPLE, "Who is {}?", 2)), list(_defined(indexed))]
    kinds += [list(_dates(indexed)), list(_named(indexed, PLACES, ABOUT))]
    seen: set[str] = set()
    out = []
    for pair in chain.from_iterable(zip_longest(*kinds)):
        if pair and pair[0].lower() not in seen:
            seen.add(pair[0].lower())
            out.append(pair)
    return out


def _mentions(indexed: IndexedArticle, labels: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(entity text, label) for every entity with one of `labels`, in article order, outside the byline; a
    "person" written with a determiner ('the James Webb Space Telescope') is not one."""
    author = find_byline(indexed)  # the byline names the writer and the day it was published: not what it reports
    for position, (sentence, annotation) in enumerate(zip(indexed.sentences, indexed.annotations, strict=False)):
        if author is not None and position == author[0]:
            continue
        for entity in annotation.entities:
            if entity.label not in labels or (entity.label == "PERSON" and _determined(annotation, entity)):
                continue
            text = sentence.text[entity.start : entity.end].strip()
            if 2 < len(text) <= MAX_NAME and _name_like(text):
                yield text, entity.label


def _determined(annotation: Annotation, entity: Entity) -> bool:
    """Whether a determiner opens the entity or comes right before it."""
    before = [t for t in annotation.tokens if t.end <= entity.start][-1:]
    first = [t for t in annotation.tokens if t.start >= entity.start][:1]
    return any(t.pos == "DET" and t.end >= entity.start - 1 for t in before) or any(
        t.pos == "DET" and t.start < entity.end for t in first
    )


def _name_like(text: str) -> bool:
    """Letters, digits and the marks names use ('St. John's', 'AT&T', 'Jean-Luc', 'Zoë Müller-Øyen'), some of
    them Latin: spaCy sometimes takes code or a formula ('x_1 + y_2') for an organisation, and its English model
    reads other scripts poorly ('على ميزانية قدرها', "on a budget of", tagged a person), which would make odd
    suggestions."""
    latin = any(ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN") for ch in text)
    return latin and all(ch.isalnum() or ch in NAME_MARKS for ch in text)


def _named(
    indexed: IndexedArticle, labels: frozenset[str], template: str, one_word_mentions: int = 1
) -> Iterator[tuple[str, str]]:
    """A question per entity, the most often mentioned first; a short form ('Wilson') counts towards the
    full name it is part of ('Harold Wilson'), and a possessive 's is dropped. A one-word name needs
    `one_word_mentions` mentions: a person is introduced by their full name, and spaCy's small model takes a
    capitalised first word for a person now and then ('Turnout was about 31%': "Who is Turnout?")."""
    names = [text.removesuffix("'s").removesuffix("’s") for text, _ in _mentions(indexed, labels)]
    first = {name: i for i, name in reversed(list(enumerate(names)))}  # each name's first mention
    holders: dict[str, set[str]] = defaultdict(set)  # word -> the names that contain it
    for name in first:
        for word in name.split():
            holders[word].add(name)
    full = {  # the longest name holding all of this one's words; the first mentioned among equals
        name: max(set.intersection(*(holders[w] for w in name.split())), key=lambda n: (len(n), -first[n]))
        for name in first
    }
    counts = Counter(full[name] for name in names)
    for name, count in counts.most_common():
        if " " in name or count >= one_word_mentions:
            # 'The Bayport Port Authority' opened a sentence: mid-question it is 'the Bayport Port Authority'
            shown = f"the {name[4:]}" if name.startswith("The ") else name
            question = template.format(shown)
            if template == ABOUT and len(question) > MAX_SHOWN:
                question = ABOUT_SHORT.format(shown)
            yield question, name


def _defined(indexed: IndexedArticle) -> Iterator[tuple[str, str]]:
    """'What is X?' for sentences that open by defining a noun phrase of two or more words, or of one
    word standing alone ('Imperialism is ...'), and not a person ('Davies is credited ...')."""
    lowered = f" {indexed.article.text} "
    for sentence, annotation in zip(indexed.sentences, indexed.annotations, strict=False):
        if not annotation.chunks or annotation.chunks[0][0] != 0:
            continue
        start, end = annotation.chunks[0]
        inside = [t for t in annotation.tokens if t.end <= end]
        after = next((t for t in annotation.tokens if t.start >= end), None)
        if after is None or sentence.text[after.start : after.end] != "is" or not inside:
            continue
        words = [t for t in inside if t.pos != "DET"]
        person = any(e.label == "PERSON" and e.start < end for e in annotation.entities)
        pronoun = any(t.pos in ("PRON", "PART") for t in inside)  # 'Not everyone is convinced'
        if person or pronoun or not words or (len(words) == 1 and len(inside) > 1):
            continue
        phrase = sentence.text[start:end]
        first = sentence.text[inside[0].start : inside[0].end]
        # capitalised only as the sentence's first word: a determiner, a common word, or used lowercase elsewhere
        lowercase_elsewhere = f" {first.lower()} " in lowered
        # ... but not the first word of a name of several ('Lake Veranu is ...', though 'the lake' comes later)
        in_name = len(inside) > 1 and inside[0].pos == inside[1].pos == "PROPN"
        common = (inside[0].pos in ("DET", "ADJ", "NOUN") or lowercase_elsewhere) and not in_name
        if len(words) == 1 and not lowercase_elsewhere:  # a lone capitalised word: most likely a name ('Ruiz is')
            continue
        if 2 < len(phrase) <= MAX_NAME and "\n" not in phrase:
            yield f"What is {phrase[0].lower() + phrase[1:] if common else phrase}?", phrase


def _dates(indexed: IndexedArticle) -> Iterator[tuple[str, str]]:
    """'What happened on Tuesday?' for dates that read as a day ('on') or a month or year ('in')."""
    for text, _ in _mentions(indexed, frozenset({"DATE"})):
        words = text.split()
        first = words[0].strip(",").lower()
        day = len(words) > 1 and words[1].strip(",").isdigit() and len(words[1].strip(",")) <= 2  # 'May 18'
        if first in _DAYS or (first in _MONTHS and day):
            yield f"What happened on {text}?", text
        elif (first in _MONTHS and (len(words) == 1 or _is_year(words[1]))) or (len(words) == 1 and _is_year(first)):
            yield f"What happened in {text}?", text  # 'in May', 'in February 2022', 'in 1998'


def _is_year(word: str) -> bool:
    """Four digits: '2022'."""
    return word.isdigit() and len(word) == 4


def _quoted(indexed: IndexedArticle) -> Iterator[tuple[str, str]]:
    """'What did <speaker> say?' for sentences whose speaker spaCy found and is not a pronoun."""
    for sentence, annotation in zip(indexed.sentences, indexed.annotations, strict=False):
        if annotation.speaker and not annotation.speaker_is_pronoun:
            start, end = annotation.speaker
            speaker = sentence.text[start:end].strip()
            if not 2 < len(speaker) <= MAX_NAME or "\n" in speaker:
                continue
            inside = [t for t in annotation.tokens if start <= t.start < end]
            named = any(t.pos == "PROPN" or sentence.text[t.start : t.end].isupper() for t in inside)
            named = named or any(e.start == start and e.label in NAME_LABELS for e in annotation.entities)
            if inside and inside[0].pos == "PRON" and not named:
                continue  # "its spokesperson", "his lawyer": whose, the question alone cannot say
            # "A senior official", "Critics", "Researchers at the John Innes Centre": no name opens them
            if inside and (inside[0].pos in ("DET", "NOUN") or not named):
                speaker = speaker[0].lower() + speaker[1:]
            yield f"What did {speaker} say?", sentence.text[start:end].strip()


_DAYS = frozenset(day.lower() for day in calendar.day_name)  # the C locale's English names
_MONTHS = frozenset(month.lower() for month in calendar.month_name if month)
