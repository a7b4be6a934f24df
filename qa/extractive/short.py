"""Short answers: the name, date, number or phrase inside a cited sentence that answers the question."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from qa.extractive.question import NAME_LABELS, NUMBER_LABELS, TIME_LABELS, Question, a_place_not_an_agent, fits
from qa.index.abbreviations import TITLES
from qa.index.build import IndexedArticle
from qa.index.nlp import Annotation, Entity, Token
from qa.index.split import DATELINE
from qa.text import abbreviation_stems, phrase_stems, stem

LOOKBACK = 3
BOUNDARY = 3  # words a clause boundary between an answer and a question word counts as
Rarity = Callable[[str], float]
QUOTE_MARKS = frozenset("\"“‘'")  # a sentence opening with one of these may carry on a quotation


@dataclass(frozen=True)
class Span:
    """A span of the article: sentence position and offsets relative to that sentence."""

    position: int
    start: int
    end: int


def _anchors(question: Question, text: str, note: Annotation) -> dict[str, list[int]]:
    """For each question word (stem) the sentence also uses, the indices of the sentence's tokens that hold it."""
    groups: dict[str, list[int]] = {}
    for i, token in enumerate(note.tokens):
        for own in token_stems(text, token) & {t.stem for t in question.terms}:
            groups.setdefault(own, []).append(i)
    return groups


def token_stems(text: str, token: Token) -> frozenset[str]:
    """The stems of a word as written and of its lemma ('countries', 'country' -> {'countri'}), and of what it
    abbreviates or is abbreviated to ('Gov.' -> {'gov', 'governor'}; 'doctorate' -> {'doctor', 'phd'})."""
    stems = {stem(text[token.start : token.end]), stem(token.lemma)} | phrase_stems(token.norm)
    return frozenset(stems | abbreviation_stems(stems))


def _tokens_in(note: Annotation, start: int, end: int) -> list[Token]:
    """The sentence's words (punctuation aside) inside [start, end)."""
    return [t for t in note.tokens if start <= t.start and t.end <= end]


def _new_to_question(question: Question, text: str, note: Annotation, start: int, end: int) -> bool:
    """True when text[start:end] says something the question does not already say: one of its words (its
    stop words aside, unless it has nothing else: 'one') is not among the question's."""
    own = {t.stem for t in question.terms}
    inside = _tokens_in(note, start, end)
    words = [t for t in inside if not t.stop] or inside
    return any(not (token_stems(text, t) & own) for t in words)


def _asked_person(names: list[frozenset[str]], text: str, entity: Entity) -> bool:
    """Whether a person of the sentence is one the question names (`_person_names`), in part: 'Ana Ruiz' for
    "Who did Ruiz meet?" (each word of a name the question gives is in it; 'Maria Lopez' is not 'Carlos Lopez')."""
    if entity.label != "PERSON":
        return False
    words = phrase_stems(text[entity.start : entity.end])
    return any(name <= words for name in names)


def _person_names(question: Question) -> list[frozenset[str]]:
    """The stems of each name the question gives: its runs of name terms (whatever spaCy's label: the small
    model reads a lone surname in a question as a place now and then)."""
    names: list[set[str]] = []
    previous = False
    for term in question.terms:
        is_name = term.name and not term.number
        if is_name and previous:
            names[-1].add(term.stem)
        elif is_name:
            names.append({term.stem})
        previous = is_name
    return [frozenset(n) for n in names]


def counted_by(text: str, note: Annotation, entity: Entity) -> frozenset[str]:
    """The stems of the noun a number entity counts, ending it or right after it ('nine countries', '11 nights');
    empty when it is no number or counts nothing named."""
    inside = _tokens_in(note, entity.start, entity.end)
    if not any(t.pos == "NUM" for t in inside):
        return frozenset()
    run: list[Token] = []  # the nouns after the number, to the last of a compound
    previous = inside[-1]
    for token in (t for t in note.tokens if t.start > inside[-1].start):
        if text[previous.end : token.start].strip():  # '... injuring more than 200, officials said'
            break
        if token.pos in ("NOUN", "PROPN"):
            run.append(token)
        elif run or token.pos != "ADJ":
            break
        previous = token
    nouns = [t for t in inside if t.pos in ("NOUN", "PROPN")] or run
    ends = {nouns[0], nouns[-1]} if nouns else set()  # 'league' or 'games' of '31 league games'
    return frozenset().union(*(token_stems(text, t) for t in ends))


