"""JSON Lines (the schema of ../shared/data/README.md), plus a JSON array or a single JSON object.

A line that cannot be read is rejected alone (its line number and why) and the others are still read: malformed
JSON, a value nested deeper than MAX_JSON_DEPTH (a record is flat; a line of 100,000 brackets exhausts the
parser's recursion, which used to end the whole run), or a number too long to convert.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from indexer.sources.base import RawRecord
from models.limits import MAX_JSON_DEPTH
from models.schemas import Rejection


class JsonLineError(ValueError):
    """One JSON text cannot become a value: why, and where (line number inside the text, when known)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def loads(text: str) -> Any:
    """`json.loads` that refuses, with a reason, what would crash or hold the run: malformed JSON, nesting deeper
    than MAX_JSON_DEPTH, numbers too long for Python to convert."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonLineError(f"malformed JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except RecursionError:  # the parser recurses once per level: a line of brackets exhausts it
        raise JsonLineError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise JsonLineError(f"unreadable JSON value: {str(exc)[:80]}") from None
    if depth(value) > MAX_JSON_DEPTH:
        raise JsonLineError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return value


def depth(value: Any) -> int:
    """How deep lists and objects nest in a parsed value (iterative: no recursion to exhaust)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def read_json_lines(text: str, source: str) -> Iterator[RawRecord | Rejection]:
    """One record per non-blank line; a line that cannot be read is rejected alone, the others still read."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _read_array(text, source)
        return
    if stripped.startswith("{") and "\n" in stripped.rstrip():
        try:
            whole = loads(text)
        except JsonLineError:
            whole = None
        if isinstance(whole, dict):  # one pretty-printed object, not JSON Lines
            yield _record(whole, source, 1)
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if "\x00" in line:
            yield Rejection(source=source, line=number, reason="line holds a NUL byte (binary data)")
            continue
        try:
            value = loads(line)
        except JsonLineError as exc:
            yield Rejection(source=source, line=number, reason=exc.reason)
            continue
        if not isinstance(value, dict):
            yield Rejection(source=source, line=number, reason="not a JSON object")
            continue
        yield _record(value, source, number)


def _read_array(text: str, source: str) -> Iterator[RawRecord | Rejection]:
    try:
        values = loads(text)
    except JsonLineError as exc:
        yield Rejection(source=source, line=exc.line, reason=exc.reason)
        return
    if not isinstance(values, list):
        yield Rejection(source=source, line=1, reason="not a JSON array of objects")
        return
    for number, value in enumerate(values, start=1):
        if isinstance(value, dict):
            yield _record(value, source, number)
        else:
            yield Rejection(source=source, line=number, reason="not a JSON object (element of the array)")


def _record(value: dict, source: str, line: int) -> RawRecord:
    return RawRecord(data=value, source=source, line=line)
