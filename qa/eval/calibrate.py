"""Fit the answer/refuse decision on third-party data and report it leave-one-article-out.

`python -m qa.eval.calibrate` (also `qa calibrate`): collect candidate features for every SQuAD 2.0 question
asked against its whole article; fit the sentence model on seven articles and score the eighth, for each
article in turn; fit the question model on those held-out sentence probabilities the same way; pick the
refusal threshold on the held-out confidences, print the trade-off curve, then fit both on all articles
(the question model on the held-out sentence probabilities, as stacking wants) and write
`qa/extractive/decision.json`.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.eval.squad import SquadQuestion, load_squad
from qa.extractive.decision import PARAMS, Decision, Linear, summary_row
from qa.extractive.engine import select_candidates
from qa.extractive.features import FEATURES
from qa.settings import Settings

OUT = Path(__file__).resolve().parent.parent / "extractive" / PARAMS
CACHE = Path(".cache") / "calibrate-features.pkl"
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.01), 2)
RATIO, TOP = 0.3, 3  # extra sentences at 30% of the best one's probability, at most three in all
TARGET = (0.70, 0.55)


@dataclass
class Sample:
    """One question's candidates: feature rows and whether each holds a gold answer."""

    article: str
    question: SquadQuestion
    rows: np.ndarray
    labels: np.ndarray
    pair: np.ndarray | None = None


def collect(settings: Settings, paragraphs: int | None = None) -> list[Sample]:
    """Feature rows for every question of every SQuAD article, asked against the whole article (or, with
    `paragraphs`, against the part of that many paragraphs that holds it)."""
    from qa.api import Assistant

    samples = []
    for article in load_squad(paragraphs):
        start = time.perf_counter()
        assistant = Assistant.from_text(article.text, title=article.title, settings=settings)
        for q in article.questions:
            prepared = assistant.prepare(q.question)
            hits = prepared["hits"]
            _, rows = assistant.extractive.features(prepared["query"], hits)
            labels = np.array([any(a in h.text for a in q.answers) for h in hits], dtype=bool)
            u = assistant.embedder.embed_query(prepared["query"])
            v = assistant.indexed.embeddings[[assistant.indexed.position(h.sentence_id) for h in hits]]
            pair = np.concatenate([u * v, np.abs(u - v)], axis=1).astype(np.float16) if len(hits) else None
            samples.append(Sample(q.article, q, rows, labels, pair))
        print(f"  {article.title}: {len(article.questions)} questions in {time.perf_counter() - start:.1f} s")
    return samples