def counts_another(question: Question, text: str, note: Annotation, entity: Entity) -> bool:
    """For "how many fire engines ...": whether the number counts something else ('three firebreaks'), or is a
    sum of money ('$600,000'; unless it names what is counted, '5 million dollars'). "How much" measures, not
    counts: '$4 million' answers "how much money", '300 acres' "how much land"."""
    if not question.counted or question.how != "many":
        return False
    if entity.label == "MONEY":
        return question.counted not in phrase_stems(text[entity.start : entity.end])
    nouns = counted_by(text, note, entity)
    return bool(nouns) and question.counted not in nouns


def _names_head(head: str, text: str, note: Annotation, entity: Entity) -> bool:
    """Whether the entity's words include the noun the question asks about ('Treaty of Rome' for "what treaty")."""
    return any(stem(head) in token_stems(text, t) for t in _tokens_in(note, entity.start, entity.end))


def _head_chunks(question: Question, text: str, note: Annotation) -> Iterator[tuple[int, int, list[Token]]]:
    """The sentence's noun phrases whose noun is the one the question asks about ("Which court ...": 'A federal
    appeals court'): each chunk's span and its tokens without determiners."""
    key = stem(question.head)
    for start, end in note.chunks:
        inside = [t for t in _tokens_in(note, start, end) if t.pos != "DET"]
        if inside and key in token_stems(text, inside[-1]):
            yield start, end, inside


def _named_after_head(question: Question, text: str, note: Annotation) -> Entity | None:
    """The name set off by commas after the noun the question asks about, which it renames ('The union
    representing workers at the Ohio plants, the United Food and Commercial Workers, said ...' for "Which union
    ...?"): the first name entity after one comma that closes with a comma or the sentence's end."""
    for _, end, _ in _head_chunks(question, text, note):
        for entity in note.entities:
            between = text[end : entity.start]
            closes = text[entity.end : entity.end + 1] in (",", "") or text[entity.end :].strip() in (".", "")
            if entity.start >= end and between.count(",") == 1 and between.rstrip().endswith(","):
                if entity.label in NAME_LABELS and closes and ";" not in between:
                    return entity
                break
        return None
    return None


_OF = re.compile(r"\s+of\s+(?:(?:a|an|the|about|nearly|almost|some|over|up to|more than|at least)\s+)*", re.IGNORECASE)


def _of_head(question: Question, text: str, note: Annotation) -> Entity | None:
    """The amount, date or name the noun the question asks about is 'of' ('three years' of 'a sentence of three
    years' for "What sentence ...?", 'Lyon' of 'the city of Lyon'; not 'Paris' of 'the Treaty of Paris', a name
    of its own): the entity right after its 'of'."""
    for _, end, inside in _head_chunks(question, text, note):
        found = _OF.match(text, end)
        if found is None or text[inside[-1].start].isupper():  # 'the Treaty of Paris' is one name
            continue
        after_of = text.index("of", found.start()) + 3  # 'about 3 million' may start at 'about'
        entity = next((e for e in note.entities if after_of <= e.start <= found.end()), None)
        return _measure(text, note, entity) if entity is not None else None
    return None


def _described_head(question: Question, text: str, note: Annotation) -> tuple[int, int] | None:
    """The noun phrase of the sentence whose noun is the one the question asks about and that says more than
    the question does ('federal appeals court' of 'A federal appeals court on Monday blocked ...' for "Which
    court ...?"), without its determiner; None where there is none ('schools in Dickson County': the phrase is
    'schools', and the name after it answers)."""
    own = {t.stem for t in question.terms}
    for _, _, inside in _head_chunks(question, text, note):
        if any(t.pos in _DESCRIBING and not token_stems(text, t) & own for t in inside[:-1]):
            return inside[0].start, inside[-1].end
    return None


def _small_number(text: str, entity: Entity) -> bool:
    return text[entity.start : entity.end].isdigit() and entity.end - entity.start < 4


_DURATION_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute", "decade", "century"})


def _measure(text: str, note: Annotation, entity: Entity) -> Entity:
    """A quantity without the phrase spaCy's small model runs on into after its unit: 'about 1,800 acres' of
    'about 1,800 acres by evening' (cut at a preposition after the unit's noun)."""
    if entity.label != "QUANTITY":
        return entity
    inside = _tokens_in(note, entity.start, entity.end)
    for i, token in enumerate(inside[1:], start=1):
        if token.pos == "ADP" and inside[i - 1].pos == "NOUN":
            return replace(entity, end=inside[i - 1].end)
    return entity


