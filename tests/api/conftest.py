"""A real `pledges serve` on a free 127.0.0.1 port, over a temporary store indexed from a small fixture
corpus, once per engine: the embedded store, and an OpenSearch index on the node OPENSEARCH_URL names
(`PLEDGES_BACKEND=opensearch`; skipped, saying why, where it is not set).

Built once per session and engine: the model loads once in this process (to index) and once in the server.
"""

from __future__ import annotations

import os
import shutil
import uuid
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
def opensearch_store(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[tuple[Path, str]]:
    """The fixture corpus indexed through the service into a fresh OpenSearch index (dropped at the end):
    the data folder (embedding cache) and the index's alias."""
    from models.settings import Settings
    from search_api.backends.opensearch.testing import drop_index
    from search_api.service import SearchService

    url, index = os.environ["OPENSEARCH_URL"], f"pledges-api-{uuid.uuid4().hex[:8]}"
    drop_index(url, index)
    data_dir = tmp_path_factory.mktemp("api-opensearch")
    settings = Settings(data_dir=data_dir, backend="opensearch", opensearch_url=url, opensearch_index=index)
    service = SearchService(settings, embedder=embedder)
    try:
        report = service.index_paths([CORPUS], rejects_path=None, progress=False)
    finally:
        service.close()
    assert report.rejected == 0, report.rejections
    yield data_dir, index
    drop_index(url, index)


@pytest.fixture(scope="session", params=("embedded", "opensearch"))
def api_engine(request: pytest.FixtureRequest) -> str:
    """The engine behind the live server; OpenSearch only where OPENSEARCH_URL names a node."""
    if request.param == "opensearch" and not os.environ.get("OPENSEARCH_URL"):
        pytest.skip("OPENSEARCH_URL is not set: the API runs on OpenSearch only against a server")
    return request.param


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, api_engine: str, request: pytest.FixtureRequest
) -> Iterator[Server]:
    """`pledges serve` over the indexed store of the engine, with the test API key and a small upload limit."""
    env = {"PLEDGES_API_KEY": API_KEY, "PLEDGES_MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES)}
    if api_engine == "opensearch":
        data_dir, index = request.getfixturevalue("opensearch_store")
        env.update(
            PLEDGES_BACKEND="opensearch",
            PLEDGES_OPENSEARCH_URL=os.environ["OPENSEARCH_URL"],
            PLEDGES_OPENSEARCH_INDEX=index,
        )
    else:
        data_dir = request.getfixturevalue("indexed_store")
    server = start_api(data_dir, tmp_path_factory.mktemp(f"api-log-{api_engine}") / "server.log", **env)
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
