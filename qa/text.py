"""Word-level text analysis: tokens, stems, stopwords and a question's expected answer type."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

from qa.index.abbreviations import ABBREVIATIONS, TITLES

_WORD = re.compile(r"[^\W_]+(?:[’'.-][^\W_]+)*", re.UNICODE)
_STEMMERS = threading.local()  # a Snowball stemmer keeps its word in itself: one per thread

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can could did didn't do does doesn't doing don't down during each either else
    ever few for from further had has have having he he'd he's her here hers herself him himself his how i i'm
    if in into is isn't it it's its itself just let's may me might more most much must my myself neither no nor
    not now of off on once one's only or other ought our ours ourselves out over own per same shall she should so
    some such than that that's the their theirs them themselves then there these they they're this those through
    thus to too under until up upon us very was wasn't we were what what's when where which while who whom whose
    why will with within without would you your yours yourself yourselves yet please according article
    story report piece text question answer mention mentioned mentions describe described get gets got getting
    many much thing things take took taken taking come came go went gone put held located based situated
    happen happens happened become becomes became make makes made kind way lot like something
    anything""".split()
)

QUESTION_WORDS = frozenset("what when where which who whom whose why how".split())
QUESTION_WORD_PATTERN = "|".join(sorted(QUESTION_WORDS))  # for a regex alternation: 'how|what|...'

_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million
    billion trillion dozen dozens hundreds thousands millions billions half first second third fourth fifth
    single double triple several""".split()
)
_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTHS = "january february march april may june july august september october november december".split()
_TIME_WORDS = frozenset(
    _DAYS
    + _MONTHS
    + """today yesterday tomorrow tonight morning afternoon evening night week weekend month year
    decade century ago since until hours hour minutes earlier later recently soon now jan feb mar apr jun jul
    aug sep sept oct nov dec""".split()
)
_DURATION_UNITS = frozenset(
    """second seconds minute minutes hour hours day days week weeks month months year years decade decades century
    centuries""".split()
)
_SPEECH_WORDS = frozenset(
    """say says said saying tell tells told telling according announce announced announces stated states
    added adds warned warns claimed claims argued argues wrote writes think thinks thought believe believes
    believed noted notes""".split()
)
_PERSON_WORDS = frozenset(
    """official officials president minister chancellor leader leaders spokesman spokeswoman spokesperson
    aide aides advisor adviser secretary ambassador diplomat diplomats senator governor mayor king queen prince
    chief director ceo founder author reporter journalist police officer officers general commander judge
    he she they we people person man woman men women administration government""".split()
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a lowercase word, possessives and accents removed ('Céleron' and 'Celeron' are one)."""
    word = word.lower().replace("’", "'")
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    if word.endswith("'s"):
        word = word[:-2]
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word.strip("'.-"))


@lru_cache(maxsize=65536)
def has_digit(text: str) -> bool:
    """Whether the text holds a digit ('1,988', '$499', 'R2-D2'); cached, as features ask it of every word."""
    return any(ch.isdigit() for ch in text)


def digits(word: str) -> str:
    """The digits of a word ('1,988' -> '1988'; '' when it has none)."""
    return "".join(ch for ch in word if ch.isdigit())


def phrase_stems(text: str) -> set[str]:
    """Stems of a phrase's whitespace-separated words ('Linda Brandt' -> {'linda', 'brandt'})."""
    return {stem(w) for w in text.split()}


def abbreviation_stems(stems: set[str] | frozenset[str]) -> set[str]:
    """Stems of the abbreviations whose words are all among `stems` ('chief executive' -> 'ceo')."""
    return {key for key, spelled in _abbreviated() if spelled <= stems}


@lru_cache(maxsize=1)
def _abbreviated() -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((stem(short), frozenset(phrase_stems(word))) for short, word in ABBREVIATIONS.items())


def words(text: str) -> list[str]:
    """Word tokens of a text, lowercased, with curly apostrophes kept inside words."""
    return [w.lower() for w in _WORD.findall(text)]


