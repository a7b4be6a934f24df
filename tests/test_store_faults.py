"""A corrupt store gives a clear error that says how to fix it; `qa index --rebuild` recovers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.index.errors import StoreError
from qa.index.store import ChromaStore, set_aside


def test_garbage_store_directory_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match="rebuild"):
        ChromaStore(path=tmp_path)


def test_truncated_store_is_a_clear_error(tmp_path: Path) -> None:
    store = ChromaStore(path=tmp_path / "db")
    store.upsert("coll-one", ["a", "b"], np.ones((2, 384), dtype=np.float32), ["x", "y"], [{"i": 1}, {"i": 2}])
    del store
    db = tmp_path / "db" / "chroma.sqlite3"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    with pytest.raises(StoreError, match="corrupt"):
        ChromaStore(path=tmp_path / "db").count("coll-one")


def test_set_aside_keeps_the_old_directory(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "file").write_text("keep me")
    moved = set_aside(tmp_path / "db")
    assert moved and (moved / "file").read_text() == "keep me" and not (tmp_path / "db").exists()


def test_cli_reports_a_corrupt_store_and_rebuild_recovers(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "chroma.sqlite3").write_bytes(b"garbage" * 200)
    env = {**os.environ, "QA_CHROMA_PATH": str(store)}
    broken = subprocess.run([sys.executable, "-m", "qa", "ask", "Who?"], env=env, capture_output=True, text=True)
    assert broken.returncode == 2 and "qa index --rebuild" in broken.stderr and "Traceback" not in broken.stderr
    article = tmp_path / "a.txt"
    article.write_text("The bridge opened in May. It cost $4 million.", encoding="utf-8")
    fixed = subprocess.run(
        [sys.executable, "-m", "qa", "index", "--rebuild", str(article)], env=env, capture_output=True, text=True
    )
    assert fixed.returncode == 0, fixed.stderr
    assert list(tmp_path.glob("store.broken-*")), "the broken directory is kept aside"
