"""compose.yaml and the Dockerfile: valid, consistent with the code's settings and pins (no docker needed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib.metadata import version
from urllib.parse import urlparse

import pytest
import yaml

from qa.settings import Settings
from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _qa_keys(names: list[str]) -> set[str]:
    return {n.removeprefix("QA_").lower() for n in names if n.startswith("QA_")}


def test_compose_runs_the_app_against_the_chroma_server() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"chroma", "app"}
    chroma, app = services["chroma"], services["app"]
    image, _, tag = chroma["image"].partition(":")
    assert image == "chromadb/chroma" and tag == version("chromadb"), "server and client versions must match"
    url = urlparse(app["environment"]["QA_CHROMA_URL"])
    assert url.hostname == "chroma" and url.port == 8000
    assert any(str(p).endswith(":8000") for p in chroma["ports"])
    assert app["depends_on"]["chroma"]["condition"] == "service_healthy" and "healthcheck" in chroma
    assert all(str(p).startswith("127.0.0.1:") for s in services.values() for p in s.get("ports", [])), "loopback"
    assert app["build"] == "." and (ROOT / "Dockerfile").exists()
    assert set(COMPOSE["volumes"]) >= {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}


def test_every_qa_variable_in_the_deploy_files_is_a_setting() -> None:
    names = list(COMPOSE["services"]["app"]["environment"]) + re.findall(r"\b(QA_[A-Z_]+)=", DOCKERFILE)
    assert _qa_keys(names) and _qa_keys(names) <= set(Settings.model_fields)


def test_dockerfile_keeps_the_torch_pin_and_serves() -> None:
    pinned = re.search(r'"torch==([\d.]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert f"torch=={pinned}" in DOCKERFILE and "download.pytorch.org/whl/cpu" in DOCKERFILE
    assert 'CMD ["qa", "serve"]' in DOCKERFILE and "QA_HOST=0.0.0.0" in DOCKERFILE


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="docker compose is not installed here; the checks above validate the file",
)
def test_docker_compose_config_accepts_the_file() -> None:
    subprocess.run(["docker", "compose", "-f", str(ROOT / "compose.yaml"), "config", "-q"], check=True)
