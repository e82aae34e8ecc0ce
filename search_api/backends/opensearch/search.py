"""Search, export and similar() on OpenSearch, with the embedded engine's semantics (base.py).

- match set: everything (blank q); `text_query` (keyword); the `semantic_candidates` nearest records whose
  cosine reaches `similarity_floor`, found by k-NN over the whole index (semantic); either (hybrid);
- OpenSearch ranks what it can rank alone (BM25, field sorts, browsing): one request gives the page, the
  total (post_filter) and the disjunctive facets (aggregations beside it);
- semantic and hybrid relevance are ranked here: k-NN candidates, then one `_msearch` with the facets, the
  candidates that pass the filters and (hybrid) the corpus statistics of the cross-language legs, then the
  BM25 leg (`keyword_candidates` deep); hybrid fuses BM25, the semantic leg weighted by the query's language
  and the objective leg (objectives.py, search_api.core.crosslingual) with `search_api.core.fusion`, continued with the
  rest of the BM25 order, exactly as the embedded engine does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from models.schemas import Filters, Pledge, Scores, SearchRequest, SearchResponse, SimilarHit
from search_api.backends.base import BackendError
from search_api.backends.opensearch import hybrid
from search_api.backends.opensearch import queries as Q
from search_api.backends.opensearch.client import engine_errors
from search_api.backends.opensearch.crosslingual_requests import corpus_stats, corpus_stats_body, query_words
from search_api.backends.opensearch.documents import entity_key
from search_api.backends.opensearch.objectives import hybrid_legs
from search_api.backends.opensearch.reading import MAX_WINDOW, SCAN_BATCH, scan, search_once
from search_api.backends.opensearch.responses import (
    facets_from_aggs,
    hit_from_raw,
    pledge_from_source,
    to_hit,
    total_hits,
)
from search_api.core.facets import build_facets
from search_api.core.fusion import fuse
from search_api.core.similarity import explain, passes_options, real_countries

if TYPE_CHECKING:
    from search_api.backends.opensearch.backend import OpenSearchBackend

Ranked = list[tuple[str, float]]


def ranked(backend: OpenSearchBackend, match: dict[str, Any], filters: Filters, sort: list[dict[str, Any]],
           limit: int | None) -> tuple[Ranked, int | None]:
    """(id, score) of the first `limit` matches under the filters; the total when one request sufficed."""
    if limit is not None and limit <= MAX_WINDOW:
        answer = search_once(backend, Q.ranked_body(match, filters, sort, max(limit, 1)))
        hits = answer["hits"]["hits"]
        return [(h["_id"], float(h.get("_score") or 0.0)) for h in hits], total_hits(answer)
    body = Q.ranked_body(match, filters, sort, SCAN_BATCH)
    return [(h["_id"], float(h.get("_score") or 0.0)) for h in scan(backend, body, limit)], None


def semantic_candidates(backend: OpenSearchBackend, vector: np.ndarray) -> Ranked:
    """The semantic match set: at most `semantic_candidates` records with cosine >= floor, best first."""
    p = backend.params
    answer = search_once(backend, Q.semantic_leg_body(vector, p.semantic_candidates, p.similarity_floor))
    found = [(h["_id"], Q.score_to_cosine(float(h["_score"]))) for h in answer["hits"]["hits"]]
    return sorted(found, key=lambda t: (-t[1], t[0]))


class Plan:
    """A non-blank or blank query's match set and the pieces it is made of."""

    def __init__(self, backend: OpenSearchBackend, request: SearchRequest, vector: np.ndarray | None) -> None:
        self.blank = not request.q.strip()
        self.text = None if self.blank or request.mode == "semantic" else Q.text_query(
            request.q, backend.params.field_boosts)
        self.semantic: Ranked = []
        if not self.blank and request.mode != "keyword" and vector is not None:
            self.semantic = semantic_candidates(backend, vector)
        candidates = [i for i, _ in self.semantic]
        self.match = {"match_all": {}} if self.blank else Q.match_query(self.text, candidates)
        # marks: every non-blank query marks the words it shares with a hit, in any mode
        boosts = backend.params.field_boosts
        self.marks = None if self.blank else (self.text or Q.text_query(request.q, boosts))
        self.fused = not self.blank and request.sort == "relevance" and request.mode != "keyword"