def is_stopword(word: str) -> bool:
    """True for function words, question words and generic reporting verbs."""
    return word.replace("’", "'") in STOPWORDS


def content_stems(text: str) -> list[str]:
    """Stems of the content words of a text, in order, with repeats."""
    return [stem(w) for w in words(text) if (not is_stopword(w) and len(w) > 1) or w.isdigit()]


def answer_type(question: str) -> str | None:
    """The expected answer type: speech, duration, number, date, person, place or None."""
    q = " ".join(words(question))
    patterns = (
        (
            "speech",
            r"\b(?:what|how) (?:did|does|do|has|have|had|will|would) .+ (?:say|tell|think|claim|announce|warn)\b",
        ),
        ("duration", r"\bhow long\b|\bfor how many (?:days|weeks|months|years|hours)\b"),
        ("number", r"\bhow (?:many|much)\b|\bwhat (?:number|percentage|share|amount)\b"),
        ("date", r"\bwhen\b|\bwhat (?:day|date|year|month|time)\b|\bwhich (?:day|date|year|month)\b"),
        ("person", r"^(?:who|whom|whose)\b|\bwho (?:is|was|were|did|said|called|met)\b"),
        ("place", r"\bwhere\b|\bwhat (?:city|country|town|place)\b|\bwhich (?:city|country|town|place)\b"),
    )
    for name, pattern in patterns:
        if re.search(pattern, q):
            return name
    return None


def has_answer_type(kind: str | None, text: str) -> bool:
    """True when `text` contains something of the expected answer type."""
    if kind is None:
        return True
    tokens = words(text)
    if kind == "number":
        return any(t[0].isdigit() or t in _NUMBER_WORDS for t in tokens)
    if kind == "date":
        return any(t in _TIME_WORDS or re.fullmatch(r"(1[89]|20)\d\d", t) for t in tokens)
    if kind == "duration":
        return any(t in _DURATION_UNITS for t in tokens)
    if kind == "person":
        return bool(_proper_names(text)) or any(t in _PERSON_WORDS for t in tokens)
    if kind == "speech":
        return any(t in _SPEECH_WORDS for t in tokens) or bool(re.search(r"[\"“”]", text))
    if kind == "place":
        return bool(_proper_names(text))
    return True


def _proper_names(text: str) -> list[str]:
    """Capitalised words that do not open the text."""
    found = re.findall(r"(?<=[\s(“\"])([A-Z][\w’'-]+)", text)
    return [w for w in found if w.lower() not in STOPWORDS]


def names_in(text: str) -> list[str]:
    """Capitalised name sequences that do not merely open a sentence, in order of appearance (linear time:
    only the few characters before each match are looked at)."""
    out = []
    first = len(text) - len(text.lstrip())
    for match in re.finditer(r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", text):
        parts = match.group(0).split()
        before = text[max(0, match.start() - 64) : match.start()]
        title = re.search(r"\b(\w+)\.\s*$", before)
        opens = match.start() <= first or re.search(r"[.!?:\]]\S*\s*$", before)
        if opens and not (title and title.group(1).lower() in TITLES):
            parts = parts[1:]
        parts = [p for p in parts if p.lower() not in _TIME_WORDS and p.lower() not in STOPWORDS]
        name = " ".join(p.removesuffix("’s").removesuffix("'s") for p in parts)
        if name and name not in out:
            out.append(name)
    return out


def entities(text: str) -> list[str]:
    """Capitalised names in order of appearance (days, months and function words excluded)."""
    names = []
    for match in re.finditer(r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", text):
        parts = [p for p in re.split(r"\s+", match.group(0)) if p.lower() not in STOPWORDS]
        parts = [p for p in parts if p.lower() not in _TIME_WORDS and p.lower() not in QUESTION_WORDS]
        name = " ".join(p.removesuffix("’s").removesuffix("'s") for p in parts)
        if name and name not in names:
            names.append(name)
    return names
