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
from models.limits import (
    ID_DESCRIPTION,
    LIST_FIELDS,
    MAX_ITEM_CHARS,
    MAX_LIST_ITEMS,
    TEXT_LIMITS,
    is_valid_id,
    too_long,
)
from models.schemas import Pledge, PledgeIn
from models.taxonomy import COLLECTIONS, GLOBAL

ID_PREFIX = {"pledge": "pledge", "practice": "practice", "local_action": "action"}
_TRUE = {"true", "1", "yes", "y", "oui", "si", "sí"}


def normalise_record(raw: dict[str, Any], source: str, line: int, *, redact: Sequence[str] = ()) -> Pledge:
    """The normalised record; raises RecordError(field, reason). `redact`: personal values the reader saw.

    Sizes are checked first (models/limits.py), before any text is scrubbed, analysed or looked up, so a record
    over a limit costs no more than reading it."""
    data, pii_values = split_pii(raw)
    _check_lists(data)
    secrets = [*redact, *pii_values]
    title = _clean(data, "title", secrets)
    if not title:
        raise RecordError("title", "missing title")
    description = _clean_block(data, "description", secrets)
    if not description:
        raise RecordError("description", "missing description")
    collection = _clean(data, "collection").lower().replace(" ", "_") or "pledge"
    if collection not in COLLECTIONS:
        raise RecordError("collection", f"unknown collection '{collection[:40]}'")
    entity_name = _clean(data, "entity_name", secrets) or None
    entity_type, type_inferred = _entity_type(_clean(data, "entity_type"), entity_name)
    city = _clean(data, "city", secrets) or None
    local = entity_type == "local_authority" or collection == "local_action"
    places = _places(data, entity_name, city, secrets, local=local)
    language, detected = _language(data, description)
    fields: dict[str, Any] = {
        "collection": collection,
        "title": title,
        "description": description,
        "description_from": _clean(data, "description_from") or None,
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
        "pledge_type": parse_pledge_type(_clean(data, "pledge_type")),
        "themes": [scrub(t, secrets) for t in split_values(data.get("themes"))],
        "deadline": _date(data, "deadline"),
        "submitted": _date(data, "submitted"),
        "language": language,
        "language_detected": detected,
        "source_url": _clean(data, "source_url") or None,
        "synthetic": _truthy(data.get("synthetic")),
    }
    record_id = _record_id(data, collection, title)
    try:
        checked = PledgeIn(**fields)  # the limits every entry path shares (models/limits.py)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        raise RecordError(str(first["loc"][0]) if first["loc"] else None, message) from None
    return Pledge(id=record_id, **checked.model_dump())


def _text(data: dict[str, Any], field: str) -> str:
    """The raw text of a field: refused when it is a JSON object or list, holds a NUL byte or is too long."""
    value = data.get(field)
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple):
        raise RecordError(field, f"expected text, not a JSON {'object' if isinstance(value, dict) else 'list'}")
    text = str(value)
    limit = TEXT_LIMITS.get(field, MAX_ITEM_CHARS)
    # Room for the whitespace that cleaning removes; the exact limit is checked on the cleaned text.
    if len(text) > 2 * limit + 1000:
        raise RecordError(field, too_long(field, len(text), limit))
    if "\x00" in text:
        raise RecordError(field, "holds a NUL byte (binary data)")
    return text


def _clean(data: dict[str, Any], field: str, secrets: Sequence[str] = ()) -> str:
    """One-line text: whitespace collapsed, length checked, personal data scrubbed."""
    text = " ".join(_text(data, field).split())
    return scrub(_within_limit(field, text), secrets)


def _clean_block(data: dict[str, Any], field: str, secrets: Sequence[str]) -> str:
    """Multi-line text: paragraphs kept, runs of blank lines and trailing spaces removed, length checked."""
    lines = _text(data, field).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in lines)).strip()
    return scrub(_within_limit(field, text), secrets)


def _within_limit(field: str, text: str) -> str:
    limit = TEXT_LIMITS.get(field, MAX_ITEM_CHARS)
    if len(text) > limit:
        raise RecordError(field, too_long(field, len(text), limit))
    return text


