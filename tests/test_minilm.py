"""The NumPy twin of all-MiniLM-L6-v2 gives sentence-transformers' vectors and token rows; the int8 ONNX export
stays close."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.index.embedding import load_model, load_query_model

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


def test_token_rows_are_sentence_transformers_token_embeddings_without_cls_and_sep() -> None:
    from qa.index.embedding import MiniLMEmbedder
    from qa.index.tokens import normalized

    ours = load_query_model().encode_with_tokens(TEXTS)
    reference = load_model().encode(TEXTS, output_value=None)
    for rows, pieces, ref in zip(ours.tokens, ours.pieces, reference, strict=True):
        kept = ref["token_embeddings"][ref["attention_mask"].bool()].numpy()[1:-1]
        assert rows.shape == kept.shape == (len(pieces), 384) and "[CLS]" not in pieces and "[SEP]" not in pieces
        assert np.abs(rows - kept).max() < 1e-4
    assert ours.pieces[0] == ["what", "did", "the", "minister", "relay", "?"]
    # documents through sentence-transformers (no ONNX cache) keep the same rows, in int8
    _, stored = MiniLMEmbedder().encode_documents(TEXTS)
    for rows, int8 in zip(ours.tokens, stored, strict=True):
        assert int8.dtype == np.int8 and (np.sum(normalized(rows) * normalized(int8), axis=1) > 0.999).all()


def test_long_text_is_truncated_not_rejected() -> None:
    vec = load_query_model().encode(["word " * 2000])
    assert vec.shape == (1, 384) and np.isclose(np.linalg.norm(vec), 1.0, atol=1e-4)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        pytest.param({"model_type": "roberta"}, "config.json", id="not-bert"),
        pytest.param({"hidden_act": "relu"}, "config.json", id="other-activation"),
        pytest.param({"position_embedding_type": "relative_key"}, "config.json", id="relative-positions"),
        pytest.param(
            {"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}, "1_Pooling/config.json", id="cls"
        ),
    ],
)
def test_an_unsupported_model_fails_loudly(tmp_path, change: dict, where: str) -> None:
    import json
    import shutil

    from qa.index.embedding import model_dir
    from qa.index.minilm import UnsupportedModelError, check_supported

    copy = tmp_path / "model"
    shutil.copytree(model_dir(), copy, ignore=shutil.ignore_patterns("*.safetensors"))
    assert check_supported(copy) == 256, "the max sequence length is read from the model"
    target = copy / where
    target.write_text(json.dumps({**json.loads(target.read_text()), **change}))
    with pytest.raises(UnsupportedModelError):
        check_supported(copy)


def _same_rows(ours: np.ndarray, reference: np.ndarray, floor: float = 0.97) -> None:
    """Row i of `ours` is close to row i of `reference` (int8 against float32) and nearer to it than to any
    other row: no row was swapped."""
    similarity = ours @ reference.T
    assert np.diag(similarity).min() >= floor, np.diag(similarity).min()
    assert (similarity.argmax(axis=1) == np.arange(len(ours))).all()


def test_int8_onnx_export_stays_close_to_float32_and_is_keyed_by_the_weights(tmp_path) -> None:
    from qa.index.embedding import INT8_MODEL_ID, MiniLMEmbedder, model_dir
    from qa.index.onnx_minilm import OnnxMiniLM, onnx_file
    from qa.index.word_table import table_paths

    embedder = MiniLMEmbedder(onnx_dir=tmp_path)
    assert embedder.model_id == INT8_MODEL_ID
    assert embedder.onnx_path() is None and type(embedder.query_model).__name__ == "NumpyMiniLM"
    embedder.embed_documents(["The first document embedding makes the export."])
    path = embedder.onnx_path()
    assert path == onnx_file(tmp_path, Path(model_dir())) and path.exists()
    assert [p.name for p in tmp_path.glob("*.partial")] == [], "no float32 or half-written file is left"
    assert path.stat().st_size < 70e6, "the MatMul weights are int8 (float32: 90 MB)"
    assert isinstance(embedder.query_model, OnnxMiniLM)
    # the export's word table: every whole word of the vocabulary, read instead of encoded
    table = embedder.word_table()
    assert table is not None and len(table.rows) > 20_000 and all(p.exists() for p in table_paths(path))
    words = ["Relay", "meeting", "Zyxwvut"]  # two whole pieces (any case), one that is not in the vocabulary
    assert set(table.lookup(words)) == {"Relay", "meeting"}
    looked_up = embedder.embed_many_cached(words)
    _same_rows(looked_up, np.stack([embedder.query_model.encode([w])[0] for w in words]), floor=0.9)
    texts = [*TEXTS, "word " * 2000]
    ours = embedder.query_model.encode(texts)
    assert ours.dtype == np.float32 and np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    _same_rows(ours, load_query_model().encode(texts))
    documents = embedder.embed_documents([*TEXTS, *TEXTS[::-1]], progress=False)  # now through onnxruntime
    reference = load_model().encode([*TEXTS, *TEXTS[::-1]], normalize_embeddings=True, convert_to_numpy=True)
    _same_rows(documents[:4], reference[:4])  # sorted ONNX batches keep each text's own row
    _same_rows(documents[4:], reference[4:])
    # Indexing shares the ONNX batches between its own thread and spaCy's: each sentence keeps its own vector.
    from qa.index.article import article_from_text
    from qa.index.build import build_index
    from qa.index.store import ChromaStore
    from qa.index.tokens import normalized

    sentences = [f"Sentence {i} tells of {'many ' * (i % 9)}things." for i in range(150)]
    indexed = build_index(article_from_text(" ".join(sentences)), embedder, ChromaStore(path=tmp_path / "c"))
    assert [s.text for s in indexed.sentences] == sentences
    assert np.abs(indexed.embeddings - embedder.embed_documents(sentences)).max() < 1e-6
    _same_rows(indexed.embeddings, load_query_model().encode(sentences), floor=0.95)
    # ... and its own token rows, which the store gives back when the article is opened again
    twin = load_query_model().encode_with_tokens(sentences)
    for i in (0, 77, 149):
        rows = indexed.tokens.of(i)
        assert rows.shape == twin.tokens[i].shape
        assert np.min(np.sum(rows * normalized(twin.tokens[i]), axis=1)) > 0.9, "int8 rows near float32's"
    again = build_index(article_from_text(" ".join(sentences)), embedder, ChromaStore(path=tmp_path / "c"))
    assert again.embedded == 0 and np.array_equal(again.tokens.rows, indexed.tokens.rows)
    assert np.array_equal(again.tokens.offsets, indexed.tokens.offsets)
