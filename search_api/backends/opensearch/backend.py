"""OpenSearchBackend: the same contract as the embedded engine, on an OpenSearch cluster.

Readers and writers address an alias (`pledges` by default) over one concrete index (`pledges-1`, ...). A
rebuild (`rebuild()`, `pledges index --rebuild`) writes a new concrete index (`new_generation()`) while
searches keep reading the old one, checks its count, then `promote()` swaps the alias in one `_aliases` request
and deletes the old generation: no downtime, no half-built index ever visible. Each search reads one generation
from its first request to its last (`reader()` resolves the alias once); a search whose generation is deleted
under it (the alias moved meanwhile) runs once more, on the new one.

Several nodes: `url` may name several nodes of one cluster, comma-separated; a request that cannot reach one is
sent to another (`max_retries=1`, connection errors only). A request that times out is not retried: a search
fails after `timeout` seconds at most, never hangs. A search never answers from part of the index: a response
in which a shard failed raises (OpenSearch would otherwise return the other shards' hits as if complete).

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from models.records import StoredRecord
from models.schemas import Filters, Pledge, SearchRequest
from search_api.backends.base import BackendError, SearchBackend, StoreMismatch, T
from search_api.backends.opensearch import mappings, queries
from search_api.backends.opensearch.client import (
    NodeLost,
    NotFoundError,
    OpenSearch,
    RequestError,
    Unreachable,
    engine_errors,
    helpers,
    is_already_exists,
    is_node_loss,
)
from search_api.backends.opensearch.documents import (
    bulk_failures,
    delete_actions,
    index_actions,
    not_found_count,
)
from search_api.backends.opensearch.objectives import RecordObjectives, ServerAnalyser
from search_api.backends.opensearch.reader import OpenSearchReader
from search_api.backends.opensearch.reading import Index, whole
from search_api.backends.opensearch.responses import pledge_from_source
from search_api.core import search as core
from search_api.core.ranking import DEFAULT_RANKING, RankingParams
from search_api.core.reader import QueryVector, SearchReader

BULK_CHUNK = 500
MGET_CHUNK = 1000
HEALTH_TIMEOUT_S = 1.5  # /ready answers within 2 s even when the cluster hangs
WRITE_TIMEOUT_S = 120.0  # a bulk of 500 records into HNSW graphs and their replicas, on a busy node
Health = Literal["green", "yellow", "red"]


class RebuildFailed(BackendError):
    """A rebuild did not produce a complete generation; the alias was left where it was."""


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild did: the generation the alias now names, the ones it replaced (deleted), its count."""

    generation: str
    replaced: list[str]
    count: int


