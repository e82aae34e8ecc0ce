"""The embedded store across processes: a writer killed mid-run, and readers served while a writer works.

Real processes and a real on-disk store; the child writers stop at a chosen commit through the store's
`_commit` step (patched in the child only), so nothing depends on timing.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from models.schemas import Pledge, SearchRequest
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend

REPO = Path(__file__).resolve().parents[2]
DIM = 8

CHILD_PRELUDE = textwrap.dedent(f"""
    import os, signal, sys
    import numpy as np
    from models.schemas import Pledge
    from search_api.backends.base import StoredRecord
    from search_api.backends.embedded import EmbeddedBackend
    from search_api.backends.embedded.store import EmbeddedStore

    def record(i):
        pledge = Pledge(id=f"r{{i:03d}}", title=f"Record {{i}}",
                        description=f"word{{i}} shelter for migrants", countries=["COL"],
                        objectives=[1 + i % 23])
        vector = np.random.default_rng(i).normal(size={DIM}).astype(np.float32)
        return StoredRecord(pledge, vector / np.linalg.norm(vector), f"hash{{i}}")

    backend = EmbeddedBackend(sys.argv[1], {DIM}, "test-model")
    original = EmbeddedStore._commit
""")


def record(i: int) -> StoredRecord:
    """Same records as the children write."""
    pledge = Pledge(
        id=f"r{i:03d}",
        title=f"Record {i}",
        description=f"word{i} shelter for migrants",
        countries=["COL"],
        objectives=[1 + i % 23],
    )
    vector = np.random.default_rng(i).normal(size=DIM).astype(np.float32)
    return StoredRecord(pledge, vector / np.linalg.norm(vector), f"hash{i}")


def run_child(body: str, store: Path, **kwargs) -> subprocess.Popen:
    script = CHILD_PRELUDE + textwrap.dedent(body)
    return subprocess.Popen(
        [sys.executable, "-c", script, str(store)],
        cwd=REPO,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def test_a_writer_killed_mid_run_leaves_the_committed_batches(tmp_path):
    store = tmp_path / "store"
    child = run_child(
        """
        commits = 0
        def dying_commit(self, writer):
            global commits
            if commits == 3:  # batch 4 is written but not committed
                os.kill(os.getpid(), signal.SIGKILL)
            original(self, writer)
            commits += 1
        EmbeddedStore._commit = dying_commit
        for batch in range(6):
            backend.upsert([record(batch * 10 + i) for i in range(10)])
    """,
        store,
    )
    _, err = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, err

    backend = EmbeddedBackend(store, DIM, "test-model")
    assert backend.count() == 30
    assert backend.get("r029") is not None and backend.get("r030") is None
    np.testing.assert_allclose(backend.get_vector("r029"), record(29).vector, rtol=1e-6)
    keyword = backend.search(SearchRequest(q="shelter", mode="keyword", size=100), None)
    assert keyword.total == 30
    semantic = backend.search(SearchRequest(q="x", mode="semantic", size=1), record(12).vector)
    assert semantic.hits[0].id == "r012"
    facets = {v.value: v.count for f in keyword.facets if f.name == "country" for v in f.values}
    assert facets == {"COL": 30}
    backend.upsert([record(30)])  # the dead writer's lock is gone
    assert backend.count() == 31


def test_readers_keep_serving_while_another_process_writes_and_then_see_its_commit(tmp_path):
    store = tmp_path / "store"
    reader = EmbeddedBackend(store, DIM, "test-model")
    reader.upsert([record(i) for i in range(10)])
    semantic_before = reader.search(SearchRequest(q="x", mode="semantic", size=1), record(50).vector)
    assert semantic_before.hits[0].id != "r050"

    child = run_child(
        """
        def waiting_commit(self, writer):
            print("holding", flush=True)
            sys.stdin.readline()
            original(self, writer)
            print("committed", flush=True)
        EmbeddedStore._commit = waiting_commit
        backend.upsert([record(50 + i) for i in range(5)])
    """,
        store,
    )
    try:
        assert child.stdout.readline().strip() == "holding"
        # the writer holds tantivy's lock with 5 records added: readers answer from the last commit
        assert reader.count() == 10
        assert reader.search(SearchRequest(q="shelter", mode="hybrid"), record(50).vector).total == 10
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "committed"
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
    assert reader.count() == 15
    assert reader.get("r052").title == "Record 52"
    semantic_after = reader.search(SearchRequest(q="x", mode="semantic", size=1), record(50).vector)
    assert semantic_after.hits[0].id == "r050"
    assert reader.search(SearchRequest(q="word53", mode="keyword"), None).hits[0].id == "r053"


def test_a_store_opened_with_another_model_is_refused(tmp_path):
    from search_api.backends.base import StoreMismatch

    EmbeddedBackend(tmp_path, DIM, "test-model").upsert([record(1)])
    with pytest.raises(StoreMismatch, match="test-model"):
        EmbeddedBackend(tmp_path, DIM, "another-model")
    with pytest.raises(StoreMismatch, match="16"):
        EmbeddedBackend(tmp_path, 16, "test-model")
