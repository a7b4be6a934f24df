"""Third-party eval data: SQuAD 2.0 dev articles asked whole, scored at sentence level and as short answers.

Each article's paragraphs are joined with blank lines into one long article, and every question is asked
against the whole article. An answerable question is correct when the answer is not a refusal and a gold
answer string is inside the cited quotes; an unanswerable one is correct when refused. Exact match and F1
of the short answer follow the official SQuAD 2.0 script (an empty prediction is a refusal).
"""

from __future__ import annotations

import collections
import json
import random
import re
import string
from dataclasses import dataclass
from importlib import resources

DATA = "squad2-dev-8-articles.json"


@dataclass(frozen=True)
class SquadQuestion:
    """One SQuAD question: gold answer strings are empty for unanswerable ones."""

    id: str
    article: str
    question: str
    answers: tuple[str, ...]

    @property
    def answerable(self) -> bool:
        """True when the question has a gold answer."""
        return bool(self.answers)


@dataclass(frozen=True)
class SquadArticle:
    """A whole article (paragraphs joined by blank lines) with its questions."""

    title: str
    text: str
    questions: tuple[SquadQuestion, ...]


def load_squad(paragraphs: int | None = None) -> list[SquadArticle]:
    """The bundled SQuAD 2.0 articles (see eval/data/SOURCES.md for source and licence); with `paragraphs`,
    each split into articles of that many consecutive paragraphs (news length), every question asked
    against the part that holds its paragraph. Questions keep their whole article's title either way."""
    raw = json.loads(resources.files("qa.eval").joinpath("data", DATA).read_text(encoding="utf-8"))
    articles = []
    for item in raw["data"]:
        title = item["title"].replace("_", " ")
        size = paragraphs or len(item["paragraphs"])
        for first in range(0, len(item["paragraphs"]), size):
            part = item["paragraphs"][first : first + size]
            text = "\n\n".join(p["context"].strip() for p in part)
            questions = tuple(
                SquadQuestion(
                    qa["id"],
                    title,
                    qa["question"].strip(),
                    tuple(dict.fromkeys(a["text"] for a in qa["answers"])) if not qa.get("is_impossible") else (),
                )
                for p in part
                for qa in p["qas"]
            )
            name = title if paragraphs is None else f"{title}, paragraphs {first + 1}-{first + len(part)}"
            articles.append(SquadArticle(name, text, questions))
    return articles


def sample(articles: list[SquadArticle], per_article: int, seed: int = 13) -> list[SquadArticle]:
    """The same fixed random sample of questions from each article."""
    rng = random.Random(seed)
    return [
        SquadArticle(a.title, a.text, tuple(rng.sample(a.questions, min(per_article, len(a.questions)))))
        for a in articles
    ]


def normalize_answer(text: str) -> str:
    """Lower-case, drop punctuation, articles and extra whitespace (the official SQuAD normalisation)."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, gold: tuple[str, ...]) -> float:
    """SQuAD 2.0 exact match against the best gold answer ('' is the gold of an unanswerable question)."""
    return max(float(normalize_answer(prediction) == normalize_answer(g)) for g in (gold or ("",)))


def f1(prediction: str, gold: tuple[str, ...]) -> float:
    """SQuAD 2.0 token F1 against the best gold answer."""
    return max(_f1(prediction, g) for g in (gold or ("",)))


def _f1(prediction: str, gold: str) -> float:
    pred, ref = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not pred or not ref:
        return float(pred == ref)
    common = sum((collections.Counter(pred) & collections.Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def sentence_correct(question: SquadQuestion, refused: bool, quotes: list[str]) -> bool:
    """Sentence-level correctness: a gold string inside the cited quotes, or a refusal when there is none."""
    if not question.answerable:
        return refused
    joined = " ".join(quotes)
    return not refused and any(a in joined for a in question.answers)


def prediction(answer: object) -> str:
    """The short-answer prediction scored by EM/F1: the short span, '' for a refusal, else the first quote."""
    if answer.refused:
        return ""
    if answer.short is not None:
        return answer.short.text
    return answer.citations[0].quote if answer.citations else answer.text


def ask_all(articles: list[SquadArticle], settings: object) -> list[dict]:
    """Ask every question against its whole article; one scored row per question."""
    from qa.api import Assistant

    rows = []
    for article in articles:
        assistant = Assistant.from_text(article.text, title=article.title, settings=settings)
        for q in article.questions:
            answer = assistant.ask(q.question)
            pred = prediction(answer)
            rows.append(
                {
                    "id": q.id,
                    "article": article.title,
                    "question": q.question,
                    "answerable": q.answerable,
                    "refused": answer.refused,
                    "correct": sentence_correct(q, answer.refused, [c.quote for c in answer.citations]),
                    "exact_match": exact_match(pred, q.answers),
                    "f1": f1(pred, q.answers),
                    "prediction": pred,
                    "confidence": answer.confidence,
                }
            )
    return rows


def summarize_squad(rows: list[dict]) -> dict[str, dict]:
    """Sentence-level correctness, refusal precision/recall and short-answer EM/F1, with counts."""
    answerable = [r for r in rows if r["answerable"]]
    impossible = [r for r in rows if not r["answerable"]]
    refused = [r for r in rows if r["refused"]]
    right_refusals = sum(not r["answerable"] for r in refused)

    def score(hits: float, total: int) -> dict:
        return {"value": round(hits / total, 4) if total else 1.0, "hits": round(hits, 3), "total": total}

    return {
        "answerable_correct": score(sum(r["correct"] for r in answerable), len(answerable)),
        "unanswerable_refused": score(sum(r["refused"] for r in impossible), len(impossible)),
        "refusal_precision": score(right_refusals, len(refused)),
        "overall_correct": score(sum(r["correct"] for r in rows), len(rows)),
        "exact_match": score(sum(r["exact_match"] for r in rows), len(rows)),
        "f1": score(sum(r["f1"] for r in rows), len(rows)),
    }
