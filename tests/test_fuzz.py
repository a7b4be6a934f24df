"""Fuzzing `ask`, the loader and (quick size) every entry point: only QAError ever escapes, offsets hold."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import qa
from qa.eval.fuzz import RTL, TEXTS, ZERO_WIDTH, report, run_all
from qa.index.article import article_from_text, load_article
from qa.index.errors import QAError
from qa.index.split import split_article
from tests.conftest import assert_grounded

FUZZ = hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(question=TEXTS)
def test_ask_never_raises_anything_but_qa_error(assistant, question: str) -> None:
    try:
        answer = assistant.ask(question)
    except QAError:
        return
    assert_grounded(answer, assistant.article.text)


@FUZZ
@given(question=st.text(min_size=1, max_size=50))
def test_huge_questions_are_refused_cleanly(assistant, question: str) -> None:
    with pytest.raises(QAError):
        assistant.ask(question * (100_000 // len(question) + 1))


@FUZZ
@given(text=TEXTS, fmt=st.sampled_from(["text", "markdown", "html"]))
def test_loader_and_splitter_keep_offsets(text: str, fmt: str) -> None:
    try:
        article = article_from_text(text, fmt=fmt)
    except QAError:
        return
    _, sentences = split_article(article)
    for s in sentences:
        assert article.text[s.start : s.end] == s.text and s.text


@hsettings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html", ".pdf"]))
def test_loader_on_random_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = Path(tmp_path_factory.mktemp("bytes")) / f"f{suffix}"
    path.write_bytes(data)
    try:
        article = load_article(path)
    except QAError:
        return
    assert article.text.strip()


@hsettings(max_examples=25, deadline=None)
@given(text=TEXTS.filter(lambda t: t.strip()))
def test_any_article_answers_or_refuses(settings, text: str) -> None:
    from tests.conftest import FakeEmbedder

    try:
        assistant = qa.Assistant.from_text(text, settings=settings, embedder=FakeEmbedder())
        answer = assistant.ask("What happened?")
    except QAError:
        return
    assert_grounded(answer, assistant.article.text)


def test_huge_article_text_and_control_characters(settings) -> None:
    from tests.conftest import FakeEmbedder

    text = ("Storm\x00 hits\x07 the coast. " * 4000) + RTL + ZERO_WIDTH
    assistant = qa.Assistant.from_text(text, settings=settings, embedder=FakeEmbedder())
    assert "\x00" not in assistant.article.text
    assert_grounded(assistant.ask("What hits the coast?"), assistant.article.text)


ODD_QUESTIONS = [None, b"What?", 42, {"q": "x"}, ["What?"], "What \ud800 happened?"]


@pytest.mark.parametrize("question", ODD_QUESTIONS, ids=["none", "bytes", "int", "dict", "list", "surrogate"])
def test_odd_questions_get_a_clear_qa_error(assistant, question: object) -> None:
    with pytest.raises(QAError) as caught:
        assistant.ask(question)
    assert "empty" not in str(caught.value) or question is None


@pytest.mark.parametrize(
    "history",
    [
        pytest.param([{"role": ["user"], "content": "x"}], id="role-list"),
        pytest.param([{"role": {"a": 1}, "content": "x"}], id="role-dict"),
        pytest.param([{"role": "user", "content": "Who \udcff?"}], id="surrogate"),
        pytest.param([{"role": "assistant", "content": "A b " * 10_000}], id="too-long"),
        pytest.param("not a list", id="string"),
    ],
)
def test_bad_history_gets_a_clear_qa_error(assistant, history: object) -> None:
    with pytest.raises(QAError):
        assistant.ask("What happened?", history)


@pytest.mark.parametrize("text", [None, b"bytes", 7, ["a list"], "Bad \ud800 text."], ids=str)
def test_from_text_rejects_what_is_not_text(settings, text: object) -> None:
    with pytest.raises(QAError):
        qa.Assistant.from_text(text, settings=settings)


def test_utf16_file_with_a_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("The bridge opened in May.".encode("utf-16"))
    assert load_article(path).text == "The bridge opened in May."


@pytest.mark.slow
def test_every_entry_point_quick_fuzz(tmp_path: Path) -> None:
    """The CI-size run of `python -m qa.eval.fuzz` (nightly: 1,000 inputs per entry point)."""
    examples = int(os.environ.get("QA_FUZZ_EXAMPLES", "30"))
    tallies = run_all(examples, tmp_path)
    print(report(tallies, 0.0))
    assert all(t.tried >= examples // 2 for t in tallies.values()), "an entry point was barely exercised"
    assert not [e for t in tallies.values() for e in t.escapes], report(tallies, 0.0)
