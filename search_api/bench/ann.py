"""Choose the approximate-neighbour library by measurement: faiss IVF (the store's `Clusters`, as configured by
default), usearch and hnswlib graphs on the benchmark's vectors. usearch and hnswlib are not dependencies of the
project: `pip install usearch==2.26.6 hnswlib==0.8.0` to compare them.

The vectors are those `pledges bench` stores (each a real record's vector plus noise, so the corpus is 478
tight clusters: a hard case for a graph index, as a cluster's points are all about as far from each other);
queries are the dev queries' own vectors and noisy record vectors. Reported per library and storage type:
build seconds, index bytes, one-query p50/p95 ms (one thread), and recall@10 against exact cosine.

    python -m search_api.bench.ann --docs 100000
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import numpy as np
import typer

from search_api.bench.corpus import NOISE_SIGMA

K = 10


def grow(base: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """`count` vectors: base vectors picked at random plus Gaussian noise, re-normalised (as the bench does)."""
    rng = np.random.default_rng(seed)
    out = np.empty((count, base.shape[1]), dtype=np.float32)
    for start in range(0, count, 100_000):
        stop = min(count, start + 100_000)
        rows = base[rng.integers(0, len(base), stop - start)]
        rows = rows + rng.normal(0.0, NOISE_SIGMA, rows.shape).astype(np.float32)
        out[start:stop] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out


def base_vectors() -> tuple[np.ndarray, np.ndarray]:
    """The base records' vectors (as the bench embeds them) and the dev queries' vectors."""
    from indexer.embedding_cache import CachedEmbedder
    from models.embedder import Embedder
    from models.settings import Settings
    from search_api.bench.corpus import load_base
    from search_api.service import embedding_cache_path

    settings = Settings()
    embedder = Embedder(settings.embedding_model, runtime=settings.embedding_backend)
    cached = CachedEmbedder(embedder, embedding_cache_path(settings))
    base = load_base(cached).vectors
    cached.close()
    path = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev_queries.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text().splitlines()] if path.exists() else []
    return base, np.vstack([embedder.encode_query(t) for t in texts]) if texts else np.zeros((0, base.shape[1]))


def exact(matrix: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """The true top-K rows per query."""
    sims = queries @ matrix.T
    top = np.argpartition(-sims, K, axis=1)[:, :K]
    return np.take_along_axis(top, np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1), axis=1)


def recall(found: list[np.ndarray], truth: np.ndarray) -> float:
    """Mean share of the true top-K found."""
    return float(np.mean([len(set(f[:K].tolist()) & set(t.tolist())) / K for f, t in zip(found, truth, strict=True)]))


def timed_queries(search, queries: np.ndarray, matrix: np.ndarray, fetch: int) -> tuple[list[np.ndarray], list[float]]:
    """Each query's result (its `fetch` candidates rescored exactly when fetch > K) and its latency in ms."""
    results, times = [], []
    for q in queries:
        t0 = time.perf_counter()
        found = np.asarray(search(q), dtype=np.int64)
        if fetch > K:
            found = found[np.argsort(-(matrix[found] @ q))[:K]]
        results.append(found)
        times.append((time.perf_counter() - t0) * 1000)
    return results, times


def run_usearch(matrix: np.ndarray, queries: np.ndarray, dtype: str, ef: int, fetch: int) -> dict:
    from usearch.index import Index

    index = Index(
        ndim=matrix.shape[1], metric="cos", dtype=dtype, connectivity=16, expansion_add=128, expansion_search=ef
    )
    t0 = time.perf_counter()
    index.add(np.arange(len(matrix), dtype=np.uint64), matrix, threads=2)
    build = time.perf_counter() - t0
    results, times = timed_queries(lambda q: index.search(q, fetch, threads=1).keys, queries, matrix, fetch)
    return {"lib": f"usearch {dtype}", "build_s": build, "bytes": index.memory_usage, "found": results, "ms": times}


