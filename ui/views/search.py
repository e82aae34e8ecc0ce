"""Search page: query box, topic shortcuts, facet filters, active-filter chips, result cards, pagination, export.

The whole state lives in the URL (`q`, `mode`, `sort`, `page`, one parameter per filter, `lang`), so a
bookmarked or shared URL runs the same search when opened; the session remembers it too, so the menu's "Search"
brings back the search a user left for a record. A search that finds nothing says so and offers the ways out:
clear the filters, or let a keyword search look for meaning too (semantic or hybrid).
"""

from __future__ import annotations

import math

import streamlit as st

from models.schemas import EARLIEST_DATE, MAX_QUERY_CHARS, Hit, SearchResponse
from ui import context, export, fragments
from ui.api_client import ApiError, ApiUnavailable
from ui.context import Labels
from ui.i18n import t
from ui.state import PAGE_SIZE, SearchState, from_params, has_search, to_params, with_search
from ui.topics import TOPICS
from ui.views import chips
from ui.views.controls import advanced, go, sort_select
from ui.views.facets import active_count, filters, signature

MAX_COMPARE = 3


def _submit_query(state: SearchState, lang: str, key: str) -> None:
    typed = str(st.session_state.get(key, "")).strip()
    if len(typed) > MAX_QUERY_CHARS:  # a long paste: cut it to what the search reads, and say so
        st.session_state["query_cut"] = len(typed)
        typed = typed[:MAX_QUERY_CHARS].strip()
    go(state.changed(q=typed), lang)


def _set_page(state: SearchState, lang: str, key: str) -> None:
    go(state.with_page(int(st.session_state.get(key) or 1)), lang)


def _toggle_compare(pledge_id: str, key: str) -> None:
    basket: list[str] = st.session_state.setdefault("compare", [])
    if st.session_state.get(key):
        if pledge_id not in basket and len(basket) < MAX_COMPARE:
            basket.append(pledge_id)
    elif pledge_id in basket:
        basket.remove(pledge_id)


def _query_box(state: SearchState, sig: str, lang: str) -> None:
    key = f"q_{sig}"
    with st.form(key=f"search_form_{sig}", border=False, enter_to_submit=True):
        left, right = st.columns([8, 1], vertical_alignment="bottom")
        left.text_input(t("query", lang), value=state.q, placeholder=t("query_placeholder", lang), key=key)
        right.form_submit_button(
            t("search_button", lang),
            type="primary",
            on_click=_submit_query,
            args=(state, lang, key),
            width="stretch",
        )
    cut = st.session_state.pop("query_cut", None)
    if cut:
        st.warning(t("query_cut", lang, n=f"{cut:,}", limit=f"{MAX_QUERY_CHARS:,}"), icon=":material/content_cut:")


def _topics(lang: str) -> None:
    """The landing screen's shortcuts: one button per topic, each a search with its filter."""
    st.markdown(f"**{t('topics', lang)}**")
    with st.container(horizontal=True, key="topics"):
        for topic in TOPICS:
            st.button(
                t(f"topic_{topic.name}", lang),
                key=f"topic_{topic.name}",
                on_click=go,
                args=(topic.search(lang), lang),
            )
    st.caption(t("topics_help", lang))


def _export_button(state: SearchState, labels: Labels, lang: str) -> None:
    def fetch() -> bytes:
        try:
            api_csv = context.client().export_csv(state.q, state.mode, state.filters, lang, state.sort)
        except (ApiUnavailable, ApiError) as exc:
            return f"error\n{exc}\n".encode()
        return export.labelled_csv(api_csv, labels, lang)

    st.download_button(
        t("export_csv", lang),
        data=fetch,
        file_name=t("csv_file", lang),
        mime="text/csv",
        help=t("export_help", lang),
        icon=":material/download:",
        on_click="ignore",
    )


def _hit_card(rank: int, hit: Hit, state: SearchState, labels: Labels, lang: str) -> None:
    with st.container(border=True, key=f"hit_{rank}"):
        title_col, compare_col = st.columns([9, 1.6], vertical_alignment="top")
        title_col.page_link(
            context.page("pledge"),
            label=f"**{fragments.md_text(hit.title)}**",
            query_params=with_search(state, lang, id=hit.id),
        )
        key = f"cmp_{hit.id}"
        basket = st.session_state.get("compare", [])
        compare_col.checkbox(
            t("add_compare", lang),
            value=hit.id in basket,
            key=key,
            on_change=_toggle_compare,
            args=(hit.id, key),
            disabled=hit.id not in basket and len(basket) >= MAX_COMPARE,
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
            f"{t('deadline', lang)} {hit.deadline}" if hit.deadline else None,
        ]
        source = fragments.source_line(
            hit.source_url,
            t("source_link", lang),
            t("submitted_on", lang, date=hit.submitted.isoformat()) if hit.submitted else None,
        )
        suggested = [t("suggested_chip", lang, chip=labels.objective_chip(o)) for o in hit.suggested_objectives]
        st.html(
            fragments.card_body(
                meta, [labels.objective_chip(o) for o in hit.objectives], hit.snippet, badges, source, suggested
            )
        )


