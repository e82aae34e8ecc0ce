"""Time indexing and every kind of query on one synthetic corpus, with the references measured alongside.

References, on the same vectors and texts, in the same process: exact numpy brute-force kNN (matrix product
and partial sort), bm25s (English stemmer and stop words) for the keyword leg, and one raw
sentence-transformers encode call for a query. Latencies are wall-clock per call, in milliseconds.
"""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from models.schemas import Filters, SearchRequest
from search_api.bench.corpus import Synthesiser
from search_api.core.reader import Match

KNN_K = 10


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95, p99 and mean of samples given in seconds, in milliseconds."""
    ms = np.asarray(samples) * 1000
    return {
        "p50": float(np.percentile(ms, 50)),
        "p95": float(np.percentile(ms, 95)),
        "p99": float(np.percentile(ms, 99)),
        "mean": float(ms.mean()),
        "n": len(samples),
    }


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (sizes run in ascending order, so: of the largest yet)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clear_query_cache() -> None:
    """Forget cached query vectors, so every timed semantic or hybrid query pays for its embedding."""
    from models.embedder import _cached_query

    _cached_query.cache_clear()


def bench_size(
    count: int,
    synth: Synthesiser,
    embedder,
    queries: list[str],
    workdir: Path,
    batch_size: int,
    model_name: str,
    engine: str = "embedded",
    opensearch_url: str | None = None,
) -> dict[str, Any]:
    """Index `count` synthetic records into a fresh store of `engine` and time everything on it."""
    from search_api.bench.stores import make_store, timed
    from search_api.service import SearchService

    store = make_store(engine, count, workdir, synth.base.vectors.shape[1], model_name, opensearch_url)
    backend = store.backend
    texts: list[str] = []
    ids: list[str] = []
    own = store.lent_vectors is None  # the references read the store's own matrix when it lends one
    matrix = np.empty((count if own else 0, synth.base.vectors.shape[1]), dtype=np.float32)
    write_s = 0.0
    started = time.perf_counter()
    keep_texts = count <= BM25_LIMIT
    for batch in synth.batches(count, batch_size):
        if keep_texts:
            texts += [f"{r.pledge.title}\n{r.pledge.description}" for r in batch]
        ids += [r.pledge.id for r in batch]
        if own:
            matrix[len(ids) - len(batch) : len(ids)] = np.vstack([r.vector for r in batch])
        t0 = time.perf_counter()
        backend.upsert(batch)
        write_s += time.perf_counter() - t0
    build_s = time.perf_counter() - started - write_s
    load_s = timed(store.open)
    service = SearchService(backend=backend, embedder=embedder)
    for q in ("warm up", "migrants", ""):  # first-call costs (labels, analysers) are not per-query costs
        service.search(SearchRequest(q=q))
    for q in queries:  # runtimes prepare kernels per input length on first sight: slow once, not per query
        embedder.encode_query(q)
    clear_query_cache()
    store_rss_mb = peak_rss_mb()  # the store built, opened and searched once; before the references' own data
    if store.lent_vectors is not None:  # no second copy of a million vectors (1.5 GB) beside the store's
        matrix, ids = store.lent_vectors()
    query_vectors = [embedder.encode_query(q) for q in queries]
    recall = ann_recall(service, matrix, ids, query_vectors)
    rng = np.random.default_rng(count)
    sample_ids = [ids[i] for i in rng.choice(len(ids), size=min(len(queries), len(ids)), replace=False)]
    objectives = [int(v) for v in rng.integers(1, 24, size=len(queries))]
    listable = OPENSEARCH_WINDOW if engine == "opensearch" else None
    filtered_recall = ann_recall_filtered(service, matrix, ids, query_vectors, objectives, listable)

    def search(q: str, mode: str, facets: bool = True, **filters) -> Callable[[], Any]:
        request = SearchRequest(q=q, mode=mode, facets=facets, filters=Filters(**filters))
        return lambda: service.search(request)

    def facets(objective: int) -> Callable[[], Any]:
        return lambda: service.facets(Filters(objective=[objective]))

    def similar(pledge_id: str) -> Callable[[], Any]:
        return lambda: service.similar(pledge_id, k=10)

    def first_of_its_query() -> None:  # the plans share queries: none may find another's results cached
        clear_query_cache()
        store.forget()

    plans: dict[str, tuple[list[Callable[[], Any]], Callable[[], None] | None]] = {
        "keyword": ([search(q, "keyword") for q in queries], first_of_its_query),
        "semantic": ([search(q, "semantic") for q in queries], first_of_its_query),
        "hybrid": ([search(q, "hybrid") for q in queries], first_of_its_query),
        "hybrid, no facets": ([search(q, "hybrid", facets=False) for q in queries], first_of_its_query),
        "hybrid + filter": (
            [search(q, "hybrid", objective=[o]) for q, o in zip(queries, objectives, strict=True)],
            first_of_its_query,
        ),
        "facets alone": ([facets(o) for o in objectives], first_of_its_query),
        "similar": ([similar(i) for i in sample_ids], first_of_its_query),
        **reference_plans(matrix, texts, queries, embedder),
    }
    timings = interleaved(plans)
    refs = {name: timings.pop(name) for name in REFERENCES if name in timings}
    refs["bm25s_build_s"] = BM25_BUILD_S[-1] if "bm25s" in refs else None
    ops = timings
    result = {
        "engine": engine,
        "docs": count,
        "build_s": build_s,
        "write_s": write_s,
        "write_per_s": count / write_s,
        "load_s": load_s,
        "store_mb": store.size_mb(),
        "peak_rss_mb": peak_rss_mb(),
        "store_rss_mb": store_rss_mb,
        "vectors": {**store.vectors(), "recall_at_10": recall, "recall_at_10_filtered": filtered_recall},
        "memory": store.memory(),
        "batch_size": batch_size,
        "ops": ops,
        "references": refs,
    }
    backend.close()
    store.drop()
    del matrix, texts
    gc.collect()
    return result


REFERENCES = ("encode", "knn", "bm25s")
OPENSEARCH_WINDOW = 10_000  # index.max_result_window: the most records one OpenSearch search lists
BM25_BUILD_S: list[float] = []
BM25_LIMIT = 200_000  # bm25s is the keyword reference up to this size (past it, it measures the bench's memory)


def ann_recall(service, matrix: np.ndarray, ids: list[str], vectors: list[np.ndarray]) -> float:
    """Mean share of the exact top 10 (numpy over the bench's own copy) that the engine's nearest returns."""
    reader = service.backend.reader()
    shares = []
    for vector in vectors:
        sims = matrix @ vector
        truth = {ids[i] for i in np.argpartition(-sims, KNN_K)[:KNN_K]}
        found = {i for i, _ in reader.nearest(vector, KNN_K, -1.0)}
        shares.append(len(truth & found) / KNN_K)
    return float(np.mean(shares))


def ann_recall_filtered(
    service,
    matrix: np.ndarray,
    ids: list[str],
    vectors: list[np.ndarray],
    objectives: list[int],
    listable: int | None = None,
) -> float | None:
    """The same share under an objective filter (each query with its objective of the "hybrid + filter" plan):
    the exact top 10 among the records that pass, against the engine's nearest under the filter. None when a
    filter passes more records than the engine lists at once (`listable`: OpenSearch's result window)."""
    reader = service.backend.reader()
    row_of = {record_id: row for row, record_id in enumerate(ids)}
    passing: dict[int, np.ndarray] = {}
    shares = []
    for vector, objective in zip(vectors, objectives, strict=True):
        filters = Filters(objective=[objective])
        if objective not in passing:
            _, total = reader.sorted_ids(Match(everything=True), filters, "title", 1)
            if listable is not None and total > listable:
                return None
            found, _ = reader.sorted_ids(Match(everything=True), filters, "title", max(total, 1))
            passing[objective] = np.asarray(sorted(row_of[i] for i in found if i in row_of), dtype=np.int64)
        rows = passing[objective]
        if len(rows) == 0:
            continue
        sims = matrix[rows] @ vector
        truth = {ids[rows[i]] for i in np.argsort(-sims)[:KNN_K]}
        got = {i for i, _ in reader.nearest(vector, KNN_K, -1.0, filters)}
        shares.append(len(truth & got) / len(truth))
    return float(np.mean(shares)) if shares else None


def interleaved(plans: dict[str, tuple[list[Callable[[], Any]], Callable[[], None] | None]]):
    """Time the i-th call of every plan in turn, then the (i+1)-th: a machine whose load drifts during the
    run weighs on every operation alike, so ratios between them stay fair."""
    samples: dict[str, list[float]] = {name: [] for name in plans}
    for i in range(max(len(calls) for calls, _ in plans.values())):
        for name, (calls, before) in plans.items():
            if i >= len(calls):
                continue
            if before:
                before()
            started = time.perf_counter()
            calls[i]()
            samples[name].append(time.perf_counter() - started)
    return {name: percentiles(values) for name, values in samples.items()}


def reference_plans(matrix: np.ndarray, texts: list[str], queries: list[str], embedder):
    """The floor for each leg on the same data: one raw encode, brute-force kNN, bm25s (built here)."""
    import bm25s
    import Stemmer

    vectors = [embedder.encode_query(q) for q in queries]

    def encode(q: str) -> None:
        clear_query_cache()
        embedder.encode_query(q)

    def knn(vector: np.ndarray) -> np.ndarray:
        sims = matrix @ vector
        top = np.argpartition(-sims, KNN_K)[:KNN_K]
        return top[np.argsort(-sims[top])]

    plans = {
        "encode": ([(lambda q=q: encode(q)) for q in queries], None),
        "knn": ([(lambda v=v: knn(v)) for v in vectors], None),
    }
    if not texts:
        return plans
    stemmer = Stemmer.Stemmer("english")
    t0 = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    BM25_BUILD_S.append(time.perf_counter() - t0)
    tokenized = [bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False) for q in queries]
    return {
        **plans,
        "bm25s": (
            [(lambda t=t: retriever.retrieve(t, k=KNN_K, show_progress=False, n_threads=1)) for t in tokenized],
            None,
        ),
    }


def embedding_rate(embedder, texts: list[str]) -> dict[str, float]:
    """Records per second the model embeds (chunked, as indexing does), on real texts, cache bypassed."""
    embedder.encode_documents(texts[:2])  # loading is not embedding
    started = time.perf_counter()
    embedder.encode_documents(texts)
    seconds = time.perf_counter() - started
    return {"texts": len(texts), "seconds": seconds, "per_s": len(texts) / seconds}
