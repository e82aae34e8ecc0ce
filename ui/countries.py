"""Country names in the interface language, and the world map's geometry, both offline.

Names come from pycountry's ISO 3166 data and its French/Spanish translations (a lookup library, not our
engine). The geometry is Natural Earth 110m as TopoJSON, shipped in ui/assets/ (see LICENSE-world-atlas.txt),
so the map never fetches anything when the page is viewed.
"""

from __future__ import annotations

import gettext
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
_EXTRA_NAMES = {
    "XKX": {"en": "Kosovo", "fr": "Kosovo", "es": "Kosovo"},
    GLOBAL: {"en": "Global", "fr": "Mondial", "es": "Mundial"},
}


@lru_cache(maxsize=4)
def _translator(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


@lru_cache(maxsize=2048)
def country_name(code: str, lang: str = "en") -> str:
    """`COL` -> `Colombia` (`Colombie` in French); unknown codes are returned as they are."""
    if code in _EXTRA_NAMES:
        return _EXTRA_NAMES[code].get(lang, _EXTRA_NAMES[code]["en"])
    country = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    if country is None:
        return code
    name = _translator(lang).gettext(country.name)
    if lang == "en":
        return getattr(country, "common_name", None) or name
    return name


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
