"""Per-article assistants for a multi-user app: each browser session holds only the key of its own article."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import threading
import time
from pathlib import Path

from qa.api import Assistant
from qa.errors import ArticleExpiredError, ArticleTooLargeError, UploadLocationError
from qa.index.article import article_from_text, load_bytes
from qa.settings import Settings

log = logging.getLogger(__name__)


class Sessions:
    """Assistants keyed by article id (content hash), top-k and engine, shared safely between sessions.

    Uploaded articles that nobody asked about for `ttl` seconds, or beyond the `max_articles` most recently
    used, are forgotten: their Chroma collections are dropped and their upload files deleted; the bundled
    article is always kept. Defaults come from `Settings.session_ttl` and `Settings.max_articles`.
    """

    def __init__(
        self,
        settings: Settings,
        upload_root: str | Path | None = None,
        max_articles: int | None = None,
        ttl: float | None = None,
    ) -> None:
        self.settings = settings
        self.upload_root = Path(upload_root).resolve() if upload_root else None
        self.max_articles = max_articles or settings.max_articles
        self.ttl = ttl or settings.session_ttl
        self._assistants: dict[tuple[str, int, str], Assistant] = {}
        self._used: dict[str, float] = {}
        self._files: dict[str, set[Path]] = {}
        self._pinned: set[str] = set()
        self._lock = threading.Lock()
        self._janitor: threading.Thread | None = None

    def start_janitor(self, interval: float | None = None) -> None:
        """Evict expired articles every `interval` seconds (default: a tenth of the TTL) in a daemon thread."""
        if self._janitor:
            return
        wait = interval or max(1.0, self.ttl / 10)

        def sweep() -> None:
            while True:
                time.sleep(wait)
                try:
                    self.evict()
                    self.sweep_uploads()
                except Exception:  # one failed sweep (a store error, a file in use) must not stop the next
                    log.exception("session janitor: sweep failed; retrying in %.0f s", wait)

        self._janitor = threading.Thread(target=sweep, name="qa-session-janitor", daemon=True)
        self._janitor.start()

    def _register(self, assistant: Assistant, file: Path | None = None) -> str:
        key = assistant.article.id
        with self._lock:
            self._assistants.setdefault((key, self.settings.top_k, self.settings.engine), assistant)
            self._used[key] = time.monotonic()
            if file is not None:
                self._files.setdefault(key, set()).add(file)
        self.evict()
        return key

    def default_key(self) -> str:
        """Key of the bundled article (indexed on first use, never evicted)."""
        key = self._register(Assistant.from_file(self.settings.article, self.settings))
        self._pinned.add(key)
        return key

    def loaded(self) -> list[str]:
        """Keys of the articles held now, most recently used first."""
        with self._lock:
            return sorted(self._used, key=lambda k: -self._used[k])

    def evict(self, now: float | None = None) -> list[str]:
        """Forget idle or surplus uploaded articles and drop their collections; returns their keys."""
        now = time.monotonic() if now is None else now
        with self._lock:
            order = sorted((k for k in self._used if k not in self._pinned), key=lambda k: -self._used[k])
            room = max(0, self.max_articles - len(self._pinned))
            gone = [k for i, k in enumerate(order) if i >= room or now - self._used[k] > self.ttl]
            dropped, files = [], []
            for key in gone:
                self._used.pop(key, None)
                files.extend(self._files.pop(key, ()))
                for wanted in [w for w in self._assistants if w[0] == key]:
                    dropped.append(self._assistants.pop(wanted))
        for assistant in {id(a): a for a in dropped}.values():
            assistant.store.drop(assistant.indexed.collection)
        for file in files:
            file.unlink(missing_ok=True)
            if self.upload_root and file.parent != self.upload_root:
                with contextlib.suppress(OSError):
                    file.parent.rmdir()  # Gradio keeps each upload in a folder of its own
        if gone:
            _release_memory()
        return gone

    def sweep_uploads(self) -> int:
        """Delete files in the upload directory older than the TTL that no held article came from: uploads
        that were rejected and the server's own leftovers. Returns how many were deleted."""
        if not self.upload_root or not self.upload_root.exists():
            return 0
        cutoff = time.time() - self.ttl
        with self._lock:
            keep = {f for files in self._files.values() for f in files}
        deleted = 0
        for path in list(self.upload_root.rglob("*")):
            with contextlib.suppress(OSError):
                if path.is_file() and path not in keep and path.stat().st_mtime < cutoff:
                    path.unlink()
                    deleted += 1
                    if path.parent != self.upload_root:
                        path.parent.rmdir()  # Gradio's folder for that upload, once empty
        return deleted

    def get(self, key: str, top_k: int | None = None, engine: str | None = None) -> Assistant:
        """The assistant for an article key with the given top-k and engine (built once, then shared)."""
        self.evict()
        wanted = (key, int(top_k or self.settings.top_k), engine or self.settings.engine)
        with self._lock:
            if key in self._used:
                self._used[key] = time.monotonic()
            found = self._assistants.get(wanted)
            base = found or self._assistants.get((key, self.settings.top_k, self.settings.engine))
        if found:
            return found
        if base is None:
            raise ArticleExpiredError("That article was unloaded after a while unused; upload or paste it again.")
        settings = self.settings.model_copy(update={"top_k": wanted[1], "engine": wanted[2]})
        tuned = base.with_settings(settings)
        with self._lock:
            return self._assistants.setdefault(wanted, tuned)

    def add_upload(self, path: str, progress: bool = False) -> str:
        """Index an uploaded file (checked by content, not by name) and return its key."""
        file = Path(path).resolve()
        if self.upload_root and not file.is_relative_to(self.upload_root):
            raise UploadLocationError("Uploads are read only from the app's upload directory.")
        limit = self.settings.max_article_bytes
        if file.stat().st_size > limit:
            raise ArticleTooLargeError(f"The file is {file.stat().st_size:,} bytes; the limit is {limit:,}.")
        fmt = "markdown" if file.suffix.lower() in (".md", ".markdown") else "text"
        article = load_bytes(file.read_bytes(), "The uploaded file", limit, fmt, source="upload")
        return self._register(Assistant.from_article(article, self.settings, progress=progress), file)

    def add_text(self, text: str, fmt: str = "text", progress: bool = False) -> str:
        """Index pasted article text and return its key."""
        limit = self.settings.max_article_bytes
        if len(text.encode("utf-8")) > limit:
            raise ArticleTooLargeError(f"The text is over {limit:,} bytes; paste a shorter article.")
        article = article_from_text(text or "", source="upload", fmt=fmt)
        return self._register(Assistant.from_article(article, self.settings, progress=progress))


def _release_memory() -> None:
    """Hand freed heap pages back to the OS (glibc keeps them otherwise, so RSS would never come down)."""
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)
