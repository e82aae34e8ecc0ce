"""Altair charts for the Explore page, built from facet counts. Pure functions: data in, chart out.

Every chart carries a point selection named `pick` over the facet value(s), which st.altair_chart turns into a
click that opens the search filtered on that value. The map's geometry is inline TopoJSON (ui/assets), so
nothing is fetched when the page is viewed.

What a screen reader hears is said in the interface language: each mark's label is the `describe` template
filled in ("{label}: {n} records"), the marks' role is `role`, and Vega's own English descriptions of axes,
legends and titles ("X-axis titled ...") are switched off (the title is on the chart, the values are on the marks).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.countries import world_topojson

PICK = "pick"
BLUE = "#1f5fae"


def _described(rows: list[dict], describe: str, label: str = "label") -> list[dict]:
    """Rows with an `aria` text: `describe` filled in with the row's label and count."""
    return [{**row, "aria": describe.format(label=row[label], n=row["count"])} for row in rows]


def bar_height(bars: int) -> int:
    """Pixels for the whole chart: Streamlit fits title and axes inside the height too."""
    return 120 + 24 * max(bars, 2)


def bar_chart(
    rows: list[dict],
    title: str,
    count_title: str,
    sort_by_count: bool = True,
    describe: str = "{label}: {n}",
    role: str = "bar",
) -> alt.Chart:
    """Horizontal bars of `count` per `label`; `value` is the facet value a click filters on."""
    data = pd.DataFrame(_described(rows or [{"value": "", "label": "", "count": 0}], describe))
    pick = alt.selection_point(name=PICK, fields=["value"], on="click")
    order = "-x" if sort_by_count else list(data["label"])
    return (
        alt.Chart(data, title=alt.TitleParams(title, aria=False), description=title)
        .mark_bar(cursor="pointer", ariaRoleDescription=role)
        .encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, aria=False)),
            x=alt.X("count:Q", title=count_title, axis=alt.Axis(aria=False)),
            color=alt.condition(pick, alt.value(BLUE), alt.value("#9bb5d6")),
            tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("count:Q", title=count_title)],
            description=alt.Description("aria:N"),
        )
        .add_params(pick)
        .properties(height=bar_height(len(data)))
    )


def world_map(
    counts: dict[str, int],
    names: dict[str, str],
    count_title: str,
    title: str,
    describe: str = "{label}: {n}",
    role: str = "country",
) -> alt.LayerChart | alt.FacetChart:
    """Choropleth of records per country of implementation (ISO alpha-3 codes)."""
    topo = world_topojson()
    rows = [{"iso3": code, "count": n, "name": names.get(code, code)} for code, n in counts.items()]
    lookup = pd.DataFrame(_described(rows or [{"iso3": "", "count": 0, "name": ""}], describe, label="name"))
    geometry = alt.Data(values=topo, format=alt.DataFormat(type="topojson", feature="countries"))
    pick = alt.selection_point(name=PICK, fields=["iso3"], on="click")
    no_antarctica = "datum.properties.name !== 'Antarctica'"
    base = (
        alt.Chart(geometry)
        .mark_geoshape(fill="#e3e7ed", stroke="#ffffff", strokeWidth=0.4, aria=False)
        .transform_filter(no_antarctica)
    )
    filled = (
        alt.Chart(geometry)
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.4, cursor="pointer", ariaRoleDescription=role)
        .transform_filter(no_antarctica)
        .transform_calculate(iso3="datum.properties.iso3")
        .transform_lookup(lookup="iso3", from_=alt.LookupData(lookup, "iso3", ["count", "name", "aria"]))
        .transform_filter("isValid(datum.count) && datum.count > 0")
        .encode(
            color=alt.Color(
                "count:Q", title=count_title, scale=alt.Scale(scheme="blues", type="log"), legend=alt.Legend(aria=False)
            ),
            tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("count:Q", title=count_title)],
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            description=alt.Description("aria:N"),
        )
        .add_params(pick)
    )
    return (
        alt.layer(base, filled, title=alt.TitleParams(title, aria=False), description=title)
        .project(type="equalEarth")
        .properties(height=420)
    )


def matrix(
    cells: list[dict],
    objective_title: str,
    entity_title: str,
    count_title: str,
    title: str,
    describe: str = "{label}: {n}",
    role: str = "cell",
) -> alt.LayerChart | alt.FacetChart:
    """Objective x entity type heatmap with counts; a click filters on both."""
    blank = {"objective": "", "objective_label": "", "entity_type": "", "entity_label": "", "count": 0}
    described = [{**c, "cell": f"{c['objective_label']} × {c['entity_label']}"} for c in cells or [blank]]
    data = pd.DataFrame(_described(described, describe, label="cell"))
    pick = alt.selection_point(name=PICK, fields=["objective", "entity_type"], on="click")
    order = list(dict.fromkeys(data.sort_values("objective_n")["objective_label"])) if "objective_n" in data else None
    base = alt.Chart(data, title=alt.TitleParams(title, aria=False)).encode(
        y=alt.Y("objective_label:N", sort=order, title=objective_title, axis=alt.Axis(labelLimit=260, aria=False)),
        x=alt.X(
            "entity_label:N",
            title=entity_title,
            axis=alt.Axis(labelAngle=-30, labelLimit=170, labelOverlap=False, aria=False),
        ),
    )
    rects = (
        base.mark_rect(cursor="pointer", ariaRoleDescription=role)
        .encode(
            color=alt.Color(
                "count:Q", title=count_title, scale=alt.Scale(scheme="blues"), legend=alt.Legend(aria=False)
            ),
            tooltip=[
                alt.Tooltip("objective_label:N", title=objective_title),
                alt.Tooltip("entity_label:N", title=entity_title),
                alt.Tooltip("count:Q", title=count_title),
            ],
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
            description=alt.Description("aria:N"),
        )
        .add_params(pick)
    )
    dark = max(2, int(data["count"].max() * 0.55))  # white digits on the darker half of the scale
    text = base.mark_text(fontSize=10, aria=False).encode(
        text="count:Q",
        color=alt.condition(f"datum.count >= {dark}", alt.value("white"), alt.value("#222")),
    )
    return alt.layer(rects, text, description=title).properties(height=matrix_height(data["objective_label"].nunique()))


def matrix_height(rows: int) -> int:
    """Pixels for the whole heatmap, its slanted entity-type labels included."""
    return 190 + 24 * max(rows, 2)


def picked(event: object, fields: tuple[str, ...]) -> dict[str, str] | None:
    """The values a click selected, read from st.altair_chart's return value; None when nothing is."""
    selection = getattr(event, "selection", None) or (event.get("selection") if isinstance(event, dict) else None)
    points = (selection or {}).get(PICK) or []
    if not points:
        return None
    point = points[0]
    out = {}
    for name in fields:
        value = point.get(name)
        if value is not None and value != "":
            out[name] = str(value)
    return out or None
