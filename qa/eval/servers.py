"""Start and stop real servers on loopback for tests, the benchmark and the load test (the app; Chroma)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVE = [sys.executable, "-m", "qa", "serve"]  # the chat app, from a checkout or an installed wheel


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


@contextmanager
def process(
    cmd: list[str], url: str, env: dict[str, str], log: Path, cwd: Path | None = None
) -> Iterator[subprocess.Popen]:
    """Run a server until the block ends; yields once `url` answers."""
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for(url, proc)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def app_server(tmp: Path, chroma_path: Path) -> Iterator[str]:
    """A real `qa serve` on a free loopback port; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {"QA_PORT": str(port), "QA_CHROMA_PATH": str(chroma_path), "QA_APP_DATA": str(tmp / "appdata")}
    with process(SERVE, url, env, tmp / "app.log"):
        yield url


@contextmanager
def chroma_server(tmp: Path) -> Iterator[str]:
    """A real `chroma run` server on a free loopback port; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    chroma = Path(sys.executable).with_name("chroma")
    cmd = [str(chroma), "run", "--path", str(tmp / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)]
    with process(cmd, f"{url}/api/v2/heartbeat", {}, tmp / "chroma.log"):
        yield url


def memory_bytes(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a process from /proc/PID/status (Linux): VmRSS now, VmHWM its peak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} for process {pid}")
