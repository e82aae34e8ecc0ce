"""The embedded store's vectors for nearest-neighbour search: exact below a size threshold, HNSW above it.

The tantivy index stays the one truth (each record's float32 vector is stored in its document). `Vectors` is
derived from it and follows it by record key (a record's key changes with its content): rows are only ever
appended, a replaced or deleted record's row is marked dead, and a new generation's rows are the old ones
plus what it added. Past `ann_threshold` live rows an HNSW graph (usearch, int8 by default, keyed by row)
finds candidates, and the best of them are rescored exactly on the in-memory matrix (float32, or float16 to
halve it), so the ranking's cosines are the model's, not the graph's.

It is saved beside the index (`<store>/vectors/<n>/`, `CURRENT` names the newest) so a new process does not
re-read every document; any saved state is one the index passed through, so after a crash opening it and
reconciling by key (read the documents it lacks, drop the rows the index no longer has) gives exactly the
index's records again.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SAVE_FORMAT = 1
COMPACT_SHARE = 0.25  # rebuild when this share of the rows is dead
# one graph candidate costs about as much as 50 rows of an exact product (measured at 100k records: 1,000
# candidates 2.4 ms, one product over every row 6 ms): past that many candidates, the product is cheaper
SCAN_PER_CANDIDATE = 50


@dataclass(frozen=True)
class VectorOptions:
    """How vectors are searched: see models.settings for each (PLEDGES_ANN_THRESHOLD, ...)."""

    ann_threshold: int = 20_000
    ann_dtype: str = "i8"  # the graph's copy of the vectors: i8, f16 or f32
    matrix_dtype: str = "float32"  # the rescoring copy: float32 or float16
    rescore: int = 2  # candidates asked of the graph per result wanted
    min_fetch: int = 1000  # and never fewer than this, nor than a 400th of the rows: the candidates rescored
    # exactly (on the bench's corpus, near-duplicates by the thousand, 100 candidates found 86% of the true top
    # 10 at 100k records, 1,000 found 99.5%; at 1M, 2,000 found 97%)
    fetch_share: int = 400
    exact_limit: int = 20_000  # a filter leaving at most this many rows is searched exactly over those rows
    connectivity: int = 16
    expansion_add: int = 128
    expansion_search: int = 128


class Vectors:
    """Rows of (key, id, vector), append-only, with a live mask and, past the threshold, an HNSW graph."""

    def __init__(self, dimension: int, options: VectorOptions) -> None:
        self.dimension = dimension
        self.options = options
        self.count = 0
        self.keys = np.zeros(0, dtype=np.uint64)
        self.alive = np.zeros(0, dtype=bool)
        self.matrix = np.zeros((0, dimension), dtype=options.matrix_dtype)
        self.ids: list[str] = []
        self.row_of_key: dict[int, int] = {}  # dead rows stay, so a reader of an older generation still maps
        self.row_of_id: dict[str, int] = {}  # live rows only
        self.live = 0
        self.ann: Any = None  # usearch.index.Index once built
        self.lock = threading.RLock()
        self._key_index: tuple[int, np.ndarray, np.ndarray] | None = None  # (count, sorted keys, their rows)

    # --- changes ---------------------------------------------------------------------------------------
    def _grow(self, extra: int) -> None:
        need = self.count + extra
        if need <= len(self.keys):
            return
        capacity = max(need, int(len(self.keys) * 1.5), 1024)
        self.keys = np.resize(self.keys, capacity)
        self.alive = np.concatenate([self.alive[: self.count], np.zeros(capacity - self.count, dtype=bool)])
        matrix = np.zeros((capacity, self.dimension), dtype=self.matrix.dtype)
        matrix[: self.count] = self.matrix[: self.count]
        self.matrix = matrix

    def apply(self, removed: Iterable[int], added: Sequence[tuple[int, str, np.ndarray]]) -> None:
        """Mark the rows of `removed` keys dead, append `added` (key, id, vector) rows."""
        with self.lock:
            dead = []
            for key in removed:
                row = self.row_of_key.get(int(key))
                if row is not None and self.alive[row]:
                    self.alive[row] = False
                    self.row_of_id.pop(self.ids[row], None)
                    dead.append(row)
            self.live -= len(dead)
            if dead and self.ann is not None:
                self.ann.remove(np.asarray(dead, dtype=np.uint64))
            fresh = [(k, i, v) for k, i, v in added if not self._live_key(k)]
            if fresh:
                self._append(fresh)
            if self.ann is None and self.live >= self.options.ann_threshold:
                self.ann = self._build_graph()

    def _live_key(self, key: int) -> bool:
        row = self.row_of_key.get(int(key))
        return row is not None and bool(self.alive[row])

    def _append(self, added: Sequence[tuple[int, str, np.ndarray]]) -> None:
        self._grow(len(added))
        start = self.count
        rows = np.arange(start, start + len(added))
        for row, (key, record_id, vector) in zip(rows, added, strict=True):
            old = self.row_of_id.get(record_id)
            if old is not None:  # the same id under another key that was not removed: the newest wins
                self.alive[old] = False
                self.live -= 1
                if self.ann is not None:
                    self.ann.remove(np.asarray([old], dtype=np.uint64))
            self.keys[row] = key
            self.matrix[row] = vector
            self.alive[row] = True
            self.ids.append(record_id)
            self.row_of_key[int(key)] = int(row)
            self.row_of_id[record_id] = int(row)
        self.count += len(added)
        self.live += len(added)
        if self.ann is not None:
            self.ann.add(rows.astype(np.uint64), self.matrix[start : self.count].astype(np.float32), threads=2)

    def _build_graph(self):
        o = self.options
        graph = graph_index_class()(
            ndim=self.dimension,
            metric="cos",
            dtype=o.ann_dtype,
            connectivity=o.connectivity,
            expansion_add=o.expansion_add,
            expansion_search=o.expansion_search,
        )
        rows = np.flatnonzero(self.alive[: self.count])
        for start in range(0, len(rows), 50_000):
            part = rows[start : start + 50_000]
            graph.add(part.astype(np.uint64), self.matrix[part].astype(np.float32), threads=2)
        return graph

    def needs_compaction(self) -> bool:
        """True when dead rows are a large share (they cost memory and graph quality)."""
        dead = self.count - self.live
        return dead > 1000 and dead > COMPACT_SHARE * self.count

    def compacted(self) -> Vectors:
        """A new `Vectors` of the live rows only."""
        with self.lock:
            fresh = Vectors(self.dimension, self.options)
            rows = np.flatnonzero(self.alive[: self.count])
            fresh._load_rows(self.keys[rows], [self.ids[r] for r in rows], self.matrix[rows], None)
            return fresh

    def _load_rows(self, keys: np.ndarray, ids: list[str], matrix: np.ndarray, alive: np.ndarray | None) -> None:
        self.count = len(ids)
        self.keys = np.asarray(keys, dtype=np.uint64).copy()
        self.alive = np.ones(self.count, dtype=bool) if alive is None else np.asarray(alive, dtype=bool).copy()
        self.matrix = np.asarray(matrix, dtype=self.options.matrix_dtype)
        self.ids = list(ids)
        self.row_of_key = {int(k): r for r, k in enumerate(self.keys.tolist())}
        self.row_of_id = {self.ids[r]: r for r in np.flatnonzero(self.alive).tolist()}
        self.live = int(self.alive.sum())
        if self.ann is None and self.live >= self.options.ann_threshold:
            self.ann = self._build_graph()

    # --- reads -----------------------------------------------------------------------------------------
    def rows_of_keys(self, keys: np.ndarray) -> np.ndarray:
        """The row of each key (its newest, as `row_of_key`), -1 for a key without one: a sorted search over
        all keys at once, for the tens of thousands of records a filter passes (a lookup per key took five
        times as long as reading them from the index). The sorted keys are kept until rows are added."""
        with self.lock:
            if self._key_index is None or self._key_index[0] != self.count:
                order = np.argsort(self.keys[: self.count], kind="stable")
                self._key_index = (self.count, self.keys[: self.count][order], order)
            _, sorted_keys, order = self._key_index
        wanted = np.asarray(keys, dtype=np.uint64)
        if not len(sorted_keys):
            return np.full(len(wanted), -1, dtype=np.int64)
        at = np.searchsorted(sorted_keys, wanted, side="right") - 1  # the last of equal keys: the newest row
        at = np.clip(at, 0, None)
        return np.where(sorted_keys[at] == wanted, order[at], -1)

    def live_keys(self) -> set[int]:
        """Keys of the live rows."""
        return {int(k) for k in self.keys[: self.count][self.alive[: self.count]].tolist()}

    def rows_of(self, ids: Sequence[str]) -> list[tuple[str, int]]:
        """(id, row) of those ids that have a live row."""
        return [(i, self.row_of_id[i]) for i in ids if i in self.row_of_id]

    def cosines(self, vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosines of these rows (float32 arithmetic)."""
        return self.matrix[rows].astype(np.float32, copy=False) @ np.asarray(vector, dtype=np.float32)

    def nearest(
        self, vector: np.ndarray, n: int, floor: float, count: int, alive: np.ndarray, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        """The best `n` rows among the first `count` (live in `alive`, and in `allowed` when given) whose cosine
        reaches `floor`, as (row, cosine), best first."""
        if n <= 0 or count == 0:
            return []
        usable = alive[:count] if allowed is None else alive[:count] & allowed[:count]
        size = int(usable.sum()) if allowed is not None else self.live
        if self.ann is None or size <= self.options.exact_limit:
            if size * 8 < count:  # a few rows: read just those
                return self._best(vector, np.flatnonzero(usable), n, floor)
            return self._scan(vector, usable, n, floor)
        share = max(size / max(self.live, 1), 1e-6)
        wanted = max(n * self.options.rescore, self.options.min_fetch, self.live // self.options.fetch_share)
        fetch = min(count, int(wanted / share) + 1)
        if fetch * SCAN_PER_CANDIDATE > count and self.matrix.dtype == np.float32:
            return self._scan(vector, usable, n, floor)  # one product over every row costs less
        while True:
            found = self.ann.search(np.asarray(vector, dtype=np.float32), fetch, threads=1)
            rows = np.asarray(found.keys, dtype=np.int64)
            rows = rows[(rows < count)]
            rows = rows[usable[rows]]
            if len(rows) >= n * self.options.rescore or fetch >= count or len(found.keys) < fetch:
                return self._best(vector, rows, n, floor)
            if fetch * 4 > count:  # the graph cannot reach enough of them: read them all
                return self._best(vector, np.flatnonzero(usable), n, floor)
            fetch *= 4

    def _scan(self, vector: np.ndarray, usable: np.ndarray, n: int, floor: float) -> list[tuple[int, float]]:
        """Exact over every row: one matrix product, the unusable rows dropped."""
        matrix = self.matrix[: len(usable)]
        sims = matrix.astype(np.float32, copy=False) @ np.asarray(vector, dtype=np.float32)
        sims[~usable] = -np.inf
        n = min(n, int(usable.sum()))
        if n <= 0:
            return []
        top = np.argpartition(-sims, n - 1)[:n] if n < len(sims) else np.arange(len(sims))
        top = top[sims[top] >= floor]
        return [(int(r), float(sims[r])) for r in top]

    def _best(self, vector: np.ndarray, rows: np.ndarray, n: int, floor: float) -> list[tuple[int, float]]:
        if len(rows) == 0:
            return []
        sims = self.cosines(vector, rows)
        if n < len(rows):
            top = np.argpartition(-sims, n - 1)[:n]
            rows, sims = rows[top], sims[top]
        keep = sims >= floor
        return [(int(r), float(s)) for r, s in zip(rows[keep], sims[keep], strict=True)]

    def memory_bytes(self) -> dict[str, int]:
        """Bytes held: the rescoring matrix and the graph."""
        graph = int(self.ann.memory_usage) if self.ann is not None else 0
        return {"matrix": int(self.matrix[: self.count].nbytes), "graph": graph}

    # --- persistence ------------------------------------------------------------------------------------
    def save(self, folder: Path) -> bool:
        """Write this state as `<folder>/<n>-<pid>/` and point `CURRENT` at it (renames: a crash leaves the old
        one). False when it could not be written (disk full, another process saving at once): the next open then
        reads what the index has that the older state lacks, so nothing is lost but time."""
        try:
            self._save(folder)
        except (OSError, RuntimeError):
            return False
        return True

    def _save(self, folder: Path) -> None:
        with self.lock:
            folder.mkdir(parents=True, exist_ok=True)
            current = _current(folder)
            number = (int(current.name.split("-")[0]) + 1) if current is not None else 1
            tmp = folder / f".tmp-{os.getpid()}-{threading.get_ident()}"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            n = self.count
            np.save(tmp / "keys.npy", self.keys[:n])
            np.save(tmp / "alive.npy", self.alive[:n])
            np.save(tmp / "matrix.npy", self.matrix[:n])
            (tmp / "ids.json").write_text(json.dumps(self.ids[:n]))
            if self.ann is not None:
                self.ann.save(str(tmp / "graph.usearch"))
            state = {"format": SAVE_FORMAT, "dimension": self.dimension, "options": self.options.__dict__}
            (tmp / "state.json").write_text(json.dumps(state))
            target = folder / f"{number:08d}-{os.getpid()}"
            os.replace(tmp, target)
            pointer = folder / f".CURRENT-{os.getpid()}"
            pointer.write_text(target.name)
            os.replace(pointer, folder / "CURRENT")
            for old in folder.iterdir():  # older states (a newer one of another process is kept)
                if old.is_dir() and not old.name.startswith(".") and old.name.split("-")[0] < target.name[:8]:
                    shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, dimension: int, options: VectorOptions) -> Vectors | None:
        """The saved state, or None when there is none or it was saved with other options."""
        current = _current(folder)
        if current is None:
            return None
        try:
            state = json.loads((current / "state.json").read_text())
            if state.get("format") != SAVE_FORMAT or state.get("dimension") != dimension:
                return None
            if state.get("options") != options.__dict__:
                return None
            vectors = cls(dimension, options)
            graph_path = current / "graph.usearch"
            if graph_path.exists():
                vectors.ann = graph_index_class().restore(str(graph_path))
            vectors._load_rows(
                np.load(current / "keys.npy"),
                json.loads((current / "ids.json").read_text()),
                np.load(current / "matrix.npy"),
                np.load(current / "alive.npy"),
            )
            return vectors
        except (OSError, RuntimeError, ValueError, KeyError, json.JSONDecodeError):
            return None  # unreadable: rebuilt from the index, which is the truth


def graph_index_class() -> Any:
    """usearch's Index class. onnxruntime is loaded first: usearch's extension carries its own C++ runtime, and
    onnxruntime loaded after it crashes the process on import (segmentation fault, usearch 2.26.6 with
    onnxruntime 1.32.0); in this order both work."""
    import onnxruntime  # noqa: F401
    from usearch.index import Index

    return Index


def _current(folder: Path) -> Path | None:
    try:
        name = (folder / "CURRENT").read_text().strip()
    except OSError:
        return None
    path = folder / name
    return path if path.is_dir() else None
