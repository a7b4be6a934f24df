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
from qa.index.nlp import annotate
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
    article = article_from_text(" ".join(TEXTS))
    store = ChromaStore(path=tmp_path / "chroma")
    indexed = build_index(article, fake_embedder, store)
    assert indexed.annotations == tuple(annotate([s.text for s in indexed.sentences]))
    records = store.get_records(indexed.collection, [s.id for s in indexed.sentences])
    assert len(records) == len(indexed.sentences) == len(TEXTS)


def test_a_store_failure_midway_is_raised_not_hung(tmp_path, fake_embedder, monkeypatch) -> None:
    monkeypatch.setattr(build, "CHUNK", 2)
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
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "[]"
    assert "GPE" in out[1] and "PERSON" in out[1]
    assert out[2] == "True qa.index.nlp"


def test_an_embedding_failure_midway_is_raised_and_the_stored_chunks_stay(tmp_path, fake_embedder, monkeypatch):
    monkeypatch.setattr(build, "CHUNK", 2)
    embed = fake_embedder.embed_documents

    def failing(texts, progress=False):
        if len(fake_embedder.calls) == 1:
            raise RuntimeError("out of memory")
        return embed(texts, progress)

    monkeypatch.setattr(fake_embedder, "embed_documents", failing)
    store = ChromaStore(path=tmp_path / "chroma")
    article = article_from_text(" ".join(TEXTS))
    with pytest.raises(RuntimeError, match="out of memory"):
        build_index(article, fake_embedder, store)
    monkeypatch.setattr(fake_embedder, "embed_documents", embed)
    again = build_index(article, fake_embedder, store)  # the next run embeds only what was not stored
    assert again.embedded == len(TEXTS) - 2
    assert again.annotations == tuple(annotate([s.text for s in again.sentences]))
