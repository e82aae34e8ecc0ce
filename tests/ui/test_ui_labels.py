"""What the user reads beside a neighbour or a facet value: names in the interface language, never bare codes."""

from __future__ import annotations

import pytest

from models.schemas import FacetValue, Pledge, SimilarHit
from models.taxonomy import ENTITY_TYPES, OBJECTIVES, PRINCIPLES, REGIONS, SUBREGIONS
from ui.context import Labels
from ui.fragments import reasons
from ui.views.facets import value_label


def labels_in(lang: str) -> Labels:
    """The labels GET /taxonomy?lang= gives, built from the same shared taxonomy (no API needed)."""
    return Labels(
        objectives={str(n): term.label(lang) for n, term in OBJECTIVES.items()},
        objectives_short={str(n): term.label(lang, short=True) for n, term in OBJECTIVES.items()},
        principles={c: term.label(lang) for c, term in PRINCIPLES.items()},
        entity_types={c: term.label(lang) for c, term in ENTITY_TYPES.items()},
        natures={},
        regions={c: term.label(lang) for c, term in {**REGIONS, **SUBREGIONS}.items()},
        collections={},
    )


SOURCE = Pledge(
    id="sub-2291",
    title="Center for the Local Integration of Migrants",
    description="A one-stop centre.",
    entity_type="local_authority",
    countries=["COL", "GLOBAL"],
    objectives=[7, 15, 16, 23],
)


def neighbour(**fields: object) -> SimilarHit:
    base = {"id": "n", "collection": "pledge", "title": "N", "similarity": 0.8123}
    return SimilarHit(**{**base, **fields})


def test_reasons_are_escaped_chips_after_a_heading() -> None:
    html = reasons("Why similar:", ["Same country: <b>X</b>"])
    assert "Why similar:" in html and "&lt;b&gt;X&lt;/b&gt;" in html and 'class="gcm-chip gcm-reason"' in html
    assert reasons("Why similar:", []) == ""


@pytest.mark.parametrize(
    ("facet", "code", "lang", "shown"),
    [
        ("objective", "15", "es", "15 · Servicios básicos"),
        ("principle", "people-centred", "fr", "Priorité à la dimension humaine"),
        ("principle", "people-centred", "es", "Centrarse en las personas"),
        ("region", "Americas", "fr", "Amériques"),
        ("subregion", "Latin America and the Caribbean", "es", "América Latina y el Caribe"),
        ("entity_type", "local_authority", "fr", "Ville / autorité locale"),
    ],
)
def test_facet_values_are_shown_by_name_in_the_interface_language(facet: str, code: str, lang: str, shown: str) -> None:
    value = FacetValue(value=code, label=code, count=3)  # an API label left in English or as a code
    assert value_label(facet, value, labels_in(lang), lang) == shown
