"""Per-session articles: uploads are forgotten when idle or surplus, and their collections dropped."""

from __future__ import annotations

import time

import pytest

from qa.errors import ArticleExpiredError
from qa.index import nlp
from qa.index.store import ChromaStore
from qa.text import stem
from qa.ui.sessions import Sessions


def test_idle_and_surplus_uploads_are_evicted_with_their_collections(settings) -> None:
    sessions = Sessions(settings, max_articles=3, ttl=3600)
    default = sessions.default_key()
    keys = [sessions.add_text(f"Story {i}.\n\nThe ferry number {i} left the harbor at noon.") for i in range(3)]
    held = sessions.loaded()
    assert default in held and keys[0] not in held and set(keys[1:]) <= set(held), "LRU beyond the cap"
    with pytest.raises(ArticleExpiredError, match="upload or paste it again"):
        sessions.get(keys[0])
    collection = sessions.get(keys[1]).indexed.collection
    store = sessions.get(keys[1]).store
    assert store is not sessions.get(default).store, "uploads have a store of their own"
    assert store.count(collection) > 0
    sessions.get(keys[1]).ask("When did the ferry number 1 leave the harbor?")
    embedder = sessions.get(keys[1]).embedder
    assert embedder._cache and stem.cache_info().currsize > 0
    gone = sessions.evict(now=time.monotonic() + 7200)
    assert set(gone) == set(keys[1:]) and sessions.loaded() == [default], "idle uploads go; the bundled stays"
    assert sessions._upload_store is None, "with no upload held, the upload store's client is closed"
    assert "index" not in nlp._PIPELINES, "and the indexing pipeline is dropped until the next upload"
    assert not embedder._cache and stem.cache_info().currsize == 0, "and the word and query caches emptied"
    assert ChromaStore(path=settings.upload_store_path).count(collection) == 0, "their records are deleted"
    again = sessions.add_text("Story 9.\n\nThe ferry number 9 left the harbor at dawn.")
    assert sessions.get(again).indexed.collection == f"{sessions.slot_prefix}0000", "emptied slots are reused"
    store = sessions.get(again).store
    slots = {c.name for c in store.client.list_collections() if c.name.startswith(sessions.slot_prefix)}
    assert len(slots) <= 3, "uploads reuse emptied collections instead of creating one each"
    assert "dawn" in sessions.get(again).ask("When did the ferry number 9 leave?").text


def test_the_upload_store_stays_open_while_an_upload_is_being_indexed(settings) -> None:
    sessions = Sessions(settings, max_articles=3, ttl=3600)
    key = sessions.add_text("Story 1.\n\nThe ferry left the harbor at noon.")
    sessions.get(key).ask("When did the ferry leave?")
    slot, store = sessions._acquire()  # as `_index` does before a long indexing run
    assert sessions.evict(now=time.monotonic() + 7200) == [key]
    assert sessions._upload_store is store, "a slot in use keeps the store open"
    assert "index" in nlp._PIPELINES, "and the indexing pipeline loaded"
    assert sessions.get(sessions.default_key()).embedder._cache, "and the caches kept"
    sessions._release(slot)
    assert sessions._close_idle_store() and sessions._upload_store is None


def test_an_expired_upload_loses_its_file_and_the_janitor_sweeps_without_traffic(settings, tmp_path) -> None:
    root = tmp_path / "uploads"
    (root / "abc123").mkdir(parents=True)
    upload = root / "abc123" / "story.txt"
    upload.write_text("Harbor news.\n\nThe night ferry left the harbor at nine.", "utf-8")
    sessions = Sessions(settings, upload_root=root, ttl=0.5)
    key = sessions.add_upload(str(upload))
    assert key in sessions.loaded() and upload.exists()
    sessions.start_janitor(interval=0.1)
    deadline = time.monotonic() + 10
    while (key in sessions.loaded() or upload.parent.exists()) and time.monotonic() < deadline:
        time.sleep(0.1)  # the files go just after the key, outside the lock
    assert key not in sessions.loaded(), "the janitor evicts with no request to trigger it"
    assert not upload.exists() and not upload.parent.exists(), "the upload file and its folder are deleted"


def test_stale_files_in_the_upload_folder_are_swept(settings, tmp_path) -> None:
    import os

    root = tmp_path / "uploads"
    (root / "rejected").mkdir(parents=True)
    stale, fresh = root / "rejected" / "binary.txt", root / "tmpfresh"
    stale.write_bytes(b"\x00\x01")
    fresh.write_bytes(b"")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    os.utime(stale.parent, (old, old))
    sessions = Sessions(settings, upload_root=root, ttl=3600)
    assert sessions.sweep_uploads() == 1
    assert not stale.exists() and not stale.parent.exists() and fresh.exists()
