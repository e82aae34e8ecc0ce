"""What the core asks of an engine during one search: small primitives over one consistent view of the store.

An engine answers `SearchBackend.reader()` with an object of this shape; `search_api.core.search` builds every
search (legs, fusion, match set, totals, pagination, facets) from these calls alone, so the search semantics
are written once. The keyword query is the engine's own object (a tantivy query, an OpenSearch body): the
core never looks inside it, it only hands it back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import numpy as np

from models.schemas import Filters, Hit, Pledge, Scores, SortOrder
from search_api.core.answers import Answers
from search_api.core.facets import Counts

Ranked = list[tuple[str, float]]  # (record id, score), best first
__all__ = ["Counts", "K", "Match", "QueryVector", "Ranked", "RecordFacts", "SearchReader"]
# The embedded query, or a Future of it while the model is still encoding it (the core waits only when a
# leg needs it: the text side of a search runs meanwhile); None for keyword mode and blank queries.
QueryVector = np.ndarray | Future | None

K = TypeVar("K")  # an engine's keyword query


@dataclass(frozen=True)
class Match(Generic[K]):
    """A set of records: every record, or those that the keyword query matches or whose id is listed."""

    everything: bool = False
    text: K | None = None
    ids: Sequence[str] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        """True when nothing can be in the set."""
        return not self.everything and self.text is None and not self.ids


@dataclass(frozen=True)
class RecordFacts:
    """What similar records weigh a candidate by, read from the index's columns instead of its stored record:
    at a million records, reading 200 stored records took 60-300 ms from disk, their facts 4-5 ms."""

    language: str | None
    objectives: frozenset[int]  # declared or suggested


class SearchReader(Protocol[K]):
    """One consistent view of a store for one search (a commit landing meanwhile is not half seen)."""

    def is_empty(self) -> bool:
        """True when the store holds no record."""
        ...

    def answers(self) -> Answers:
        """Whole answers kept for this view's generation (search_api.core.answers); a throwaway `NoAnswers`
        where the engine cannot tell when its records change."""
        ...

    def size(self) -> int:
        """Number of records in the store."""
        ...

    def keyword_query(
        self,
        q: str,
        translations: Sequence[tuple[str, str]] = (),
        boosts: Mapping[str, float] | None = None,
        max_share: float | None = None,
    ) -> K | None:
        """The engine's keyword query for user text (read in every language, never parsed as syntax), or None
        when the text holds no term to match. `translations` are (phrase, language) pairs that carry the query
        to records in other languages (models.thesaurus), each read in its own language at the ranking's
        `translation_weight`; their words are marked in hits too. `boosts` replace the ranking's
        `field_boosts` (a field boosted 0 is not read). `max_share`, for a long text standing for a record
        (similar records), leaves out the terms that more than this share of the records hold, as a "more like
        this" query's `max_doc_freq` does: such a term adds little to BM25 and costs the most to read (OpenSearch
        reads every word its clause limit allows instead)."""
        ...

    def keyword(self, query: K, filters: Filters, depth: int) -> tuple[Ranked, int]:
        """BM25 top `depth` under the filters, best first, ties by id; and how many records match in all."""
        ...

    def nearest(self, vector: np.ndarray, n: int, floor: float, filters: Filters | None = None) -> Ranked:
        """At most `n` records whose cosine to `vector` reaches `floor`, best first, ties by id; among those
        passing `filters` when given (a selective filter still gets `n` when `n` exist)."""
        ...

    def similarities(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        """Cosine of each of these records (those that exist) to `vector`."""
        ...

    def facts(self, ids: Sequence[str], filters: Filters) -> dict[str, RecordFacts]:
        """The language and objectives of those of `ids` that exist and pass every filter."""
        ...

    def outside(self, ids: list[str], query: K) -> list[str]:
        """Those of `ids` that the keyword query does not match, order kept."""
        ...

    def sorted_ids(self, match: Match[K], filters: Filters, sort: SortOrder, limit: int) -> tuple[list[str], int]:
        """The first `limit` records of `match` under the filters by a field sort (never "relevance"), ties by
        id; and how many there are in all."""
        ...

    def facet_counts(self, match: Match[K], filters: Filters, matched: int | None = None) -> Counts:
        """Every value's count of every facet over `match`, each facet under every filter but its own.
        `matched`, when the caller knows it, is the size of `match` under all the filters."""
        ...

    def query_language(self, q: str) -> dict[str, float]:
        """P(en/fr/es | query words), from the store's own records."""
        ...

    def analyser(self) -> Callable[[str, str], list[str]]:
        """`analyse(text, lang)`: text as the analyser of `lang` reads it (the objective labels are read the same
        way). The same object for the engine's whole life: crosslingual keeps the labels' readings per
        analyser object, so a new one per search would read them again every time."""
        ...

    def record_objectives(self, ids: Sequence[str]) -> Mapping[str, Sequence[int]]:
        """The objectives of these records (those that exist): declared, else inferred for ranking (never
        shown as declared)."""
        ...

    def hits(self, page: Sequence[tuple[str, Scores]], marks: K | None, lang: str) -> list[Hit]:
        """The hits of one page, in order, labelled in `lang`, with the words `marks` matched in <mark>."""
        ...

    def records(self, ids: Sequence[str]) -> dict[str, Pledge]:
        """Stored records by id (missing ids left out)."""
        ...
