"""The learned answer/refuse decision: a logistic model over candidate features, saved as a few kB of JSON.

`python -m eval.calibrate` fits it on third-party QA data (SQuAD 2.0, leave-one-article-out) and writes
`decision.json` beside this file; at run time it is one standardise, one dot product and a sigmoid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

PARAMS = "decision.json"


@dataclass(frozen=True)
class Decision:
    """P(a candidate sentence answers the question) from its feature row."""

    features: tuple[str, ...]
    mean: np.ndarray = field(repr=False)
    scale: np.ndarray = field(repr=False)
    coef: np.ndarray = field(repr=False)
    intercept: float
    threshold: float
    extra_ratio: float = 0.5
    meta: dict = field(default_factory=dict, repr=False, compare=False)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """Calibrated probability per row."""
        if not len(rows):
            return np.zeros(0)
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict:
        """JSON-ready parameters."""
        return {
            "features": list(self.features),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": round(float(self.intercept), 6),
            "threshold": round(float(self.threshold), 4),
            "extra_ratio": round(float(self.extra_ratio), 4),
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Decision:
        """Inverse of `to_dict`."""
        return cls(
            tuple(data["features"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            float(data["intercept"]),
            float(data["threshold"]),
            float(data.get("extra_ratio", 0.5)),
            dict(data.get("meta", {})),
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> Decision:
        """The saved parameters (default: the ones shipped with the package)."""
        text = Path(path).read_text("utf-8") if path else resources.files(__package__).joinpath(PARAMS).read_text()
        return cls.from_dict(json.loads(text))
