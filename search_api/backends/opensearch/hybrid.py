"""The server-side alternative for hybrid search: OpenSearch's `hybrid` query and a search pipeline.

Not the default. The default fuses client-side (search.py) so that OpenSearch answers exactly as the
embedded engine does. Here OpenSearch fuses itself, in one request; the differences, by design of the
feature: the semantic subquery is a plain k-NN (no similarity floor: `min_score` on a hybrid query only
applies after normalisation, from OpenSearch 3.5), each subquery is read `pagination_depth` deep, RRF
needs OpenSearch 2.19 (`score-ranker-processor`), and there is no cross-language reach: no objective leg and
no language-aware semantic weight (objectives.py), since both need the BM25 hits before the fusion. Use it
when one round trip matters more than identical results: `OpenSearchBackend(..., server_hybrid=True)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.schemas import SearchRequest
from search_api.backends.opensearch import queries as Q
from search_api.core.ranking import RankingParams


def pipeline_name(method: str) -> str:
    """Name of the search pipeline of one fusion method."""
    return f"pledges-hybrid-{method}"


def search_pipeline(method: str, params: RankingParams) -> dict[str, Any]:
    """Body of `PUT /_search/pipeline/<name>`: RRF, or min-max normalisation with a weighted mean."""
    total = params.keyword_weight + params.semantic_weight
    weights = [params.keyword_weight / total, params.semantic_weight / total]
    if method == "rrf":
        combination: dict[str, Any] = {"technique": "rrf", "rank_constant": params.rrf_k}
        if weights[0] != weights[1]:  # weighted RRF: OpenSearch 3.x; equal weights need no parameter
            combination["parameters"] = {"weights": weights}
        processor: dict[str, Any] = {"score-ranker-processor": {"combination": combination}}
    elif method == "weighted":
        processor = {"normalization-processor": {
            "normalization": {"technique": "min_max"},
            "combination": {"technique": "arithmetic_mean", "parameters": {"weights": weights}}}}
    else:
        raise ValueError(f"unknown fusion method {method!r}")
    return {"description": f"GCM pledge search: BM25 + k-NN fused by {method}",
            "phase_results_processors": [processor]}


def hybrid_body(request: SearchRequest, text: dict[str, Any], vector: Iterable[float],
                params: RankingParams) -> dict[str, Any]:
    """One request: BM25 and k-NN subqueries fused by the pipeline, hits under the post_filter, facets."""
    depth = max(request.page * request.size, params.keyword_candidates)
    body: dict[str, Any] = {
        "query": {"hybrid": {"queries": [text, Q.knn_query(vector, params.semantic_candidates)],
                             "pagination_depth": depth}},
        "post_filter": Q.as_filter(Q.filter_clauses(request.filters)),
        "from": (request.page - 1) * request.size,
        "size": request.size,
        "track_total_hits": True,
        "_source": {"excludes": Q.SOURCE_EXCLUDES},
        "highlight": Q.highlight(text),
    }
    if request.facets:
        body["aggs"] = Q.facet_aggs(request.filters, request.facet_size)
    return body
