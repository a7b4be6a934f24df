"""Kill indexing while it writes to Chroma (SIGKILL at a random point of the write, 10 trials): the next run
repairs, with the same answers."""

from __future__ import annotations

import contextlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.api import Assistant
from qa.eval.bench import synthetic_text
from qa.index.article import article_from_text
from qa.index.build import build_index
from qa.index.errors import StoreError
from qa.index.split import split_article
from qa.index.store import ChromaStore, collection_name, set_aside
from qa.settings import Settings
from tests.conftest import ROOT, FakeEmbedder

pytestmark = pytest.mark.slow
SENTENCES = 200  # every run also annotates them all with spaCy
TRIALS = 10
CHILD = """
import sys
sys.path.insert(0, {root!r})
from qa.eval.bench import synthetic_text
from qa.index.article import article_from_text
from qa.index.build import build_index
from qa.index.store import ChromaStore
from tests.conftest import FakeEmbedder
article = article_from_text(synthetic_text({n}, seed=1))
store = ChromaStore(path={path!r})
write = store.upsert


def upsert(*args, **kwargs):
    print("writing", flush=True)  # the parent kills the process at a random point of the write
    write(*args, **kwargs)


store.upsert = upsert
store._batches = lambda count: (range(0, count, 16), 16)  # many small writes, as to a server: kills land between
build_index(article, FakeEmbedder(), store)
print("done", flush=True)
"""
QUESTIONS = ["What about the river and the mayor?", "Which court judge spoke on tax?", "Where is the harbor?"]
ARTICLE = article_from_text(synthetic_text(SENTENCES, seed=1))  # the one the child indexes


def _answers(store: ChromaStore, tmp: Path) -> list[str]:
    indexed = build_index(ARTICLE, FakeEmbedder(), store)
    assistant = Assistant(indexed, Settings(chroma_path=tmp), FakeEmbedder(), store)
    return [assistant.ask(q).text for q in QUESTIONS]


def _kill_midway(path: Path, delay: float) -> bool:
    """Run the indexing child, SIGKILL it `delay` s after it starts writing to the store; True if it was killed
    before finishing."""
    code = CHILD.format(root=str(ROOT), n=SENTENCES, path=str(path))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    time.sleep(delay)
    finished = child.poll() is not None
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    return not finished


def test_killed_indexing_is_repaired_by_the_next_run(tmp_path: Path) -> None:
    expected = {s.id for s in split_article(ARTICLE)[1]}
    reference = _answers(ChromaStore(path=tmp_path / "clean"), tmp_path)
    rng = random.Random(20261125)
    killed = rebuilt = partial = 0
    name = collection_name(ARTICLE.id, FakeEmbedder().model_id)
    for trial in range(TRIALS):
        path = tmp_path / f"trial-{trial}"
        killed += _kill_midway(path, rng.uniform(0.0, 0.15))
        with contextlib.suppress(StoreError):
            held = ChromaStore(path=path).count(name)
            partial += 0 < held < len(expected)
        try:
            store = ChromaStore(path=path)
            answers = _answers(store, tmp_path)
        except StoreError:
            set_aside(path)
            rebuilt += 1
            store = ChromaStore(path=path)
            answers = _answers(store, tmp_path)
        assert store.ids(name) == expected, f"trial {trial}: missing or extra sentences"
        assert store.count(name) == len(expected), f"trial {trial}: duplicates"
        assert answers == reference, f"trial {trial}: answers differ after repair"
    print(f"{TRIALS} kill trials: {killed} killed mid-write, {partial} left part of the article, {rebuilt} rebuilt")
    assert killed >= TRIALS // 2, "most trials must really interrupt the write"
    assert partial >= 2, "some kills must leave a half-written collection for the next run to complete"
