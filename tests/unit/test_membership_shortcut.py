"""Which semantic candidates the keyword query does not match (for the total and the facets of the
semantic-only records) is read off the keyword leg when it read every match, and asked of the engine only
when it did not, or when the candidates were not read under the request's filters. Either way the same total
and the same facet counts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from models.schemas import Filters, Pledge, SearchRequest
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend
from search_api.backends.embedded.reader import EmbeddedReader
from search_api.core.ranking import DEFAULT_RANKING
from search_api.core.search import rank
from search_api.core.side_work import SideWork

DIM = 8
OUTSIDE = EmbeddedReader.outside


def record(i: int) -> StoredRecord:
    centre = np.ones(DIM, dtype=np.float32)
    vector = centre + np.random.default_rng(i).normal(scale=0.4, size=DIM).astype(np.float32)
    title = "Mobile clinic for migrants" if i % 6 == 0 else f"Record {i} on housing"
    pledge = Pledge(id=f"r{i:02d}", title=title, description="support", countries=["COL" if i % 2 else "SEN"])
    return StoredRecord(pledge, vector / np.linalg.norm(vector), f"h{i}")


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedBackend:
    store = EmbeddedBackend(tmp_path_factory.mktemp("membership"), DIM, "test-model")
    store.upsert([record(i) for i in range(60)])  # 10 records say "clinic"
    return store


def ranked(backend: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch, filters: Filters, candidates: int):
    asked: list[int] = []
    monkeypatch.setattr(EmbeddedReader, "outside", lambda self, ids, q: asked.append(len(ids)) or OUTSIDE(self, ids, q))
    params = dataclasses.replace(DEFAULT_RANKING, keyword_candidates=candidates, similarity_floor=0.0)
    request = SearchRequest(q="clinic", mode="hybrid", filters=filters)
    vector = np.ones(DIM, dtype=np.float32) / np.sqrt(DIM)
    ranking = rank(backend.reader(), params, request, vector, 5, facets=True, side=SideWork(0))
    return ranking.total, ranking.counted_parts(), asked


@pytest.mark.parametrize("filters", [Filters(), Filters(country=["COL"])])
def test_a_complete_keyword_leg_answers_membership_with_the_same_total_and_facets(
    backend: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch, filters: Filters
) -> None:
    total, parts, asked = ranked(backend, monkeypatch, filters, candidates=200)  # all 10 matches read
    shallow_total, shallow_parts, shallow_asked = ranked(backend, monkeypatch, filters, candidates=3)  # 5 of 10
    assert total == shallow_total and parts == shallow_parts
    assert total > backend.count(filters) // 2, "the semantic candidates add to the keyword matches"
    assert shallow_asked, "a leg that stopped short asks the engine"
    if filters.is_empty():
        assert asked == [], "every match was read: no membership query"
    else:
        assert len(asked) == 1, "only the candidates read before the filters are asked about"