def _fetch(backend: OpenSearchBackend, ids: list[str], marks: dict[str, Any] | None) -> dict[str, dict]:
    if not ids:
        return {}
    answer = search_once(backend, Q.fetch_body(ids, marks))
    return {h["_id"]: h for h in answer["hits"]["hits"]}


def fused_order(backend: OpenSearchBackend, plan: Plan, request: SearchRequest,
                window: int | None) -> tuple[list[tuple[str, Scores]], dict[str, Any]]:
    """Semantic/hybrid relevance order (`window` deep) and the facets answer (total, aggregations).

    One `_msearch` counts the facets, keeps the semantic candidates that pass the filters and, for hybrid,
    reads the corpus statistics of the cross-language legs (objectives.py); then the BM25 leg is read and
    the legs are fused as the embedded engine fuses them."""
    p = backend.params
    if plan.match is None:
        return [], {}
    candidates = [i for i, _ in plan.semantic]
    hybrid_text = request.mode == "hybrid" and plan.text is not None
    words = query_words(request.q) if hybrid_text else []
    bodies: list[dict[str, Any]] = [Q.facets_body(plan.match, request)]
    if candidates:
        bodies.append(Q.filtered_ids_body(candidates, request.filters))
    if hybrid_text:
        bodies.append(corpus_stats_body(words))
    with engine_errors("search"):
        answers = backend.client.msearch(index=backend.index_name,
                                         body=[part for b in bodies for part in ({}, b)])["responses"]
    for answer in answers:
        if "error" in answer:
            raise BackendError(f"OpenSearch failed to search: {answer['error']}")
    passing = {h["_id"] for h in answers[1]["hits"]["hits"]} if candidates else set()
    semantic = [(i, s) for i, s in plan.semantic if i in passing]
    if not hybrid_text or plan.text is None:
        return [(i, Scores(semantic=s, fused=s)) for i, s in semantic], answers[0]
    depth = None if window is None else max(window, p.keyword_candidates)
    keyword, _ = ranked(backend, plan.text, request.filters, Q.sort_clause(request), depth)
    keyword.sort(key=lambda t: (-t[1], t[0]))
    head = keyword[: p.keyword_candidates]
    stats = corpus_stats(answers[-1], words)
    lists, weights = hybrid_legs(backend, p, request.q, stats, words, head, semantic)
    fused = fuse(request.fusion, lists, k=p.rrf_k, weights=weights)
    seen = {i for i, _ in fused}
    order = fused + [(i, 0.0) for i, _ in keyword[p.keyword_candidates:] if i not in seen]
    kw, sem = dict(keyword), dict(semantic)
    return [(i, Scores(keyword=kw.get(i), semantic=sem.get(i), fused=f)) for i, f in order], answers[0]


def server_hybrid(backend: OpenSearchBackend, request: SearchRequest, text: dict[str, Any],
                  vector: np.ndarray) -> dict[str, Any]:
    """The option of hybrid.py: one `hybrid` query fused by a search pipeline, created on first use."""
    name = hybrid.pipeline_name(request.fusion)
    with engine_errors("create the hybrid search pipeline"):
        if name not in backend.pipelines:
            pipeline = hybrid.search_pipeline(request.fusion, backend.params)
            backend.client.search_pipeline.put(id=name, body=pipeline)
            backend.pipelines.add(name)
        return backend.client.search(index=backend.index_name, search_pipeline=name,
                                     body=hybrid.hybrid_body(request, text, vector, backend.params))


