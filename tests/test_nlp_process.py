"""spaCy in a child process: the same annotations as in-process, in order, and nothing lost when it fails."""

from __future__ import annotations

import subprocess
import sys

import pytest

import qa.index.build as build
import qa.index.nlp_process as nlp_process
from qa.index.article import article_from_text
from qa.index.build import build_index
from qa.index.errors import StoreError
from qa.index.nlp import analyse_question, annotate
from qa.index.nlp_process import ANNOTATOR, Annotator, annotate_chunks
from qa.index.store import ChromaStore

TEXTS = [
    '"We will rebuild," she said on Friday in Denver.',
    "The council did not approve the 300-page audit.",
    "Zoë Müller, 42, leads the Berlin office of Acme Corp.",
    "It rained.",
    "Prices rose 4% in March, officials told reporters.",
]
CHUNKS = [TEXTS[:2], TEXTS[2:3], TEXTS[3:]]


@pytest.fixture
def child_for_everything(monkeypatch):
    """Every annotate_chunks call goes through the shared child, which is stopped afterwards."""
    monkeypatch.setattr(nlp_process, "PROCESS_MIN", 1)
    yield ANNOTATOR
    ANNOTATOR.close()


def test_the_child_annotates_each_chunk_as_this_process_would() -> None:
    annotator = Annotator()
    try:
        got = list(annotator.annotate(CHUNKS))
        assert annotator.running
    finally:
        assert annotator.close()
    assert got == [annotate(chunk) for chunk in CHUNKS]
    assert not annotator.running


def test_a_child_that_dies_midway_loses_nothing(child_for_everything) -> None:
    stream = annotate_chunks(CHUNKS)
    first = next(stream)
    assert child_for_everything.running
    child_for_everything._proc.kill()
    rest = list(stream)
    assert [first, *rest] == [annotate(chunk) for chunk in CHUNKS]


def test_an_abandoned_stream_leaves_no_stale_answers_for_the_next_caller(child_for_everything) -> None:
    stream = annotate_chunks(CHUNKS)
    next(stream)
    stream.close()  # two chunks were sent and never read
    assert list(annotate_chunks([TEXTS[4:]])) == [annotate(TEXTS[4:])]


def test_indexing_through_the_child_stores_the_same_records(tmp_path, fake_embedder, child_for_everything, monkeypatch):
    monkeypatch.setattr(build, "CHUNK", 2)
    monkeypatch.setattr(build, "TAIL", 1)
    article = article_from_text(" ".join(TEXTS))
    store = ChromaStore(path=tmp_path / "chroma")
    indexed = build_index(article, fake_embedder, store)
    assert indexed.annotations == tuple(annotate([s.text for s in indexed.sentences]))
    records = store.get_records(indexed.collection, [s.id for s in indexed.sentences])
    assert len(records) == len(indexed.sentences) == len(TEXTS)


def test_a_store_failure_midway_is_raised_not_hung(tmp_path, fake_embedder, monkeypatch) -> None:
    monkeypatch.setattr(build, "CHUNK", 2)
    monkeypatch.setattr(build, "TAIL", 1)
    store = ChromaStore(path=tmp_path / "chroma")
    calls = []

    def failing_upsert(name, ids, *args) -> None:
        calls.append(ids)
        if len(calls) == 2:
            raise StoreError("disk is full")
        ChromaStore.upsert(store, name, ids, *args)

    monkeypatch.setattr(store, "upsert", failing_upsert)
    with pytest.raises(StoreError, match="disk is full"):
        build_index(article_from_text(" ".join(TEXTS)), fake_embedder, store)
    assert len(calls) == 2


def test_loading_spacy_imports_neither_torch_nor_its_cli_and_both_still_work_after() -> None:
    code = """
import sys
from qa.index.nlp import load_pipeline
nlp = load_pipeline()
print(sorted(m for m in ("torch", "spacy.cli", "typer", "requests") if m in sys.modules))
print([e.label_ for e in nlp("Ada Lovelace was born in London.").ents])
import spacy, spacy.cli
print(callable(spacy.cli.download), spacy.info.__module__)
import catalogue
from importlib.metadata import entry_points
table, groups = catalogue.AVAILABLE_ENTRY_POINTS, entry_points().groups
same = all([e.name for e in table.get(g, ())] == [e.name for e in entry_points(group=g)] for g in groups)
print(type(table).__name__, same)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "[]"
    assert "GPE" in out[1] and "PERSON" in out[1]
    assert out[2] == "True qa.index.nlp"
    assert out[3] == "dict True"  # catalogue's entry points keyed by group, each group's the same as before


QUESTIONS = ["Who did the council not thank in Denver?", "How much did prices rise in March?"]


@pytest.fixture
def child_for_questions(monkeypatch):
    """Questions go to the shared child; the in-process question pipeline must not be used meanwhile."""

    def forbidden(text):
        raise AssertionError("analysed in-process")

    monkeypatch.setattr(nlp_process.nlp, "analyse_question", forbidden)
    ANNOTATOR.serve_questions()
    yield ANNOTATOR
    ANNOTATOR.close()
    monkeypatch.undo()


def test_questions_served_by_the_child_are_analysed_as_in_process(child_for_questions) -> None:
    got = [nlp_process.analyse_question(q) for q in QUESTIONS]
    assert child_for_questions.questions and child_for_questions.running
    child_for_questions.close()
    assert not child_for_questions.questions  # closing hands questions back to this process
    assert got == [analyse_question(q) for q in QUESTIONS]


def test_a_question_child_that_dies_is_restarted(child_for_questions) -> None:
    nlp_process.analyse_question(QUESTIONS[0])
    child_for_questions._proc.kill()
    child_for_questions._proc.wait()
    assert nlp_process.analyse_question(QUESTIONS[1]) == analyse_question(QUESTIONS[1])
    assert child_for_questions.questions and child_for_questions.running


def test_questions_fall_back_to_this_process_when_no_child_starts(monkeypatch) -> None:
    monkeypatch.setattr(nlp_process.sys, "executable", "false")  # the child exits before it is ready
    ANNOTATOR.serve_questions()
    try:
        assert nlp_process.analyse_question(QUESTIONS[1]) == analyse_question(QUESTIONS[1])
        assert not ANNOTATOR.questions and not ANNOTATOR.running
    finally:
        ANNOTATOR.close()


def test_questions_stay_in_process_when_the_child_cannot_be_launched(monkeypatch) -> None:
    monkeypatch.setattr(nlp_process.sys, "executable", "/nonexistent/python")  # Popen itself fails
    ANNOTATOR.serve_questions()
    assert not ANNOTATOR.questions and not ANNOTATOR.running
    assert nlp_process.analyse_question(QUESTIONS[0]) == analyse_question(QUESTIONS[0])
