"""glibc heap settings for the long-running app server (no-ops where glibc is absent).

Two glibc defaults make a server that indexes uploads in worker threads keep memory it has freed:
- Threads each get their own malloc arena (up to 8 per core), and memory freed in one arena is not reused by
  another. Measured with the soak (`python -m qa.eval.soak --uploads 200 --questions 3 --ttl 30`): RSS at
  100 uploads 908 MB with glibc's default arenas, 787 MB with two.
- The mmap threshold is dynamic: each freed mmap-ed block (an embedding batch, a spaCy or Chroma buffer)
  raises it, up to 32 MB, so later blocks of that size come from the heap instead, where freeing them leaves
  holes that `malloc_trim` cannot hand back. A fixed threshold keeps large blocks in their own mappings,
  returned on free. Measured in-process (30 uploads of 150 sentences indexed and asked, then every upload
  dropped and the heap trimmed): +179 MB RSS over the baseline with the dynamic threshold, -82 MB with a
  fixed 1 MiB one (the upload store and the ONNX session were released too); question latency and
  indexing speed within the noise.
`MALLOC_ARENA_MAX` or `MALLOC_MMAP_THRESHOLD_` in the environment, if set, is left to rule.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from functools import cache

M_ARENA_MAX = -8  # glibc's mallopt parameter numbers
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1 << 20


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def _mallopt(param: int, value: int, env: str) -> bool:
    libc = _libc()
    if env in os.environ or libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(param, value))


def tune_heap(arenas: int = 2, mmap_threshold: int = MMAP_THRESHOLD) -> dict[str, bool]:
    """Cap glibc's malloc arenas (for threads created from now on) and fix its mmap threshold, each unless
    the environment sets it. Returns which settings were applied."""
    return {
        "arenas": _mallopt(M_ARENA_MAX, arenas, "MALLOC_ARENA_MAX"),
        "mmap_threshold": _mallopt(M_MMAP_THRESHOLD, mmap_threshold, "MALLOC_MMAP_THRESHOLD_"),
    }


def release_memory() -> None:
    """Hand freed heap pages back to the OS (glibc keeps them otherwise, so RSS would never come down)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
