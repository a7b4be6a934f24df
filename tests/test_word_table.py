"""The word table's logic (`index.word_table`) with a stand-in encoder; the real one is checked against the
ONNX export in test_minilm."""

from __future__ import annotations

import numpy as np

from qa.index.word_table import WordTable, build, table_paths, whole_words

VOCAB = {"[CLS]": 0, "[SEP]": 1, "relay": 2, "##ay": 3, "1990": 4, "meeting": 5, "café": 6, "moscow": 7}


class _Encoding:
    def __init__(self, ids: list[int]) -> None:
        self.ids = ids


class _Tokenizer:
    """Lowercases like MiniLM's; its vocabulary has words, pieces, numbers and special tokens."""

    def get_vocab(self) -> dict[str, int]:
        return dict(VOCAB)

    def encode(self, text: str) -> _Encoding:
        return _Encoding([VOCAB.get(text.lower(), 100)])


class _Encoder:
    tokenizer = _Tokenizer()

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        rows = np.array([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_whole_words_are_the_alphabetic_ascii_pieces() -> None:
    assert whole_words(_Tokenizer()) == ["meeting", "moscow", "relay"]


def test_the_table_is_written_once_whole_and_read_back_in_any_case(tmp_path) -> None:
    export = tmp_path / "minilm.onnx"
    encoder = _Encoder()
    assert build(encoder, export) is True
    assert build(encoder, export) is False and len(encoder.batches) == 1, "an existing table is kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in table_paths(export)), "no partials"
    table = WordTable.load(export, _Tokenizer())
    assert table is not None and table.uncased
    found = table.lookup(["Relay", "MOSCOW", "ay", "unknown"])
    assert list(found) == ["Relay", "MOSCOW"]
    expected = encoder.encode(["relay", "moscow"])
    assert all(v.dtype == np.float32 for v in found.values())
    assert np.allclose(np.stack(list(found.values())), expected, atol=1e-3), "float16 keeps the vectors"


def test_a_missing_or_torn_table_is_no_table(tmp_path) -> None:
    export = tmp_path / "minilm.onnx"
    assert WordTable.load(export, _Tokenizer()) is None
    build(_Encoder(), export)
    _, words = table_paths(export)
    words.write_text("relay\n")  # fewer words than vectors
    assert WordTable.load(export, _Tokenizer()) is None


def test_a_sentence_s_word_vectors_are_stacked_once_and_the_oldest_dropped(monkeypatch) -> None:
    from qa.extractive import evidence
    from qa.extractive.evidence import WordStacks

    class _Embedder:
        def __init__(self) -> None:
            self.calls: list[list[str]] = []

        def embed_many_cached(self, texts: list[str]) -> np.ndarray:
            self.calls.append(list(texts))
            return np.eye(4, dtype=np.float32)[: len(texts)]

    monkeypatch.setattr(evidence, "STACKS_KEPT", 2)
    embedder = _Embedder()
    stacks = WordStacks(embedder, [["a", "b"], ["c"], []])
    first = stacks.of(0)
    assert first.shape == (2, 4) and stacks.of(0) is first and embedder.calls == [["a", "b"]]
    assert stacks.of(2).shape == (0, 4)
    stacks.of(1)  # three sentences stacked, two kept: sentence 0 was used least recently
    stacks.of(0)
    assert embedder.calls == [["a", "b"], [], ["c"], ["a", "b"]]
