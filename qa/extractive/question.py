"""What a question asks: its expected answer type, its content terms, the names and numbers it states, negation.

All word knowledge comes from the spaCy annotation (parts of speech, lemmas, entities, negation); the only
table here maps a wh-word or the noun after "what/which" to the entity labels that can answer it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from qa.index.nlp import SPEECH_LEMMAS, Annotation, Entity, Token
from qa.index.nlp_process import analyse_question
from qa.text import QUESTION_WORDS, has_answer_type, has_digit, phrase_stems, stem

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
TIME_LABELS = frozenset({"DATE", "TIME"})
_SAY_STEMS = frozenset({"say", "said", "tell", "told"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
AGENT_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_SKIP_POS = frozenset({"DET", "ADP", "AUX", "PRON", "CCONJ", "SCONJ", "PART", "PUNCT", "SPACE", "INTJ", "X", "SYM"})
# "how far / how hot ...": a measure is asked for (SQuAD 2.0 asks "how successful", "how similar": not measures)
_MEASURES = ("far", "big", "small", "tall", "high", "deep", "wide", "heavy", "fast", "hot", "cold", "warm")
# "how much did it cost / do they pay / is it worth": a sum of money, not the '70%' the city paid of it
_PRICED = frozenset({"cost", "pay", "spend", "charge", "earn", "price", "worth", "owe", "invest", "donate", "fund"})
MONEY_ASKED = frozenset({"MONEY", "CARDINAL"})
_YEAR = re.compile(r"\b(?:1[0-9]|20)\d\d\b")  # a year from 1000 to 2099
_SINCE_WHEN = re.compile(r"\bhow long (?:has|have|had)\b", re.IGNORECASE)  # a point in time answers it too
# The noun after "what"/"which" ("what year", "which city") names the kind of answer.
_HEAD_TYPES: dict[str, frozenset[str]] = {
    **dict.fromkeys(["year", "date", "day", "month", "century", "decade", "era", "period", "time", "age"], TIME_LABELS),
    **dict.fromkeys(
        ["city", "country", "state", "nation", "region", "place", "continent", "town", "location", "province"],
        PLACE_LABELS,
    ),
    **dict.fromkeys(["percentage", "percent", "proportion", "share", "rate"], frozenset({"PERCENT"})),
    **dict.fromkeys(["number", "amount", "total", "count", "size"], NUMBER_LABELS),
    **dict.fromkeys(["price", "cost", "fee", "salary", "wage", "fare", "budget"], frozenset({"MONEY"})),
    **dict.fromkeys(["person", "leader", "man", "woman", "king", "president", "emperor"], frozenset({"PERSON"})),
}


@dataclass(frozen=True)
class Term:
    """A content word of the question: its stem, surface form, and whether it names or counts something."""

    stem: str
    surface: str
    name: bool
    number: bool
    stop: bool = False
    label: str = ""  # the spaCy label of the entity it is part of ('GPE', 'PERSON', 'ORDINAL'), if any


@dataclass(frozen=True)
class Question:
    """The parts of a question the answer/refuse decision looks at."""

    text: str
    wh: str
    expected: frozenset[str]
    speech: bool
    terms: tuple[Term, ...]
    negations: tuple[str, ...]
    head: str = ""
    quoted: frozenset[str] = frozenset()  # "what did <a named person or body> say ...?": the stems of that name
    stops: frozenset[str] = frozenset()  # its words spaCy counts as stop words, lowercase
    counted: str = ""  # the stem of what "how many / how much" counts: 'countri' of "how many countries ..."
    how: str = ""  # the word after "how": 'many', 'much', 'old', 'long' ...
    determined: bool = False  # a determiner after the wh-word: "Who is *the* CEO?" asks about a role, not a name
    role: bool = False  # "Who is the CEO?", "Who was the team's coach?": "who" and "be" before a noun phrase only
    blank: bool = False  # nothing to look for: wh-words, stop words, interjections only ('hi', 'Who?', 'Why?')

    @property
    def quotes_someone(self) -> bool:
        """Whether the question asks what a named person or body said."""
        return bool(self.quoted)

    @property
    def asks_any_quote(self) -> bool:
        """'What did Rivera say?': what a named one said, about nothing in particular (no word besides the name
        and the reporting verb), so any sentence where they speak answers it."""
        return self.quotes_someone and all(t.stem in self.quoted or t.stem in _SAY_STEMS for t in self.terms)


def fits(question: Question, label: str, text: str) -> bool:
    """Whether an entity of an expected label (`text`, its words) can answer the question: for "how old", an age
    has digits and no year ('Saturday' and 'May 2, 2022' are DATEs but no age); for "how long", a date or time is
    a span ('three hours', not 'Saturday' or 'Oct. 2022'), or for "how long has", also the year since when ('since
    the 1950s')."""
    digits = has_digit(text)
    if question.how == "old":
        return digits and _YEAR.search(text) is None
    if question.how == "long" and label in TIME_LABELS:  # "how long has it been ...": '1957', 'since the 1950s'
        return has_answer_type("duration", text) or (digits and _SINCE_WHEN.search(question.text) is not None)
    return True


_LOCATIVE = frozenset({"in", "at", "near", "from", "to", "into", "across", "outside", "inside", "throughout"})


def a_place_not_an_agent(question: Question, note: Annotation, entity: Entity) -> bool:
    """For "who": a place written after a preposition of place ('founded in 2019 in Austin, Texas') is where,
    not who; a country or city as the doer ('France signed the treaty') still answers."""
    if question.wh not in ("who", "whom") or entity.label != "GPE":
        return False
    before = [t for t in note.tokens if t.end <= entity.start]
    if not before:
        return False
    if before[-1].pos == "ADP":
        return before[-1].lemma in _LOCATIVE
    # 'in Austin, Texas': the state after a place is a place too
    place = next((e for e in note.entities if e.label == "GPE" and e.start <= before[-1].start < e.end), None)
    return place is not None and a_place_not_an_agent(question, note, place)


def expected_labels(wh: str, following: list[tuple[str, str]]) -> frozenset[str]:
    """Entity labels that can answer a question from its wh-word and the (lemma, pos) pairs after it."""
    nxt = following[0][0] if following else ""
    if wh == "how" and nxt == "much" and len(following) > 1 and following[1][0] == "time":
        return TIME_LABELS  # "how much time was left": '24 seconds', not a number of things
    if wh == "how" and nxt == "much" and any(lemma in _PRICED for lemma, _ in following[1:]):
        return MONEY_ASKED
    if wh == "how":
        # "how many votes": a count, not '54%'; "how many of the voters", "how many percent": a share too
        share = following[1:2] == [("of", "ADP")] or any(lemma in ("percent", "percentage") for lemma, _ in following)
        return {
            "many": NUMBER_LABELS - ({"ORDINAL"} if share else {"ORDINAL", "PERCENT"}),
            "much": frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"}),
            "long": frozenset({"DATE", "TIME", "QUANTITY", "CARDINAL"}),
            "old": frozenset({"DATE", "CARDINAL"}),
            "large": frozenset({"QUANTITY", "CARDINAL", "MONEY"}),
            **dict.fromkeys(_MEASURES, frozenset({"QUANTITY", "CARDINAL", "PERCENT"})),
        }.get(nxt, frozenset())
    if wh in ("who", "whom", "whose"):
        return AGENT_LABELS
    if wh == "when":
        return TIME_LABELS
    if wh == "where":
        return PLACE_LABELS | frozenset({"ORG"})
    if wh in ("what", "which"):
        if following and following[0][1] == "AUX" and nxt != "be":
            return frozenset()  # "What did the president declare?": the president is who declared, not what
        nouns = [pos in ("NOUN", "PROPN") for _, pos in following]
        first = next((i for i, noun in enumerate(nouns[:3]) if noun), None)
        if first is not None:  # the run's last noun with a kind names it: 'price' of "what share price"
            end = next((i for i in range(first, len(nouns)) if not nouns[i]), len(nouns))
            kinds = (_HEAD_TYPES.get(following[i][0]) for i in range(end - 1, first - 1, -1))
            return next((kind for kind in kinds if kind), frozenset())
    return frozenset()


def question_from(text: str, note: Annotation) -> Question:
    """Build a Question from its text and spaCy annotation."""
    tokens = note.tokens
    lemmas = [t.lemma for t in tokens]
    wh_index = next((i for i, lemma in enumerate(lemmas) if lemma in QUESTION_WORDS), None)
    wh = lemmas[wh_index] if wh_index is not None else ""
    following = [(t.lemma, t.pos) for t in tokens[wh_index + 1 :]] if wh_index is not None else []
    labels = [next((e.label for e in note.entities if e.start <= t.start < e.end), "") for t in tokens]
    terms: dict[str, Term] = {}
    after_how = {wh_index + 1} if wh == "how" else set()
    expected = expected_labels(wh, following)
    priced = expected == MONEY_ASKED  # "how much did it cost": 'cost' only restates that a sum is asked for
    for i, (token, label) in enumerate(zip(tokens, labels, strict=True)):
        if token.lemma in QUESTION_WORDS or token.pos in _SKIP_POS or i in after_how:
            continue
        surface = text[token.start : token.end]
        key = stem(surface if token.pos == "PROPN" else token.lemma)
        if key and key not in terms:
            number = token.pos == "NUM" or has_digit(surface)
            named = label in NAME_LABELS
            stop = (token.stop and not named) or (priced and token.lemma in _PRICED)
            terms[key] = Term(key, surface, named or token.pos == "PROPN", number, stop, label)
    speech = any(t.lemma in SPEECH_LEMMAS for t in tokens) and wh in ("who", "what", "how")
    said = any(t.lemma in ("say", "tell") and t.pos == "VERB" for t in tokens)
    asks_quote = said and wh == "what" and note.speaker is not None
    named = [
        e
        for e in note.entities
        if asks_quote and e.label in AGENT_LABELS and note.speaker[0] <= e.start < note.speaker[1]
    ]
    quoted = frozenset().union(*(phrase_stems(text[e.start : e.end]) for e in named))
    head = following[0][0] if wh in ("what", "which") and following and following[0][1] in ("NOUN", "PROPN") else ""
    stops = frozenset(text[t.start : t.end].lower() for t in tokens if t.stop)
    counted = _counted(text, tokens[wh_index + 1 :]) if wh == "how" and wh_index is not None else ""
    how = following[0][0] if wh == "how" and following else ""
    determined = any(pos == "DET" for _, pos in following)
    role = (
        wh == "who"
        and len(following) > 2
        and following[0][0] == "be"
        and following[1][1] in ("DET", "PRON")
        and all(pos in _NOUN_PHRASE for _, pos in following[1:])
    )
    # 'vBNS' of "What did vBNS do" is a word all the same, one spaCy could not tag ('X')
    blank = not terms and not any(t.pos == "X" for t in tokens)
    return Question(
        text,
        wh,
        expected,
        speech,
        tuple(terms.values()),
        note.negations,
        head,
        quoted,
        stops,
        counted,
        how,
        determined,
        role,
        blank,
    )


_NOUN_PHRASE = frozenset({"DET", "PRON", "NOUN", "PROPN", "ADJ", "ADP", "PART", "NUM", "CCONJ"})


def _counted(text: str, after_how: list[Token]) -> str:
    """The stem of the noun "how many / how much" counts: the last noun or name of the run right after it ('time'
    of "how much telescope time ...", 'Democrats'), skipping adjectives ('how many new members')."""
    if not after_how or after_how[0].lemma not in ("many", "much"):
        return ""
    nouns: list[Token] = []
    for token in after_how[1:]:
        if token.pos in ("NOUN", "PROPN"):
            nouns.append(token)
        elif nouns or token.pos not in ("ADJ", "NUM"):
            break
    return stem(text[nouns[-1].start : nouns[-1].end]) if nouns else ""


def analyse(text: str) -> Question:
    """Analyse a question with spaCy (or take the result of `prefetch`, or of an earlier ask, for the same
    text)."""
    with _PENDING_LOCK:
        done = _DONE.get(text)
        if done is not None:
            _DONE.move_to_end(text)
            return done
        pending = _PENDING.pop(text, None)
    question = pending.result() if pending is not None else _analyse_now(text)
    with _PENDING_LOCK:
        _DONE[text] = question
        while len(_DONE) > MAX_DONE:
            _DONE.popitem(last=False)
    return question


def clear_analysed() -> int:
    """Forget the analysed questions kept for asking again; returns how many there were."""
    with _PENDING_LOCK:
        count = len(_DONE)
        _DONE.clear()
    return count


def prefetch(text: str) -> None:
    """Start analysing a question in a worker thread, so spaCy's parse overlaps retrieval (the embedding and
    the Chroma query release the GIL); `analyse` then picks the result up. At most `MAX_PENDING` are kept."""
    with _PENDING_LOCK:
        if text not in _PENDING and text not in _DONE:
            _PENDING[text] = _WORKER.submit(_analyse_now, text)
            while len(_PENDING) > MAX_PENDING:
                _PENDING.popitem(last=False)


def _analyse_now(text: str) -> Question:
    return question_from(text, analyse_question(text))


MAX_PENDING = 32
MAX_DONE = 256  # analysed questions kept (a few kB each): asked again, a question skips its ~10 ms parse
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-question-nlp")
_PENDING: OrderedDict[str, Future[Question]] = OrderedDict()
_DONE: OrderedDict[str, Question] = OrderedDict()
_PENDING_LOCK = threading.Lock()
