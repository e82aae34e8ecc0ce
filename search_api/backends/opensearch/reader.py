"""The OpenSearch engine's search primitives (search_api.core.reader), each one request (or a point-in-time
scan past `max_result_window`). The keyword query is an OpenSearch query body (queries.text_query)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from models.schemas import Filters, Hit, Pledge, Scores, SortOrder
from search_api.backends.opensearch import queries as Q
from search_api.backends.opensearch.crosslingual_requests import (
    CorpusStats,
    corpus_stats,
    corpus_stats_body,
    query_words,
)
from search_api.backends.opensearch.objectives import RecordObjectives, ServerAnalyser
from search_api.backends.opensearch.reading import MAX_WINDOW, SCAN_BATCH, Index, scan, search_once
from search_api.backends.opensearch.responses import counts_from_aggs, hit_from_raw, total_hits
from search_api.core.answers import Answers, NoAnswers
from search_api.core.crosslingual import WORD, language_probabilities, without_stop_words
from search_api.core.facets import Counts
from search_api.core.ranking import RankingParams
from search_api.core.reader import Match, Ranked, RecordFacts

Body = dict[str, Any]


class OpenSearchReader:
    """The primitives against one index (the alias: a rebuild swaps it atomically between two searches)."""

    def __init__(
        self,
        index: Index,
        params: RankingParams,
        exists: bool,
        analyser: ServerAnalyser,
        objectives: RecordObjectives,
        get_many: Callable[[Sequence[str]], dict[str, Pledge]],
    ) -> None:
        self.index = index
        self.params = params
        self._exists = exists
        self._analyser = analyser
        self._objectives = objectives
        self._get_many = get_many
        self._stats: CorpusStats | None = None

    def _ranked(self, match: Body, filters: Filters, sort: list[Body], limit: int) -> tuple[Ranked, int]:
        """(id, score) of the first `limit` matches under the filters in `sort` order, and how many match."""
        if limit <= MAX_WINDOW:
            answer = search_once(self.index, Q.ranked_body(match, filters, sort, max(limit, 1)))
            found = [(h["_id"], float(h.get("_score") or 0.0)) for h in answer["hits"]["hits"]]
            return found, total_hits(answer)
        body = Q.ranked_body(match, filters, sort, SCAN_BATCH)
        found = [(h["_id"], float(h.get("_score") or 0.0)) for h in scan(self.index, body, limit)]
        count = search_once(self.index, {**Q.ranked_body(match, filters, sort, 0), "track_total_hits": True})
        return found, total_hits(count)

    def answers(self) -> Answers:
        """Nothing is kept: another process may write to the index, and this one would not know."""
        return NoAnswers()

    def is_empty(self) -> bool:
        """True when no index stands behind the alias yet."""
        return not self._exists

    def size(self) -> int:
        """Records in the index."""
        with_total = search_once(self.index, {"size": 0, "track_total_hits": True})
        return total_hits(with_total)

    def keyword_query(
        self,
        q: str,
        translations: Sequence[tuple[str, str]] = (),
        boosts: Mapping[str, float] | None = None,
        max_share: float | None = None,
    ) -> Body | None:
        """BM25 over every language's reading of the query, in the fields `boosts` weigh (the ranking's by
        default); None when the query holds no word. A long text is read by its first words, as many as the
        clause limit allows (`max_words`), all of them whatever `max_share` says: their record counts would
        take a term-statistics request of its own."""
        if not WORD.search(without_stop_words(q)):
            return None
        weights = dict(self.params.field_boosts if boosts is None else boosts)
        return Q.text_query(q, weights, translations, self.params.translation_weight)

    def keyword(self, query: Body, filters: Filters, depth: int) -> tuple[Ranked, int]:
        """BM25 top `depth` under the filters, ties by id, and the number of keyword matches."""
        found, total = self._ranked(query, filters, Q.sort_clause("relevance"), depth)
        return sorted(found, key=lambda t: (-t[1], t[0])), total

    def nearest(self, vector: np.ndarray, n: int, floor: float, filters: Filters | None = None) -> Ranked:
        """k-NN: at most `n` records whose cosine reaches `floor` (under the filters, inside the k-NN search,
        when given)."""
        clauses = Q.filter_clauses(filters) if filters is not None else []
        filter_query = {"bool": {"filter": clauses}} if clauses else None
        answer = search_once(self.index, Q.semantic_leg_body(vector, n, floor, filter_query))
        found = [(h["_id"], Q.score_to_cosine(float(h["_score"]))) for h in answer["hits"]["hits"]]
        return sorted(found, key=lambda t: (-t[1], t[0]))

    def similarities(self, vector: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        """Cosines of the stored vectors of these records (one request)."""
        if not ids:
            return {}
        body = {"query": Q.ids_query(ids), "size": len(ids), "_source": {"includes": [Q.VECTOR_FIELD]}}
        query = np.asarray(vector, dtype=np.float32)
        out = {}
        for hit in search_once(self.index, body)["hits"]["hits"]:
            stored = np.asarray(hit.get("_source", {}).get(Q.VECTOR_FIELD) or [], dtype=np.float32)
            if stored.shape == query.shape:
                out[hit["_id"]] = float(stored @ query)
        return out

    def facts(self, ids: Sequence[str], filters: Filters) -> dict[str, RecordFacts]:
        """Language and objectives (declared or suggested) of those of `ids` that pass every filter."""
        found: dict[str, RecordFacts] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), MAX_WINDOW):
            answer = search_once(self.index, Q.facts_body(unique[start : start + MAX_WINDOW], filters))
            for hit in answer["hits"]["hits"]:
                source = hit.get("_source", {})
                numbers = frozenset(int(n) for n in source.get("objectives_any") or [])
                found[hit["_id"]] = RecordFacts(source.get("language"), numbers)
        return found

    def outside(self, ids: list[str], query: Body) -> list[str]:
        """Those of `ids` that the keyword query does not match, order kept."""
        if not ids:
            return ids
        answer = search_once(self.index, Q.outside_body(ids, query))
        found = {h["_id"] for h in answer["hits"]["hits"]}
        return [i for i in ids if i in found]

    def _match(self, match: Match[Body]) -> Body | None:
        if match.everything:
            return {"match_all": {}}
        return Q.match_query(match.text, list(match.ids))

    def sorted_ids(self, match: Match[Body], filters: Filters, sort: SortOrder, limit: int) -> tuple[list[str], int]:
        """The first `limit` records of `match` by a sort field, ties by id."""
        body = self._match(match)
        if body is None:
            return [], 0
        found, total = self._ranked(body, filters, Q.sort_clause(sort), limit)
        return [i for i, _ in found], total

    def facet_counts(self, match: Match[Body], filters: Filters, matched: int | None = None) -> Counts:
        """Every value's count of every facet over `match` (filter + terms aggregations)."""
        body = self._match(match)
        if body is None:
            return {}
        answer = search_once(self.index, Q.facet_counts_body(body, filters))
        return counts_from_aggs(answer.get("aggregations", {}))

    def _corpus(self, words: list[str]) -> CorpusStats:
        self._stats = corpus_stats(search_once(self.index, corpus_stats_body(words)), words)
        return self._stats

    def query_language(self, q: str) -> dict[str, float]:
        """P(en/fr/es | query) from per-language counts of the query's words in the stored descriptions."""
        words = query_words(q)
        stats = self._corpus(words)
        return language_probabilities(words, stats.frequency, stats.sizes)

    def analyser(self) -> Callable[[str, str], list[str]]:
        """The index's analysers through `_analyze` (the backend's one ServerAnalyser, which caches readings)."""
        return self._analyser

    def record_objectives(self, ids: Sequence[str]) -> Mapping[str, Sequence[int]]:
        """Declared objectives, else inferred from centroids; scanned again when the content stamp moves."""
        stats = self._stats or self._corpus([])
        every = self._objectives.get(self.index, stats.stamp, self.params.inferred_objectives)
        return {i: every[i] for i in ids if i in every}

    def hits(self, page: Sequence[tuple[str, Scores]], marks: Body | None, lang: str) -> list[Hit]:
        """The page's records with the words `marks` matched highlighted."""
        ids = [i for i, _ in page]
        answer = search_once(self.index, Q.fetch_body(ids, marks))
        raw = {h["_id"]: h for h in answer["hits"]["hits"]}
        return [hit_from_raw(raw[i], lang, scores) for i, scores in page if i in raw]

    def records(self, ids: Sequence[str]) -> dict[str, Pledge]:
        """Stored records by id."""
        return self._get_many(ids)
