"""glibc heap settings of the app server: applied unless the environment sets them (their effect on memory
is measured by the soak, `tests/test_soak.py` and `python -m qa.eval.soak`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from qa.ui.memory import _libc

pytestmark = pytest.mark.skipif(_libc() is None or not hasattr(_libc(), "mallopt"), reason="needs glibc")


def _applied(**env: str) -> str:
    code = "from qa.ui.memory import tune_heap; print(tune_heap())"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run([sys.executable, "-c", code], env={**environ, **env}, capture_output=True, text=True)
    return out.stdout.strip()


def test_the_server_caps_arenas_and_fixes_the_mmap_threshold() -> None:
    assert _applied() == "{'arenas': True, 'mmap_threshold': True}"


def test_the_environment_rules() -> None:
    assert _applied(MALLOC_MMAP_THRESHOLD_="131072") == "{'arenas': True, 'mmap_threshold': False}"
    assert _applied(MALLOC_ARENA_MAX="4") == "{'arenas': False, 'mmap_threshold': True}"
