"""The `qa` console script, through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(args: list[str], settings, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "QA_CHROMA_PATH": str(settings.chroma_path)}
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], capture_output=True, text=True, env=env, timeout=240, **kw
    )


def test_ask_prints_a_cited_answer(settings) -> None:
    done = run(["ask", "What did Bennett relay?"], settings)
    assert done.returncode == 0, done.stderr
    assert "relayed ideas" in done.stdout and "[1]" in done.stdout


def test_ask_json_is_an_answer(settings) -> None:
    done = run(["ask", "--json", "What is the capital of Australia?"], settings)
    data = json.loads(done.stdout)
    assert data["refused"] is True and data["citations"] == []


def test_ask_about_another_article_and_index(settings, tmp_path: Path) -> None:
    article = tmp_path / "note.md"
    article.write_text("# Harbor News\n\nThe harbor reopened on Monday after repairs.\n", encoding="utf-8")
    done = run(["ask", "--article", str(article), "When did the harbor reopen?"], settings)
    assert done.returncode == 0 and "Monday" in done.stdout
    indexed = run(["index", str(article)], settings)
    assert json.loads(indexed.stdout.splitlines()[-1])["embedded"] == 0


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["ask", ""], id="empty-question"),
        pytest.param(["ask", "--article", "/nonexistent/file.txt", "Why?"], id="missing-file"),
        pytest.param(["ask", "x" * 2100], id="long-question"),
    ],
)
def test_user_errors_print_one_line_and_exit_2(settings, args: list[str]) -> None:
    done = run(args, settings)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_output_that_cannot_be_written_is_one_line_not_a_traceback(settings) -> None:
    env = {**os.environ, "QA_CHROMA_PATH": str(settings.chroma_path)}
    command = [sys.executable, "-m", "qa", "ask", "What did Bennett relay?"]
    with open("/dev/full", "w") as full:  # every write fails: no space left on device
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=240)
    assert done.returncode == 1
    assert done.stderr.strip() == "error: cannot write the output (No space left on device)."
    reader_gone = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    reader_gone.stdout.close()  # `qa ask ... | true`
    assert reader_gone.wait(timeout=240) == 1
    assert reader_gone.stderr.read() == ""
