"""EmbeddedBackend: the default engine, no server (tantivy: text, filters, facets; numpy: vectors)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np

from models.records import StoredRecord
from models.schemas import Filters, Pledge
from search_api.backends.base import SearchBackend
from search_api.backends.embedded.reader import EmbeddedReader
from search_api.backends.embedded.store import FACET_TABLE_LIMIT, EmbeddedStore
from search_api.backends.embedded.vectors import VectorOptions
from search_api.core.ranking import DEFAULT_RANKING, RankingParams


class EmbeddedBackend(SearchBackend):
    """A store in one directory: `<path>/index` (tantivy) and `<path>/meta.json` (model name, dimension).

    Storage is the store's (store.py); searches are the core's over an `EmbeddedReader`."""

    name: ClassVar[str] = "embedded"

    def __init__(
        self,
        path: Path,
        dimension: int | None = None,
        model_name: str | None = None,
        params: RankingParams = DEFAULT_RANKING,
        vector_options: VectorOptions | None = None,
        facet_table_limit: int = FACET_TABLE_LIMIT,
    ) -> None:
        self.store = EmbeddedStore(Path(path), dimension, model_name, vector_options, facet_table_limit)
        self.params = params

    @property
    def dimension(self) -> int | None:
        """Length of the stored vectors (None until the first record)."""
        return self.store.dimension

    @property
    def embedding_model(self) -> str | None:
        """Model the stored vectors came from."""
        return self.store.model_name

    def upsert(self, records: Sequence[StoredRecord]) -> None:
        """Insert or replace, one tantivy commit for the batch."""
        self.store.upsert(records)

    def delete(self, ids: Sequence[str]) -> int:
        """Remove by id, one commit; returns how many existed."""
        return self.store.delete(ids)

    def get(self, record_id: str) -> Pledge | None:
        """One stored record, or None."""
        return self.store.get(record_id)

    def get_many(self, ids: Sequence[str]) -> dict[str, Pledge]:
        """Stored records by id."""
        return self.store.get_many(ids)

    def get_vector(self, record_id: str) -> np.ndarray | None:
        """The stored vector of one record, or None."""
        return self.store.get_vector(record_id)

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored content hashes of the ids that exist."""
        return self.store.content_hashes(ids)

    def count(self, filters: Filters | None = None) -> int:
        """Number of records, under filters when given."""
        return self.store.count(filters)

    def reader(self) -> EmbeddedReader:
        """The newest committed generation, for one search."""
        return EmbeddedReader(self.store, self.params)

    def close(self) -> None:
        """Save the vectors' derived state when it changed (a crash only costs a re-read on the next open)."""
        self.store.close()

    def refresh(self) -> None:
        """Pick up another process's commits now (reads also do it on their own)."""
        self.store.searcher()
