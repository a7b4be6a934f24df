"""Document encoding shared between threads: every text gets its own row and token rows, once; errors reach
the caller."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from qa.index.embedding import TOKEN_BUDGET, DocumentEncoding, length_batches, token_estimate
from qa.index.minilm import Encoded

TEXTS = [f"text {i} " + "word " * (i * 7 % 13) for i in range(203)]


class Recorder:
    """Encodes a text as [its number, its length, 0...] with (its number % 5) token rows, and counts how
    often each text was encoded."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.seen: list[str] = []
        self.lock = threading.Lock()
        self.fail_on = fail_on

    def __call__(self, batch: list[str]) -> Encoded:
        if self.fail_on in batch:
            raise RuntimeError("encoder broke")
        with self.lock:
            self.seen.extend(batch)
        rows = np.zeros((len(batch), 384), dtype=np.float32)
        rows[:, 0] = [int(t.split()[1]) for t in batch]
        rows[:, 1] = [len(t) for t in batch]
        tokens = [np.full((int(t.split()[1]) % 5, 384), 0.5, dtype=np.float32) for t in batch]
        return Encoded(rows, tokens, [[] for _ in batch])


def empty(batch: list[str]) -> Encoded:
    """Zero vectors and no token rows."""
    return Encoded(np.zeros((len(batch), 384)), [np.zeros((0, 384))] * len(batch), [[] for _ in batch])


@pytest.mark.parametrize("workers", [1, 2, 5])
def test_threads_sharing_the_batches_keep_each_text_on_its_row(workers: int) -> None:
    encode = Recorder()
    job = DocumentEncoding(encode, TEXTS, batch_size=8)
    joiner = threading.Thread(target=job.work)  # a thread that joins in late, as spaCy's does in indexing
    joiner.start()
    vectors = job.run(workers=workers)
    joiner.join()
    assert sorted(encode.seen) == sorted(TEXTS), "every text encoded exactly once"
    assert vectors[:, 0].tolist() == list(range(len(TEXTS)))
    assert vectors[:, 1].tolist() == [len(t) for t in TEXTS]
    assert [len(t) for t in job.tokens] == [i % 5 for i in range(len(TEXTS))], "token rows stay with their text"
    assert all(t.dtype == np.int8 and (t == 127).all() for t in job.tokens), "kept in int8, scaled to 127"


def test_batches_hold_texts_of_similar_length() -> None:
    sizes: list[list[int]] = []
    DocumentEncoding(lambda b: sizes.append([len(t) for t in b]) or empty(b), TEXTS, 8).run(1)
    spread = [max(s) - min(s) for s in sizes]
    assert max(spread) < max(len(t) for t in TEXTS) - min(len(t) for t in TEXTS)
    assert sum(spread) <= len(sizes) * 5, "sorted by length: little padding"


def test_long_texts_go_in_small_batches_so_attention_buffers_stay_bounded() -> None:
    texts = [f"text {i} " + "word " * (i * 37 % 700) for i in range(300)]
    batches = length_batches(texts, 32)
    assert sorted(np.concatenate(batches).tolist()) == list(range(300)), "every text once"
    for batch in batches:
        assert len(batch) <= 32
        longest = max(token_estimate(texts[i]) for i in batch)
        assert len(batch) == 1 or len(batch) * longest**2 <= TOKEN_BUDGET
    assert max(len(b) for b in batches) == 32, "short texts still fill whole batches"
    assert min(len(b) for b in batches) <= 2, "texts at the token cap go (nearly) alone"
    sizes: list[int] = []
    DocumentEncoding(lambda b: sizes.append(len(b)) or empty(b), texts, 32).run(1)
    assert sizes == [len(b) for b in batches], "the encoding runs those batches"


def test_an_encoder_error_reaches_the_caller_instead_of_hanging() -> None:
    job = DocumentEncoding(Recorder(fail_on=TEXTS[150]), TEXTS, batch_size=8)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            job.run(workers=2)
        except RuntimeError as exc:
            outcome.append(exc)

    caller = threading.Thread(target=run)
    caller.start()
    caller.join(timeout=10)
    assert not caller.is_alive(), "result() must not wait for a batch that failed"
    assert outcome and "encoder broke" in str(outcome[0])


def test_nothing_to_encode_returns_an_empty_matrix() -> None:
    vectors = DocumentEncoding(Recorder(), [], batch_size=8).run(workers=2)
    assert vectors.shape == (0, 384)
