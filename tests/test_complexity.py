"""Adversarial inputs take linear time at every text entry point: 4x the input costs at most 6x the time."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qa.eval.complexity import ENTRY_POINTS, PATTERNS, question_entry, seconds, sizes


def _entry(name: str, request: pytest.FixtureRequest) -> Callable[[str], object]:
    if name == "question":
        return question_entry(request.getfixturevalue("assistant"))
    return ENTRY_POINTS[name]


@pytest.mark.parametrize("entry", [*ENTRY_POINTS, "question"])
@pytest.mark.parametrize("pattern", PATTERNS)
def test_linear_time(entry: str, pattern: str, request: pytest.FixtureRequest) -> None:
    unit = PATTERNS[pattern]
    run = _entry(entry, request)
    low, high = sizes(entry)
    small, large = _timed_pair(run, unit, low, high)
    # Below a quarter second a run is too short to time reliably; quadratic work would be 16x, so 6x allows for
    # noise: splitting 10 KB of quoted one-letter sentences fits the CPU's caches and 40 KB does not (5.6x here
    # for 4x the text, then 3.3x from 40 to 160 KB), and a CI run timed html/quotes at 5.5x (0.050 / 0.277 s).
    # A whole `ask` is nearly all spaCy's parse of one long "sentence", whose time is noisy: 2.7x on a quiet
    # machine for 4x the characters, 5.0x and 6.0x seen on CI. So any question at the 2,000-character cap
    # answered within a second passes too: quadratic work from the 0.13-0.18 s of 500 characters is 2-3 s.
    # A CI run once timed md/image-links at 6.2x (0.238 / 1.474 s; 4.2x in the same build's benchmark), so a
    # pair over the bound is timed once more and the better pair counts: quadratic work fails both.
    floor, factor = (1.0, 6) if entry == "question" else (0.25, 6)
    if large > max(factor * small, floor):
        again = _timed_pair(run, unit, low, high)
        small, large = min((small, large), again, key=lambda pair: pair[1] / pair[0])
    message = f"{entry}/{pattern}: {small:.3f} s at {low:,}, {large:.3f} s at {high:,}"
    assert large <= max(factor * small, floor), message


def _timed_pair(run: Callable[[str], object], unit: str, low: int, high: int) -> tuple[float, float]:
    """Best-of-3 seconds for the pattern repeated to the small and to the large size."""
    return seconds(run, unit * (low // len(unit))), seconds(run, unit * (high // len(unit)))
