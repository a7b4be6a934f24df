"""MiniLM through onnxruntime: exported once to ONNX with 8-bit weights, cached under a hash of its weights.

onnxruntime is already installed (chromadb depends on it). The export needs torch, so it is made before the
first documents are embedded (torch is loaded then anyway) or by `qa index`; until the file exists, queries
use the NumPy twin (`index.minilm`), which also stays the test oracle (`tests/test_minilm.py`).

The export's matrix multiplications are quantized to int8 (onnxruntime's dynamic quantization, per-channel
weights; embeddings, layer norms and pooling stay float32). Measured on 2,000 sentences on a 2-core AVX2
CPU: documents 1.5x faster per core, a single query 8.9 -> 5.5 ms, vectors within cosine 0.979 (mean 0.990)
of float32; on the SQuAD 2.0 set, leave-one-article-out, answered right / unanswerable refused 0.656 / 0.530
against 0.657 / 0.519 in float32, and 77 of the 98 hand-written cases right either way, two of them
different (`qa calibrate`, `qa eval`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import warnings
from pathlib import Path

import numpy as np

from qa.index.minilm import Encoded, check_supported, pieces
from qa.index.tokens import token_rows

_EXPORT_LOCK = threading.Lock()
OPSET = 17


def weights_hash(model_dir: Path, cache_dir: Path) -> str:
    """SHA-256 (first 16 hex digits) of the weights file, remembered in the cache by path, size and mtime."""
    weights = model_dir / "model.safetensors"
    stat = weights.stat()
    memo = cache_dir / "weights-sha256.json"
    key = [str(weights), stat.st_size, stat.st_mtime_ns]
    try:
        saved = json.loads(memo.read_text())
        if saved["key"] == key:
            return saved["sha256"]
    except (OSError, ValueError, KeyError):
        pass
    digest = hashlib.sha256()
    with weights.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    sha = digest.hexdigest()[:16]
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        memo.write_text(json.dumps({"key": key, "sha256": sha}))
    except OSError:  # a read-only cache: hash again next time
        pass
    return sha


def onnx_file(cache_dir: Path, model_dir: Path) -> Path:
    """Where the export of these weights lives."""
    digest = weights_hash(Path(model_dir), Path(cache_dir))
    return Path(cache_dir) / f"minilm-{digest}-opset{OPSET}-int8-tokens.onnx"


def quantize(source: Path, target: Path) -> None:
    """Write `source` with its MatMul weights in int8 (per output channel) and activations quantized per
    batch at run time; the rest of the graph is kept as is."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class _NoPreprocessingAdvice(logging.Filter):  # onnxruntime logs it to the root logger on every call
        def filter(self, record: logging.LogRecord) -> bool:
            return "pre-processing before quantization" not in record.getMessage()

    advice = _NoPreprocessingAdvice()
    logging.getLogger().addFilter(advice)
    try:
        quantize_dynamic(source, target, op_types_to_quantize=["MatMul"], per_channel=True, weight_type=QuantType.QInt8)
    finally:
        logging.getLogger().removeFilter(advice)


def export(sentence_transformer: object, target: Path) -> Path:
    """Export a loaded SentenceTransformer (BERT + mean pooling + L2 norm) to `target` with int8 matrix
    multiplications, atomically. Outputs: the sentence vectors and every token's output vector."""
    import torch

    bert = sentence_transformer[0].auto_model.eval()  # type: ignore[index]

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            keep = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * keep).sum(1) / keep.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1), hidden

    with _EXPORT_LOCK:
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        full = target.with_suffix(f".{os.getpid()}.float32.partial")
        sample = torch.ones((1, 8), dtype=torch.long)
        axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's notes on tracing are about code paths we do not use
            torch.onnx.export(
                Pooled(),
                (sample, sample),
                str(full),
                input_names=["input_ids", "attention_mask"],
                output_names=["embedding", "tokens"],
                dynamic_axes={**axes, "embedding": {0: "batch"}, "tokens": {0: "batch", 1: "tokens"}},
                opset_version=OPSET,
                dynamo=False,
            )
        try:
            quantize(full, partial)
        finally:
            full.unlink(missing_ok=True)
        partial.replace(target)
    return target


class OnnxMiniLM:
    """The exported MiniLM run by onnxruntime with the model directory's own tokenizer."""

    def __init__(self, onnx_path: Path, model_dir: str | Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        options = ort.SessionOptions()
        # One thread per run: callers put the cores to use with batches side by side (DocumentEncoding), and
        # a single question costs ~1.5 ms more than on two threads but never competes with an upload's.
        options.intra_op_num_threads = 1
        options.log_severity_level = 3
        # Graph optimisation costs ~0.4 s per start: do it once, keep the result beside the export, and load
        # that as is afterwards ("extended" level: no CPU-specific rewrites, so a cache may travel).
        optimized = onnx_path.with_suffix(".opt.onnx")
        if optimized.exists():
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            source = optimized
        else:
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
            partial = optimized.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
            options.optimized_model_filepath = str(partial)
            source = onnx_path
        self.session = ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        if source == onnx_path:
            with contextlib.suppress(OSError):
                partial.replace(optimized)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=check_supported(model_dir))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        # A batch of long sentences grows onnxruntime's memory arena by tens of MB, which it keeps for good;
        # batches run with these options hand what they grew back at their end (100 uploads in-process:
        # +79 MB RSS kept without, +16 MB with; documents/s within the noise, 281 vs 287).
        self.shrink = ort.RunOptions()
        self.shrink.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def _run(self, texts: list[str], shrink: bool, outputs: list[str]) -> tuple[list[np.ndarray], list, np.ndarray]:
        """The requested outputs, the tokenizer's encodings and the attention mask."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        options = self.shrink if shrink else None
        return self.session.run(outputs, {"input_ids": ids, "attention_mask": mask}, options), encodings, mask

    def encode(self, texts: list[str], shrink: bool = False) -> np.ndarray:
        """L2-normalised sentence vectors, one row per text; `shrink` hands back the arena memory the run grew
        (for document batches: questions and words are short and frequent)."""
        return self._run(texts, shrink, ["embedding"])[0][0].astype(np.float32)

    def encode_with_tokens(self, texts: list[str], shrink: bool = False) -> Encoded:
        """Sentence vectors and, per text, its word-pieces and their output vectors (`index.tokens`)."""
        (pooled, hidden), encodings, mask = self._run(texts, shrink, ["embedding", "tokens"])
        return Encoded(pooled.astype(np.float32), token_rows(hidden, mask), pieces(encodings))
