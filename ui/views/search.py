"""Search page: query box, mode switch, facet filters, result cards, pagination and CSV export.

The whole state lives in the URL (`q`, `mode`, `sort`, `page`, one parameter per filter, `lang`), so a
bookmarked or shared URL runs the same search when opened. A search that finds nothing says so and offers the
ways out: clear the filters, or let a keyword search look for meaning too (semantic or hybrid).
"""

from __future__ import annotations

import math

import streamlit as st

from models.schemas import MAX_QUERY_CHARS, Hit, SearchResponse
from ui import context, fragments
from ui.api_client import ApiError, ApiUnavailable
from ui.context import Labels
from ui.i18n import t
from ui.state import MODES, PAGE_SIZE, SearchState, from_params
from ui.views.controls import go, sort_select
from ui.views.facets import sidebar, signature

MAX_COMPARE = 3


def _submit_query(state: SearchState, lang: str, key: str) -> None:
    q = str(st.session_state.get(key, "")).strip()
    go(state.changed(q=q), lang)


def _set_mode(state: SearchState, lang: str, key: str) -> None:
    go(state.changed(mode=st.session_state.get(key) or "hybrid"), lang)


def _set_page(state: SearchState, lang: str, key: str) -> None:
    go(state.with_page(int(st.session_state.get(key) or 1)), lang)


def _toggle_compare(pledge_id: str, key: str) -> None:
    basket: list[str] = st.session_state.setdefault("compare", [])
    if st.session_state.get(key):
        if pledge_id not in basket:
            basket.append(pledge_id)
        del basket[:-MAX_COMPARE]
    elif pledge_id in basket:
        basket.remove(pledge_id)


def _query_box(state: SearchState, sig: str, lang: str) -> None:
    key = f"q_{sig}"
    with st.form(key=f"search_form_{sig}", border=False, enter_to_submit=True):
        left, right = st.columns([8, 1], vertical_alignment="bottom")
        left.text_input(
            t("query", lang), value=state.q, placeholder=t("query_placeholder", lang), key=key,
            max_chars=MAX_QUERY_CHARS,
        )
        right.form_submit_button(
            t("search_button", lang),
            type="primary",
            on_click=_submit_query,
            args=(state, lang, key),
            width="stretch",
        )
    mode_key = f"mode_{sig}"
    mode_col, sort_col = st.columns([3, 1.4], vertical_alignment="bottom")
    with sort_col:
        sort_select(state, sig, lang)
    mode_col.segmented_control(
        t("mode", lang),
        list(MODES),
        default=state.mode,
        required=True,
        format_func=lambda m: t(f"mode_{m}", lang),
        key=mode_key,
        on_change=_set_mode,
        args=(state, lang, mode_key),
    )


def _export_button(state: SearchState, lang: str) -> None:
    def fetch() -> bytes:
        try:
            return context.client().export_csv(state.q, state.mode, state.filters, lang, state.sort)
        except (ApiUnavailable, ApiError) as exc:
            return f"error\n{exc}\n".encode()

    st.download_button(
        t("export_csv", lang),
        data=fetch,
        file_name="gcm-search.csv",
        mime="text/csv",
        help=t("export_help", lang),
        icon=":material/download:",
        on_click="ignore",
    )


def _hit_card(rank: int, hit: Hit, labels: Labels, lang: str) -> None:
    with st.container(border=True, key=f"hit_{rank}"):
        title_col, compare_col = st.columns([9, 1.4], vertical_alignment="center")
        title_col.page_link(
            context.page("pledge"),
            label=f"**{fragments.md_text(hit.title)}**",
            query_params={"id": hit.id, **context.lang_params(lang)},
        )
        key = f"cmp_{hit.id}"
        basket = st.session_state.get("compare", [])
        compare_col.checkbox(
            t("add_compare", lang),
            value=hit.id in basket,
            key=key,
            on_change=_toggle_compare,
            args=(hit.id, key),
        )
        badges = ""
        if hit.synthetic:
            badges += fragments.synthetic_badge(t("synthetic", lang), t("synthetic_help", lang))
        if hit.collection != "pledge":
            badges += fragments.collection_badge(labels.collections.get(hit.collection, hit.collection))
        entity_type = hit.entity_type_label or labels.entity_types.get(hit.entity_type or "", hit.entity_type)
        countries = hit.country_names
        meta = [
            hit.entity_name,
            entity_type,
            ", ".join(countries) if countries else None,
            str(hit.deadline) if hit.deadline else None,
        ]
        st.html(fragments.card_body(meta, [labels.objective_chip(o) for o in hit.objectives], hit.snippet, badges))


