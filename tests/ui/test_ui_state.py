"""The search state <-> URL query parameters: bookmarks and shared links reproduce the same search."""

from __future__ import annotations

import datetime as dt

from models.schemas import Filters
from ui.state import SearchState, from_params, read_lang, to_params


def as_multi(params: dict[str, str | list[str]]) -> dict[str, list[str]]:
    """What st.query_params gives back: every name with all its values."""
    return {k: v if isinstance(v, list) else [v] for k, v in params.items()}


def test_a_full_search_survives_the_round_trip() -> None:
    state = SearchState(
        q="one-stop centre",
        mode="keyword",
        page=3,
        filters=Filters(
            objective=[15, 16],
            country=["COL"],
            entity_type=["local_authority"],
            synthetic=False,
            deadline_from=dt.date(2024, 1, 1),
        ),
    )
    params = to_params(state, "fr")
    assert params["objective"] == ["15", "16"]
    assert params["lang"] == "fr"
    assert from_params(as_multi(params)) == state
    assert read_lang(as_multi(params)) == "fr"


def test_defaults_stay_out_of_the_url() -> None:
    assert to_params(SearchState()) == {}
    assert to_params(SearchState(q="x")) == {"q": "x"}


def test_unreadable_values_are_dropped_not_errors() -> None:
    state = from_params(
        {
            "q": ["  migrants "],
            "mode": ["fuzzy"],
            "page": ["-2"],
            "objective": ["31", "x", "7", "7"],
            "deadline_to": ["someday"],
            "synthetic": ["maybe"],
            "lang": ["de"],
        }
    )
    assert state == SearchState(q="migrants", filters=Filters(objective=[7]))
    assert read_lang({"lang": ["de"]}) == "en"


def test_toggling_a_facet_value_adds_or_removes_it_and_goes_back_to_page_1() -> None:
    state = SearchState(q="q", page=4, filters=Filters(objective=[7]))
    ticked = state.toggled("objective", "15", True)
    assert ticked.filters.objective == [7, 15] and ticked.page == 1
    assert ticked.toggled("objective", "7", False).filters.objective == [15]
    assert state.toggled("country", "COL", True).filters.country == ["COL"]
