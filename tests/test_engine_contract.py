"""One contract every answer engine passes: grounded citations, the refusal shape, and a stream that ends
with the final Answer (the extractive engine, and the llm engine driven by a scripted model)."""

from __future__ import annotations

import pytest

import qa
from qa.llm.prompts import REFUSAL
from qa.types import Answer
from tests.conftest import assert_grounded
from tests.fakes import chat, number_of

ANSWERABLE = "What did Bennett relay?"
UNANSWERABLE = "What is the capital of Australia?"


def _llm_script(prompt: str) -> str:
    found = number_of(prompt, "relayed ideas")
    return f"Bennett relayed ideas from Ukraine and other countries [{found}]." if found else REFUSAL


@pytest.fixture(params=["extractive", "llm"])
def engine_assistant(request, assistant):
    if request.param == "extractive":
        return assistant
    return qa.Assistant(assistant.indexed, assistant.settings, assistant.embedder, assistant.store, chat(_llm_script))


class TestEveryEngine:
    def test_answers_with_grounded_citations(self, engine_assistant) -> None:
        answer = engine_assistant.ask(ANSWERABLE)
        assert not answer.refused and answer.citations
        assert_grounded(answer, engine_assistant.article.text)
        assert any("relayed ideas" in c.quote for c in answer.citations)

    def test_refusal_has_the_refusal_shape(self, engine_assistant) -> None:
        answer = engine_assistant.ask(UNANSWERABLE)
        assert answer.refused and answer.text == REFUSAL and not answer.citations

    def test_stream_ends_with_the_final_answer(self, engine_assistant) -> None:
        events = list(engine_assistant.stream(ANSWERABLE))
        assert events and all(isinstance(e, str) for e in events[:-1]) and isinstance(events[-1], Answer)
        final = events[-1]
        assert final.text == engine_assistant.ask(ANSWERABLE).text
        assert_grounded(final, engine_assistant.article.text)
