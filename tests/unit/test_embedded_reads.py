"""Reads the embedded store keeps between searches: parsed records (never stale after a write) and the key ->
row lookup a filter's rows go through (the same rows as the per-key map, for tens of thousands of keys at once)."""

from __future__ import annotations

import numpy as np

from models.schemas import Filters, Pledge
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend

DIM = 8


def record(i: int, title: str | None = None) -> StoredRecord:
    vector = np.random.default_rng(i).normal(size=DIM).astype(np.float32)
    pledge = Pledge(id=f"r{i}", title=title or f"Record {i}", description="shelter for migrants")
    return StoredRecord(pledge, vector / np.linalg.norm(vector), f"{i}-{title}")


def test_a_record_read_again_after_it_changed_is_the_new_version(tmp_path):
    backend = EmbeddedBackend(tmp_path, DIM, "test-model")
    backend.upsert([record(i) for i in range(5)])
    assert backend.get("r3").title == "Record 3"
    assert set(backend.store.get_many(["r1", "r3", "missing"])) == {"r1", "r3"}
    backend.upsert([record(3, title="Record 3, revised")])
    assert backend.get("r3").title == "Record 3, revised"
    assert backend.store.get_many(["r3"])["r3"].title == "Record 3, revised"
    backend.delete(["r1"])
    assert backend.get("r1") is None and set(backend.store.get_many(["r1", "r2"])) == {"r2"}


def test_rows_of_many_keys_are_the_rows_the_key_map_gives(tmp_path):
    backend = EmbeddedBackend(tmp_path, DIM, "test-model")
    backend.upsert([record(i) for i in range(40)])
    _, snap = backend.store.snapshot()
    snap.vectors.rows_of_keys(np.zeros(1, dtype=np.uint64))  # the sorted keys of the first 40 rows
    backend.upsert([record(7, title="replaced"), record(40)])  # r7 gets a new key and a new row
    backend.upsert([record(9, title="replaced"), record(41)])
    backend.upsert([record(9)])  # back to its first version: its first key, on a third row
    _, snap = backend.store.snapshot()
    vectors = snap.vectors
    keys = np.asarray(list(vectors.row_of_key), dtype=np.uint64)
    unknown = np.asarray([keys.max() + 1, 0 if 0 not in vectors.row_of_key else keys.max() + 2], dtype=np.uint64)
    rows = vectors.rows_of_keys(np.concatenate([keys, unknown]))
    assert rows[: len(keys)].tolist() == [vectors.row_of_key[int(k)] for k in keys]
    assert rows[len(keys) :].tolist() == [-1, -1]
    assert vectors.rows_of_keys(np.zeros(0, dtype=np.uint64)).tolist() == []


def test_reads_past_the_record_cache_limit_return_every_record(tmp_path, monkeypatch):
    from search_api.backends.embedded import store as store_module

    monkeypatch.setattr(store_module, "RECORD_CACHE_LIMIT", 4)
    backend = EmbeddedBackend(tmp_path, DIM, "test-model")
    backend.upsert([record(i) for i in range(12)])
    for start in range(0, 12, 3):
        ids = [f"r{i}" for i in range(start, start + 6)]
        assert {i: p.title for i, p in backend.store.get_many(ids).items()} == {
            f"r{i}": f"Record {i}" for i in range(start, min(12, start + 6))
        }
    assert len(backend.store.cache_for(backend.store.searcher())["records"]) <= 4


