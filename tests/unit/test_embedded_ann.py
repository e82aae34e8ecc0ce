"""The embedded engine's approximate nearest neighbours (an inverted file): same neighbours as exact search,
filters honoured, consistent through upserts, deletes, a saved state, and a writer killed before it could save.

Real stores on disk with 2,000 clustered 32-dimensional vectors (groups of near-duplicates, the hard case for a
graph or for lists); the exact store is the reference each time.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from models.schemas import Filters, SearchRequest
from search_api.backends.embedded import EmbeddedBackend
from search_api.backends.embedded.vectors import VectorOptions, Vectors

REPO = Path(__file__).resolve().parents[2]
DIM = 32
COUNT = 2000
LISTS = VectorOptions(ann_threshold=0, exact_limit=0)  # the lists at any size, filtered searches too
COUNTRIES = ["COL"] * 9 + ["SEN"]  # SEN: a tenth of the records

MAKE = textwrap.dedent(f"""
    import numpy as np
    from models.schemas import Pledge
    from search_api.backends.base import StoredRecord

    def record(i, version=0):
        rng = np.random.default_rng(i % 97)
        centre = rng.normal(size={DIM})
        noise = np.random.default_rng(10_000 + i + version * 100_000).normal(scale=0.3, size={DIM})
        vector = (centre + noise).astype(np.float32)
        countries = [{COUNTRIES!r}[i % 10]]
        pledge = Pledge(id=f"r{{i:05d}}", title=f"Record {{i}} v{{version}}", description="shelter for migrants",
                        countries=countries)
        return StoredRecord(pledge, vector / np.linalg.norm(vector), f"hash{{i}}-{{version}}")
