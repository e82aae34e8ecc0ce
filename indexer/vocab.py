"""Controlled vocabularies read from free text in English, French or Spanish: objectives, principles,
entity types, natures and pledge types. The labels and aliases live in models.taxonomy; what stays here is how
forms word them around those (term ids, layout words, pledge types).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from indexer.errors import RecordError
from indexer.folding import key
from models.taxonomy import ENTITY_TYPES, NATURES, OBJECTIVES, PRINCIPLES, Term

TERM_ID = re.compile(r"\s*\(\d+\)\s*$")  # webform term ids: "Kenya (112)"
_PARENTHETICAL = re.compile(r"\s*\(.*?\)\s*")
_OBJECTIVE_NUMBER = re.compile(
    r"^\s*(?:(?:objective|objectif|objetivo|obj\.?)\s*(?:n[o°º]\.?)?\s*)?(\d{1,3})"
    r"(?:\s*[.):\-–]\s*|\s*$|\s+)",
    re.IGNORECASE,
)
_MIN_PREFIX = 20  # a label cut short still counts when this much of it is there and it is unambiguous

NATURE_NOISE = frozenset({"structured", "unstructured", "structure", "estructurado"})
PLEDGE_TYPES = (
    ("individual", ("individual", "individuel", "individuelle")),
    ("joint", ("joint", "common", "conjoint", "conjointe", "commune", "conjunto", "conjunta", "comun")),
    (
        "matching",
        ("matching", "contrepartie", "correspondance", "equivalente", "de contrapartida", "paralelo"),
    ),
)


def split_values(value: object) -> list[str]:
    """A list field as items: JSON lists pass through, text is split on semicolons and line breaks."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [str(v) for v in value if v is not None]
    else:
        items = re.split(r"[;\n]", str(value))
    return [TERM_ID.sub("", item).strip() for item in items if item and item.strip()]


def _index(terms: Mapping[str, Term]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, term in terms.items():
        for name in [code, term.code, *term.labels.values(), *term.short.values(), *term.aliases]:
            table.setdefault(key(name), code)
    return table


@lru_cache(maxsize=1)
def _objective_labels() -> dict[str, str]:
    table = {}
    for number, term in OBJECTIVES.items():
        for name in [*term.labels.values(), *term.aliases]:
            table[key(name)] = str(number)
    return table


def parse_objective(item: object) -> int:
    """1-23 from a number, "15. Provide access ...", "Objectif 15" or a label in en, fr or es."""
    if isinstance(item, int) and not isinstance(item, bool):
        number = item
    elif isinstance(item, float) and item.is_integer():
        number = int(item)
    elif isinstance(item, float | bool | dict | list):
        raise RecordError("objectives", f"unknown objective '{_short(str(item))}'")
    else:
        text = str(item).strip()
        match = _OBJECTIVE_NUMBER.match(text)
        if match:
            number = int(match.group(1))
        else:
            found = _lookup(key(text), _objective_labels())
            if found is None:
                raise RecordError("objectives", f"unknown objective '{_short(text)}'")
            return int(found)
    if number not in OBJECTIVES:
        raise RecordError("objectives", f"unknown objective {number}")
    return number


def parse_objectives(value: object) -> list[int]:
    """All objectives of a record, in order, without repeats."""
    items = value if isinstance(value, list) else split_values(value)
    return _unique(parse_objective(item) for item in items if item is not None and str(item).strip())


def parse_principles(value: object) -> list[str]:
    """Principle codes from labels in any of the three languages."""
    table = _term_index("principles")
    codes = []
    for item in split_values(value):
        code = _lookup(key(item), table)
        if code is None:
            raise RecordError("principles", f"unknown guiding principle '{_short(item)}'")
        codes.append(code)
    return _unique(codes)


def parse_natures(value: object) -> list[str]:
    """Nature codes (financial, technical, policy, process) from the form's long labels."""
    table = _term_index("natures")
    codes = []
    for item in split_values(value):
        bare = key(_PARENTHETICAL.sub(" ", item))
        if bare in NATURE_NOISE:  # the webform appends a layout word to its checkbox values
            continue
        code = _lookup(bare, table)
        if code is None:
            raise RecordError("nature", f"unknown nature '{_short(item)}'")
        codes.append(code)
    return _unique(codes)


def parse_pledge_type(value: object) -> str | None:
    """individual, joint or matching, from "Individual (by one state/actor)" and its translations."""
    if value is None or not str(value).strip():
        return None
    bare = key(_PARENTHETICAL.sub(" ", TERM_ID.sub("", str(value))))
    for code, words in PLEDGE_TYPES:
        if any(re.search(rf"\b{re.escape(w)}\b", bare) for w in words):
            return code
    raise RecordError("pledge_type", f"unknown pledge type '{_short(str(value))}'")


def entity_type_code(value: str) -> str | None:
    """Code of taxonomy.ENTITY_TYPES for a type as the source words it; None when unknown."""
    bare = key(TERM_ID.sub("", value))
    return _term_index("entity_types").get(bare) or _term_index("entity_types").get(key(_PARENTHETICAL.sub(" ", value)))


@cache
def _term_index(name: str) -> dict[str, str]:
    if name == "principles":
        return _index(PRINCIPLES)
    if name == "natures":
        return _index(NATURES)
    return _index(ENTITY_TYPES)


def _lookup(text: str, table: dict[str, str]) -> str | None:
    """Exact key, else a label this text starts (a hint added) or a long-enough start of one label."""
    if not text:
        return None
    if text in table:
        return table[text]
    longer = {code for label, code in table.items() if len(label) >= 4 and text.startswith(label + " ")}
    if len(longer) == 1:
        return longer.pop()
    if len(text) >= _MIN_PREFIX:
        shorter = {code for label, code in table.items() if label.startswith(text)}
        if len(shorter) == 1:
            return shorter.pop()
    return None


def _unique(values: Iterable) -> list:
    seen: dict = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
