"""The contract every search engine fulfils; `tests/contract/` checks it once for all engines.

An engine stores records with their vectors, reads them back, explains its neighbours, and offers a
`reader()`: the primitives (keyword candidates, vector candidates, filtered ids, facet counts, hits by id) from
which `search_api.core.search` builds every search. The search semantics live there, once; `search()` and
`iter_matches()` below only hand the engine's reader to it.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, TypeVar

import numpy as np
from pydantic import TypeAdapter

from models.records import StoredRecord
from models.schemas import Filters, Pledge, SearchRequest, SearchResponse, SimilarHit
from search_api.core import search as core
from search_api.core import similar as neighbours
from search_api.core.ranking import RankingParams
from search_api.core.reader import QueryVector, SearchReader

T = TypeVar("T")
SEARCH_RESPONSE = TypeAdapter(SearchResponse)  # kept answers are kept as JSON (search_api.core.answers)
SIMILAR_HITS = TypeAdapter(list[SimilarHit])

__all__ = ["BackendError", "SearchBackend", "StoreMismatch", "StoredRecord"]


class BackendError(Exception):
    """An engine failed or cannot be reached; the API turns it into a 503."""


class StoreMismatch(BackendError):
    """The store was built with another embedding model or dimension than the settings ask for."""


class SearchBackend(ABC):
    """One search engine: storage of records with their vectors, search, facets and similar records."""

    name: ClassVar[str]
    params: RankingParams

    # --- writes -------------------------------------------------------------------------------------------
    @abstractmethod
    def upsert(self, records: Sequence[StoredRecord]) -> None:
        """Insert or replace these records in one transaction: after a crash all or none of them are stored."""

    @abstractmethod
    def delete(self, ids: Sequence[str]) -> int:
        """Remove records by id, in one transaction; returns how many existed."""

    # --- reads --------------------------------------------------------------------------------------------
    @abstractmethod
    def get(self, record_id: str) -> Pledge | None:
        """One stored record, or None."""

    @abstractmethod
    def get_many(self, ids: Sequence[str]) -> dict[str, Pledge]:
        """Stored records by id (missing ids left out)."""

    @abstractmethod
    def get_vector(self, record_id: str) -> np.ndarray | None:
        """The stored vector of one record, or None."""

    @abstractmethod
    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored content hashes of those ids that exist: lets the indexer skip unchanged records."""

    @abstractmethod
    def count(self, filters: Filters | None = None) -> int:
        """Number of stored records (under filters, when given)."""

    @abstractmethod
    def reader(self) -> SearchReader[Any]:
        """The search primitives over one consistent view of the store (see search_api.core.reader)."""

    def read(self, run: Callable[[SearchReader[Any]], T]) -> T:
        """`run` over a fresh reader: the one place an engine may add a retry (OpenSearch does)."""
        return run(self.reader())

    def search(self, request: SearchRequest, query_vector: QueryVector) -> SearchResponse:
        """One page of hits with snippets, the total and the disjunctive facets (labels in request.lang).

        `query_vector` is the embedded `request.q`, or a Future of it; None for keyword mode and blank queries."""
        params = self.params

        def answer(reader: SearchReader[Any]) -> SearchResponse:
            key = ("search", request.model_dump_json(), repr(params))
            started = time.perf_counter()
            found = reader.answers().kept(
                key, lambda: core.run_search(reader, params, request, query_vector), SEARCH_RESPONSE
            )
            return found.model_copy(update={"took_ms": round((time.perf_counter() - started) * 1000, 2)})

        return self.read(answer)

    def iter_matches(self, request: SearchRequest, query_vector: QueryVector) -> Iterator[Pledge]:
        """Every record of the search's result, in rank order, not one page: for CSV export."""
        return core.iter_matches(self.reader(), self.params, request, query_vector)

    def similar(
        self,
        record_id: str,
        k: int = 10,
        *,
        other_countries: bool = False,
        other_entities: bool = False,
        filters: Filters | None = None,
        lang: str = "en",
    ) -> list[SimilarHit]:
        """Records most like this one (search_api.core.similar), itself excluded, each with its reasons.

        Raises KeyError when the id is unknown."""
        params = self.params
        shown = (filters or Filters()).model_dump_json()
        key = ("similar", record_id, k, other_countries, other_entities, shown, lang, repr(params))

        def compute(reader: SearchReader[Any]) -> list[SimilarHit]:
            source, vector = self.get(record_id), self.get_vector(record_id)
            if source is None or vector is None:
                raise KeyError(record_id)
            return neighbours.similar(
                reader,
                params,
                source,
                vector,
                k,
                other_countries=other_countries,
                other_entities=other_entities,
                filters=filters,
                lang=lang,
            )

        return self.read(lambda reader: reader.answers().kept(key, lambda: compute(reader), SIMILAR_HITS))

    # --- lifecycle ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Pick up commits made by another process (a running `pledges index`); a no-op by default."""
        return None

    def close(self) -> None:
        """Release files and connections; a no-op by default."""
        return None

    @property
    def embedding_model(self) -> str | None:
        """Name of the model the stored vectors came from, when known."""
        return None

    def health(self) -> str:
        """green (every record served, every copy in place), yellow (every record served, a copy missing: a
        cluster that lost a node) or red (part of the store unavailable). A local store is whole: green."""
        return "green"