class OpenSearchBackend(SearchBackend):
    """Records, vectors and facets in one OpenSearch index behind an alias."""

    name: ClassVar[str] = "opensearch"

    def __init__(
        self,
        url: str,
        index: str = "pledges",
        dimension: int | None = None,
        model_name: str | None = None,
        *,
        params: RankingParams = DEFAULT_RANKING,
        knn_engine: str = "lucene",
        client: Any = None,
        timeout: float = 10.0,
        shards: int | None = None,
        replicas: int | None = None,
        check_stored: bool = True,
        _concrete: str | None = None,
    ) -> None:
        """`url`: one node, or several of one cluster comma-separated. `shards`/`replicas`: of the indices this
        backend creates (default: those of the generation behind the alias, else 1 shard and 0 replicas, right
        for one node). `check_stored=False` opens an index built by another model or schema (to rebuild it)."""
        self.url, self.alias, self.params, self.knn_engine = url, index, params, knn_engine
        self.timeout, self.shards, self.replicas, self.check_stored = timeout, shards, replicas, check_stored
        self.analyser = ServerAnalyser(lambda: self.target)  # the index's analysers, for the objective leg
        self.record_objectives = RecordObjectives()  # declared or inferred, per content stamp
        self.client = (
            client
            if client is not None
            else OpenSearch(
                hosts=node_urls(url), timeout=timeout, http_compress=True, retry_on_timeout=False, max_retries=1
            )
        )
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
        if problem and not self.check_stored:  # opened to be rebuilt: new generations take our model
            self._exists = True
            return
        if problem:
            raise StoreMismatch(problem)
        stored_model, stored_dim = meta.get("embedding_model"), meta.get("dimension")
        self.dimension = self.dimension or stored_dim
        self.model_name = stored_model or self.model_name
        self._exists = True

    def _create_first_index(self, dimension: int) -> None:
        """`<alias>-1` with the alias, in one request; a concurrent creator wins harmlessly."""
        self.dimension = dimension
        body = mappings.index_body(
            dimension,
            self.model_name or "unknown",
            alias=self.alias,
            engine=self.knn_engine,
            shards=self.shards or 1,
            replicas=self.replicas or 0,
        )
        with engine_errors(f"create the index {self.alias}-1"):
            try:
                self.client.indices.create(index=f"{self.alias}-1", body=body, request_timeout=self._write_s)
            except RequestError as exc:
                if not is_already_exists(exc):
                    raise
                self._open()
                return
        self._exists = True

    def generations(self) -> list[str]:
        """Concrete indices named `<alias>-<n>`, oldest first."""
        with engine_errors("list index generations"):
            names = self.client.indices.get(index=f"{self.alias}-*", ignore_unavailable=True, allow_no_indices=True)
        numbered = [n for n in names if n.rsplit("-", 1)[-1].isdigit()]
        return sorted(numbered, key=lambda n: int(n.rsplit("-", 1)[-1]))

    def _layout(self) -> tuple[int, int]:
        """(shards, replicas) for a new index: this backend's, else those of the generation behind the alias,
        else one shard and no replica."""
        shards, replicas = self.shards, self.replicas
        if shards is None or replicas is None:
            with engine_errors(f"read the settings of {self.alias!r}"):
                try:
                    answer = self.client.indices.get_settings(index=self.alias, name="index.number_of_*")
                except NotFoundError:
                    answer = {}
            for body in answer.values():
                stored = body.get("settings", {}).get("index", {})
                shards = shards if shards is not None else int(stored.get("number_of_shards", 1))
                replicas = replicas if replicas is not None else int(stored.get("number_of_replicas", 0))
                break
        return (shards if shards is not None else 1, replicas if replicas is not None else 0)

    def new_generation(self, dimension: int | None = None, model_name: str | None = None) -> OpenSearchBackend:
        """A backend writing to a fresh concrete index that no search reads yet (see promote)."""
        existing = self.generations()
        number = int(existing[-1].rsplit("-", 1)[-1]) + 1 if existing else 1
        name = f"{self.alias}-{number}"
        dimension = dimension or self.dimension
        if dimension is None:
            raise ValueError("a new index generation needs the vector dimension")
        model = model_name or self.model_name or "unknown"
        shards, replicas = self._layout()
        with engine_errors(f"create the index {name}"):
            self.client.indices.create(
                index=name,
                body=mappings.index_body(dimension, model, engine=self.knn_engine, shards=shards, replicas=replicas),
                request_timeout=self._write_s,
            )
        return OpenSearchBackend(
            self.url,
            self.alias,
            dimension,
            model,
            params=self.params,
            knn_engine=self.knn_engine,
            client=self.client,
            timeout=self.timeout,
            shards=shards,
            replicas=replicas,
            _concrete=name,
        )

    def behind_alias(self) -> list[str]:
        """The concrete indices the alias names now (one, but for a hand-made alias)."""
        with engine_errors(f"read the alias {self.alias}"):
            try:
                return sorted(self.client.indices.get_alias(name=self.alias))
            except NotFoundError:
                return []

    def promote(self, generation: OpenSearchBackend, delete_old: bool = True) -> list[str]:
        """Point the alias at `generation` atomically; then drop the indices it left. Returns those."""
        with engine_errors(f"move the alias {self.alias}"):
            old = self.behind_alias()
            self.client.indices.update_aliases(
                body=mappings.swap_alias_actions(self.alias, generation._target, old), request_timeout=self._write_s
            )
        self.dimension, self.model_name, self._exists = generation.dimension, generation.model_name, True
        replaced = [name for name in old if name != generation._target]
        if delete_old:
            with engine_errors("delete the replaced index generation"):
                for name in replaced:
                    self.client.indices.delete(index=name, ignore_unavailable=True, request_timeout=self._write_s)
        return replaced

    def drop_generation(self, generation: OpenSearchBackend) -> bool:
        """Delete a generation no search reads (a failed rebuild's); False, and nothing deleted, when the alias
        names it."""
        if generation._target == self.alias or generation._target in self.behind_alias():
            return False
        with engine_errors(f"delete the index {generation._target}"):
            self.client.indices.delete(index=generation._target, ignore_unavailable=True, request_timeout=self._write_s)
        return True

    def rebuild(
        self, fill: Callable[[OpenSearchBackend], int], *, dimension: int | None = None, model_name: str | None = None
    ) -> Rebuilt:
        """Zero-downtime re-index: `fill` writes every record into a new generation and returns how many it
        stored; when the generation holds exactly that many (and some), the alias moves to it in one request
        and the old generation is deleted. Anything else (an exception in `fill`, a count that differs, nothing
        stored) deletes the half-built generation and leaves the alias where it was (RebuildFailed, or the
        exception itself). Searches meanwhile read the old generation, then the new one, never a mix."""
        generation = self.new_generation(dimension, model_name)
        try:
            expected = fill(generation)
            generation.refresh()
            found = generation.count()
            if expected <= 0:
                raise RebuildFailed(
                    f"The rebuild stored no record in {generation.index_name}; the alias "
                    f"{self.alias!r} was left on {', '.join(self.behind_alias()) or 'nothing'}."
                )
            if found != expected:
                raise RebuildFailed(
                    f"The new generation {generation.index_name} holds {found} records where the "
                    f"indexing report says {expected}; the alias {self.alias!r} was left where it "
                    "was."
                )
            replaced = self.promote(generation)
        except BaseException:
            with contextlib.suppress(BackendError):  # the engine may be what failed: the error above says so
                self.drop_generation(generation)
            raise
        return Rebuilt(generation.index_name, replaced, found)

    # --- writes -------------------------------------------------------------------------------------------
    def upsert(self, records: Sequence[StoredRecord]) -> None:
        """Insert or replace by id: bulk requests of 500, then one refresh (see the module docstring)."""
        if not records:
            return
        for record in records:
            vector = np.asarray(record.vector)
            if vector.ndim != 1 or (self.dimension is not None and vector.shape[0] != self.dimension):
                raise StoreMismatch(
                    f"Record {record.pledge.id} has a vector of shape {vector.shape}; the "
                    f"index {self._target!r} holds {self.dimension}-dimensional vectors."
                )
        if not self._ready():
            self._create_first_index(int(np.asarray(records[0].vector).shape[0]))
        with engine_errors(f"index {len(records)} records"):
            _, errors = helpers.bulk(
                self.client,
                index_actions(records, self._target),
                chunk_size=BULK_CHUNK,
                raise_on_error=False,
                refresh=False,
                request_timeout=self._write_s,
            )
            self.client.indices.refresh(index=self._target, request_timeout=self._write_s)
        failures = bulk_failures(errors)
        if failures:
            raise _bulk_error(failures)

    def delete(self, ids: Sequence[str]) -> int:
        """Remove by id, then refresh; returns how many existed."""
        if not ids or not self._ready():
            return 0
        actions = delete_actions(ids, self._target)
        with engine_errors(f"delete {len(actions)} records"):
            _, errors = helpers.bulk(
                self.client,
                actions,
                chunk_size=BULK_CHUNK,
                raise_on_error=False,
                refresh=False,
                request_timeout=self._write_s,
            )
            self.client.indices.refresh(index=self._target, request_timeout=self._write_s)
        failures = bulk_failures(errors, ignore_not_found=True)
        if failures:
            raise _bulk_error(failures)
        return len(actions) - not_found_count(errors)

    # --- point reads --------------------------------------------------------------------------------------
    def _mget(self, ids: Sequence[str], index: str | None = None, **source: Any) -> dict[str, dict[str, Any]]:
        """_source of the ids that exist, by id (in chunks), from `index` (default: the target)."""
        found: dict[str, dict[str, Any]] = {}
        if not ids or not self._ready():
            return found
        unique = list(dict.fromkeys(ids))
        with engine_errors("read records"):
            for start in range(0, len(unique), MGET_CHUNK):
                answer = self.client.mget(
                    index=index or self._target, body={"ids": unique[start : start + MGET_CHUNK]}, **source
                )
                failed = [d for d in answer["docs"] if d.get("error")]
                if failed:  # a shard of the index is unavailable: not the same as "no such record"
                    reason = str(failed[0]["error"])
                    raise (NodeLost if is_node_loss(reason) else BackendError)(
                        f"OpenSearch could not read {len(failed)} records: {reason}"
                    )
                found.update({d["_id"]: d.get("_source", {}) for d in answer["docs"] if d.get("found")})
        return found

    def get(self, record_id: str) -> Pledge | None:
        """One stored record, or None."""
        source = self._mget([record_id], _source_excludes=queries.SOURCE_EXCLUDES).get(record_id)
        return pledge_from_source(source) if source is not None else None

    def get_many(self, ids: Sequence[str], index: str | None = None) -> dict[str, Pledge]:
        """Stored records by id (missing ids left out)."""
        sources = self._mget(ids, index, _source_excludes=queries.SOURCE_EXCLUDES)
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
            answer = self.client.count(
                index=self._target, body={"query": queries.as_filter(queries.filter_clauses(filters))}
            )
        return int(whole(answer, self._target)["count"])

    # --- searches -----------------------------------------------------------------------------------------
    def reader(self) -> OpenSearchReader:
        """The search primitives against the generation the alias names now (or the one this backend writes):
        every request of one search reads the same generation, even when a rebuild moves the alias meanwhile."""
        exists = self.exists
        name = self._pinned() if exists else self._target
        return OpenSearchReader(
            Index(self.client, name),
            self.params,
            exists,
            self.analyser,
            self.record_objectives,
            lambda ids: self.get_many(ids, name),
        )

    def _pinned(self) -> str:
        """The one concrete index behind the alias (the alias itself when it names none or several)."""
        if self._target != self.alias:
            return self._target
        names = self.behind_alias()
        return names[0] if len(names) == 1 else self.alias

    def _moved(self, read: str) -> bool:
        """True when a search that read `read` failed because a rebuild moved the alias away from it."""
        return read != self.alias and self._pinned() != read

    def _again(self, error: BackendError, read: str) -> bool:
        """Whether a search that read `read` and failed with `error` should run once more: a node left the
        cluster while it ran (another copy answers now), or a rebuild moved the alias away from `read`. Never
        after a timeout or an unreachable cluster: a search fails within the configured timeout."""
        if isinstance(error, Unreachable):
            return False
        return isinstance(error, NodeLost) or self._moved(read)

    def read(self, run: Callable[[SearchReader[Any]], T]) -> T:
        """`run` over one generation; once more when a node left meanwhile, or a rebuild moved the alias away
        from the generation it read (then on the new one). Searches and similar records both go through here."""
        reader = self.reader()
        try:
            return run(reader)
        except BackendError as error:
            if not self._again(error, reader.index.name):
                raise
        return run(self.reader())

    def iter_matches(self, request: SearchRequest, query_vector: QueryVector) -> Iterator[Pledge]:
        """Every record of the result, from one generation (an export a rebuild outlives fails: run it again)."""
        return core.iter_matches(self.reader(), self.params, request, query_vector)

    def health(self) -> Health:
        """green, yellow (a replica is missing: every record is still served) or red (part of the index is
        missing) for the index behind the alias; the cluster's while there is none yet."""
        with engine_errors("read the cluster health"):
            exists = self.exists
            answer = self.client.cluster.health(
                index=self._target if exists else None,
                timeout="1s",
                request_timeout=min(self.timeout, HEALTH_TIMEOUT_S),
                ignore=408,
            )
        status = str(answer.get("status", "red"))
        return status if status in ("green", "yellow") else "red"  # type: ignore[return-value]

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
    def _write_s(self) -> float:
        """Timeout of writes and index changes: searches fail after `timeout`, indexing is allowed longer."""
        return max(self.timeout, WRITE_TIMEOUT_S)

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
                self.client.indices.refresh(index=self._target, request_timeout=self._write_s)

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()


def node_urls(url: str) -> list[str]:
    """The nodes a comma-separated PLEDGES_OPENSEARCH_URL names."""
    urls = [part.strip() for part in url.split(",") if part.strip()]
    if not urls:
        raise BackendError("PLEDGES_OPENSEARCH_URL names no node, e.g. http://127.0.0.1:9200")
    return urls


def _bulk_error(failures: list[str]) -> BackendError:
    """One BackendError for the items a bulk request refused."""
    more = f" (and {len(failures) - 5} more)" if len(failures) > 5 else ""
    return BackendError(f"OpenSearch refused {len(failures)} bulk items: {'; '.join(failures[:5])}{more}")
