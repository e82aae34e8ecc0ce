"""Charts carry all they draw: no URL in any spec, the world geometry inline and joined on ISO codes."""

from __future__ import annotations

import json

from ui import charts
from ui.countries import world_topojson


def urls_in(spec: dict) -> list[str]:
    """Every `url` a Vega-Lite spec would fetch."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "url" in node:
                found.append(str(node["url"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_the_world_map_is_drawn_from_shipped_geometry() -> None:
    spec = charts.world_map({"COL": 12, "XKX": 1}, {"COL": "Colombia"}, "Records", "Map").to_dict()
    assert urls_in(spec) == []
    text = json.dumps(spec)
    assert '"type": "topojson"' in text and '"COL"' in text


def test_bars_and_matrix_carry_their_data_inline() -> None:
    bar = charts.bar_chart([{"value": "15", "label": "15 · Basic services", "count": 7}], "t", "n").to_dict()
    cells = [
        {
            "objective": "15",
            "objective_n": 15,
            "objective_label": "15",
            "entity_type": "un_entity",
            "entity_label": "UN entity",
            "count": 2,
        }
    ]
    matrix = charts.matrix(cells, "o", "e", "n", "t").to_dict()
    assert urls_in(bar) == urls_in(matrix) == []


def test_every_mapped_country_has_an_iso3_code() -> None:
    geometries = world_topojson()["objects"]["countries"]["geometries"]
    codes = {g["properties"]["iso3"] for g in geometries}
    assert {"COL", "FRA", "XKX", "BRA"} <= codes
    assert sum(1 for g in geometries if not g["properties"]["iso3"]) <= 1  # only Antarctica-like leftovers


def test_a_click_on_a_chart_reads_back_as_filter_values() -> None:
    event = {"selection": {charts.PICK: [{"objective": 15, "entity_type": "un_entity"}]}}
    assert charts.picked(event, ("objective", "entity_type")) == {
        "objective": "15",
        "entity_type": "un_entity",
    }
    assert charts.picked({"selection": {charts.PICK: []}}, ("value",)) is None