def _duration(text: str, note: Annotation, entity: Entity) -> bool:
    """Whether the entity is a length of time, no answer to "when" though spaCy calls it a DATE: a count of a
    unit ('40 years' of 'first final in 40 years', 'the past two decades'; not '1,000 years ago' or 'the 18th
    century') or one that modifies a noun ('a two-year repair', '10-day trip')."""
    inside = _tokens_in(note, entity.start, entity.end)
    if len(inside) > 1 and inside[-1].lemma in _DURATION_UNITS and inside[-2].pos == "NUM":
        count = text[inside[-2].start : inside[-2].end].replace(",", "")
        if count.isdigit() or count.isalpha():  # 'forty', '40'; not 'mid-18th'
            return True
    words = text[entity.start : entity.end].lower().split("-")
    if len(words) < 2 or words[-1].removesuffix("s") not in _DURATION_UNITS:
        return False
    after = next((t for t in note.tokens if t.start >= entity.end), None)
    return after is not None and after.pos in ("NOUN", "PROPN", "ADJ")


def _indefinite(note: Annotation, entity: Entity) -> bool:
    """Whether the entity is a stretch of time of no stated length or date ('the first years', 'recent decades'):
    a plural unit with no number."""
    inside = _tokens_in(note, entity.start, entity.end)
    last = inside[-1] if inside else None
    plural = last is not None and last.lemma in _DURATION_UNITS and last.end - last.start > len(last.lemma)
    return plural and not any(t.pos == "NUM" for t in inside)


def _age(text: str, note: Annotation, entity: Entity) -> bool:
    """Whether the entity is a number set off by commas right after a person's name ('Palmer, 51, of')."""
    if not _small_number(text, entity) or not text.startswith(",", entity.end):
        return False
    return any(e.label == "PERSON" and text[e.end : entity.start] == ", " for e in note.entities)


def _closest(
    spans: list[tuple[int, int]], anchors: dict[str, list[int]], text: str, note: Annotation, rarity: Rarity
) -> tuple[int, int] | None:
    """The span nearest to all the question's words in the sentence: the least sum, over the words, of the
    distance to the word's nearest occurrence, in words between them plus BOUNDARY for each comma, semicolon,
    dash or conjunction between them ('38%' of '... a 25% lower risk of heart disease and a 38% lower risk of
    dementia' for "the risk of dementia", '25%' for "of heart disease"; 'Castellano's 46%'). The first span
    when none match."""
    if not spans:
        return None
    if not anchors:
        return spans[0]
    tokens = note.tokens

    def distance(inside: list[int], i: int) -> int:
        inside = inside or [i]
        lo, hi = (i, inside[0]) if i < inside[0] else (inside[-1], i)
        if lo == hi:
            return 0
        between = tokens[lo + 1 : hi]
        breaks = sum(text.count(mark, tokens[lo].end, tokens[hi].start) for mark in ",;:—")
        breaks += sum(t.pos == "CCONJ" for t in between)
        return len(between) + BOUNDARY * breaks

    def key(span: tuple[int, int]) -> tuple[float, int, int]:
        inside = [k for k, t in enumerate(tokens) if span[0] <= t.start and t.end <= span[1]]  # once per span
        total = sum(rarity(word) * min(distance(inside, i) for i in group) for word, group in anchors.items())
        # a tie goes to the span starting nearest to a question word ('sentenced on Friday' over 'over six years
        # was sentenced'), then to the first
        return total, min(abs(span[0] - tokens[i].start) for group in anchors.values() for i in group), span[0]

    return min(spans, key=key)


def coordinated(entities: list[Entity], text: str, note: Annotation) -> list[tuple[int, int]]:
    """Entity spans, with coordinated ones of the same kind joined: 'Tom Brandt and Luis Ferreira', 'France,
    Spain and Italy' answer "who" or "which countries" whole. Joined when only commas and coordinating
    conjunctions (by spaCy's part of speech) stand between them."""
    spans: list[tuple[int, int]] = []
    last: Entity | None = None
    for entity in sorted(entities, key=lambda e: e.start):
        joined = last is not None and last.label == entity.label
        # 'A, or B' restates A ('$214 million, or 97 cents a share'); 'A, B, or C' is a list
        restated = joined and text[spans[-1][1] : entity.start] == ", or " and spans[-1] == (last.start, last.end)
        if joined and not restated and _only_conjunctions(text, note, spans[-1][1], entity.start):
            spans[-1] = (spans[-1][0], entity.end)
        else:
            spans.append((entity.start, entity.end))
        last = entity
    return spans


