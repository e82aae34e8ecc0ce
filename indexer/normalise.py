"""One raw record (JSON Lines object, CSV row or text view) -> one validated `Pledge`, or a `RecordError`
saying which field is wrong and why. The same function serves every source, so a pledge read from its French
text view and from a CSV export normalises to the same record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from indexer import geo
from indexer.dates import DateError, parse_date
from indexer.errors import RecordError
from indexer.folding import slugify
from indexer.infer import infer_entity_type
from indexer.language import detect_language, language_code
from indexer.places_infer import entity_key, infer_countries
from indexer.privacy import scrub, split_pii
from indexer.vocab import (
    entity_type_code,
    parse_natures,
    parse_objectives,
    parse_pledge_type,
    parse_principles,
    split_values,
)
from models.schemas import Pledge
from models.taxonomy import COLLECTIONS, GLOBAL

ID_PREFIX = {"pledge": "pledge", "practice": "practice", "local_action": "action"}
_TRUE = {"true", "1", "yes", "y", "oui", "si", "sí"}


def normalise_record(raw: dict[str, Any], source: str, line: int, *, redact: Sequence[str] = ()) -> Pledge:
    """The normalised record; raises RecordError(field, reason). `redact`: personal values the reader saw."""
    data, pii_values = split_pii(raw)
    secrets = [*redact, *pii_values]
    title = _clean(data.get("title"), secrets)
    if not title:
        raise RecordError("title", "missing title")
    description = _clean_block(data.get("description"), secrets)
    if not description:
        raise RecordError("description", "missing description")
    collection = str(data.get("collection") or "pledge").strip().lower().replace(" ", "_")
    if collection not in COLLECTIONS:
        raise RecordError("collection", f"unknown collection '{collection[:40]}'")
    entity_name = _clean(data.get("entity_name"), secrets) or None
    entity_type, type_inferred = _entity_type(data.get("entity_type"), entity_name)
    city = _clean(data.get("city"), secrets) or None
    local = entity_type == "local_authority" or collection == "local_action"
    places = _places(data, entity_name, city, local=local)
    language, detected = _language(data, description)
    fields: dict[str, Any] = {
        "id": _record_id(data, collection, title),
        "collection": collection,
        "title": title,
        "description": description,
        "description_from": _clean(data.get("description_from")) or None,
        "entity_name": entity_name,
        "entity_type": entity_type,
        "entity_type_inferred": type_inferred or _truthy(data.get("entity_type_inferred")),
        "countries": places.countries,
        "countries_inferred": places.inferred,
        "regions": places.regions,
        "subregions": places.subregions,
        "region_published": "; ".join(places.region_published) or None,
        "city": city,
        "entity_key": entity_key(entity_name, city, local=local),
        "objectives": parse_objectives(data.get("objectives")),
        "principles": parse_principles(data.get("principles")),
        "nature": parse_natures(data.get("nature")),
        "pledge_type": parse_pledge_type(data.get("pledge_type")),
        "themes": [scrub(t, secrets) for t in split_values(data.get("themes"))],
        "deadline": _date(data, "deadline"),
        "submitted": _date(data, "submitted"),
        "language": language,
        "language_detected": detected,
        "source_url": _clean(data.get("source_url")) or None,
        "synthetic": _truthy(data.get("synthetic")),
    }
    try:
        return Pledge(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RecordError(str(first["loc"][0]) if first["loc"] else None, first["msg"]) from None


def _clean(value: object, secrets: Sequence[str] = ()) -> str:
    """One-line text: whitespace collapsed, personal data scrubbed."""
    if value is None:
        return ""
    return scrub(" ".join(str(value).split()), secrets)


def _clean_block(value: object, secrets: Sequence[str]) -> str:
    """Multi-line text: paragraphs kept, runs of blank lines and trailing spaces removed."""
    if value is None:
        return ""
    text = "\n".join(
        line.strip() for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )
    return scrub(re.sub(r"\n{3,}", "\n\n", text).strip(), secrets)


def _truthy(value: object) -> bool:
    return value is True or str(value).strip().lower() in _TRUE


def _record_id(data: dict[str, Any], collection: str, title: str) -> str:
    """`sub-<Submission Number>` when there is one, else the id given, else `<collection>-<slug of title>`."""
    number = str(data.get("submission_number") or "").strip().lstrip("#")
    if number:
        if not number.isdigit():
            raise RecordError("submission_number", f"not a submission number '{number[:20]}'")
        return f"sub-{int(number)}"
    given = str(data.get("id") or "").strip()
    if given:
        return given
    slug = slugify(title)
    if not slug:
        import hashlib

        slug = hashlib.sha1(title.encode()).hexdigest()[:12]
    return f"{ID_PREFIX[collection]}-{slug}"


def _entity_type(value: object, entity_name: str | None) -> tuple[str | None, bool]:
    """(code, inferred): the type as stated, else inferred from the name, else 'other' for an unknown type."""
    stated = " ".join(str(value).split()) if value else ""
    if stated:
        code = entity_type_code(stated)
        if code:
            return code, False
    inferred = infer_entity_type(entity_name) if entity_name else None
    if inferred:
        return inferred, True
    return ("other", False) if stated else (None, False)


def _places(data: dict[str, Any], entity_name: str | None, city: str | None, local: bool) -> geo.Places:
    places = geo.Places()
    for field in ("countries", "other_countries"):
        for item in split_values(data.get(field)):
            for name in _country_items(item):
                if geo.is_global(name):
                    places.add_country(GLOBAL)
                elif code := geo.country_code(name):
                    places.add_country(code)
                elif not places.add_region(name):
                    raise RecordError("countries", f"unknown country '{name[:60]}'", source_field=field)
    for name in split_values(data.get("region")):
        if geo.is_global(name):
            places.add_country(GLOBAL)
        elif not places.add_region(name):
            _add_unknown_region(places, name)
    if not places.has_country:
        inferred = infer_countries(entity_name, city, local)
        for code in inferred:
            places.add_country(code)
        places.inferred = bool(inferred)
    # Real countries first, GLOBAL last: the facts a reader scans.
    places.countries = [c for c in places.countries if c != GLOBAL] + [
        c for c in places.countries if c == GLOBAL
    ]
    return places


def _country_items(item: str) -> list[str]:
    """One country, or several a spreadsheet joined with commas ("Kenya, Uganda"); "Korea, Republic of" and
    other names with a comma of their own stay whole."""
    if "," not in item or geo.country_code(item) or geo.published_region(item):
        return [item]
    parts = [p.strip() for p in item.split(",") if p.strip()]
    known = all(geo.is_global(p) or geo.country_code(p) or geo.published_region(p) for p in parts)
    return parts if known else [item]


def _add_unknown_region(places: geo.Places, name: str) -> None:
    """A region of implementation we cannot map is still published: keep its wording."""
    if name.strip() not in places.region_published:
        places.region_published.append(name.strip())


def _date(data: dict[str, Any], field: str) -> Any:
    try:
        return parse_date(data.get(field))
    except DateError as exc:
        raise RecordError(field, str(exc)) from None


def _language(data: dict[str, Any], description: str) -> tuple[str, bool]:
    """(code, detected): a declared ISO 639-1 code is kept; otherwise detected from the description."""
    declared = language_code(data.get("language"))
    if declared:
        return declared, False
    detected = detect_language(description)
    if detected:
        return detected, True
    return language_code(data.get("form_language")) or "en", True
