"""A LangChain chat model over `llama_cpp.Llama.create_chat_completion` (a local GGUF file).

langchain-community's ChatLlamaCpp is deprecated and pulls langchain-classic and SQLAlchemy; this is the
small part of it we use: invoke and stream, temperature, answer length and seed, with one call at a time
per model (a llama.cpp context is not thread-safe).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, PrivateAttr

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


def _as_dicts(messages: list[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]


class LocalLlamaChat(BaseChatModel):
    """Chat with a GGUF model in this process through llama-cpp-python."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    temperature: float = 0.0
    max_tokens: int = 200
    n_ctx: int = 2048
    seed: int = 0
    n_threads: int = 2
    stop: list[str] = Field(default_factory=list)
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-local"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "temperature": self.temperature, "max_tokens": self.max_tokens}

    def _client(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(
                model_path=self.model_path, n_ctx=self.n_ctx, seed=self.seed, n_threads=self.n_threads, verbose=False
            )
        return self._llama

    def _params(self, stop: list[str] | None) -> dict[str, Any]:
        return {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "seed": self.seed,
            "stop": (stop or []) + self.stop or None,
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            reply = self._client().create_chat_completion(messages=_as_dicts(messages), **self._params(stop))
        choice = reply["choices"][0]
        message = AIMessage(content=choice["message"].get("content") or "")
        info = {"finish_reason": choice.get("finish_reason")}
        return ChatResult(generations=[ChatGeneration(message=message, generation_info=info)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            parts = self._client().create_chat_completion(
                messages=_as_dicts(messages), stream=True, **self._params(stop)
            )
            for part in parts:
                text = part["choices"][0].get("delta", {}).get("content") or ""
                if not text:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk

    def close(self) -> None:
        """Free the model (before llama.cpp's library is unloaded at exit)."""
        with self._lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None
