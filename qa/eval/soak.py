"""Soak test: many uploads and questions through a real app server; memory and disk must stay bounded.

    python -m qa.eval.soak                                # nightly size: 1,000 uploads, 10,000 questions
    python -m qa.eval.soak --uploads 20 --questions 3     # the quick run CI makes (tests/test_soak.py)

Starts `qa serve` on loopback with a short session TTL, then simulated users (gradio_client, as in
`eval.load`) each upload an article of their own (SQuAD paragraphs with a unique line) and ask questions
about it through `/chat`. The server's RSS (`/proc/PID/status`, Linux) and the disk used by its data
directory and Chroma store are read before, throughout (peak) and after the sessions expire.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from qa.eval.load import message_text
from qa.eval.servers import SERVE, free_port, memory_bytes, process
from qa.eval.squad import load_squad
from qa.settings import Settings

MB = 1 << 20
STAGES = ("before", "peak", "after_expiry")


def held(chromas: list[Path], uploads: Path) -> dict[str, int]:
    """Chroma collections (in every store directory that exists) and uploaded files the server still holds."""
    collections = holding = 0
    for chroma in chromas:
        if not (chroma / "chroma.sqlite3").exists():
            continue
        with sqlite3.connect(f"file:{chroma / 'chroma.sqlite3'}?mode=ro", uri=True) as db:
            collections += db.execute("SELECT COUNT(*) FROM collections").fetchone()[0]
            holding += db.execute(
                "SELECT COUNT(DISTINCT s.collection) FROM embeddings e JOIN segments s ON e.segment_id = s.id"
            ).fetchone()[0]
    files = sum(1 for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else 0
    return {"collections": collections, "collections_with_records": holding, "upload_files": files}


def disk(*roots: Path) -> int:
    """Bytes of every file under the given directories (files and folders deleted meanwhile count as nothing)."""
    total = 0
    for root in roots:
        for folder, _, names in os.walk(root):  # os.walk skips what vanishes while it reads
            for name in names:
                with contextlib.suppress(OSError):
                    total += os.stat(os.path.join(folder, name)).st_size
    return total


class Sampler:
    """Reads RSS and disk every `every` seconds in a thread; keeps the peaks."""

    def __init__(self, pid: int, roots: list[Path], every: float = 1.0) -> None:
        self.pid, self.roots, self.every = pid, roots, every
        self.peak_rss = self.peak_disk = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> tuple[int, int]:
        now = memory_bytes(self.pid), disk(*self.roots)
        self.peak_rss, self.peak_disk = max(self.peak_rss, now[0]), max(self.peak_disk, now[1])
        return now

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            with contextlib.suppress(OSError, ValueError):  # a sample lost is fine; the sampler must go on
                self.sample()

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _articles(count: int, seed: int) -> list[tuple[str, list[str]]]:
    """`count` distinct articles (text, questions) cut from the SQuAD articles shipped in eval/data."""
    rng = random.Random(seed)
    pool = [(a.title, a.text.split("\n\n"), [q.question for q in a.questions]) for a in load_squad()]
    out = []
    for i in range(count):
        title, paragraphs, questions = rng.choice(pool)
        start = rng.randrange(max(1, len(paragraphs) - 3))
        body = "\n\n".join(paragraphs[start : start + 3])
        out.append((f"{title} notes {i}\n\nThis is reader upload number {i}.\n\n{body}", questions))
    return out


def _user(url: str, text: str, questions: list[str], per_user: int, rng: random.Random, work: Path) -> dict:
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    path = work / f"upload-{rng.randrange(1 << 30)}.txt"
    path.write_text(text, "utf-8")
    out = {"questions": 0, "errors": []}
    try:
        client.predict(handle_file(str(path)), "", api_name="/use_article")
        for question in rng.sample(questions, min(per_user, len(questions))):
            chat, *_ = client.predict(question, [], 8, "extractive", api_name="/chat")
            reply = message_text(chat[-1]) if chat else ""
            if not reply.strip() or reply.startswith("⚠️"):  # an error message, not an answer or a refusal
                out["errors"].append(f"bad reply to {question!r}: {reply[:120]}")
            out["questions"] += 1
    except Exception as exc:  # any failure of the server counts against the run
        out["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        path.unlink(missing_ok=True)
    return out


def run_soak(
    uploads: int, per_user: int, ttl: float, work: Path, workers: int = 2, seed: int = 7, max_articles: int = 50
) -> dict:
    """Run the soak against a fresh server; returns counts, errors and RSS/disk before, at peak and after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    data, chroma = work / "appdata", work / "chroma"
    chromas = [chroma, Settings(chroma_path=chroma).upload_store_path]
    env = {
        "QA_PORT": str(port),
        "QA_CHROMA_PATH": str(chroma),
        "QA_APP_DATA": str(data),
        "QA_SESSION_TTL": str(ttl),
        "QA_MAX_ARTICLES": str(max_articles),
    }
    articles = _articles(uploads, seed)
    rng = random.Random(seed)
    (work / "client").mkdir(parents=True, exist_ok=True)
    with (
        process(SERVE, url, env, work / "app.log") as proc,
        Sampler(proc.pid, [data, *chromas]) as sampler,
    ):
        before = sampler.sample()
        started = time.perf_counter()
        seeds = [rng.random() for _ in articles]

        def user(i: int) -> dict:
            text, questions = articles[i]
            out = _user(url, text, questions, per_user, random.Random(seeds[i]), work / "client")
            if (i + 1) % 100 == 0:
                print(f"{i + 1} uploads, RSS {sampler.peak_rss // MB} MB peak", file=sys.stderr, flush=True)
            return out

        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(user, range(len(articles))))
        wall = time.perf_counter() - started
        time.sleep(ttl * 1.3 + 2)  # the janitor sweeps every ttl/10
        after = sampler.sample()
        peak = sampler.peak_rss, sampler.peak_disk
        remaining = held(chromas, data / "uploads")
    errors = [e for r in results for e in r["errors"]]
    return {
        "uploads": uploads,
        "questions": sum(r["questions"] for r in results),
        "errors": len(errors),
        "error_samples": errors[:5],
        "wall_s": round(wall, 1),
        "held_after_expiry": remaining,
        "rss_mb": {name: value // MB for name, value in zip(STAGES, (before[0], peak[0], after[0]), strict=True)},
        "disk_mb": {
            name: round(value / MB, 1) for name, value in zip(STAGES, (before[1], peak[1], after[1]), strict=True)
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--uploads", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=10, help="questions per upload")
    parser.add_argument("--ttl", type=float, default=60.0, help="session TTL given to the server, seconds")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        summary = run_soak(args.uploads, args.questions, args.ttl, Path(tmp))
    print(json.dumps(summary, indent=1))
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
