"""Shared fixtures: an isolated Chroma directory, the bundled assistant, and a deterministic fake embedder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from qa.settings import BUNDLED_ARTICLE, Settings
from qa.types import markers_in

ROOT = Path(__file__).resolve().parent.parent
SECOND_ARTICLE = ROOT / "qa" / "eval" / "articles" / "forestry-grants-press-release.txt"


def assert_grounded(answer, text: str) -> None:
    """Every citation quotes its exact span, and the markers in the text are exactly the citations."""
    for c in answer.citations:
        assert text[c.start : c.end] == c.quote
    markers = markers_in(answer.text)
    assert sorted(set(markers)) == [c.marker for c in answer.citations]


class FakeEmbedder:
    """Deterministic bag-of-words hashing embedder that records what it was sent."""

    model_id = "fake-hash-64"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(64, dtype=np.float32)
        for word in text.lower().split():
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def embed_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.calls.append(list(texts))
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, 64), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def embed_many_cached(self, texts: list[str]) -> np.ndarray:
        return self.embed_documents(texts)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings with a Chroma directory private to this test session."""
    return Settings(chroma_path=tmp_path_factory.mktemp("chroma"))


@pytest.fixture(scope="session")
def assistant(settings: Settings):
    """The real assistant (MiniLM + Chroma) on the bundled article."""
    from qa.api import Assistant

    return Assistant.from_file(BUNDLED_ARTICLE, settings)


@pytest.fixture(scope="session")
def second(settings: Settings):
    """The real assistant on the second, unrelated article."""
    from qa.api import Assistant

    return Assistant.from_file(SECOND_ARTICLE, settings)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()