def _only_conjunctions(text: str, note: Annotation, start: int, end: int) -> bool:
    """True when text[start:end] holds nothing but commas, spaces and at most one conjunction ('and', 'or')."""
    inside = _tokens_in(note, start, end)
    if len(inside) > 1 or any(t.pos != "CCONJ" for t in inside):
        return False
    rest = text[start:end]
    for t in inside:
        rest = rest.replace(text[t.start : t.end], "", 1)
    return 0 < end - start <= 8 and not rest.strip(", ")


def continues_quote(indexed: IndexedArticle, position: int) -> bool:
    """Whether the sentence at `position` carries on the quotation of the one before: it opens with a quotation
    mark, names no speaker and shares that sentence's paragraph ('"We cannot wait," the mayor said. "Every
    dollar counts."')."""
    sentences = indexed.sentences
    here = sentences[position]
    return (
        position > 0
        and here.text[:1] in QUOTE_MARKS
        and indexed.annotations[position].speaker is None
        and sentences[position - 1].passage_index == here.passage_index
    )


def speaker(indexed: IndexedArticle, position: int) -> Span | None:
    """Who says the sentence at `position`: its attributed subject, or for a pronoun ('he said') the last
    person named, or speaker, in the few sentences before; for a sentence that carries on a quotation, who says the one
    it carries on."""
    note = indexed.annotations[position]
    if note.speaker is None:
        return speaker(indexed, position - 1) if continues_quote(indexed, position) else None
    if not note.speaker_is_pronoun:
        return Span(position, *note.speaker)
    for back in range(position - 1, max(-1, position - 1 - LOOKBACK), -1):
        earlier = indexed.annotations[back]
        people = [(e.start, e.end) for e in earlier.entities if e.label == "PERSON"]
        if _named_speaker(indexed.sentences[back].text, earlier):
            people.append(earlier.speaker)  # 'Ruiz said he chose ...': a name spaCy did not tag as a person
        if people:
            return Span(back, *max(people))
    return Span(position, *note.speaker)


def _named_speaker(text: str, note: Annotation) -> bool:
    """Whether the sentence's speaker ends in a capitalised word no entity other than a person covers: 'Ruiz',
    'head coach Linda Brandt', not 'the club', "The supporters' trust" or 'the Ministry of Defence'."""
    if note.speaker is None or note.speaker_is_pronoun:
        return False
    last = _tokens_in(note, *note.speaker)[-1:]
    return (
        bool(last)
        and text[last[0].start].isupper()
        and not any(e.label != "PERSON" and e.start <= last[0].start < e.end for e in note.entities)
    )


