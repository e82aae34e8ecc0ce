"""Facet counts from the table in memory (small stores) equal the index's aggregations (larger ones) on the same
store: every facet, each objective scope, under filters (each facet counted under every filter but its own), for
the whole store, a keyword match, a list of ids and both, after records were replaced and deleted."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from models.schemas import Filters, Pledge, SuggestedObjective
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend
from search_api.core.reader import Match

DIM = 16
COUNTRIES = ["COL", "SEN", "FRA", "MEX"]
WORDS = ["shelter", "health", "school", "jobs"]


def record(i: int, version: int = 0) -> StoredRecord:
    """Record i: facets that vary with i (some records with several values, some with none)."""
    rng = np.random.default_rng(i + 1000 * version)
    vector = rng.normal(size=DIM).astype(np.float32)
    pledge = Pledge(
        id=f"t{i:03d}",
        collection=("pledge", "practice", "local_action")[i % 3],
        title=f"Record {i} about {WORDS[i % 4]}",
        description=f"{WORDS[i % 4]} and {WORDS[(i + version) % 3]} for migrants, version {version}",
        entity_type=(None, "local_authority", "civil_society")[i % 3],
        countries=[COUNTRIES[i % 4]] + ([COUNTRIES[(i + 1) % 4]] if i % 5 == 0 else []),
        objectives=[1 + i % 23] + ([15] if i % 4 == 0 else []) if i % 7 else [],
        suggested_objectives=[SuggestedObjective(objective=16 + i % 5, confidence=0.5)] if i % 3 == 0 else [],
        language=("en", "fr", "es")[i % 3],
    )
    return StoredRecord(pledge, vector / np.linalg.norm(vector), f"hash{i}-{version}")


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedBackend:
    store = EmbeddedBackend(Path(tmp_path_factory.mktemp("table")), DIM, "test-model", facet_table_limit=10_000)
    store.upsert([record(i) for i in range(120)])
    store.upsert([record(i, version=1) for i in range(0, 120, 9)])  # replaced: their first rows are dead
    store.delete([f"t{i:03d}" for i in range(5, 120, 17)])
    return store


FILTERS = [
    Filters(),
    Filters(country=["COL"]),
    Filters(country=["COL", "SEN"], objective=[15]),
    Filters(collection=["practice"], language=["fr"]),
    Filters(objective=[16, 17], objective_scope="suggested"),
    Filters(objective=[15], objective_scope="all", entity_type=["local_authority"]),
]


def both_ways(backend: EmbeddedBackend, match: Match, filters: Filters) -> tuple[dict, dict]:
    reader = backend.reader()
    backend.store.facet_table_limit = 10_000
    from_table = reader.facet_counts(match, filters)
    backend.store.facet_table_limit = 0
    try:
        from_index = reader.facet_counts(match, filters)
    finally:
        backend.store.facet_table_limit = 10_000
    return from_table, from_index


def nonzero(counts: dict) -> dict:
    return {name: {v: c for v, c in values.items() if c} for name, values in counts.items()}


@pytest.mark.parametrize(("filters", "kind"), itertools.product(FILTERS, ["everything", "text", "ids", "both"]))
def test_table_counts_equal_the_aggregations(backend: EmbeddedBackend, filters: Filters, kind: str) -> None:
    reader = backend.reader()
    text = reader.keyword_query("shelter") if kind in ("text", "both") else None
    ids = frozenset(f"t{i:03d}" for i in range(1, 120, 4)) if kind in ("ids", "both") else frozenset()
    match = Match(everything=True) if kind == "everything" else Match(text=text, ids=ids)
    from_table, from_index = both_ways(backend, match, filters)
    assert from_table, "some facet is counted"
    assert nonzero(from_table) == nonzero(from_index)


def test_replaced_and_deleted_records_count_once_or_not_at_all(backend: EmbeddedBackend) -> None:
    counts = backend.reader().facet_counts(Match(everything=True), Filters())
    live = 120 - len(range(5, 120, 17))
    assert sum(counts["collection"].values()) == live
    assert sum(counts["language"].values()) == live


def test_forgetting_query_results_drops_the_matches_rows_and_keeps_the_table(backend: EmbeddedBackend) -> None:
    """What `pledges bench` does between operations that share a query: each is timed as its query's first."""
    reader = backend.reader()
    text = reader.keyword_query("health")
    first = reader.facet_counts(Match(text=text), Filters())
    cache = backend.store.cache_for(reader.searcher)
    assert "facet-table" in cache and [k for k in cache if isinstance(k, tuple) and k[0] == "text-rows"]
    backend.store.forget_query_results()
    assert "facet-table" in cache and not [k for k in cache if isinstance(k, tuple) and k[0] == "text-rows"]
    assert reader.facet_counts(Match(text=text), Filters()) == first


def test_a_store_past_the_limit_counts_with_the_aggregations(backend: EmbeddedBackend) -> None:
    reader = backend.reader()
    backend.store.facet_table_limit = 50  # the store holds more records
    try:
        backend.store.forget_query_results()
        backend.store.cache_for(reader.searcher).pop("facet-table", None)
        counts = reader.facet_counts(Match(everything=True), Filters(country=["SEN"]))
        assert "facet-table" not in backend.store.cache_for(reader.searcher)
    finally:
        backend.store.facet_table_limit = 10_000
    assert counts["country"]["SEN"] == backend.count(Filters(country=["SEN"]))
