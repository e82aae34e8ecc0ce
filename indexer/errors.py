"""Errors the indexer raises for one record; the pipeline turns each into a `Rejection`, never an abort."""

from __future__ import annotations


class RecordError(ValueError):
    """One record cannot be normalised: which field, and why (never quoting personal data)."""

    def __init__(self, field: str | None, reason: str, source_field: str | None = None) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason
        self.source_field = source_field or field  # the form's field it was read from, to find its line


class SourceError(ValueError):
    """A whole file cannot be read (empty, unknown format, not text): one rejection for the file."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
