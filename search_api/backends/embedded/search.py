"""Search on the embedded store: the match set, the ranking of each mode, the page, the facets.

The match set follows `SearchBackend`'s contract. Keyword ranking is tantivy's BM25 (ties by id); semantic
ranking is exact cosine over the in-memory matrix; hybrid fuses the two with `search_api.core.fusion` over the top
`keyword_candidates` BM25 hits and every semantic candidate, then continues with the rest of the BM25 order,
so every page is filled and the same request always gives the same order.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np
import tantivy

from models.schemas import Pledge, Scores, SearchRequest, SearchResponse
from search_api.backends.embedded.facet_counts import Counts, merge, partial_counts
from search_api.backends.embedded.fields import as_int
from search_api.backends.embedded.hits import to_hit
from search_api.backends.embedded.objectives import hybrid_legs, query_language
from search_api.backends.embedded.queries import (
    analysed_terms,
    conjunction,
    disjunction,
    filter_clauses,
    ids_query,
    text_query,
)
from search_api.backends.embedded.store import EmbeddedStore, Snapshot
from search_api.core.facets import build_facets
from search_api.core.fusion import fuse
from search_api.core.ranking import RankingParams

Occur = tantivy.Occur
SORTS = {
    "newest": ("sort_newest", tantivy.Order.Desc),
    "deadline": ("sort_deadline", tantivy.Order.Asc),
    "title": ("sort_title", tantivy.Order.Asc),
}


VectorSource = np.ndarray | Future | None


@dataclass
class Ranking:
    """Every id of a search's result in order (up to the window asked), the total, and the facet counts of
    the match set (when asked) as disjoint parts."""

    order: list[tuple[str, Scores]]
    total: int
    terms: list[str] = field(default_factory=list)
    facet_parts: list[Counts] = field(default_factory=list)


def resolve(vector: VectorSource) -> np.ndarray | None:
    """The query vector, waiting for it when the caller is still computing it (see SearchService)."""
    return vector.result() if isinstance(vector, Future) else vector


def ids_of(searcher: tantivy.Searcher, snap: Snapshot, addresses: list) -> list[str]:
    """Record ids of search hits, through their key column (no stored document is read)."""
    if not addresses:
        return []
    keys = searcher.fast_field_values("key", addresses)
    return [snap.ids[snap.rows[as_int(key)]] for key in keys]


def semantic_candidates(snap: Snapshot, vector: np.ndarray, params: RankingParams) -> list[tuple[str, float]]:
    """The semantic match set: cosine at least the floor, the best `semantic_candidates`, best first."""
    count = snap.matrix.shape[0]
    if count == 0:
        return []
    sims = snap.matrix @ np.asarray(vector, dtype=np.float32)
    n = min(params.semantic_candidates, count)
    top = np.argpartition(-sims, n - 1)[:n] if n < count else np.arange(count)
    top = top[sims[top] >= params.similarity_floor]
    return sorted(((snap.ids[i], float(sims[i])) for i in top), key=lambda t: (-t[1], t[0]))


def outside_text(searcher, snap, schema, ids: list[str], text: tantivy.Query | None) -> list[str]:
    """The ids that `text` does not match, order kept: the semantic candidates outside the keyword match set.

    Worked out once, as a plain id set, so that counting that part under each filter set (facets, total)
    does not evaluate the text query again."""
    if text is None or not ids:
        return ids
    unscored = tantivy.Query.const_score_query(text, 1.0)  # membership only: BM25 would be wasted work
    found = searcher.search(conjunction([ids_query(schema, ids), unscored]), limit=len(ids), count=False)
    inside = set(ids_of(searcher, snap, [address for _, address in found.hits]))
    return [i for i in ids if i not in inside]


def _filtered(query: tantivy.Query, clauses: list[tantivy.Query]) -> tantivy.Query:
    """`query` restricted by filter clauses that add nothing to its score."""
    if not clauses:
        return query
    return tantivy.Query.boolean_query(
        [(Occur.Must, query), (Occur.Must, tantivy.Query.const_score_query(conjunction(clauses), 0.0))]
    )


def keyword_leg(searcher, snap, query, clauses, window) -> tuple[list[tuple[str, float]], int]:
    """BM25 top `window` under the filters, ties by id, and the number of keyword matches."""
    result = searcher.search(_filtered(query, clauses), limit=max(window, 1), count=True)
    ids = ids_of(searcher, snap, [address for _, address in result.hits])
    ranked = sorted(zip(ids, (float(s) for s, _ in result.hits), strict=True), key=lambda t: (-t[1], t[0]))
    return ranked, result.count


def keep_filtered(searcher, snap, schema, ranked, clauses) -> list[tuple[str, float]]:
    """The items of `ranked` that pass the filters, order kept."""
    if not clauses or not ranked:
        return ranked
    ids = [item for item, _ in ranked]
    result = searcher.search(conjunction([ids_query(schema, ids), *clauses]), limit=len(ids), count=False)
    allowed = set(ids_of(searcher, snap, [address for _, address in result.hits]))
    return [item for item in ranked if item[0] in allowed]


def sorted_window(searcher, snap, schema, query, sort: str, limit: int) -> tuple[list[str], int]:
    """The first `limit` matches of `query` by a sort field, ties by id (ties at the cut are all read)."""
    name, order = SORTS[sort]
    result = searcher.search(query, limit=max(limit, 1), count=True, order_by_field=name, order=order)
    pairs = list(
        zip((v for v, _ in result.hits), ids_of(searcher, snap, [a for _, a in result.hits]), strict=True)
    )
    if pairs and len(pairs) == limit and result.count > limit and name != "sort_title":
        last = pairs[-1][0]
        tie_query = conjunction(
            [query, tantivy.Query.range_query(schema, name, tantivy.FieldType.Integer, last, last)]
        )
        ties = searcher.search(tie_query, limit=1, count=True).count
        tied = searcher.search(tie_query, limit=ties, count=False)
        pairs = [p for p in pairs if p[0] != last]
        pairs += [(last, i) for i in ids_of(searcher, snap, [a for _, a in tied.hits])]
    descending = order == tantivy.Order.Desc
    pairs.sort(key=lambda p: ((-p[0] if descending else p[0]), p[1]))
    return [item for _, item in pairs[:limit]], result.count


def rank(
    store: EmbeddedStore,
    params: RankingParams,
    request: SearchRequest,
    query_vector: VectorSource,
    window: int,
    facets: bool = False,
) -> Ranking:
    """The ordered result of a search, read `window` deep, with its facet counts when `facets`.

    The text side (BM25 leg, its facets) runs first, so that a query vector still being computed by the
    caller (a Future) is awaited only when the semantic leg needs it. Hybrid counts and facets add two
    disjoint parts: the keyword matches, and the semantic candidates that are not keyword matches."""
    searcher, snap = store.snapshot()
    schema = store.schema
    if searcher.num_docs == 0:
        return Ranking([], 0)
    filters = request.filters
    clauses = filter_clauses(schema, filters)

    def counted(part: tantivy.Query, key: tuple | None = None, matched: int | None = None) -> list[Counts]:
        return [partial_counts(store, searcher, part, filters, key, matched)] if facets else []

    if not request.q.strip():
        everything = tantivy.Query.all_query()
        sort = "newest" if request.sort == "relevance" else request.sort
        ids, total = sorted_window(searcher, snap, schema, conjunction([everything, *clauses]), sort, window)
        return Ranking([(i, Scores()) for i in ids], total, facet_parts=counted(everything, ("all",)))
    terms = analysed_terms(request.q, params)
    text = text_query(schema, terms, params) if request.mode != "semantic" else None
    keyword: list[tuple[str, float]] = []
    total = 0
    parts: list[Counts] = []
    if text is not None:
        depth = window if request.mode == "keyword" else max(window, params.keyword_candidates)
        keyword, total = keyword_leg(searcher, snap, text, clauses, depth)
        boosted = tuple(sorted(k for k, boost in params.field_boosts.items() if boost > 0))
        parts = counted(text, ("text", tuple(terms), boosted), total)
    language = None
    if request.mode == "hybrid" and request.sort == "relevance":
        # text-only work, done before the vector is needed
        language = query_language(searcher, schema, request.q, store.cache_for(searcher))
    vector = resolve(query_vector) if request.mode != "keyword" else None
    semantic = semantic_candidates(snap, vector, params) if vector is not None else []
    candidates = ids_query(schema, [i for i, _ in semantic])
    needed = facets or (request.mode == "hybrid" and request.sort == "relevance")
    only_ids = outside_text(searcher, snap, schema, [i for i, _ in semantic], text) if needed else []
    only_semantic = ids_query(schema, only_ids) if text is not None else candidates
    if only_semantic is not None:
        parts += counted(only_semantic)
    if request.sort != "relevance":
        match = disjunction([text, candidates])
        if match is None:
            return Ranking([], 0, terms, parts)
        ids, total = sorted_window(
            searcher, snap, schema, conjunction([match, *clauses]), request.sort, window
        )
        return Ranking([(i, Scores()) for i in ids], total, terms, parts)
    semantic = keep_filtered(searcher, snap, schema, semantic, clauses)
    if request.mode == "keyword":
        return Ranking([(i, Scores(keyword=s, fused=s)) for i, s in keyword], total, terms, parts)
    if request.mode == "semantic":
        return Ranking([(i, Scores(semantic=s, fused=s)) for i, s in semantic], len(semantic), terms, parts)
    if text is not None and semantic:
        only = set(only_ids)  # semantic is filtered already: its only-semantic part is the count to add
        total += sum(1 for i, _ in semantic if i in only)
    else:
        total = max(total, len(semantic))
    head = keyword[: params.keyword_candidates]
    lists, weights = hybrid_legs(searcher, snap, schema, params, request.q, head, semantic, language)
    fused = fuse(request.fusion, lists, k=params.rrf_k, weights=weights)
    seen = {i for i, _ in fused}
    order = fused + [(i, 0.0) for i, _ in keyword[params.keyword_candidates :] if i not in seen]
    order = order[:window]  # the rest is never read: no scores to build for it
    kw, sem = dict(keyword), dict(semantic)
    return Ranking(
        [(i, Scores(keyword=kw.get(i), semantic=sem.get(i), fused=f)) for i, f in order], total, terms, parts
    )


def run_search(
    store: EmbeddedStore, params: RankingParams, request: SearchRequest, query_vector: VectorSource
) -> SearchResponse:
    """One page of hits, the total and the facets."""
    started = time.perf_counter()
    offset = (request.page - 1) * request.size
    ranking = rank(store, params, request, query_vector, offset + request.size, facets=request.facets)
    page = ranking.order[offset : offset + request.size]
    records = store.get_many([i for i, _ in page])
    hits = [to_hit(records[i], ranking.terms, scores, request.lang) for i, scores in page if i in records]
    facets = []
    if request.facets:
        counts, extra = merge(ranking.facet_parts, request.filters, request.facet_size)
        facets = build_facets(counts, request.filters, request.lang, request.facet_size, extra)
    return SearchResponse(
        q=request.q,
        mode=request.mode,
        total=ranking.total,
        page=request.page,
        size=request.size,
        hits=hits,
        facets=facets,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def iter_matches(
    store: EmbeddedStore, params: RankingParams, request: SearchRequest, query_vector: VectorSource
) -> Iterator[Pledge]:
    """Every record of the result in rank order, read in chunks."""
    window = max(store.count(), 1)
    ranking = rank(store, params, request, query_vector, window)
    ids = [i for i, _ in ranking.order]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        records = store.get_many(chunk)
        yield from (records[i] for i in chunk if i in records)
