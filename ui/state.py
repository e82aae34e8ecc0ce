"""The search state as URL query parameters, and back: a bookmarked or shared URL reruns the same search.

Pure functions over plain mappings (no Streamlit here), so the round trip is unit-tested. One parameter per
filter, repeated for several values: `?q=one-stop+centre&mode=keyword&objective=15&objective=16&lang=fr`,
plus `synthetic=true|false`, `objective_scope`, `deadline_from`/`deadline_to` (YYYY-MM-DD) and `sort`.
The UI reads objectives as declared and suggested (`objective_scope` all), where the API and the CLI default to the
declared ones: a URL without `objective_scope` means all here, and carries the parameter only for another scope;
the HTTP client sends the scope as the API reads it (ui.api_client, through models.params).
Values that cannot be read (objective 31, mode "fuzzy", page "x") are dropped, never an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from models.params import FILTER_PARAMS, LIST_FILTERS, filter_pairs, grouped, read_filters
from models.schemas import MAX_QUERY_CHARS, Filters, ObjectiveScope

MODES = ("hybrid", "keyword", "semantic")
SORTS = ("relevance", "newest", "deadline", "title")
# The real / synthetic control: its choice -> the `synthetic` filter (None: both, the default).
ORIGINS: dict[str, bool | None] = {"all": None, "real": False, "synthetic": True}
LANGS = ("en", "fr", "es")
PAGE_SIZE = 10
# The objective scope of a fresh page and of a URL without `objective_scope` (the API's default is "declared").
DEFAULT_SCOPE: ObjectiveScope = "all"
# The parameters that make a search; a record page's URL carries them too, so "Back to search" brings that search
# back (after a reload or from a shared link as well).
SEARCH_PARAMS = ("q", "mode", "sort", "page", *FILTER_PARAMS)


def ui_filters(**values: object) -> Filters:
    """Filters as the UI starts them: `values`, and the UI's objective scope unless `values` name another."""
    return Filters.model_validate({"objective_scope": DEFAULT_SCOPE, **values})


@dataclass
class SearchState:
    """What the Search page shows: the query, the mode, the page, the filters and the order."""

    q: str = ""
    mode: str = "hybrid"
    page: int = 1
    filters: Filters = field(default_factory=ui_filters)
    sort: str = "relevance"

    def with_page(self, page: int) -> SearchState:
        """The same search on another page."""
        return replace(self, page=max(1, page))

    def changed(self, **changes: object) -> SearchState:
        """The search with `changes` (q, mode, sort, filters), back on page 1 since the result changes."""
        return replace(self, page=1, **changes)  # type: ignore[arg-type]

    def with_filters(self, **update: object) -> SearchState:
        """The same words and order under other filter values, on page 1."""
        return self.changed(filters=self.filters.model_copy(update=update))

    def toggled(self, facet: str, value: str, on: bool) -> SearchState:
        """The same search with one facet value added or removed; back to page 1, since the result changes."""
        current = [str(v) for v in getattr(self.filters, facet)]
        values = [v for v in current if v != value] + ([value] if on else [])
        return self.with_filters(**{facet: _typed(facet, values)})

    def with_deadlines(self, start: dt.date | None, end: dt.date | None) -> SearchState:
        """The same search with a deadline range; a range given backwards is turned round, not refused."""
        if start and end and start > end:
            start, end = end, start
        return self.with_filters(deadline_from=start, deadline_to=end)

    def with_origin(self, choice: str) -> SearchState:
        """All records, only real ones or only synthetic ones (see ORIGINS)."""
        return self.with_filters(synthetic=ORIGINS.get(choice))

    def without_filters(self) -> SearchState:
        """The same words, mode, order and objective scope over the whole corpus."""
        return self.changed(filters=ui_filters(objective_scope=self.filters.objective_scope))


def origin(filters: Filters) -> str:
    """The real / synthetic choice the filters hold: 'all', 'real' or 'synthetic'."""
    return {None: "all", False: "real", True: "synthetic"}[filters.synthetic]


def read_lang(params: Mapping[str, Sequence[str]], default: str = "en") -> str:
    """The interface language asked by `?lang=`, or `default`."""
    value = _last(params, "lang")
    return value if value in LANGS else default


def from_params(params: Mapping[str, Sequence[str]]) -> SearchState:
    """Read a search from query parameters (each name mapped to all its values); unreadable values dropped."""
    q = (_last(params, "q") or "").strip()[:MAX_QUERY_CHARS]
    mode = _last(params, "mode")
    page = _last(params, "page") or "1"
    sort = _last(params, "sort")
    return SearchState(
        q=q,
        mode=mode if mode in MODES else "hybrid",
        page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
        filters=read_filters(params, strict=False, default_scope=DEFAULT_SCOPE),
        sort=sort if sort in SORTS else "relevance",
    )


def to_params(state: SearchState, lang: str = "en") -> dict[str, str | list[str]]:
    """Query parameters for a search; defaults are left out so URLs stay short."""
    params: dict[str, str | list[str]] = {}
    if state.q:
        params["q"] = state.q
    if state.mode != "hybrid":
        params["mode"] = state.mode
    if state.sort != "relevance":
        params["sort"] = state.sort
    if state.page > 1:
        params["page"] = str(state.page)
    for name, values in grouped(filter_pairs(state.filters, default_scope=DEFAULT_SCOPE)).items():
        params[name] = values if name in LIST_FILTERS else values[-1]
    if lang != "en":
        params["lang"] = lang
    return params


def has_search(params: Mapping[str, Sequence[str]]) -> bool:
    """True when the parameters hold any part of a search (words, mode, order, page, filters)."""
    return any(params.get(name) for name in SEARCH_PARAMS)


def with_search(state: SearchState, lang: str = "en", **others: str | list[str]) -> dict[str, str | list[str]]:
    """Parameters of another page (`others`: a record's id, ...) that carry the search it was opened from."""
    return {**others, **to_params(state, lang)}


def _last(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = params.get(name) or ()
    return values[-1] if values else None


def _typed(facet: str, values: list[str]) -> list:
    """One facet's values as Filters holds them (objectives are numbers), read as a URL would be."""
    return list(getattr(read_filters({facet: values}, strict=False), facet))
