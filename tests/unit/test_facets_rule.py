"""The disjunctive rule and the facet result shape, engine-free."""

from __future__ import annotations

from models.schemas import FACET_FIELDS, Filters
from search_api.core.facets import build_facets, facet_requests, filters_except


def test_filters_except_drops_only_that_facet():
    filters = Filters(country=["COL"], objective=[15], synthetic=False)
    assert filters_except(filters, "country") == Filters(objective=[15], synthetic=False)


def test_facets_without_a_selection_share_one_count():
    groups = facet_requests(Filters(country=["COL"], objective=[15]))
    assert groups[0][0] == Filters(country=["COL"], objective=[15])
    assert set(groups[0][1]) == set(FACET_FIELDS) - {"country", "objective"}
    assert (Filters(objective=[15]), ["country"]) in groups
    assert (Filters(country=["COL"]), ["objective"]) in groups
    assert len(facet_requests(Filters())) == 1


def test_build_facets_truncates_keeps_selected_and_labels():
    counts = {"country": [("COL", 6), ("FRA", 2), ("PHL", 2)]}
    facets = build_facets(counts, Filters(country=["ITA"]), "fr", size=2, extra_counts={"country": {"ITA": 1}})
    country = next(f for f in facets if f.name == "country")
    assert country.truncated
    assert [(v.value, v.label, v.count, v.selected) for v in country.values] == [
        ("COL", "Colombie", 6, False),
        ("FRA", "France", 2, False),
        ("ITA", "Italie", 1, True),
    ]
    assert [f.name for f in facets] == list(FACET_FIELDS)
