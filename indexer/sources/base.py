"""What every reader yields: raw records with where they came from, or rejections of a line or a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EMPTY_MARKERS = frozenset({"{empty}", "{vide}", "{vacío}", "{vacio}", "n/a", "-"})


@dataclass
class RawRecord:
    """One record as read, before normalisation.

    `line` is the line (JSON Lines, text view) or row (CSV, header = row 1) where it starts; `field_lines`
    says where each field was read, so a rejection can point at the offending line. `redact` holds personal
    data seen in the form (name, e-mail, ...): it is used only to scrub other fields, never stored.
    """

    data: dict[str, Any]
    source: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    redact: tuple[str, ...] = ()

    def line_of(self, field_name: str | None) -> int:
        """Line of one field when known, else the record's first line."""
        return self.field_lines.get(field_name or "", self.line)


def is_empty_value(value: str) -> bool:
    """True for blank cells and the webform's placeholders ("{Empty}")."""
    return not value.strip() or value.strip().lower() in EMPTY_MARKERS
