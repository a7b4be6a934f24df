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


def test_prefetched_question_analysis_is_picked_up_once_and_equals_a_direct_one() -> None:
    from qa.extractive import question

    text = "Who did the minister call on Tuesday?"
    direct = question.analyse(text)
    question.clear_analysed()
    question.prefetch(text)
    assert text in question._PENDING
    assert question.analyse(text) == direct
    assert text not in question._PENDING, "a prefetched result is used once, then forgotten"
    for i in range(question.MAX_PENDING + 5):
        question.prefetch(f"Question number {i}?")
    assert len(question._PENDING) <= question.MAX_PENDING, "unclaimed prefetches are bounded"


def test_a_question_asked_again_is_not_parsed_again_and_the_kept_ones_are_bounded(monkeypatch) -> None:
    from qa.api import clear_caches
    from qa.extractive import question

    text = "Which bridge did the mayor open?"
    first = question.analyse(text)

    def forbidden(_: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(question, "_analyse_now", forbidden)
    question.prefetch(text)
    assert text not in question._PENDING, "no parse is started for a question already analysed"
    assert question.analyse(text) is first
    monkeypatch.undo()
    for i in range(question.MAX_DONE + 5):
        question._DONE[f"Question number {i}?"] = first
    question.analyse("What did the council decide?")
    assert len(question._DONE) <= question.MAX_DONE
    clear_caches()
    assert not question._DONE
