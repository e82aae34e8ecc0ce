"""The world map's geometry, offline: Natural Earth 110m as TopoJSON, shipped in ui/assets/ (see
LICENSE-world-atlas.txt), so the map never fetches anything when the page is viewed. Each shape is joined to
our ISO alpha-3 codes through pycountry's numeric codes. Country *names* are the API's (hits, records, facets,
/taxonomy): the UI shows what it receives.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

ASSETS = Path(__file__).resolve().parent / "assets"
WORLD_TOPOJSON = ASSETS / "countries-110m.json"
GLOBAL = "GLOBAL"
# Features of the 110m map without an ISO numeric code, and the codes our records use for them.
_UNNUMBERED = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}


@lru_cache(maxsize=1)
def world_topojson() -> dict[str, Any]:
    """The world's countries as TopoJSON, each geometry given an `iso3` property for joining counts."""
    topo = json.loads(WORLD_TOPOJSON.read_text(encoding="utf-8"))
    for geometry in topo["objects"]["countries"]["geometries"]:
        props = geometry.setdefault("properties", {})
        numeric = geometry.get("id")
        country = pycountry.countries.get(numeric=numeric) if numeric else None
        props["iso3"] = country.alpha_3 if country else _UNNUMBERED.get(props.get("name", ""), "")
    return topo
