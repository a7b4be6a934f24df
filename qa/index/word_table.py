"""Vectors of every whole word in MiniLM's vocabulary, made once beside the ONNX export and read by mmap.

The extractive engine compares single words by their MiniLM vectors (synonym matches, `evidence._soft`). A word
new to the process cost one onnxruntime run (~2.8 ms for one word, most of it fixed cost) in almost every
question, and its vector moved with the words it happened to be batched with (activations are quantized per
batch). 89% of the words looked up on the bundled cases are one word-piece of the vocabulary: all 21,745 of
those (alphabetic, ASCII) are encoded once, in fixed batches, when the export is made (~9 s on 2 cores),
and kept as float16 (16 MB, mapped, so only the rows read take memory). Other words are encoded as before.
Measured by `qa bench --quick`: see the README.
"""

from __future__ import annotations

import contextlib
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
BATCH = 256


def table_paths(onnx_path: Path) -> tuple[Path, Path]:
    """The vectors (.npy) and their words (.txt, one per line, row order) kept beside an export."""
    return onnx_path.with_suffix(".words.npy"), onnx_path.with_suffix(".words.txt")


def whole_words(tokenizer) -> list[str]:
    """The vocabulary's pieces that are whole alphabetic words ('relay', not '##ay', '[CLS]' or '1990'), sorted."""
    return sorted(w for w in tokenizer.get_vocab() if w.isascii() and w.isalpha())


def build(encoder, onnx_path: Path, workers: int = 2) -> bool:
    """Encode every whole word with `encoder` (an `OnnxMiniLM`) and write the table atomically; False if a
    table is already there."""
    vectors_path, words_path = table_paths(onnx_path)
    if vectors_path.exists() and words_path.exists():
        return False
    words = whole_words(encoder.tokenizer)
    batches = [words[i : i + BATCH] for i in range(0, len(words), BATCH)]
    with ThreadPoolExecutor(max(1, workers)) as pool:  # onnxruntime releases the GIL
        vectors = np.concatenate(list(pool.map(encoder.encode, batches))).astype(np.float16)
    tag = f".{os.getpid()}.partial"
    partial_words, partial_vectors = Path(f"{words_path}{tag}"), Path(f"{vectors_path}{tag}")
    try:
        partial_words.write_text("\n".join(words) + "\n", encoding="utf-8")
        with partial_vectors.open("wb") as f:
            np.save(f, vectors)
        partial_words.replace(words_path)
        partial_vectors.replace(vectors_path)  # last: its presence means the pair is whole
    finally:
        for leftover in (partial_words, partial_vectors):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return True


class WordTable:
    """Read side: words' vectors (float32, unit length within float16 rounding)."""

    def __init__(self, vectors: np.ndarray, words: list[str], uncased: bool) -> None:
        if len(vectors) != len(words):
            raise ValueError(f"word table has {len(vectors)} vectors for {len(words)} words")
        self.vectors = np.asarray(vectors)  # a plain view of the mapping: indexing a np.memmap costs ~10 us more
        self.rows = {w: i for i, w in enumerate(words)}
        self.uncased = uncased

    @classmethod
    def load(cls, onnx_path: Path, tokenizer) -> WordTable | None:
        """The table kept beside an export, or None if there is none (or it cannot be read)."""
        vectors_path, words_path = table_paths(onnx_path)
        if not vectors_path.exists():
            return None
        try:
            vectors = np.load(vectors_path, mmap_mode="r")
            words = words_path.read_text(encoding="utf-8").split()
            uncased = tokenizer.encode("The").ids == tokenizer.encode("the").ids
            return cls(vectors, words, uncased)
        except (OSError, ValueError) as exc:
            log.warning("word table %s unreadable (%s); words are encoded as asked", vectors_path, exc)
            return None

    def lookup(self, words: list[str]) -> dict[str, np.ndarray]:
        """The rows (float32) of those words that are whole pieces (any case, when the model lowercases)."""
        rows = {w: self.rows.get(w.lower() if self.uncased else w) for w in words}
        rows = {w: r for w, r in rows.items() if r is not None}
        if not rows:
            return {}
        return dict(zip(rows, self.vectors[list(rows.values())].astype(np.float32), strict=True))
