"""A stored record as a `Hit`: labels in the asked language, highlighted title and description snippet."""

from __future__ import annotations

import html
from collections.abc import Sequence

from models.schemas import Hit, Pledge, Scores
from search_api.backends.embedded.analysis import field_lang, matched_spans, snippet
from search_api.core.labels import as_hit
from search_api.core.snippets import SNIPPET_CHARS, mark


def to_hit(pledge: Pledge, terms: Sequence[str], scores: Scores, lang: str = "en") -> Hit:
    """One hit; `terms` are the query's analysed terms (empty for a blank query)."""
    field = field_lang(pledge.language)
    wanted = frozenset(terms)
    if wanted:
        title = mark(pledge.title, matched_spans(pledge.title, field, wanted))
        text = snippet(pledge.description, field, wanted, SNIPPET_CHARS)
    else:
        title = html.escape(pledge.title)
        text = snippet(pledge.description, field, frozenset(), SNIPPET_CHARS)
    return as_hit(pledge, lang, scores, snippet=text, title_highlighted=title)
