"""The extractive engine: quote the one to three most probable answer sentences verbatim, or refuse."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from qa.extractive.decision import Decision
from qa.extractive.evidence import EvidenceScorer, asked_text, asking_part
from qa.extractive.features import FEATURES, FeatureExtractor
from qa.extractive.lead import opening, title_line
from qa.extractive.photos import about_a_photo, find_photos, photo_answer, photo_lines
from qa.extractive.question import TIME_LABELS, Question, analyse, prefetch
from qa.extractive.short import Span, continues_quote, person_fact, short_answer, speaker
from qa.index.build import IndexedArticle
from qa.index.byline import find_byline
from qa.index.embedding import TokenEncoder
from qa.index.nlp import SPEECH_LEMMAS
from qa.llm.prompts import REFUSAL
from qa.text import phrase_stems
from qa.types import Answer, Citation, Hit, ShortAnswer, answer_pieces, marker

_DOC = r"(?:article|story|piece|report|release|post|text)"
_PUBLISHED = re.compile(
    rf"\bwhen (?:was|is) (?:the|this) {_DOC}\b|\bdate (?:of|on) (?:the|this) {_DOC}\b"
    rf"|\b{_DOC}\b.*\b(?:published|written|issued|released|posted|dated)\b",
    re.IGNORECASE,
)
ANY_QUOTE_CONFIDENCE = 0.75  # "What did <name> say?" when <name> speaks in a candidate sentence
# "Who is <name>?" when the article describes that person ('Dr. Amara Osei, a fire-safety researcher at ...'),
# "How old is <name>?" when it gives the age after the name ('Mensah, 23, joined'): SQuAD 2.0 asks almost no
# such question, so the fitted decision has hardly seen one; the description or age found is the answer
PERSON_FACT_CONFIDENCE = ANY_QUOTE_CONFIDENCE
# A sentence with every word of the question that negates one of them ("What plan did X present?" / "X isn't
# presenting any plan"): the article answers by contradicting the premise, which the decision (fitted on SQuAD
# 2.0, whose annotators mark these unanswerable) would refuse as "doesn't say"
CONTRADICTED_CONFIDENCE = ANY_QUOTE_CONFIDENCE
_SAME_OTHERWISE = ("names_missing", "numbers_missing", "number_swapped", "entity_swapped")
_HEADLINE = re.compile(rf"\b(?:headline|title)\b(?: of (?:the|this) {_DOC})?", re.IGNORECASE)
_AUTHOR = re.compile(
    rf"\bwho (?:wrote|authored|reported|filed) (?:the|this) {_DOC}\b"
    rf"|\b(?:author|writer|reporter) of (?:the|this) {_DOC}\b"
    r"|\bbyline\b|^\s*who (?:is|was) the (?:author|writer|reporter)\W*$|^\s*who wrote (?:it|this)\W*$",
    re.IGNORECASE,
)

# "What is the article about?", "Summarize it", "What happened?": the story's opening answers (`lead.opening`)
_GIST = re.compile(
    rf"^\W*(?:what(?:'s| is| was)? (?:the|this) {_DOC} (?:about|saying)"
    r"|what(?:'s| is) (?:it|this) about|what happened|what(?:'s| is) the (?:news|story)"
    rf"|(?:please |can you |could you )?(?:tell me about|describe) (?:the|this) {_DOC}"
    r"|(?:please |can you |could you )?(?:give me )?(?:a |the )?(?:summary|summari[sz]e|gist|tl;? ?dr)"
    rf"(?: (?:of )?(?:it|this|the) ?{_DOC}?)?"
    rf"|(?:what (?:is|are) )?the (?:main|key) (?:points?|ideas?|takeaways?)(?: of (?:the|this) {_DOC})?)\W*$",
    re.IGNORECASE,
)


def select_candidates(probs: np.ndarray, ratio: float, most: int) -> list[int]:
    """Indices of the best candidate and of those at `ratio` of its probability, best first, at most `most`."""
    order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
    floor = ratio * probs[order[0]]
    return [i for i in order if probs[i] >= floor][:most]


def about_the_article(question: str, indexed: IndexedArticle) -> tuple[list[int], Span | None]:
    """Questions about the article itself (its date, headline, author or gist): the sentence that states it,
    for the author the name in its byline ('By Jordan Ellis | June 3, 2026'), for the gist the story's opening
    sentences."""
    article = indexed.article
    if _PUBLISHED.search(question) and article.published:
        return [s.index for s in indexed.sentences if article.published in s.text][:1], None
    if _HEADLINE.search(question) and article.title:
        headline = title_line(indexed)
        return ([] if headline is None else [headline]), None
    author = byline(indexed) if _AUTHOR.search(question) else None
    if author is not None:
        return [author.position], author
    if _GIST.search(question):
        return [s.index for s in opening(indexed)], None
    return [], None


def byline(indexed: IndexedArticle) -> Span | None:
    """The author's name in a byline under the headline ('By Jordan Ellis | June 3, 2026'), if there is one."""
    found = find_byline(indexed)
    return Span(*found) if found is not None else None


