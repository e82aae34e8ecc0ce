"""Labels of facts in English, French or Spanish, computed here only: country names (the offline UN M49 table of
hdx-python-country), taxonomy labels, entity types. The API serves them in hits, records, facets and
/taxonomy, and the UI shows what it receives, so a country reads the same on a card, a record page and in an
export.
"""

from __future__ import annotations

from functools import cache

from models.schemas import Hit, Pledge, PledgeView, Scores
from models.taxonomy import ENTITY_TYPES, FACET_TAXONOMIES, GLOBAL, LANGUAGE_NAMES, OBJECTIVES

GLOBAL_LABELS = {"en": "Global", "fr": "Mondial", "es": "Mundial"}
_HDX_NAME = {"en": "English Short", "fr": "French Short", "es": "Spanish Short"}
EXTRA_COUNTRIES = {"XKX": {"en": "Kosovo", "fr": "Kosovo", "es": "Kosovo"}}  # no ISO code: not in hdx's table


@cache
def country_name(code: str, lang: str = "en") -> str:
    """Short country name in en/fr/es from the offline M49 table; the code itself when unknown."""
    if code == GLOBAL:
        return GLOBAL_LABELS.get(lang, "Global")
    if code in EXTRA_COUNTRIES:
        return EXTRA_COUNTRIES[code].get(lang, EXTRA_COUNTRIES[code]["en"])
    try:
        from hdx.location.country import Country

        info = Country.get_country_info_from_iso3(code, use_live=False) or {}
    except Exception:  # noqa: BLE001 - a label must never break a search
        info = {}
    return info.get(_HDX_NAME.get(lang, "English Short")) or info.get("English Short") or code


def label(facet: str, value: str, lang: str = "en") -> str:
    """Human label of one facet value in `lang`."""
    if facet == "country":
        return country_name(value, lang)
    if facet == "objective":
        try:
            number = int(value)
        except ValueError:
            return value
        term = OBJECTIVES.get(number)
        return f"{number}. {term.label(lang, short=True)}" if term else value
    if facet == "language":
        names = LANGUAGE_NAMES.get(value)
        return names.get(lang, names["en"]) if names else value
    term = FACET_TAXONOMIES.get(facet, {}).get(value)
    return term.label(lang) if term else value


@cache
def all_countries(lang: str = "en") -> tuple[tuple[str, str], ...]:
    """(code, name) of every country of the M49 table, and GLOBAL, in name order: the /taxonomy list."""
    try:
        from hdx.location.country import Country

        codes = list(Country.countriesdata(use_live=False)["countries"])
    except Exception:  # noqa: BLE001 - a missing table leaves the list short, never breaks /taxonomy
        codes = []
    codes = sorted({*codes, *EXTRA_COUNTRIES, GLOBAL})
    return tuple(sorted(((c, country_name(c, lang)) for c in codes), key=lambda item: item[1].casefold()))


def objective_chip(number: int, lang: str = "en") -> str:
    """`15 · Basic services`: an objective's number and short name, as chips and reasons show it."""
    term = OBJECTIVES.get(number)
    return f"{number} · {term.label(lang, short=True)}" if term else str(number)


def entity_type_label(code: str | None, lang: str = "en") -> str | None:
    """The entity type's label, or None when the record has no (known) type."""
    term = ENTITY_TYPES.get(code or "")
    return term.label(lang) if term else None


def view(pledge: Pledge, lang: str = "en") -> PledgeView:
    """A stored record with the labels a reader needs, in `lang`."""
    return PledgeView(
        **pledge.model_dump(),
        country_names=[country_name(c, lang) for c in pledge.countries],
        entity_type_label=entity_type_label(pledge.entity_type, lang),
    )


def as_hit(pledge: Pledge, lang: str, scores: Scores, *, snippet: str, title_highlighted: str) -> Hit:
    """One result as every engine answers it: the facts a user scans, labelled in `lang`, and the engine's
    marked title and snippet."""
    return Hit(
        id=pledge.id,
        collection=pledge.collection,
        title=pledge.title,
        entity_name=pledge.entity_name,
        entity_type=pledge.entity_type,
        entity_type_label=entity_type_label(pledge.entity_type, lang),
        countries=pledge.countries,
        country_names=[country_name(c, lang) for c in pledge.countries],
        objectives=pledge.objectives,
        suggested_objectives=[s.objective for s in pledge.suggested_objectives],
        language=pledge.language,
        deadline=pledge.deadline,
        submitted=pledge.submitted,
        source_url=pledge.source_url,
        synthetic=pledge.synthetic,
        snippet=snippet,
        title_highlighted=title_highlighted,
        scores=scores,
    )
