"""What only the OpenSearch engine has, against the live node OPENSEARCH_URL names (`make test` starts one):
pages past `index.max_result_window` read through a point in time, index generations behind the alias, and
the index's own analysers. Everything both engines share is the contract suite's (tests/contract/).

Vectors here are random (8 dimensions, seeded): these tests are about requests, not about the model.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from models.schemas import Pledge, SearchRequest
from search_api.backends.base import StoredRecord

pytestmark = pytest.mark.opensearch

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "contract_corpus.jsonl"
DIMENSION = 8


@pytest.fixture(scope="module")
def url() -> str:
    """The live node; without one these tests skip (and conftest fails any skip where OPENSEARCH_URL is set)."""
    found = os.environ.get("OPENSEARCH_URL")
    if not found:
        pytest.skip("OPENSEARCH_URL is not set: these tests need a live OpenSearch node (make opensearch)")
    return found


@pytest.fixture(scope="module")
def records() -> list[StoredRecord]:
    rng = np.random.default_rng(7)
    pledges = [Pledge.model_validate(json.loads(line)) for line in CORPUS.read_text().splitlines() if line.strip()]
    return [
        StoredRecord(
            p, rng.normal(size=DIMENSION).astype(np.float32), hashlib.sha256(p.model_dump_json().encode()).hexdigest()
        )
        for p in pledges
    ]


@pytest.fixture
def backend(url: str, records: list[StoredRecord]) -> Iterator:
    from search_api.backends.opensearch.testing import drop_index, recreate_for_tests

    name = f"pledges-live-{uuid.uuid4().hex[:8]}"
    engine = recreate_for_tests(url, name, DIMENSION, "random-test-vectors")
    engine.upsert(records)
    yield engine
    engine.close()
    drop_index(url, name)


@pytest.mark.parametrize(
    ("q", "mode", "sort"),
    [("", "keyword", "relevance"), ("migrants", "keyword", "relevance"), ("migrants", "hybrid", "deadline")],
)
def test_pages_past_the_result_window_are_read_through_a_point_in_time(backend, monkeypatch, q, mode, sort):
    """A page that ends past max_result_window (10,000) and that OpenSearch ranks itself (BM25, a field sort,
    browsing) is ranked through a point in time + search_after: with the window set to 2 here, pages 2 and 3
    take that path and must equal the pages read directly."""
    from search_api.backends.opensearch import reader as search

    vector = None if mode == "keyword" or not q else np.random.default_rng(1).normal(size=DIMENSION)

    def pages() -> list[list[str]]:
        return [
            [h.id for h in backend.search(SearchRequest(q=q, mode=mode, sort=sort, size=2, page=n), vector).hits]
            for n in (1, 2, 3)
        ]

    direct = pages()
    assert sum(map(len, direct)) == 6
    opened: list[str] = []
    create_pit = backend.client.create_pit
    monkeypatch.setattr(backend.client, "create_pit", lambda **kw: opened.append(kw["index"]) or create_pit(**kw))
    monkeypatch.setattr(search, "MAX_WINDOW", 2)
    assert pages() == direct
    assert opened  # the deep pages went through a point in time


def test_export_reads_the_whole_result_through_a_point_in_time(backend, records):
    """CSV export of a keyword search scans every match in rank order (point in time + search_after)."""
    request = SearchRequest(q="migrants", mode="keyword", size=100)
    page = [h.id for h in backend.search(request, None).hits]
    assert [p.id for p in backend.iter_matches(request, None)] == page
    assert len(list(backend.iter_matches(SearchRequest(q=""), None))) == len(records)


def test_a_new_generation_is_invisible_until_promoted_then_the_old_one_goes(backend, records):
    """new_generation() writes an index no search reads; promote() moves the alias in one request and drops
    the old generation."""
    alias = backend.index_name
    assert backend.generations() == [f"{alias}-1"]
    generation = backend.new_generation()
    generation.upsert(records[:3])
    assert backend.count() == len(records) and generation.count() == 3
    backend.promote(generation)
    assert backend.generations() == [f"{alias}-2"]
    assert list(backend.client.indices.get_alias(name=alias)) == [f"{alias}-2"]
    assert backend.count() == 3
    assert {h.id for h in backend.search(SearchRequest(q=""), None).hits} == {r.pledge.id for r in records[:3]}


def test_the_index_reads_text_with_its_own_analysers(backend):
    """`_analyze` with the index's analysers (the objective leg reads query and labels through them): stop
    words dropped, Snowball stems, accents folded, an accented word's folded spelling kept beside it."""
    assert backend.analyser("Orientación a la población venezolana", "es") == [
        "orientacion",
        "orient",
        "poblacion",
        "venezolan",
    ]
    assert backend.analyser("Des personnes migrantes intégrées", "fr") == ["person", "migr", "integre", "integr"]
    assert backend.analyser("The one-stop centres", "en") == ["one", "stop", "centr"]
    assert backend.analyser("São Paulo", "other") == ["sao", "paulo"]
