"""Composition as LangChain runnables: condense the follow-up, retrieve, answer (or stream the answer)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import numpy as np
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda

from qa.index.embedding import Embedder
from qa.llm.prompts import CONDENSE_TEMPLATE
from qa.retrieval.followup import last_turn, message_text, rewrite
from qa.retrieval.hybrid import HybridRetriever
from qa.types import Answer, Engine, Hit

Condenser = Callable[[str, list[dict]], str]


def model_condenser(model: Any) -> Condenser:
    """Condense a follow-up with a chat model; the heuristic rewrite when the model gives nothing usable."""

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


def build_prepare(
    retriever: HybridRetriever, condenser: Condenser = rewrite, min_rewrite_similarity: float = 0.3
) -> Runnable:
    """Runnable {'question', 'history'} -> adds 'query', 'hits' and 'timings' (ms)."""

    def _condense(inputs: dict[str, Any]) -> dict[str, Any]:
        start = time.perf_counter()
        history = inputs.get("history") or []
        query = condense(inputs["question"], history, retriever.embedder, min_rewrite_similarity, condenser)
        return {**inputs, "query": query, "timings": {"rewrite": _ms(start)}}

    def _retrieve(inputs: dict[str, Any]) -> dict[str, Any]:
        start = time.perf_counter()
        docs = retriever.invoke(inputs["query"])
        hits = [Hit(text=d.page_content, **d.metadata) for d in docs]
        return {**inputs, "hits": hits, "timings": {**inputs["timings"], "retrieve": _ms(start)}}

    return RunnableLambda(_condense) | RunnableLambda(_retrieve)


def build_chain(prepare: Runnable, engine: Engine) -> Runnable:
    """Runnable {'question', 'history'} -> Answer with per-stage timings (ms)."""

    def _answer(inputs: dict[str, Any]) -> Answer:
        start = time.perf_counter()
        answer = engine.answer(inputs["question"], inputs["query"], inputs["hits"])
        return answer.model_copy(update={"timings": {**inputs["timings"], "answer": _ms(start)}})

    return prepare | RunnableLambda(_answer)


def build_stream_chain(prepare: Runnable, engine: Engine) -> Runnable:
    """Runnable {'question', 'history'} streaming text deltas then the final Answer, so LangChain callbacks,
    tracing and `astream_events` see the streamed answer."""

    def _stream(inputs: Iterator[dict[str, Any]]) -> Iterator[str | Answer]:
        for prepared in inputs:
            yield from stream_answer(prepared, engine)

    async def _astream(inputs: AsyncIterator[dict[str, Any]]) -> AsyncIterator[str | Answer]:
        done = object()
        async for prepared in inputs:
            events = stream_answer(prepared, engine)
            while (event := await asyncio.to_thread(next, events, done)) is not done:
                yield event  # type: ignore[misc]

    return prepare | RunnableGenerator(_stream, _astream, name="answer_stream")


def stream_answer(prepared: dict[str, Any], engine: Engine) -> Iterator[str | Answer]:
    """Text deltas then the final Answer: the engine's own stream if it has one, else its answer in pieces."""
    start = time.perf_counter()
    args = (prepared["question"], prepared["query"], prepared["hits"])
    for event in engine.stream(*args):
        if isinstance(event, Answer):
            event = event.model_copy(update={"timings": {**prepared["timings"], "answer": _ms(start)}})
        yield event


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)
