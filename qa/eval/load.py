"""Concurrent-use load test against a running app: N gradio_client sessions asking M questions each.

    python -m qa.eval.load http://127.0.0.1:7860/ [--sessions 20] [--questions 10]

Every request goes to the given (loopback) server; the run is bounded in count and time and stops itself.
Some sessions upload their own article first: their answers must come from it, and no other session may
ever see it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from qa.eval.run import EVAL_DIR, load_jsonl

PRIVATE = "Lighthouse Gazette\n\nThe keeper, Mara Quill, painted the lighthouse teal on Sunday."
PRIVATE_QUESTION = "Who painted the lighthouse teal?"
PRIVATE_MARK = "Quill"


def message_text(message: dict) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return " ".join(p.get("text", "") for p in content if isinstance(p, dict))


def _session(url: str, index: int, questions: list[str], expected: dict[str, str], deadline: float) -> dict:
    """One user: optionally upload a private article, then ask questions; record latency and problems."""
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    private = index % 4 == 0
    out = {"latencies": [], "errors": [], "mismatches": 0, "leaks": 0}
    if private:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
            f.write(PRIVATE)
        client.predict(handle_file(f.name), "", api_name="/use_article")
    for question in questions:
        if time.monotonic() > deadline:
            out["errors"].append("deadline")
            break
        asked = PRIVATE_QUESTION if private and len(out["latencies"]) % 2 == 0 else question
        start = time.perf_counter()
        try:
            chat, *_ = client.predict(asked, [], 8, "extractive", api_name="/chat")
        except Exception as exc:  # any failure of the server counts as an error of the run
            out["errors"].append(f"{type(exc).__name__}: {exc}")
            continue
        out["latencies"].append(time.perf_counter() - start)
        reply = message_text(chat[-1])
        if private:
            out["mismatches"] += asked == PRIVATE_QUESTION and PRIVATE_MARK not in reply
        else:
            out["leaks"] += PRIVATE_MARK in reply
            out["mismatches"] += reply != expected[asked]
    return out


def run_load(url: str, sessions: int = 20, per_session: int = 10, timeout: float = 300.0) -> dict:
    """Run the load and summarise: requests, errors, mismatches against single-user answers, leaks, p50/p95."""
    from gradio_client import Client

    cases = [c["user_input"] for c in load_jsonl(EVAL_DIR / "cases.jsonl") if not c["history"]][:per_session]
    single = Client(url, verbose=False)
    expected = {q: message_text(single.predict(q, [], 8, "extractive", api_name="/chat")[0][-1]) for q in cases}
    deadline = time.monotonic() + timeout
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        results = list(pool.map(lambda i: _session(url, i, cases, expected, deadline), range(sessions)))
    wall = time.perf_counter() - start
    latencies = sorted(t for r in results for t in r["latencies"])
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)] if latencies else float("nan")
    return {
        "sessions": sessions,
        "requests": len(latencies),
        "errors": sum(len(r["errors"]) for r in results),
        "mismatches": sum(r["mismatches"] for r in results),
        "leaks": sum(r["leaks"] for r in results),
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * p95, 1),
        "wall_s": round(wall, 1),
        "error_samples": [e for r in results for e in r["errors"]][:5],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa.eval.load")
    parser.add_argument("url")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args(argv)
    if not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        print("error: the load test only targets a server on this machine (loopback)", file=sys.stderr)
        return 2
    summary = run_load(args.url, args.sessions, args.questions)
    print(json.dumps(summary, indent=1))
    return 0 if summary["errors"] == summary["mismatches"] == summary["leaks"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
