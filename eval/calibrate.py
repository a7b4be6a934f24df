"""Fit the answer/refuse decision on third-party data and report it leave-one-article-out.

`python -m eval.calibrate` (also `qa calibrate`): collect candidate features for every SQuAD 2.0 question
asked against its whole article, fit a logistic regression on seven articles and score the eighth, for each
article in turn; pick the refusal threshold and the extra-sentence ratio on the held-out predictions, print
the trade-off curve, then fit on all articles and write `qa/extractive/decision.json`.
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

from eval.squad import SquadQuestion, load_squad
from qa.extractive.decision import PARAMS, Decision
from qa.extractive.features import FEATURES
from qa.settings import Settings

OUT = Path(__file__).resolve().parent.parent / "qa" / "extractive" / PARAMS
CACHE = Path(".cache") / "calibrate-features.pkl"
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.01), 2)
RATIOS = (0.3, 0.5, 0.7, 0.9, 1.01)
TARGET = (0.70, 0.55)


@dataclass
class Sample:
    """One question's candidates: feature rows and whether each holds a gold answer."""

    article: str
    question: SquadQuestion
    rows: np.ndarray
    labels: np.ndarray
    pair: np.ndarray | None = None


def collect(settings: Settings) -> list[Sample]:
    """Feature rows for every question of every SQuAD article, asked against the whole article."""
    from qa.api import Assistant

    samples = []
    for article in load_squad():
        start = time.perf_counter()
        assistant = Assistant.from_text(article.text, title=article.title, settings=settings)
        for q in article.questions:
            prepared = assistant.prepare.invoke({"question": q.question, "history": []})
            hits = prepared["hits"]
            _, rows = assistant.extractive.features(prepared["query"], hits)
            labels = np.array([any(a in h.text for a in q.answers) for h in hits], dtype=bool)
            u = assistant.embedder.embed_query(prepared["query"])
            v = assistant.indexed.embeddings[[assistant.indexed.position(h.sentence_id) for h in hits]]
            pair = np.concatenate([u * v, np.abs(u - v)], axis=1).astype(np.float16) if len(hits) else None
            samples.append(Sample(article.title, q, rows, labels, pair))
        print(f"  {article.title}: {len(article.questions)} questions in {time.perf_counter() - start:.1f} s")
    return samples


def fit(samples: Sequence[Sample], c: float = 1.0) -> Decision:
    """A logistic regression over all candidate rows of `samples`."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([s.rows for s in samples if len(s.rows)])
    y = np.concatenate([s.labels for s in samples if len(s.rows)])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return Decision(FEATURES, mean, scale, model.coef_[0], float(model.intercept_[0]), 0.5)


def outcome(sample: Sample, probs: np.ndarray, threshold: float, ratio: float, top: int = 3) -> tuple[bool, bool]:
    """(answered, correct) for one question at a threshold and extra-sentence ratio."""
    if not len(probs) or probs.max() < threshold:
        return False, not sample.question.answerable
    floor = max(threshold, ratio * probs.max())
    order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
    chosen = [i for i in order if probs[i] >= floor][:top]
    return True, sample.question.answerable and bool(sample.labels[chosen].any())


def rates(samples: Sequence[Sample], probs: Sequence[np.ndarray], threshold: float, ratio: float) -> dict:
    """Answerable questions answered right, unanswerable ones refused, and sentences quoted per answer."""
    answerable = [(s, p) for s, p in zip(samples, probs, strict=True) if s.question.answerable]
    impossible = [(s, p) for s, p in zip(samples, probs, strict=True) if not s.question.answerable]
    right = sum(outcome(s, p, threshold, ratio)[1] for s, p in answerable)
    refused = sum(not outcome(s, p, threshold, ratio)[0] for s, p in impossible)
    return {
        "answerable_correct": right / max(1, len(answerable)),
        "unanswerable_refused": refused / max(1, len(impossible)),
        "answerable": len(answerable),
        "unanswerable": len(impossible),
    }


def choose(samples: Sequence[Sample], probs: Sequence[np.ndarray]) -> tuple[float, float]:
    """Threshold and ratio closest to the target shape (answered right 0.70 and refused 0.55): the point
    that maximises the smaller of the two rates, each divided by its target."""
    best = (-1.0, 0.5, 0.5)
    for ratio in RATIOS:
        for t in THRESHOLDS:
            r = rates(samples, probs, float(t), ratio)
            score = min(r["answerable_correct"] / TARGET[0], r["unanswerable_refused"] / TARGET[1])
            if score > best[0] + 1e-9:
                best = (score, float(t), ratio)
    return best[1], best[2]


def leave_one_article_out(samples: list[Sample], c: float) -> list[np.ndarray]:
    """Held-out probabilities for every sample, each from a model that never saw its article."""
    probs: list[np.ndarray | None] = [None] * len(samples)
    for article in sorted({s.article for s in samples}):
        model = fit([s for s in samples if s.article != article], c)
        for i, s in enumerate(samples):
            if s.article == article:
                probs[i] = model.probabilities(s.rows)
    return [p if p is not None else np.zeros(0) for p in probs]


def report(samples: list[Sample], probs: list[np.ndarray], threshold: float, ratio: float) -> dict:
    """Per-article and overall held-out rates, and the trade-off curve."""
    articles = sorted({s.article for s in samples})
    per_article = {}
    for article in articles:
        idx = [i for i, s in enumerate(samples) if s.article == article]
        per_article[article] = rates([samples[i] for i in idx], [probs[i] for i in idx], threshold, ratio)
    curve = [{"threshold": float(t), **rates(samples, probs, float(t), ratio)} for t in THRESHOLDS[::5]]
    return {"overall": rates(samples, probs, threshold, ratio), "per_article": per_article, "curve": curve}


def main(argv: Sequence[str] | None = None) -> int:
    """Collect features, report leave-one-article-out, fit on everything and save the parameters."""
    parser = argparse.ArgumentParser(prog="qa calibrate")
    parser.add_argument("--reuse", action="store_true", help=f"reuse features cached in {CACHE}")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--dry-run", action="store_true", help="report only; do not write the parameters")
    args = parser.parse_args(argv)
    if args.reuse and CACHE.exists():
        samples = pickle.loads(CACHE.read_bytes())
    else:
        samples = collect(Settings())
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_bytes(pickle.dumps(samples))
    probs = leave_one_article_out(samples, args.c)
    threshold, ratio = choose(samples, probs)
    result = report(samples, probs, threshold, ratio)
    print(f"leave-one-article-out, threshold {threshold:.2f}, extra-sentence ratio {ratio}:")
    for name, r in {**result["per_article"], "ALL": result["overall"]}.items():
        print(f"  {name:34s} answered right {r['answerable_correct']:.3f}  refused {r['unanswerable_refused']:.3f}")
    print("trade-off (threshold: answered right / unanswerable refused):")
    for point in result["curve"]:
        print(f"  {point['threshold']:.2f}: {point['answerable_correct']:.3f} / {point['unanswerable_refused']:.3f}")
    final = fit(samples, args.c)
    meta = {
        "trained_on": "SQuAD 2.0 dev, 8 whole articles (eval/data)",
        "questions": len(samples),
        "leave_one_article_out": {k: round(v, 4) for k, v in result["overall"].items() if isinstance(v, float)},
    }
    decision = Decision(final.features, final.mean, final.scale, final.coef, final.intercept, threshold, ratio, meta)
    if not args.dry_run:
        Path(args.out).write_text(json.dumps(decision.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
