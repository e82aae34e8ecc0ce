"""The embedded store's vectors for nearest-neighbour search: exact below a size threshold, HNSW above it.

The tantivy index stays the one truth (each record's float32 vector is stored in its document). `Vectors` is
derived from it and follows it by record key (a record's key changes with its content): rows are only ever
appended, a replaced or deleted record's row is marked dead, and a new generation's rows are the old ones
plus what it added. Past `ann_threshold` live rows an inverted file (`clusters.Clusters`: faiss IVF, 8-bit codes
by default, keyed by row) finds candidates, and the best of them are rescored exactly on the in-memory matrix
(float32, or float16 to halve it), so the ranking's cosines are the model's, not the lists'.

Each row also holds its record's declared objectives as bits (`objective_bits`, bit n-1 for objective n), and
per objective the sum of its live rows' vectors is kept in step (`objective_totals`): the objective leg of hybrid
search reads the declared objectives and the centroids from them, where reading every record's objectives from
the index and inferring the rest took 1.1 s per generation at 100,000 records (8.8 s at a million), paid by the
first hybrid search after every commit. `written` is the newest commit whose documents the rows hold: a reader
catches up with another writer by reading only the documents written after it.

It is saved beside the index (`<store>/vectors/<n>/`, `CURRENT` names the newest) so a new process does not
re-read every document; any saved state is one the index passed through, so after a crash opening it and
reconciling by key (read the documents it lacks, drop the rows the index no longer has) gives exactly the
index's records again.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.taxonomy import OBJECTIVE_COUNT
from search_api.backends.embedded.clusters import Clusters

SUM_ROWS = 100_000  # rows summed at a time into the objectives' sums (a float64 copy of them)
SAVE_FORMAT = 2  # 1: an HNSW graph (usearch) beside the rows; its rows are read, the lists built anew
COMPACT_SHARE = 0.25  # rebuild when this share of the rows is dead


@dataclass(frozen=True)
class VectorOptions:
    """How vectors are searched: see models.settings for each (PLEDGES_ANN_THRESHOLD, ...)."""

    ann_threshold: int = 20_000
    ann_dtype: str = "i8"  # the lists' copy of the vectors: i8 (8-bit scalar codes), f16 or f32
    matrix_dtype: str = "float32"  # the rescoring copy: float32 or float16
    rescore: int = 2  # candidates rescored exactly per result wanted...
    min_fetch: int = 200  # ...and never fewer
    exact_limit: int = 20_000  # a filter leaving at most this many rows is searched exactly over those rows
    probe_share: float = 0.05  # lists read per query: this share of them, and never fewer than min_probes (the
    min_probes: int = 32  # bench's 60 queries found the whole exact top 10 with 32 of 316 lists at 100k records,
    # and with 16 of 565 at 1M, 99.7% with 8)
    regrow: int = 4  # the lists are learnt again once the live rows are this many times those they were learnt on

    def probes(self, lists: int) -> int:
        """How many of `lists` lists one query reads first."""
        return max(self.min_probes, math.ceil(lists * self.probe_share))


Row = tuple[int, str, np.ndarray, int]  # key, record id, vector, declared objectives' bits


class Vectors:
    """Rows of (key, id, vector, objective bits), append-only, with a live mask and, past the threshold, an
    inverted file."""

    def __init__(self, dimension: int, options: VectorOptions) -> None:
        self.dimension = dimension
        self.options = options
        self.count = 0
        self.keys = np.zeros(0, dtype=np.uint64)
        self.alive = np.zeros(0, dtype=bool)
        self.matrix = np.zeros((0, dimension), dtype=options.matrix_dtype)
        self.objective_bits: np.ndarray | None = np.zeros(0, dtype=np.uint32)  # None: not known yet (load)
        self.written: int | None = 0  # the newest commit whose documents the rows hold (None: not known)
        # per objective, the sum of the live rows' vectors that declare it and their count (the objective
        # leg's centroids), kept in step with every change instead of summed again per generation
        self.objective_sums = np.zeros((OBJECTIVE_COUNT, dimension), dtype=np.float64)
        self.objective_counts = np.zeros(OBJECTIVE_COUNT, dtype=np.int64)
        self.ids: list[str] = []
        self.row_of_key: dict[int, int] = {}  # dead rows stay, so a reader of an older generation still maps
        self.row_of_id: dict[str, int] = {}  # live rows only
        self.live = 0
        self.ann: Clusters | None = None  # once past the threshold
        self.learnt_on_load = False  # the saved state's lists were not usable (older format, other options)
        self.lock = threading.RLock()
        self._key_index: tuple[int, np.ndarray, np.ndarray] | None = None  # (count, sorted keys, their rows)

    # --- changes ---------------------------------------------------------------------------------------
    def _grow(self, extra: int) -> None:
        need = self.count + extra
        if need <= len(self.keys):
            return
        capacity = max(need, int(len(self.keys) * 1.5), 1024)
        self.keys = np.resize(self.keys, capacity)
        if self.objective_bits is not None:
            bits = np.zeros(capacity, dtype=np.uint32)
            bits[: self.count] = self.objective_bits[: self.count]
            self.objective_bits = bits
        self.alive = np.concatenate([self.alive[: self.count], np.zeros(capacity - self.count, dtype=bool)])
        matrix = np.zeros((capacity, self.dimension), dtype=self.matrix.dtype)
        matrix[: self.count] = self.matrix[: self.count]
        self.matrix = matrix

    def apply(self, removed: Iterable[int], added: Sequence[Row]) -> None:
        """Mark the rows of `removed` keys dead, append `added` (key, id, vector, objective bits) rows."""
        with self.lock:
            dead = []
            for key in removed:
                row = self.row_of_key.get(int(key))
                if row is not None and self.alive[row]:
                    self.alive[row] = False
                    self.row_of_id.pop(self.ids[row], None)
                    dead.append(row)
            self.live -= len(dead)  # a dead row stays in the lists, where searches skip it
            self._add_to_sums(np.asarray(dead, dtype=np.int64), -1)
            fresh = [row for row in added if not self._live_key(row[0])]
            if fresh:
                self._append(fresh)
            if self._lists_due():
                self.ann = self._build_lists()

    def _live_key(self, key: int) -> bool:
        row = self.row_of_key.get(int(key))
        return row is not None and bool(self.alive[row])

    def _append(self, added: Sequence[Row]) -> None:
        self._grow(len(added))
        start = self.count
        rows = np.arange(start, start + len(added))
        for row, (key, record_id, vector, bits) in zip(rows, added, strict=True):
            old = self.row_of_id.get(record_id)
            if old is not None:  # the same id under another key that was not removed: the newest wins
                self.alive[old] = False
                self.live -= 1
                self._add_to_sums(np.asarray([old], dtype=np.int64), -1)
            self.keys[row] = key
            self.matrix[row] = vector
            if self.objective_bits is not None:
                self.objective_bits[row] = bits
            self.alive[row] = True
            self.ids.append(record_id)
            self.row_of_key[int(key)] = int(row)
            self.row_of_id[record_id] = int(row)
        self.count += len(added)
        self.live += len(added)
        self._add_to_sums(rows, 1)
        if self.ann is not None:
            self.ann.add(rows, self.matrix[start : self.count])

    def _lists_due(self) -> bool:
        """Past the threshold with no lists yet, or grown well past the rows they were learnt on (their
        centres would be too few, and each list too long)."""
        if self.live == 0 or self.live < self.options.ann_threshold:
            return False
        return self.ann is None or self.live >= self.options.regrow * max(self.ann.trained_on, 1)

    def _build_lists(self) -> Clusters:
        return Clusters.build(np.flatnonzero(self.alive[: self.count]), self.matrix, self.options.ann_dtype)

    def needs_compaction(self) -> bool:
        """True when dead rows are a large share (they cost memory and scanning time)."""
        dead = self.count - self.live
        return dead > 1000 and dead > COMPACT_SHARE * self.count

    def compacted(self) -> Vectors:
        """A new `Vectors` of the live rows only."""
        with self.lock:
            fresh = Vectors(self.dimension, self.options)
            rows = np.flatnonzero(self.alive[: self.count])
            bits = self.objective_bits[rows] if self.objective_bits is not None else None
            fresh._load_rows(self.keys[rows], [self.ids[r] for r in rows], self.matrix[rows], None, bits)
            fresh.written = self.written
            fresh.objective_sums, fresh.objective_counts = self.objective_sums.copy(), self.objective_counts.copy()
            return fresh

    def _load_rows(
        self,
        keys: np.ndarray,
        ids: list[str],
        matrix: np.ndarray,
        alive: np.ndarray | None,
        objective_bits: np.ndarray | None,
    ) -> None:
        self.count = len(ids)
        known = objective_bits is not None and len(objective_bits) == self.count
        self.objective_bits = np.asarray(objective_bits, dtype=np.uint32).copy() if known else None
        self.keys = np.asarray(keys, dtype=np.uint64).copy()
        self.alive = np.ones(self.count, dtype=bool) if alive is None else np.asarray(alive, dtype=bool).copy()
        self.matrix = np.asarray(matrix, dtype=self.options.matrix_dtype)
        self.ids = list(ids)
        self.row_of_key = {int(k): r for r, k in enumerate(self.keys.tolist())}
        self.row_of_id = {self.ids[r]: r for r in np.flatnonzero(self.alive).tolist()}
        self.live = int(self.alive.sum())
        self._sum_objectives()
        if self._lists_due():
            self.ann = self._build_lists()

    # --- reads -----------------------------------------------------------------------------------------
    def rows_of_keys(self, keys: np.ndarray) -> np.ndarray:
        """The row of each key (its newest, as `row_of_key`), -1 for a key without one: a sorted search over
        all keys at once, for the tens of thousands of records a filter passes (a lookup per key took five
        times as long as reading them from the index). The sorted keys are kept, and rows added since are merged
        into them (an argsort of every key took 100-190 ms at a million rows, per generation)."""
        with self.lock:
            if self._key_index is None or self._key_index[0] > self.count:
                order = np.argsort(self.keys[: self.count], kind="stable")
                self._key_index = (self.count, self.keys[: self.count][order], order)
            elif self._key_index[0] < self.count:  # rows appended since: merged in, newer rows after equal keys
                known, sorted_keys, order = self._key_index
                added = np.arange(known, self.count)
                added = added[np.argsort(self.keys[known : self.count], kind="stable")]
                at = np.searchsorted(sorted_keys, self.keys[added], side="right")
                merged = np.insert(sorted_keys, at, self.keys[added])
                self._key_index = (self.count, merged, np.insert(order, at, added))
            _, sorted_keys, order = self._key_index
        wanted = np.asarray(keys, dtype=np.uint64)
        if not len(sorted_keys):
            return np.full(len(wanted), -1, dtype=np.int64)
        at = np.searchsorted(sorted_keys, wanted, side="right") - 1  # the last of equal keys: the newest row
        at = np.clip(at, 0, None)
        return np.where(sorted_keys[at] == wanted, order[at], -1)

    def set_objective_bits(self, bits: np.ndarray) -> None:
        """The declared objectives' bits of rows 0..len(bits)-1, read from the index when the saved state
        lacked them (rows appended since carry their own)."""
        with self.lock:
            if self.objective_bits is None and len(bits) == self.count:
                self.objective_bits = np.asarray(bits, dtype=np.uint32).copy()
                self._sum_objectives()

    def _sum_objectives(self) -> None:
        """The objectives' sums and counts over every live row."""
        self.objective_sums[:] = 0
        self.objective_counts[:] = 0
        live = np.flatnonzero(self.alive[: self.count])
        for start in range(0, len(live), SUM_ROWS):
            self._add_to_sums(live[start : start + SUM_ROWS], 1)

    def _add_to_sums(self, rows: np.ndarray, sign: int) -> None:
        """Add (`sign` 1) or take away (-1) these rows' vectors in the sums of the objectives they declare."""
        if self.objective_bits is None or not len(rows):
            return
        bits = self.objective_bits[rows]
        membership = ((bits[:, None] >> np.arange(OBJECTIVE_COUNT, dtype=np.uint32)) & 1).astype(np.float64)
        if not membership.any():
            return
        self.objective_sums += sign * (membership.T @ self.matrix[rows].astype(np.float64))
        self.objective_counts += sign * membership.sum(axis=0).astype(np.int64)

    def objective_totals(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the objectives' sums of vectors and counts of live rows, as they stand now."""
        with self.lock:
            return self.objective_sums.copy(), self.objective_counts.copy()

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
        if size == 0:
            return []
        fetch = min(max(n * self.options.rescore, self.options.min_fetch), size)
        lists = self.ann
        probes = self.options.probes(lists.lists)
        # the mask skips dead rows, rows of later generations and filtered-out rows inside the scan; without any,
        # the scan goes without it
        mask = None if allowed is None and count == self.count == self.live else usable
        while True:
            with self.lock:  # a writer may be filing rows into the lists
                rows = lists.search(vector, fetch, probes, mask)
            if len(rows) >= fetch or probes >= lists.lists:
                return self._best(vector, rows, n, floor)
            probes *= 4  # a filter the nearest lists hardly pass: read more of them

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
        """Bytes held: the rescoring matrix and the lists."""
        lists = self.ann.memory_bytes() if self.ann is not None else 0
        return {"matrix": int(self.matrix[: self.count].nbytes), "lists": lists}

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
            if self.objective_bits is not None:
                np.save(tmp / "objectives.npy", self.objective_bits[:n])
            (tmp / "ids.json").write_text(json.dumps(self.ids[:n]))
            if self.ann is not None:
                self.ann.save(tmp / "lists.faiss")
            state = {
                "format": SAVE_FORMAT,
                "dimension": self.dimension,
                "options": self.options.__dict__,
                "written": self.written,
            }
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
        """The saved state, or None when there is none. Its rows are kept whatever options it was saved with
        (an older format's, another dtype's): only the lists are then learnt anew, without re-reading the index.
        A state saved without objective bits loads with `objective_bits` None: the store reads them once."""
        current = _current(folder)
        if current is None:
            return None
        try:
            state = json.loads((current / "state.json").read_text())
            if state.get("format") not in (1, SAVE_FORMAT) or state.get("dimension") != dimension:
                return None
            vectors = cls(dimension, options)
            lists_path = current / "lists.faiss"
            same = state.get("format") == SAVE_FORMAT and state.get("options") == options.__dict__
            restored = same and lists_path.exists()
            if restored:
                vectors.ann = Clusters.restore(lists_path)
            vectors._load_rows(
                np.load(current / "keys.npy"),
                json.loads((current / "ids.json").read_text()),
                np.load(current / "matrix.npy"),
                np.load(current / "alive.npy"),
                np.load(current / "objectives.npy") if (current / "objectives.npy").exists() else None,
            )
            vectors.learnt_on_load = not restored and vectors.ann is not None
            written = state.get("written")
            vectors.written = written if isinstance(written, int) else None
            return vectors
        except (OSError, RuntimeError, ValueError, KeyError, json.JSONDecodeError):
            return None  # unreadable: rebuilt from the index, which is the truth


def _current(folder: Path) -> Path | None:
    try:
        name = (folder / "CURRENT").read_text().strip()
    except OSError:
        return None
    path = folder / name
    return path if path.is_dir() else None