def short_answer(
    question: Question, indexed: IndexedArticle, position: int, rarity: Rarity = lambda word: 1.0
) -> Span | None:
    """The answer span inside the sentence at `position`, when the question asks for one; `rarity` weighs each
    question word (stem) the span should be near (the article's inverse document frequency)."""
    if question.speech and question.wh in ("who", "whom"):
        found = speaker(indexed, position)
        if found is not None:
            said = indexed.annotations[found.position]
            if not (said.speaker_is_pronoun and (found.start, found.end) == said.speaker):  # a bare 'he' is none
                return _person_in(said, found)
    text = indexed.sentences[position].text
    note = indexed.annotations[position]
    if asks_who_someone_is(question):
        return _apposition(question, text, note, position)
    anchors = _anchors(question, text, note)
    if question.expected:
        wanted = [_measure(text, note, e) for e in note.entities if e.label in question.expected]
    elif question.head and not question.speech:
        # "which chamber ...", "what treaty ...": a name the sentence adds. The nearest noun phrase instead
        # was right less often than quoting the whole sentence (SQuAD 2.0 F1 0.16 against 0.19; a name: 0.31)
        wanted = list(note.entities)
    else:
        return None
    # 'COLUMBUS, Ohio (AP) — A judge blocked ...': where the story was filed may answer "where", but neither the
    # city nor the agency that filed it answers "who blocked the ordinance"; the agency is no place either
    dateline = DATELINE.match(text)
    if dateline and question.wh != "where":
        wanted = [e for e in wanted if not dateline.start() <= e.start < dateline.end()]
    elif dateline and dateline.group(1):
        wanted = [e for e in wanted if not dateline.start(1) <= e.start < dateline.end(1)]
    entities = [e for e in wanted if _new_to_question(question, text, note, e.start, e.end)]
    entities = [e for e in entities if fits(question, e.label, text[e.start : e.end])]
    if question.head and not question.expected:  # "which telescope ...": 'the James Webb Space Telescope' first
        named = [e for e in entities if _names_head(question.head, text, note, e)]
        renamed = None if named else _named_after_head(question, text, note) or _of_head(question, text, note)
        if renamed is not None and _new_to_question(question, text, note, renamed.start, renamed.end):
            return Span(position, *_trimmed(text, note, renamed.start, renamed.end))
        phrase = None if named else _described_head(question, text, note)
        if phrase is not None:  # "Which court blocked the map?": 'federal appeals court', not 'Ohio' it blocked
            return Span(position, *phrase)
        # else a name, not a date or number: 'Monday' of '... will be closed Monday' names no school
        entities = named or [e for e in entities if e.label not in NUMBER_LABELS | TIME_LABELS]
    entities = [e for e in entities if not a_place_not_an_agent(question, note, e)]
    if question.wh in ("who", "whom"):
        entities = [e for e in entities if not _modifies_noun(text, note, e)]
        if not question.speech:  # "Who won?": not 'Ben Osgood' of '..., county clerk Ben Osgood said'
            entities = [e for e in entities if not _reports_only(question, text, note, e)]
    names = _person_names(question)
    entities = [e for e in entities if not _asked_person(names, text, e)]
    if question.wh in ("who", "whom") and any(e.label == "PERSON" for e in entities):
        entities = [e for e in entities if e.label == "PERSON"]  # 'the French', 'China' are more often context
    if question.counted:  # "how many countries ...": 'nine' of '42 scientists from nine countries'; '11 nights'
        counts = {e: counted_by(text, note, e) for e in (_measure(text, note, e) for e in note.entities)}
        counting = [e for e, nouns in counts.items() if question.counted in nouns]
        # 'killing at least 14 people and injuring more than 200': the bare number after a word the question
        # asks about ("how many people were injured") counts the same people
        counting += [e for e, nouns in counts.items() if not nouns and _after_asked_word(question, text, note, e)]
        counting = [e for e in counting if _new_to_question(question, text, note, e.start, e.end)]
        # none of them: not a count of something else ('Three Republicans' for "how many Democrats"), nor a sum
        # of money ('a $45 billion bill' for "how many pipes")
        others = [e for e in entities if not (e.label == "MONEY" and counts_another(question, text, note, e))]
        entities = counting or [e for e in others if not (e.label == "CARDINAL" and counts.get(e))]
    elif question.how in ("much", "old", "long"):  # not a count of things: '23%' and not the '1,200' of '1,200
        # jobs'; '10 years', not the '9 million' of '9 million lines' for "how long will it take"
        entities = [e for e in entities if not (e.label == "CARDINAL" and counted_by(text, note, e))]
    if question.how == "old":  # news gives an age after the name ('Palmer, 51, of')
        entities = [e for e in entities if _age(text, note, e)] or entities
    if question.wh == "when":  # a bare number under 1000 is no date ('Palmer, 51,' that spaCy calls a DATE)
        entities = [e for e in entities if not _small_number(text, e) and not _duration(text, note, e)]
        own = {t.stem for t in question.terms}  # 'the Yuan dynasty' restates "when did the Yuan ..."
        entities = [_past_asked_words(text, note, e, own) for e in entities]
        entities = [e for e in entities if not phrase_stems(text[e.start : e.end]) & own] or entities
        entities = [e for e in entities if not _indefinite(note, e)] or entities  # '1271', not 'the first years'
    spans = coordinated(entities, text, note)
    best = _closest(spans, anchors, text, note, rarity)
    if best and dateline and best[0] < (place := _place_end(dateline)):  # 'NORWICH, England', not 'England'
        return Span(position, 0, place)
    return Span(position, *_trimmed(text, note, *best)) if best else None


def _past_asked_words(text: str, note: Annotation, entity: Entity, own: set[str]) -> Entity:
    """A date without the words of the question spaCy ran into it: 'Sept. 30' of 'the quarter ended Sept. 30'
    for "When did the quarter end?" (the entity itself when no such word or nothing with a digit follows)."""
    inside = _tokens_in(note, entity.start, entity.end)
    asked = [i for i, t in enumerate(inside) if token_stems(text, t) & own]
    rest = inside[asked[-1] + 1 :] if asked else []
    if not rest or not any(ch.isdigit() for ch in text[rest[0].start : entity.end]):
        return entity
    return replace(entity, start=rest[0].start)


def _after_asked_word(question: Question, text: str, note: Annotation, entity: Entity) -> bool:
    """Whether a number comes right after a word the question asks about ('injuring more than 200')."""
    before = [t for t in note.tokens if t.end <= entity.start]
    own = {t.stem for t in question.terms if not t.stop}
    return entity.label == "CARDINAL" and bool(before) and bool(token_stems(text, before[-1]) & own)


