"""Why a record is a neighbour of another: shared objectives, same entity type, same country, similarity.

Engine-free: both engines find neighbours their own way, then explain them with `explain()`.
"""

from __future__ import annotations

from models.schemas import Hit, Pledge, SimilarHit
from models.taxonomy import ENTITY_TYPES, GLOBAL
from search_api.core.labels import country_name, objective_chip

_TEXT = {
    "objectives": {
        "en": "Shared GCM objectives: {items}",
        "fr": "Objectifs du PMM communs : {items}",
        "es": "Objetivos del PMM compartidos: {items}",
    },
    "entity_type": {
        "en": "Same kind of entity: {label}",
        "fr": "Même type d'entité : {label}",
        "es": "Mismo tipo de entidad: {label}",
    },
    "country": {"en": "Same country: {items}", "fr": "Même pays : {items}", "es": "Mismo país: {items}"},
    "similarity": {
        "en": "Text similarity {score} (of 1)",
        "fr": "Similarité du texte {score} (sur 1)",
        "es": "Similitud del texto {score} (sobre 1)",
    },
}


def _say(key: str, lang: str, **values: str) -> str:
    templates = _TEXT[key]
    return templates.get(lang, templates["en"]).format(**values)


def _number(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang in ("fr", "es") else text


def real_countries(pledge: Pledge) -> set[str]:
    """Countries of a record, the GLOBAL marker left out."""
    return {c for c in pledge.countries if c != GLOBAL}


def same_entity(a: Pledge, b: Pledge) -> bool:
    """True when both records name the same pledging entity (case and spacing ignored)."""
    if not a.entity_name or not b.entity_name:
        return False
    return " ".join(a.entity_name.casefold().split()) == " ".join(b.entity_name.casefold().split())


def passes_options(source: Pledge, other: Pledge, *, other_countries: bool, other_entities: bool) -> bool:
    """The `other countries only` / `other entities only` options of similar()."""
    if other_countries and real_countries(source) & real_countries(other):
        return False
    return not (other_entities and same_entity(source, other))


def explain(source: Pledge, neighbour: Hit, other: Pledge, similarity: float, lang: str = "en") -> SimilarHit:
    """The neighbour as a SimilarHit with its reasons, most telling first."""
    shared = sorted(set(source.objectives) & set(other.objectives))
    same_type = bool(source.entity_type) and source.entity_type == other.entity_type
    countries = sorted(real_countries(source) & real_countries(other))
    reasons: list[str] = []
    if shared:
        reasons.append(_say("objectives", lang, items=", ".join(objective_chip(n, lang) for n in shared)))
    if same_type:
        term = ENTITY_TYPES.get(other.entity_type or "")
        reasons.append(_say("entity_type", lang, label=term.label(lang) if term else str(other.entity_type)))
    if countries:
        reasons.append(_say("country", lang, items=", ".join(country_name(c, lang) for c in countries)))
    reasons.append(_say("similarity", lang, score=_number(similarity, lang)))
    return SimilarHit(
        **neighbour.model_dump(),
        similarity=round(float(similarity), 4),
        shared_objectives=shared,
        same_entity_type=same_type,
        same_country=bool(countries),
        reasons=reasons,
    )
