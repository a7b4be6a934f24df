"""Per-article assistants for a multi-user app: each browser session holds only the key of its own article."""

from __future__ import annotations

import threading
from pathlib import Path

from index.article import article_from_text, decode, sniff_format
from qa.api import Assistant
from qa.errors import ArticleTooLargeError, EmptyArticleError, UnsupportedFormatError
from qa.settings import Settings


class Sessions:
    """Assistants keyed by article id (content hash) and top-k, shared safely between sessions."""

    def __init__(self, settings: Settings, upload_root: str | Path | None = None) -> None:
        self.settings = settings
        self.upload_root = Path(upload_root).resolve() if upload_root else None
        self._assistants: dict[tuple[str, int, str], Assistant] = {}
        self._lock = threading.Lock()

    def _register(self, assistant: Assistant) -> str:
        key = assistant.article.id
        with self._lock:
            self._assistants.setdefault((key, self.settings.top_k, self.settings.engine), assistant)
        return key

    def default_key(self) -> str:
        """Key of the bundled article (indexed on first use)."""
        return self._register(Assistant.from_file(self.settings.article, self.settings))

    def get(self, key: str, top_k: int | None = None, engine: str | None = None) -> Assistant:
        """The assistant for an article key with the given top-k and engine (built once, then shared)."""
        wanted = (key, int(top_k or self.settings.top_k), engine or self.settings.engine)
        with self._lock:
            found = self._assistants.get(wanted)
            base = found or self._assistants.get((key, self.settings.top_k, self.settings.engine))
        if found:
            return found
        if base is None:
            raise EmptyArticleError("That article is no longer loaded; upload it again.")
        settings = self.settings.model_copy(update={"top_k": wanted[1], "engine": wanted[2]})
        tuned = base.with_settings(settings)
        with self._lock:
            return self._assistants.setdefault(wanted, tuned)

    def add_upload(self, path: str) -> str:
        """Index an uploaded file (checked by content, not by name) and return its key."""
        file = Path(path).resolve()
        if self.upload_root and not file.is_relative_to(self.upload_root):
            raise UnsupportedFormatError("Uploads are read only from the app's upload directory.")
        size, limit = file.stat().st_size, self.settings.max_article_bytes
        if size > limit:
            raise ArticleTooLargeError(f"The file is {size:,} bytes; the limit is {limit:,}.")
        data = file.read_bytes()
        fmt = sniff_format(data, "markdown" if file.suffix.lower() in (".md", ".markdown") else "text")
        return self.add_text(decode(data, "The uploaded file"), fmt=fmt)

    def add_text(self, text: str, fmt: str = "text") -> str:
        """Index pasted article text and return its key."""
        limit = self.settings.max_article_bytes
        if len(text.encode("utf-8")) > limit:
            raise ArticleTooLargeError(f"The text is over {limit:,} bytes; paste a shorter article.")
        article = article_from_text(text or "", source="upload", fmt=fmt)
        return self._register(Assistant.from_article(article, self.settings))