def _reports_only(question: Question, text: str, note: Annotation, entity: Entity) -> bool:
    """Whether a name is that of one who reports the sentence and nothing the question asks about: 'county clerk
    Ben Osgood' of '..., county clerk Ben Osgood said', but not 'House Speaker Rob Whitman' for "Who is the House
    Speaker?"."""
    own = {t.stem for t in question.terms}
    for start, end in note.speakers:
        if start <= entity.start < end:
            return not phrase_stems(text[start:end]) & own
    return False


def _modifies_noun(text: str, note: Annotation, entity: Entity) -> bool:
    """Whether a name is written before a common noun it modifies, naming that thing and no one who acts: 'the
    Obama administration', 'Springfield mayor's race'; a possessive ("John Myhill's work") is the one whose it is."""
    if text[entity.start : entity.end].endswith(("'s", "’s")):
        return False
    after = next((t for t in note.tokens if t.start >= entity.end), None)
    return after is not None and after.start == entity.end + 1 and after.pos == "NOUN"


def _place_end(dateline: re.Match[str]) -> int:
    """Where the place of a dateline ends: before the agency's bracket or the dash."""
    return len(re.split(r"\s*(?:\(|[-—–]\s)", dateline.group(0), maxsplit=1)[0])


_LAST_POS = frozenset({"SCONJ", "ADP", "VERB", "AUX", "CCONJ"})  # never a name's last word


def _trimmed(text: str, note: Annotation, start: int, end: int) -> tuple[int, int]:
    """A span without the words spaCy's small model sometimes takes into an entity at its edges: a trailing
    possessive ('John Myhill' of "John Myhill's definition"), a leading subordinating conjunction ('Ireland' of
    'Since Ireland'), a trailing verb, preposition or conjunction ('the law' of 'the law and').
    ('about 1820', 'between 5 and 20 minutes' keep their words: SQuAD's answers do.)"""
    for mark in ("'s", "’s"):
        if text.endswith(mark, start, end) and end - start > len(mark):
            end -= len(mark)
    inside = _tokens_in(note, start, end)
    while len(inside) > 1 and inside[0].pos == "SCONJ":
        inside = inside[1:]
        start = inside[0].start
    while len(inside) > 1 and inside[-1].pos in _LAST_POS:
        inside = inside[:-1]
        end = inside[-1].end
    return start, end


def asks_who_someone_is(question: Question) -> bool:
    """'Who is Juliet Schor?', 'Who was Kublai?': a description is asked for, not another name ("Who is the House
    Speaker?" names a body and a title, "Who is the CEO?" a role: they ask for a name). Any name counts: spaCy
    labels 'Olaf Scholz' alone in a question an organisation."""
    terms = question.terms
    named = bool(terms) and all(t.name for t in terms) and all(t.label in NAME_LABELS or not t.label for t in terms)
    return question.wh == "who" and named and not question.speech and not question.determined


def _person_in(note: Annotation, span: Span) -> Span:
    """The person's name inside a speaker's phrase ('Thomas Hale' of 'Republican leader Thomas Hale'), else it."""
    inside = [e for e in note.entities if e.label == "PERSON" and span.start <= e.start and e.end <= span.end]
    return Span(span.position, inside[0].start, inside[0].end) if inside else span


_APPOSITION_ENDS = (",", ";", ":", " who ", " which ", " that ", " whose ", " said", " says")
_DESCRIBING = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM"})
MAX_APPOSITION_WORDS = 12


_TITLE_LABELS = frozenset({"ORG", "GPE", "NORP"})  # 'Ohio Attorney General', 'French President'


def _title_before(text: str, note: Annotation, entity: Entity) -> tuple[int, int] | None:
    """The words written right before a name as its title ('local president' of 'said local president Gloria
    Mendez', 'Chief Executive Officer' of 'Chief Executive Officer Mark Delaney said', 'Northern Grid spokesperson'),
    or None: nouns and adjectives, of no entity but a body, place or group, ending in a singular noun."""
    run: list[Token] = []
    for token in reversed([t for t in note.tokens if t.end <= entity.start]):
        edge = run[0].start if run else entity.start
        other = any(e.start <= token.start < e.end and e.label not in _TITLE_LABELS for e in note.entities)
        if text[token.end : edge] != " " or token.pos not in ("NOUN", "PROPN", "ADJ") or other:
            break
        run.insert(0, token)
    if len(run) > 1 and text[run[-1].start : run[-1].end].lower().rstrip(".") in TITLES:
        run = run[:-1]  # 'lead author' of 'lead author Dr. Kenji Watanabe': the honorific belongs to the name
    last = run[-1] if run else None
    if last is None or len(run) > MAX_APPOSITION_WORDS or last.pos == "ADJ":
        return None
    if text[last.start : last.end].lower() != last.lemma:  # 'brothers Walter and Henry Ames': no one's title
        return None
    return run[0].start, run[-1].end


