"""The learned answer/refuse decision: two small logistic models saved as a few kB of JSON.

Stage one scores each candidate sentence: P(it holds the answer) from its feature row. Stage two turns the
candidates into one calibrated probability that the answer will be right: it looks at the best and second
best sentence probabilities, how many candidates compete, and the best candidate's features. `python -m
eval.calibrate` fits both on third-party QA data (SQuAD 2.0, leave-one-article-out) and writes
`decision.json` beside this file; at run time each stage is one standardise, one dot product and a sigmoid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

PARAMS = "decision.json"
SUMMARY = ("p_best", "p_second", "p_margin", "p_sum", "p_count_30", "candidates")


@dataclass(frozen=True)
class Linear:
    """A standardised logistic model: sigmoid(((x - mean) / scale) . coef + intercept)."""

    mean: np.ndarray = field(repr=False)
    scale: np.ndarray = field(repr=False)
    coef: np.ndarray = field(repr=False)
    intercept: float

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict:
        """JSON-ready parameters."""
        return {
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": round(float(self.intercept), 6),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Linear:
        """Inverse of `to_dict`."""
        return cls(*(np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef")), data["intercept"])


def summary_row(rows: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Stage two's input for one question: the probability summary, the best row and each feature's maximum."""
    width = rows.shape[1]
    if not len(probs):
        return np.zeros(len(SUMMARY) + 2 * width)
    ordered = np.sort(probs)[::-1]
    second = ordered[1] if len(ordered) > 1 else 0.0
    head = [ordered[0], second, ordered[0] - second, probs.sum(), float((probs >= 0.3).sum()), float(len(probs))]
    return np.concatenate([head, rows[int(np.argmax(probs))], rows.max(axis=0)])


@dataclass(frozen=True)
class Decision:
    """Sentence probabilities and one calibrated answer probability per question."""

    features: tuple[str, ...]
    sentence: Linear
    question: Linear | None
    threshold: float
    extra_ratio: float = 0.3
    meta: dict = field(default_factory=dict, repr=False, compare=False)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(each candidate sentence holds the answer)."""
        return self.sentence(rows)

    def confidence(self, rows: np.ndarray, probs: np.ndarray) -> float:
        """P(answering with the best candidates is right); refuse below `threshold`."""
        if not len(probs):
            return 0.0
        if self.question is None:
            return float(probs.max())
        return float(self.question(summary_row(rows, probs)[None, :])[0])

    def to_dict(self) -> dict:
        """JSON-ready parameters."""
        return {
            "features": list(self.features),
            "sentence": self.sentence.to_dict(),
            "question": self.question.to_dict() if self.question else None,
            "threshold": round(float(self.threshold), 4),
            "extra_ratio": round(float(self.extra_ratio), 4),
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Decision:
        """Inverse of `to_dict`."""
        question = Linear.from_dict(data["question"]) if data.get("question") else None
        return cls(
            tuple(data["features"]),
            Linear.from_dict(data["sentence"]),
            question,
            float(data["threshold"]),
            float(data.get("extra_ratio", 0.3)),
            dict(data.get("meta", {})),
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> Decision:
        """The saved parameters (default: the ones shipped with the package)."""
        text = Path(path).read_text("utf-8") if path else resources.files(__package__).joinpath(PARAMS).read_text()
        return cls.from_dict(json.loads(text))
