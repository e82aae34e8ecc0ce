"""Explore page: the corpus as charts (objectives, entity types, regions, world map, objective x entity type).

Clicking a bar, a country or a cell opens the Search page filtered on it.
"""

from __future__ import annotations

import streamlit as st

from models.schemas import Facet
from models.settings import get_settings
from ui import charts, context
from ui.context import Labels
from ui.countries import GLOBAL
from ui.i18n import t
from ui.state import ui_filters

FACET_SIZE = 300


@st.cache_data(ttl=120, show_spinner=False)
def _facets(base_url: str, lang: str, entity_type: str | None = None) -> list[Facet]:
    # The Search page's objective scope (declared and suggested), so a bar's count is what its search finds.
    filters = ui_filters(entity_type=[entity_type]) if entity_type else ui_filters()
    # A browse search (no words) counts every facet over the corpus like GET /facets, and takes `facet_size`,
    # so the map gets every country, not the first 30.
    return context.client().search("", filters=filters, size=1, lang=lang, facet_size=FACET_SIZE).facets


def _values(facets: list[Facet], name: str) -> dict[str, tuple[str, int]]:
    for facet in facets:
        if facet.name == name:
            return {v.value: (v.label, v.count) for v in facet.values}
    return {}


def _open_search(filters: dict[str, str], lang: str) -> None:
    st.switch_page(context.page("search"), query_params={**filters, **context.lang_params(lang)})


def _bars(facets: list[Facet], name: str, labels: Labels, lang: str, title_key: str) -> None:
    values = _values(facets, name)
    if name == "objective":
        rows = [
            {"value": v, "label": labels.objective_chip(v), "count": n}
            for v, (_, n) in sorted(values.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 99)
        ]
    elif name == "entity_type":
        rows = [
            {"value": v, "label": labels.entity_types.get(v, label), "count": n} for v, (label, n) in values.items()
        ]
    else:
        rows = [{"value": v, "label": labels.regions.get(v, label), "count": n} for v, (label, n) in values.items()]
    chart = charts.bar_chart(
        rows,
        t(title_key, lang),
        t("count", lang),
        sort_by_count=name != "objective",
        describe=t("chart_mark", lang),
        role=t("chart_bar", lang),
    )
    event = st.altair_chart(chart, on_select="rerun", key=f"chart_{name}", selection_mode=charts.PICK, width="stretch")
    chosen = charts.picked(event, ("value",))
    if chosen:
        _open_search({name: chosen["value"]}, lang)


def _map(facets: list[Facet], lang: str) -> None:
    values = _values(facets, "country")
    counts = {code: n for code, (_, n) in values.items() if code != GLOBAL}
    names = {code: label for code, (label, _) in values.items() if code in counts}
    chart = charts.world_map(
        counts, names, t("count", lang), t("world_map", lang), t("chart_mark", lang), t("chart_country", lang)
    )
    event = st.altair_chart(chart, on_select="rerun", key="chart_map", selection_mode=charts.PICK, width="stretch")
    if GLOBAL in values:
        st.caption(t("global_records", lang, n=values[GLOBAL][1]))
    chosen = charts.picked(event, ("iso3",))
    if chosen:
        _open_search({"country": chosen["iso3"]}, lang)


def _matrix(facets: list[Facet], labels: Labels, lang: str) -> None:
    cells = []
    for entity_type, (label, _) in _values(facets, "entity_type").items():
        for objective, (_, n) in _values(_facets(get_settings().api_url, lang, entity_type), "objective").items():
            if n and objective.isdigit():
                cells.append(
                    {
                        "objective": objective,
                        "objective_n": int(objective),
                        "objective_label": labels.objective_chip(objective),
                        "entity_type": entity_type,
                        "entity_label": labels.entity_types.get(entity_type, label),
                        "count": n,
                    }
                )
    chart = charts.matrix(
        cells,
        t("facet_objective", lang),
        t("facet_entity_type", lang),
        t("count", lang),
        t("matrix", lang),
        t("chart_mark", lang),
        t("chart_cell", lang),
    )
    event = st.altair_chart(chart, on_select="rerun", key="chart_matrix", selection_mode=charts.PICK, width="stretch")
    chosen = charts.picked(event, ("objective", "entity_type"))
    if chosen and len(chosen) == 2:
        _open_search(chosen, lang)


def render() -> None:
    """The Explore page."""
    lang = context.lang()
    st.title(t("page_explore", lang), anchor=False)
    st.caption(t("explore_intro", lang))
    with context.api_guard(lang):
        labels = context.labels(lang)
        facets = _facets(get_settings().api_url, lang)
        left, right = st.columns(2, gap="large")
        with left:
            _bars(facets, "objective", labels, lang, "per_objective")
        with right:
            _bars(facets, "entity_type", labels, lang, "per_entity_type")
            _bars(facets, "region", labels, lang, "per_region")
        _map(facets, lang)
        _matrix(facets, labels, lang)
