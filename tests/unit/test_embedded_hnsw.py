"""The embedded engine's HNSW graph: same neighbours as exact search, filters honoured, consistent through
upserts, deletes, a saved state, and a writer killed before it could save.

Real stores on disk with 2,000 clustered 32-dimensional vectors (groups of near-duplicates, the hard case for a
graph); the exact store is the reference each time.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from models.schemas import Filters, SearchRequest
from search_api.backends.embedded import EmbeddedBackend
from search_api.backends.embedded.vectors import VectorOptions

REPO = Path(__file__).resolve().parents[2]
DIM = 32
COUNT = 2000
GRAPH = VectorOptions(ann_threshold=0, exact_limit=0)  # the graph at any size, filtered searches too
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
    graph = store(tmp_path_factory.mktemp("graph"), GRAPH)
    return exact, graph


def nearest_ids(backend: EmbeddedBackend, vector: np.ndarray, k: int = 10, filters: Filters | None = None) -> list:
    return [i for i, _ in backend.reader().nearest(vector, k, -1.0, filters)]


def test_the_graph_finds_what_exact_search_finds(pair):
    exact, graph = pair
    assert graph.store._vectors.ann is not None and exact.store._vectors.ann is None
    queries = [vector_of(i) + 0.05 for i in range(0, COUNT, 40)]
    overlap = [len(set(nearest_ids(exact, q)) & set(nearest_ids(graph, q))) / 10 for q in queries]
    assert np.mean(overlap) >= 0.98
    hit = graph.search(SearchRequest(q="x", mode="semantic", size=1), vector_of(123))
    assert hit.hits[0].id == "r00123"
    assert hit.hits[0].scores.semantic == pytest.approx(1.0, abs=1e-5)  # rescored exactly, not the int8 graph's


def test_a_selective_filter_still_gets_k_results(pair):
    exact, graph = pair
    only_sen = Filters(country=["SEN"])
    for i in (3, 500, 1999):
        found = nearest_ids(graph, vector_of(i), 10, only_sen)
        assert len(found) == 10
        assert all(graph.get(r).countries == ["SEN"] for r in found)
        assert len(set(found) & set(nearest_ids(exact, vector_of(i), 10, only_sen))) >= 9
    request = SearchRequest(q="shelter", mode="semantic", size=10, filters=only_sen)
    on_graph, on_exact = graph.search(request, vector_of(7)), exact.search(request, vector_of(7))
    assert [h.id for h in on_graph.hits] == [h.id for h in on_exact.hits] and on_graph.total == on_exact.total
    assert on_graph.hits and {h.countries[0] for h in on_graph.hits} == {"SEN"}


def test_upserts_and_deletes_reach_the_graph(tmp_path):
    graph = store(tmp_path / "g", GRAPH, 600)
    moved = record(5, version=1)  # r00005 gets the vector of another cluster
    moved.vector[:] = vector_of(400)
    graph.upsert([moved])
    assert graph.delete(["r00400"]) == 1
    found = nearest_ids(graph, vector_of(400), 3)
    assert found[0] == "r00005" and "r00400" not in found
    assert nearest_ids(graph, vector_of(5), 600).count("r00005") == 1  # the old version's row is dead


def test_a_saved_state_reopens_and_a_killed_writer_is_reconciled(tmp_path):
    path = tmp_path / "store"
    first = store(path, GRAPH, 1000)
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
            from search_api.backends.embedded.vectors import VectorOptions
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
    reopened = EmbeddedBackend(path, DIM, "test-model", vector_options=GRAPH)
    exact = EmbeddedBackend(tmp_path / "exact-copy", DIM, "test-model")
    exact.upsert([record(i) for i in range(1200) if i not in (7, 8)] + [record(7, version=1)])
    assert reopened.count() == 1199
    for i in (8, 7, 1100, 1199, 50):
        assert nearest_ids(reopened, vector_of(i), 5) == nearest_ids(exact, vector_of(i), 5)
    assert "r00008" not in nearest_ids(reopened, vector_of(8), 50)
    assert reopened.store._vectors.live == 1199


def test_the_graph_library_and_the_query_encoder_live_in_one_process():
    """usearch loaded first used to crash onnxruntime's import (segfault): the store loads them in a safe order."""
    script = textwrap.dedent("""
        import numpy as np
        from search_api.backends.embedded.vectors import graph_index_class
        index = graph_index_class()(ndim=4, metric="cos", dtype="i8")
        index.add(np.arange(3, dtype=np.uint64), np.eye(3, 4, dtype=np.float32))
        import onnxruntime
        print(int(index.search(np.eye(3, 4, dtype=np.float32)[1], 1).keys[0]), onnxruntime.get_device())
    """)
    child = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["1", "CPU"]
