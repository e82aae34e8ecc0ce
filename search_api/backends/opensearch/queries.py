"""Search requests as plain OpenSearch bodies: pure functions of a SearchRequest, tested without a server.

User text only ever reaches OpenSearch as the `query` string of a `multi_match`, which analyses it: quotes,
`*`, `AND`, `title:x` or `(((` are words to it, never syntax (no `query_string`, no `simple_query_string`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from models.schemas import FACET_FIELDS, Filters
from search_api.backends.opensearch.mappings import ANALYSED_LANGUAGES, FALLBACK
from search_api.backends.opensearch.snippets import MARK_POST, MARK_PRE
from search_api.core.crosslingual import WORD, without_stop_words
from search_api.core.facets import SUGGESTED
from search_api.core.ranking import DEFAULT_RANKING

VECTOR_FIELD = "vector"
SOURCE_EXCLUDES = [VECTOR_FIELD, "content_hash"]
TIEBREAK = {"id": "asc"}  # every sort ends on the id: page 2 never repeats page 1

# How each sort order reads; a blank query shows the newest records first.
_SORTS: dict[str, list[dict[str, Any]]] = {
    "relevance": [{"_score": "desc"}, TIEBREAK],
    "newest": [{"newest": {"order": "desc", "missing": "_last"}}, TIEBREAK],  # submitted, else deadline
    "deadline": [{"deadline": {"order": "asc", "missing": "_last"}}, TIEBREAK],
    "title": [{"sort_title": "asc"}, TIEBREAK],  # casefolded, accents removed (documents.sort_title)
}


def sort_clause(sort: str) -> list[dict[str, Any]]:
    """How hits are ordered for one sort order, ties by id."""
    return _SORTS[sort]


SCOPED_OBJECTIVES = {"declared": "objectives", "suggested": "objectives_suggested", "all": "objectives_any"}


def facet_field(facet: str, scope: str = "declared") -> str:
    """The indexed field of a facet; the objective facet's depends on which objectives are in scope."""
    if facet == "objective":
        return SCOPED_OBJECTIVES[scope]
    if facet == SUGGESTED:
        return SCOPED_OBJECTIVES["suggested"]
    return FACET_FIELDS[facet]


def facet_clause(facet: str, values: Sequence[str | int], scope: str = "declared") -> dict[str, Any]:
    """Several values of one facet are OR: one `terms` clause."""
    field = facet_field(facet, scope)
    return {"terms": {field: [int(v) for v in values] if field.startswith("objectives") else list(values)}}


def filter_clauses(filters: Filters | None) -> list[dict[str, Any]]:
    """Clauses that are all required (AND across facets), in a fixed order."""
    if filters is None:
        return []
    clauses = [
        facet_clause(f, getattr(filters, f), filters.objective_scope) for f in FACET_FIELDS if getattr(filters, f)
    ]
    if filters.synthetic is not None:
        clauses.append({"term": {"synthetic": filters.synthetic}})
    if filters.deadline_from or filters.deadline_to:
        bounds = {}
        if filters.deadline_from:
            bounds["gte"] = filters.deadline_from.isoformat()
        if filters.deadline_to:
            bounds["lte"] = filters.deadline_to.isoformat()
        clauses.append({"range": {"deadline": bounds}})
    return clauses


