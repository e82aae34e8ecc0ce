"""The store a benchmark fills, for either engine: how to make it, open it for reading, size it on disk, read
the engine's own memory (OpenSearch: the node's resident memory and JVM heap), and drop it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from search_api.backends.base import SearchBackend

BENCH_ALIAS = "pledges-bench"


@dataclass
class BenchStore:
    """A fresh store of one engine for one corpus size."""

    engine: str
    backend: SearchBackend
    open: Callable[[], Any]  # make every write readable; timed as "open s"
    size_mb: Callable[[], float]
    memory: Callable[[], dict[str, float | None]] = field(default=lambda: {})
    vectors: Callable[[], dict[str, Any]] = field(default=lambda: {})  # how nearest neighbours are searched
    drop: Callable[[], None] = field(default=lambda: None)
    forget: Callable[[], None] = field(default=lambda: None)  # what one query left in the engine's caches
    # the engine's own float32 vectors and their record ids, once written, for the exact references: None when
    # it keeps none in this process (the bench then keeps a copy of its own while it writes)
    lent_vectors: Callable[[], tuple[np.ndarray, list[str]]] | None = None


def folder_bytes(path: Path) -> int:
    """Size on disk of every file under a folder."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def make_store(
    engine: str, count: int, workdir: Path, dimension: int, model_name: str, opensearch_url: str | None = None
) -> BenchStore:
    """An empty store: the embedded engine in `workdir`, or an OpenSearch index `pledges-bench-<count>`."""
    if engine == "embedded":
        import shutil

        from models.settings import get_settings
        from search_api.backends.factory import embedded_backend

        path = workdir / f"store-{count}"
        shutil.rmtree(path, ignore_errors=True)
        embedded = embedded_backend(path, get_settings(), dimension, model_name)
        options = embedded.store.vector_options

        def vectors() -> dict[str, Any]:
            held = embedded.store.vector_memory()
            lists = count >= options.ann_threshold
            return {
                "search": f"IVF {options.ann_dtype} + {options.matrix_dtype} rescoring" if lists else "exact",
                "matrix_mb": held.get("matrix", 0) / 2**20,
                "lists_mb": held.get("lists", 0) / 2**20,
            }

        def lent_vectors() -> tuple[np.ndarray, list[str]]:
            _, snap = embedded.store.snapshot()
            live = np.flatnonzero(snap.alive)
            if len(live) == snap.count:  # a fresh store: every row, no copy
                return snap.matrix, list(snap.ids)
            return snap.matrix[live], [snap.ids[r] for r in live]

        return BenchStore(
            engine,
            embedded,
            open=lambda: embedded.store.snapshot(),
            vectors=vectors,
            size_mb=lambda: folder_bytes(path) / 2**20,
            drop=lambda: shutil.rmtree(path, ignore_errors=True),
            forget=embedded.store.forget_query_results,
            lent_vectors=lent_vectors if options.matrix_dtype == "float32" else None,
        )
    if engine == "opensearch":
        if not opensearch_url:
            raise ValueError("bench --backend opensearch needs PLEDGES_OPENSEARCH_URL")
        from search_api.backends.opensearch.backend import OpenSearchBackend
        from search_api.backends.opensearch.testing import drop_index

        alias = f"{BENCH_ALIAS}-{count}"
        drop_index(opensearch_url, alias)
        backend = OpenSearchBackend(opensearch_url, alias, dimension, model_name, timeout=60.0)
        return BenchStore(
            engine,
            backend,
            open=backend.refresh,
            size_mb=lambda: _index_mb(backend),
            memory=lambda: node_memory(backend.client),
            drop=lambda: drop_index(opensearch_url, alias),
        )
    raise ValueError(f"unknown engine {engine!r}")


def _index_mb(backend: Any) -> float:
    """The index's size on disk, primaries and replicas, after a flush (the translog is not the index)."""
    backend.client.indices.flush(index=backend.index_name, request_timeout=120)
    stats = backend.client.indices.stats(index=backend.index_name, metric="store")
    return float(stats["_all"]["total"]["store"]["size_in_bytes"]) / 2**20


def node_memory(client: Any) -> dict[str, float | None]:
    """Every node's JVM heap (used, max) summed, and, for nodes on this machine, their resident memory now and
    at its peak (/proc/<pid>/status VmRSS and VmHWM; None for a node elsewhere)."""
    stats = client.nodes.stats(metric="jvm")["nodes"].values()
    pids = [int(n["process"]["id"]) for n in client.nodes.info(metric="process")["nodes"].values()]
    rss, peak = _proc_kb(pids, "VmRSS"), _proc_kb(pids, "VmHWM")
    return {
        "heap_used_mb": sum(n["jvm"]["mem"]["heap_used_in_bytes"] for n in stats) / 2**20,
        "heap_max_mb": sum(n["jvm"]["mem"]["heap_max_in_bytes"] for n in stats) / 2**20,
        "engine_rss_mb": rss / 1024 if rss is not None else None,
        "engine_peak_rss_mb": peak / 1024 if peak is not None else None,
    }


def _proc_kb(pids: list[int], key: str) -> float | None:
    total = 0.0
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            return None
        total += next((float(line.split()[1]) for line in lines if line.startswith(f"{key}:")), 0.0)
    return total


def timed(call: Callable[[], Any]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started
