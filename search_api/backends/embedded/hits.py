"""A stored record as a `Hit`: labels in the asked language, highlighted title and description snippet."""

from __future__ import annotations

import html
from collections.abc import Sequence

from models.schemas import Hit, Pledge, Scores
from models.taxonomy import ENTITY_TYPES
from search_api.backends.embedded.analysis import field_lang, matched_spans, snippet
from search_api.core.facets import country_name
from search_api.core.snippets import SNIPPET_CHARS, mark


def to_hit(pledge: Pledge, terms: Sequence[str], scores: Scores, lang: str = "en") -> Hit:
    """One hit; `terms` are the query's analysed terms (empty for a blank query)."""
    field = field_lang(pledge.language)
    wanted = frozenset(terms)
    entity = ENTITY_TYPES.get(pledge.entity_type or "")
    if wanted:
        title = mark(pledge.title, matched_spans(pledge.title, field, wanted))
        text = snippet(pledge.description, field, wanted, SNIPPET_CHARS)
    else:
        title = html.escape(pledge.title)
        text = snippet(pledge.description, field, frozenset(), SNIPPET_CHARS)
    return Hit(
        id=pledge.id,
        collection=pledge.collection,
        title=pledge.title,
        entity_name=pledge.entity_name,
        entity_type=pledge.entity_type,
        entity_type_label=entity.label(lang) if entity else None,
        countries=pledge.countries,
        country_names=[country_name(c, lang) for c in pledge.countries],
        objectives=pledge.objectives,
        language=pledge.language,
        deadline=pledge.deadline,
        synthetic=pledge.synthetic,
        snippet=text,
        title_highlighted=title,
        scores=scores,
    )
