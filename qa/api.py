"""The public API: `qa.ask` and `qa.Assistant` (from_file, from_text, ask, stream)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from qa.errors import EmptyQuestionError, InvalidHistoryError, InvalidQuestionError, QuestionTooLongError
from qa.extractive.decision import Decision
from qa.extractive.engine import ExtractiveEngine
from qa.extractive.evidence import EvidenceScorer
from qa.extractive.question import clear_analysed
from qa.index.article import article_from_text, is_valid_unicode, load_article
from qa.index.build import IndexedArticle, build_index
from qa.index.embedding import Embedder, MiniLMEmbedder
from qa.index.store import ChromaStore, Store
from qa.index.types import Article
from qa.llm.support import SupportChecker
from qa.pipeline import Condenser, answer, model_condenser, prepare, stream_answer
from qa.retrieval.bm25 import BM25
from qa.retrieval.followup import message_text, rewrite
from qa.retrieval.hybrid import HybridSearch
from qa.settings import Settings
from qa.text import stem
from qa.types import Answer

_LOCK = threading.Lock()
_EMBEDDER: MiniLMEmbedder | None = None
_DECISION: Decision | None = None
_PRELOADING = False
_STORES: dict[str, ChromaStore] = {}
_DEFAULT: dict[tuple, Assistant] = {}
ROLES = {"user", "assistant", "system"}


def default_embedder() -> MiniLMEmbedder:
    """The process-wide embedder (the model loads once per process)."""
    global _EMBEDDER
    with _LOCK:
        if _EMBEDDER is None:
            settings = Settings()
            _EMBEDDER = MiniLMEmbedder(onnx_dir=settings.model_cache if settings.onnx_queries else None)
        return _EMBEDDER


def clear_caches() -> None:
    """Forget the cached query and word vectors, word stems and analysed questions: bounded caches that fill
    with the words of every article asked about (the app clears them once no upload is held; they refill on
    use)."""
    with _LOCK:
        embedder = _EMBEDDER
    if embedder is not None:
        embedder.clear_cache()
    stem.cache_clear()
    clear_analysed()


def _preload_question_pipeline() -> None:
    """Load spaCy for questions in the background while the store, retriever and models get ready (it is the
    largest part of a cold start); the first question waits for it only if it is not done yet."""
    global _PRELOADING
    from qa.index.nlp_process import ANNOTATOR

    with _LOCK:
        if _PRELOADING or ANNOTATOR.questions:
            return
        _PRELOADING = True
    from qa.index.nlp import load_pipeline

    threading.Thread(target=load_pipeline, args=("question",), daemon=True, name="spacy-preload").start()


def default_decision() -> Decision:
    """The calibrated answer/refuse model shipped with the package, loaded once per process."""
    global _DECISION
    with _LOCK:
        if _DECISION is None:
            _DECISION = Decision.load()
        return _DECISION


def open_store(settings: Settings) -> ChromaStore:
    """The Chroma store the settings point to, opened once per process."""
    key = settings.chroma_url or str(settings.chroma_path)
    with _LOCK:
        if key not in _STORES:
            _STORES[key] = ChromaStore(path=settings.chroma_path, url=settings.chroma_url)
        return _STORES[key]


MAX_HISTORY_MESSAGES = 50
MAX_HISTORY_CHARS = 20_000


def check_question(question: object, settings: Settings) -> str:
    """The stripped question, or a clear error for non-text, empty, invalid or too long input."""
    if not isinstance(question, str):
        raise InvalidQuestionError(f"The question must be text, not {type(question).__name__}; type a question.")
    if not question.strip():
        raise EmptyQuestionError("The question is empty; type a question about the article.")
    if not is_valid_unicode(question):
        raise InvalidQuestionError("The question holds characters that are not valid Unicode; retype it.")
    question = question.strip()
    if len(question) > settings.max_question_chars:
        raise QuestionTooLongError(
            f"The question is {len(question):,} characters; the limit is {settings.max_question_chars:,}. Shorten it."
        )
    return question


def check_history(history: object) -> list[dict]:
    """History as a list of {'role', 'content'} messages with text content, or a clear error; only the last
    MAX_HISTORY_MESSAGES messages are kept, and their text is capped at MAX_HISTORY_CHARS in all."""
    if history is None:
        return []
    if not isinstance(history, list | tuple):
        raise InvalidHistoryError("history must be a list of {'role': ..., 'content': ...} messages.")
    for message in history:
        role = message.get("role") if isinstance(message, dict) else None
        if not isinstance(role, str) or role not in ROLES or "content" not in message:
            raise InvalidHistoryError(
                "each history message needs a 'role' (user, assistant or system) and a 'content'."
            )
        if not is_valid_unicode(message_text(message)):
            raise InvalidHistoryError("a history message holds characters that are not valid Unicode.")
    kept = list(history)[-MAX_HISTORY_MESSAGES:]
    if sum(len(message_text(m)) for m in kept) > MAX_HISTORY_CHARS:
        raise InvalidHistoryError(
            f"the history is longer than {MAX_HISTORY_CHARS:,} characters; start a new conversation or send less."
        )
    return kept


class Assistant:
    """Answers questions about one indexed article."""

    def __init__(
        self,
        indexed: IndexedArticle,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        store: Store | None = None,
        chat_model: object | None = None,
        *,
        bm25: BM25 | None = None,
    ) -> None:
        self.settings = settings or Settings()
        _preload_question_pipeline()
        self.indexed = indexed
        self.embedder = embedder or default_embedder()
        self.store = store or open_store(self.settings)
        s = self.settings
        self.searcher = HybridSearch.build(indexed, self.embedder, self.store, k=s.top_k, rrf_k=s.rrf_k, bm25=bm25)
        scorer = EvidenceScorer(indexed, self.searcher.bm25, self.embedder, soft_match=s.soft_match)
        extractive = ExtractiveEngine(indexed, scorer, default_decision(), s.min_confidence, s.max_sentences)
        self.extractive = extractive
        condenser: Condenser = rewrite
        if s.engine == "llm" or chat_model is not None:
            from qa.llm.engine import LLMEngine
            from qa.llm.models import build_chat_model

            chat_model = chat_model or build_chat_model(s)
            self.engine = LLMEngine(indexed, chat_model, SupportChecker(self.embedder), extractive)
            condenser = model_condenser(chat_model)
        else:
            self.engine = extractive
        self._condenser = condenser

    def with_settings(self, settings: Settings) -> Assistant:
        """A sibling for the same article with other settings (top-k, engine), sharing its index and BM25."""
        return Assistant(self.indexed, settings, self.embedder, self.store, bm25=self.searcher.bm25)

    @property
    def article(self) -> Article:
        """The article this assistant answers about."""
        return self.indexed.article

    @classmethod
    def from_article(
        cls,
        article: Article,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        store: Store | None = None,
        progress: bool = False,
        chat_model: object | None = None,
        collection: str | None = None,
    ) -> Assistant:
        """Index an Article (reusing stored embeddings) and build an assistant for it; `collection` names the
        Chroma collection to use instead of the one derived from the article's content."""
        settings = settings or Settings()
        embedder = embedder or default_embedder()
        store = store or open_store(settings)
        indexed = build_index(article, embedder, store, progress=progress, collection=collection)
        return cls(indexed, settings, embedder, store, chat_model)

    @classmethod
    def from_file(cls, path: str | Path, settings: Settings | None = None, **kwargs: object) -> Assistant:
        """Assistant for an article file: .txt, .md or .html."""
        settings = settings or Settings()
        article = load_article(path, max_bytes=settings.max_article_bytes)
        return cls.from_article(article, settings, **kwargs)

    @classmethod
    def from_text(
        cls,
        text: str,
        title: str = "",
        published: str | None = None,
        fmt: str = "text",
        settings: Settings | None = None,
        **kwargs: object,
    ) -> Assistant:
        """Assistant for article text given directly (fmt: 'text', 'markdown' or 'html')."""
        article = article_from_text(text, title=title, published=published, source="text", fmt=fmt)
        return cls.from_article(article, settings, **kwargs)

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        """Answer a question, using `history` (messages format) to resolve follow-ups."""
        return answer(self.prepare(question, history), self.engine)

    def stream(self, question: str, history: list[dict] | None = None) -> Iterator[str | Answer]:
        """Yield text deltas, then the final verified Answer (its text may differ from the deltas for llm)."""
        yield from stream_answer(self.prepare(question, history), self.engine)

    def prepare(self, question: str, history: list[dict] | None = None) -> dict:
        """The checked question and history with the searched 'query', its 'hits' and 'timings' (ms)."""
        inputs = {"question": check_question(question, self.settings), "history": check_history(history)}
        return self._prepare(inputs)

    def _prepare(self, inputs: dict) -> dict:
        return prepare(inputs, self.searcher, self._condenser, on_query=getattr(self.engine, "prefetch", None))

    @cached_property
    def chain(self):
        """LangChain runnable {'question', 'history'} -> Answer (the same steps as `ask`; built on first use)."""
        from qa.chain import build_chain

        return build_chain(self._prepare, self.engine)

    @cached_property
    def stream_chain(self):
        """LangChain runnable {'question', 'history'} streaming text deltas, then the final Answer."""
        from qa.chain import build_stream_chain

        return build_stream_chain(self._prepare, self.engine)

    @cached_property
    def retriever(self):
        """The hybrid search as a LangChain retriever (`.invoke(query)` gives Documents; `.search` Hits)."""
        from qa.integrations import LangChainRetriever

        return LangChainRetriever(searcher=self.searcher)

    @property
    def vectorstore(self):
        """This article's Chroma collection as a LangChain `Chroma` vector store (langchain-chroma), to plug
        the index into your own chains: `assistant.vectorstore.as_retriever()`."""
        from qa.integrations import chroma_vectorstore

        return chroma_vectorstore(self.store, self.indexed.collection, self.embedder)


def ask(
    question: str,
    history: list[dict] | None = None,
    article: str | Path | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer a question about `article` (default: the bundled article) with default settings."""
    settings = settings or Settings()
    path = Path(article) if article else settings.article
    key = (str(path.resolve()), settings.model_dump_json())
    assistant = _DEFAULT.get(key)
    if assistant is None:
        assistant = Assistant.from_file(path, settings)
        _DEFAULT[key] = assistant
    return assistant.ask(question, history)
