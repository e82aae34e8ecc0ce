"""The embedded store: one tantivy index on disk (records, text, facets, vectors), vectors in memory.

One writer, many readers: a writer holds tantivy's lock only for the length of one batch, so
`pledges index` and an API process can take turns writing; readers notice another process's commit by
the generation of the index's meta file and reload.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tantivy

from models.schemas import Filters, Pledge
from search_api.backends.base import BackendError, StoredRecord, StoreMismatch
from search_api.backends.embedded.fields import as_int, hit_count, raw, text
from search_api.backends.embedded.objective_bits import bits_from_index, bits_of, bits_of_record
from search_api.backends.embedded.queries import conjunction, filter_clauses
from search_api.backends.embedded.schema import SCHEMA_VERSION, build_schema, record_key, to_document
from search_api.backends.embedded.vectors import Row, VectorOptions, Vectors

WRITER_HEAP = 64_000_000
LOCK_WAIT_S = 30.0
SAVE_AFTER_ROWS = 5_000  # the vectors are saved when this many rows (and a tenth of them) changed unsaved
GENERATION_CACHE_LIMIT = 50_000  # entries (facet baselines, term counts) kept per generation
RECORD_CACHE_LIMIT = 5_000  # parsed records kept per generation (a few KB each)


def same_model(a: str | None, b: str | None) -> bool:
    """True when two model names name the same model (with or without the hub prefix)."""
    if a is None or b is None:
        return True
    return a.removeprefix("sentence-transformers/") == b.removeprefix("sentence-transformers/")


@dataclass
class Snapshot:
    """The vectors of one index generation: the first `count` rows of `vectors` that are live in `alive`.

    Rows are only appended, so a later generation's changes never move this one's rows."""

    vectors: Vectors
    count: int
    alive: np.ndarray
    objective_totals: tuple[np.ndarray, np.ndarray]  # per objective, its live rows' vector sum and count

    @property
    def ids(self) -> list[str]:
        """Record id per row (dead rows included: they are never live in `alive`)."""
        return self.vectors.ids[: self.count]

    @property
    def rows(self) -> dict[int, int]:
        """Record key -> row."""
        return self.vectors.row_of_key

    @property
    def matrix(self) -> np.ndarray:
        """The rows' vectors as float32 (a copy when they are kept as float16)."""
        return self.vectors.matrix[: self.count].astype(np.float32, copy=False)

    def id_at(self, row: int) -> str:
        """The record id of one row."""
        return self.vectors.ids[row]


def _row(key: int, doc: tantivy.Document) -> Row:
    """The vector row of a stored document: its key, id, vector and declared objectives."""
    vector = np.frombuffer(raw(doc, "vector"), dtype=np.float32)
    return key, text(doc, "id"), vector, bits_of_record(raw(doc, "record"))


def _newest_written(searcher: tantivy.Searcher) -> int:
    """The newest commit number a document of this generation carries (0 when it holds none)."""
    if searcher.num_docs == 0:
        return 0
    value = searcher.aggregate(tantivy.Query.all_query(), {"newest": {"max": {"field": "written"}}})["newest"]["value"]
    return int(value) if value is not None else 0


FACET_TABLE_LIMIT = 2_000  # records up to which facets are counted from a table in memory (facet_table.py)


