"""The embedded engine's search primitives (search_api.core.reader) over one generation of the store.

Keyword ranking is tantivy's BM25 (ties by id); the semantic match set is exact cosine over the in-memory
matrix; facets count with `facet_counts.partial_counts`, cached per generation by what a part is made of.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import tantivy

from models.schemas import Filters, Hit, Pledge, Scores, SortOrder
from search_api.backends.embedded.facet_counts import partial_counts
from search_api.backends.embedded.facet_table import FacetTable, table_counts
from search_api.backends.embedded.fields import as_int, hit_count
from search_api.backends.embedded.hits import to_hit
from search_api.backends.embedded.objectives import analyse, query_language, record_objectives
from search_api.backends.embedded.queries import (
    analysed_terms,
    conjunction,
    disjunction,
    filter_clauses,
    ids_query,
    match_query,
    text_query,
    translated_terms,
)
from search_api.backends.embedded.schema import (
    ANY_OBJECTIVE_FIELD,
    LABEL_FIELD,
    VALUE_SEPARATOR,
    facet_field,
    text_field,
    value_set_field,
)
from search_api.backends.embedded.store import EmbeddedStore, Snapshot
from search_api.core.answers import Answers
from search_api.core.facets import Counts, facet_requests
from search_api.core.ranking import RankingParams
from search_api.core.reader import Match, Ranked, RecordFacts

Occur = tantivy.Occur
SORTS = {
    "newest": ("sort_newest", tantivy.Order.Desc),
    "deadline": ("sort_deadline", tantivy.Order.Asc),
    "title": ("sort_title", tantivy.Order.Asc),
}


@dataclass(frozen=True)
class KeywordQuery:
    """The query's analysed terms (what the hits mark), their BM25 query, the same match set unscored (for
    membership and counts), and a key naming them for caches."""

    terms: tuple[str, ...]
    query: tantivy.Query
    key: tuple
    match: tantivy.Query


def ids_of(searcher: tantivy.Searcher, snap: Snapshot, addresses: list) -> list[str]:
    """Record ids of search hits, through their key column (no stored document is read)."""
    if not addresses:
        return []
    keys = searcher.fast_field_values("key", addresses)
    return [snap.id_at(snap.rows[as_int(key)]) for key in keys]


def _filtered(query: tantivy.Query, clauses: list[tantivy.Query]) -> tantivy.Query:
    """`query` restricted by filter clauses that add nothing to its score."""
    if not clauses:
        return query
    return tantivy.Query.boolean_query(
        [(Occur.Must, query), (Occur.Must, tantivy.Query.const_score_query(conjunction(clauses), 0.0))]
    )


FACTS_CHUNK = 1000  # records whose facts one aggregation reads
COMMON_FLOOR = 50  # records: a term fewer hold is never too common to read


def specific_terms(
    searcher: tantivy.Searcher, terms: list[str], fields: list[str], max_share: float, held: dict[tuple[str, str], int]
) -> list[str]:
    """Those of `terms` that some record holds in `fields` but at most `max_share` of the records do (or at
    most COMMON_FLOOR records: in a small store every term is a large share), in their order. `held` keeps each
    (field, term)'s record count for the generation (similar records' terms come from the thesaurus, so they
    recur). At a million records, a record's concept query keeps about 50 of its 135 terms, and is read in
    29 ms instead of 44 ms."""
    names = [name if name == LABEL_FIELD else text_field(name) for name in fields]
    limit = max(max_share * searcher.num_docs, COMMON_FLOOR)
    kept = []
    for term in terms:
        counts = []
        for name in names:
            if (name, term) not in held:
                held[(name, term)] = searcher.doc_freq(name, term)
            counts.append(held[(name, term)])
        if counts and 0 < max(counts) <= limit:
            kept.append(term)
    return kept


class EmbeddedReader:
    """One searcher and its vector snapshot: every primitive of one search reads the same generation."""

    def __init__(self, store: EmbeddedStore, params: RankingParams) -> None:
        self.store = store
        self.params = params
        self.schema = store.schema
        self.searcher, self.snap = store.snapshot()

    def _ids(self, result: tantivy.SearchResult) -> list[str]:
        return ids_of(self.searcher, self.snap, [address for _, address in result.hits])

    def answers(self) -> Answers:
        """Whole answers kept for this generation (a commit makes a new generation, and a new cache)."""
        return self.store.cache_for(self.searcher).setdefault("answers", Answers())

    def is_empty(self) -> bool:
        """True when the generation holds no record."""
        return self.searcher.num_docs == 0

    def size(self) -> int:
        """Records in this generation."""
        return int(self.searcher.num_docs)

    def keyword_query(
        self,
        q: str,
        translations: Sequence[tuple[str, str]] = (),
        boosts: Mapping[str, float] | None = None,
        max_share: float | None = None,
    ) -> KeywordQuery | None:
        """The query's terms in every language (and its translations' terms, weighted) and their BM25 query
        over the fields `boosts` weigh (the ranking's by default); None when no term is left. With
        `max_share`, only the terms at most that share of the records hold (`specific_terms`)."""
        weights = dict(self.params.field_boosts if boosts is None else boosts)
        terms = analysed_terms(q, self.params)
        if max_share is not None:
            read = [name for name, boost in weights.items() if boost > 0]
            cache = self.store.cache_for(self.searcher).setdefault("records-holding", {})
            terms = specific_terms(self.searcher, terms, read, max_share, cache)
        if not terms:
            return None
        translated = translated_terms(translations, terms, self.params)
        query = text_query(self.schema, terms, self.params, translated, weights)
        match = match_query(self.schema, terms, self.params, translated, weights)
        if query is None or match is None:
            return None
        boosted = tuple(sorted((k, boost) for k, boost in weights.items() if boost > 0))
        weight = self.params.translation_weight
        marked = (*terms, *dict.fromkeys(term for group in translated for term in group))
        return KeywordQuery(marked, query, ("text", tuple(terms), tuple(translated), weight, boosted), match)

    def keyword(self, query: KeywordQuery, filters: Filters, depth: int) -> tuple[Ranked, int]:
        """BM25 top `depth` under the filters, ties by id, and the number of keyword matches."""
        clauses = filter_clauses(self.schema, filters)
        result = self.searcher.search(_filtered(query.query, clauses), limit=max(depth, 1), count=True)
        scores = (float(s) for s, _ in result.hits)
        ranked = sorted(zip(self._ids(result), scores, strict=True), key=lambda t: (-t[1], t[0]))
        return ranked, hit_count(result)

    def nearest(self, vector: np.ndarray, n: int, floor: float, filters: Filters | None = None) -> Ranked:
        """Cosine at least `floor`, the best `n` (under the filters when given), best first: exact over the
        matrix below the store's ANN threshold, the inverted file's candidates rescored exactly above it."""
        allowed = self._allowed_rows(filters) if filters is not None and not filters.is_empty() else None
        vectors = self.snap.vectors
        found = vectors.nearest(vector, n, floor, self.snap.count, self.snap.alive, allowed)
        return sorted(((vectors.ids[r], s) for r, s in found), key=lambda t: (-t[1], t[0]))

    def _allowed_rows(self, filters: Filters) -> np.ndarray:
        """A row mask of the records passing the filters (cached per generation and filters)."""
        cache = self.store.cache_for(self.searcher)
        key = ("allowed-rows", filters.model_dump_json())
        mask = cache.get(key)
        if mask is None:
            mask = np.zeros(self.snap.count, dtype=bool)
            query = conjunction(list(filter_clauses(self.schema, filters)))
            total = hit_count(self.searcher.search(query, limit=1, count=True))
            if total:
                rows = self._rows_of(query, total)
                mask[rows[(rows >= 0) & (rows < self.snap.count)]] = True
            cache[key] = mask
        return mask

    def _rows_of(self, query: tantivy.Query, limit: int) -> np.ndarray:
        """The vector rows of (at most `limit` of) the records `query` matches; -1 for a record without one."""
        hits = self.searcher.search(query, limit=limit, count=False).hits
        keys = self.searcher.fast_field_values("key", [address for _, address in hits])
        return self.snap.vectors.rows_of_keys(np.asarray(keys, dtype=np.uint64))

    def similarities(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        """Cosines read off the in-memory matrix."""
        found = [(i, r) for i, r in self.snap.vectors.rows_of(ids) if r < self.snap.count]
        if not found:
            return {}
        sims = self.snap.vectors.cosines(vector, np.asarray([r for _, r in found]))
        return {i: float(s) for (i, _), s in zip(found, sims, strict=True)}

    def facts(self, ids: Sequence[str], filters: Filters) -> dict[str, RecordFacts]:
        """Language and objectives (declared or suggested) of those of `ids` that pass the filters, from the
        value-set columns: one aggregation by record id, no stored document read."""
        language, objectives = value_set_field(facet_field("language")), value_set_field(ANY_OBJECTIVE_FIELD)
        clauses = filter_clauses(self.schema, filters)
        unique = list(dict.fromkeys(ids))
        found: dict[str, RecordFacts] = {}
        for start in range(0, len(unique), FACTS_CHUNK):
            chunk = unique[start : start + FACTS_CHUNK]
            of_each = {"language": {"terms": {"field": language}}, "objectives": {"terms": {"field": objectives}}}
            spec = {"id": {"terms": {"field": "id", "size": len(chunk), "segment_size": len(chunk)}, "aggs": of_each}}
            result = self.searcher.aggregate(conjunction([ids_query(self.schema, chunk), *clauses]), spec)
            for bucket in result["id"]["buckets"]:
                langs = [str(b["key"]) for b in bucket["language"]["buckets"]]
                held = [str(b["key"]) for b in bucket["objectives"]["buckets"]]
                numbers = {int(v) for v in held[0].split(VALUE_SEPARATOR) if v.isdigit()} if held else set()
                found[str(bucket["key"])] = RecordFacts(langs[0] if langs else None, frozenset(numbers))
        return found

    def outside(self, ids: list[str], query: KeywordQuery) -> list[str]:
        """The ids that the keyword query does not match, order kept (membership only: no BM25 scoring)."""
        if not ids:
            return ids
        unscored = tantivy.Query.const_score_query(query.match, 1.0)
        found = self.searcher.search(conjunction([ids_query(self.schema, ids), unscored]), limit=len(ids), count=False)
        inside = set(self._ids(found))
        return [i for i in ids if i not in inside]

    def _match_query(self, match: Match[KeywordQuery]) -> tantivy.Query | None:
        if match.everything:
            return tantivy.Query.all_query()
        return disjunction([match.text.match if match.text else None, ids_query(self.schema, list(match.ids))])

    def sorted_ids(
        self, match: Match[KeywordQuery], filters: Filters, sort: SortOrder, limit: int
    ) -> tuple[list[str], int]:
        """The first `limit` records of `match` by a sort field, ties by id (ties at the cut are all read)."""
        found = self._match_query(match)
        if found is None:
            return [], 0
        query = conjunction([found, *filter_clauses(self.schema, filters)])
        name, order = SORTS[sort]
        result = self.searcher.search(query, limit=max(limit, 1), count=True, order_by_field=name, order=order)
        pairs = list(zip((v for v, _ in result.hits), self._ids(result), strict=True))
        total = hit_count(result)
        if pairs and len(pairs) == limit and total > limit and name != "sort_title":
            last = pairs[-1][0]
            tie_query = conjunction(
                [query, tantivy.Query.range_query(self.schema, name, tantivy.FieldType.Integer, last, last)]
            )
            ties = hit_count(self.searcher.search(tie_query, limit=1, count=True))
            tied = self.searcher.search(tie_query, limit=ties, count=False)
            pairs = [p for p in pairs if p[0] != last]
            pairs += [(last, i) for i in self._ids(tied)]
        descending = order == tantivy.Order.Desc
        pairs.sort(key=lambda p: ((-p[0] if descending else p[0]), p[1]))
        return [item for _, item in pairs[:limit]], total

    def facet_counts(self, match: Match[KeywordQuery], filters: Filters, matched: int | None = None) -> Counts:
        """Counts over `match`; kept for this generation when the part has a name (everything, a text). A store
        of at most `facet_table_limit` records counts from its table in memory (`facet_table`)."""
        table = self._facet_table()
        if table is not None:
            groups = [(f, names, f.objective_scope) for f, names in facet_requests(filters)]
            return table_counts(table, self._match_rows(match), groups, self._rows_passing)
        found = self._match_query(match)
        if found is None:
            return {}
        key: tuple | None = None
        if match.everything:
            key = ("all",)
        elif match.text is not None and not match.ids:
            key = match.text.key
        elif match.text is None and matched is None and not filter_clauses(self.schema, filters):
            matched = len(set(match.ids))  # ids of this generation's records, unfiltered: no need to count them
        return partial_counts(self.store, self.searcher, found, filters, key, matched)

    def _facet_table(self) -> FacetTable | None:
        """This generation's facet table, read at its first use; None past `facet_table_limit` records."""
        if self.snap.count > self.store.facet_table_limit:
            return None
        cache = self.store.cache_for(self.searcher)
        table = cache.get("facet-table")
        if table is None:
            table = cache["facet-table"] = FacetTable.read(self.searcher, self.snap)
        return table

    def _rows_passing(self, filters: Filters) -> np.ndarray:
        """A row mask of this generation's records that pass `filters` (every live row for none)."""
        if filters.is_empty():
            return self.snap.alive[: self.snap.count]
        return self._allowed_rows(filters)

    def _match_rows(self, match: Match[KeywordQuery]) -> np.ndarray:
        """A row mask of the records of `match` (a text's kept for this generation)."""
        if match.everything:
            return self.snap.alive[: self.snap.count]
        mask = np.zeros(self.snap.count, dtype=bool)
        if match.text is not None:
            cache = self.store.cache_for(self.searcher)
            key = ("text-rows", match.text.key)
            rows = cache.get(key)
            if rows is None:
                rows = cache[key] = self._rows_of(match.text.match, max(self.size(), 1))
            mask[rows[(rows >= 0) & (rows < self.snap.count)]] = True
        if match.ids:
            mask[[r for _, r in self.snap.vectors.rows_of(list(match.ids)) if r < self.snap.count]] = True
        return mask & self.snap.alive[: self.snap.count]

    def query_language(self, q: str) -> dict[str, float]:
        """P(en/fr/es | query), from per-language counts of the query's words (cached per generation)."""
        return query_language(self.searcher, self.schema, q, self.store.cache_for(self.searcher))

    def analyser(self) -> Callable[[str, str], list[str]]:
        """The record analysers (a module function: one object for the process's life)."""
        return analyse

    def record_objectives(self, ids: Sequence[str]) -> Mapping[str, Sequence[int]]:
        """Declared objectives, else the nearest centroids' (the centroids computed once per generation)."""
        return record_objectives(self.snap, self.params.inferred_objectives).of(ids)

    def hits(self, page: Sequence[tuple[str, Scores]], marks: KeywordQuery | None, lang: str) -> list[Hit]:
        """The page's hits, the query's terms marked in title and snippet."""
        records = self.store.get_many([i for i, _ in page])
        terms = marks.terms if marks is not None else ()
        return [to_hit(records[i], terms, scores, lang) for i, scores in page if i in records]

    def records(self, ids: Sequence[str]) -> dict[str, Pledge]:
        """Stored records by id."""
        return self.store.get_many(ids)