def _renamed_before(text: str, note: Annotation, entity: Entity) -> tuple[int, int] | None:
    """The noun phrase that a name set off by a comma renames ('lawyer' of 'Their lawyer, Priya Natarajan,
    called ...', "Westfield's manager", 'one doctor' of 'one doctor, Dr. Hannah Osei,'), without its determiner
    or possessive pronoun, or None: it ends in a common noun outside any entity and names no person ('After
    meeting Tom Ng, Ana Rivera said' renames nobody, nor does '..., Holt's plan')."""
    if text.startswith(("'s", "’s"), entity.end):  # 'According to city officials, Holt's plan ...'
        return None
    title = _title_before(text, note, entity)
    name_start = title[0] if title is not None else entity.start
    for start, end in note.chunks:
        if text[end:name_start] != ", ":
            continue
        inside = [t for t in _tokens_in(note, start, end) if t.pos not in ("DET", "PRON")]
        last = inside[-1] if inside else None
        if last is None or last.pos != "NOUN" or any(e.start <= last.start < e.end for e in note.entities):
            return None
        people = [e for e in note.entities if e.label == "PERSON" and e.start < end and start < e.end]
        if any(not text.startswith(("'s", "’s"), e.end) for e in people):  # "Whitaker's lawyer" still renames
            return None
        return inside[0].start, last.end
    return None


def _same_person(asked: frozenset[str], text: str, entity: Entity, by_surname: bool = True) -> bool:
    """Whether a person the sentence names is the one asked about: all the question's name words in the name, or
    (`by_surname`) the name's words all in the question ('Osei' for "Who is Amara Osei?"); never a namesake
    ('Daniel Ortiz' for "Who is Sam Ortiz?")."""
    if _asked_person([asked], text, entity):
        return True
    named = phrase_stems(text[entity.start : entity.end])
    return by_surname and entity.label == "PERSON" and bool(named) and named <= asked


def _named_in_full(asked: frozenset[str], indexed: IndexedArticle) -> bool:
    """Whether the article names the asked person with every word the question gives: only then is a surname
    alone theirs ('Ortiz, 30,' is Daniel Ortiz's age where the article names no Sam Ortiz)."""
    return any(
        _same_person(asked, sentence.text, e, by_surname=False)
        for sentence, note in zip(indexed.sentences, indexed.annotations, strict=True)
        for e in note.entities
    )


# How well a description says who someone is, best first: a noun phrase set off by commas ('a sociologist at
# Boston College'), the noun the name renames ('lawyer' of 'Their lawyer, Priya Natarajan,'), a title ('local
# president'), a relative clause ('who led the study'), an honorific alone ('Dr.').
APPOSITION, RENAMED, TITLE, RELATIVE, HONORIFIC = range(5)


def _descriptions(
    question: Question, text: str, note: Annotation, by_surname: bool = True
) -> Iterator[tuple[int, tuple[int, int]]]:
    """Each description of the person the question names in one sentence, with its rank (see APPOSITION)."""
    asked = frozenset(t.stem for t in question.terms)
    for entity in note.entities:
        if not _same_person(asked, text, entity, by_surname):
            continue
        after = _described_after(text, note, entity) if text.startswith(", ", entity.end) else None
        if after is not None:
            yield (RELATIVE if text.startswith("who ", after[0]) else APPOSITION), after
        renamed = _renamed_before(text, note, entity)
        if renamed is not None:
            yield RENAMED, renamed
        title = _title_before(text, note, entity)
        if title is not None:
            yield (HONORIFIC if text[title[0] : title[1]].endswith(".") else TITLE), title


def _apposition(question: Question, text: str, note: Annotation, position: int) -> Span | None:
    """The best description in the sentence of the person the question names: 'a sociologist at Boston College'
    of 'Juliet Schor, a sociologist at Boston College who led ...'; None when the sentence has none (another
    name in the sentence would be a wrong short answer)."""
    found = min(_descriptions(question, text, note), default=None)
    return Span(position, *found[1]) if found is not None else None


