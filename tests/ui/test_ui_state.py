"""The search state <-> URL query parameters: bookmarks and shared links reproduce the same search."""

from __future__ import annotations

import datetime as dt

from ui.state import SearchState, from_params, origin, read_lang, to_params, ui_filters


def as_multi(params: dict[str, str | list[str]]) -> dict[str, list[str]]:
    """What st.query_params gives back: every name with all its values."""
    return {k: v if isinstance(v, list) else [v] for k, v in params.items()}


def test_a_full_search_survives_the_round_trip() -> None:
    state = SearchState(
        q="one-stop centre",
        mode="keyword",
        page=3,
        filters=ui_filters(
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
    assert state == SearchState(q="migrants", filters=ui_filters(objective=[7]))
    assert read_lang({"lang": ["de"]}) == "en"


def test_toggling_a_facet_value_adds_or_removes_it_and_goes_back_to_page_1() -> None:
    state = SearchState(q="q", page=4, filters=ui_filters(objective=[7]))
    ticked = state.toggled("objective", "15", True)
    assert ticked.filters.objective == [7, 15] and ticked.page == 1
    assert ticked.toggled("objective", "7", False).filters.objective == [15]
    assert state.toggled("country", "COL", True).filters.country == ["COL"]


def test_sort_origin_and_deadline_range_survive_the_round_trip() -> None:
    state = SearchState(
        q="housing",
        sort="deadline",
        filters=ui_filters(synthetic=True, deadline_from=dt.date(2030, 1, 1), deadline_to=dt.date(2032, 12, 31)),
    )
    params = to_params(state)
    assert params == {
        "q": "housing",
        "sort": "deadline",
        "synthetic": "true",
        "deadline_from": "2030-01-01",
        "deadline_to": "2032-12-31",
    }
    assert from_params(as_multi(params)) == state
    assert from_params({"sort": ["popularity"]}).sort == "relevance"


def test_the_real_or_synthetic_choice_maps_to_the_synthetic_filter() -> None:
    state = SearchState(q="x", page=3)
    assert to_params(state.with_origin("real"))["synthetic"] == "false"
    assert to_params(state.with_origin("synthetic"))["synthetic"] == "true"
    assert "synthetic" not in to_params(state.with_origin("synthetic").with_origin("all"))
    assert [origin(state.with_origin(o).filters) for o in ("all", "real", "synthetic")] == ["all", "real", "synthetic"]
    assert state.with_origin("real").page == 1


def test_a_deadline_range_given_backwards_is_turned_round() -> None:
    late, early = dt.date(2032, 1, 1), dt.date(2025, 1, 1)
    assert SearchState().with_deadlines(late, early).filters.deadline_from == early
    state = from_params({"deadline_from": ["2032-01-01"], "deadline_to": ["2025-01-01"]})
    assert (state.filters.deadline_from, state.filters.deadline_to) == (early, late)
    open_ended = SearchState().with_deadlines(None, late)
    assert to_params(open_ended) == {"deadline_to": "2032-01-01"}


def test_changing_words_mode_or_order_keeps_the_rest_and_goes_back_to_page_1() -> None:
    state = SearchState(q="a", mode="keyword", page=5, filters=ui_filters(objective=[15]), sort="title")
    assert state.changed(sort="newest") == SearchState("a", "keyword", 1, ui_filters(objective=[15]), "newest")
    assert state.changed(mode="hybrid").sort == "title"
    assert state.without_filters() == SearchState("a", "keyword", 1, ui_filters(), "title")
    assert state.with_page(2).sort == "title"


def test_a_record_page_carries_the_search_it_was_opened_from() -> None:
    from ui.state import has_search, with_search

    state = SearchState(q="housing", mode="keyword", page=2, filters=ui_filters(entity_type=["local_authority"]))
    params = with_search(state, "fr", id="sub-2291")
    assert params == {
        "id": "sub-2291",
        "q": "housing",
        "mode": "keyword",
        "page": "2",
        "entity_type": ["local_authority"],
        "lang": "fr",
    }
    assert from_params(as_multi(params)) == state
    assert has_search(as_multi(params)) and not has_search({"id": ["x"], "lang": ["fr"]})


def test_topic_shortcuts_search_their_words_in_three_languages_interface_first() -> None:
    from ui.topics import TOPICS

    housing = next(topic for topic in TOPICS if topic.name == "housing")
    assert housing.search("fr").q == "logement housing vivienda"
    assert housing.search("en").q.startswith("housing ")
    assert housing.search("es").filters.entity_type == ["local_authority"]


def test_the_ui_reads_declared_and_suggested_objectives_unless_the_url_names_another_scope() -> None:
    assert SearchState().filters.objective_scope == "all"
    assert from_params({}) == SearchState()
    assert from_params({"q": ["x"], "objective": ["15"]}).filters.objective_scope == "all"  # a link without it
    assert to_params(SearchState(q="x")) == {"q": "x"}
    for scope in ("declared", "suggested"):
        state = SearchState(q="x", page=2).with_filters(objective_scope=scope)
        params = to_params(state)
        assert params == {"q": "x", "objective_scope": scope}
        assert from_params(as_multi(params)) == state
        assert to_params(state.with_filters(objective_scope="all")) == {"q": "x"}
    assert from_params({"objective_scope": ["everything"]}).filters.objective_scope == "all"
    declared = SearchState(q="x").with_filters(objective_scope="declared", objective=[15])
    assert declared.without_filters().filters == ui_filters(objective_scope="declared")


def test_the_ui_client_asks_the_api_for_the_ui_scope_while_the_api_default_stays_declared() -> None:
    from models.params import grouped, read_filters
    from models.schemas import Filters
    from ui.api_client import search_params
    from ui.topics import TOPICS

    assert ("objective_scope", "all") in search_params("", "hybrid", SearchState().filters, 1, 10, "en")
    assert ("objective_scope", "all") in search_params("", "hybrid", TOPICS[0].filters, 1, 10, "en")
    assert read_filters({}) == Filters() and Filters().objective_scope == "declared"
    declared = SearchState().with_filters(objective_scope="declared").filters
    assert read_filters(grouped(search_params("", "hybrid", declared, 1, 10, "en"))).objective_scope == "declared"