""")
namespace: dict = {}
exec(MAKE, namespace)  # noqa: S102 - the same record maker as the child process below
record = namespace["record"]


def vector_of(i: int) -> np.ndarray:
    return record(i).vector


def store(path: Path, options: VectorOptions | None, count: int = COUNT) -> EmbeddedBackend:
    backend = EmbeddedBackend(path, DIM, "test-model", vector_options=options)
    for start in range(0, count, 500):
        backend.upsert([record(i) for i in range(start, min(count, start + 500))])
    return backend


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[EmbeddedBackend, EmbeddedBackend]:
    exact = store(tmp_path_factory.mktemp("exact"), None)
    lists = store(tmp_path_factory.mktemp("lists"), LISTS)
    return exact, lists


def nearest_ids(backend: EmbeddedBackend, vector: np.ndarray, k: int = 10, filters: Filters | None = None) -> list:
    return [i for i, _ in backend.reader().nearest(vector, k, -1.0, filters)]


def test_the_lists_find_what_exact_search_finds(pair):
    exact, lists = pair
    assert lists.store._vectors.ann is not None and exact.store._vectors.ann is None
    queries = [vector_of(i) + 0.05 for i in range(0, COUNT, 40)]
    overlap = [len(set(nearest_ids(exact, q)) & set(nearest_ids(lists, q))) / 10 for q in queries]
    assert np.mean(overlap) >= 0.98
    hit = lists.search(SearchRequest(q="x", mode="semantic", size=1), vector_of(123))
    assert hit.hits[0].id == "r00123"
    assert hit.hits[0].scores.semantic == pytest.approx(1.0, abs=1e-5)  # rescored exactly, not the lists' 8-bit codes


def test_a_selective_filter_still_gets_k_results(pair):
    exact, lists = pair
    only_sen = Filters(country=["SEN"])
    for i in (3, 500, 1999):
        found = nearest_ids(lists, vector_of(i), 10, only_sen)
        assert len(found) == 10
        assert all(lists.get(r).countries == ["SEN"] for r in found)
        assert len(set(found) & set(nearest_ids(exact, vector_of(i), 10, only_sen))) >= 9
    request = SearchRequest(q="shelter", mode="semantic", size=10, filters=only_sen)
    on_lists, on_exact = lists.search(request, vector_of(7)), exact.search(request, vector_of(7))
    assert [h.id for h in on_lists.hits] == [h.id for h in on_exact.hits] and on_lists.total == on_exact.total
    assert on_lists.hits and {h.countries[0] for h in on_lists.hits} == {"SEN"}


def test_reading_few_lists_still_gives_k_filtered_results(tmp_path):
    """One list read at first: a filter that the nearest lists hardly pass makes the search read more of them."""
    narrow = VectorOptions(ann_threshold=0, exact_limit=0, min_probes=1, probe_share=0.0, min_fetch=20)
    lists = store(tmp_path / "narrow", narrow)
    assert lists.store._vectors.ann.lists > 20
    only_sen = Filters(country=["SEN"])
    for i in (9, 509, 1999):  # SEN records: each is its own nearest
        found = nearest_ids(lists, vector_of(i), 10, only_sen)
        assert len(found) == 10 and found[0] == f"r{i:05d}"
        assert all(lists.get(r).countries == ["SEN"] for r in found)


def test_upserts_and_deletes_reach_the_lists(tmp_path):
    lists = store(tmp_path / "g", LISTS, 600)
    moved = record(5, version=1)  # r00005 gets the vector of another cluster
    moved.vector[:] = vector_of(400)
    lists.upsert([moved])
    assert lists.delete(["r00400"]) == 1
    found = nearest_ids(lists, vector_of(400), 3)
    assert found[0] == "r00005" and "r00400" not in found
    assert nearest_ids(lists, vector_of(5), 600).count("r00005") == 1  # the old version's row is dead


def test_a_saved_state_reopens_and_a_killed_writer_is_reconciled(tmp_path):
    path = tmp_path / "store"
    first = store(path, LISTS, 1000)
    first.close()  # saves the vectors
    assert (path / "vectors" / "CURRENT").exists()
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            MAKE
            + textwrap.dedent(f"""
            import os, signal, sys
            from search_api.backends.embedded import EmbeddedBackend
            from search_api.backends.embedded.vectors import VectorOptions, Vectors
            backend = EmbeddedBackend(sys.argv[1], {DIM}, "test-model",
                                      vector_options=VectorOptions(ann_threshold=0, exact_limit=0))
            backend.reader()  # loads the saved vectors
            backend.upsert([record(i) for i in range(1000, 1200)])
            backend.upsert([record(7, version=1)])
            backend.delete(["r00008"])
            os.kill(os.getpid(), signal.SIGKILL)  # committed, never saved
        """),
            str(path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    reopened = EmbeddedBackend(path, DIM, "test-model", vector_options=LISTS)
    exact = EmbeddedBackend(tmp_path / "exact-copy", DIM, "test-model")
    exact.upsert([record(i) for i in range(1200) if i not in (7, 8)] + [record(7, version=1)])
    assert reopened.count() == 1199
    for i in (8, 7, 1100, 1199, 50):
        assert nearest_ids(reopened, vector_of(i), 5) == nearest_ids(exact, vector_of(i), 5)
    assert "r00008" not in nearest_ids(reopened, vector_of(8), 50)
    assert reopened.store._vectors.live == 1199


def test_a_state_saved_with_other_settings_keeps_its_rows_and_saves_new_lists(tmp_path, monkeypatch):
    """Changing PLEDGES_ANN_DTYPE (or opening a state of the older graph format) re-learns the lists only: the
    index's million documents are not read again, and the new lists are saved for the next process at once."""
    path = tmp_path / "store"
    store(path, LISTS, 600).close()
    read_back: list[int] = []
    apply = Vectors.apply
    monkeypatch.setattr(
        Vectors, "apply", lambda self, removed, added: (read_back.append(len(added)), apply(self, removed, added))[1]
    )
    f16 = VectorOptions(ann_threshold=0, exact_limit=0, ann_dtype="f16")
    reopened = EmbeddedBackend(path, DIM, "test-model", vector_options=f16)
    assert nearest_ids(reopened, vector_of(42), 1) == ["r00042"]
    assert sum(read_back) == 0  # no document read back from the index
    current = (path / "vectors" / (path / "vectors" / "CURRENT").read_text().strip() / "state.json").read_text()
    assert json.loads(current)["options"]["ann_dtype"] == "f16"


def test_the_lists_library_and_the_query_encoder_live_in_one_process():
    """faiss beside onnxruntime and torch, faiss loaded first (usearch loaded first crashed onnxruntime's import)."""
    script = textwrap.dedent("""
        import numpy as np
        from search_api.backends.embedded.clusters import Clusters
        matrix = np.eye(40, 4, dtype=np.float32) + np.arange(40, dtype=np.float32)[:, None] / 100
        lists = Clusters.build(np.arange(40), matrix / np.linalg.norm(matrix, axis=1, keepdims=True), "i8")
        import onnxruntime
        import torch
        print(int(lists.search(matrix[1], 1, 1, None)[0]), onnxruntime.get_device(), torch.ones(1).item())
    """)
    child = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["1", "CPU", "1.0"]
