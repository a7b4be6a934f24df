"""spaCy in a child process, for indexing long articles and for the questions of a one-shot `qa ask`.

spaCy holds the GIL almost throughout: two threads with a pipeline each annotate 2,000 sentences in 11.2 s
against 12.0 s for one. In-process it therefore serialises with the Chroma upsert (which holds the GIL too)
and with every other Python thread, such as other sessions' questions while an upload is indexed. In a
child it has a core of its own: 2,000 sentences index at 81-90% of raw sentence-transformers encoding
against 70-71% in-process (`qa bench` throughput, 2 cores).

A cold `qa ask` runs the question through the child too (`Annotator.serve_questions`): spaCy's import and
load (~2 s, GIL-bound) then overlap the rest of the start on the other core (cold `qa ask`, six
alternations here: median 3.04 s against 4.55 s; with the other start-up cuts of `store.py` and `qa.cli.run`,
2.19 s).

The child is a fresh `python` running `main` below, not a multiprocessing worker: spawn would re-run a caller's
unguarded `__main__` script. It reads pickled lists of texts on stdin, writes pickled lists of Annotations
on stdout, in order, and exits at end of input.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from qa.index import nlp
from qa.index.nlp import Annotation, annotate

log = logging.getLogger(__name__)
READY = "ready"
CHILD_FAILURES = (OSError, EOFError, pickle.UnpicklingError, RuntimeError)  # the child died or never started
PROCESS_MIN = 512  # sentences: below this, a child not yet running is not worth its start (~2 s)


class Annotator:
    """A child process that annotates chunks of sentences in the order they are sent (one caller at a time)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._ready = False
        self._lock = threading.Lock()
        self.questions = False

    @property
    def running(self) -> bool:
        """Whether the child is up."""
        return self._proc is not None and self._proc.poll() is None

    def serve_questions(self) -> None:
        """Launch the child now and analyse questions in it too, not in this process: a one-shot caller such
        as `qa ask` then loads spaCy on the other core while it imports and opens everything else (spaCy's
        import and load hold the GIL for ~2 s). A long-lived process keeps questions in-process (~5 ms each).
        If no child can be started, questions stay in-process."""
        try:
            with self._lock:
                self._launch()
        except OSError as exc:
            log.warning("cannot start the spaCy child process (%s); analysing questions in this process", exc)
            return
        self.questions = True

    def _launch(self) -> None:
        """Start the child if it is not up, without waiting for it to load spaCy."""
        if not self.running:
            self._stop()  # a child that died: its pipes are closed
            root = str(Path(__file__).resolve().parents[2])  # where `qa` is importable from, installed or not
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
            command = [sys.executable, "-c", "import sys, qa.index.nlp_process as p; sys.exit(p.main())"]
            self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)

    def _start(self) -> subprocess.Popen:
        self._launch()
        proc = self._proc
        assert proc is not None
        if not self._ready:
            try:
                if pickle.load(proc.stdout) != READY:
                    raise RuntimeError("the spaCy child process did not start")
            except BaseException:
                self._stop()
                raise
            self._ready = True
        return proc

    def annotate(self, chunks: list[list[str]]) -> Iterator[list[Annotation]]:
        """Annotations of each chunk, in order. Starts the child if needed (~2 s, while the caller embeds).
        A chunk the caller does not wait for kills the child: its answers would be read by the next caller."""
        with self._lock:
            proc = self._start()
            sender = threading.Thread(target=self._send, args=(proc, chunks), daemon=True, name="qa-nlp-send")
            sender.start()
            received = 0
            try:
                for _ in chunks:
                    notes = pickle.load(proc.stdout)
                    received += 1
                    yield notes
            finally:
                if received < len(chunks):
                    self._stop()

    @staticmethod
    def _send(proc: subprocess.Popen, chunks: list[list[str]]) -> None:
        try:
            for chunk in chunks:
                pickle.dump(chunk, proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):  # the child died or was stopped; the reader sees it
            pass

    def _stop(self) -> None:
        proc, self._proc, self._ready = self._proc, None, False
        if proc is not None:
            proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                stream.close()

    def close(self) -> bool:
        """Stop the child (its ~170 MB come back) and analyse questions in-process again; returns whether
        one was running."""
        with self._lock:
            was = self.running
            self._stop()
            self.questions = False
            return was


ANNOTATOR = Annotator()
atexit.register(ANNOTATOR.close)


def annotate_chunks(chunks: list[list[str]], progress: bool = False) -> Iterator[list[Annotation]]:
    """Annotations of each chunk of sentences, in order: in the child process when it runs or the chunks
    hold at least PROCESS_MIN sentences, else (or if the child fails) in this process."""
    from tqdm import tqdm

    total = sum(map(len, chunks))
    done = 0
    with tqdm(total=total, desc="reading sentences", unit="sentence", disable=not progress) as bar:
        if ANNOTATOR.running or total >= PROCESS_MIN:
            stream = ANNOTATOR.annotate(chunks)
            try:
                for notes in stream:
                    done += 1
                    bar.update(len(notes))
                    yield notes
            except CHILD_FAILURES as exc:
                log.warning("spaCy child process failed (%s); reading the rest in this process", exc)
            finally:
                stream.close()
        for chunk in chunks[done:]:
            notes = annotate(chunk)
            bar.update(len(notes))
            yield notes


def analyse_question(text: str) -> Annotation:
    """The Annotation of a question: in the child when it serves questions, else (or if it fails) here."""
    if ANNOTATOR.questions:
        stream = ANNOTATOR.annotate([[text]])
        try:
            return next(stream)[0]
        except CHILD_FAILURES as exc:
            log.warning("spaCy child process failed (%s); analysing questions in this process", exc)
            ANNOTATOR.questions = False
        finally:
            stream.close()
    return nlp.analyse_question(text)


def main() -> int:
    """The child: load the pipeline, then annotate each list of texts read until end of input."""
    from qa.index.nlp import load_pipeline

    load_pipeline("index")
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the stream
    pickle.dump(READY, sink)
    sink.flush()
    while True:
        try:
            texts = pickle.load(source)
        except EOFError:
            return 0
        notes = annotate(texts)
        pickle.dump(notes, sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()
