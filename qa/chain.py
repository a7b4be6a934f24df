"""Composition as a LangChain runnable: condense the follow-up, retrieve, answer."""

from __future__ import annotations

import time
from typing import Any, Protocol

import numpy as np
from langchain_core.runnables import Runnable, RunnableLambda

from index.embedding import Embedder
from qa.followup import rewrite
from qa.retrieve import HybridRetriever
from qa.types import Answer, Hit


class Engine(Protocol):
    """An answer engine: turns retrieved hits into a cited Answer."""

    name: str

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer:
        """Answer `question` (searched as `query`) from `hits`."""
        ...


def condense(question: str, history: list[dict], embedder: Embedder, min_similarity: float) -> str:
    """The query to search: the rewrite, kept only if it stays close to the turn."""
    query = rewrite(question, history)
    if query == question:
        return question
    similarity = float(np.dot(embedder.embed_query(query), embedder.embed_query(question)))
    return query if similarity >= min_similarity else question


def build_chain(retriever: HybridRetriever, engine: Engine, min_rewrite_similarity: float = 0.3) -> Runnable:
    """Runnable taking {'question', 'history'} and returning an Answer with per-stage timings (ms)."""

    def _condense(inputs: dict[str, Any]) -> dict[str, Any]:
        start = time.perf_counter()
        query = condense(inputs["question"], inputs.get("history") or [], retriever.embedder, min_rewrite_similarity)
        return {**inputs, "query": query, "timings": {"rewrite": _ms(start)}}

    def _retrieve(inputs: dict[str, Any]) -> dict[str, Any]:
        start = time.perf_counter()
        docs = retriever.invoke(inputs["query"])
        hits = [Hit(text=d.page_content, **d.metadata) for d in docs]
        return {**inputs, "hits": hits, "timings": {**inputs["timings"], "retrieve": _ms(start)}}

    def _answer(inputs: dict[str, Any]) -> Answer:
        start = time.perf_counter()
        answer = engine.answer(inputs["question"], inputs["query"], inputs["hits"])
        timings = {**inputs["timings"], "answer": _ms(start)}
        return answer.model_copy(update={"timings": timings})

    return RunnableLambda(_condense) | RunnableLambda(_retrieve) | RunnableLambda(_answer)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)
