"""The controlled vocabularies, labelled in the asked language: what the UI builds its filters from."""

from __future__ import annotations

from fastapi import APIRouter

from models import taxonomy
from models.schemas import TaxonomyResponse, TaxonomyTerm, UiLanguage
from search_api.core.labels import all_countries
from search_api.http.deps import LangParam
from search_api.http.errors import error_responses

router = APIRouter(tags=["taxonomy"])


def _terms(terms: dict, lang: str) -> list[TaxonomyTerm]:
    return [
        TaxonomyTerm(code=str(code), label=term.label(lang), short=term.label(lang, short=True) if term.short else None)
        for code, term in terms.items()
    ]


def build_taxonomy(lang: UiLanguage) -> TaxonomyResponse:
    """Every vocabulary of models.taxonomy in one language."""
    return TaxonomyResponse(
        lang=lang,
        objectives=_terms(taxonomy.OBJECTIVES, lang),
        principles=_terms(taxonomy.PRINCIPLES, lang),
        entity_types=_terms(taxonomy.ENTITY_TYPES, lang),
        natures=_terms(taxonomy.NATURES, lang),
        regions=_terms(taxonomy.REGIONS, lang),
        subregions=_terms(taxonomy.SUBREGIONS, lang),
        collections=_terms(taxonomy.COLLECTIONS, lang),
        countries=[TaxonomyTerm(code=code, label=name) for code, name in all_countries(lang)],
    )


@router.get(
    "/taxonomy",
    response_model=TaxonomyResponse,
    responses=error_responses(),
    summary="Objectives, principles, entity types, natures, regions",
)
def get_taxonomy(lang: LangParam = "en") -> TaxonomyResponse:
    """The GCM taxonomy with labels in English, French or Spanish."""
    return build_taxonomy(lang)
