"""Typed reads of tantivy values: its stubs type stored values as `Any | None` and omit `SearchResult.count`."""

from __future__ import annotations

from typing import Any

import tantivy


def text(doc: tantivy.Document, field: str) -> str:
    """A stored text field that every document has (id, record, content hash)."""
    value = doc.get_first(field)
    if not isinstance(value, str):
        raise KeyError(f"stored document lacks the text field {field!r}")
    return value


def raw(doc: tantivy.Document, field: str) -> bytes:
    """A stored bytes field that every document has (the vector)."""
    value = doc.get_first(field)
    if not isinstance(value, bytes | bytearray):
        raise KeyError(f"stored document lacks the bytes field {field!r}")
    return bytes(value)


def hit_count(result: tantivy.SearchResult) -> int:
    """Matches of a search run with count=True (present at run time, missing from tantivy's stub)."""
    return int(result.count)  # type: ignore[attr-defined]


def as_int(value: Any) -> int:
    """A fast-field value (typed int | float | bool | None by the stub) as the integer key it is."""
    if value is None:
        raise ValueError("fast field value missing")
    return int(value)
