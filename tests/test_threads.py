"""Shared word tools are safe to call from many threads at once (the app answers and indexes in parallel)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from qa.text import stem

WORDS = [
    f"{w}{suffix}"
    for w in ("connect", "relay", "negotiat", "talk", "meet", "visit")
    for suffix in ("ed", "ing", "ions", "ational", "ness", "fully", "s", "er", "ers", "ive")
] * 50


def test_stemming_from_many_threads_gives_the_single_thread_result() -> None:
    raw = stem.__wrapped__  # bypass the cache so every call reaches the stemmer
    expected = [raw(w) for w in WORDS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: [raw(w) for w in WORDS], range(16)))
    assert all(r == expected for r in results)