def run_search(backend: OpenSearchBackend, request: SearchRequest,
               vector: np.ndarray | None) -> SearchResponse:
    """One page of hits with snippets, the total and the disjunctive facets."""
    started = time.perf_counter()
    offset, window = (request.page - 1) * request.size, request.page * request.size
    hits, total, aggs = [], 0, {}
    plan = Plan(backend, request, vector) if backend.exists else None
    if plan is not None and plan.match is not None:
        if plan.fused and backend.server_hybrid and request.mode == "hybrid" and vector is not None:
            answer = server_hybrid(backend, request, plan.text or {}, vector)
            hits = [hit_from_raw(h, request.lang, Scores(fused=float(h.get("_score") or 0.0)))
                    for h in answer["hits"]["hits"]]
        elif plan.fused:
            order, answer = fused_order(backend, plan, request, window)
            page = order[offset:window]
            raw = _fetch(backend, [i for i, _ in page], plan.marks)
            hits = [hit_from_raw(raw[i], request.lang, scores) for i, scores in page if i in raw]
        elif window <= MAX_WINDOW:
            answer = search_once(backend, Q.page_body(plan.match, request, plan.marks))
            keyword = request.mode == "keyword" and request.sort == "relevance" and not plan.blank
            hits = [hit_from_raw(h, request.lang, Scores(keyword=h["_score"], fused=h["_score"]) if keyword
                                 else Scores()) for h in answer["hits"]["hits"]]
        else:  # a page beyond max_result_window: rank through a point in time, then fetch the page
            answer = search_once(backend, Q.facets_body(plan.match, request))
            deep, _ = ranked(backend, plan.match, request.filters, Q.sort_clause(request), window)
            raw = _fetch(backend, [i for i, _ in deep[offset:window]], plan.marks)
            hits = [hit_from_raw(raw[i], request.lang, Scores()) for i, _ in deep[offset:window] if i in raw]
        total, aggs = total_hits(answer), answer.get("aggregations", {})
    facets = []
    if request.facets:  # no aggregations when nothing could match: selected values only, counted 0
        facets = (facets_from_aggs(aggs, request.filters, request.facet_size, request.lang) if aggs
                  else build_facets({}, request.filters, request.lang, request.facet_size))
    return SearchResponse(q=request.q, mode=request.mode, total=total, page=request.page, size=request.size,
                          hits=hits, facets=facets, took_ms=round((time.perf_counter() - started) * 1000, 2))


def iter_matches(backend: OpenSearchBackend, request: SearchRequest,
                 vector: np.ndarray | None) -> Iterator[Pledge]:
    """Every record of the result in rank order: scanned in sort order, or fused ids read in chunks."""
    if not backend.exists:
        return
    plan = Plan(backend, request, vector)
    if plan.match is None:
        return
    if plan.fused:
        ids = [i for i, _ in fused_order(backend, plan, request, None)[0]]
        for start in range(0, len(ids), SCAN_BATCH):
            records = backend.get_many(ids[start:start + SCAN_BATCH])
            yield from (records[i] for i in ids[start:start + SCAN_BATCH] if i in records)
        return
    body = Q.ranked_body(plan.match, request.filters, Q.sort_clause(request), SCAN_BATCH)
    body["_source"] = {"excludes": Q.SOURCE_EXCLUDES}
    for hit in scan(backend, body):
        yield pledge_from_source(hit["_source"])


def similar(backend: OpenSearchBackend, record_id: str, k: int = 10, *, other_countries: bool = False,
            other_entities: bool = False, filters: Filters | None = None,
            lang: str = "en") -> list[SimilarHit]:
    """The `k` nearest records that pass the filters and options, best first (ties by id); KeyError if the
    id is unknown. Filters and options go inside the k-NN query (efficient filtering), so a restrictive
    filter still gives k neighbours; passes_options is checked again on what comes back."""
    source = backend.get(record_id)
    vector = backend.get_vector(record_id)
    if source is None or vector is None:
        raise KeyError(record_id)
    if k <= 0:
        return []
    where = Q.similar_filter(record_id, filters,
                             exclude_countries=sorted(real_countries(source)) if other_countries else (),
                             exclude_entity=entity_key(source.entity_name) if other_entities else None)
    body = Q.semantic_leg_body(vector, max(backend.params.similar_candidates, k), None, where, size=k)
    body["_source"] = {"excludes": Q.SOURCE_EXCLUDES}
    hits = search_once(backend, body)["hits"]["hits"]
    found = sorted(((pledge_from_source(h["_source"]), Q.score_to_cosine(float(h["_score"]))) for h in hits),
                   key=lambda t: (-t[1], t[0].id))
    chosen = [(other, s) for other, s in found if other.id != record_id and passes_options(
        source, other, other_countries=other_countries, other_entities=other_entities)]
    return [explain(source, to_hit(other, lang, Scores(semantic=s, fused=s)), other, s, lang)
            for other, s in chosen[:k]]
