"""The active filters as removable chips above the results: one per facet value, deadline range and real /
synthetic choice, each a button that removes it (and the search runs again without it), so what narrows the
results is in sight on every screen, the phone's included."""

from __future__ import annotations

import streamlit as st

from models.schemas import Facet, FacetValue
from ui import fragments
from ui.context import Labels
from ui.i18n import t
from ui.state import SearchState, origin
from ui.views.controls import go, shown_day
from ui.views.facets import ORDER, value_label


def _label(facet: str, value: str, facets: dict[str, Facet], labels: Labels, lang: str) -> str:
    """A selected value by name: the API's label from the result's facets, else the taxonomy's."""
    known = next((fv for fv in facets[facet].values if fv.value == value), None) if facet in facets else None
    fallback = labels.countries.get(value, value) if facet == "country" else value
    return value_label(facet, known or FacetValue(value=value, label=fallback, count=0), labels, lang)


def items(state: SearchState, facets: list[Facet], labels: Labels, lang: str) -> list[tuple[str, SearchState]]:
    """(chip text, the search without that filter) for every active filter, in the sidebar's order."""
    by_name = {f.name: f for f in facets}
    out: list[tuple[str, SearchState]] = []
    for name in ORDER:
        for value in state.filters.facet_values(name):
            text = f"{t(f'facet_{name}', lang)}: {_label(name, value, by_name, labels, lang)}"
            out.append((text, state.toggled(name, value, False)))
    start, end = state.filters.deadline_from, state.filters.deadline_to
    if start or end:
        bounds = [
            f"{t('deadline_from', lang)} {shown_day(start, first=True)}" if start else "",
            f"{t('deadline_to', lang)} {shown_day(end, first=False)}" if end else "",
        ]
        out.append((" · ".join(b for b in bounds if b), state.with_deadlines(None, None)))
    chosen = origin(state.filters)
    if chosen != "all":
        out.append((t(f"origin_{chosen}", lang), state.with_origin("all")))
    return out


def active_filters(state: SearchState, facets: list[Facet], labels: Labels, lang: str, sig: str) -> None:
    """The chips, with "Clear filters" when there are several; nothing when no filter is active."""
    chips = items(state, facets, labels, lang)
    if not chips:
        return
    with st.container(horizontal=True, key="active_filters", vertical_alignment="center", gap="small"):
        st.markdown(f"**{t('active_filters', lang)}**")
        for number, (text, without) in enumerate(chips):
            st.button(
                fragments.md_text(text),  # filter values come from the URL: text, never Markdown
                key=f"chip_{number}_{sig}",
                icon=":material/close:",
                on_click=go,
                args=(without, lang),
            )
        if len(chips) > 1:
            st.button(
                t("clear_filters", lang),
                key=f"chips_clear_{sig}",
                type="tertiary",
                icon=":material/filter_alt_off:",
                on_click=go,
                args=(state.without_filters(), lang),
            )
