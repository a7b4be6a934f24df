"""Adversarial inputs take linear time at every text entry point: 4x the input costs at most 5x the time."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

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


def _load(fmt: str) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return split_article(article_from_text(text, fmt=fmt))
        except Exception:  # an error is an answer too; only the time matters here
            return None

    return run


def _follow_up(text: str) -> object:
    history = [{"role": "user", "content": "Who met the mayor?"}, {"role": "assistant", "content": text}]
    return rewrite("What did he say" + text[:200] + "?", history)


ENTRY_POINTS = {"txt": _load("text"), "md": _load("markdown"), "html": _load("html"), "history": _follow_up}


def _seconds(run: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("pattern", PATTERNS)
def test_linear_time(entry: str, pattern: str) -> None:
    unit = PATTERNS[pattern]
    run = ENTRY_POINTS[entry]
    small = _seconds(run, unit * (SMALL // len(unit)))
    large = _seconds(run, unit * (LARGE // len(unit)))
    # Below a quarter second a run is too short to time reliably; quadratic work would be 16x.
    assert large <= max(5 * small, 0.25), f"{entry}/{pattern}: {small:.3f} s at 10 KB, {large:.3f} s at 40 KB"
