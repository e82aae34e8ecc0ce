"""Why a record is a neighbour of another: shared objectives, same entity type, same country, the concepts
that carried it across languages, similarity; whether two records come from the same entity (grouped by what
it is) or describe the same initiative. Engine-free: core/similar.py finds the neighbours, this explains them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from models import thesaurus
from models.schemas import Hit, Pledge, SimilarHit
from models.taxonomy import ENTITY_TYPES, GLOBAL
from search_api.core.labels import country_name, objective_chip

SAME_INITIATIVE_COSINE = 0.85
SAME_INITIATIVE_TITLE_OVERLAP = 0.6
_TITLE_WORD = re.compile(r"[^\W_]{4,}")

_TEXT = {
    "across": {
        "en": "Same kind of practice in another language: {items}",
        "fr": "Même type de pratique dans une autre langue : {items}",
        "es": "Mismo tipo de práctica en otro idioma: {items}",
    },
    "initiative": {
        "en": "Same initiative, other source",
        "fr": "Même initiative, autre source",
        "es": "Misma iniciativa, otra fuente",
    },
    "entity": {"en": "Same entity", "fr": "Même entité", "es": "Misma entidad"},
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


def concept_label(concept_id: str, lang: str) -> str:
    """A thesaurus concept by its first phrase in `lang`."""
    for concept in thesaurus.concepts():
        if concept.id == concept_id:
            phrases = concept.phrases.get(lang) or concept.phrases.get("en") or (concept_id,)
            return phrases[0]
    return concept_id


def _say(key: str, lang: str, **values: str) -> str:
    templates = _TEXT[key]
    return templates.get(lang, templates["en"]).format(**values)


def _number(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang in ("fr", "es") else text


def real_countries(pledge: Pledge) -> set[str]:
    """Countries of a record, the GLOBAL marker left out."""
    return {c for c in pledge.countries if c != GLOBAL}


def entity_of(pledge: Pledge) -> str | None:
    """What the record's entity is: the key computed at index time (a city's offices are one entity), else
    its name, case, spacing and parentheses ignored."""
    if pledge.entity_key:
        return pledge.entity_key
    if not pledge.entity_name:
        return None
    bare = re.sub(r"\([^)]*\)", " ", pledge.entity_name)
    return "name:" + " ".join(bare.casefold().split())


def same_entity(a: Pledge, b: Pledge) -> bool:
    """True when both records come from the same entity, grouped by what it is, not by its wording."""
    key = entity_of(a)
    return key is not None and key == entity_of(b)


def same_initiative(a: Pledge, b: Pledge, similarity: float) -> bool:
    """Two records of the same entity that describe one initiative (a pledge and the local action reporting
    it): nearly the same text, or titles that share most of their words."""
    if a.id == b.id or not same_entity(a, b):
        return False
    if similarity >= SAME_INITIATIVE_COSINE:
        return True
    words_a, words_b = (set(_TITLE_WORD.findall(p.title.casefold())) for p in (a, b))
    overlap = len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))
    return overlap >= SAME_INITIATIVE_TITLE_OVERLAP


def passes_options(source: Pledge, other: Pledge, *, other_countries: bool, other_entities: bool) -> bool:
    """The `other countries only` / `other entities only` options of similar()."""
    if other_countries and real_countries(source) & real_countries(other):
        return False
    return not (other_entities and same_entity(source, other))


def explain(
    source: Pledge,
    neighbour: Hit,
    other: Pledge,
    similarity: float,
    lang: str = "en",
    shared_concepts: Sequence[str] = (),
) -> SimilarHit:
    """The neighbour as a SimilarHit with its reasons, most telling first; `shared_concepts` are the thesaurus
    concepts that carried it across languages."""
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
    if shared_concepts and other.language != source.language:
        reasons.append(_say("across", lang, items=", ".join(concept_label(c, lang) for c in shared_concepts[:4])))
    if same_initiative(source, other, similarity):
        reasons.insert(0, _say("initiative", lang))
    elif same_entity(source, other):
        reasons.append(_say("entity", lang))
    reasons.append(_say("similarity", lang, score=_number(similarity, lang)))
    return SimilarHit(
        **neighbour.model_dump(),
        similarity=round(float(similarity), 4),
        shared_objectives=shared,
        same_entity_type=same_type,
        same_country=bool(countries),
        same_entity=same_entity(source, other),
        reasons=reasons,
    )