def fit_linear(x: np.ndarray, y: np.ndarray, c: float) -> Linear:
    """A standardised logistic regression."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=3000).fit((x - mean) / scale, y)
    return Linear(mean, scale, model.coef_[0], float(model.intercept_[0]))


def fit_sentences(samples: Sequence[Sample], c: float = 1.0) -> Linear:
    """Stage one over all candidate rows of `samples`: does this sentence hold a gold answer?"""
    with_rows = [s for s in samples if len(s.rows)]
    return fit_linear(np.concatenate([s.rows for s in with_rows]), np.concatenate([s.labels for s in with_rows]), c)


def answered_right(sample: Sample, probs: np.ndarray) -> bool:
    """True when quoting the selected candidates would answer the question right."""
    if not sample.question.answerable or not len(probs):
        return False
    return bool(sample.labels[select_candidates(probs, RATIO, TOP)].any())


def per_article(samples: list[Sample], fit_one, predict, trains: Sequence[bool] | None = None) -> list:
    """Held-out predictions for every sample, each from a model fitted without its article (and only on
    the samples marked in `trains`, default all)."""
    out: list = [None] * len(samples)
    for article in sorted({s.article for s in samples}):
        model = fit_one([i for i, s in enumerate(samples) if s.article != article and (trains is None or trains[i])])
        for i, s in enumerate(samples):
            if s.article == article:
                out[i] = predict(model, i)
    return out


def held_out(samples: list[Sample], c: float, trains: Sequence[bool] | None = None) -> tuple[np.ndarray, ...]:
    """Leave-one-article-out: whether quoting each question's selected candidates is right, its confidence,
    and the stage-two inputs. Stage one is fitted on the other articles' rows; stage two on their held-out
    sentence probabilities, as stacking wants."""
    sentence_probs = per_article(
        samples, lambda idx: fit_sentences([samples[i] for i in idx], c), lambda m, i: m(samples[i].rows), trains
    )
    right = np.array([answered_right(s, p) for s, p in zip(samples, sentence_probs, strict=True)])
    summary = np.array([summary_row(s.rows, p) for s, p in zip(samples, sentence_probs, strict=True)])
    confidence = np.array(
        per_article(
            samples,
            lambda idx: fit_linear(summary[idx], right[idx], c),
            lambda m, i: float(m(summary[i][None, :])[0]),
            trains,
        )
    )
    return right, confidence, summary


def rates(samples: Sequence[Sample], right: np.ndarray, confidence: np.ndarray, threshold: float) -> dict:
    """Answerable questions answered right and unanswerable ones refused at a threshold."""
    answerable = np.array([s.question.answerable for s in samples])
    answered = confidence >= threshold
    return {
        "answerable_correct": float((right & answered)[answerable].mean()) if answerable.any() else 1.0,
        "unanswerable_refused": float((~answered)[~answerable].mean()) if (~answerable).any() else 1.0,
        "answerable": int(answerable.sum()),
        "unanswerable": int((~answerable).sum()),
    }


def choose(samples: Sequence[Sample], right: np.ndarray, confidence: np.ndarray) -> float:
    """The threshold closest to the target shape (answered right 0.70, refused 0.55): it maximises the
    smaller of the two rates, each divided by its target."""

    def score(t: float) -> float:
        r = rates(samples, right, confidence, t)
        return min(r["answerable_correct"] / TARGET[0], r["unanswerable_refused"] / TARGET[1])

    return float(max(THRESHOLDS, key=score))


def report(samples: list[Sample], right: np.ndarray, confidence: np.ndarray, threshold: float) -> dict:
    """Per-article and overall held-out rates, and the trade-off curve."""
    by_article = {}
    for article in sorted({s.article for s in samples}):
        idx = np.array([s.article == article for s in samples])
        subset = [s for s in samples if s.article == article]
        by_article[article] = rates(subset, right[idx], confidence[idx], threshold)
    curve = [{"threshold": float(t), **rates(samples, right, confidence, float(t))} for t in THRESHOLDS[::5]]
    return {"overall": rates(samples, right, confidence, threshold), "per_article": by_article, "curve": curve}


def calibrate(samples: list[Sample], c: float) -> tuple[Decision, dict]:
    """Fit both stages, score them leave-one-article-out, and pick the threshold."""
    right, confidence, summary = held_out(samples, c)
    threshold = choose(samples, right, confidence)
    result = report(samples, right, confidence, threshold)
    meta = {
        "trained_on": "SQuAD 2.0 dev, 8 whole articles (eval/data)",
        "questions": len(samples),
        "leave_one_article_out": {k: round(v, 4) for k, v in result["overall"].items() if isinstance(v, float)},
    }
    final = Decision(FEATURES, fit_sentences(samples, c), fit_linear(summary, right, c), threshold, RATIO, meta)
    return final, result


def on_short_articles(whole: list[Sample], short: list[Sample], c: float, threshold: float) -> dict:
    """The decision's held-out rates on news-length articles: each question asked against a few paragraphs
    of its article, scored by models fitted on the other articles' whole-article samples only."""
    right, confidence, _ = held_out([*whole, *short], c, [True] * len(whole) + [False] * len(short))
    return report(short, right[len(whole) :], confidence[len(whole) :], threshold)


def print_report(result: dict) -> None:
    """Per-article and overall rates, then the trade-off curve."""
    for name, r in {**result["per_article"], "ALL": result["overall"]}.items():
        print(f"  {name:34s} answered right {r['answerable_correct']:.3f}  refused {r['unanswerable_refused']:.3f}")
    print("trade-off (threshold: answered right / unanswerable refused):")
    for point in result["curve"]:
        print(f"  {point['threshold']:.2f}: {point['answerable_correct']:.3f} / {point['unanswerable_refused']:.3f}")


def cached_samples(reuse: bool, paragraphs: int | None = None) -> list[Sample]:
    """Collected samples, from the cache when `reuse` and it exists, else collected and cached."""
    cache = CACHE if paragraphs is None else CACHE.with_name(f"{CACHE.stem}-{paragraphs}-paragraphs.pkl")
    if reuse and cache.exists():
        samples = pickle.loads(cache.read_bytes())
        if all(s.rows.shape[1] == len(FEATURES) for s in samples):
            return samples
        print(f"{cache} holds other features; collecting again")
    samples = collect(Settings(), paragraphs)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(samples))
    return samples


def main(argv: Sequence[str] | None = None) -> int:
    """Collect features, report leave-one-article-out, fit on everything and save the parameters."""
    parser = argparse.ArgumentParser(prog="qa calibrate")
    parser.add_argument("--reuse", action="store_true", help=f"reuse features cached in {CACHE}")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--dry-run", action="store_true", help="report only; do not write the parameters")
    parser.add_argument(
        "--short", type=int, metavar="N", help="also report on articles of N paragraphs (news length), held out"
    )
    args = parser.parse_args(argv)
    samples = cached_samples(args.reuse)
    decision, result = calibrate(samples, args.c)
    print(f"leave-one-article-out, threshold {decision.threshold:.2f}, extra-sentence ratio {RATIO}:")
    print_report(result)
    if args.short:
        short = cached_samples(args.reuse, args.short)
        print(f"articles of {args.short} paragraphs, each question against its part, same threshold, held out:")
        print_report(on_short_articles(samples, short, args.c, decision.threshold))
    if not args.dry_run:
        Path(args.out).write_text(json.dumps(decision.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