def _check_lists(data: dict[str, Any]) -> None:
    """List fields: at most MAX_LIST_ITEMS items of at most MAX_ITEM_CHARS characters, no NUL bytes."""
    for field in LIST_FIELDS:
        value = data.get(field)
        if value is None:
            continue
        if isinstance(value, dict):
            raise RecordError(field, "expected a list or text, not a JSON object")
        if isinstance(value, list | tuple):
            if len(value) > MAX_LIST_ITEMS:
                raise RecordError(field, f"{field} has {len(value):,} items; the limit is {MAX_LIST_ITEMS}")
            if any(isinstance(v, dict | list | tuple) for v in value):
                raise RecordError(field, "expected a list of values, not of lists or objects")
            items = [str(v) for v in value if v is not None]
        else:
            text = str(value)
            if len(text) > MAX_LIST_ITEMS * (MAX_ITEM_CHARS + 2):
                raise RecordError(field, too_long(field, len(text), MAX_LIST_ITEMS * (MAX_ITEM_CHARS + 2)))
            items = split_values(text)
            if len(items) > MAX_LIST_ITEMS:
                raise RecordError(field, f"{field} has {len(items):,} items; the limit is {MAX_LIST_ITEMS}")
        longest = max((len(item) for item in items), default=0)
        if longest > MAX_ITEM_CHARS:
            raise RecordError(field, f"an item of {field} is {longest:,} characters; the limit is {MAX_ITEM_CHARS}")
        if any("\x00" in item for item in items):
            raise RecordError(field, "holds a NUL byte (binary data)")


def _truthy(value: object) -> bool:
    return value is True or str(value).strip().lower() in _TRUE


def _record_id(data: dict[str, Any], collection: str, title: str) -> str:
    """`sub-<Submission Number>` when there is one, else the id given, else `<collection>-<slug of title>`."""
    number = _text(data, "submission_number").strip().lstrip("#")
    if number:
        if not number.isdigit():
            raise RecordError("submission_number", f"not a submission number '{number[:20]}'")
        return f"sub-{int(number)}"
    given = _text(data, "id").strip()
    if given:
        if not is_valid_id(given):
            raise RecordError("id", f"not a valid id {given[:40]!r}: {ID_DESCRIPTION}")
        return given
    slug = slugify(title)
    if not slug:
        import hashlib

        slug = hashlib.sha1(title.encode()).hexdigest()[:12]
    return f"{ID_PREFIX[collection]}-{slug}"


def _entity_type(stated: str, entity_name: str | None) -> tuple[str | None, bool]:
    """(code, inferred): the type as stated, else inferred from the name, else 'other' for an unknown type."""
    if stated:
        code = entity_type_code(stated)
        if code:
            return code, False
    inferred = infer_entity_type(entity_name) if entity_name else None
    if inferred:
        return inferred, True
    return ("other", False) if stated else (None, False)


def _places(
    data: dict[str, Any], entity_name: str | None, city: str | None, secrets: Sequence[str], local: bool
) -> geo.Places:
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
            _add_unknown_region(places, scrub(name, secrets))  # published as worded: personal data removed
    if not places.has_country:
        inferred = infer_countries(entity_name, city, local)
        for code in inferred:
            places.add_country(code)
        places.inferred = bool(inferred)
    # Real countries first, GLOBAL last: the facts a reader scans.
    places.countries = [c for c in places.countries if c != GLOBAL] + [c for c in places.countries if c == GLOBAL]
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
    if name.strip() and name.strip() not in places.region_published:
        places.region_published.append(name.strip())


def _date(data: dict[str, Any], field: str) -> Any:
    try:
        return parse_date(_clean(data, field) or None)
    except DateError as exc:
        raise RecordError(field, str(exc)) from None


def _language(data: dict[str, Any], description: str) -> tuple[str, bool]:
    """(code, detected): a declared ISO 639-1 code is kept; otherwise detected from the description."""
    declared = language_code(_clean(data, "language") or None)
    if declared:
        return declared, False
    detected = detect_language(description)
    if detected:
        return detected, True
    return language_code(_clean(data, "form_language") or None) or "en", True