class EmbeddedStore:
    """Storage half of the embedded backend: writes, point reads, generations, the vector snapshot."""

    def __init__(
        self,
        path: Path,
        dimension: int | None = None,
        model_name: str | None = None,
        vector_options: VectorOptions | None = None,
        facet_table_limit: int = FACET_TABLE_LIMIT,
    ) -> None:
        self.path = Path(path)
        self.vector_options = vector_options or VectorOptions()
        self.facet_table_limit = facet_table_limit
        self.path.mkdir(parents=True, exist_ok=True)
        self._meta_path = self.path / "meta.json"
        meta = self._read_meta()
        if meta:
            if dimension is not None and meta.get("dimension") not in (None, dimension):
                raise StoreMismatch(
                    f"The store at {self.path} holds {meta['dimension']}-dimensional vectors from "
                    f"{meta.get('model_name')!r}; this run embeds {dimension}-dimensional ones. "
                    "Re-index into a new "
                    "PLEDGES_DATA_DIR, or set PLEDGES_EMBEDDING_MODEL back to the store's model."
                )
            if not same_model(meta.get("model_name"), model_name):
                raise StoreMismatch(
                    f"The store at {self.path} was built with the embedding model {meta['model_name']!r}, "
                    "but the "
                    f"settings ask for {model_name!r}. Set PLEDGES_EMBEDDING_MODEL={meta['model_name']} "
                    "or re-index "
                    "into a new PLEDGES_DATA_DIR."
                )
            if meta.get("schema_version") != SCHEMA_VERSION:
                raise StoreMismatch(
                    f"The store at {self.path} has schema version {meta.get('schema_version')}; this "
                    f"version reads {SCHEMA_VERSION}. Re-index into a new PLEDGES_DATA_DIR."
                )
            dimension = dimension or meta.get("dimension")
            model_name = meta.get("model_name") or model_name
        self.dimension = dimension
        self.model_name = model_name
        self._write_meta()
        index_dir = self.path / "index"
        index_dir.mkdir(exist_ok=True)
        try:
            self.index = tantivy.Index(build_schema(), path=str(index_dir), reuse=True)
        except (OSError, ValueError) as exc:
            raise BackendError(f"Cannot open the search store at {index_dir}: {exc}") from exc
        self.schema = self.index.schema
        self._generation_file = index_dir / "meta.json"
        self._lock = threading.RLock()
        self._generation: tuple[int, int, int] | None = None
        self._searcher: tantivy.Searcher | None = None
        self._snapshot: Snapshot | None = None
        self._vectors: Vectors | None = None
        self._vectors_generation: tuple[int, int, int] | None = None  # the generation `_vectors` matches
        self._unsaved = 0  # rows changed since the vectors were last saved
        self.generation_cache: dict = {}  # derived data valid for the current generation only

    # --- metadata ---------------------------------------------------------------------------------------
    def _read_meta(self) -> dict:
        if not self._meta_path.exists():
            return {}
        return json.loads(self._meta_path.read_text())

    def _write_meta(self) -> None:
        meta = {"schema_version": SCHEMA_VERSION, "dimension": self.dimension, "model_name": self.model_name}
        if self._read_meta() != meta:
            tmp = self._meta_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(meta, indent=1))
            os.replace(tmp, self._meta_path)

    # --- generations ------------------------------------------------------------------------------------
    def _current_generation(self) -> tuple[int, int, int]:
        """Identity of tantivy's meta file, which every commit replaces (atomically, by rename)."""
        try:
            stat = self._generation_file.stat()
        except FileNotFoundError:
            return (0, 0, 0)
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def searcher(self) -> tantivy.Searcher:
        """A searcher on the newest committed generation (reloading when another process committed)."""
        generation = self._current_generation()
        with self._lock:
            if self._searcher is None or generation != self._generation:
                self.index.reload()
                self._searcher = self.index.searcher()
                self._generation = generation
                self._snapshot = None
                self.generation_cache = {}
            return self._searcher

    def cache_for(self, searcher: tantivy.Searcher) -> dict:
        """A cache of data derived from `searcher`'s generation (a throwaway one if that is not current)."""
        with self._lock:
            if searcher is not self._searcher:
                return {}
            if len(self.generation_cache) > GENERATION_CACHE_LIMIT:
                self.generation_cache.clear()
            return self.generation_cache

    def forget_query_results(self) -> None:
        """Drop what searches left in this generation's cache: the facet counts of their match sets (and the
        rows of their keyword matches), the records they read and their whole answers. What any query reuses
        stays (counts under filters alone, a filter's rows, the facet table, word statistics). `pledges bench`
        times each search as the first of its query, not the second."""
        with self._lock:
            for key in [
                k
                for k in self.generation_cache
                if k in ("records", "answers") or (isinstance(k, tuple) and k[0] in ("part", "text-rows"))
            ]:
                self.generation_cache.pop(key, None)

    def snapshot(self) -> tuple[tantivy.Searcher, Snapshot]:
        """The searcher and its vector matrix; vectors of unchanged records are reused across generations."""
        searcher = self.searcher()
        with self._lock:
            if self._snapshot is None or searcher is not self._searcher:
                self._snapshot = self._build_snapshot(searcher)
            return searcher, self._snapshot

    def _build_snapshot(self, searcher: tantivy.Searcher) -> Snapshot:
        vectors = self._synced_vectors(searcher, self._generation)
        return Snapshot(vectors, vectors.count, vectors.alive[: vectors.count].copy(), vectors.objective_totals())

    def _synced_vectors(self, searcher: tantivy.Searcher, generation: tuple[int, int, int] | None) -> Vectors:
        """The vectors brought in step with `searcher`'s generation (by key: only what changed is read)."""
        with self._lock:
            vectors = self._vectors
            save_now = False
            if vectors is None:
                dim = self.dimension or 0
                loaded = Vectors.load(self.vectors_dir, dim, self.vector_options)
                save_now = loaded is not None and loaded.learnt_on_load  # saved, the next process need not learn them
                if loaded is not None and loaded.objective_bits is None:  # saved before rows kept them
                    loaded.set_objective_bits(bits_from_index(searcher, self.schema, loaded.rows_of_keys, loaded.count))
                    save_now = True
                vectors = loaded or Vectors(dim, self.vector_options)
                self._vectors_generation = None
            if generation is None or self._vectors_generation != generation:
                changed = self._reconcile(searcher, vectors)
                self._unsaved += changed
            if vectors.needs_compaction():
                vectors = vectors.compacted()
                self._unsaved += 1
            self._vectors, self._vectors_generation = vectors, generation
            if save_now or self._unsaved >= max(SAVE_AFTER_ROWS, vectors.live // 10):
                self.save_vectors()
            return vectors

    def _reconcile(self, searcher: tantivy.Searcher, vectors: Vectors) -> int:
        """Bring the rows in step with `searcher`'s generation; returns the rows changed.

        The documents written since the commits the rows have seen (`Vectors.written`) are read, and the rows
        their records had before are dropped. When that leaves a row count other than the index's, records
        were deleted: every key of the generation is listed and compared (1.4-2.0 s at a million records,
        against 22 ms for a batch of 64 records written by another process)."""
        newest = _newest_written(searcher)
        if vectors.written is not None and vectors.written <= newest:
            changed = self._read_written_since(searcher, vectors, vectors.written)
            if vectors.live == searcher.num_docs:
                vectors.written = newest
                return changed
        changed = self._reconcile_all(searcher, vectors)
        vectors.written = newest
        return changed

    def _read_written_since(self, searcher: tantivy.Searcher, vectors: Vectors, seen: int) -> int:
        """Apply the documents written after commit `seen`: their rows added, their records' older rows dead."""
        query = tantivy.Query.range_query(
            self.schema, "written", tantivy.FieldType.Unsigned, lower_bound=seen, upper_bound=None, include_lower=False
        )
        total = hit_count(searcher.search(query, limit=1, count=True))
        if not total:
            return 0
        removed, added = [], []
        addresses = [address for _, address in searcher.search(query, limit=total, count=False).hits]
        for address, value in zip(addresses, searcher.fast_field_values("key", addresses), strict=True):
            doc = searcher.doc(address)
            key, record_id = as_int(value), text(doc, "id")
            row = vectors.row_of_id.get(record_id)
            if row is not None and int(vectors.keys[row]) != key:
                removed.append(int(vectors.keys[row]))
            added.append(_row(key, doc))
        vectors.apply(removed, added)
        return len(removed) + len(added)

    def _reconcile_all(self, searcher: tantivy.Searcher, vectors: Vectors) -> int:
        """Drop rows the generation no longer has, read the documents of keys it added; rows changed."""
        total = searcher.num_docs
        present: dict[int, tantivy.DocAddress] = {}
        if total:
            hits = searcher.search(tantivy.Query.all_query(), limit=total, count=False, order_by_field="key").hits
            present = {int(key): address for key, address in hits}
        live = vectors.live_keys()
        removed = live - present.keys()
        added = []
        for key in present.keys() - live:
            added.append(_row(key, searcher.doc(present[key])))
        vectors.apply(removed, added)
        return len(removed) + len(added)

    @property
    def vectors_dir(self) -> Path:
        """Where the vectors' derived state is saved."""
        return self.path / "vectors"

    def save_vectors(self) -> None:
        """Save the vectors' state now (also done on close and after large changes)."""
        with self._lock:
            if self._vectors is not None and self._vectors.dimension:
                self._vectors.save(self.vectors_dir)
                self._unsaved = 0

    def vector_memory(self) -> dict[str, int]:
        """Bytes the vectors hold in memory (matrix, lists)."""
        with self._lock:
            return self._vectors.memory_bytes() if self._vectors is not None else {}

    def close(self) -> None:
        """Save the vectors when they changed since they were last saved."""
        with self._lock:
            if self._unsaved:
                self.save_vectors()

    def _after_commit(self, before: tuple[int, int, int], removed: list[int], added: list[Row], written: int) -> None:
        """Apply this process's own commit (`written`) to the vectors when they matched the generation it
        changed."""
        with self._lock:
            if self._vectors is None or self._vectors_generation != before:
                return
            self._vectors.apply(removed, added)
            if self._vectors.written is not None:
                self._vectors.written = max(self._vectors.written, written)
            self._vectors_generation = self._current_generation()
            self._unsaved += len(removed) + len(added)

    # --- writes -----------------------------------------------------------------------------------------
    def _writer(self) -> tantivy.IndexWriter:
        deadline = time.monotonic() + LOCK_WAIT_S
        delay = 0.05
        while True:
            try:
                return self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise BackendError(
                        f"Cannot write to the search store at {self.path}: another process "
                        f"(a running `pledges index`?) holds it. {exc}"
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _commit(self, writer: tantivy.IndexWriter) -> None:
        """Publish one batch atomically (a separate method so a crash test can stop a writer right here)."""
        writer.commit()

    def upsert(self, records: Sequence[StoredRecord]) -> None:
        """Replace or add the records in one commit."""
        if not records:
            return
        for record in records:
            vector = np.asarray(record.vector, dtype=np.float32)
            if vector.ndim != 1 or (self.dimension is not None and vector.shape[0] != self.dimension):
                raise StoreMismatch(
                    f"Record {record.pledge.id} has a vector of shape {vector.shape}; the store at "
                    f"{self.path} holds {self.dimension}-dimensional vectors."
                )
            if self.dimension is None:
                self.dimension = int(vector.shape[0])
                self._write_meta()
        writer = self._writer()
        try:
            before = self._writer_generation()
            written = writer.commit_opstamp + 1
            removed, added = self._upsert_delta(records)
            for record in records:
                writer.delete_documents_by_term("id", record.pledge.id)
                writer.add_document(to_document(record.pledge, record.vector, record.content_hash, written))
            self._commit(writer)
            self._after_commit(before, removed, added, written)
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()

    def _writer_generation(self) -> tuple[int, int, int]:
        """The generation a writer starts from (no other process can commit while it holds the lock); the
        vectors are brought in step with it first, so this commit's change can be applied to them."""
        generation = self._current_generation()
        with self._lock:
            if self._vectors is not None and self._vectors.dimension != self.dimension:
                self._vectors = None  # made before the first record gave the store its dimension
            if self._vectors is None or self._vectors_generation != generation:
                self.index.reload()
                self._synced_vectors(self.index.searcher(), generation)
        return generation

    def _upsert_delta(self, records: Sequence[StoredRecord]) -> tuple[list[int], list[Row]]:
        """(keys this batch replaces, rows it adds) as the vectors see them."""
        vectors = self._vectors
        if vectors is None:
            return [], []
        removed, added = [], []
        for record in records:
            key = record_key(record.pledge.id, record.content_hash)
            row = vectors.row_of_id.get(record.pledge.id)
            old = int(vectors.keys[row]) if row is not None else None
            if old == key:
                continue
            if old is not None:
                removed.append(old)
            vector = np.asarray(record.vector, dtype=np.float32)
            added.append((key, record.pledge.id, vector, bits_of(record.pledge.objectives)))
        return removed, added

    def delete(self, ids: Sequence[str]) -> int:
        """Remove these ids in one commit; returns how many existed.

        A deleted document's text would stay in its segment's files until a merge happens to rewrite that
        segment, and tantivy-py cannot ask for one. So the same commit also re-adds every other record of the
        segments that held the deleted ones: those segments are left with no live document, tantivy drops
        them, and their files are removed before this returns. The cost is one rewrite of those segments (a
        write of their records, no model), paid only by deletes."""
        writer = self._writer()
        try:
            self.index.reload()  # under the writer lock: the newest commit of any process
            searcher = self.index.searcher()
            existing, mates = self._segment_mates(searcher, ids)
            if not existing:
                writer.rollback()
                return 0
            for record_id in [*existing, *(mate.pledge.id for mate in mates)]:
                writer.delete_documents_by_term("id", record_id)
            written = writer.commit_opstamp + 1
            for mate in mates:
                writer.add_document(to_document(mate.pledge, mate.vector, mate.content_hash, written))
            before = self._writer_generation()
            vectors = self._vectors
            gone = [int(vectors.keys[vectors.row_of_id[i]]) for i in existing if vectors and i in vectors.row_of_id]
            self._commit(writer)
            self._after_commit(before, gone, [], written)
            writer.garbage_collect_files()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        return len(existing)

    def _segment_mates(self, searcher: tantivy.Searcher, ids: Sequence[str]) -> tuple[list[str], list[StoredRecord]]:
        """(the ids that exist, every other record stored in the same segments as they are)."""
        unique = list(dict.fromkeys(ids))
        if not unique or searcher.num_docs == 0:
            return [], []
        query = tantivy.Query.term_set_query(self.schema, "id", unique)
        found = searcher.search(query, limit=len(unique), count=False).hits
        existing = [text(searcher.doc(address), "id") for _, address in found]
        segments = {address.segment_ord for _, address in found}
        gone = set(existing)
        mates: list[StoredRecord] = []
        for _, address in searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs, count=False).hits:
            if address.segment_ord not in segments:
                continue
            doc = searcher.doc(address)
            if text(doc, "id") in gone:
                continue
            vector = np.frombuffer(raw(doc, "vector"), dtype=np.float32)
            pledge = Pledge.model_validate_json(raw(doc, "record"))
            mates.append(StoredRecord(pledge, vector, text(doc, "content_hash")))
        return existing, mates

    # --- point reads ------------------------------------------------------------------------------------
    def _docs_by_id(self, ids: Sequence[str], searcher: tantivy.Searcher | None = None) -> list[tantivy.Document]:
        searcher = searcher or self.searcher()
        docs: list[tantivy.Document] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 1000):
            chunk = unique[start : start + 1000]
            query = tantivy.Query.term_set_query(self.schema, "id", chunk)
            for _, address in searcher.search(query, limit=len(chunk), count=False).hits:
                docs.append(searcher.doc(address))
        return docs

    def get(self, record_id: str) -> Pledge | None:
        """One record, or None."""
        return self.get_many([record_id]).get(record_id)

    def get_many(self, ids: Sequence[str]) -> dict[str, Pledge]:
        """Several records by id (missing ids left out).

        Parsed records are kept for the generation they were read from (at most `RECORD_CACHE_LIMIT`, the
        oldest dropped first): a page of hits, the next page and the similar records of an opened pledge
        read the same few records again, and parsing a stored record is most of reading it."""
        searcher = self.searcher()
        parsed: dict[str, Pledge] = self.cache_for(searcher).setdefault("records", {})
        found: dict[str, Pledge] = {}
        missing: list[str] = []
        for i in dict.fromkeys(ids):
            if i in parsed:
                found[i] = parsed[i]
            else:
                missing.append(i)
        for doc in self._docs_by_id(missing, searcher):
            pledge = Pledge.model_validate_json(raw(doc, "record"))
            found[pledge.id] = parsed[pledge.id] = pledge
        if len(parsed) > RECORD_CACHE_LIMIT:
            for stale in list(parsed)[: len(parsed) - RECORD_CACHE_LIMIT // 2]:
                parsed.pop(stale, None)  # another search may have dropped it already
        return found

    def get_vector(self, record_id: str) -> np.ndarray | None:
        """The stored vector of one record, or None."""
        docs = self._docs_by_id([record_id])
        return np.frombuffer(raw(docs[0], "vector"), dtype=np.float32).copy() if docs else None

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored content hashes of the ids that exist."""
        return {text(doc, "id"): text(doc, "content_hash") for doc in self._docs_by_id(ids)}

    def count(self, filters: Filters | None = None) -> int:
        """Records stored, under filters when given."""
        searcher = self.searcher()
        if searcher.num_docs == 0:
            return 0
        query = conjunction(list(filter_clauses(self.schema, filters)))
        return hit_count(searcher.search(query, limit=1, count=True))
