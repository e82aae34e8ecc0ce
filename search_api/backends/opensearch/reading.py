"""Reading an index: one search, or every hit of a search as deep as it goes (point in time + search_after)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from search_api.backends.base import BackendError
from search_api.backends.opensearch.client import NodeLost, engine_errors, is_node_loss

MAX_WINDOW = 10_000  # index.max_result_window: deeper than this, read with a point in time
SCAN_BATCH = 1_000
KEEP_ALIVE = "2m"
RETRY_PAUSES_S = (0.05, 0.25)  # a request that met a departing node is sent again after these pauses


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
        reasons = ", ".join(sorted({_reason(f) for f in shards.get("failures", [])})) or "no reason given"
        raise (NodeLost if is_node_loss(reasons) else BackendError)(
            f"OpenSearch answered from {shards.get('successful')} of {shards.get('total')} shards of {where} "
            f"({reasons}): part of the index is unavailable."
        )
    return answer


def _reason(failure: dict[str, Any]) -> str:
    reason = failure.get("reason")
    return f"{reason.get('type')}: {reason.get('reason')}"[:200] if isinstance(reason, dict) else str(reason)


def search_once(index: Index, body: dict[str, Any]) -> dict[str, Any]:
    """One `_search` on the index; failures, and answers from part of the index, become BackendError. A request
    that met a node leaving the cluster is sent again (twice at most): the cluster answers from another copy."""
    for pause in (*RETRY_PAUSES_S, None):
        try:
            with engine_errors("search"):
                answer = index.client.search(index=index.name, body=body)
            return whole(answer, index.name)
        except NodeLost:
            if pause is None:
                raise
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def scan(index: Index, body: dict[str, Any], limit: int | None = None) -> Iterator[dict[str, Any]]:
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
