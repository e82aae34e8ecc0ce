"""Reading an index: one search, or every hit of a search as deep as it goes (point in time + search_after)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from search_api.backends.base import BackendError
from search_api.backends.opensearch.client import engine_errors

MAX_WINDOW = 10_000  # index.max_result_window: deeper than this, read with a point in time
SCAN_BATCH = 1_000
KEEP_ALIVE = "2m"


@dataclass(frozen=True)
class Index:
    """Where reads go: a client and the name it reads (the alias, or a generation being built)."""

    client: Any
    name: str


def whole(answer: dict[str, Any], where: str) -> dict[str, Any]:
    """The answer, when every shard answered: OpenSearch returns the other shards' hits as if complete when one
    fails (a node lost with no copy of its shards elsewhere); a search must not answer from part of the index."""
    shards = answer.get("_shards") or {}
    if shards.get("failed"):
        reasons = {str((f.get("reason") or {}).get("type", f.get("reason"))) for f in shards.get("failures", [])}
        raise BackendError(f"OpenSearch answered from {shards.get('successful')} of {shards.get('total')} shards "
                           f"of {where} ({', '.join(sorted(reasons)) or 'no reason given'}): part of the index is "
                           "unavailable.")
    return answer


def search_once(index: Index, body: dict[str, Any]) -> dict[str, Any]:
    """One `_search` on the index; failures, and answers from part of the index, become BackendError."""
    with engine_errors("search"):
        answer = index.client.search(index=index.name, body=body)
    return whole(answer, index.name)


def scan(index: Index, body: dict[str, Any],
         limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Raw hits of `body` in its sort order, as deep as needed: point in time + search_after."""
    with engine_errors("open a point in time"):
        pit = index.client.create_pit(index=index.name, keep_alive=KEEP_ALIVE)["pit_id"]
    seen, after = 0, None
    try:
        while limit is None or seen < limit:
            page = {k: v for k, v in body.items() if k not in ("from", "aggs", "track_total_hits")}
            page.update(size=SCAN_BATCH, pit={"id": pit, "keep_alive": KEEP_ALIVE})
            if after is not None:
                page["search_after"] = after
            with engine_errors("read the next page of a point in time"):
                answer = whole(index.client.search(body=page), index.name)
            hits = answer["hits"]["hits"]
            pit = answer.get("pit_id", pit)
            yield from hits[: None if limit is None else limit - seen]
            seen += len(hits)
            if len(hits) < SCAN_BATCH:
                return
            after = hits[-1]["sort"]
    finally:
        with engine_errors("close a point in time"):
            index.client.delete_pit(body={"pit_id": [pit]})
