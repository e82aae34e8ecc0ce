"""A real `pledges serve` on a free 127.0.0.1 port, over a temporary store indexed from a small fixture
corpus.

Built once per session: the model loads once in this process (to index) and once in the server.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import Server, start_api, stop

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "api"
CORPUS = FIXTURES / "corpus.jsonl"
API_KEY = "test-key-not-secret"
MAX_UPLOAD_BYTES = 100_000


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
def live_server(tmp_path_factory: pytest.TempPathFactory, indexed_store: Path) -> Iterator[Server]:
    """`pledges serve` over the indexed store, with the test API key and a small upload limit."""
    server = start_api(
        indexed_store,
        tmp_path_factory.mktemp("api-log") / "server.log",
        PLEDGES_API_KEY=API_KEY,
        PLEDGES_MAX_UPLOAD_BYTES=str(MAX_UPLOAD_BYTES),
    )
    yield server
    stop(server)


@pytest.fixture()
def client(live_server: Server) -> Iterator[httpx.Client]:
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