def contradicting(rows: np.ndarray, probs: np.ndarray, wh: str) -> np.ndarray:
    """Which candidates contradict the question's premise: they negate one of its words, miss or change no name
    or number of it, and hold every word of it. For "why" the likeliest candidate needs only the negation: "Why
    is the plan more extreme than expected?" presupposes what "the plan is not as extreme as anticipated"
    denies, in other words (on SQuAD 2.0, 2 of its 49 "why" questions have such a likeliest sentence, and both
    deny the premise: "Why did the UK have to justify its actions?" / "The UK did not need to justify ...")."""

    def column(name: str) -> np.ndarray:
        return rows[:, FEATURES.index(name)]

    found = column("negation_dropped") > 0
    for name in _SAME_OTHERWISE:
        found &= column(name) == 0
    whole = column("coverage") >= 0.999
    if wh == "why" and len(probs):
        whole |= np.arange(len(rows)) == int(np.argmax(probs))
    return found & whole


class ExtractiveEngine:
    """Answers by quoting article sentences; grounded by construction. One calibrated probability decides."""

    name = "extractive"

    def __init__(
        self,
        indexed: IndexedArticle,
        scorer: EvidenceScorer,
        decision: Decision,
        min_confidence: float | None = None,
        max_sentences: int = 3,
    ) -> None:
        self.indexed = indexed
        self.scorer = scorer
        self.extractor = FeatureExtractor(indexed, scorer)
        self.photos = find_photos(indexed)
        self.photo_lines = photo_lines(indexed, self.photos, self.extractor.stems)
        # a caption's words are no context for the story's sentences next to it
        self.scorer.apart = self.extractor.matcher.apart = self.photo_lines
        self.decision = decision
        self.min_confidence = decision.threshold if min_confidence is None else min_confidence
        self.max_sentences = max_sentences

    def prefetch(self, query: str) -> None:
        """Start the question's analysis while retrieval runs (see `question.prefetch`)."""
        prefetch(asking_part(query))

    def features(self, query: str, hits: list[Hit]) -> tuple[Question, np.ndarray]:
        """The analysed question and one feature row per hit."""
        asked = asking_part(query)
        self.extractor.warm_words(asked, hits)  # while the question's parse (prefetched) finishes
        question = analyse(asked)
        embedder = self.scorer.embedder
        vector = embedder.embed_query(query)
        tokens = embedder.query_tokens(asked_text(query)) if isinstance(embedder, TokenEncoder) else None
        return question, self.extractor.matrix(question, vector, hits, tokens)

    def select(self, hits: list[Hit], probs: np.ndarray, typed: np.ndarray | None = None) -> list[int]:
        """Positions to quote, best first: the most probable sentence and any other within the ratio. Where
        the best holds an answer of the asked kind (`typed`: "how much" and a sum of money), so must the others:
        the headline 'City Budget Passes' is no second answer to "How much was the budget?"."""
        if not len(probs):
            return []
        chosen = select_candidates(probs, self.decision.extra_ratio, self.max_sentences)
        if typed is not None and typed[chosen[0]]:
            chosen = [i for i in chosen if typed[i]]
        positions = [self.indexed.position(hits[i].sentence_id) for i in chosen]
        return positions + self._list_items(positions[0], positions)

    def _reports_speech(self, hit: Hit) -> bool:
        """Whether a sentence reports what someone said ('said', 'told', 'according to'): 'What did X say?'
        is not answered by a sentence that only names X (the decision, fitted on encyclopedia questions,
        has seen too few of these to learn it)."""
        note = self.indexed.annotations[self.indexed.position(hit.sentence_id)]
        return any(t.lemma in SPEECH_LEMMAS or t.lemma == "accord" for t in note.tokens)

    def _said_by(self, name: frozenset[str], hit: Hit) -> bool:
        """Whether one who speaks in the sentence has the name: its speaker (followed back for 'he said' or a
        quotation carried on), or the subject of another reporting verb ('..., with the minister telling reporters')."""
        position = self.indexed.position(hit.sentence_id)
        text = self.indexed.sentences[position].text
        spans = [text[start:end] for start, end in self.indexed.annotations[position].speakers]
        found = speaker(self.indexed, position)
        if found is not None:
            spans.append(self.indexed.sentences[found.position].text[found.start : found.end])
        return any(name & phrase_stems(said) for said in spans)

    def _list_items(self, position: int, chosen: list[int]) -> list[int]:
        """A sentence that announces a list (ends with ':') brings the items after it."""
        sentences = self.indexed.sentences
        if not sentences[position].text.rstrip().endswith(":"):
            return []
        room = self.max_sentences - len(chosen)
        return [p for p in range(position + 1, min(position + 1 + room, len(sentences))) if p not in chosen]

    def _quote_goes_on(self, position: int, chosen: list[int]) -> list[int]:
        """The sentences that carry on the quotation of an attributed sentence: for "What did X say?",
        '"We cannot wait," the mayor said. "Every dollar counts."' is one answer."""
        if self.indexed.annotations[position].speaker is None:
            return []
        out: list[int] = []
        for p in range(position + 1, len(self.indexed.sentences)):
            if not continues_quote(self.indexed, p) or len(chosen) + len(out) >= self.max_sentences:
                break
            if p not in chosen:
                out.append(p)
        return out

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer:
        """Quote the chosen sentences with markers, or refuse with the constant message."""
        positions, short = about_the_article(question, self.indexed)
        confidence = 1.0
        if not positions:
            positions, short, confidence = self._decide(query, hits)
        positions = [p for p in positions if p not in self.indexed.instructions]  # never quote an injection
        short = short if short is None or short.position in positions else None
        if not positions:
            return Answer(
                question=question,
                text=REFUSAL,
                refused=True,
                engine=self.name,
                query=query,
                hits=tuple(hits),
                confidence=round(confidence, 4),
            )
        return self._quote(question, query, hits, sorted(set(positions)), short, confidence)

    def _decide(self, query: str, hits: list[Hit]) -> tuple[list[int], Span | None, float]:
        """Positions to quote (none: refuse), the short answer and the confidence: from the learned decision,
        or for a question about a credited photo from its caption or credit (confidence 1.0, as for the
        article's date and headline)."""
        if self.photos:
            asked = analyse(asking_part(query))
            photo = photo_answer(asked, self.indexed, self.photos, self.extractor.stems)
            if photo is not None:
                return photo[0], photo[1], 1.0
            if not about_a_photo(asked):  # a caption tells of its photo, often an old one, not of the news
                hits = [h for h in hits if self.indexed.position(h.sentence_id) not in self.photo_lines]
        analysed, rows = self.features(query, hits)
        if analysed.blank:  # 'hi', 'Who?', 'Why?': nothing to look for (it had quoted whatever came first)
            return [], None, 0.0
        probs = self.decision.probabilities(rows)
        theirs = np.zeros(len(hits), dtype=bool)
        if analysed.quotes_someone:
            probs = np.where([self._reports_speech(h) for h in hits], probs, 0.0)
            theirs = np.array([self._said_by(analysed.quoted, h) for h in hits]) & (probs > 0)
        confidence = self.decision.confidence(rows, probs) if probs.any() else 0.0
        if analysed.asks_any_quote and theirs.any():
            # 'What did Rivera say?' and Rivera speaks in a candidate: the decision, fitted on encyclopedia
            # questions, scores such a sentence by the words it shares with the question, and there are none
            confidence = max(confidence, ANY_QUOTE_CONFIDENCE)
        fact = person_fact(analysed, self.indexed)
        if fact is not None:
            confidence = max(confidence, PERSON_FACT_CONFIDENCE)
        contradicted = contradicting(rows, probs, analysed.wh)
        if confidence < self.min_confidence:
            if contradicted.any() and self.min_confidence <= CONTRADICTED_CONFIDENCE:
                best = int(np.argmax(np.where(contradicted, probs, -1.0)))
                return [self.indexed.position(hits[best].sentence_id)], None, CONTRADICTED_CONFIDENCE
            return [], None, confidence
        if fact is not None:  # the sentence that says who they are or their age, wherever it is in the article
            return [fact.position], fact, confidence
        if theirs.any():  # 'What did Brandt say?': Brandt's words, not Ruiz saying he came for Brandt
            probs = np.where(theirs, probs, 0.0)
        if analysed.asks_any_quote and theirs.any():  # all of what they said, not the likeliest alone
            said = sorted(np.flatnonzero(theirs), key=lambda i: -probs[i])[: self.max_sentences]
            positions = [self.indexed.position(hits[i].sentence_id) for i in said]
        else:
            typed = rows[:, FEATURES.index("type_present")] > 0 if analysed.expected else None
            positions = self.select(hits, probs, typed)
        if analysed.speech and analysed.wh == "what" and positions:
            positions += self._quote_goes_on(positions[0], positions)
        # the best sentence's short answer; for a date or a number ("when", "how many / old / long ..."), else the
        # next quoted one's ('How old was Abernathy?': the best sentence gives her birth date, the headline 'dies
        # at 91'). Names and "what X" stay with the best sentence: on SQuAD the next one's were more often wrong
        tried = positions if analysed.wh in ("when", "how") and analysed.expected else positions[:1]
        if contradicted[int(np.argmax(probs))] and not analysed.expected & TIME_LABELS:
            # "What tax did she propose?" / "She isn't proposing a new tax": no tax is the answer ("When was it
            # passed?" / "It was not passed until 1978" still is)
            tried = []
        short = next(
            (s for p in tried if (s := short_answer(analysed, self.indexed, p, self.extractor.idf)) is not None), None
        )
        if short is not None and short.position not in positions:
            positions.append(short.position)
        return positions, short, confidence

    def stream(self, question: str, query: str, hits: list[Hit]) -> Iterator[str | Answer]:
        """The answer's quoted sentences as deltas, then the Answer."""
        yield from answer_pieces(self.answer(question, query, hits))

    def _quote(
        self, question: str, query: str, hits: list[Hit], positions: list[int], short: Span | None, confidence: float
    ) -> Answer:
        citations = []
        parts = []
        for number, pos in enumerate(positions, start=1):
            s = self.indexed.sentences[pos]
            citations.append(Citation(marker=number, sentence_id=s.id, start=s.start, end=s.end, quote=s.text))
            parts.append(f"{s.text} {marker(number)}")
        return Answer(
            question=question,
            text=" ".join(parts),
            citations=tuple(citations),
            engine=self.name,
            query=query,
            hits=tuple(hits),
            confidence=round(confidence, 4),
            short=self._short(short, positions),
        )

    def _short(self, span: Span | None, positions: list[int]) -> ShortAnswer | None:
        if span is None:
            return None
        s = self.indexed.sentences[span.position]
        start, end = s.start + span.start, s.start + span.end
        marker = positions.index(span.position) + 1
        return ShortAnswer(text=self.indexed.article.text[start:end], start=start, end=end, marker=marker)
