"""The facet filters: one checkbox per value with its count (a multiselect for countries), then the deadline range
(ui.views.controls). Drawn in the sidebar, and a second time in the phone's "Filters (n)" block (CSS shows one of
the two, by the screen's width).

The URL is the only source of truth. Widget keys carry a signature of the current search, so when the URL
changes from elsewhere (a link from Explore, a bookmark) every widget is created afresh from it; a user's tick
runs a callback that writes the new URL before the rerun.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from models.schemas import Facet, FacetValue
from ui import fragments
from ui.context import Labels
from ui.i18n import t
from ui.state import SearchState, to_params
from ui.views import controls
from ui.views.controls import go

ORDER = (
    "collection",
    "objective",
    "entity_type",
    "region",
    "subregion",
    "country",
    "principle",
    "nature",
    "language",
)
OPEN = ("collection", "objective", "entity_type")
# Facets whose codes are taxonomy codes: labelled from GET /taxonomy in the interface language.
_TAXONOMY = {
    "principle": "principles",
    "entity_type": "entity_types",
    "region": "regions",
    "subregion": "regions",
    "nature": "natures",
    "collection": "collections",
}


def _toggle(state: SearchState, lang: str, facet: str, value: str, key: str) -> None:
    go(state.toggled(facet, value, bool(st.session_state.get(key))), lang)


def _set_many(state: SearchState, lang: str, facet: str, key: str) -> None:
    values = [str(v) for v in st.session_state.get(key, [])]
    go(state.with_filters(**{facet: values}), lang)


def _clear(state: SearchState, lang: str) -> None:
    go(state.without_filters(), lang)


def count_text(fv: FacetValue, lang: str) -> str:
    """A value's count, and how many of them carry it as a suggestion only (objectives in scope all/suggested)."""
    return f"{fv.count}, {t('suggested_count', lang, n=fv.suggested)}" if fv.suggested else str(fv.count)


def value_label(facet: str, fv: FacetValue, labels: Labels, lang: str) -> str:
    """A facet value by name in the interface language (objectives by number and short name): the taxonomy's
    label first, then the API's, then the code."""
    if facet == "objective":
        return labels.objective_chip(fv.value)
    if facet in _TAXONOMY:
        return getattr(labels, _TAXONOMY[facet]).get(fv.value) or fv.label or fv.value
    return fv.label or fv.value


def _values(facet: Facet, selected: list[str]) -> list[FacetValue]:
    """The facet's values, plus any selected one the API left out, so a ticked box never vanishes."""
    values = list(facet.values)
    present = {v.value for v in values}
    values += [FacetValue(value=s, label=s, count=0, selected=True) for s in selected if s not in present]
    if facet.name == "objective":
        values.sort(key=lambda v: int(v.value) if v.value.isdigit() else 99)
    return values


def filters(
    facets: list[Facet],
    state: SearchState,
    sig: str,
    labels: Labels,
    lang: str,
    with_deadline: int,
    total: int,
    prefix: str = "",
) -> None:
    """Draw every facet with counts in the current container; ticking a value narrows the search (OR within a
    facet, AND across). `prefix` keeps the keys of a second copy (the phone's) apart from the sidebar's."""
    by_name = {f.name: f for f in facets}
    if not state.filters.is_empty():
        st.button(
            t("clear_filters", lang),
            key=f"{prefix}clear_{sig}",
            on_click=_clear,
            args=(state, lang),
            icon=":material/filter_alt_off:",
        )
    for name in ORDER:
        facet = by_name.get(name)
        selected = state.filters.facet_values(name) if hasattr(state.filters, name) else []
        if facet is None or not (facet.values or selected):
            continue
        values = _values(facet, selected)
        title = t(f"facet_{name}", lang)
        if selected:
            title += f" ({len(selected)})"
        with st.expander(title, expanded=name in OPEN or bool(selected)):
            if name in ("region", "subregion"):
                st.caption(t(f"facet_{name}_help", lang))
            if name == "country":
                _country_multiselect(values, selected, state, sig, labels, lang, prefix)
                continue
            for fv in values:
                key = f"{prefix}f_{name}_{fv.value}_{sig}"
                help_text = labels.objectives.get(fv.value) if name == "objective" else None
                st.checkbox(
                    f"{fragments.md_text(value_label(name, fv, labels, lang))} ({count_text(fv, lang)})",
                    value=fv.value in selected,
                    key=key,
                    help=help_text,
                    on_change=_toggle,
                    args=(state, lang, name, fv.value, key),
                )
    controls.deadline_range(state, sig, lang, with_deadline, total, prefix)


def active_count(state: SearchState) -> int:
    """How many filter values narrow the search (a deadline range counts once)."""
    f = state.filters
    values = sum(len(getattr(f, name)) for name in ORDER if hasattr(f, name))
    return values + (f.synthetic is not None) + bool(f.deadline_from or f.deadline_to)


def _country_multiselect(
    values: list[FacetValue],
    selected: list[str],
    state: SearchState,
    sig: str,
    labels: Labels,
    lang: str,
    prefix: str,
) -> None:
    names = {fv.value: f"{value_label('country', fv, labels, lang)} ({fv.count})" for fv in values}
    key = f"{prefix}f_country_{sig}"
    st.multiselect(
        t("facet_country", lang),
        list(names),
        default=selected,
        format_func=names.__getitem__,
        key=key,
        on_change=_set_many,
        args=(state, lang, "country", key),
        label_visibility="collapsed",
        placeholder=t("choose_countries", lang),
        select_all=False,
    )


def signature(state: SearchState, lang: str) -> str:
    """A short fingerprint of the search, used in widget keys (see module docstring)."""
    return hashlib.sha1(repr(sorted(to_params(state, lang).items())).encode()).hexdigest()[:10]
