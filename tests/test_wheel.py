"""The distribution: a built wheel, installed apart from the source tree, answers and runs its eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
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

    with zipfile.ZipFile(wheel) as zipped:
        tops = {name.split("/")[0] for name in zipped.namelist() if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"qa"}, f"one top-level import package, got {tops}"
    where = subprocess.run(
        [sys.executable, "-c", "import qa.ui.app, qa.eval, qa.index; print(qa.__file__, qa.eval.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.count(str(site)) == 2, f"imported from the source tree, not the wheel: {where}"
    asked = run("ask", "--json", "What did Bennett relay?")
    assert asked.returncode == 0, asked.stderr[-2000:]
    answer = json.loads(asked.stdout)
    assert not answer["refused"] and "relayed ideas" in answer["text"]
    evaluated = run("eval", "--quick", "--quiet")
    assert evaluated.returncode == 0, evaluated.stderr[-2000:]
    assert (work / "report.md").exists() and "citation_validity" in evaluated.stdout

    from qa.eval.servers import SERVE, free_port, process

    port = free_port()
    serve_env = {**env, "QA_PORT": str(port), "QA_APP_DATA": str(tmp_path / "app")}
    with process(SERVE, f"http://127.0.0.1:{port}/gradio_api/info", serve_env, tmp_path / "serve.log", cwd=work):
        pass  # `qa serve` from the wheel answered on its port
