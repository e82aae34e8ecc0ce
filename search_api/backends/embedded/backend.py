"""EmbeddedBackend: the default engine, no server (tantivy: text, filters, facets; numpy: vectors)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np

from models.schemas import Filters, Pledge, SearchRequest, SearchResponse, SimilarHit
from search_api.backends.base import SearchBackend, StoredRecord
from search_api.backends.embedded.store import EmbeddedStore
from search_api.core.ranking import DEFAULT_RANKING, RankingParams


class EmbeddedBackend(SearchBackend):
    """A store in one directory: `<path>/index` (tantivy) and `<path>/meta.json` (model name, dimension)."""

    name: ClassVar[str] = "embedded"
    # search() and iter_matches() also take a Future of the query vector and wait for it only when needed
    accepts_pending_vector: ClassVar[bool] = True

    def __init__(
        self,
        path: Path,
        dimension: int | None = None,
        model_name: str | None = None,
        params: RankingParams = DEFAULT_RANKING,
    ) -> None:
        self.store = EmbeddedStore(Path(path), dimension, model_name)
        self.params = params

    @property
    def dimension(self) -> int | None:
        """Length of the stored vectors (None until the first record)."""
        return self.store.dimension

    @property
    def embedding_model(self) -> str | None:
        """Model the stored vectors came from."""
        return self.store.model_name

    # --- writes -------------------------------------------------------------------------------------------
    def upsert(self, records: Sequence[StoredRecord]) -> None:
        """Insert or replace, one tantivy commit for the batch."""
        self.store.upsert(records)

    def delete(self, ids: Sequence[str]) -> int:
        """Remove by id, one commit; returns how many existed."""
        return self.store.delete(ids)

    # --- reads --------------------------------------------------------------------------------------------
    def get(self, record_id: str) -> Pledge | None:
        """One stored record, or None."""
        return self.store.get(record_id)

    def get_vector(self, record_id: str) -> np.ndarray | None:
        """The stored vector of one record, or None."""
        return self.store.get_vector(record_id)

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored content hashes of the ids that exist."""
        return self.store.content_hashes(ids)

    def count(self, filters: Filters | None = None) -> int:
        """Number of records, under filters when given."""
        return self.store.count(filters)

    def search(self, request: SearchRequest, query_vector: np.ndarray | None) -> SearchResponse:
        """One page of hits, total and disjunctive facets."""
        from search_api.backends.embedded.search import run_search

        return run_search(self.store, self.params, request, query_vector)

    def iter_matches(self, request: SearchRequest, query_vector: np.ndarray | None) -> Iterator[Pledge]:
        """Every matching record in rank order."""
        from search_api.backends.embedded.search import iter_matches

        return iter_matches(self.store, self.params, request, query_vector)

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
        """Nearest records by embedding, itself excluded, with reasons."""
        from search_api.backends.embedded.neighbours import similar

        return similar(
            self.store,
            self.params,
            record_id,
            k,
            other_countries=other_countries,
            other_entities=other_entities,
            filters=filters,
            lang=lang,
        )

    # --- lifecycle ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Pick up another process's commits now (reads also do it on their own)."""
        self.store.searcher()

    def close(self) -> None:
        """Nothing is held between calls: the writer lock is released after every batch."""
