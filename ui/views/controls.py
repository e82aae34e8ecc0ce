"""The Search page's controls beyond facet ticks: deadline range, mode, real / synthetic records, sort order.

Like the facets, each widget is built from the URL (its key carries the search's signature) and its callback
writes the new URL; the rerun that follows runs that search. No control prints words of its own: the deadline
range is picked by year from lists (a date picker would print English month names whatever the page's language),
and the lists take no typing.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ui.i18n import t
from ui.state import DEFAULT_SCOPE, MODES, ORIGINS, SORTS, SearchState, origin, to_params

# Deadlines in the corpus run from the GCM's adoption (2018) into the 2030s; the lists offer that span.
EARLIEST = dt.date(2015, 1, 1)
LATEST = dt.date(2045, 12, 31)
YEARS = range(EARLIEST.year, LATEST.year + 1)


def go(state: SearchState, lang: str) -> None:
    """Point the URL at `state`; the rerun that follows runs that search."""
    st.query_params.from_dict(to_params(state, lang))


def _set_deadline(state: SearchState, lang: str, key_from: str, key_to: str) -> None:
    start, end = st.session_state.get(key_from), st.session_state.get(key_to)
    go(state.with_deadlines(_day(start, first=True), _day(end, first=False)), lang)


def _clear_deadline(state: SearchState, lang: str) -> None:
    go(state.with_deadlines(None, None), lang)


def _set_origin(state: SearchState, lang: str, key: str) -> None:
    go(state.with_origin(st.session_state.get(key) or "all"), lang)


def _set_sort(state: SearchState, lang: str, key: str) -> None:
    go(state.changed(sort=st.session_state.get(key) or "relevance"), lang)


def _set_mode(state: SearchState, lang: str, key: str) -> None:
    go(state.changed(mode=st.session_state.get(key) or "hybrid"), lang)


def _day(option: str | None, first: bool) -> dt.date | None:
    """A list option as a date: '' is open, '2030' the year's first or last day, '2030-06-15' that day."""
    if not option:
        return None
    if option.isdigit():
        return dt.date(int(option), 1, 1) if first else dt.date(int(option), 12, 31)
    return dt.date.fromisoformat(option)


def shown_day(day: dt.date | None, first: bool) -> str:
    """How a range's bound reads (and its list option): the year when it is the year's first day (`first`) or
    last day, else the date."""
    if day is None:
        return ""
    edge = (1, 1) if first else (12, 31)
    return str(day.year) if (day.month, day.day) == edge else day.isoformat()


def _year_options(current: str) -> list[str]:
    options = ["", *(str(y) for y in YEARS)]
    return options if current in options else [*options, current]


def deadline_range(state: SearchState, sig: str, lang: str, with_deadline: int, total: int, prefix: str = "") -> None:
    """From / to years (`deadline_from`, `deadline_to`); either may stay open. Hidden when no record found has a
    deadline (unless a range is set), and it says how many have one."""
    start, end = state.filters.deadline_from, state.filters.deadline_to
    if not with_deadline and not (start or end):
        return
    title = t("deadline", lang) + (" (1)" if start or end else "")
    key_from, key_to = f"{prefix}deadline_from_{sig}", f"{prefix}deadline_to_{sig}"
    with st.expander(title, expanded=bool(start or end)):
        if with_deadline == 1:
            st.caption(t("deadline_count_one", lang, total=f"{total:,}"))
        else:
            st.caption(t("deadline_count", lang, n=f"{with_deadline:,}", total=f"{total:,}"))
        for key, day, label, first in ((key_from, start, "deadline_from", True), (key_to, end, "deadline_to", False)):
            current = shown_day(day, first)
            options = _year_options(current)
            st.selectbox(
                t(label, lang),
                options,
                index=options.index(current),
                format_func=lambda o: o or t("any_year", lang),
                key=key,
                on_change=_set_deadline,
                args=(state, lang, key_from, key_to),
                filter_mode=None,
            )
        st.caption(t("deadline_help", lang))
        if start or end:
            st.button(
                t("any_deadline", lang),
                key=f"{prefix}deadline_clear_{sig}",
                on_click=_clear_deadline,
                args=(state, lang),
                icon=":material/event_busy:",
            )


def advanced(state: SearchState, sig: str, lang: str) -> None:
    """Mode and real / synthetic records, under "Advanced", each with one line that says what it does."""
    chosen = origin(state.filters)
    changed = state.mode != "hybrid" or chosen != "all" or state.filters.objective_scope != DEFAULT_SCOPE
    with st.expander(t("advanced", lang), expanded=changed):
        mode_key = f"mode_{sig}"
        st.segmented_control(
            t("mode", lang),
            list(MODES),
            default=state.mode,
            required=True,
            format_func=lambda m: t(f"mode_{m}", lang),
            key=mode_key,
            on_change=_set_mode,
            args=(state, lang, mode_key),
        )
        st.caption(t("mode_help", lang))
        key = f"origin_{sig}"
        options = list(ORIGINS)
        st.radio(
            t("origin", lang),
            options,
            index=options.index(chosen),
            format_func=lambda o: t(f"origin_{o}", lang),
            key=key,
            on_change=_set_origin,
            args=(state, lang, key),
            horizontal=True,
        )
        st.caption(t("origin_help", lang))
        scope_key = f"scope_{sig}"
        scopes = ["declared", "all", "suggested"]
        st.radio(
            t("objective_scope", lang),
            scopes,
            index=scopes.index(state.filters.objective_scope),
            format_func=lambda s: t(f"scope_{s}", lang),
            key=scope_key,
            on_change=_set_scope,
            args=(state, lang, scope_key),
            horizontal=True,
        )
        st.caption(t("objective_scope_help", lang))


def _set_scope(state: SearchState, lang: str, key: str) -> None:
    go(state.with_filters(objective_scope=st.session_state.get(key) or DEFAULT_SCOPE), lang)


def sort_select(state: SearchState, sig: str, lang: str, with_deadline: int) -> None:
    """The order of the results (`sort`). Without words there is no relevance: the API lists newest first, and
    the box says so; the deadline order is offered only when some record found has a deadline."""
    key = f"sort_{sig}"
    options = [
        s
        for s in SORTS
        if (s != "relevance" or state.q) and (s != "deadline" or with_deadline or state.sort == "deadline")
    ]
    shown = "newest" if state.sort == "relevance" and not state.q else state.sort
    st.selectbox(
        t("sort", lang),
        options,
        index=options.index(shown),
        format_func=lambda s: t(f"sort_{s}", lang),
        key=key,
        on_change=_set_sort,
        args=(state, lang, key),
        filter_mode=None,
    )
