"""Per-session articles: uploads are forgotten when idle or surplus, and their collections dropped."""

from __future__ import annotations

import time

import pytest

from qa.errors import ArticleExpiredError
from ui.sessions import Sessions


def test_idle_and_surplus_uploads_are_evicted_with_their_collections(settings) -> None:
    sessions = Sessions(settings, max_articles=3, ttl=3600)
    default = sessions.default_key()
    keys = [sessions.add_text(f"Story {i}.\n\nThe ferry number {i} left the harbor at noon.") for i in range(3)]
    held = sessions.loaded()
    assert default in held and keys[0] not in held and set(keys[1:]) <= set(held), "LRU beyond the cap"
    with pytest.raises(ArticleExpiredError, match="upload or paste it again"):
        sessions.get(keys[0])
    collection = sessions.get(keys[1]).indexed.collection
    store = sessions.get(default).store
    assert store.count(collection) > 0
    gone = sessions.evict(now=time.monotonic() + 7200)
    assert set(gone) == set(keys[1:]) and sessions.loaded() == [default], "idle uploads go; the bundled stays"
    assert collection not in {c.name for c in store.client.list_collections()}
