"""OpenSearch answers turned into our schemas: hits with snippets, facet counts.

Labels and the snippet window are the shared ones (search_api/core/facets.py, snippets.py), so both engines
answer alike.
"""

from __future__ import annotations

from typing import Any

from models.schemas import FACET_FIELDS, Hit, Pledge, Scores
from search_api.backends.opensearch.mappings import ANALYSED_LANGUAGES, FALLBACK
from search_api.backends.opensearch.snippets import from_highlight
from search_api.core.facets import SUGGESTED, Counts
from search_api.core.labels import as_hit


def pledge_from_source(source: dict[str, Any]) -> Pledge:
    """The stored record, without the engine's own fields (vector, content hash, sort keys)."""
    return Pledge.model_validate({k: v for k, v in source.items() if k in Pledge.model_fields})


def counts_from_aggs(aggs: dict[str, Any]) -> Counts:
    """Every value's count per facet from the `filter` + `terms` aggregations of queries.facet_counts_body."""
    names = [*FACET_FIELDS, *([SUGGESTED] if SUGGESTED in aggs else [])]
    return {
        facet: {str(b["key"]): int(b["doc_count"]) for b in aggs.get(facet, {}).get("values", {}).get("buckets", [])}
        for facet in names
    }


def total_hits(answer: dict[str, Any]) -> int:
    """hits.total of a search answer (an object since OpenSearch 1.0, a number before)."""
    total = answer.get("hits", {}).get("total", 0)
    return int(total["value"] if isinstance(total, dict) else total)


def _subfield(language: str) -> str:
    return language if language in ANALYSED_LANGUAGES else FALLBACK


def _marked(raw_hit: dict[str, Any], field: str, language: str) -> str | None:
    """The highlighted whole field, through the sub-field of the record's own language."""
    fragments = raw_hit.get("highlight", {}).get(f"{field}.{_subfield(language)}")
    return fragments[0] if fragments else None


def hit_from_raw(raw_hit: dict[str, Any], lang: str, scores: Scores) -> Hit:
    """A Hit from one OpenSearch hit: its _source and, when there was query text, its highlight."""
    pledge = pledge_from_source(raw_hit["_source"])
    description = _marked(raw_hit, "description", pledge.language)
    title = _marked(raw_hit, "title", pledge.language)
    return to_hit(
        pledge,
        lang,
        scores,
        snippet=from_highlight(pledge.description, description),
        title_highlighted=from_highlight(pledge.title, title, whole=True),
    )


def to_hit(
    pledge: Pledge, lang: str, scores: Scores, *, snippet: str | None = None, title_highlighted: str | None = None
) -> Hit:
    """The facts a user scans, labelled in `lang` (unmarked snippet and title when none are given)."""
    return as_hit(
        pledge,
        lang,
        scores,
        snippet=snippet if snippet is not None else from_highlight(pledge.description, None),
        title_highlighted=(
            title_highlighted if title_highlighted is not None else from_highlight(pledge.title, None, whole=True)
        ),
    )
