"""Speed and scale benchmark: prints a table and writes bench/results.json and bench/results.md.

qa bench            full run (about 10 minutes on 2 cores)
qa bench --quick    fewer repeats, 1k/10k-sentence scale points (under 3 minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from qa.eval.run import EVAL_DIR, load_jsonl
from qa.settings import BUNDLED_ARTICLE, Settings

if TYPE_CHECKING:
    from qa.index.types import Article

BENCH_DIR = Path("bench")  # written where the benchmark is run (the repository root under make bench)
VOCAB = (
    "council budget river bridge school vote mayor harbor storm power market price wheat rail port court "
    "judge police fire road water tax plan city county state nurse doctor clinic farm trade union strike"
).split()


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """Median and p95 (nearest rank) of samples, rounded."""
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50": round(statistics.median(ordered), 3), "p95": round(p95, 3), "n": len(ordered)}


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cold_ask(runs: int, env: dict[str, str]) -> dict:
    """Seconds from process start to a printed answer (`qa ask`), store already built."""
    cmd = [sys.executable, "-m", "qa", "ask", "What did Bennett relay?"]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # make sure the index exists
    return percentiles(
        [_timed(lambda: subprocess.run(cmd, env=env, capture_output=True, check=True)) for _ in range(runs)]
    )


def warm_ask(assistant, questions: list[str], rounds: int) -> dict:
    """Milliseconds per `ask`: first round with empty query caches, then repeated rounds."""
    from qa.extractive.question import clear_analysed

    assistant.embedder.clear_cache()
    clear_analysed()
    cold = [1000 * _timed(lambda q=q: assistant.ask(q)) for q in questions]
    warm = [1000 * _timed(lambda q=q: assistant.ask(q)) for _ in range(rounds) for q in questions]
    return {"uncached_ms": percentiles(cold), "cached_ms": percentiles(warm)}


def index_build(settings: Settings) -> dict:
    """Seconds to index the bundled article into an empty store, model already loaded."""
    from qa.api import Assistant

    return {"seconds": round(_timed(lambda: Assistant.from_file(BUNDLED_ARTICLE, settings)), 3)}


def synthetic_text(n: int, seed: int) -> str:
    """An article of n synthetic sentences, 4 per paragraph."""
    rng = np.random.default_rng(seed)
    sentences = [" ".join(rng.choice(VOCAB, size=int(rng.integers(8, 20)))).capitalize() + f" {i}." for i in range(n)]
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, n, 4))


def raw_encode(embedder, texts: list[str]) -> object:
    """The yardstick for indexing speed: sentence-transformers' own `encode` of the same sentences."""
    return embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)


def prose_article(size: int = 263_000) -> Article:
    """An article of real prose (the SQuAD 2.0 Wikipedia text in qa/eval/data) cut to `size` characters: the
    size of the upload issue 11 saw sit at 'Reading the article' for a minute."""
    from qa.eval.squad import load_squad
    from qa.index.article import article_from_text

    return article_from_text("\n\n".join(a.text for a in load_squad())[:size], title="SQuAD 2.0 prose")


def throughput(root: Path, article: Article, repeats: int, label: str = "throughput") -> dict:
    """Indexing (split + embed + upsert into an empty store) against raw SentenceTransformer.encode on the
    same texts, in sentences per second; the two alternate `repeats` times and medians are compared."""
    from qa.api import default_embedder
    from qa.index.build import build_index
    from qa.index.nlp_process import ANNOTATOR, PROCESS_MIN
    from qa.index.split import split_article
    from qa.index.store import ChromaStore

    texts = [s.text for s in split_article(article)[1]]
    embedder = default_embedder()
    embedder.embed_documents(texts[:8])
    if len(texts) >= PROCESS_MIN:  # started once, as the models are loaded once (the app keeps it while it
        list(ANNOTATOR.annotate([texts[:8]]))  # holds an upload)
    raw, ours = [], []
    for i in range(repeats):
        raw.append(_timed(lambda: raw_encode(embedder, texts)))
        store = ChromaStore(path=root / f"{label}-{i}")
        ours.append(_timed(lambda s=store: build_index(article, embedder, s)))
    raw_s, ours_s = statistics.median(raw), statistics.median(ours)
    return {
        "characters": len(article.text),
        "sentences": len(texts),
        "raw_encode_per_s": round(len(texts) / raw_s, 1),
        "indexing_per_s": round(len(texts) / ours_s, 1),
        "ratio": round(raw_s / ours_s, 3),
        "repeats": repeats,
    }


