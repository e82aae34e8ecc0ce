"""Fusing ranked lists into one: reciprocal-rank fusion and weighted min-max; pure functions, no engine.

Each input list is `[(id, score), ...]` best first. The output is `[(id, fused), ...]` best first, ties broken
by id so that the same inputs always give the same order (stable pagination).
"""

from __future__ import annotations

from collections.abc import Sequence

Ranked = Sequence[tuple[str, float]]


def _sorted(scores: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _weights(lists: Sequence[Ranked], weights: Sequence[float] | None) -> Sequence[float]:
    if weights is None:
        return [1.0] * len(lists)
    if len(weights) != len(lists):
        raise ValueError(f"{len(lists)} lists but {len(weights)} weights")
    return weights


def rrf(lists: Sequence[Ranked], k: int = 60, weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: sum over lists of weight / (k + rank), rank counted from 1.

    Only ranks matter, so legs with incomparable scores (BM25, cosine) mix without normalisation."""
    fused: dict[str, float] = {}
    for ranked, weight in zip(lists, _weights(lists, weights), strict=True):
        for rank, (item, _score) in enumerate(ranked, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return _sorted(fused)


def minmax(ranked: Ranked) -> dict[str, float]:
    """Scores scaled to [0, 1] within one list; a list whose scores are all equal scales to 1."""
    if not ranked:
        return {}
    values = [score for _, score in ranked]
    low, high = min(values), max(values)
    span = high - low
    return {item: (score - low) / span if span > 0 else 1.0 for item, score in ranked}


def weighted_minmax(lists: Sequence[Ranked], weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Weighted sum of min-max normalised scores; an item absent from a list gets 0 from it."""
    fused: dict[str, float] = {}
    for ranked, weight in zip(lists, _weights(lists, weights), strict=True):
        for item, score in minmax(ranked).items():
            fused[item] = fused.get(item, 0.0) + weight * score
    return _sorted(fused)


def fuse(
    method: str, lists: Sequence[Ranked], *, k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """Dispatch on the method name a request carries ("rrf" or "weighted")."""
    if method == "rrf":
        return rrf(lists, k=k, weights=weights)
    if method == "weighted":
        return weighted_minmax(lists, weights=weights)
    raise ValueError(f"unknown fusion method {method!r}")
