"""Contextual token vectors: MiniLM's output vector for every word-piece of a sentence or a question.

They let the decision match a question word by word against a sentence ("MaxSim": each question word's most
similar token of the sentence), which tells a paraphrase from a swapped word better than one vector per
sentence does. The encoder computes them anyway on its way to the sentence vector, so indexing keeps them:
each sentence's rows ([CLS] and [SEP] aside) are stored in int8, each row scaled so its largest component is
127 (cosine needs only directions, so the scale is dropped and rows are normalised again when read): 384
bytes a token, about 11 kB a sentence.
"""

from __future__ import annotations

import base64

import numpy as np

DIM = 384
_EMPTY = np.zeros((0, DIM), dtype=np.int8)


def token_rows(hidden: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
    """Per text of a batch, the rows of its real tokens without the first ([CLS]) and last ([SEP])."""
    return [hidden[i, 1 : int(mask[i].sum()) - 1] for i in range(len(hidden))]


def quantize(rows: np.ndarray) -> np.ndarray:
    """int8 rows, each scaled so its largest component is 127."""
    rows = np.asarray(rows, dtype=np.float32).reshape(-1, DIM)
    top = np.abs(rows).max(axis=1, keepdims=True)
    return np.round(rows * (127.0 / np.maximum(top, 1e-12))).astype(np.int8)


def normalized(rows: np.ndarray) -> np.ndarray:
    """float32 rows of unit length (int8 rows included)."""
    rows = np.asarray(rows, dtype=np.float32).reshape(-1, DIM)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def pack(rows: np.ndarray) -> str:
    """int8 rows as text (base64), for a store's metadata."""
    return base64.b64encode(np.ascontiguousarray(rows, dtype=np.int8).tobytes()).decode("ascii")


def unpack(text: str) -> np.ndarray:
    """Inverse of `pack`."""
    return np.frombuffer(base64.b64decode(text), dtype=np.int8).reshape(-1, DIM) if text else _EMPTY


class TokenTable:
    """The int8 token rows of an article's sentences, one block per sentence, in one array."""

    def __init__(self, blocks: list[np.ndarray]) -> None:
        sizes = [len(b) for b in blocks]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.rows = np.concatenate(blocks) if sum(sizes) else _EMPTY
        self.inverse = 1.0 / np.maximum(np.linalg.norm(self.rows.astype(np.float32), axis=1), 1e-12)  # per row

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def nbytes(self) -> int:
        """Memory the rows take."""
        return int(self.rows.nbytes + self.offsets.nbytes + self.inverse.nbytes)

    def gather(self, positions: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Unit-length float32 rows of several sentences one after another, and where each one's rows start
        (one more entry: the end)."""
        spans = [np.arange(self.offsets[p], self.offsets[p + 1]) for p in positions]
        index = np.concatenate(spans) if spans else np.zeros(0, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum([len(s) for s in spans])]).astype(np.int64)
        return self.rows[index].astype(np.float32) * self.inverse[index, None], starts

    def of(self, position: int) -> np.ndarray:
        """Unit-length float32 rows of one sentence (none when the embedder gave no token vectors)."""
        return self.gather([position] if 0 <= position < len(self) else [])[0]
