"""A reader's vectors catch up with another writer's commits: replacements, additions and deletions, alone
and together (a deletion balanced by an addition leaves the record count unchanged), and across a reopen.

The reader reads only the documents written since the commits its rows have seen, and lists every key of
the index when the counts say records were deleted; either way its rows must equal the index's records."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.schemas import Pledge
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend
from search_api.backends.embedded.store import EmbeddedStore

DIM = 8


def record(i: int, version: str = "") -> StoredRecord:
    pledge = Pledge(id=f"r{i:03d}", title=f"Record {i}{version}", description=f"shelter {i}", countries=["COL"])
    seed = i if not version else 1000 + i
    vector = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return StoredRecord(pledge, vector / np.linalg.norm(vector), f"hash{i}{version}")


def rows(store: EmbeddedStore) -> dict[str, np.ndarray]:
    """The live rows a search would read: id -> vector."""
    _, snap = store.snapshot()
    return {snap.id_at(r): snap.vectors.matrix[r].copy() for r in np.flatnonzero(snap.alive).tolist()}


def stored(store: EmbeddedStore) -> dict[str, np.ndarray]:
    """What the index holds: id -> stored vector."""
    ids = list(rows(store))  # candidates; the index decides which exist
    held = {}
    for record_id in {*ids, *(f"r{i:03d}" for i in range(60))}:
        vector = store.get_vector(record_id)
        if vector is not None:
            held[record_id] = vector
    return held


def same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_a_reader_catches_up_with_replacements_additions_and_deletions(tmp_path: Path) -> None:
    path = tmp_path / "store"
    reader = EmbeddedBackend(path, DIM, "test-model")
    reader.upsert([record(i) for i in range(20)])
    assert len(rows(reader.store)) == 20

    writer = EmbeddedBackend(path, DIM, "test-model")
    writer.upsert([record(3, "b"), record(4, "b")] + [record(i) for i in range(20, 24)])
    seen = rows(reader.store)
    assert same(seen, stored(writer.store)) and len(seen) == 24
    assert np.array_equal(seen["r003"], record(3, "b").vector)  # the replaced version, not the old one

    writer.delete(["r005", "r006"])
    seen = rows(reader.store)
    assert same(seen, stored(writer.store)) and "r005" not in seen and len(seen) == 22

    writer.delete(["r007"])  # a deletion and an addition: the record count is what it was
    writer.upsert([record(40)])
    seen = rows(reader.store)
    assert same(seen, stored(writer.store)) and "r007" not in seen and "r040" in seen and len(seen) == 22
    writer.close()
    reader.close()


def test_a_reopened_reader_catches_up_with_what_was_written_after_its_saved_state(tmp_path: Path) -> None:
    path = tmp_path / "store"
    first = EmbeddedBackend(path, DIM, "test-model")
    first.upsert([record(i) for i in range(30)])
    first.close()  # saves the rows and the newest commit they hold

    writer = EmbeddedBackend(path, DIM, "test-model")
    writer.upsert([record(2, "b"), record(31)])
    writer.delete(["r010"])
    writer.store._vectors = None  # this writer leaves no newer saved state behind
    reopened = EmbeddedBackend(path, DIM, "test-model")
    seen = rows(reopened.store)
    assert same(seen, stored(reopened.store)) and len(seen) == 30
    assert "r010" not in seen and np.array_equal(seen["r002"], record(2, "b").vector)
    reopened.close()