def test_a_record_query_leaves_out_the_terms_most_records_hold_but_not_in_a_small_store(tmp_path):
    from search_api.backends.embedded.reader import EmbeddedReader
    from search_api.core.ranking import DEFAULT_RANKING

    boosts = {"title": 1.0, "description": 1.0}
    backend = EmbeddedBackend(tmp_path, DIM, "test-model")
    backend.upsert([record(i, title="Mobile clinic" if i < 3 else None) for i in range(30)])
    small = EmbeddedReader(backend.store, DEFAULT_RANKING).keyword_query("shelter clinic", boosts=boosts, max_share=0.1)
    assert small is not None and set(small.terms) == {"shelter", "clinic"}  # 30 records: under the floor of 50
    backend.upsert([record(i) for i in range(30, 200)])
    reader = EmbeddedReader(backend.store, DEFAULT_RANKING)
    query = reader.keyword_query("shelter clinic unheardof", boosts=boosts, max_share=0.1)
    assert query is not None and query.terms == ("clinic",)  # "shelter": 200 of 200; "unheardof": none
    found, total = reader.keyword(query, Filters(), 10)
    assert sorted(i for i, _ in found) == ["r0", "r1", "r2"] and total == 3
    every = reader.keyword_query("shelter clinic", boosts=boosts)
    assert every is not None and reader.keyword(every, Filters(), 10)[1] == 200


def test_forgetting_query_results_makes_the_next_search_count_its_facets_again(tmp_path, monkeypatch):
    """What `pledges bench` does between operations that share a query (facets from the aggregations: the
    table in memory's part, in test_facet_table.py)."""
    from search_api.backends.embedded import facet_counts
    from search_api.core.reader import Match

    backend = EmbeddedBackend(tmp_path, DIM, "test-model", facet_table_limit=0)
    backend.upsert([record(i, title="Mobile clinic" if i < 3 else None) for i in range(20)])
    reader = backend.reader()
    query = reader.keyword_query("clinic")
    walks = []
    original = facet_counts._aggregate
    monkeypatch.setattr(facet_counts, "_aggregate", lambda *a, **k: walks.append(1) or original(*a, **k))
    first = reader.facet_counts(Match(text=query), Filters())
    counted = len(walks)
    assert reader.facet_counts(Match(text=query), Filters()) == first and len(walks) == counted  # kept
    backend.store.get_many(["r1"])
    backend.store.forget_query_results()
    cache = backend.store.cache_for(reader.searcher)
    assert "records" not in cache and not [k for k in cache if isinstance(k, tuple) and k[0] == "part"]
    assert [k for k in cache if isinstance(k, tuple) and k[0] == "facets"]  # counts under filters alone stay
    assert reader.facet_counts(Match(text=query), Filters()) == first and len(walks) > counted


def test_the_unscored_match_query_matches_exactly_the_records_the_ranked_query_matches(tmp_path):
    """Membership and facet counts read `KeywordQuery.match`; ranking reads `query`: one match set."""
    from models import thesaurus
    from search_api.backends.embedded.reader import EmbeddedReader
    from search_api.core.ranking import DEFAULT_RANKING

    texts = [
        ("Mobile clinic", "health care for migrants in transit", [3]),
        ("Remesas", "envío de remesas a bajo costo", [20]),
        ("Identity papers", "birth registration for children", [4]),
        ("Guichet unique", "accueil des migrants à la mairie", [15, 16]),
        ("Jobs", "recognition of qualifications of refugees", [18]),
        ("Shelter", "emergency housing", []),
    ]
    backend = EmbeddedBackend(tmp_path, DIM, "test-model")
    stored = []
    for i, (title, description, objectives) in enumerate(texts * 3):
        vector = np.random.default_rng(i).normal(size=DIM).astype(np.float32)
        pledge = Pledge(id=f"r{i}", title=title, description=description, objectives=objectives)
        stored.append(StoredRecord(pledge, vector / np.linalg.norm(vector), f"{i}"))
    backend.upsert(stored)
    reader = EmbeddedReader(backend.store, DEFAULT_RANKING)
    searcher = reader.searcher
    for q in ("health migrants", "remittances", "legal identity", "one-stop centre", "skills recognition", "zzz"):
        query = reader.keyword_query(q, thesaurus.translations(q))
        if query is None:
            continue
        ranked = {a.doc for _, a in searcher.search(query.query, limit=100).hits}
        unscored = {a.doc for _, a in searcher.search(query.match, limit=100).hits}
        assert ranked == unscored, q
    found = reader.keyword_query("remittances", thesaurus.translations("remittances"))
    assert found is not None and searcher.search(found.match, limit=100).count > 0  # labels and translations
