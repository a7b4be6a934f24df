"""The NumPy twin of all-MiniLM-L6-v2 gives sentence-transformers' vectors."""

from __future__ import annotations

import numpy as np

from index.embedding import load_model, load_query_model

TEXTS = [
    "What did the minister relay?",
    "A much longer sentence, with punctuation; numbers like 3,000 and 1.5 percent, and “curly quotes”.",
    "x",
    "Ünïcödé and emoji 🙂 survive tokenisation.",
]


def test_numpy_twin_matches_sentence_transformers() -> None:
    ours = load_query_model().encode(TEXTS)
    reference = load_model().encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert ours.dtype == np.float32 and ours.shape == (4, 384)
    assert np.abs(ours - reference).max() < 1e-5


def test_long_text_is_truncated_not_rejected() -> None:
    vec = load_query_model().encode(["word " * 2000])
    assert vec.shape == (1, 384) and np.isclose(np.linalg.norm(vec), 1.0, atol=1e-4)
