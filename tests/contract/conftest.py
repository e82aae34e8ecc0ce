"""The contract suite's engines and fixed corpus: every test here runs once per engine.

"embedded" always runs; "opensearch" runs where OPENSEARCH_URL points at a server, and is skipped with that
reason elsewhere. The corpus (tests/fixtures/contract_corpus.jsonl) is invented and embedded once per session
with the real model.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from models.schemas import Pledge, SearchRequest, SearchResponse
from search_api.backends.base import SearchBackend, StoredRecord

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "contract_corpus.jsonl"
ENGINES = ("embedded", "embedded-ann", "opensearch")  # embedded-ann: the inverted file at any size, filters too


def document_text(p: Pledge) -> str:
    """What the suite embeds for a record: title, description, entity (as the indexer does)."""
    return "\n\n".join(part for part in (p.title, p.description, p.entity_name) if part)


def as_stored(p: Pledge, vector: np.ndarray) -> StoredRecord:
    """A record as an engine receives it."""
    digest = hashlib.sha256(p.model_dump_json().encode()).hexdigest()
    return StoredRecord(p, vector, digest)


@pytest.fixture(scope="session")
def stored() -> Callable[[Pledge, np.ndarray], StoredRecord]:
    """`stored(pledge, vector)`: a record as an engine receives it."""
    return as_stored


@pytest.fixture(scope="session")
def corpus() -> list[Pledge]:
    """The fixed corpus, validated as normalised records."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [Pledge.model_validate(json.loads(line)) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def embedder():
    """The real embedding model, loaded once."""
    from models.embedder import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def vectors(corpus: list[Pledge], embedder) -> dict[str, np.ndarray]:
    """One vector per corpus record, embedded once per session."""
    matrix = embedder.encode_documents([document_text(p) for p in corpus])
    return {p.id: matrix[i] for i, p in enumerate(corpus)}


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Name of the engine under test; OpenSearch only where a server is configured."""
    if request.param == "opensearch" and not os.environ.get("OPENSEARCH_URL"):
        pytest.skip("OPENSEARCH_URL is not set: the OpenSearch engine runs the contract only against a server")
    return request.param


@pytest.fixture(scope="session")
def make_backend(
    engine: str, embedder, tmp_path_factory: pytest.TempPathFactory, vectors
) -> Iterator[Callable[[], SearchBackend]]:
    """Factory of fresh, empty backends of the engine under test (each cleaned up at the end)."""
    made: list[tuple[SearchBackend, str | None]] = []
    dimension = len(next(iter(vectors.values())))

    def make() -> SearchBackend:
        if engine.startswith("embedded"):
            from search_api.backends.embedded import EmbeddedBackend
            from search_api.backends.embedded.store import FACET_TABLE_LIMIT
            from search_api.backends.embedded.vectors import VectorOptions

            # embedded-ann: the inverted file at any size, and facets from the index's aggregations (the
            # "embedded" engine counts them from its table in memory: the fixture stores are small)
            ann = engine == "embedded-ann"
            options = VectorOptions(ann_threshold=0, exact_limit=0) if ann else None
            path = tmp_path_factory.mktemp("store")
            backend: SearchBackend = EmbeddedBackend(
                path,
                dimension,
                embedder.model_name,
                vector_options=options,
                facet_table_limit=0 if ann else FACET_TABLE_LIMIT,
            )
            made.append((backend, None))
            return backend
        from search_api.backends.opensearch.testing import recreate_for_tests

        index = f"pledges-contract-{uuid.uuid4().hex[:8]}"
        backend = recreate_for_tests(os.environ["OPENSEARCH_URL"], index, dimension, embedder.model_name)
        made.append((backend, index))
        return backend

    yield make
    for backend, index in made:
        backend.close()
        if index is not None:
            from search_api.backends.opensearch.testing import drop_index

            drop_index(os.environ["OPENSEARCH_URL"], index)


@pytest.fixture(scope="session")
def backend(make_backend, corpus: list[Pledge], vectors) -> SearchBackend:
    """An engine holding the whole corpus (read-only tests share it)."""
    engine = make_backend()
    engine.upsert([as_stored(p, vectors[p.id]) for p in corpus])
    engine.refresh()
    return engine


@pytest.fixture(scope="session")
def search(backend: SearchBackend, embedder) -> Callable[..., SearchResponse]:
    """`search(q, mode=..., **request fields)` on the shared engine; embeds the query as the service does."""

    def run(q: str = "", mode: str = "hybrid", engine: SearchBackend | None = None, **fields) -> SearchResponse:
        request = SearchRequest(q=q, mode=mode, **fields)
        vector = None if mode == "keyword" or not q.strip() else embedder.encode_query(q)
        return (engine or backend).search(request, vector)

    return run