def as_filter(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    """Clauses as one query in filter context (match_all when there is none)."""
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


# Boost names of RankingParams.field_boosts -> indexed text fields. "objectives" is the en/fr/es labels of
# the objectives a record declares (documents.objective_labels), one sub-field per label language.
_BOOSTED_FIELDS = {"title": "title", "description": "description", "entity": "entity_name"}
LABELS = "objectives"
LABEL_FIELD = "objective_labels"
DEFAULT_BOOSTS = DEFAULT_RANKING.field_boosts  # the embedded engine's, from search_api/core/ranking.py
READINGS = (*ANALYSED_LANGUAGES, FALLBACK)  # every analyser reads the query: its terms are pooled
MAX_QUERY_WORDS = DEFAULT_RANKING.max_query_terms  # distinct words read, as the embedded engine reads terms
# OpenSearch refuses a query of more leaf clauses than `indices.query.bool.max_clause_count` (1,024 by
# default; Lucene counts every term query of the whole tree, `too_many_nested_clauses`). The text query
# keeps under it with room for what a body adds beside it (filters, the semantic candidates' ids).
MAX_CLAUSES = 1024
TEXT_CLAUSES = MAX_CLAUSES - 64


def _field(name: str, sub: str, weight: float) -> str:
    return f"{name}.{sub}" if weight == 1 else f"{name}.{sub}^{weight:g}"


def _readings(q: str, fields: list[str], kind: str = "most_fields") -> dict[str, Any]:
    """The query read by every language's analyser against `fields`; a record matches on any reading.

    `dis_max` keeps the best reading's score, so a word that several analysers read alike ("centre") does
    not count once per analyser: close to the embedded engine's pooled, de-duplicated terms. `most_fields`
    adds the fields' scores (title and description, as the embedded engine adds its text fields);
    `best_fields` keeps the best field's (the label languages, one field in the embedded engine)."""
    return {
        "dis_max": {
            "queries": [
                {"multi_match": {"query": q, "type": kind, "fields": fields, "analyzer": f"text_{reading}"}}
                for reading in READINGS
            ]
        }
    }


def _labels(q: str, labels: list[str]) -> dict[str, Any]:
    """The query against the objective labels: a word in the English and the French label ("legal identity",
    "identité légale") is one match, not one per label language."""
    return _readings(q, labels, "best_fields")


def _own_language(q: str, text: list[tuple[str, float]]) -> list[dict[str, Any]]:
    """One branch per record language: its text read through that language's sub-field, `q` by every analyser."""
    branches = []
    for sub in READINGS:
        where = (
            {"must_not": [{"terms": {"language": list(ANALYSED_LANGUAGES)}}]}
            if sub == FALLBACK
            else {"filter": [{"term": {"language": sub}}]}
        )
        branches.append({"bool": {**where, "must": [_readings(q, [_field(name, sub, w) for name, w in text])]}})
    return branches


def clauses_per_word(text_fields: int, label_fields: int) -> int:
    """Leaf clauses one query word costs in text_query: per record language, the language filter and every
    reading of the word against every text field; every reading against every label field."""
    per_language = 1 + len(READINGS) * text_fields if text_fields else 0
    return len(READINGS) * per_language + len(READINGS) * label_fields


def max_words(text_fields: int, label_fields: int) -> int:
    """How many distinct words text_query reads: MAX_QUERY_WORDS, fewer where their clauses would pass
    TEXT_CLAUSES less the room kept for translations (16 with the default boosts). A long pasted paragraph is
    read by its first words."""
    room = TEXT_CLAUSES - TRANSLATION_CLAUSES
    return max(1, min(MAX_QUERY_WORDS, room // clauses_per_word(text_fields, label_fields)))


MAX_TRANSLATIONS = 24  # thesaurus phrases read beside the query
TRANSLATION_CLAUSES = 160  # leaf clauses kept for them within TEXT_CLAUSES


def translated(
    translations: Sequence[tuple[str, str]], weight: float, text: list[tuple[str, float]]
) -> list[dict[str, Any]]:
    """The query's translations (models.thesaurus phrases): each read by its own language's analyser against
    the records written in that language, at `weight` of the query's own words."""
    clauses = []
    budget = TRANSLATION_CLAUSES
    for phrase, lang in list(dict.fromkeys(translations))[:MAX_TRANSLATIONS]:
        if lang not in ANALYSED_LANGUAGES or weight <= 0:
            continue
        cost = 1 + len(text) * max(1, len(WORD.findall(phrase)))
        if cost > budget:
            break
        budget -= cost
        fields = [f"{name}.{lang}^{w * weight:g}" for name, w in text]
        clauses.append(
            {
                "bool": {
                    "filter": [{"term": {"language": lang}}],
                    "must": [
                        {
                            "multi_match": {
                                "query": phrase,
                                "type": "best_fields",
                                "fields": fields,
                                "operator": "and",
                                "analyzer": f"text_{lang}",
                            }
                        }
                    ],
                }
            }
        )
    return clauses


def text_query(
    q: str,
    boosts: dict[str, float] | None = None,
    translations: Sequence[tuple[str, str]] = (),
    translation_weight: float = 0.0,
) -> dict[str, Any]:
    """BM25 over the boosted text fields, as the embedded engine matches them.

    A record's text is read through the analyser of the record's own language only (a `term` on `language`
    picks the sub-field); the query is read by every analyser (`_readings`), so "migrantes" reaches Spanish
    records as Spanish and English ones as English. Objective labels, when boosted, match in any language;
    a word counts once per record through them: the better of the record's own text and its labels (one
    `dis_max` per query word, as the embedded engine has one per term). A field boosted 0 is left out of the
    match set. Words that are stop words in any language are dropped first (`crosslingual.without_stop_words`),
    as the embedded engine drops them. At most `max_words` distinct words are read (OpenSearch's clause
    limit), in the order they come."""
    q = without_stop_words(q)
    weights = {name: w for name, w in (boosts or DEFAULT_BOOSTS).items() if w > 0}
    text = [(_BOOSTED_FIELDS.get(name, name), w) for name, w in weights.items() if name != LABELS]
    labels = [_field(LABEL_FIELD, lang, weights[LABELS]) for lang in ANALYSED_LANGUAGES] if LABELS in weights else []
    limit = max_words(len(text), len(labels))
    distinct = list(dict.fromkeys(word.lower() for word in WORD.findall(q)))
    words = distinct[:limit]
    if labels and words:  # one clause per word: the better of the record's own text and its labels
        should = [
            {
                "dis_max": {
                    "queries": [
                        {"bool": {"should": _own_language(word, text), "minimum_should_match": 1}},
                        _labels(word, labels),
                    ]
                }
            }
            if text
            else _labels(word, labels)
            for word in words
        ]
    else:  # no word (nothing an analyser reads: it matches nothing) or no labels
        read = q if len(distinct) <= limit else " ".join(words)
        should = [*(_own_language(read, text) if text else []), *([_labels(read, labels)] if labels else [])]
    if text and translations:  # each phrase adds its evidence, as in the embedded engine
        should += translated(translations, translation_weight, text)
    return {"bool": {"should": should, "minimum_should_match": 1}}


def knn_query(vector: Iterable[float], k: int, filter_query: dict[str, Any] | None = None) -> dict[str, Any]:
    """Approximate nearest neighbours; a filter given here is applied during the graph search (efficient
    filtering, lucene and faiss engines), so k results come back whenever k records pass it."""
    inner: dict[str, Any] = {"vector": [float(x) for x in vector], "k": k}
    if filter_query:
        inner["filter"] = filter_query
    return {"knn": {VECTOR_FIELD: inner}}


def cosine_to_score(cosine: float) -> float:
    """OpenSearch's score for the cosinesimil space, (1 + cos) / 2, for a similarity floor."""
    return (1.0 + cosine) / 2.0


def score_to_cosine(score: float) -> float:
    """Inverse of cosine_to_score."""
    return 2.0 * score - 1.0


def ids_query(ids: Sequence[str]) -> dict[str, Any]:
    """Exactly these records."""
    return {"ids": {"values": list(ids)}}


ALL_VALUES = 10_000  # more buckets than any facet has values: counts of every value, which parts can add


def facet_counts_body(match: dict[str, Any], filters: Filters) -> dict[str, Any]:
    """Every value's count of every facet over `match`, each facet under every active filter but its own
    (disjunctive), in one size-0 request."""
    aggs: dict[str, Any] = {}
    names = [*FACET_FIELDS, *([SUGGESTED] if filters.objective_scope != "declared" else [])]
    for facet in names:
        own = "objective" if facet == SUGGESTED else facet  # counted beside the objective facet, as it is
        field = facet_field(facet, filters.objective_scope)
        aggs[facet] = {
            "filter": as_filter(filter_clauses(filters.without(own))),
            "aggs": {"values": {"terms": {"field": field, "size": ALL_VALUES}}},
        }
    return {"query": match, "size": 0, "track_total_hits": False, "aggs": aggs}


def highlight(text: dict[str, Any]) -> dict[str, Any]:
    """Mark the words `text` matched over the whole title and description (snippets.py cuts the window).

    Matches are wrapped in two private-use characters and the text is left raw (`encoder: default`):
    escaping and <mark> tags are added once, client-side, as the embedded engine does."""
    fields = {
        f"{field}.{sub}": {"number_of_fragments": 0}
        for field in ("title", "description")
        for sub in (*ANALYSED_LANGUAGES, FALLBACK)
    }
    return {
        "type": "unified",
        "encoder": "default",
        "pre_tags": [MARK_PRE],
        "post_tags": [MARK_POST],
        "require_field_match": True,
        "highlight_query": text,
        "fields": fields,
    }


def match_query(text: dict[str, Any] | None, candidate_ids: Sequence[str]) -> dict[str, Any] | None:
    """The match set of a non-blank query (base.py): BM25 matches, semantic candidates, or either.

    None when nothing can match (semantic mode without candidates)."""
    parts = ([text] if text else []) + ([ids_query(candidate_ids)] if candidate_ids else [])
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"bool": {"should": parts, "minimum_should_match": 1}}


def ranked_body(match: dict[str, Any], filters: Filters, sort: list[dict[str, Any]], size: int) -> dict[str, Any]:
    """Ids (and scores) of the best `size` matches under all filters, in `sort` order, no _source."""
    return {
        "query": {"bool": {"must": [match], "filter": filter_clauses(filters)}},
        "size": size,
        "sort": sort,
        "track_total_hits": True,
        "_source": False,
    }


def semantic_leg_body(
    vector: Iterable[float],
    candidates: int,
    floor: float | None,
    filter_query: dict[str, Any] | None = None,
    size: int | None = None,
) -> dict[str, Any]:
    """The vector leg: at most `candidates` nearest records (whose cosine reaches `floor`, if given)."""
    body: dict[str, Any] = {"query": knn_query(vector, candidates, filter_query), "size": size or candidates}
    if floor is not None:
        body["min_score"] = cosine_to_score(floor)
    body["_source"] = False
    return body


def outside_body(ids: Sequence[str], text: dict[str, Any]) -> dict[str, Any]:
    """Which of these records the keyword query does not match (ids only, no scoring)."""
    return {"query": {"bool": {"filter": [ids_query(ids)], "must_not": [text]}}, "size": len(ids), "_source": False}


def facts_body(ids: Sequence[str], filters: Filters) -> dict[str, Any]:
    """Which of these records pass every filter, with their language and objectives (similar records' facts)."""
    return {
        "query": {"bool": {"filter": [ids_query(ids), *filter_clauses(filters)]}},
        "size": len(ids),
        "_source": {"includes": ["language", "objectives_any"]},
    }


def fetch_body(ids: Sequence[str], text: dict[str, Any] | None) -> dict[str, Any]:
    """The records of one page, marked when there is query text."""
    body: dict[str, Any] = {"query": ids_query(ids), "size": len(ids), "_source": {"excludes": SOURCE_EXCLUDES}}
    if text:
        body["highlight"] = highlight(text)
    return body
