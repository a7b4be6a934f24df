"""The distribution: a built wheel, installed apart from the source tree, answers and runs its eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_and_runs_outside_the_repository(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels)]
    subprocess.run([*build, str(ROOT)], check=True, cwd=tmp_path)
    site = tmp_path / "site"
    wheel = next(wheels.glob("*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], check=True
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "QA_CHROMA_PATH": str(tmp_path / "chroma"), "HF_HUB_OFFLINE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "qa", *args], cwd=work, env=env, capture_output=True, text=True)

    where = subprocess.run(
        [sys.executable, "-c", "import qa, ui, eval; print(qa.__file__, ui.__file__, eval.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.count(str(site)) == 3, f"imported from the source tree, not the wheel: {where}"
    asked = run("ask", "--json", "What did Bennett relay?")
    assert asked.returncode == 0, asked.stderr[-2000:]
    answer = json.loads(asked.stdout)
    assert not answer["refused"] and "relayed ideas" in answer["text"]
    evaluated = run("eval", "--quick", "--quiet")
    assert evaluated.returncode == 0, evaluated.stderr[-2000:]
    assert (work / "report.md").exists() and "citation_validity" in evaluated.stdout
