"""Relevance evaluation with ir-measures: nDCG@10, Recall@20, MRR@10 and P@5 per mode and query language."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import ir_measures
from ir_measures import RR, P, R, nDCG

from models.schemas import SearchMode, SearchRequest, SearchResponse

MEASURES = {"nDCG@10": nDCG @ 10, "Recall@20": R @ 20, "MRR@10": RR @ 10, "P@5": P @ 5}
DEPTH = 20  # deepest cut-off any measure reads


@dataclass(frozen=True)
class Query:
    """One evaluation query."""

    id: str
    text: str
    language: str


def read_queries(path: Path) -> list[Query]:
    """Queries as JSON Lines `{"id", "text", "language"}`."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            queries.append(Query(str(raw["id"]), str(raw["text"]), str(raw.get("language") or "und")))
        except (json.JSONDecodeError, KeyError) as exc:
            raise ValueError(f"{path}:{number}: not a query object ({exc})") from exc
    return queries


def read_qrels(path: Path) -> list[ir_measures.Qrel]:
    """Judgments in TREC format: `query_id 0 record_id grade`."""
    return list(ir_measures.read_trec_qrels(str(path)))


def run_queries(
    search: Callable[[SearchRequest], SearchResponse], queries: Iterable[Query], mode: SearchMode
) -> list[ir_measures.ScoredDoc]:
    """Ranks of the top DEPTH records for every query in one mode, as a run."""
    run = []
    for query in queries:
        response = search(SearchRequest(q=query.text, mode=mode, size=DEPTH, facets=False))
        for rank, hit in enumerate(response.hits):
            run.append(ir_measures.ScoredDoc(query.id, hit.id, float(DEPTH - rank)))
    return run


def evaluate(
    search: Callable[[SearchRequest], SearchResponse],
    queries: list[Query],
    qrels: list[ir_measures.Qrel],
    modes: list[SearchMode],
) -> list[dict]:
    """One row per (mode, language group): the mean of each measure over that group's queries."""
    judged = {q.query_id for q in qrels}
    queries = [q for q in queries if q.id in judged]
    groups: dict[str, set[str]] = defaultdict(set)
    for query in queries:
        groups["all"].add(query.id)
        groups[query.language].add(query.id)
    rows = []
    for mode in modes:
        run = run_queries(search, queries, mode)
        per_query: dict[str, dict[str, float]] = defaultdict(dict)
        names = {str(m): name for name, m in MEASURES.items()}
        for metric in ir_measures.iter_calc(list(MEASURES.values()), qrels, run):
            per_query[metric.query_id][names[str(metric.measure)]] = metric.value
        for group, ids in groups.items():
            row: dict = {"mode": mode, "language": group, "queries": len(ids)}
            for name in MEASURES:
                row[name] = round(sum(per_query[q].get(name, 0.0) for q in ids) / len(ids), 4)
            rows.append(row)
    return rows