def big_article(root: Path, assistant, megabytes: float = 2.0) -> dict:
    """A `megabytes` article: indexing time against raw sentence-transformers encoding of the same sentences,
    and the latency of questions to another article asked while it is being indexed (as in the app, where an
    upload is indexed in one worker thread while others answer)."""
    from qa.api import default_embedder
    from qa.index.article import article_from_text
    from qa.index.build import build_index
    from qa.index.split import split_article
    from qa.index.store import ChromaStore

    n = int(megabytes * 1e6 / 85)  # synthetic sentences average about 85 bytes
    article = article_from_text(synthetic_text(n, seed=99))
    texts = [s.text for s in split_article(article)[1]]
    embedder = default_embedder()
    questions = ["Who spoke to whom?", "What was relayed?", "When did the talks start?", "Where did they meet?"]
    idle = [1000 * _timed(lambda q=q: assistant.ask(q + " idle")) for q in questions * 3]
    busy: list[float] = []
    done = threading.Event()

    def index() -> None:
        try:
            build_index(article, embedder, ChromaStore(path=root / "big"))
        finally:
            done.set()

    start = time.perf_counter()
    worker = threading.Thread(target=index)
    worker.start()
    i = 0
    while not done.is_set():
        busy.append(1000 * _timed(lambda i=i: assistant.ask(f"{questions[i % 4]} {i}")))
        i += 1
        time.sleep(0.1)
    worker.join()
    indexing = time.perf_counter() - start
    raw = _timed(lambda: raw_encode(embedder, texts))
    return {
        "bytes": len(article.text.encode()),
        "sentences": len(texts),
        "indexing_s": round(indexing, 1),
        "raw_encode_s": round(raw, 1),
        "ask_while_indexing_ms": percentiles(busy),
        "ask_idle_ms": percentiles(idle),
    }


