"""Upsert and delete keep text, vector and facet data together, on a fresh engine per test."""

from __future__ import annotations

import numpy as np
import pytest

from models.schemas import Filters, SearchRequest


@pytest.fixture
def engine_with_three(make_backend, corpus, vectors, stored):
    engine = make_backend()
    engine.upsert([stored(p, vectors[p.id]) for p in corpus if p.id in ("fx-01", "fx-02", "fx-07")])
    engine.refresh()
    return engine


def keyword(engine, q: str, **filters):
    return engine.search(SearchRequest(q=q, mode="keyword", filters=Filters(**filters)), None)


def test_upserted_records_can_be_read_back(engine_with_three, vectors, corpus):
    engine = engine_with_three
    assert engine.count() == 3
    assert engine.get("fx-02") == next(p for p in corpus if p.id == "fx-02")
    np.testing.assert_allclose(engine.get_vector("fx-02"), vectors["fx-02"], rtol=1e-6)
    hashes = engine.content_hashes(["fx-01", "fx-02", "fx-99"])
    assert set(hashes) == {"fx-01", "fx-02"}
    assert engine.get("fx-99") is None and engine.get_vector("fx-99") is None


def test_upsert_replaces_text_vector_and_facets(engine_with_three, vectors, corpus, stored):
    engine = engine_with_three
    old = next(p for p in corpus if p.id == "fx-02")
    new = old.model_copy(
        update={
            "title": "Solar kiosks for returnees",
            "description": "Solar kiosks.",
            "countries": ["KEN"],
            "objectives": [21],
        }
    )
    engine.upsert([stored(new, vectors["fx-07"])])
    engine.refresh()
    assert engine.count() == 3
    assert [h.id for h in keyword(engine, "solar").hits] == ["fx-02"]
    assert keyword(engine, "remittances").total == 0
    assert engine.count(Filters(country=["PHL"])) == 0 and engine.count(Filters(country=["KEN"])) == 1
    np.testing.assert_allclose(engine.get_vector("fx-02"), vectors["fx-07"], rtol=1e-6)
    blank = engine.search(SearchRequest(q=""), None)
    objectives = {v.value: v.count for f in blank.facets if f.name == "objective" for v in f.values}
    assert objectives.get("20") is None and objectives["21"] == 1


def test_delete_removes_text_vector_and_facets_together(engine_with_three, vectors):
    engine = engine_with_three
    assert engine.delete(["fx-02", "fx-99"]) == 1
    engine.refresh()
    assert engine.count() == 2 and engine.get("fx-02") is None and engine.get_vector("fx-02") is None
    assert keyword(engine, "remittances").total == 0
    semantic = engine.search(SearchRequest(q="remittances", mode="semantic"), vectors["fx-02"])
    assert "fx-02" not in [h.id for h in semantic.hits]
    blank = engine.search(SearchRequest(q=""), None)
    countries = {v.value for f in blank.facets if f.name == "country" for v in f.values}
    assert countries == {"COL", "NGA"}
    assert "fx-02" not in [h.id for h in engine.similar("fx-01", k=5)]
    with pytest.raises(KeyError):
        engine.similar("fx-02")
    assert engine.delete(["fx-02"]) == 0


def test_an_empty_engine_answers_every_read(make_backend):
    engine = make_backend()
    assert engine.count() == 0 and engine.get("x") is None
    response = engine.search(SearchRequest(q="migrants"), None)
    assert response.total == 0 and response.hits == []
    assert engine.search(SearchRequest(q=""), None).total == 0
