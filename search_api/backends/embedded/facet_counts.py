"""Disjunctive facet counts on tantivy, with the cost bounded by the smaller side of the match set.

Counting a facet walks every matching document, so a query that matches most of the corpus ("migrants") costs
as much as counting the whole corpus. Such a match set is counted as its complement instead:
counts(match and F) = counts(F) - counts(F and not match), where counts(F) (no query) is cached per filter set
for the current index generation. Both sides are exact; the smaller one is walked.
"""

from __future__ import annotations

import json

import tantivy

from models.schemas import Filters
from search_api.backends.embedded.fields import hit_count
from search_api.backends.embedded.queries import conjunction, filter_clauses
from search_api.backends.embedded.schema import VALUE_SEPARATOR, facet_field, value_set_field
from search_api.backends.embedded.store import EmbeddedStore
from search_api.core.facets import Counts, facet_requests

ALL_VALUES = 100_000  # larger than any facet's number of distinct values: full counts
MAX_VALUE_SETS = ALL_VALUES  # distinct value sets one aggregation returns (past it, a facet is read value by value)


def _terms(fields: dict[str, str], size: int) -> dict:
    return {n: {"terms": {"field": field, "size": size, "segment_size": ALL_VALUES}} for n, field in fields.items()}


def _aggregate(
    searcher: tantivy.Searcher, query: tantivy.Query, names: list[str], size: int, scope: str = "declared"
) -> Counts:
    """Every value's count of each facet over `query`, read from the records' value sets (one term a record:
    `schema.value_set_field`); a facet with more distinct sets than one aggregation returns is read value by
    value instead."""
    sets = {n: value_set_field(facet_field(n, scope)) for n in names}
    result = searcher.aggregate(query, _terms(sets, min(size, MAX_VALUE_SETS)))
    counts: Counts = {}
    for n in names:
        if result[n].get("sum_other_doc_count", 0):  # sets left out: read below from the per-value field
            continue
        held: dict[str, int] = {}
        for bucket in result[n]["buckets"]:
            for value in str(bucket["key"]).split(VALUE_SEPARATOR):
                held[value] = held.get(value, 0) + int(bucket["doc_count"])
        counts[n] = held
    direct = [n for n in names if n not in counts]
    if direct:
        result = searcher.aggregate(query, _terms({n: facet_field(n, scope) for n in direct}, size))
        counts.update({n: {str(b["key"]): int(b["doc_count"]) for b in result[n]["buckets"]} for n in direct})
    return counts


def _count(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    return hit_count(searcher.search(query, limit=1, count=True))


def _baseline(store: EmbeddedStore, searcher, filters: Filters, names: list[str]) -> tuple[int, Counts]:
    """Number of records and full facet counts under filters alone, cached for this generation."""
    key = ("facets", json.dumps(filters.model_dump(mode="json"), sort_keys=True), tuple(names))
    cache = store.cache_for(searcher)
    if key not in cache:
        query = conjunction(list(filter_clauses(store.schema, filters)))
        counts = _aggregate(searcher, query, names, ALL_VALUES, filters.objective_scope)
        cache[key] = (_count(searcher, query), counts)
    return cache[key]


def _filters_key(filters: Filters) -> str:
    return json.dumps(filters.model_dump(mode="json"), sort_keys=True)


def partial_counts(
    store: EmbeddedStore,
    searcher,
    part: tantivy.Query,
    filters: Filters,
    key: tuple | None = None,
    matched_all: int | None = None,
) -> Counts:
    """Full counts of every facet over `part` of a match set, each under every filter but its own.

    With a `key` naming the part (e.g. its analysed terms), the counts are kept for this generation: the
    next page of the same search, or a change of one filter, does not count the same part again, and a
    facet counted under filters that an earlier search of the same part used (the unfiltered search before
    a value is ticked) is taken from that search. `matched_all`, when the caller counted it already, is the
    size of `part` under all of `filters`."""
    cache = store.cache_for(searcher) if key is not None else {}
    cache_key = ("part", key, _filters_key(filters))
    if cache_key in cache:
        return cache[cache_key]
    full: Counts = {}
    for group_filters, names in facet_requests(filters):
        earlier = cache.get(("part", key, _filters_key(group_filters))) if group_filters != filters else None
        if earlier is not None and all(n in earlier for n in names):
            full.update({n: earlier[n] for n in names})
            continue
        matched = matched_all if matched_all is not None and group_filters == filters else None
        full.update(_group_counts(store, searcher, part, group_filters, names, matched))
    if key is not None:
        cache[cache_key] = full
    return full


def _group_counts(
    store: EmbeddedStore, searcher, part: tantivy.Query, group_filters: Filters, names: list[str], matched: int | None
) -> Counts:
    """Counts of `names` over `part` under `group_filters`, walking the smaller side of the match set."""
    clauses = filter_clauses(store.schema, group_filters)
    total, base = _baseline(store, searcher, group_filters, names)
    if matched is None:
        matched = _count(searcher, conjunction([part, *clauses]))
    if matched * 2 > total:
        outside = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, conjunction(list(clauses))), (tantivy.Occur.MustNot, part)]
        )
        scope = group_filters.objective_scope
        rest = _aggregate(searcher, outside, names, ALL_VALUES, scope) if matched < total else {}
        return {n: {v: c - rest.get(n, {}).get(v, 0) for v, c in base[n].items()} for n in names}
    if matched:
        scoped = conjunction([part, *clauses])
        return _aggregate(searcher, scoped, names, ALL_VALUES, group_filters.objective_scope)
    return {n: {} for n in names}
