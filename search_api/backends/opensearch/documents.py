"""Records as OpenSearch documents and bulk actions (pure data, no client)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np

from models.schemas import Pledge
from models.taxonomy import LANGUAGES, OBJECTIVES
from search_api.backends.opensearch.queries import VECTOR_FIELD


class RecordLike(Protocol):
    """What the indexer hands any sink: a StoredRecord or the indexer's own IndexedRecord."""

    @property
    def pledge(self) -> Pledge: ...

    @property
    def vector(self) -> np.ndarray: ...

    @property
    def content_hash(self) -> str: ...


def sort_title(title: str) -> str:
    """Case- and accent-insensitive title for ordering, the embedded engine's rule."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))[:200]


def objective_labels(pledge: Pledge) -> dict[str, str]:
    """The labels of the record's objectives per language: a query in any language reaches the record."""
    labels: dict[str, str] = {}
    for lang in LANGUAGES:
        terms = [OBJECTIVES[n] for n in pledge.objectives if n in OBJECTIVES]
        labels[lang] = " ".join(f"{t.labels[lang]}. {t.short.get(lang, '')}" for t in terms)
    return labels


def record_key(record_id: str, content_hash: str, vector: np.ndarray) -> int:
    """A 32-bit digest of what a record is: the sum of all keys (crosslingual_requests.corpus_stats_body)
    changes whenever a record comes, goes or changes, and stays exact in a double up to 2 million records."""
    digest = hashlib.blake2b(f"{record_id}\0{content_hash}\0".encode(), digest_size=4)
    digest.update(np.asarray(vector, dtype=np.float32).tobytes())
    return int.from_bytes(digest.digest(), "big")


def to_document(pledge: Pledge, vector: np.ndarray, content_hash: str) -> dict[str, Any]:
    """The stored record plus what the engine needs beside it: vector, content hash, keys and sort keys."""
    doc = pledge.model_dump(mode="json")
    suggested = [s.objective for s in pledge.suggested_objectives if s.objective not in pledge.objectives]
    newest = pledge.submitted or pledge.deadline
    doc.update(
        {
            VECTOR_FIELD: [float(x) for x in np.asarray(vector, dtype=np.float32)],
            "content_hash": content_hash,
            "record_key": record_key(pledge.id, content_hash, vector),
            "sort_title": sort_title(pledge.title),
            "objective_labels": objective_labels(pledge),
            "objectives_suggested": suggested,
            "objectives_any": list(dict.fromkeys([*pledge.objectives, *suggested])),
            "newest": newest.isoformat() if newest else None,
        }
    )
    return doc


def index_actions(records: Iterable[RecordLike], index: str) -> list[dict[str, Any]]:
    """`index` actions for helpers.bulk: an existing id is replaced whole, so an upsert is idempotent."""
    return [
        {
            "_op_type": "index",
            "_index": index,
            "_id": r.pledge.id,
            "_source": to_document(r.pledge, r.vector, r.content_hash),
        }
        for r in records
    ]


def delete_actions(ids: Sequence[str], index: str) -> list[dict[str, Any]]:
    """`delete` actions for helpers.bulk, one per distinct id."""
    return [{"_op_type": "delete", "_index": index, "_id": i} for i in dict.fromkeys(ids)]


def bulk_failures(errors: list[dict[str, Any]], *, ignore_not_found: bool = False) -> list[str]:
    """Readable reasons of the failed items helpers.bulk returned (404 on a delete is not a failure)."""
    reasons = []
    for item in errors:
        op, info = next(iter(item.items()))
        if ignore_not_found and info.get("status") == 404:
            continue
        error = info.get("error") or info.get("result") or info.get("status")
        if isinstance(error, dict):
            error = f"{error.get('type')}: {error.get('reason')}"
        reasons.append(f"{op} {info.get('_id')}: {error}")
    return reasons


def not_found_count(errors: list[dict[str, Any]]) -> int:
    """How many deletes hit no document."""
    return sum(1 for item in errors if next(iter(item.values())).get("status") == 404)
