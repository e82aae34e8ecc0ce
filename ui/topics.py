"""The landing screen's topic shortcuts: what a city's office looks for first, each a real search (words and a
filter) that the Search page runs like any other. The corpus is written in English, French and Spanish and
the embedding model reads English best, so each topic's words are given in the three languages, the
interface's first; the filter keeps cities' and local authorities' records, the peers a city looks for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.schemas import Filters
from ui.state import SearchState, ui_filters


def cities() -> Filters:
    """Only the records of cities and local authorities."""
    return ui_filters(entity_type=["local_authority"])


@dataclass(frozen=True)
class Topic:
    """A shortcut: its label key in ui.i18n, its words per language, its filters."""

    name: str
    words: dict[str, str]
    filters: Filters = field(default_factory=cities)

    def search(self, lang: str) -> SearchState:
        """The search the shortcut runs: its words, the interface language's first, under its filters."""
        first = self.words.get(lang, self.words["en"])
        rest = [w for code, w in self.words.items() if w != first and code != lang]
        return SearchState(q=" ".join([first, *rest]), filters=self.filters)


TOPICS = (
    Topic("one_stop", {"en": "one-stop centre", "fr": "guichet unique", "es": "ventanilla única"}),
    Topic("health", {"en": "health", "fr": "santé", "es": "salud"}),
    Topic(
        "regularisation",
        {"en": "regularisation regularization", "fr": "régularisation", "es": "regularización"},
    ),
    Topic("jobs", {"en": "employment jobs", "fr": "emploi", "es": "empleo"}),
    Topic("children", {"en": "children", "fr": "enfants", "es": "niños"}),
    Topic("housing", {"en": "housing", "fr": "logement", "es": "vivienda"}),
)
