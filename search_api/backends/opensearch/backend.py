"""OpenSearchBackend: the same contract as the embedded engine, on an OpenSearch cluster.

Readers and writers address an alias (`pledges` by default) over one concrete index (`pledges-1`, ...). A
rebuild writes a new concrete index (`new_generation()`) while searches keep reading the old one, then
`promote()` swaps the alias in one `_aliases` request: no downtime, no half-built index ever visible.

Atomicity. OpenSearch has no multi-document transactions. What holds: each document is written whole (its
record, text, vector and facet values are one document, so they never disagree); an acknowledged write is
durable (translog); `upsert` sends one bulk request per 500 records and refreshes once at the end, so a
search sees the batch after `upsert` returns. What does not hold: if the process dies in the middle of a
bulk, some documents of the batch may be written and others not, and a periodic refresh (1 s) may show a
batch before it is complete. Re-running the same `pledges index` repairs it: writes are idempotent (`index`
by id) and the content hashes skip what was already stored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from models.records import StoredRecord
from models.schemas import Filters, Pledge
from search_api.backends.base import BackendError, SearchBackend, StoreMismatch
from search_api.backends.opensearch import mappings, queries
from search_api.backends.opensearch.client import (
    NotFoundError,
    OpenSearch,
    RequestError,
    Unreachable,
    engine_errors,
    helpers,
    is_already_exists,
)
from search_api.backends.opensearch.documents import (
    bulk_failures,
    delete_actions,
    index_actions,
    not_found_count,
)
from search_api.backends.opensearch.objectives import RecordObjectives, ServerAnalyser
from search_api.backends.opensearch.reader import OpenSearchReader
from search_api.backends.opensearch.reading import Index
from search_api.backends.opensearch.responses import pledge_from_source
from search_api.core.ranking import DEFAULT_RANKING, RankingParams

BULK_CHUNK = 500
MGET_CHUNK = 1000


class OpenSearchBackend(SearchBackend):
    """Records, vectors and facets in one OpenSearch index behind an alias."""

    name: ClassVar[str] = "opensearch"

    def __init__(self, url: str, index: str = "pledges", dimension: int | None = None,
                 model_name: str | None = None, *, params: RankingParams = DEFAULT_RANKING,
                 knn_engine: str = "lucene", client: Any = None,
                 timeout: float = 30.0, _concrete: str | None = None) -> None:
        self.url, self.alias, self.params, self.knn_engine = url, index, params, knn_engine
        self.analyser = ServerAnalyser(lambda: self.target)  # the index's analysers, for the objective leg
        self.record_objectives = RecordObjectives()  # declared or inferred, per content stamp
        self.client = client if client is not None else OpenSearch(
            hosts=[url], timeout=timeout, http_compress=True, retry_on_timeout=True, max_retries=2)
        self.dimension, self.model_name = dimension, model_name
        self._target = _concrete or index  # where reads and writes go: the alias, or a new generation
        self._exists = False
        with contextlib.suppress(Unreachable):  # not up yet (compose starts all at once): looked up per call
            self._open()

    # --- index lifecycle ----------------------------------------------------------------------------------
    def _stored_meta(self) -> dict[str, Any] | None:
        """The `_meta` of the index behind the target, or None when there is no index yet."""
        with engine_errors(f"read the mapping of {self._target!r}"):
            try:
                answer = self.client.indices.get_mapping(index=self._target)
            except NotFoundError:
                return None
        metas = [body.get("mappings", {}).get("_meta", {}) for body in answer.values()]
        return metas[0] if metas else {}

    def _open(self) -> None:
        """Check the stored model against ours (StoreMismatch), or create the first index when we can."""
        meta = self._stored_meta()
        if meta is None:
            if self.dimension is not None:
                self._create_first_index(self.dimension)
            return
        problem = mappings.stored_meta_mismatch(self._target, meta, self.dimension, self.model_name)
        if problem:
            raise StoreMismatch(problem)
        stored_model, stored_dim = meta.get("embedding_model"), meta.get("dimension")
        self.dimension = self.dimension or stored_dim
        self.model_name = stored_model or self.model_name
        self._exists = True

    def _create_first_index(self, dimension: int) -> None:
        """`<alias>-1` with the alias, in one request; a concurrent creator wins harmlessly."""
        self.dimension = dimension
        body = mappings.index_body(dimension, self.model_name or "unknown", alias=self.alias,
                                   engine=self.knn_engine)
        with engine_errors(f"create the index {self.alias}-1"):
            try:
                self.client.indices.create(index=f"{self.alias}-1", body=body)
            except RequestError as exc:
                if not is_already_exists(exc):
                    raise
                self._open()
                return
        self._exists = True

    def generations(self) -> list[str]:
        """Concrete indices named `<alias>-<n>`, oldest first."""
        with engine_errors("list index generations"):
            names = self.client.indices.get(index=f"{self.alias}-*", ignore_unavailable=True,
                                            allow_no_indices=True)
        numbered = [n for n in names if n.rsplit("-", 1)[-1].isdigit()]
        return sorted(numbered, key=lambda n: int(n.rsplit("-", 1)[-1]))

    def new_generation(self, dimension: int | None = None,
                       model_name: str | None = None) -> OpenSearchBackend:
        """A backend writing to a fresh concrete index that no search reads yet (see promote)."""
        existing = self.generations()
        number = int(existing[-1].rsplit("-", 1)[-1]) + 1 if existing else 1
        name = f"{self.alias}-{number}"
        dimension = dimension or self.dimension
        if dimension is None:
            raise ValueError("a new index generation needs the vector dimension")
        model = model_name or self.model_name or "unknown"
        with engine_errors(f"create the index {name}"):
            self.client.indices.create(index=name, body=mappings.index_body(dimension, model,
                                                                            engine=self.knn_engine))
        return OpenSearchBackend(self.url, self.alias, dimension, model, params=self.params,
                                 knn_engine=self.knn_engine, client=self.client, _concrete=name)

    def promote(self, generation: OpenSearchBackend, delete_old: bool = True) -> None:
        """Point the alias at `generation` atomically; then drop the indices it left."""
        with engine_errors(f"move the alias {self.alias}"):
            try:
                old = list(self.client.indices.get_alias(name=self.alias))
            except NotFoundError:
                old = []
            self.client.indices.update_aliases(
                body=mappings.swap_alias_actions(self.alias, generation._target, old))
            if delete_old:
                for name in old:
                    if name != generation._target:
                        self.client.indices.delete(index=name, ignore_unavailable=True)
        self.dimension, self.model_name, self._exists = generation.dimension, generation.model_name, True

    # --- writes -------------------------------------------------------------------------------------------
    def upsert(self, records: Sequence[StoredRecord]) -> None:
        """Insert or replace by id: bulk requests of 500, then one refresh (see the module docstring)."""
        if not records:
            return
        for record in records:
            vector = np.asarray(record.vector)
            if vector.ndim != 1 or (self.dimension is not None and vector.shape[0] != self.dimension):
                raise StoreMismatch(f"Record {record.pledge.id} has a vector of shape {vector.shape}; the "
                                    f"index {self._target!r} holds {self.dimension}-dimensional vectors.")
        if not self._ready():
            self._create_first_index(int(np.asarray(records[0].vector).shape[0]))
        with engine_errors(f"index {len(records)} records"):
            _, errors = helpers.bulk(self.client, index_actions(records, self._target), chunk_size=BULK_CHUNK,
                                     raise_on_error=False, refresh=False)
            self.client.indices.refresh(index=self._target)
        failures = bulk_failures(errors)
        if failures:
            raise _bulk_error(failures)

    def delete(self, ids: Sequence[str]) -> int:
        """Remove by id, then refresh; returns how many existed."""
        if not ids or not self._ready():
            return 0
        actions = delete_actions(ids, self._target)
        with engine_errors(f"delete {len(actions)} records"):
            _, errors = helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, raise_on_error=False,
                                     refresh=False)
            self.client.indices.refresh(index=self._target)
        failures = bulk_failures(errors, ignore_not_found=True)
        if failures:
            raise _bulk_error(failures)
        return len(actions) - not_found_count(errors)

    # --- point reads --------------------------------------------------------------------------------------
    def _mget(self, ids: Sequence[str], **source: Any) -> dict[str, dict[str, Any]]:
        """_source of the ids that exist, by id (in chunks)."""
        found: dict[str, dict[str, Any]] = {}
        if not ids or not self._ready():
            return found
        unique = list(dict.fromkeys(ids))
        with engine_errors("read records"):
            for start in range(0, len(unique), MGET_CHUNK):
                answer = self.client.mget(index=self._target, body={"ids": unique[start:start + MGET_CHUNK]},
                                          **source)
                found.update({d["_id"]: d.get("_source", {}) for d in answer["docs"] if d.get("found")})
        return found

    def get(self, record_id: str) -> Pledge | None:
        """One stored record, or None."""
        source = self._mget([record_id], _source_excludes=queries.SOURCE_EXCLUDES).get(record_id)
        return pledge_from_source(source) if source is not None else None

    def get_many(self, ids: Sequence[str]) -> dict[str, Pledge]:
        """Stored records by id (missing ids left out)."""
        sources = self._mget(ids, _source_excludes=queries.SOURCE_EXCLUDES)
        return {i: pledge_from_source(s) for i, s in sources.items()}

    def get_vector(self, record_id: str) -> np.ndarray | None:
        """The stored vector of one record, or None."""
        source = self._mget([record_id], _source_includes=[queries.VECTOR_FIELD]).get(record_id)
        if source is None or queries.VECTOR_FIELD not in source:
            return None
        return np.asarray(source[queries.VECTOR_FIELD], dtype=np.float32)

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored content hashes of the ids that exist (mget, only that field)."""
        sources = self._mget(ids, _source_includes=["content_hash"])
        return {i: s["content_hash"] for i, s in sources.items() if "content_hash" in s}

    def count(self, filters: Filters | None = None) -> int:
        """Number of records, under filters when given."""
        if not self._ready():
            return 0
        with engine_errors("count records"):
            answer = self.client.count(index=self._target,
                                       body={"query": queries.as_filter(queries.filter_clauses(filters))})
        return int(answer["count"])

    # --- searches -----------------------------------------------------------------------------------------
    def reader(self) -> OpenSearchReader:
        """The search primitives against the alias (or the generation this backend writes)."""
        return OpenSearchReader(self.target, self.params, self.exists, self.analyser, self.record_objectives,
                                self.get_many)

    # --- lifecycle ----------------------------------------------------------------------------------------
    def _ready(self) -> bool:
        """Whether an index stands behind the target; until one does, every call looks again (another
        process, `pledges index`, may create it while this one serves searches)."""
        if not self._exists:
            self._open()
        return self._exists

    @property
    def exists(self) -> bool:
        """Whether an index stands behind the target (looked up again while there was none)."""
        return self._ready()

    @property
    def index_name(self) -> str:
        """The alias, or the concrete index of a generation being built."""
        return self._target

    @property
    def target(self) -> Index:
        """The client and the index it reads and writes."""
        return Index(self.client, self._target)

    @property
    def embedding_model(self) -> str | None:
        """Model the stored vectors came from (the index's `_meta`)."""
        return self.model_name

    def refresh(self) -> None:
        """Make every acknowledged write visible to searches now."""
        if self._ready():
            with engine_errors("refresh"):
                self.client.indices.refresh(index=self._target)

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()


def _bulk_error(failures: list[str]) -> BackendError:
    """One BackendError for the items a bulk request refused."""
    more = f" (and {len(failures) - 5} more)" if len(failures) > 5 else ""
    return BackendError(f"OpenSearch refused {len(failures)} bulk items: {'; '.join(failures[:5])}{more}")
