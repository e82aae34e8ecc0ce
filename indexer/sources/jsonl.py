"""JSON Lines (the schema of ../shared/data/README.md), plus a JSON array or a single JSON object."""

from __future__ import annotations

import json
from collections.abc import Iterator

from indexer.sources.base import RawRecord
from models.schemas import Rejection


def read_json_lines(text: str, source: str) -> Iterator[RawRecord | Rejection]:
    """One record per non-blank line; a malformed line is rejected alone, the others still read."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _read_array(text, source)
        return
    if stripped.startswith("{") and "\n" in stripped.rstrip():
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, dict):  # one pretty-printed object, not JSON Lines
            yield _record(whole, source, 1)
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(
                source=source, line=number, reason=f"malformed JSON: {exc.msg} (column {exc.colno})"
            )
            continue
        if not isinstance(value, dict):
            yield Rejection(source=source, line=number, reason="not a JSON object")
            continue
        yield _record(value, source, number)


def _read_array(text: str, source: str) -> Iterator[RawRecord | Rejection]:
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejection(
            source=source, line=exc.lineno, reason=f"malformed JSON: {exc.msg} (column {exc.colno})"
        )
        return
    for number, value in enumerate(values, start=1):
        if isinstance(value, dict):
            yield _record(value, source, number)
        else:
            yield Rejection(source=source, line=number, reason="not a JSON object (element of the array)")


def _record(value: dict, source: str, line: int) -> RawRecord:
    return RawRecord(data=value, source=source, line=line)
