"""Rewrite a follow-up question with the conversation: resolve pronouns and "what about X" turns.

Names come from spaCy's entities (the question pipeline: ~10 ms a text, for follow-ups only), so "he" is
resolved to a person and "them" to a list of names ("U.S., France and Germany"); where spaCy finds no name the
capitalised-word finders of `qa.text` stand in.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from qa.text import QUESTION_WORD_PATTERN, entities, is_stopword, names_in

if TYPE_CHECKING:
    from qa.index.nlp import Annotation

PERSON = "PERSON"
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})
LOOKBACK_TURNS = 3  # turns searched for the name a pronoun stands for, the latest first
MAX_DEPTH = 2  # earlier questions resolved in turn before the latest one ("What did she ask for?", "Why?")
NAMED_CHARS = 1000  # of a question or an answer read for names (~25 ms a follow-up; 2,000 chars: ~70 ms)

_PRONOUN = re.compile(r"\b(?:he|she|they|him|them|his|their|her)\b", re.IGNORECASE)
_ASKS_WHO = re.compile(r"\s*(?:who|whom)\b", re.IGNORECASE)
_DEMONSTRATIVE = re.compile(r"\b(that|this|it|there|then|those|these)\b", re.IGNORECASE)
_LEAD = r"^\s*(?:(?:and|but|so)\s+)?"  # 'And why ...', 'So when ...'
_OPENING = re.compile(rf"{_LEAD}(?:({QUESTION_WORD_PATTERN})\b\s*)?", re.IGNORECASE)  # 'And why', 'Who'
_BARE_WH = re.compile(  # 'Why?', 'And when?', 'From whom?', 'Since when?'
    rf"{_LEAD}((?:(?:from|to|with|for|by|since|until)\s+)?(?:{QUESTION_WORD_PATTERN}))\s*[?.!]*\s*$", re.IGNORECASE
)
_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)\s*\??\s*$", re.IGNORECASE)
_AND = re.compile(r"^\s*and\s+(.+?)\s*[?.!]*\s*$", re.IGNORECASE)  # 'And the judge?' if a noun phrase follows
_NOUN_PHRASE = frozenset({"DET", "NOUN", "PROPN", "ADJ", "NUM", "PART", "PUNCT"})
MAX_AND_WORDS = 5


def message_text(message: object) -> str:
    """Text of a Gradio/OpenAI message (content may be a string or a list of parts)."""
    content = message.get("content", "") if isinstance(message, dict) else ""
    if isinstance(content, str):
        return content
    if isinstance(content, list | tuple):
        parts = [p.get("text", "") if isinstance(p, dict) else p for p in content]
        return " ".join(p for p in parts if isinstance(p, str))
    return ""


def last_turn(history: list[dict]) -> tuple[str, str]:
    """(previous user question, previous assistant answer); empty strings when absent."""
    return next(iter(turns(history)), ("", ""))


def turns(history: list[dict]) -> list[tuple[str, str]]:
    """The (user question, assistant answer) pairs of the history, the latest first; an answer may be ''."""
    pairs: list[tuple[str, str]] = []
    assistant = ""
    for message in reversed(history):
        role = message.get("role") if isinstance(message, dict) else None
        if role == "assistant" and not assistant:
            assistant = message_text(message)
        elif role == "user":
            pairs.append((message_text(message), assistant))
            assistant = ""
    return pairs


def rewrite(question: str, history: list[dict]) -> str:
    """Standalone version of `question` given `history`; the question itself when no context is needed."""
    return _rewrite(question, turns(history))


def _rewrite(question: str, earlier: list[tuple[str, str]], depth: int = 0) -> str:
    """`rewrite` over the (question, answer) turns, the latest first. A pronoun or bare wh-word of the latest
    question is first resolved with the turns before it (to a `depth` of MAX_DEPTH): in "When will she be sworn
    in?" then "Who did she defeat?", both "she" are the one asked about before, not the person the first answer
    names; "What did she ask for?", "Why?", "And the judge?" asks why the judge asked. The latest question
    added as context is that resolved one too: "(How old is Kofi Mensah?)", not "(How old is he?)"."""
    previous = earlier[0][0] if earlier else ""
    if not previous:
        return question
    if depth < MAX_DEPTH and (_PRONOUN.search(previous) or _BARE_WH.match(previous)):
        previous = _rewrite(previous, earlier[1:], depth + 1)
    about = _ABOUT.match(question)
    subject = about.group(1) if about else _noun_phrase_after_and(question)
    if subject:
        return _swap_focus(previous, subject)
    bare = _BARE_WH.match(question)
    pronoun = _PRONOUN.search(question)
    if not (bare or pronoun or _points_back(question) or len(question.split()) <= 3):
        return question  # it stands alone: the earlier turns are not read
    if bare:
        return _ask_again(bare.group(1), previous)
    if pronoun:
        for k, (asked_before, replied) in enumerate(earlier[:LOOKBACK_TURNS]):
            replaced = _resolve_from(question, previous if k == 0 else asked_before, replied)
            if replaced != question:  # a question with no pronoun or 'that' left stands alone
                left = _PRONOUN.search(replaced) or _DEMONSTRATIVE.search(replaced)
                return f"{replaced} ({previous.strip()})" if left else replaced
    return f"{question} ({previous.strip()})"


def _ask_again(wh: str, previous: str) -> str:
    """A bare 'Why?' / 'When?' after a question is that question asked with this wh-word: 'Was anyone sent off?'
    then 'Why?' is 'Why was anyone sent off?'; 'Who scored?' then 'When?' is 'When scored?' (its words are what
    the engine needs; alone, 'Why?' has nothing to look for)."""
    rest = _OPENING.sub("", previous.strip(), count=1)
    if not any(ch.isalnum() for ch in rest):  # 'Why?' then 'Why?'
        return previous
    first = rest.split()[0]
    rest = rest[0].lower() + rest[1:] if is_stopword(first.lower()) else rest
    return f"{wh.capitalize()} {rest}"


def _points_back(question: str) -> bool:
    """Whether a word of the question points back ('that', 'then', 'there' ...). An existential 'there' ('Will
    there be a dentist?', a pronoun to spaCy; the place 'there' is an adverb) points nowhere: the question stands
    alone, and the earlier question added to it had buried its own words."""
    found = list(_DEMONSTRATIVE.finditer(question))
    if not found or any(m.group(1).lower() != "there" for m in found):
        return bool(found)
    from qa.index.nlp_process import analyse_question

    tokens = analyse_question(question).tokens
    return any(t.pos != "PRON" for m in found for t in tokens if t.start == m.start(1))


def _resolve_from(question: str, previous: str, reply: str) -> str:
    """The question with its pronouns replaced by names of one earlier turn (unchanged when it names none)."""
    asked = named(previous)[0] or [(n, "") for n in entities(previous)]
    reply = _without_markers(reply)
    found, lists = named(reply)
    found = found or [(n, "") for n in names_in(reply)]
    answered = [(n, label) for n, label in found if not any(n in a or a in n for a, _ in asked)]
    if _ASKS_WHO.match(previous) and any(label in (PERSON, "") for _, label in answered):
        # "Who was Whitaker's lawyer?": the lawyer is asked for and Whitaker only qualifies the word, so "she"
        # next is the person the answer names
        asked = [(n, label) for n, label in asked if not re.search(rf"{re.escape(n)}['’]s\b", previous)]
    # a lone name a question asks about, not "who" but about them, is who "he" or "she" is next, whatever spaCy
    # calls it ('How old is Rivera?': a GPE to the small model; 'Who did Harbor City sign?' asks for the person)
    about_one = len(asked) == 1 and asked[0][1] != "NORP" and not _ASKS_WHO.match(previous)
    return _resolve_pronouns(
        question,
        asked,
        _outside_quotes_first(reply, answered),
        lists,
        _possessive_her(question),
        asked[0][0] if about_one else None,
    )


def _possessive_her(question: str) -> frozenset[int]:
    """Offsets of each "her" that is followed by what it qualifies ("Who was her husband?"): it stands for
    "<name>'s" like "his", not for the person spoken to ("What did they tell her?")."""
    if not re.search(r"\bher\b", question, re.IGNORECASE):
        return frozenset()
    note = _parsed(question[:NAMED_CHARS])
    if note is None:
        return frozenset()
    return frozenset(
        t.start
        for t, after in pairwise(note.tokens)
        if question[t.start : t.end].lower() == "her" and after.pos in ("NOUN", "PROPN", "ADJ", "NUM")
    )


def _outside_quotes_first(text: str, names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The names, those first met outside a quotation first: in '"Mateo is the player we chased," said coach
    Linda Brandt', the answer is about Linda Brandt."""

    def quoted(name: str) -> bool:
        before = text[: max(text.find(name), 0)]
        return before.count('"') % 2 == 1 or before.rfind("“") > before.rfind("”")

    return sorted(names, key=lambda item: quoted(item[0]))


def _without_markers(text: str) -> str:
    return re.sub(r"\[\d+\]", "", text)


def _noun_phrase_after_and(question: str) -> str | None:
    """The noun phrase of 'And the judge?' (asked like 'What about the judge?'), or None: 'And did he appeal?'
    and 'And then?' are no noun phrase."""
    found = _AND.match(question)
    if found is None or len(found.group(1).split()) > MAX_AND_WORDS:
        return None
    note = _parsed(found.group(1))
    tokens = note.tokens if note is not None else ()
    if tokens and all(t.pos in _NOUN_PHRASE for t in tokens) and any(t.pos in ("NOUN", "PROPN") for t in tokens):
        return found.group(1)
    return None


def _swap_focus(previous: str, subject: str) -> str:
    """'What about X?' asks the previous question about X instead of its last named entity, or where it names
    none, its last noun phrase ('What did the prosecutor say?' then 'And the lawyer?')."""
    names = entities(previous)
    if names:
        head, _, tail = previous.rpartition(names[-1])
        return f"{head}{subject}{tail}"
    note = _parsed(previous)
    phrases = [
        (a, b)
        for a, b in (note.chunks if note else ())
        if any(t.pos in ("NOUN", "PROPN") for t in note.tokens if a <= t.start < b)
    ]
    if not phrases:
        return f"{previous.rstrip(' ?')} {subject}?"
    start, end = phrases[-1]
    return f"{previous[:start]}{subject}{previous[end:]}"


def _parsed(text: str) -> Annotation | None:
    """spaCy's reading of a short text, or None where it fails: spaCy is a help here, never a reason to fail a
    question."""
    from qa.index.nlp_process import analyse_question

    try:
        return analyse_question(text)
    except Exception:
        return None


def named(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The text's names as (name, spaCy label), in order, each once; and its lists of names of one kind
    joined by commas and a conjunction only ('U.S., France and Germany'; `short.coordinated`, as short
    answers join them)."""
    from qa.extractive.short import coordinated

    text = text[:NAMED_CHARS]
    note = _parsed(text)
    if note is None:
        return [], []
    ents = [e for e in note.entities if e.label == PERSON or e.label in GROUP_LABELS]
    single = {(e.start, e.end) for e in ents}
    lists = [text[a:b] for a, b in coordinated(ents, text, note) if (a, b) not in single]
    names = dict.fromkeys((_bare(text[e.start : e.end]), e.label) for e in ents)
    return [(n, label) for n, label in names if n], lists


def _bare(name: str) -> str:
    return name.removeprefix("the ").removesuffix("’s").removesuffix("'s")


def _resolve_pronouns(
    question: str,
    asked: list[tuple[str, str]],
    answered: list[tuple[str, str]],
    lists: list[str],
    possessive: frozenset[int] = frozenset(),
    lone: str | None = None,
) -> str:
    """Replace third-person pronouns: "he/she/his" by the person asked about (else the answer's first), and
    "him/her" by the answer's person (`lone`, a name asked about that spaCy did not call a person, stands for
    the person asked about); "they/their" by a body or place asked about, "them" by the answer's
    list of names (else its first body or place); a "her" at an offset in `possessive` as "his". Names without
    a spaCy label (it found none) count as either kind. When the previous question names two or more people,
    "he" could be either: left as is."""

    def kind(names: list[tuple[str, str]], person: bool) -> list[str]:
        return [n for n, label in names if not label or (label == PERSON) == person]

    people_asked = kind(asked, True) or ([lone] if lone else [])
    subject = None if len(set(people_asked)) > 1 else (people_asked or kind(answered, True) or [None])[0]
    other = next((n for n in kind(answered, True) + people_asked if n != subject), subject)
    groups = kind(answered, False)
    group = (lists or groups or [None])[0]
    they = (kind(asked, False) or groups or [None])[0]

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        low = "his" if match.start() in possessive else word.lower()
        replacement = {
            "he": subject,
            "she": subject,
            "his": f"{subject}'s" if subject else None,
            "him": other,
            "her": other,
            "they": they,
            "their": f"{they}'s" if they else None,
            "them": group,
        }.get(low)
        return replacement or word

    return _PRONOUN.sub(swap, question)
