"""The real llm engine: SmolLM2-135M through llama.cpp (the [llm] extra) on 5 eval questions.

SmolLM2 is a tiny model that invents a lot; what is under test is the guard: every sentence that
survives verification is supported by the sentences it cites, and every citation is exact.
"""

from __future__ import annotations

import re

import pytest

from qa.api import Assistant, default_embedder
from qa.eval.run import EVAL_DIR, load_jsonl
from qa.llm.support import SupportChecker
from qa.settings import BUNDLED_ARTICLE, Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llm_assistant(settings: Settings) -> Assistant:
    import llama_cpp  # noqa: F401 - `make test` installs the [llm] extra; without it this test must fail

    return Assistant.from_file(BUNDLED_ARTICLE, settings.model_copy(update={"engine": "llm"}))


def test_every_surviving_sentence_is_supported(llm_assistant: Assistant) -> None:
    cases = [c for c in load_jsonl(EVAL_DIR / "cases.jsonl") if "axios" in c["article"] and not c["history"]]
    chosen = [c for c in cases if c["answerable"]][:4] + [c for c in cases if not c["answerable"]][:1]
    checker = SupportChecker(default_embedder())
    text = llm_assistant.article.text
    engines, removed = [], 0
    for case in chosen:
        answer = llm_assistant.ask(case["user_input"])
        engines.append(answer.engine)
        removed += len(answer.removed)
        assert answer.engine in ("llm", "llm→extractive")
        quotes = {c.marker: c.quote for c in answer.citations}
        for c in answer.citations:
            assert text[c.start : c.end] == c.quote
        for statement in re.split(r"(?<=\])\s+", answer.text) if not answer.refused else []:
            markers = [int(m) for m in re.findall(r"\[(\d+)\]", statement)]
            assert markers and all(m in quotes for m in markers), statement
            claim = re.sub(r"\s*\[\d+\]", "", statement)
            assert checker.supports(claim, [quotes[m] for m in markers]), statement
    print(f"SmolLM2 on 5 questions: engines {engines}, {removed} model sentences removed by the verifier")
    assert removed or "llm" in engines, "the real model's output must reach the verifier"
