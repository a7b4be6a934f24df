"""The LangChain view of the index: Embeddings, langchain-chroma vector store, streamed chain events."""

from __future__ import annotations

import asyncio

import numpy as np

from qa.integrations import LangChainEmbeddings
from qa.types import Answer


def test_embeddings_wrapper_gives_the_embedders_vectors(assistant) -> None:
    lc = LangChainEmbeddings(assistant.embedder)
    query = lc.embed_query("Who did Bennett talk to?")
    assert len(query) == 384 and np.allclose(query, assistant.embedder.embed_query("Who did Bennett talk to?"))
    docs = lc.embed_documents(["One.", "Two words."])
    assert len(docs) == 2 and all(len(v) == 384 for v in docs)


def test_vectorstore_returns_article_sentences_with_metadata(assistant) -> None:
    store = assistant.vectorstore
    sentence = assistant.indexed.sentences[5]
    found = store.similarity_search(sentence.text, k=3)
    assert found and found[0].page_content == sentence.text
    meta = found[0].metadata
    assert meta["title"] == assistant.article.title and meta["source"] == assistant.article.source
    assert assistant.article.text[meta["start"] : meta["end"]] == found[0].page_content
    retrieved = store.as_retriever(search_kwargs={"k": 2}).invoke("ceasefire talks")
    assert len(retrieved) == 2 and all(d.page_content in assistant.article.text for d in retrieved)


def test_stream_goes_through_the_chain_and_astream_events_sees_it(assistant) -> None:
    events = list(assistant.stream("What did Bennett relay?"))
    assert isinstance(events[-1], Answer) and all(isinstance(e, str) for e in events[:-1])

    async def collect() -> list[dict]:
        inputs = {"question": "What did Bennett relay?", "history": []}
        return [e async for e in assistant.stream_chain.astream_events(inputs, version="v2")]

    seen = asyncio.run(collect())
    streamed = [e for e in seen if e["event"] == "on_chain_stream" and e["name"] == "answer_stream"]
    assert streamed and isinstance(streamed[-1]["data"]["chunk"], Answer)


def test_the_chain_gives_the_same_answer_as_ask(assistant) -> None:
    question = "What did Bennett relay?"
    through_chain = assistant.chain.invoke({"question": question, "history": []})
    direct = assistant.ask(question)
    assert through_chain.text == direct.text and through_chain.citations == direct.citations
    assert set(through_chain.timings) == set(direct.timings) == {"rewrite", "retrieve", "answer"}


def test_the_default_engine_never_imports_langchain(tmp_path) -> None:
    """LangChain costs about 1 s of a cold start: asking with the extractive engine must not load it."""
    import subprocess
    import sys

    code = (
        "import sys, qa; from qa.settings import Settings; "
        "s = Settings(chroma_path=sys.argv[1]); "
        "a = qa.Assistant.from_text('Ann met Bob in Paris on Friday. They talked.', settings=s); "
        "a.ask('Where did Ann meet Bob?'); list(a.stream('Who talked?')); "
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('langchain', 'langsmith'))}))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
