"""The calibration script's held-out bookkeeping: no model sees the article it scores, nor a test sample."""

from __future__ import annotations

import numpy as np

from qa.eval.calibrate import Sample, held_out, per_article
from qa.eval.squad import SquadQuestion, load_squad


def _samples(articles: list[str], per: int = 12, seed: int = 0) -> list[Sample]:
    """Questions with three candidates each; a gold candidate has a higher first feature."""
    rng = np.random.default_rng(seed)
    out = []
    for article in articles:
        for n in range(per):
            answerable = n % 2 == 0
            labels = np.array([answerable, False, False])
            rows = rng.normal(size=(3, 4)) + labels[:, None] * 2.0
            question = SquadQuestion(f"{article}-{n}", article, "q?", ("a",) if answerable else ())
            out.append(Sample(article, question, rows.astype(np.float32), labels))
    return out


def test_each_prediction_comes_from_a_model_fitted_without_its_article_or_the_test_samples() -> None:
    samples = _samples(["A", "B", "C"], per=2)
    trains = [s.article != "C" or s.question.id.endswith("0") for s in samples]
    seen = per_article(samples, lambda idx: set(idx), lambda fitted, i: (i, fitted), trains)
    for i, fitted in seen:
        assert all(samples[j].article != samples[i].article and trains[j] for j in fitted)


def test_test_only_samples_change_nothing_for_the_training_ones() -> None:
    train, test = _samples(["A", "B", "C"]), _samples(["A", "B", "C"], seed=1)
    alone = held_out(train, c=1.0)
    pooled = held_out([*train, *test], c=1.0, trains=[True] * len(train) + [False] * len(test))
    for a, b in zip(alone, pooled, strict=True):
        assert np.allclose(a, b[: len(train)])
    right, confidence, _ = pooled
    answerable = np.array([s.question.answerable for s in test])
    assert confidence[len(train) :][answerable].mean() > confidence[len(train) :][~answerable].mean()
    assert right[len(train) :][answerable].mean() > 0.5


def test_news_length_parts_keep_every_question_and_their_article() -> None:
    whole, parts = load_squad(), load_squad(paragraphs=4)
    texts = {a.title: a.text for a in whole}
    assert sorted(q.id for a in parts for q in a.questions) == sorted(q.id for a in whole for q in a.questions)
    for part in parts:
        assert part.text in texts[part.questions[0].article] and len(part.text.split("\n\n")) <= 4
        assert {q.article for q in part.questions} == {part.questions[0].article}
