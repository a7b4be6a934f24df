"""LangChain integrations: the embedder as a LangChain `Embeddings`, the hybrid search as a LangChain
retriever, an article's index as `langchain_chroma.Chroma`."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from qa.errors import EngineError
from qa.index.embedding import Embedder
from qa.index.store import Store
from qa.types import Hit


class LangChainEmbeddings(Embeddings):
    """Any `index.embedding.Embedder` (the offline MiniLM by default) as a LangChain `Embeddings`."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents (torch, batched)."""
        return self.embedder.embed_documents(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a query (onnxruntime or NumPy, cached)."""
        return self.embedder.embed_query(text).tolist()


def chroma_vectorstore(store: Store, collection: str, embedder: Embedder) -> Any:
    """The collection of one indexed article as a `langchain_chroma.Chroma` (sentences are documents; their
    metadata carries the article id, title, source and character offsets)."""
    client = getattr(store, "client", None)
    if client is None:
        raise EngineError("a LangChain vector store needs the Chroma store (QA_CHROMA_PATH or QA_CHROMA_URL)")
    from langchain_chroma import Chroma

    return Chroma(client=client, collection_name=collection, embedding_function=LangChainEmbeddings(embedder))


class LangChainRetriever(BaseRetriever):
    """The hybrid search as a LangChain retriever: Documents whose metadata is the Hit (id, offsets, scores)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any  # a qa.retrieval.hybrid.HybridSearch (pydantic cannot build a schema for its Protocol fields)

    def search(self, query: str, k: int | None = None) -> list[Hit]:
        """The k best sentences for `query`, best first, as Hits."""
        return self.searcher.search(query, k)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=h.text, id=h.sentence_id, metadata=h.model_dump(exclude={"text"}))
            for h in self.searcher.search(query)
        ]