def _results(result: SearchResponse, state: SearchState, sig: str, labels: Labels, lang: str, dated: int) -> None:
    head, order, export_col = st.columns([3, 1.6, 1.4], vertical_alignment="bottom")
    count = t("one_result", lang) if result.total == 1 else t("results", lang, total=f"{result.total:,}")
    strong = f" · {t('strong_matches', lang, strong=f'{result.strong:,}')}" if result.strong < result.total else ""
    head.markdown(f"**{count}**{strong} · {t('took', lang, ms=round(result.took_ms))}")
    with order:
        sort_select(state, sig, lang, dated)
    if result.total:
        with export_col:
            _export_button(state, labels, lang)
    _compare_basket(lang)
    if not result.hits:
        _empty(result, state, sig, lang)
        return
    for rank, hit in enumerate(result.hits):
        _hit_card(rank, hit, state, labels, lang)
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


def _compare_basket(lang: str) -> None:
    """The records ticked for Compare: a link to compare them, and the limit once it is reached."""
    basket = st.session_state.get("compare", [])
    if not basket:
        return
    with st.container(key="compare_basket", horizontal=True, vertical_alignment="center"):
        st.page_link(
            context.page("compare"),
            label=t("compare_count", lang, n=len(basket), limit=MAX_COMPARE),
            icon=":material/compare:",
            query_params={"id": basket, **context.lang_params(lang)},
        )
        if len(basket) >= MAX_COMPARE:
            st.caption(t("compare_limit", lang, limit=MAX_COMPARE))


def _with_deadline(state: SearchState, result: SearchResponse, lang: str) -> int:
    """How many records of this result have a deadline: the total under an open deadline range (which keeps the
    dated records only), asked without facets; the result's own total when a range is set already."""
    if state.filters.deadline_from or state.filters.deadline_to:
        return result.total
    if not result.total:
        return 0
    dated = state.filters.model_copy(update={"deadline_from": EARLIEST_DATE})
    return context.client().search(state.q, state.mode, dated, 1, 1, lang, facets=False).total


def _restore(lang: str) -> dict[str, list[str]]:
    """The URL's parameters; the session's last search instead when the menu's "Search" (a bare URL) was
    clicked on another page, so the search a user left comes back as it was."""
    params = context.params()
    if not has_search(params) and context.came_from_another_page():
        remembered = context.last_search()
        if remembered:
            go(from_params({k: v if isinstance(v, list) else [v] for k, v in remembered.items()}), lang)
            params = context.params()
    return params


def render() -> None:
    """The Search page."""
    lang = context.lang()
    state = from_params(_restore(lang))
    context.remember_search(to_params(state))
    sig = signature(state, lang)
    landing = not state.q and state.filters.is_empty()
    st.title(t("app_title", lang), anchor=False)
    if landing:
        st.markdown(f'<p class="gcm-intro">{fragments.esc(t("intro", lang))}</p>', unsafe_allow_html=True)
    _query_box(state, sig, lang)
    if landing:
        _topics(lang)
    advanced(state, sig, lang)
    with context.api_guard(lang):
        labels = context.labels(lang)
        result = context.client().search(
            state.q, state.mode, state.filters, state.page, PAGE_SIZE, lang, sort=state.sort
        )
        dated = _with_deadline(state, result, lang)
    with st.sidebar.container(key="side_filters"):
        st.header(t("filters", lang), anchor=False)
        filters(result.facets, state, sig, labels, lang, dated, result.total)
    phone_title = t("filters_count", lang, n=active_count(state))
    with st.container(key="phone_filters"), st.expander(phone_title, key=f"phone_filters_{sig}"):
        filters(result.facets, state, sig, labels, lang, dated, result.total, prefix="m_")
    chips.active_filters(state, result.facets, labels, lang, sig)
    _results(result, state, sig, labels, lang, dated)
