"""similar(): exact nearest neighbours of a record's own vector, itself excluded, with the options applied."""

from __future__ import annotations

import numpy as np

from models.schemas import Filters, Scores, SimilarHit
from search_api.backends.embedded.hits import to_hit
from search_api.backends.embedded.reader import EmbeddedReader
from search_api.backends.embedded.store import EmbeddedStore
from search_api.core.ranking import RankingParams
from search_api.core.similarity import explain, passes_options


def similar(
    store: EmbeddedStore,
    params: RankingParams,
    record_id: str,
    k: int = 10,
    *,
    other_countries: bool = False,
    other_entities: bool = False,
    filters: Filters | None = None,
    lang: str = "en",
) -> list[SimilarHit]:
    """The `k` nearest records that pass the options and filters, best first (ties by id).

    Reads `similar_candidates` neighbours, and twice as many again while too few of them pass."""
    source = store.get(record_id)
    vector = store.get_vector(record_id)
    if source is None or vector is None:
        raise KeyError(record_id)
    reader = EmbeddedReader(store, params)
    snap = reader.snap
    count = snap.matrix.shape[0]
    if count == 0 or k <= 0:
        return []
    sims = snap.matrix @ vector
    filters = filters or Filters()
    depth = min(count, max(params.similar_candidates, k + 1))
    while True:
        top = np.argpartition(-sims, depth - 1)[:depth] if depth < count else np.arange(count)
        ranked = sorted(
            ((snap.ids[i], float(sims[i])) for i in top if snap.ids[i] != record_id),
            key=lambda t: (-t[1], t[0]),
        )
        if ranked and not filters.is_empty():
            allowed = reader.passing([i for i, _ in ranked], filters)
            ranked = [item for item in ranked if item[0] in allowed]
        chosen: list = []
        step = max(2 * k, 20)
        for start in range(0, len(ranked), step):
            chunk = ranked[start : start + step]
            records = store.get_many([i for i, _ in chunk])
            chosen += [
                (records[i], s)
                for i, s in chunk
                if i in records
                and passes_options(
                    source, records[i], other_countries=other_countries, other_entities=other_entities
                )
            ]
            if len(chosen) >= k:
                break
        if len(chosen) >= k or depth >= count:
            break
        depth = min(count, depth * 2)
    return [
        explain(source, to_hit(other, (), Scores(semantic=s, fused=s), lang), other, s, lang)
        for other, s in chosen[:k]
    ]
