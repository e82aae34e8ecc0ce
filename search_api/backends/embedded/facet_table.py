"""Facet counts of a small store from a table in memory: each record's value set per facet, by vector row.

On a store of a few thousand records, a search's facet counts cost more than the rest of it: each count is a
tantivy aggregation with a fixed cost of its own (0.3-0.8 ms on the 478 evaluation records), and a hybrid
search with a filter asks three or four (the keyword matches, the semantic-only records, each facet under
every filter but its own). Here the match set becomes a row mask, and each facet one `numpy.bincount` over
the codes of the rows' value sets. The table is read once per index generation (one aggregation: each
field's value sets, with the keys of the records holding each); past the store's `facet_table_limit` records
that read, and listing a large match set row by row, cost more than the aggregations they save, and the reader
counts with the aggregations as before (`facet_counts.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import tantivy

from models.schemas import Filters
from search_api.backends.embedded.schema import VALUE_SEPARATOR, facet_field, facet_fields, value_set_field
from search_api.backends.embedded.store import Snapshot
from search_api.core.facets import Counts

GROUPED_LIMIT = 1_000_000  # buckets asked of each terms aggregation (more value sets or records than a table holds)


class FacetTable:
    """Per value-set field: the code of each row's set of values (-1: none), and the values of each code."""

    def __init__(self, codes: dict[str, np.ndarray], sets: dict[str, list[tuple[str, ...]]]) -> None:
        self.codes = codes
        self.sets = sets

    @classmethod
    def read(cls, searcher: tantivy.Searcher, snap: Snapshot) -> FacetTable:
        """The table of this generation's records: per field, its value sets, each with the keys of the records
        that hold it (one aggregation; grouped by record instead, with a sub-aggregation per field, it took ten
        times as long: 420 against 38 ms at 5,000 records)."""
        fields = [value_set_field(field) for field in facet_fields()]
        every = {"size": GROUPED_LIMIT, "segment_size": GROUPED_LIMIT}
        keys = {"holders": {"terms": {"field": "key", **every}}}  # not "key": a bucket's own value is its "key"
        spec = {field: {"terms": {"field": field, **every}, "aggs": keys} for field in fields}
        result = searcher.aggregate(tantivy.Query.all_query(), spec)
        sets: dict[str, list[tuple[str, ...]]] = {field: [] for field in fields}
        held_keys: list[int] = []
        held_codes: dict[str, list[int]] = {field: [] for field in fields}
        for field in fields:
            for bucket in result[field]["buckets"]:
                holders = [int(b["key"]) for b in bucket["holders"]["buckets"]]
                held_keys.extend(holders)
                held_codes[field].extend([len(sets[field])] * len(holders))
                sets[field].append(tuple(str(bucket["key"]).split(VALUE_SEPARATOR)))
        rows = snap.vectors.rows_of_keys(np.asarray(held_keys, dtype=np.uint64)) if held_keys else np.zeros(0, int)
        codes: dict[str, np.ndarray] = {}
        start = 0
        for field in fields:
            stop = start + len(held_codes[field])
            column = np.full(snap.count, -1, dtype=np.int32)
            here = rows[start:stop]
            usable = (here >= 0) & (here < snap.count)
            column[here[usable]] = np.asarray(held_codes[field], dtype=np.int32)[usable]
            codes[field] = column
            start = stop
        return cls(codes, sets)

    def counts(self, rows: np.ndarray, names: list[str], scope: str) -> Counts:
        """Every value's count of each facet among the rows of the mask `rows`."""
        counts: Counts = {}
        for name in names:
            field = value_set_field(facet_field(name, scope))
            codes = self.codes[field][rows]
            per_code = np.bincount(codes[codes >= 0], minlength=len(self.sets[field]))
            held: dict[str, int] = {}
            for code in np.flatnonzero(per_code):
                for value in self.sets[field][code]:
                    held[value] = held.get(value, 0) + int(per_code[code])
            counts[name] = held
        return counts


def table_counts(
    table: FacetTable,
    part: np.ndarray,
    groups: Sequence[tuple[Filters, list[str], str]],
    allowed: Callable[[Filters], np.ndarray],
) -> Counts:
    """Counts of each group's facets over the rows of `part` that pass the group's filters (`allowed`)."""
    full: Counts = {}
    for group_filters, names, scope in groups:
        full.update(table.counts(part & allowed(group_filters), names, scope))
    return full
