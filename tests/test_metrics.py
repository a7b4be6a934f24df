"""Eval metrics are pure functions returning scores with counts."""

from __future__ import annotations

from qa.eval import metrics as m
from qa.types import Answer, Citation

TEXT = "Alpha rose. Beta fell. Gamma held."


def answer(text: str, cites: list[tuple[int, int]], refused: bool = False) -> Answer:
    citations = tuple(
        Citation(marker=i + 1, sentence_id=f"s{i}", start=s, end=e, quote=TEXT[s:e]) for i, (s, e) in enumerate(cites)
    )
    return Answer(question="q", text=text, citations=citations, refused=refused, query="q")


def test_citation_validity_counts_bad_quotes_and_markers() -> None:
    good = answer("Alpha rose. [1]", [(0, 11)])
    assert m.citation_validity(good, TEXT).value == 1.0
    bad = good.model_copy(update={"text": "Alpha rose. [2]"})
    score = m.citation_validity(bad, TEXT)
    assert (score.hits, score.total) == (1, 2)


def test_retrieval_recall_and_rr() -> None:
    hits = ["x", "Beta fell.", "y"]
    assert m.retrieval_recall(hits, ["Beta fell.", "Gamma held."], 2).value == 0.5
    assert m.reciprocal_rank(hits, ["Beta fell."]).hits == 0.5
    assert m.reciprocal_rank(hits, ["zzz"]).hits == 0.0


def test_correct_refusal_counts_as_correct() -> None:
    refusal = answer("The article doesn't say.", [], refused=True)
    assert m.answer_correct(refusal, [], answerable=False).value == 1.0
    assert m.answer_correct(refusal, ["Alpha"], answerable=True).value == 0.0
    assert m.answer_correct(answer("Alpha rose. [1]", [(0, 11)]), ["alpha ROSE"], True).value == 1.0


def test_refusal_precision_and_recall() -> None:
    precision, recall = m.refusal_scores([True, True, False, False], [False, True, False, True])
    assert (precision.hits, precision.total) == (1, 2)
    assert (recall.hits, recall.total) == (1, 2)


def test_alce_citation_recall_and_precision_with_a_fake_checker() -> None:
    ans = answer("Alpha rose. [1][2] Beta fell. [2]", [(0, 11), (12, 22)])

    def supports(statement: str, evidence: list[str]) -> bool:
        return any(statement.split()[0] in e for e in evidence)

    recall, precision = m.citation_recall_precision(ans, supports)
    assert (recall.hits, recall.total) == (2, 2)
    assert (precision.hits, precision.total) == (2, 3), "the [2] on the first statement is irrelevant"


def test_statements_pairs_sentences_with_markers() -> None:
    ans = answer("One. [1] Two [2][3] Three. [1, 2]", [])
    assert [s for s, _ in m.statements(ans)][:2] == ["One.", "Two"]
    assert m.statements(ans)[1][1] == [2, 3]
