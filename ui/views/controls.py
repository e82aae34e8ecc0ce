"""The Search page's controls beyond facet ticks: deadline range, real / synthetic records, sort order.

Like the facets, each widget is built from the URL (its key carries the search's signature) and its callback
writes the new URL; the rerun that follows runs that search.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui.i18n import t
from ui.state import ORIGINS, SORTS, SearchState, origin, to_params

# Deadlines in the corpus run from the GCM's adoption (2018) into the 2030s; the picker offers that span.
EARLIEST = dt.date(2015, 1, 1)
LATEST = dt.date(2045, 12, 31)


def go(state: SearchState, lang: str) -> None:
    """Point the URL at `state`; the rerun that follows runs that search."""
    st.query_params.from_dict(to_params(state, lang))


def _set_deadline(state: SearchState, lang: str, key_from: str, key_to: str) -> None:
    go(state.with_deadlines(st.session_state.get(key_from), st.session_state.get(key_to)), lang)


def _clear_deadline(state: SearchState, lang: str) -> None:
    go(state.with_deadlines(None, None), lang)


def _set_origin(state: SearchState, lang: str, key: str) -> None:
    go(state.with_origin(st.session_state.get(key) or "all"), lang)


def _set_sort(state: SearchState, lang: str, key: str) -> None:
    go(state.changed(sort=st.session_state.get(key) or "relevance"), lang)


def deadline_range(state: SearchState, sig: str, lang: str) -> None:
    """From / to dates in the sidebar (`deadline_from`, `deadline_to`); either may stay open."""
    start, end = state.filters.deadline_from, state.filters.deadline_to
    title = t("deadline", lang) + (" (1)" if start or end else "")
    key_from, key_to = f"deadline_from_{sig}", f"deadline_to_{sig}"
    with st.sidebar.expander(title, expanded=bool(start or end)):
        for key, value, label in ((key_from, start, "deadline_from"), (key_to, end, "deadline_to")):
            st.date_input(
                t(label, lang),
                value=value,
                min_value=EARLIEST,
                max_value=LATEST,
                format="YYYY-MM-DD",
                key=key,
                on_change=_set_deadline,
                args=(state, lang, key_from, key_to),
            )
        st.caption(t("deadline_help", lang))
        if start or end:
            st.button(
                t("any_deadline", lang),
                key=f"deadline_clear_{sig}",
                on_click=_clear_deadline,
                args=(state, lang),
                icon=":material/event_busy:",
            )


def origin_choice(state: SearchState, sig: str, lang: str) -> None:
    """All records (default), only real ones, or only synthetic test records (the `synthetic` filter)."""
    chosen = origin(state.filters)
    title = t("origin", lang) + ("" if chosen == "all" else " (1)")
    key = f"origin_{sig}"
    options = list(ORIGINS)
    with st.sidebar.expander(title, expanded=chosen != "all"):
        st.radio(
            t("origin", lang),
            options,
            index=options.index(chosen),
            format_func=lambda o: t(f"origin_{o}", lang),
            key=key,
            on_change=_set_origin,
            args=(state, lang, key),
            label_visibility="collapsed",
        )
        st.caption(t("origin_help", lang))


def sort_select(state: SearchState, sig: str, lang: str) -> None:
    """The order of the results (`sort`): relevance, newest, deadline or title."""
    key = f"sort_{sig}"
    options = list(SORTS)
    st.selectbox(
        t("sort", lang),
        options,
        index=options.index(state.sort),
        format_func=lambda s: t(f"sort_{s}", lang),
        key=key,
        on_change=_set_sort,
        args=(state, lang, key),
    )
