"""Filters as query parameters and back: the one mapping that the API, the UI (its URLs and its HTTP client)
and the CLI (`--filter FIELD=VALUE`) all use.

One parameter per filter, repeated for several values (OR within a facet): `objective=15&objective=16`,
`country=COL`, plus `synthetic=true|false`, `objective_scope` and `deadline_from` / `deadline_to` as YYYY-MM-DD.

`objective_scope` is written only when it differs from the default scope, and read as that default when absent:
Filters' own default ("declared") for the API and the CLI; an edge with another default (the UI's URLs read "all")
passes `default_scope` both ways.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from pydantic import ValidationError

from models.schemas import FACET_FIELDS, Filters, ObjectiveScope
from models.taxonomy import OBJECTIVE_COUNT

LIST_FILTERS: tuple[str, ...] = tuple(FACET_FIELDS)  # repeated for several values
SCALAR_FILTERS: tuple[str, ...] = ("synthetic", "objective_scope", "deadline_from", "deadline_to")  # last wins
SCOPES: tuple[str, ...] = ("declared", "suggested", "all")
MODEL_SCOPE: ObjectiveScope = Filters.model_fields["objective_scope"].default  # the API's and the CLI's default
FILTER_PARAMS: tuple[str, ...] = (*LIST_FILTERS, *SCALAR_FILTERS)
TRUE_WORDS = ("true", "yes", "1")
FALSE_WORDS = ("false", "no", "0")


class FilterError(ValueError):
    """A filter parameter that cannot be read: which one, and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def filter_pairs(filters: Filters, *, default_scope: ObjectiveScope = MODEL_SCOPE) -> list[tuple[str, str]]:
    """Filters as (name, value) query pairs, in FILTER_PARAMS order; several values repeat the name, and the
    objective scope is left out when it is `default_scope`."""
    pairs: list[tuple[str, str]] = []
    for name in LIST_FILTERS:
        pairs.extend((name, str(v)) for v in getattr(filters, name))
    if filters.synthetic is not None:
        pairs.append(("synthetic", "true" if filters.synthetic else "false"))
    if filters.objective_scope != default_scope:
        pairs.append(("objective_scope", filters.objective_scope))
    for name in ("deadline_from", "deadline_to"):
        value: dt.date | None = getattr(filters, name)
        if value:
            pairs.append((name, value.isoformat()))
    return pairs


def grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(name, value) pairs as name -> every value, in order."""
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _objectives(values: Sequence[str], strict: bool) -> list[int]:
    numbers: list[int] = []
    for value in values:
        text = str(value).strip()
        if text.isdigit() and 1 <= int(text) <= OBJECTIVE_COUNT:
            numbers.append(int(text))
        elif strict:
            raise FilterError("objective", f"objective takes a number from 1 to {OBJECTIVE_COUNT}, got {text!r}.")
    return list(dict.fromkeys(numbers))


def _flag(value: str, strict: bool) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    if strict:
        raise FilterError("synthetic", f"synthetic takes true or false, got {value!r}.")
    return None


def _day(name: str, value: str, strict: bool) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        if strict:
            raise FilterError(name, f"{name} takes a date as YYYY-MM-DD, got {value!r}.") from None
        return None


def read_filters(
    params: Mapping[str, Sequence[str]], *, strict: bool = True, default_scope: ObjectiveScope = MODEL_SCOPE
) -> Filters:
    """Filters from query parameters (each name mapped to all its values); other names are not looked at. No
    (or, when lenient, an unreadable) `objective_scope` means `default_scope`.

    Strict (API, CLI): an unreadable value raises FilterError naming the parameter. Lenient (a bookmarked URL
    in the UI): it is dropped. Country codes are upper-cased; repeated values count once; a deadline range
    given backwards is an error when strict and turned round when lenient."""
    data: dict[str, object] = {"objective_scope": default_scope}
    for name in LIST_FILTERS:
        values = _dedupe(v.strip() for v in params.get(name, ()) if v and v.strip())
        if not values:
            continue
        if name == "objective":
            data[name] = _objectives(values, strict)
        else:
            data[name] = [v.upper() for v in values] if name == "country" else values
    synthetic = list(params.get("synthetic", ()))
    if synthetic:
        data["synthetic"] = _flag(synthetic[-1], strict)
    scope = list(params.get("objective_scope", ()))
    if scope:
        if scope[-1].strip() in SCOPES:
            data["objective_scope"] = scope[-1].strip()
        elif strict:
            raise FilterError("objective_scope", f"objective_scope takes {', '.join(SCOPES)}, got {scope[-1]!r}.")
    bounds = {
        name: _day(name, list(params[name])[-1], strict)
        for name in ("deadline_from", "deadline_to")
        if params.get(name)
    }
    start, end = bounds.get("deadline_from"), bounds.get("deadline_to")
    if start and end and start > end:
        if strict:
            raise FilterError("deadline_to", "deadline_to is before deadline_from.")
        start, end = end, start
    data.update({k: v for k, v in (("deadline_from", start), ("deadline_to", end)) if v})
    try:
        return Filters.model_validate(data)
    except ValidationError as exc:
        if strict:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else "filters"
            raise FilterError(field, f"{field}: {first['msg']}") from exc
        return Filters(objective_scope=default_scope)
