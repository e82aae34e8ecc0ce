"""Candidates for nearest-neighbour search past the exact threshold: an inverted file (faiss IVF).

The rows are grouped by k-means into about sqrt(n) lists; a query reads the lists whose centres are nearest,
scanning a compact copy of their vectors (8-bit scalar codes by default), and the best candidates are rescored
exactly by the caller. Chosen by measurement over an HNSW graph (usearch, int8): on the bench's million records,
478 clusters of ~2,000 near-duplicates, the graph found 80% of the exact top 10 with 2,500 candidates in 5.7 ms
and took minutes to build; the lists find 100% in 2 ms, built in 9 s. A graph cannot tell apart points that are
all about as far from each other as noise makes them, while scanning a list compares each with the query.

A filter is honoured inside the scan (a bitmap of the usable rows), so whatever the lists return passes it. Rows
are never removed from the lists: dead rows are filtered out the same way, until the owner rebuilds.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

QUANTISERS = {"i8": "QT_8bit", "f16": "QT_fp16", "f32": None}
TRAINING_PER_LIST = 64  # rows of k-means training sample per list (faiss warns below 39)
MIN_TRAINING_PER_LIST = 39


def faiss_module():
    """faiss, imported when first needed (the exact engine below the threshold never loads it)."""
    import faiss

    return faiss


def list_count(rows: int) -> int:
    """About sqrt(rows) lists (1,000 at a million), with enough rows each to learn their centres."""
    return max(1, min(math.isqrt(rows), rows // MIN_TRAINING_PER_LIST))


class Clusters:
    """An IVF index keyed by row number, built from the vectors of the rows it holds."""

    def __init__(self, index, trained_on: int) -> None:
        self.index = index
        self.trained_on = trained_on  # live rows when the lists were learnt: the owner rebuilds as they grow

    @classmethod
    def build(cls, rows: np.ndarray, matrix: np.ndarray, dtype: str, seed: int = 0) -> Clusters:
        """Learn the lists' centres on a sample of `rows` (of `matrix`) and file every row in its list; the rows
        are read a slice at a time (no copy of a million vectors)."""
        faiss = faiss_module()
        dimension = matrix.shape[1]
        lists = list_count(len(rows))
        quantiser = faiss.IndexFlatIP(dimension)
        kind = QUANTISERS[dtype]
        if kind is None:
            index = faiss.IndexIVFFlat(quantiser, dimension, lists, faiss.METRIC_INNER_PRODUCT)
        else:
            scalar = getattr(faiss.ScalarQuantizer, kind)
            index = faiss.IndexIVFScalarQuantizer(quantiser, dimension, lists, scalar, faiss.METRIC_INNER_PRODUCT)
        sample = min(len(rows), lists * TRAINING_PER_LIST)
        picked = np.sort(np.random.default_rng(seed).choice(len(rows), size=sample, replace=False))
        index.train(np.ascontiguousarray(matrix[rows[picked]], dtype=np.float32))
        clusters = cls(index, len(rows))
        for start in range(0, len(rows), 50_000):
            part = rows[start : start + 50_000]
            clusters.add(part, matrix[part])
        return clusters

    def add(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        """File these rows (their vectors are coded into the list of their nearest centre)."""
        self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(rows, dtype=np.int64))

    @property
    def lists(self) -> int:
        """How many lists the rows are grouped into."""
        return int(self.index.nlist)

    def search(self, vector: np.ndarray, fetch: int, probes: int, usable: np.ndarray | None) -> np.ndarray:
        """Up to `fetch` rows, best first by the coded vectors, from the `probes` lists nearest `vector`; with
        `usable` (a mask over rows), only rows it marks (rows past its end never)."""
        faiss = faiss_module()
        params = faiss.SearchParametersIVF(nprobe=min(max(1, probes), self.lists))
        if usable is not None:
            bits = np.packbits(usable, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(bits), faiss.swig_ptr(bits))
            params.sel = selector
        _, found = self.index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), fetch, params=params)
        rows = found[0]
        return rows[rows >= 0]

    def memory_bytes(self) -> int:
        """The codes, the row numbers and the centres."""
        index = self.index
        return int(index.ntotal * (index.code_size + 8) + index.nlist * index.d * 4)

    def save(self, path: Path) -> None:
        """The index in faiss's own format, and beside it how many rows its lists were learnt on."""
        faiss_module().write_index(self.index, str(path))
        path.with_suffix(".json").write_text(json.dumps({"trained_on": self.trained_on}))

    @classmethod
    def restore(cls, path: Path) -> Clusters:
        """What `save` wrote."""
        trained_on = json.loads(path.with_suffix(".json").read_text())["trained_on"]
        return cls(faiss_module().read_index(str(path)), int(trained_on))
