"""all-MiniLM-L6-v2 inference in NumPy: the same weights and tokenizer files, without importing torch.

Queries need one short forward pass; doing it in NumPy keeps `qa ask` start-up in seconds rather than
the time it takes to import torch and sentence-transformers. `tests/test_minilm.py` checks that its
vectors equal sentence-transformers' to 1e-5.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.index.tokens import token_rows

MAX_TOKENS = 256  # used when the model directory does not say


@dataclass(frozen=True)
class Encoded:
    """Texts through the encoder: L2-normalised sentence vectors, and per text the output vectors of its
    word-pieces ([CLS] and [SEP] aside) with those pieces."""

    vectors: np.ndarray
    tokens: list[np.ndarray]
    pieces: list[list[str]]


def pieces(encodings: list) -> list[list[str]]:
    """The word-pieces of each tokenizer encoding, [CLS], [SEP] and padding aside."""
    return [e.tokens[1 : sum(e.attention_mask) - 1] for e in encodings]


class UnsupportedModelError(ValueError):
    """The model directory holds a model this NumPy encoder does not implement."""


def check_supported(path: Path) -> int:
    """Fail loudly unless the directory holds a BERT encoder with GELU, absolute positions and mean pooling
    (what this file implements); return its maximum sequence length."""
    config = json.loads((path / "config.json").read_text())
    wanted = {"model_type": "bert", "hidden_act": "gelu", "position_embedding_type": "absolute"}
    found = {key: config.get(key, "absolute" if key == "position_embedding_type" else None) for key in wanted}
    pooling_file = path / "1_Pooling" / "config.json"
    pooling = json.loads(pooling_file.read_text()) if pooling_file.exists() else {}
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    if found != wanted or modes != {"pooling_mode_mean_tokens"}:
        raise UnsupportedModelError(f"{path}: the NumPy encoder needs {wanted} and mean pooling; got {found}, {modes}")
    sbert = path / "sentence_bert_config.json"
    return int(json.loads(sbert.read_text()).get("max_seq_length", MAX_TOKENS)) if sbert.exists() else MAX_TOKENS


_INV_SQRT2 = 1.0 / math.sqrt(2.0)  # Python floats keep arrays float32 under NumPy 2 promotion


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + float(eps)) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x * _INV_SQRT2))


class NumpyMiniLM:
    """A 6-layer BERT encoder with mean pooling and L2 normalisation, read from a model directory."""

    def __init__(self, path: str | Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = Path(path)
        max_tokens = check_supported(path)
        config = json.loads((path / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        self.w = {k: v.astype(np.float32) for k, v in load_file(str(path / "model.safetensors")).items()}
        for name in [k for k in self.w if k.endswith(".weight") and self.w[k].ndim == 2 and "embeddings" not in k]:
            self.w[name] = np.ascontiguousarray(self.w[name].T)
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        weight = self.w[f"{name}.weight"]  # stored transposed: (in, out)
        flat = x.reshape(-1, x.shape[-1]) @ weight + self.w[f"{name}.bias"]
        return flat.reshape(*x.shape[:-1], weight.shape[1])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"], self.eps)

    def _attention(self, x: np.ndarray, mask: np.ndarray, prefix: str) -> np.ndarray:
        batch, length, dim = x.shape
        size = dim // self.heads

        def split(t: np.ndarray) -> np.ndarray:
            return t.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        q = split(self._linear(x, f"{prefix}.self.query"))
        k = split(self._linear(x, f"{prefix}.self.key"))
        v = split(self._linear(x, f"{prefix}.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) * (1.0 / math.sqrt(size)) + mask
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, dim)
        return self._norm(self._linear(context, f"{prefix}.output.dense") + x, f"{prefix}.output.LayerNorm")

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised sentence vectors, one row per text."""
        return self.encode_with_tokens(texts).vectors

    def encode_with_tokens(self, texts: list[str]) -> Encoded:
        """Sentence vectors and, per text, its word-pieces and their output vectors (`index.tokens`)."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        keep = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        w = self.w
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
        x = self._norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        mask = ((1.0 - keep) * -1e9).astype(np.float32)[:, None, None, :]
        for i in range(self.layers):
            prefix = f"encoder.layer.{i}"
            x = self._attention(x, mask, f"{prefix}.attention")
            hidden = _gelu(self._linear(x, f"{prefix}.intermediate.dense"))
            x = self._norm(self._linear(hidden, f"{prefix}.output.dense") + x, f"{prefix}.output.LayerNorm")
        pooled = (x * keep[:, :, None]).sum(1) / np.maximum(keep.sum(1, keepdims=True), 1e-9)
        vectors = (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
        return Encoded(vectors, token_rows(x, keep), pieces(encodings))
