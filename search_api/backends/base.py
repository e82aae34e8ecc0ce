"""The contract every search engine fulfils; `tests/contract/` checks it once for all engines.

Search semantics (see DESIGN.md) are the same on every engine:
- the *match set* of a query is: every record when `q` is blank; the records whose analysed title,
  description or declared objectives' labels (en/fr/es, from the taxonomy) contain a query term (keyword);
  the records whose cosine to the query vector reaches the engine's similarity floor, at most
  `semantic_candidates` of them (semantic); the union of both (hybrid);
- hits are the match set under all filters, ranked by the mode (hybrid fuses both legs and the objective
  leg of `search_api.core.crosslingual` with `search_api.core.fusion`), or newest first for a blank query; `total`
  counts them;
- facets count the match set under every active filter except the facet's own (disjunctive), multi-valued
  fields counting each value.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from models.schemas import Filters, Pledge, SearchRequest, SearchResponse, SimilarHit


@dataclass(frozen=True)
class StoredRecord:
    """What the indexer hands an engine: the normalised record, its vector and the hash of its content."""

    pledge: Pledge
    vector: np.ndarray
    content_hash: str


class BackendError(Exception):
    """An engine failed or cannot be reached; the API turns it into a 503."""


class StoreMismatch(BackendError):
    """The store was built with another embedding model or dimension than the settings ask for."""


class SearchBackend(ABC):
    """One search engine: storage of records with their vectors, search, facets and similar records."""

    name: ClassVar[str]

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
    def get_vector(self, record_id: str) -> np.ndarray | None:
        """The stored vector of one record, or None."""

    @abstractmethod
    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored content hashes of those ids that exist: lets the indexer skip unchanged records."""

    @abstractmethod
    def count(self, filters: Filters | None = None) -> int:
        """Number of stored records (under filters, when given)."""

    @abstractmethod
    def search(self, request: SearchRequest, query_vector: np.ndarray | None) -> SearchResponse:
        """One page of hits with snippets, the total and the disjunctive facets (labels in request.lang).

        `query_vector` is the embedded `request.q`; it is None for keyword mode and for a blank query."""

    @abstractmethod
    def iter_matches(self, request: SearchRequest, query_vector: np.ndarray | None) -> Iterator[Pledge]:
        """Every record of the search's result, in rank order, not one page: for CSV export."""

    @abstractmethod
    def similar(self, record_id: str, k: int = 10, *, other_countries: bool = False,
                other_entities: bool = False, filters: Filters | None = None,
                lang: str = "en") -> list[SimilarHit]:
        """Nearest records by embedding, the record itself excluded, each with its reasons.

        Raises KeyError when the id is unknown."""

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
