"""Every search, on every engine: the match set, the ranking of each mode, the total, the page, the facets.

The rules (DESIGN.md, "Search semantics"):
- a blank query browses every record, newest first (or by the asked sort);
- the match set of a query is the records its keyword query matches (keyword), the semantic candidates:
  at most `semantic_candidates` records whose cosine reaches `similarity_floor` (semantic), or either
  (hybrid); hits are the match set under all filters and `total` counts them;
- keyword ranks by BM25, semantic by cosine; hybrid fuses the BM25 head (`keyword_candidates` deep), the
  semantic leg weighted by the query's language and the objective leg (`crosslingual.hybrid_legs`) with
  `fusion.fuse`, then continues with the rest of the BM25 order, so every page is filled and the same
  request always gives the same order; a field sort orders the match set by that field, ties by id;
- facets count the match set as two disjoint parts, the keyword matches and the semantic candidates that
  are not keyword matches, each facet under every filter but its own (`facets.merge` adds the parts).

The text side (keyword leg, its facets, the query's language) runs before the query vector is awaited, so
an engine does that work while the model is still encoding the query.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic

import numpy as np

from models import thesaurus
from models.schemas import Filters, Pledge, Scores, SearchRequest, SearchResponse
from search_api.core.crosslingual import hybrid_legs
from search_api.core.facets import build_facets, merge
from search_api.core.fusion import fuse
from search_api.core.ranking import RankingParams
from search_api.core.reader import Counts, K, Match, QueryVector, Ranked, SearchReader
from search_api.core.side_work import SIDE, SideWork, ready

EXPORT_CHUNK = 500  # records read at a time while exporting a whole result


@dataclass
class Ranking(Generic[K]):
    """Every id of a search's result in order (as deep as asked), the total, the keyword query whose words
    are marked in the hits, and the facet counts of the match set (when asked) as disjoint parts, each
    counted beside the ranking (`counted_parts` waits for them)."""

    order: list[tuple[str, Scores]]
    counted: int  # the total, but for `also`
    marks: K | None = None
    facet_parts: list[Future[Counts]] = field(default_factory=list)
    strong: int | None = None  # None: every record of the result counts (browsing, field sorts)
    also: Future[list[str]] | None = None  # matches still being found beside the ranking (semantic-only ones)

    @property
    def total(self) -> int:
        """How many records the result holds (waits for `also`)."""
        return self.counted + (len(self.also.result()) if self.also is not None else 0)

    def counted_parts(self) -> list[Counts]:
        """The facet counts of every part, once counted."""
        return [part.result() for part in self.facet_parts]


def resolve(vector: QueryVector) -> np.ndarray | None:
    """The query vector, waiting for it when the caller is still computing it."""
    return vector.result() if isinstance(vector, Future) else vector


def rank(
    reader: SearchReader[K],
    params: RankingParams,
    request: SearchRequest,
    query_vector: QueryVector,
    window: int,
    facets: bool = False,
    side: SideWork = SIDE,
) -> Ranking[K]:
    """The ordered result of a search, read `window` deep, with its facet counts when `facets`.

    Facet counts and the keyword membership of the semantic candidates (for the total) run as `side` work
    while the ranking goes on; the order never depends on them."""
    if reader.is_empty():
        return Ranking([], 0, None)
    filters = request.filters
    parts: list[Future[Counts]] = []
    if not request.q.strip():
        everything: Match[K] = Match(everything=True)
        if facets:
            parts.append(side.submit(reader.facet_counts, everything, filters))
        sort = "newest" if request.sort == "relevance" else request.sort
        ids, total = reader.sorted_ids(everything, filters, sort, window)
        return Ranking([(i, Scores()) for i in ids], total, None, parts)
    translations = thesaurus.translations(request.q) if params.translation_weight > 0 else []
    marks = reader.keyword_query(request.q, translations)
    text = marks if request.mode != "semantic" else None
    relevance_hybrid = request.mode == "hybrid" and request.sort == "relevance"
    keyword: Ranked = []
    total = 0
    if text is not None:
        depth = window if request.mode == "keyword" else max(window, params.keyword_candidates)
        keyword, total = reader.keyword(text, filters, depth)
        if facets:
            parts.append(side.submit(reader.facet_counts, Match(text=text), filters, matched=total))
    language = reader.query_language(request.q) if relevance_hybrid else None  # before the vector is awaited
    vector = resolve(query_vector) if request.mode != "keyword" else None
    semantic = reader.nearest(vector, params.semantic_candidates, params.similarity_floor) if vector is not None else []
    if semantic:  # the per-query rule: close enough to this query's best cosine
        semantic = [item for item in semantic if item[1] >= semantic[0][1] - params.similarity_margin]
    semantic_ids = [i for i, _ in semantic]
    # every keyword match under the filters, when the leg read them all: membership then needs no query
    matched = {i for i, _ in keyword} if text is not None and len(keyword) >= total else None
    only_semantic: Future[list[str]]
    if text is None:
        only_semantic = ready(semantic_ids)
    elif semantic_ids and (facets or relevance_hybrid):
        known = matched if filters.is_empty() else None  # these ids are not filtered: the filtered list won't do
        only_semantic = _outside(reader, side, semantic_ids, text, known)
    else:
        only_semantic = ready([])
    if facets and semantic_ids:  # counted before the filters narrow it
        parts.append(side.submit(_facets_of_ids, reader, only_semantic, filters))
    if request.sort != "relevance":
        match: Match[K] = Match(text=text, ids=semantic_ids)
        if match.is_empty:
            return Ranking([], 0, marks, parts)
        ids, total = reader.sorted_ids(match, filters, request.sort, window)
        return Ranking([(i, Scores()) for i in ids], total, marks, parts)
    if (
        semantic and vector is not None and not filters.is_empty()
    ):  # the same rule, read under the filters (not a filtered top-n)
        floor = max(params.similarity_floor, semantic[0][1] - params.similarity_margin)
        semantic = reader.nearest(vector, params.semantic_candidates, floor, filters)
        if text is not None and (facets or relevance_hybrid):  # these pass the filters: the list will do
            only_semantic = _outside(reader, side, [i for i, _ in semantic], text, matched)
    strong = strong_matches(keyword, semantic, params)
    if request.mode == "keyword":
        return Ranking([(i, Scores(keyword=s, fused=s)) for i, s in keyword], total, marks, parts, strong)
    if request.mode == "semantic":
        return Ranking([(i, Scores(semantic=s, fused=s)) for i, s in semantic], len(semantic), marks, parts, strong)
    head = keyword[: params.keyword_candidates]
    lists, weights = hybrid_legs(
        params, request.q, reader.analyser(), head, semantic, language or {}, reader.record_objectives
    )
    fused = fuse(request.fusion, lists, k=params.rrf_k, weights=weights)
    seen = {i for i, _ in fused}
    order = fused + [(i, 0.0) for i, _ in keyword[params.keyword_candidates :] if i not in seen]
    order = order[:window]  # the rest is never read: no scores to build for it
    kw, sem = dict(keyword), dict(semantic)
    scored = [(i, Scores(keyword=kw.get(i), semantic=sem.get(i), fused=f)) for i, f in order]
    if text is not None and semantic:  # the semantic leg read last, outside the keyword matches, adds to them
        return Ranking(scored, total, marks, parts, strong, also=only_semantic)
    return Ranking(scored, max(total, len(semantic)), marks, parts, strong)


def _outside(
    reader: SearchReader[K], side: SideWork, ids: list[str], text: K, matched: set[str] | None
) -> Future[list[str]]:
    """Those of `ids` the keyword query does not match: read off `matched` (every match, when the keyword leg
    read them all), else asked of the engine beside the ranking."""
    if matched is not None:
        return ready([i for i in ids if i not in matched])
    return side.submit(reader.outside, ids, text)


def _facets_of_ids(reader: SearchReader[K], ids: Future[list[str]], filters: Filters) -> Counts:
    """Facet counts of the records among `ids` (the semantic candidates outside the keyword matches)."""
    found = ids.result()
    return reader.facet_counts(Match(ids=found), filters) if found else {}


def strong_matches(keyword: Ranked, semantic: Ranked, params: RankingParams) -> int:
    """Records the keyword leg scores at least `strong_keyword_share` of its best, or whose cosine is within
    `strong_semantic_margin` of the best (both legs read under the filters, as deep as they were read)."""
    strong = {i for i, s in keyword if keyword and s >= params.strong_keyword_share * keyword[0][1]}
    if semantic:
        best = max(s for _, s in semantic)
        strong |= {i for i, s in semantic if s >= best - params.strong_semantic_margin}
    return len(strong)


RANKING_WINDOW = 50  # a search's order is kept this deep at least: pages 1 to 5 of 10 hits read one ranking
PAGE_FIELDS = {"page", "size", "lang", "facet_size"}  # what changes a page, not the ranking under it


@dataclass(frozen=True)
class KeptRanking(Generic[K]):
    """A search's ranking with its total and facet counts resolved, kept per generation (`reader.answers()`):
    the next page, the same page in another language, or the same search again reads it instead of ranking.
    Compact, so that hundreds kept cost the garbage collector little: ids and a score matrix (NaN for a leg
    that did not find the record), the counts as JSON."""

    ids: tuple[str, ...]
    scores: np.ndarray  # (len(ids), 3): keyword, semantic, fused
    total: int
    strong: int
    marks: K | None
    counts_json: str
    window: int

    def covers(self, window: int) -> bool:
        """True when it holds the first `window` records of the result (or the whole result)."""
        return window <= self.window or len(self.ids) < self.window

    def page(self, start: int, stop: int) -> list[tuple[str, Scores]]:
        """The records from `start` to `stop` with their scores."""
        return [(i, _scores(row)) for i, row in zip(self.ids[start:stop], self.scores[start:stop], strict=True)]

    def counts(self) -> list[Counts]:
        """The facet counts of every part of the match set."""
        return json.loads(self.counts_json)


def _scores(row: np.ndarray) -> Scores:
    keyword, semantic, fused = (float(x) for x in row)
    return Scores(
        keyword=None if math.isnan(keyword) else keyword,
        semantic=None if math.isnan(semantic) else semantic,
        fused=fused,
    )


def resolved(ranking: Ranking[K], facets: bool, window: int) -> KeptRanking[K]:
    """The ranking with its total, strong count and facet counts waited for."""
    total = ranking.total
    strong = total if ranking.strong is None else min(ranking.strong, total)
    nan = float("nan")
    scores = np.asarray(
        [
            (nan if s.keyword is None else s.keyword, nan if s.semantic is None else s.semantic, s.fused)
            for _, s in ranking.order
        ],
        dtype=np.float64,
    ).reshape(-1, 3)
    counts = json.dumps(ranking.counted_parts() if facets else [])
    return KeptRanking(tuple(i for i, _ in ranking.order), scores, total, strong, ranking.marks, counts, window)


def run_search(
    reader: SearchReader[K], params: RankingParams, request: SearchRequest, query_vector: QueryVector
) -> SearchResponse:
    """One page of hits with snippets, the total and the disjunctive facets. The ranking (RANKING_WINDOW deep at
    least) is kept for this generation: the next page, or the same search in another language, reads it."""
    started = time.perf_counter()
    offset = (request.page - 1) * request.size
    window = offset + request.size
    answers = reader.answers()
    key = ("ranking", request.model_dump_json(exclude=PAGE_FIELDS), repr(params))
    kept: KeptRanking[K] | None = answers.get(key)
    if kept is not None and kept.covers(window):
        page = kept.page(offset, window)
        hits = reader.hits(page, kept.marks, request.lang) if page else []
    else:
        deep = max(window, RANKING_WINDOW)
        ranking = rank(reader, params, request, query_vector, deep, facets=request.facets)
        page = ranking.order[offset:window]
        hits = reader.hits(page, ranking.marks, request.lang) if page else []  # while the total is still counted
        kept = resolved(ranking, request.facets, deep)
        answers.put(key, kept)
    facets = []
    if request.facets:
        counts, extra = merge(kept.counts(), request.filters, request.facet_size)
        facets = build_facets(counts, request.filters, request.lang, request.facet_size, extra)
    return SearchResponse(
        q=request.q,
        mode=request.mode,
        total=kept.total,
        strong=kept.strong,
        page=request.page,
        size=request.size,
        hits=hits,
        facets=facets,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def iter_matches(
    reader: SearchReader[K], params: RankingParams, request: SearchRequest, query_vector: QueryVector
) -> Iterator[Pledge]:
    """Every record of the result in rank order, read in chunks (for CSV export)."""
    ranking = rank(reader, params, request, query_vector, max(reader.size(), 1))
    ids = [i for i, _ in ranking.order]
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        records = reader.records(chunk)
        yield from (records[i] for i in chunk if i in records)
