"""A real `pledges serve` on a free 127.0.0.1 port, over a temporary store indexed from a small fixture
corpus.

Built once per session: the model loads once in this process (to index) and once in the server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "api"
CORPUS = FIXTURES / "corpus.jsonl"
API_KEY = "test-key-not-secret"
MAX_UPLOAD_BYTES = 100_000
START_DEADLINE_S = 180.0


@dataclass
class LiveServer:
    """A running API: its address, process and log."""

    url: str
    process: subprocess.Popen
    log_path: Path
    data_dir: Path

    def log(self) -> str:
        """What the server wrote so far (for failure messages)."""
        return self.log_path.read_text(errors="replace")


def free_port() -> int:
    """A port nobody listens on right now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server process over `data_dir`, with the test API key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGES_")}
    env.update(PLEDGES_DATA_DIR=str(data_dir), PLEDGES_API_KEY=API_KEY, HF_HUB_OFFLINE="1",
               TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               PLEDGES_MAX_UPLOAD_BYTES=str(MAX_UPLOAD_BYTES), **extra)
    return env


def start_server(data_dir: Path, log_path: Path, **extra_env: str) -> LiveServer:
    """Start `pledges serve` and wait, up to a deadline, until /ready answers 200; fail fast if it dies."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_file = log_path.open("w")
    cmd = [sys.executable, "-c", "from search_api.cli import app; app()", "serve", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(cmd, env=server_env(data_dir, **extra_env), stdout=log_file,
                               stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2])
    server = LiveServer(url, process, log_path, data_dir)
    deadline = time.monotonic() + START_DEADLINE_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"the API server exited with {process.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            pytest.fail(f"the API server was not ready after {START_DEADLINE_S:.0f} s:\n{server.log()}")
        time.sleep(0.2)


def stop_server(server: LiveServer) -> None:
    """Terminate the server, killing it if it does not stop."""
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def embedder():
    """One embedder for the whole session in this process."""
    from models.embedder import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def indexed_store(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """A store holding the fixture corpus, indexed through the service (the path the CLI takes)."""
    from models.settings import Settings
    from search_api.service import SearchService

    data_dir = tmp_path_factory.mktemp("api-store")
    service = SearchService(Settings(data_dir=data_dir), embedder=embedder)
    try:
        report = service.index_paths([CORPUS], rejects_path=None, progress=False)
    finally:
        service.close()
    assert report.rejected == 0, report.rejections
    assert report.indexed == sum(1 for line in CORPUS.open() if line.strip())
    return data_dir


@pytest.fixture(scope="session")
def store_copy(tmp_path_factory: pytest.TempPathFactory, indexed_store: Path) -> Path:
    """A private copy of the indexed store, for tests that write without disturbing the live server's."""
    target = tmp_path_factory.mktemp("api-store-copy") / "store"
    shutil.copytree(indexed_store, target)
    return target


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, indexed_store: Path) -> Iterator[LiveServer]:
    """`pledges serve` over the indexed store, with the test API key and a small upload limit."""
    server = start_server(indexed_store, tmp_path_factory.mktemp("api-log") / "server.log")
    yield server
    stop_server(server)


@pytest.fixture()
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client of the live server."""
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        yield http


@pytest.fixture()
def auth() -> dict[str, str]:
    """Headers carrying the test API key."""
    return {"X-API-Key": API_KEY}


@pytest.fixture(scope="session")
def api_key() -> str:
    """The live server's API key."""
    return API_KEY


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/fixtures/api."""
    return FIXTURES


@pytest.fixture(scope="session")
def max_upload_bytes() -> int:
    """The live server's upload limit."""
    return MAX_UPLOAD_BYTES
