"""What hybrid search's cross-language legs (search_api.core.crosslingual) need from OpenSearch, as the
embedded engine's objectives.py gives them from tantivy (crosslingual_requests.py builds the requests):
- the query's language from per-language word counts of the stored descriptions (one size-0 request, sent
  inside the `_msearch` that also counts the facets), which weights the semantic leg;
- the query and the objective labels read by the index's own analysers (`_analyze`, cached);
- every record's objectives, declared, else inferred from objective centroids of the stored vectors.

Inferred objectives are computed here, from a scan of the stored objectives and vectors, not written into
the documents: a record's inferred objectives depend on every other record (the centroids move as records
come and go), so a value stored at index time would go stale for every record not rewritten. The scan is
redone when the index's content stamp (record count and sum of record keys) changes. The embedded engine
keeps each record's declared objectives beside its vector instead and works out the centroids per index
generation; both apply the same rule (`crosslingual.unit_centroids`, `crosslingual.nearest_objectives`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from search_api.backends.opensearch import crosslingual_requests as R
from search_api.backends.opensearch.client import engine_errors
from search_api.backends.opensearch.queries import VECTOR_FIELD
from search_api.backends.opensearch.reading import Index, scan
from search_api.core import crosslingual

ANALYZE_CACHE = 4096  # (text, language) readings kept: the 69 label texts and recent queries


class ServerAnalyser:
    """`crosslingual.Analyse` through `_analyze` with the index's analysers, so that the labels and the query
    are read as the label field reads them. One per backend: crosslingual caches the label documents per
    analyser object while it lives, and this one caches each reading."""

    def __init__(self, index: Callable[[], Index]) -> None:
        self._index = index
        self._read = lru_cache(maxsize=ANALYZE_CACHE)(self._analyze)

    def _analyze(self, text: str, lang: str) -> tuple[str, ...]:
        index = self._index()
        with engine_errors(f"analyse text as {lang}"):
            answer = index.client.indices.analyze(index=index.name, body=R.analyze_body(text, lang))
        return tuple(R.analysed_tokens(answer))

    def __call__(self, text: str, lang: str) -> list[str]:
        return list(self._read(text, lang)) if text.strip() else []


class RecordObjectives:
    """Every record's objectives (declared, else inferred, for ranking only) for one content stamp."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._objectives: dict[str, list[int]] = {}

    def get(self, index: Index, stamp: tuple[int, float], inferred: int) -> dict[str, list[int]]:
        """The objectives by id, scanned again only when the index, its stamp or `inferred` changed."""
        key = (index.name, stamp, inferred)
        with self._lock:
            if key != self._key:
                self._objectives = read_objectives(index, inferred)
                self._key = key
            return self._objectives


def read_objectives(index: Index, inferred: int) -> dict[str, list[int]]:
    """Scan declared objectives (and vectors when `inferred` > 0) and infer the missing ones."""
    ids: list[str] = []
    declared: list[list[int]] = []
    vectors: list[list[float]] = []
    for hit in scan(index, R.objectives_scan_body(with_vectors=inferred > 0)):
        source = hit.get("_source", {})
        ids.append(hit["_id"])
        declared.append([int(n) for n in source.get("objectives") or []])
        if inferred > 0:
            vectors.append(source.get(VECTOR_FIELD) or [])
    if inferred <= 0 or not ids:
        return dict(zip(ids, declared, strict=True))
    dimension = max((len(v) for v in vectors), default=0)
    matrix = np.zeros((len(ids), dimension), dtype=np.float32)
    for row, vector in enumerate(vectors):
        if len(vector) == dimension:
            matrix[row] = vector
    return dict(zip(ids, crosslingual.infer_objectives(matrix, declared, inferred), strict=True))