class _RandomDocuments:
    """Documents get seeded random unit vectors (the store's cost does not depend on meaning); queries use
    the real model, so query-embedding time is real."""

    model_id = "bench-random-384"

    def __init__(self, real) -> None:
        self.real = real

    def embed_documents(self, texts: list[str], progress: bool = False) -> np.ndarray:
        rng = np.random.default_rng(len(texts))
        vectors = rng.standard_normal((len(texts), 384)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_query(self, text: str) -> np.ndarray:
        return self.real.embed_query(text)

    def embed_many_cached(self, texts: list[str]) -> np.ndarray:
        return self.real.embed_many_cached(texts)


def scale(settings: Settings, sizes: list[int], queries: int) -> dict:
    """Ask latency (ms) on one article of N sentences, with the smaller articles in the same store; every
    question new (query, word and question-analysis caches cleared first)."""
    from qa.api import Assistant, clear_caches, default_embedder, open_store
    from qa.index.article import article_from_text
    from qa.index.build import build_index

    store = open_store(settings)
    embedder = _RandomDocuments(default_embedder())
    out = {}
    for n in sizes:
        start = time.perf_counter()
        indexed = build_index(article_from_text(synthetic_text(n, seed=n)), embedder, store)
        built = time.perf_counter() - start
        assistant = Assistant(indexed, settings, embedder, store)
        rng = np.random.default_rng(7)
        qs = [f"What about the {a} and the {b} {i}?" for i, (a, b) in enumerate(rng.choice(VOCAB, (queries, 2)))]
        assistant.ask(qs[0])
        clear_caches()  # the same questions at every size: each is new to every size's article
        times = [1000 * _timed(lambda q=q, a=assistant: a.ask(q)) for q in qs]
        out[str(n)] = {**percentiles(times), "build_s": round(built, 1)}
    return out


def app_rss(env: dict[str, str]) -> dict:
    """Peak resident memory (MB) of `python app.py` after answering 10 questions."""
    from gradio_client import Client

    from qa.eval.servers import app_server, memory_bytes

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(env)
        with app_server(Path(tmp), Path(env["QA_CHROMA_PATH"])) as url:
            client = Client(url, verbose=False)
            for case in load_jsonl(EVAL_DIR / "cases.jsonl")[:10]:
                client.predict(case["user_input"], None, api_name="/ask")
            peak = memory_bytes(_pid_on(url), "VmHWM")
    return {"peak_rss_mb": round(peak / (1 << 20), 1)}


def _pid_on(url: str) -> int:
    port = url.rstrip("/").rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-Htlnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    return int(out.split("pid=")[1].split(",")[0])


def table(results: dict) -> str:
    """Markdown table of the measured values against the targets."""
    r = results
    rows = [
        ("cold `qa ask` (s)", f"p50 {r['cold_ask_s']['p50']}, p95 {r['cold_ask_s']['p95']}", "≤ 6 s"),
        ("warm ask, uncached query (ms)", _pp(r["warm_ask"]["uncached_ms"]), "p50 ≤ 30, p95 ≤ 60"),
        ("warm ask, cached query (ms)", _pp(r["warm_ask"]["cached_ms"]), "p50 ≤ 30, p95 ≤ 60"),
        ("index build, bundled article (s)", str(r["index_build"]["seconds"]), "–"),
        (
            f"indexing throughput, {r['throughput']['sentences']:,} synthetic sentences (sentences/s)",
            _throughput(r["throughput"]),
            "≥ 85% of raw encode",
        ),
    ]
    if "throughput_prose" in r:
        prose = r["throughput_prose"]
        size = f"{prose['characters'] / 1000:.0f} KB"
        rows.append(
            (
                f"indexing a {size} article of real prose, {prose['sentences']:,} sentences (sentences/s)",
                _throughput(prose),
                "close to raw encode (issue 11)",
            )
        )
    rows += [(f"ask at {int(n):,} sentences (ms)", _pp(v), "p95 ≤ 100 at 100k") for n, v in r["scale"].items()]
    if "app" in r:
        rows.append(("peak RSS of the app (MB)", str(r["app"]["peak_rss_mb"]), "≤ 1536"))
    if "big_article" in r:
        big = r["big_article"]
        rows.append(
            (
                f"index a {big['bytes'] / 1e6:.1f} MB article, {big['sentences']:,} sentences (s)",
                f"{big['indexing_s']} vs raw encode {big['raw_encode_s']}",
                "close to raw encode",
            )
        )
        rows.append(
            ("ask while it is indexed (ms)", _pp(big["ask_while_indexing_ms"]), f"idle: {_pp(big['ask_idle_ms'])}")
        )
    lines = ["| measure | measured | target |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    if "complexity" in r:
        from qa.eval.complexity import table as complexity_table

        lines += ["", "Adversarial input, slowest pattern per entry point:", "", complexity_table(r["complexity"])]
    return "\n".join(lines)


def _throughput(t: dict) -> str:
    return f"{t['indexing_per_s']} vs raw encode {t['raw_encode_per_s']} ({100 * t['ratio']:.0f}%)"


def _pp(p: dict) -> str:
    return f"p50 {p['p50']:.1f}, p95 {p['p95']:.1f} (n={p['n']})"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write bench/results.json and bench/results.md."""
    parser = argparse.ArgumentParser(prog="qa bench")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-app", action="store_true", help="skip the app memory measurement")
    parser.add_argument("--big", action="store_true", help="also index a 2 MB article (always in the full run)")
    args = parser.parse_args(argv)
    from qa.api import Assistant
    from qa.index.article import article_from_text

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(chroma_path=Path(tmp) / "chroma")
        env = {**os.environ, "QA_CHROMA_PATH": str(settings.chroma_path)}
        results: dict = {"quick": args.quick, "cpus": os.cpu_count()}
        results["cold_ask_s"] = cold_ask(3 if args.quick else 10, env)
        results["index_build"] = index_build(Settings(chroma_path=Path(tmp) / "fresh"))
        assistant = Assistant.from_file(BUNDLED_ARTICLE, settings)
        questions = [c["user_input"] for c in load_jsonl(EVAL_DIR / "cases.jsonl") if "axios" in c["article"]]
        results["warm_ask"] = warm_ask(assistant, questions, 1 if args.quick else 3)
        n = 1000 if args.quick else 2000
        synthetic = article_from_text(synthetic_text(n, seed=n))
        results["throughput"] = throughput(Path(tmp), synthetic, 3 if args.quick else 5)
        results["throughput_prose"] = throughput(Path(tmp), prose_article(), 3, "prose")
        sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
        results["scale"] = scale(settings, sizes, 30 if args.quick else 100)
        if not args.no_app:
            results["app"] = app_rss(env)
        from qa.eval.complexity import ENTRY_POINTS, measure, question_entry

        entries = {**ENTRY_POINTS, "question": question_entry(assistant)}
        results["complexity"] = measure(entries, repeats=1 if args.quick else 3)
        if args.big or not args.quick:
            results["big_article"] = big_article(Path(tmp), assistant)
    BENCH_DIR.mkdir(exist_ok=True)
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    text = table(results)
    command = "qa bench --quick" if args.quick else "qa bench"
    (BENCH_DIR / "results.md").write_text(f"# Benchmark (`{command}`)\n\n{text}\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
