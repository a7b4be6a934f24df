"""The vector store: Chroma, persistent on disk or a `chroma run` server. The only chromadb importer."""

from __future__ import annotations

import errno
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlparse

import numpy as np

from qa.index.errors import StoreError

FIX_HINT = "run `qa index --rebuild FILE...` (the old directory is kept aside) or delete the directory"


@runtime_checkable
class Store(Protocol):
    """What the index and the retriever need of a vector store (ChromaStore is the one implementation)."""

    location: str

    def get_records(self, name: str, ids: list[str]) -> dict[str, tuple[np.ndarray, dict]]:
        """Stored (embedding, metadata) of those ids that exist."""
        ...

    def upsert(
        self, name: str, ids: list[str], embeddings: np.ndarray, documents: list[str], metadatas: list[dict]
    ) -> None:
        """Insert or replace records; idempotent."""
        ...

    def query(self, name: str, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k nearest ids with cosine similarity, best first."""
        ...

    def ids(self, name: str) -> set[str]:
        """All record ids of a collection."""
        ...

    def delete(self, name: str, ids: list[str]) -> None:
        """Remove records by id."""
        ...

    def drop(self, name: str) -> None:
        """Delete a whole collection."""
        ...


def collection_name(article_id: str, model_id: str) -> str:
    """Chroma collection name from the article hash and the embedding model id."""
    slug = re.sub(r"[^a-z0-9]+", "-", model_id.lower()).strip("-")
    return f"article-{article_id}-{slug}"[:512]


def set_aside(path: str | Path) -> Path | None:
    """Move a (broken) store directory out of the way, keeping it; returns where it went."""
    path = Path(path)
    if not path.exists():
        return None
    target = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        shutil.move(str(path), target)
    except OSError as exc:
        raise StoreError(
            f"cannot set {path} aside ({exc}); fix the permissions of its folder or move it yourself."
        ) from None
    return target


def _mark_override(method: Any = None, **_: Any) -> Any:
    """`overrides.override` without its checks: marks the method, as the real one does."""
    if method is None:
        return _mark_override
    method.__override__ = True
    return method


@contextmanager
def _unchecked_overrides() -> Iterator[None]:
    """While chromadb is imported and its client built, its `@override` decorators skip their checks.

    The `overrides` package validates every decorated method against its base classes when the class is
    created (bytecode disassembly, signature comparison): ~160 methods, ~0.35 s of every cold start
    (median of six, import and client), a check for chromadb's own developers that its released code
    already passes. Modules imported meanwhile keep the marker; the real decorators are back afterwards.
    """
    try:
        import overrides  # a dependency of chromadb's, not of this project's
    except ImportError:
        yield
        return
    saved = overrides.override, overrides.overrides
    overrides.override = overrides.overrides = _mark_override
    try:
        yield
    finally:
        overrides.override, overrides.overrides = saved


class ChromaStore:
    """Sentences with their embeddings, one collection per (article, model)."""

    def __init__(self, path: str | Path | None = None, url: str | None = None) -> None:
        self.location = url or str(path)
        self._url = url
        self._collections: dict[str, Any] = {}
        with self._guard("open"), _unchecked_overrides():
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            settings = ChromaSettings(anonymized_telemetry=False)
            if url:
                parsed = urlparse(url if "://" in url else f"http://{url}")
                self.client = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
                self.client.heartbeat()
            else:
                self.client = chromadb.PersistentClient(path=str(path), settings=settings)

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn store failures (not this project's own bugs) into a StoreError that says what is wrong."""
        try:
            yield
        except StoreError:
            raise
        except (sqlite3.Error, OSError, ValueError, RuntimeError) as exc:
            raise self._error(action, exc) from exc
        except BaseException as exc:  # chromadb's Rust core panics with a BaseException (PanicException)
            if type(exc).__module__.startswith("chromadb") or type(exc).__name__ == "PanicException":
                raise self._error(action, exc) from exc
            raise

    def _error(self, action: str, exc: BaseException) -> StoreError:
        text = str(exc).lower()
        if self._url:
            hint = "check that the server runs and QA_CHROMA_URL is right"
        elif isinstance(exc, PermissionError) or "readonly" in text or "read-only" in text:
            hint = "the directory is not writable; fix its permissions or point QA_CHROMA_PATH to a writable one"
        elif getattr(exc, "errno", None) == errno.ENOSPC or "disk is full" in text or "no space" in text:
            hint = "the disk is full; free some space and try again"
        else:
            hint = f"the directory may be corrupt or from an incompatible Chroma version; {FIX_HINT}"
        return StoreError(f"Chroma store at {self.location}: cannot {action} ({exc}); {hint}.")

    def _collection(self, name: str) -> Any:
        if name not in self._collections:
            with self._guard("open a collection"):
                self._collections[name] = self.client.get_or_create_collection(
                    name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
                )
        return self._collections[name]

    def _batches(self, count: int) -> tuple[range, int]:
        """Start offsets of batches no larger than the server accepts, nor than 512: Chroma's Rust core holds
        the GIL for a whole write (a Python loop beside it runs at 2% speed), so smaller batches let questions
        be answered between them while a large upload is stored (4,000 records: 2.6 s in batches of 512 or
        4,096 alike, 2.9 s in batches of 256)."""
        size = min(self.client.get_max_batch_size(), 512)
        return range(0, count, size), size

    def get_records(self, name: str, ids: list[str]) -> dict[str, tuple[np.ndarray, dict]]:
        """Stored (embedding, metadata) of those `ids` that exist, by id."""
        found: dict[str, tuple[np.ndarray, dict]] = {}
        starts, size = self._batches(len(ids))
        with self._guard("read records"):
            for start in starts:
                got = self._collection(name).get(ids=ids[start : start + size], include=["embeddings", "metadatas"])
                for i, e, meta in zip(got["ids"], got["embeddings"], got["metadatas"], strict=True):
                    found[i] = (np.asarray(e, dtype=np.float32), dict(meta or {}))
        return found

    def upsert(
        self, name: str, ids: list[str], embeddings: np.ndarray, documents: list[str], metadatas: list[dict]
    ) -> None:
        """Insert or replace records in server-sized batches; idempotent for the same ids."""
        starts, size = self._batches(len(ids))
        with self._guard("write"):
            for start in starts:
                end = start + size
                self._collection(name).upsert(
                    ids=ids[start:end],
                    embeddings=embeddings[start:end],
                    documents=documents[start:end],
                    metadatas=metadatas[start:end],
                )

    def query(self, name: str, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k nearest ids with cosine similarity, best first (fewer when the collection holds fewer: Chroma
        caps `n_results` itself, so no count() round trip, ~1 ms per question)."""
        if k <= 0:
            return []
        with self._guard("search"):
            res = self._collection(name).query(query_embeddings=[vector.tolist()], n_results=k, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def count(self, name: str) -> int:
        """Number of records in the collection."""
        with self._guard("count"):
            return self._collection(name).count()

    def ids(self, name: str) -> set[str]:
        """All record ids of the collection."""
        with self._guard("list ids"):
            return set(self._collection(name).get(include=[])["ids"])

    def drop(self, name: str) -> None:
        """Delete a whole collection (an evicted upload); a missing one is fine."""
        self._collections.pop(name, None)
        with self._guard("drop a collection"):
            try:
                self.client.delete_collection(name)
            except (ValueError, KeyError):
                return
            except Exception as exc:
                if "does not exist" in str(exc).lower() or "not found" in str(exc).lower():
                    return
                raise

    def delete(self, name: str, ids: list[str]) -> None:
        """Remove records by id."""
        starts, size = self._batches(len(ids))
        with self._guard("delete"):
            for start in starts:
                self._collection(name).delete(ids=ids[start : start + size])

    def close(self) -> None:
        """Release the client: a local store's Rust core keeps every opened collection's memory (about 3 MB
        each, even once emptied or deleted) until its client is closed. The store is unusable afterwards."""
        self._collections.clear()
        with self._guard("close"):
            self.client.close()