def person_fact(question: Question, indexed: IndexedArticle) -> Span | None:
    """For "Who is X?" X's description (`description`), for "Who is the CEO?" the name of the one the article
    gives that title (`role_holder`), for "How old is X?" the age written after X's name (`stated_age`); else
    None. SQuAD 2.0 has almost none of these questions, news readers ask them often."""
    if asks_who_someone_is(question):
        return description(question, indexed)
    if asks_role_holder(question):
        return role_holder(question, indexed)
    if question.how == "old" and question.terms and all(t.name and not t.number for t in question.terms):
        return stated_age(question, indexed)
    return None


def asks_role_holder(question: Question) -> bool:
    """'Who is the CEO?', "Who was the team's coach?": the name of whoever holds a role is asked for."""
    return question.role and not question.speech and not any(t.number for t in question.terms)


def role_holder(question: Question, indexed: IndexedArticle) -> Span | None:
    """The first person the article gives the asked role as a title ('Chief executive Laura Kim' for "Who is
    the CEO?", 'Gov. Bill Lee' for "the governor") or renames with it ('Its chief executive, Laura Kim,'):
    each word of the question in the title or its sentence, one at least in the title (abbreviations both ways)."""
    asked = {t.stem for t in question.terms}
    for position, (sentence, note) in enumerate(zip(indexed.sentences, indexed.annotations, strict=True)):
        text = sentence.text
        said = frozenset().union(*(token_stems(text, t) for t in note.tokens))
        if not asked <= said | abbreviation_stems(said):
            continue
        for person in (e for e in note.entities if e.label == "PERSON"):
            for found in (_title_before(text, note, person), _renamed_before(text, note, person)):
                if found is None:
                    continue
                title = set().union(*(token_stems(text, t) for t in _tokens_in(note, *found)))
                if asked & (title | abbreviation_stems(title)):
                    return Span(position, person.start, person.end)
    return None


def stated_age(question: Question, indexed: IndexedArticle) -> Span | None:
    """The age news sets off by commas after the asked person's name ('Mensah, 23, joined ...'), first found."""
    asked = frozenset(t.stem for t in question.terms)
    by_surname = _named_in_full(asked, indexed)
    for position, (sentence, note) in enumerate(zip(indexed.sentences, indexed.annotations, strict=True)):
        text = sentence.text
        for person in (e for e in note.entities if _same_person(asked, text, e, by_surname)):
            age = next((e for e in note.entities if e.start == person.end + 2), None)
            if text.startswith(", ", person.end) and age is not None and _age(text, note, age):
                return Span(position, age.start, age.end)
    return None


def description(question: Question, indexed: IndexedArticle) -> Span | None:
    """For "Who is X?": the best description of X anywhere in the article, the earliest of the best rank. A news
    story describes a person where it first names them ('Dr. Amara Osei, a fire-safety researcher at ...') and
    later writes the surname alone, so the sentences retrieved for the question may not hold it."""
    best: tuple[int, int, tuple[int, int]] | None = None
    by_surname = _named_in_full(frozenset(t.stem for t in question.terms), indexed)
    for position, (sentence, note) in enumerate(zip(indexed.sentences, indexed.annotations, strict=True)):
        for rank, span in _descriptions(question, sentence.text, note, by_surname):
            if best is None or rank < best[0]:
                best = (rank, position, span)
    return Span(best[1], *best[2]) if best is not None else None


def _described_after(text: str, note: Annotation, entity: Entity) -> tuple[int, int] | None:
    """The description set off by the comma right after a name, up to where it ends ('a sociologist at Boston
    College'; a relative clause, 'who led the study', up to the next comma), or None."""
    start = entity.end + 2
    first = next((t for t in note.tokens if t.start >= start), None)
    if first is None or first.start != start:
        return None
    rest = text[start:]
    if first.lemma == "who":
        ends = [rest.find(mark) for mark in (",", ";", ":", " said", " says") if mark in rest]
    elif first.pos in _DESCRIBING:
        ends = [rest.find(mark) for mark in _APPOSITION_ENDS if mark in rest]
    else:
        return None
    cut = min([*ends, len(rest.rstrip(".!?"))])
    phrase = rest[:cut].rstrip()
    end = start + len(phrase)
    if any(e.label == "PERSON" and e.start < end and start < e.end for e in note.entities):
        return None  # 'Ruiz, Ng, Mayor Ana Lopez ...': a list of people, not a description
    if not phrase or phrase.isdigit():  # 'Mensah, 23, joined ...': an age is no description
        return None
    return (start, end) if len(phrase.split()) <= MAX_APPOSITION_WORDS else None
