"""Facets declared once, the disjunctive rule in one place, one result shape; both engines use this module.

An engine only counts: `facet_requests()` says which filter set each facet is counted under, `merge()` adds
the counts of disjoint parts of a match set, and `build_facets()` turns raw counts into labelled `Facet`s
(selected values kept, `truncated` found by asking for one value more than shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.schemas import FACET_FIELDS, Facet, FacetValue, Filters
from search_api.core.labels import label

Counts = dict[str, dict[str, int]]  # facet name -> value -> number of records


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its request name and the `Pledge` field it reads."""

    name: str
    field: str


FACETS: tuple[FacetSpec, ...] = tuple(FacetSpec(name, field) for name, field in FACET_FIELDS.items())
SUGGESTED = "objective_suggested"  # counted beside the objective facet when suggestions are in scope


def filters_except(filters: Filters, facet: str) -> Filters:
    """The filters a facet's counts are computed under: every active filter but its own."""
    return filters.without(facet)


def facet_requests(filters: Filters) -> list[tuple[Filters, list[str]]]:
    """Group facets by the filter set they are counted under: one count per group, not one per facet.

    Facets without a selection share the full filters; each facet with a selection gets its own group."""
    shared = [spec.name for spec in FACETS if not filters.facet_values(spec.name)]
    groups: list[tuple[Filters, list[str]]] = []
    if shared:
        groups.append((filters, shared))
    for spec in FACETS:
        if filters.facet_values(spec.name):
            groups.append((filters_except(filters, spec.name), [spec.name]))
    if filters.objective_scope != "declared":  # how many of each objective's records carry it as a suggestion
        groups = [(f, [*names, SUGGESTED] if "objective" in names else names) for f, names in groups]
    return groups


def build_facets(
    counts: dict[str, list[tuple[str, int]]],
    filters: Filters,
    lang: str,
    size: int,
    extra_counts: dict[str, dict[str, int]] | None = None,
) -> list[Facet]:
    """Labelled facets from raw counts, most frequent first.

    `counts[facet]` may hold up to size + 1 values (more than `size` means truncated); selected values are
    always shown, with their count from `extra_counts` when they fell outside the counted values."""
    facets: list[Facet] = []
    for spec in FACETS:
        raw = sorted(counts.get(spec.name, []), key=lambda vc: (-vc[1], vc[0]))
        truncated = len(raw) > size
        shown = dict(raw[:size])
        selected = filters.facet_values(spec.name)
        for value in selected:
            if value not in shown:
                shown[value] = dict(raw).get(value, (extra_counts or {}).get(spec.name, {}).get(value, 0))
        suggested = dict(counts.get(SUGGESTED, [])) if spec.name == "objective" else {}
        values = [
            FacetValue(
                value=v,
                label=label(spec.name, v, lang),
                count=c,
                suggested=min(c, suggested.get(v, 0)),
                selected=v in selected,
            )
            for v, c in sorted(shown.items(), key=lambda vc: (-vc[1], vc[0]))
        ]
        facets.append(Facet(name=spec.name, values=values, truncated=truncated))
    return facets


def _top(counts: dict[str, int], size: int) -> list[tuple[str, int]]:
    """The size + 1 most frequent values (one more than shown tells whether the facet is truncated)."""
    ranked = sorted(((v, c) for v, c in counts.items() if c > 0), key=lambda vc: (-vc[1], vc[0]))
    return ranked[: size + 1]


def merge(
    parts: list[Counts], filters: Filters, size: int
) -> tuple[dict[str, list[tuple[str, int]]], dict[str, dict[str, int]]]:
    """Counts of disjoint parts of a match set added up: the top size + 1 values per facet, most frequent
    first, and the counts of the selected values (shown even when outside the top)."""
    counts: dict[str, list[tuple[str, int]]] = {}
    extra: dict[str, dict[str, int]] = {}
    names = {name for part in parts for name in part}
    for name in names:
        total: dict[str, int] = {}
        for part in parts:
            for value, count in part.get(name, {}).items():
                total[value] = total.get(value, 0) + count
        counts[name] = _top(total, size) if name != SUGGESTED else sorted(total.items())
        selected = filters.facet_values(name) if name in FACET_FIELDS else []
        extra[name] = {value: total.get(value, 0) for value in selected}
    return counts, extra
