"""Each record's objectives as the objective leg reads them (declared, else the nearest objective centroids)
follow every change of the embedded store: its own writes, another writer's, deletes, a reopen from the saved
vectors, and a saved state from before the vector rows kept each record's declared objectives.

The reference is `crosslingual.infer_objectives` over the stored records and vectors, the rule both engines
share; the store keeps the declared objectives per vector row instead of reading them per generation."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.schemas import Pledge
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend
from search_api.backends.embedded.reader import EmbeddedReader
from search_api.core.crosslingual import infer_objectives
from search_api.core.ranking import RankingParams

DIM = 8
PARAMS = RankingParams()


def record(i: int, objectives: list[int] | None = None, version: str = "") -> StoredRecord:
    """Two of three records declare objectives; the others get theirs inferred."""
    declared = objectives if objectives is not None else ([1 + i % 5, 7] if i % 3 else [])
    pledge = Pledge(
        id=f"r{i:03d}", title=f"Record {i}{version}", description=f"shelter {i}", countries=["COL"], objectives=declared
    )
    vector = np.random.default_rng(i).normal(size=DIM).astype(np.float32)
    return StoredRecord(pledge, vector / np.linalg.norm(vector), f"hash{i}{version}")


def read(backend: EmbeddedBackend) -> dict[str, list[int]]:
    """Every live record's objectives as the objective leg gets them."""
    reader = EmbeddedReader(backend.store, PARAMS)
    every = [reader.snap.id_at(row) for row in np.flatnonzero(reader.snap.alive)]
    return {i: list(v) for i, v in reader.record_objectives(every).items()}


def reference(backend: EmbeddedBackend) -> dict[str, list[int]]:
    """The shared rule over what the store holds: declared objectives, else the nearest centroids."""
    ids = sorted(read(backend))
    records = backend.store.get_many(ids)
    vectors = [backend.store.get_vector(i) for i in ids]
    matrix = np.stack([v for v in vectors if v is not None])
    declared = [records[i].objectives for i in ids]
    return dict(zip(ids, infer_objectives(matrix, declared, PARAMS.inferred_objectives), strict=True))


def test_declared_and_inferred_objectives_follow_this_process_writes_and_deletes(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "store", DIM, "test-model")
    backend.upsert([record(i) for i in range(30)])
    first = read(backend)
    assert first == reference(backend)
    assert first["r001"] == [2, 7] and len(first["r003"]) == PARAMS.inferred_objectives

    backend.upsert([record(1, [12], "b"), record(2, [], "b"), record(3, [4, 19], "b")])
    backend.delete(["r004", "r005"])
    after = read(backend)
    assert after == reference(backend)
    assert after["r001"] == [12] and after["r003"] == [4, 19]
    assert len(after["r002"]) == PARAMS.inferred_objectives  # it declares none any more: inferred
    assert "r004" not in after and len(after) == 28
    backend.close()


def test_another_writer_and_a_reopen_give_the_same_objectives(tmp_path: Path) -> None:
    path = tmp_path / "store"
    reader = EmbeddedBackend(path, DIM, "test-model")
    reader.upsert([record(i) for i in range(20)])
    assert read(reader) == reference(reader)

    writer = EmbeddedBackend(path, DIM, "test-model")  # another writer: the reader catches up by key
    writer.upsert([record(i) for i in range(20, 26)] + [record(6, [15], "b")])
    writer.close()
    reader.store.index.reload()
    seen = read(reader)
    assert seen == reference(reader) and seen["r006"] == [15] and seen["r022"] == [3, 7]
    reader.close()

    reopened = EmbeddedBackend(path, DIM, "test-model")  # rows and their objectives from the saved state
    assert read(reopened) == seen
    reopened.close()


def test_a_saved_state_without_the_objectives_reads_them_from_the_index_once(tmp_path: Path) -> None:
    path = tmp_path / "store"
    backend = EmbeddedBackend(path, DIM, "test-model")
    backend.upsert([record(i) for i in range(25)])
    expected = read(backend)
    backend.close()
    saved = list(path.rglob("objectives.npy"))
    assert saved
    for file in saved:  # as a store saved by the previous version left it
        file.unlink()

    upgraded = EmbeddedBackend(path, DIM, "test-model")
    assert read(upgraded) == expected == reference(upgraded)
    upgraded.close()
    assert list(path.rglob("objectives.npy"))  # saved again with them