def run_lists(matrix: np.ndarray, queries: np.ndarray, dtype: str, fetch: int) -> dict:
    """The embedded store's inverted file, probing as `VectorOptions` says by default."""
    from search_api.backends.embedded.clusters import Clusters
    from search_api.backends.embedded.vectors import VectorOptions

    options = VectorOptions()
    t0 = time.perf_counter()
    lists = Clusters.build(np.arange(len(matrix)), matrix, dtype)
    build = time.perf_counter() - t0
    probes = options.probes(lists.lists)
    results, times = timed_queries(lambda q: lists.search(q, fetch, probes, None), queries, matrix, fetch)
    return {"lib": f"faiss IVF {dtype}", "build_s": build, "bytes": lists.memory_bytes(), "found": results, "ms": times}


def run_hnswlib(matrix: np.ndarray, queries: np.ndarray, ef: int, fetch: int) -> dict:
    import hnswlib

    index = hnswlib.Index(space="cosine", dim=matrix.shape[1])
    index.init_index(max_elements=len(matrix), ef_construction=128, M=16)
    t0 = time.perf_counter()
    index.add_items(matrix, np.arange(len(matrix)), num_threads=2)
    build = time.perf_counter() - t0
    index.set_ef(max(ef, fetch))
    index.set_num_threads(1)
    results, times = timed_queries(lambda q: index.knn_query(q, k=fetch)[0][0], queries, matrix, fetch)
    size = len(matrix) * (matrix.shape[1] * 4 + 16 * 2 * 4 + 8)
    return {"lib": "hnswlib f32", "build_s": build, "bytes": size, "found": results, "ms": times}


def main(
    docs: int = typer.Option(100_000, help="How many vectors."),
    queries: int = typer.Option(200, help="How many queries."),
    ef: int = typer.Option(128, help="Search breadth (expansion_search / ef)."),
    fetch: int = typer.Option(K, help="Candidates asked of the index; more than 10 are rescored exactly."),
    libs: str = typer.Option("faiss-i8,faiss-f16,usearch-i8,usearch-f16,hnswlib", help="Which to run."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON instead of the table."),
) -> None:
    """Print build time, size, latency and recall@10 of each library on the same vectors."""
    base, query_base = base_vectors()
    matrix = grow(base, docs)
    rng = np.random.default_rng(1)
    noisy = grow(base, queries, seed=7)
    qs = np.vstack([query_base, noisy])[:queries] if len(query_base) else noisy
    qs = qs[rng.permutation(len(qs))]
    truth = exact(matrix, qs)
    rows = []
    for lib in libs.split(","):
        module = lib.split("-")[0]
        if importlib.util.find_spec(module) is None:
            typer.echo(f"{module} is not installed (pip install usearch==2.26.6 hnswlib==0.8.0): left out", err=True)
            continue
        if lib == "hnswlib":
            result = run_hnswlib(matrix, qs, ef, fetch)
        elif module == "faiss":
            result = run_lists(matrix, qs, lib.split("-")[1], fetch)
        else:
            result = run_usearch(matrix, qs, lib.split("-")[1], ef, fetch)
        ms = np.asarray(result["ms"])
        rows.append(
            {
                "lib": result["lib"],
                "docs": docs,
                "build_s": round(result["build_s"], 1),
                "mb": round(result["bytes"] / 2**20),
                "p50_ms": round(float(np.percentile(ms, 50)), 3),
                "p95_ms": round(float(np.percentile(ms, 95)), 3),
                "recall@10": round(recall(result["found"], truth), 4),
            }
        )
    if json_out:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'library':<16}{'docs':>9}{'build s':>9}{'MB':>7}{'p50 ms':>9}{'p95 ms':>9}{'recall@10':>11}")
    for r in rows:
        print(
            f"{r['lib']:<16}{r['docs']:>9,}{r['build_s']:>9}{r['mb']:>7}{r['p50_ms']:>9}{r['p95_ms']:>9}"
            f"{r['recall@10']:>11}"
        )


if __name__ == "__main__":
    typer.run(main)
