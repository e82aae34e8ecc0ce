"""Facet counts of the embedded store come from each record's set of values (one term a record); they must
equal counting value by value, also when a facet has more distinct sets than one aggregation returns."""

from __future__ import annotations

import numpy as np
import pytest

from models.schemas import Filters, Pledge, SuggestedObjective
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend, facet_counts
from search_api.core.reader import Match

DIM = 8
COUNTRIES = ["FRA", "DEU", "MEX", "COL", "KEN"]


def record(i: int) -> StoredRecord:
    vector = np.random.default_rng(i).normal(size=DIM).astype(np.float32)
    pledge = Pledge(
        id=f"r{i}",
        title=f"Shelter {i}" if i % 3 else f"Clinic {i}",
        description="services for migrants",
        countries=COUNTRIES[i % 5 : i % 5 + 1 + i % 3],
        objectives=sorted({1 + i % 23, 1 + (i * 7) % 23}),
        principles=[f"p{j}" for j in range(i % 4)],
        suggested_objectives=[SuggestedObjective(objective=1 + (i * 5) % 23, confidence=0.9)] if i % 2 else [],
    )
    return StoredRecord(pledge, vector / np.linalg.norm(vector), f"{i}")


def expected(records: list[Pledge], scope: str) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {"country": {}, "objective": {}, "principle": {}}
    for p in records:
        objectives = set(p.objectives)
        if scope == "all":
            objectives |= {s.objective for s in p.suggested_objectives}
        for name, values in (("country", p.countries), ("objective", objectives), ("principle", p.principles)):
            for value in {str(v) for v in values}:
                counts[name][value] = counts[name].get(value, 0) + 1
    return counts


@pytest.mark.parametrize("sets_per_aggregation", [100_000, 2])
@pytest.mark.parametrize("scope", ["declared", "all"])
def test_counts_from_value_sets_equal_counting_each_value(tmp_path, monkeypatch, sets_per_aggregation, scope):
    monkeypatch.setattr(facet_counts, "MAX_VALUE_SETS", sets_per_aggregation)
    backend = EmbeddedBackend(tmp_path, DIM, "test-model")
    stored = [record(i) for i in range(60)]
    backend.upsert(stored)
    reader = backend.reader()
    filters = Filters(objective_scope=scope)
    everything = reader.facet_counts(Match(everything=True), filters)
    clinics = reader.facet_counts(Match(text=reader.keyword_query("clinic")), filters)
    for name, want in expected([r.pledge for r in stored], scope).items():
        assert everything[name] == want
    for name, want in expected([r.pledge for r in stored if r.pledge.title.startswith("Clinic")], scope).items():
        assert clinics[name] == want
