"""Real servers for the API and UI suites: `pledges serve` and `pledges ui` as subprocesses on free 127.0.0.1
ports, each polled until ready within a deadline, failing fast with its log when it dies.

Imported as `servers` (pytest puts tests/ on sys.path for the top-level conftest.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from search_api.cli import app; app()"]
START_DEADLINE_S = 180.0
STOP_TIMEOUT_S = 20.0
LOG_TAIL_CHARS = 6000


@dataclass
class Server:
    """A running subprocess serving HTTP: its command, address, process and log file."""

    name: str
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        """Everything the process wrote so far."""
        return self.log_path.read_text(errors="replace")

    def log_tail(self) -> str:
        """The end of the log, for failure messages."""
        return self.log()[-LOG_TAIL_CHARS:]


def free_port() -> int:
    """A port nobody listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any PLEDGES_* setting but the suite's encoder cache (exported once per
    machine, see tests/conftest.py), plus `extra` and the offline switches."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGES_") or k == "PLEDGES_ENCODER_DIR"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false", **extra)
    return env


def launch(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """`pledges <args>` in the repository root, stdout and stderr both to `log_path`."""
    with log_path.open("w") as log_file:  # the child holds its own copy of the descriptor
        return subprocess.Popen(CLI + args, env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=REPO)


def wait_ready(server: Server, ready_url: str, deadline_s: float = START_DEADLINE_S) -> Server:
    """Poll `ready_url` until it answers 200; fail at once, with the log, if the process exits, and stop it
    when the deadline passes."""
    deadline = time.monotonic() + deadline_s
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"`pledges {server.name}` exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            if httpx.get(ready_url, timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop(server)
            pytest.fail(
                f"`pledges {server.name}` did not answer {ready_url} within {deadline_s:.0f} s:\n{server.log_tail()}"
            )
        time.sleep(0.2)


def start_api(data_dir: Path, log_path: Path, **env: str) -> Server:
    """`pledges serve` over `data_dir`, ready when /ready answers 200; `env` adds PLEDGES_* settings."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = launch(args, clean_env(PLEDGES_DATA_DIR=str(data_dir), **env), log_path)
    return wait_ready(Server("serve", url, process, log_path), f"{url}/ready")


def start_ui(api_url: str, log_path: Path, **env: str) -> Server:
    """`pledges ui` talking to `api_url`, ready when Streamlit's health check answers 200."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = launch(["ui", "--port", str(port), "--api-url", api_url], clean_env(**env), log_path)
    return wait_ready(Server("ui", url, process, log_path), f"{url}/_stcore/health")


def stop(server: Server) -> None:
    """Terminate a server, killing it if it does not stop."""
    server.process.terminate()
    try:
        server.process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
