"""Per-article assistants for a multi-user app: each browser session holds only the key of its own article."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from qa.api import Assistant, clear_caches, open_store
from qa.errors import ArticleExpiredError, ArticleTooLargeError, UploadLocationError
from qa.index.article import article_from_text, load_bytes
from qa.index.nlp import unload_pipeline
from qa.index.nlp_process import ANNOTATOR
from qa.index.store import ChromaStore, Store
from qa.index.types import Article
from qa.settings import Settings
from qa.ui.memory import release_memory

log = logging.getLogger(__name__)


class Sessions:
    """Assistants keyed by article id (content hash), top-k and engine, shared safely between sessions.

    Uploaded articles that nobody asked about for `ttl` seconds, or beyond the `max_articles` most recently
    used, are forgotten: their records are deleted and their upload files too; the bundled article is always
    kept. Defaults come from `Settings.session_ttl` and `Settings.max_articles`.

    Uploads are indexed into a small pool of reused collections ("slots"), emptied when their article is
    forgotten, rather than one new collection each: Chroma's local client never frees a collection's memory,
    even after it is deleted (chroma-core/chroma#3296; measured here, about 3 MB per collection for good).
    With a local store the slots live in a Chroma directory of their own (`Settings.upload_store_path`),
    whose client is closed whenever no upload is held or being indexed: that frees their memory
    (in-process, 60 uploads with 50 held at once: heap in use back from 291 to 142 MB, the level before
    the first upload).
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
        self._slots: dict[str, str] = {}  # article key -> the collection it is indexed in
        self._free_slots: list[str] = []
        self._slot_count = 0
        self.slot_prefix = f"qa-upload-{uuid.uuid4().hex[:12]}-"  # own names: replicas may share one Chroma
        self._pinned: set[str] = set()
        self._upload_store: ChromaStore | None = None
        self._lock = threading.Lock()
        self._janitor: threading.Thread | None = None

    def start_janitor(self, interval: float | None = None, also: Callable[[], object] | None = None) -> None:
        """Evict expired articles every `interval` seconds (default: a tenth of the TTL) in a daemon thread;
        `also` runs after each sweep (the app compacts idle browser sessions there); when it returns something
        truthy (sessions compacted), the freed heap is handed back as after an eviction."""
        if self._janitor:
            return
        wait = interval or max(1.0, self.ttl / 10)

        def sweep() -> None:
            while True:
                time.sleep(wait)
                try:
                    self.evict()
                    self.sweep_uploads()
                    if also is not None and also():
                        release_memory()
                except Exception:  # one failed sweep (a store error, a file in use) must not stop the next
                    log.exception("session janitor: sweep failed; retrying in %.0f s", wait)

        self._janitor = threading.Thread(target=sweep, name="qa-session-janitor", daemon=True)
        self._janitor.start()

    def _register(self, assistant: Assistant, file: Path | None = None) -> str:
        key = assistant.article.id
        with self._lock:
            self._assistants.setdefault((key, self.settings.top_k, self.settings.engine), assistant)
            self._touch(key, file)
        self.evict()
        return key

    def _touch(self, key: str, file: Path | None) -> None:
        """Mark an article used now and remember the upload file it came from (the lock is held)."""
        self._used[key] = time.monotonic()
        if file is not None:
            self._files.setdefault(key, set()).add(file)

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
        """Forget idle or surplus uploaded articles, emptying their collections; returns their keys."""
        now = time.monotonic() if now is None else now
        with self._lock:
            order = sorted((k for k in self._used if k not in self._pinned), key=lambda k: -self._used[k])
            room = max(0, self.max_articles - len(self._pinned))
            gone = [k for i, k in enumerate(order) if i >= room or now - self._used[k] > self.ttl]
            files, slots = [], []
            for key in gone:
                self._used.pop(key, None)
                files.extend(self._files.pop(key, ()))
                for wanted in [w for w in self._assistants if w[0] == key]:
                    self._assistants.pop(wanted)
                if key in self._slots:
                    slots.append(self._slots.pop(key))
        for slot in slots:
            self._release(slot)
        for file in files:
            self._delete_upload(file)
        if gone:
            if self._close_idle_store():  # no upload is held or being indexed: what they filled goes
                unload_pipeline("index")  # reloaded by the next upload
                ANNOTATOR.close()  # the spaCy child of long uploads, likewise
                clear_caches()  # word and query vectors, stems: refilled by the next questions
            release_memory()
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
                    self._delete_upload(path)
                    deleted += 1
        return deleted

    def _delete_upload(self, file: Path) -> None:
        """Delete an uploaded file and the folder Gradio kept it in, once that folder is empty."""
        file.unlink(missing_ok=True)
        if self.upload_root and file.parent != self.upload_root:
            with contextlib.suppress(OSError):
                file.parent.rmdir()

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
        return self._index(article, progress, file)

    def add_text(self, text: str, fmt: str = "text", progress: bool = False) -> str:
        """Index pasted article text and return its key."""
        limit = self.settings.max_article_bytes
        if len(text.encode("utf-8")) > limit:
            raise ArticleTooLargeError(f"The text is over {limit:,} bytes; paste a shorter article.")
        article = article_from_text(text or "", source="upload", fmt=fmt, name="The pasted text")
        return self._index(article, progress)

    def _index(self, article: Article, progress: bool, file: Path | None = None) -> str:
        """Index an uploaded article into a free slot, unless it is held already; returns its key."""
        with self._lock:
            held = article.id in self._used
            if held:
                self._touch(article.id, file)
        if held:
            return article.id
        slot, store = self._acquire()
        try:
            assistant = Assistant.from_article(article, self.settings, store=store, progress=progress, collection=slot)
        except BaseException:
            self._release(slot)
            raise
        with self._lock:
            ours = article.id not in self._slots
            if ours:
                self._slots[article.id] = slot
        if not ours:  # another session indexed the same article meanwhile: keep theirs
            self._release(slot)
        return self._register(assistant, file)

    def _acquire(self) -> tuple[str, Store]:
        """A collection for an upload and the store it is in: one emptied by `_release` if any, else a new
        one (names are this instance's own, so a new one is empty)."""
        with self._lock:
            store = self._uploads()
            if self._free_slots:
                return self._free_slots.pop(), store
            slot, self._slot_count = f"{self.slot_prefix}{self._slot_count:04d}", self._slot_count + 1
            return slot, store

    def _uploads(self) -> Store:
        """The store uploads are indexed into (the lock is held): a Chroma server's if one is configured,
        else a local one of their own, opened when needed."""
        if self.settings.chroma_url:
            return open_store(self.settings)
        if self._upload_store is None:
            self._upload_store = ChromaStore(path=self.settings.upload_store_path)
        return self._upload_store

    def _release(self, slot: str) -> None:
        """Empty a slot and make it free again."""
        with self._lock:
            store = self._uploads()
        try:
            store.delete(slot, sorted(store.ids(slot)))
        finally:
            with self._lock:
                self._free_slots.append(slot)

    def _close_idle_store(self) -> bool:
        """Close the local upload store when no slot is in use (none held, none being indexed); the next
        upload opens it again and reuses the emptied slots from the first. Returns whether it closed."""
        with self._lock:
            idle = self._upload_store is not None and len(self._free_slots) == self._slot_count
            if not idle:
                return False
            store, self._upload_store = self._upload_store, None
            self._free_slots, self._slot_count = [], 0
        try:
            store.close()
        except Exception:  # the store is dropped either way; a failed close must not fail an eviction
            log.exception("closing the upload store failed")
        return True
