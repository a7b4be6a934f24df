"""Time per text entry point on adversarial inputs at 10 KB and 40 KB (linear time: 4x input, ~4x time).

python -m qa.eval.complexity      # prints the table (also part of `qa bench`)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from qa.index.article import article_from_text
from qa.index.split import split_article
from qa.retrieval.followup import rewrite

PATTERNS = {
    "dots": ".",
    "bangs": "!?",
    "image-links": "![a",
    "links": "[a](",
    "tags": "<a",
    "emphasis": "** a",
    "capitals": "A B ",
    "initials": "A. b ",
    "quotes": '"a." ',
    "long-token": "x",
    "close-paren": ")x",
}
SMALL, LARGE = 10_000, 40_000
# Questions are capped (Settings.max_question_chars, 2,000 by default): they are timed at a quarter of the cap
# and at the cap itself.
QUESTION_SIZES = 500, 2_000


def _errors_allowed(fn: Callable[[str], object]) -> Callable[[str], object]:
    """`fn`, with any exception taken as its result: an error is an answer too; only the time matters here."""

    def run(text: str) -> object:
        try:
            return fn(text)
        except Exception:
            return None

    return run


def _load(fmt: str) -> Callable[[str], object]:
    return _errors_allowed(lambda text: split_article(article_from_text(text, fmt=fmt)))


def _follow_up(text: str) -> object:
    history = [{"role": "user", "content": "Who met the mayor?"}, {"role": "assistant", "content": text}]
    return rewrite("What did he say" + text[:200] + "?", history)


def question_entry(assistant: object) -> Callable[[str], object]:
    """A whole `ask` (parse, retrieve, score) on a question of the given text, the caches cleared first: asked
    again, a question would skip its parse and embedding, and a repeat would time nothing of its length."""
    from qa.api import clear_caches

    ask = _errors_allowed(assistant.ask)  # type: ignore[attr-defined]

    def run(text: str) -> object:
        clear_caches()
        return ask(text)

    return run


# Pasted text goes through the same loader as a .txt upload.
ENTRY_POINTS: dict[str, Callable[[str], object]] = {
    "txt / pasted": _load("text"),
    "md": _load("markdown"),
    "html": _load("html"),
    "history": _follow_up,
}


def seconds(run: Callable[[str], object], text: str, repeats: int = 3) -> float:
    """Best of `repeats` wall times."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - start)
    return best


def sizes(entry: str) -> tuple[int, int]:
    """The small and large input sizes (characters) for an entry point."""
    return QUESTION_SIZES if entry == "question" else (SMALL, LARGE)


def measure(entries: dict[str, Callable[[str], object]], repeats: int = 3) -> dict[str, dict[str, list[float]]]:
    """{entry: {pattern: [seconds small, seconds large]}} (10 KB and 40 KB; questions 500 and 2,000 chars)."""
    out: dict[str, dict[str, list[float]]] = {}
    for entry, run in entries.items():
        low, high = sizes(entry)
        for pattern, unit in PATTERNS.items():
            small = seconds(run, unit * (low // len(unit)), repeats)
            large = seconds(run, unit * (high // len(unit)), repeats)
            out.setdefault(entry, {})[pattern] = [round(small, 4), round(large, 4)]
    return out


def table(results: dict[str, dict[str, list[float]]]) -> str:
    """Worst pattern per entry point: its 10 KB and 40 KB times and their ratio."""
    lines = [
        "| entry point | sizes | slowest pattern | small (s) | large (s) | ratio |",
        "|---|---|---|---:|---:|---:|",
    ]
    for entry, patterns in results.items():
        pattern, (small, large) = max(patterns.items(), key=lambda item: item[1][1])
        low, high = sizes(entry)
        ratio = large / max(small, 1e-9)
        lines.append(f"| {entry} | {low:,} / {high:,} | {pattern} | {small:.3f} | {large:.3f} | {ratio:.1f} |")
    return "\n".join(lines)


def main() -> int:
    from qa.api import Assistant
    from qa.settings import Settings

    settings = Settings()
    entries = {**ENTRY_POINTS, "question": question_entry(Assistant.from_file(settings.article, settings))}
    print(table(measure(entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
