"""Features of a (question, candidate sentence) pair for the learned answer/refuse decision.

Every feature is generic (no article's words): how much of the question's rare vocabulary the sentence
and its neighbours hold, which names and numbers of the question are missing, negation, whether an entity
of the expected answer type is present, and the retrieval scores.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter

import numpy as np

from qa.extractive import token_match
from qa.extractive.evidence import EvidenceScorer, WordStacks
from qa.extractive.question import NUMBER_LABELS, PLACE_LABELS, TIME_LABELS, Question, Term, fits
from qa.extractive.short import counts_another
from qa.index.build import IndexedArticle
from qa.index.embedding import TokenEncoder
from qa.index.nlp import Annotation, Entity
from qa.text import abbreviation_stems, digits, phrase_stems, stem
from qa.text import words as word_tokens
from qa.types import Hit

WH_WORDS = ("what", "who", "when", "where", "which", "why", "how")
ASKED_KINDS = {"time": TIME_LABELS, "place": PLACE_LABELS, "number": NUMBER_LABELS, "person": frozenset({"PERSON"})}
FEATURES = (
    "dense",
    "dense_gap",
    "bm25",
    "inv_rank",
    "coverage",
    "coverage_gap",
    "window_coverage",
    "evidence",
    "unmatched_idf",
    "surprise",
    "names_missing",
    "name_not_in_article",
    "numbers_missing",
    "number_swapped",
    "entity_swapped",
    "negation_added",
    "negation_dropped",
    "type_known",
    "type_present",
    "type_in_window",
    "speaker_present",
    "length",
    "terms",
    "absent_share",
    *token_match.NAMES,  # word-by-word matching over token vectors, then each minus the best candidate's
    *(f"{name}_gap" for name in token_match.NAMES),
    # the kind of question, the same on each of its rows: how far the evidence can be trusted differs by kind
    # (held out: +0.016 of the unanswerable questions refused at the same share of answerable ones right)
    *(f"wh_{wh}" for wh in WH_WORDS),
    *(f"asks_{kind}" for kind in ASKED_KINDS),
)
STOP_WEIGHT = 0.25  # common words ("go", "most", "not") still count, at a quarter of their rarity
_SKIP_POS = frozenset({"DET", "ADP", "AUX", "PRON", "CCONJ", "SCONJ", "PART", "SPACE", "INTJ", "X", "SYM"})


def sentence_stems(text: str, note: Annotation) -> frozenset[str]:
    """Stems of a sentence's content words, from lemmas (and the surface form of names)."""
    out = set()
    for t in note.tokens:
        if t.pos in _SKIP_POS or (t.stop and t.pos not in ("PROPN", "NUM")):
            continue
        surface = text[t.start : t.end]
        out.add(stem(surface if t.pos == "PROPN" else t.lemma))
        out.add(stem(surface))
        if t.norm:  # 'Gov. Bill Lee' for "the governor"
            out |= phrase_stems(t.norm)
    # and the other way round: 'chief executive Maria Delgado' for "Who is the CEO?"
    out |= abbreviation_stems(out)
    out.discard("")
    return frozenset(out)


def stop_stems(note: Annotation) -> frozenset[str]:
    """Stems of a sentence's stop words that can carry meaning ('first', 'next', 'name', 'part'), which
    `sentence_stems` leaves out: a question's own stop words ('Who was the first ...?') match them."""
    return frozenset(stem(t.lemma) for t in note.tokens if t.stop and t.pos not in _SKIP_POS) - {""}


def _matches(term: Term, stems: frozenset[str]) -> bool:
    """A term matches its stem, and a name its derived forms (Japan / Japanese)."""
    if term.stem in stems:
        return True
    return term.name and len(term.stem) >= 4 and any(s.startswith(term.stem) for s in stems)


def _stated(text: str, entity: Entity, own: set[str]) -> bool:
    """Whether the question already states the entity: each of its words' stems is among the question's."""
    return phrase_stems(text[entity.start : entity.end]) <= own


def question_kind(question: Question) -> np.ndarray:
    """The question's wh-word and the kinds of answer it expects, one-hot (the `wh_*` and `asks_*` features)."""
    kinds = [float(bool(question.expected & labels)) for labels in ASKED_KINDS.values()]
    return np.array([float(question.wh == wh) for wh in WH_WORDS] + kinds, dtype=np.float32)


