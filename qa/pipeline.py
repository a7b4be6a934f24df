"""The answer pipeline as plain functions: condense the follow-up, retrieve, answer (or stream the answer).

`Assistant.ask` and `Assistant.stream` call these directly; `qa.chain` wraps the same steps as LangChain
runnables for callers who compose chains. Going around LangChain on the default path keeps its import
(about 1 s) out of a cold start and its callback machinery (about 2.5 ms) out of every question.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from qa.index.embedding import Embedder
from qa.retrieval.followup import last_turn, message_text, rewrite
from qa.retrieval.hybrid import HybridSearch
from qa.types import Answer, Engine, Hit

Condenser = Callable[[str, list[dict]], str]


def model_condenser(model: Any) -> Condenser:
    """Condense a follow-up with a chat model; the heuristic rewrite when the model gives nothing usable."""
    from qa.llm.prompts import CONDENSE_TEMPLATE

    def condense_with_model(question: str, history: list[dict]) -> str:
        if not last_turn(history)[0]:
            return question
        conversation = "\n".join(f"{m.get('role')}: {message_text(m)}" for m in history[-4:])
        reply = model.invoke(CONDENSE_TEMPLATE.format_messages(conversation=conversation, question=question))
        text = " ".join(str(getattr(reply, "content", "")).split())[:500]
        return text if text.endswith("?") and len(text) > 3 else rewrite(question, history)

    return condense_with_model


def condense(
    question: str,
    history: list[dict],
    embedder: Embedder,
    min_rewrite_similarity: float,
    condenser: Condenser = rewrite,
) -> str:
    """The query to search: the rewrite, kept only if it stays close to the turn."""
    query = condenser(question, history)
    if query == question:
        return question
    turn = f"{question} {last_turn(history)[0]}".strip()
    similarity = float(np.dot(embedder.embed_query(query), embedder.embed_query(turn)))
    return query if similarity >= min_rewrite_similarity else question


def prepare(
    inputs: dict[str, Any],
    searcher: HybridSearch,
    condenser: Condenser = rewrite,
    min_rewrite_similarity: float = 0.3,
    on_query: Callable[[str], object] | None = None,
) -> dict[str, Any]:
    """{'question', 'history'} -> the same with 'query', 'hits' and 'timings' (ms) added. `on_query` is called
    with the query before the search starts (the extractive engine starts analysing it meanwhile)."""
    start = time.perf_counter()
    history = inputs.get("history") or []
    query = condense(inputs["question"], history, searcher.embedder, min_rewrite_similarity, condenser)
    rewritten = time.perf_counter()
    if on_query is not None:
        on_query(query)
    hits: list[Hit] = searcher.search(query)
    return {
        **inputs,
        "query": query,
        "hits": hits,
        "timings": {"rewrite": _ms(start, rewritten), "retrieve": _ms(rewritten)},
    }


def answer(prepared: dict[str, Any], engine: Engine) -> Answer:
    """The engine's Answer for prepared inputs, with per-stage timings (ms)."""
    start = time.perf_counter()
    found = engine.answer(prepared["question"], prepared["query"], prepared["hits"])
    return found.model_copy(update={"timings": {**prepared["timings"], "answer": _ms(start)}})


def stream_answer(prepared: dict[str, Any], engine: Engine) -> Iterator[str | Answer]:
    """Text deltas then the final Answer: the engine's own stream if it has one, else its answer in pieces."""
    start = time.perf_counter()
    args = (prepared["question"], prepared["query"], prepared["hits"])
    for event in engine.stream(*args):
        if isinstance(event, Answer):
            event = event.model_copy(update={"timings": {**prepared["timings"], "answer": _ms(start)}})
        yield event


def _ms(start: float, end: float | None = None) -> float:
    return round(((end if end is not None else time.perf_counter()) - start) * 1000, 2)