def _results(result: SearchResponse, state: SearchState, sig: str, labels: Labels, lang: str) -> None:
    head, export = st.columns([5, 1.4], vertical_alignment="center")
    count = t("one_result", lang) if result.total == 1 else t("results", lang, total=f"{result.total:,}")
    head.markdown(f"**{count}** · {t('took', lang, ms=round(result.took_ms))}")
    if result.total:
        with export:
            _export_button(state, lang)
    if not result.hits:
        _empty(result, state, sig, lang)
        return
    for rank, hit in enumerate(result.hits):
        _hit_card(rank, hit, labels, lang)
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    if pages > 1:
        key = f"page_{sig}"
        st.pagination(
            min(pages, 1000),
            default=min(state.page, pages),
            key=key,
            on_change=_set_page,
            args=(state, lang, key),
        )
        st.caption(t("page_of", lang, page=state.page, pages=pages))


def _empty(result: SearchResponse, state: SearchState, sig: str, lang: str) -> None:
    """No hit to show: say why, and offer the ways out that apply to this search."""
    if result.total:  # a page past the last one (an old bookmark, a shrunken corpus)
        st.info(t("past_last_page", lang), icon=":material/last_page:")
        st.button(t("first_page", lang), key=f"first_{sig}", on_click=go, args=(state.with_page(1), lang))
        return
    tips: list[str] = []
    if state.q and state.mode == "keyword":
        tips.append(t("no_results_keyword", lang))
    if not state.filters.is_empty():
        tips.append(t("no_results_filters", lang))
    if state.q:
        tips.append(t("no_results_words", lang))
    bullets = "\n".join(f"- {tip}" for tip in tips)
    st.info(t("no_results", lang) + (f"\n\n{bullets}" if tips else ""), icon=":material/search_off:")
    buttons = []
    if state.q and state.mode == "keyword":
        buttons += [
            ("try_semantic", state.changed(mode="semantic"), ":material/psychology:"),
            ("try_hybrid", state.changed(mode="hybrid"), ":material/join_inner:"),
        ]
    if not state.filters.is_empty():
        buttons.append(("clear_filters", state.without_filters(), ":material/filter_alt_off:"))
    for column, (label, target, icon) in zip(st.columns(max(len(buttons), 1)), buttons, strict=False):
        column.button(t(label, lang), key=f"empty_{label}_{sig}", on_click=go, args=(target, lang), icon=icon)


def _compare_link(lang: str) -> None:
    basket = st.session_state.get("compare", [])
    if basket:
        st.sidebar.page_link(
            context.page("compare"),
            label=f"{t('page_compare', lang)} ({len(basket)})",
            icon=":material/compare:",
            query_params={"id": basket, **context.lang_params(lang)},
        )


def render() -> None:
    """The Search page."""
    lang = context.lang()
    state = from_params(context.params())
    sig = signature(state, lang)
    st.title(t("app_title", lang))
    _query_box(state, sig, lang)
    with context.api_guard(lang):
        labels = context.labels(lang)
        result = context.client().search(
            state.q, state.mode, state.filters, state.page, PAGE_SIZE, lang, sort=state.sort
        )
    _compare_link(lang)
    sidebar(result.facets, state, sig, labels, lang)
    _results(result, state, sig, labels, lang)
