"""The benchmark's synthetic corpus: deterministic, grown from the base records, vectors near theirs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from models.schemas import Pledge
from search_api.bench.corpus import Base, Synthesiser
from search_api.bench.corpus import sentences as split

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "contract_corpus.jsonl"


def base() -> Base:
    records = [Pledge.model_validate(json.loads(line)) for line in CORPUS.read_text().splitlines()]
    vectors = np.random.default_rng(1).normal(size=(len(records), 384)).astype(np.float32)
    return Base(records, vectors / np.linalg.norm(vectors, axis=1, keepdims=True), "fixture")


def test_the_same_seed_gives_the_same_corpus():
    first = [r.pledge for batch in Synthesiser(base()).batches(50, 20) for r in batch]
    again = [r.pledge for batch in Synthesiser(base()).batches(50, 7) for r in batch]
    assert first == again and len(first) == 50 and len({p.id for p in first}) == 50


def test_records_are_marked_synthetic_and_recombine_real_parts():
    source = base()
    real_sentences = {s for p in source.records for s in split(p.description)}
    facts = {tuple(p.objectives) for p in source.records}
    for batch in Synthesiser(source).batches(40, 40):
        for record in batch:
            assert record.pledge.synthetic
            assert tuple(record.pledge.objectives) in facts
            assert set(split(record.pledge.description)) <= real_sentences
            assert abs(float(np.linalg.norm(record.vector)) - 1.0) < 1e-5
            assert (source.vectors @ record.vector).max() > 0.8  # near its original record's vector


def test_the_exact_references_read_the_vectors_the_store_was_given(tmp_path):
    """The bench's exact kNN and recall read the embedded store's own matrix instead of a second copy: it must
    hold every written vector, row for row with its record id."""
    from search_api.bench.stores import make_store

    store = make_store("embedded", 60, tmp_path, 384, "fixture")
    written = [record for batch in Synthesiser(base()).batches(60, 25) for record in batch]
    for start in range(0, 60, 25):
        store.backend.upsert(written[start : start + 25])
    store.open()
    assert store.lent_vectors is not None
    matrix, ids = store.lent_vectors()
    assert sorted(ids) == sorted(r.pledge.id for r in written)
    by_id = {r.pledge.id: r.vector for r in written}
    assert np.allclose(matrix, np.vstack([by_id[i] for i in ids]), atol=1e-6)
    store.backend.close()


def test_filtered_recall_compares_with_the_exact_top_10_of_the_records_that_pass(tmp_path):
    """`pledges bench` reports recall@10 under an objective filter: 1.0 for an engine that is exact, less for one
    that drops the filter (a reader wrapped to ignore it: the fault the measure exists to catch)."""
    from types import SimpleNamespace

    from search_api.bench.measure import ann_recall_filtered
    from search_api.bench.stores import make_store

    store = make_store("embedded", 300, tmp_path, 384, "fixture")
    for batch in Synthesiser(base()).batches(300, 100):
        store.backend.upsert(batch)
    store.open()
    matrix, ids = store.lent_vectors()
    vectors = [matrix[i] + 0.01 for i in (0, 50, 120, 299)]
    objectives = [int(o) for o in {o for r in base().records for o in r.objectives}][:4]
    assert len(objectives) == 4
    exact = SimpleNamespace(backend=store.backend)
    assert ann_recall_filtered(exact, matrix, ids, vectors, objectives) == 1.0

    class FilterDropped:
        def __init__(self, reader):
            self.reader = reader

        def __getattr__(self, name):
            return getattr(self.reader, name)

        def nearest(self, vector, n, floor, filters=None):
            return self.reader.nearest(vector, n, floor, None)

    careless = SimpleNamespace(backend=SimpleNamespace(reader=lambda: FilterDropped(store.backend.reader())))
    assert ann_recall_filtered(careless, matrix, ids, vectors, objectives) < 0.9
    assert ann_recall_filtered(exact, matrix, ids, vectors, objectives, listable=1) is None
    store.backend.close()
