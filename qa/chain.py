"""The answer pipeline (`qa.pipeline`) as LangChain runnables, for callers who compose their own chains,
trace with LangChain callbacks or use `astream_events`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda

from qa.pipeline import answer, stream_answer
from qa.types import Answer, Engine

Prepare = Callable[[dict[str, Any]], dict[str, Any]]


def build_prepare(prepare: Prepare) -> Runnable:
    """Runnable {'question', 'history'} -> adds 'query', 'hits' and 'timings' (ms)."""
    return RunnableLambda(prepare, name="prepare")


def build_chain(prepare: Prepare, engine: Engine) -> Runnable:
    """Runnable {'question', 'history'} -> Answer with per-stage timings (ms)."""
    return build_prepare(prepare) | RunnableLambda(lambda prepared: answer(prepared, engine), name="answer")


def build_stream_chain(prepare: Prepare, engine: Engine) -> Runnable:
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

    return build_prepare(prepare) | RunnableGenerator(_stream, _astream, name="answer_stream")