class FeatureExtractor:
    """Feature rows for the candidate sentences of one indexed article."""

    def __init__(self, indexed: IndexedArticle, scorer: EvidenceScorer) -> None:
        self.indexed = indexed
        self.scorer = scorer
        self.stems = [sentence_stems(s.text, a) for s, a in zip(indexed.sentences, indexed.annotations, strict=True)]
        self.words = [
            sorted({s.text[t.start : t.end].lower() for t in a.tokens if t.pos in ("NOUN", "VERB", "ADJ", "ADV")})
            for s, a in zip(indexed.sentences, indexed.annotations, strict=True)
        ]
        # what a question's words are matched against: the content stems, and its stop words for its stop words
        self.matched = [stems | stop_stems(a) for stems, a in zip(self.stems, indexed.annotations, strict=True)]
        self.df = Counter(st for stems in self.matched for st in stems)
        self.n = len(self.stems)
        embedder = getattr(scorer, "embedder", None)  # unit tests of single features pass no scorer
        pieces = embedder.word_pieces if isinstance(embedder, TokenEncoder) else None
        self.word_vectors = WordStacks(embedder, self.words)
        self.matcher = token_match.TokenMatcher(indexed.tokens, [s.text for s in indexed.sentences], pieces)

    def idf(self, key: str) -> float:
        """Smoothed inverse document frequency of a stem over the article's sentences."""
        df = self.df.get(key, 0)
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def name_absent(self, key: str) -> bool:
        """Whether a name of the question is nowhere in the article, not even as its country ('South African':
        'South Africa') or misspelt by a letter or two ('Hartmanis' for 'Hatmanis'): difflib's ratio at 0.8."""
        if self.df.get(key, 0):
            return False
        if len(key) < 4:
            return True
        near = [w for w in self.df if abs(len(w) - len(key)) <= 2]
        if any(len(w) >= 4 and (key.startswith(w) or w.startswith(key)) for w in near):
            return False
        return not difflib.get_close_matches(key, near, n=1, cutoff=0.8)

    def typed_here(self, question: Question, position: int, own: set[str]) -> bool:
        """True when the sentence holds an entity of the expected type that the question does not state (and that
        fits it: `question.fits`)."""
        text = self.indexed.sentences[position].text
        note = self.indexed.annotations[position]
        return any(
            e.label in question.expected
            and not _stated(text, e, own)
            and fits(question, e.label, text[e.start : e.end])
            and not counts_another(question, text, note, e)
            for e in note.entities
        )

    def negation_mismatch(self, question: Question, position: int, own: set[str]) -> tuple[bool, bool]:
        """A word negated on one side only: by the question ('has not taken' asked, 'has taken' said: a
        near-miss) and by the sentence (the reverse: often a false premise the sentence corrects), apart. A
        yes/no question (no wh-word) is answered, not contradicted, by a negated sentence ('Does it include
        X?' / 'It doesn't include X'), so it never counts there."""
        if not question.wh:
            return False, False
        asked = {stem(w) for w in question.negations}
        note = self.indexed.annotations[position]
        said = {stem(w) for w in note.negations}
        # every word of the sentence, stop words too: the negated verb is often one ('not used', 'aren't')
        words = {stem(t.lemma) for t in note.tokens} | self.stems[position]
        return bool((asked - said) & words), bool((said - asked) & own)

    def number_swapped(self, terms: tuple[Term, ...], matched: np.ndarray, position: int) -> bool:
        """A number of the question missing here while the sentence states another of the same shape (1988
        asked, 1998 said): a changed date or figure rather than a paraphrase."""
        asked = {digits(t.surface) for t, m in zip(terms, matched, strict=True) if t.number and not m} - {""}
        if not asked:
            return False
        text = self.indexed.sentences[position].text
        said = {digits(text[t.start : t.end]) for t in self.indexed.annotations[position].tokens} - {""}
        return any(len(a) == len(b) and a != b for a in asked for b in said)

    def entity_swapped(self, terms: tuple[Term, ...], matched: np.ndarray, position: int, own: set[str]) -> bool:
        """An entity of the question missing here while the sentence holds another of the same kind (Germany
        asked, France said; 'fourth round' asked, 'third round' said): a changed name rather than a
        paraphrase."""
        asked = {t.label for t, m in zip(terms, matched, strict=True) if t.label and not m}
        if not asked:
            return False
        text = self.indexed.sentences[position].text
        entities = self.indexed.annotations[position].entities
        return any(e.label in asked and not _stated(text, e, own) for e in entities)

    def surprise(self, terms: tuple[Term, ...], weights: np.ndarray, matched: np.ndarray, position: int) -> float:
        """The weightiest question word with no exact and no near-synonym match in the sentence or its
        neighbours (names and numbers never match as synonyms), scaled by its rarity: a swapped word in a
        near-miss question."""
        missing = [i for i, m in enumerate(matched) if not m]
        if not missing:
            return 0.0
        soft = [i for i in missing if not (terms[i].name or terms[i].number)]
        similarity = dict.fromkeys(missing, 0.0)
        if soft:
            asked = self.scorer.embedder.embed_many_cached([terms[i].surface.lower() for i in soft])
            tops = [top for p in self.matcher.window(position) if (top := self.word_vectors.best(asked, p)) is not None]
            if tops:
                best = np.max(tops, axis=0)
                similarity.update((i, max(0.0, float(b))) for i, b in zip(soft, best, strict=True))
        top = float(weights.max()) or 1.0
        return max(float(weights[i]) / top * (1.0 - similarity[i]) for i in missing)

    def warm_words(self, question: str, hits: list[Hit]) -> None:
        """Embed in one run every word `matrix` will compare for these hits, before their rows are built: the
        engine calls it while spaCy still parses the question (on the other core), and one run of many words
        costs far less than one run per sentence (onnxruntime spends ~2.5 ms a run before any word)."""
        positions = [self.indexed.position(h.sentence_id) for h in hits]
        near = sorted({q for p in positions for q in (p - 1, p, p + 1) if 0 <= q < self.n})
        asked = [w for w in word_tokens(question) if not digits(w)]  # `surprise` keeps stop words
        compared = self.scorer.soft_words(question, near) + asked + [w for q in near for w in self.words[q]]
        self.scorer.embedder.embed_many_cached(list(dict.fromkeys(compared)))

    def matrix(
        self,
        question: Question,
        query_vector: np.ndarray,
        hits: list[Hit],
        query_tokens: tuple[list[str], np.ndarray] | None = None,
    ) -> np.ndarray:
        """One row of FEATURES per hit, in hit order; `query_tokens` are the question's word-pieces and their
        rows (`index.tokens`), without which the token features are 0."""
        positions = [self.indexed.position(h.sentence_id) for h in hits]
        if not positions:
            return np.zeros((0, len(FEATURES)), dtype=np.float32)
        dense = self.indexed.embeddings[positions] @ query_vector
        bm25 = np.array([h.bm25 or 0.0 for h in hits])
        terms = question.terms
        weights = np.array([self.idf(t.stem) * (STOP_WEIGHT if t.stop else 1.0) for t in terms])
        weights = weights if terms else np.zeros(0)
        total = float(weights.sum()) or 1.0
        absent = sum(w for t, w in zip(terms, weights, strict=True) if self.df.get(t.stem, 0) == 0) / total
        name_absent = any(t.name and self.name_absent(t.stem) for t in terms)
        own = {t.stem for t in terms}
        focus = self.scorer.focus(question.text)

        rows = []
        for rank, pos in enumerate(positions):
            here = self.matched[pos]
            near = here.union(*(self.matched[p] for p in self.matcher.window(pos)))
            in_s = np.array([_matches(t, here) for t in terms], dtype=bool)
            in_w = np.array([_matches(t, near) for t in terms], dtype=bool)
            unmatched = weights[~in_w] if len(terms) else np.zeros(0)
            note = self.indexed.annotations[pos]
            typed = self.typed_here(question, pos, own) if question.expected else False
            typed_near = typed or any(
                self.typed_here(question, p, own) for p in self.matcher.window(pos) if question.expected and p != pos
            )
            rows.append(
                [
                    float(dense[rank]),
                    0.0,
                    float(bm25[rank] / bm25.max()) if bm25.max() > 0 else 0.0,
                    1.0 / (1 + rank),
                    float(weights[in_s].sum() / total) if len(terms) else 0.0,
                    0.0,
                    float(weights[in_w].sum() / total) if len(terms) else 0.0,
                    self.scorer.coverage_of(focus, self.scorer.matches(focus, pos)),
                    float(unmatched.max() / weights.max()) if len(unmatched) else 0.0,
                    self.surprise(terms, weights, in_w, pos),
                    min(2, sum(t.name and not m for t, m in zip(terms, in_w, strict=True))),
                    float(name_absent),
                    float(any(t.number and not m for t, m in zip(terms, in_w, strict=True))),
                    float(self.number_swapped(terms, in_w, pos)),
                    float(self.entity_swapped(terms, in_w, pos, own)),
                    *map(float, self.negation_mismatch(question, pos, own)),
                    float(bool(question.expected)),
                    float(typed),
                    float(typed_near and not typed),
                    float(question.speech and note.speaker is not None),
                    math.log1p(len(self.indexed.sentences[pos].text) / 100),
                    min(len(terms), 10) / 10,
                    absent,
                ]
            )
        pieces, vectors = query_tokens or ([], np.zeros((0, 384), dtype=np.float32))
        # the noun of "what/which NOUN" is matched like any word, but where its kind of answer is known ("what
        # year"), a sentence giving an instance ("1998") matches it fully, whatever its token similarity
        given = [i for i, p in enumerate(pieces) if question.expected and p == question.head]
        lexical = np.array(rows, dtype=np.float32)
        typed = lexical[:, FEATURES.index("type_present")]
        matched = self.matcher.features(pieces, vectors, positions, question.stops, (given, typed))
        out = np.concatenate([lexical, matched, np.tile(question_kind(question), (len(positions), 1))], axis=1)
        out[:, 1] = out[:, 0] - out[:, 0].max()
        out[:, 5] = out[:, 4] - out[:, 4].max()
        return out
