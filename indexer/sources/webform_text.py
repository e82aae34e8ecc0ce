"""The webform's plain-text submission view, in either shape it is printed:

- English labels, "Label: value", term ids in parentheses ("Kenya (112)"), headings such as "Section II";
- French (or Spanish) labels glued to their values with no separator ("Pledging entityCities, ...").

A file may hold several submissions; each starts at its title line ("... Submission #2291"). Values of
personal-data fields are kept only in memory to scrub other fields, never in the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.sources.base import RawRecord, is_empty_value
from indexer.sources.labels import MULTILINE_FIELDS, match_line

TITLE_LINE = re.compile(r"(?:Submission|Soumission|Env[ií]o)\s*(?:#|n[o°º]\.?\s*)\s*(\d+)", re.IGNORECASE)
_HEADINGS = re.compile(
    r"^(skip to main content|submission information|informations sur la soumission|"
    r"informations de la soumission|información del envío|informacion del envio|"
    r"section\s+[ivxlc]+|sección\s+[ivxlc]+|seccion\s+[ivxlc]+)$",
    re.IGNORECASE,
)
_FOOTNOTE = re.compile(r"^\*\S.*(kosovo|1244)", re.IGNORECASE)


def looks_like_text_view(text: str) -> bool:
    """True when at least two lines carry known form labels (or a submission title line and one label)."""
    hits = 0
    for line in text.splitlines()[:400]:
        found = match_line(line.strip())
        if found and found[0] not in ("_ignored", "_pii") or TITLE_LINE.search(line):
            hits += 1
        if hits >= 2:
            return True
    return False


class _Builder:
    """Accumulates the fields of one submission while lines go by."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.values: dict[str, list[str]] = {}
        self.field_lines: dict[str, int] = {}
        self.redact: list[str] = []
        self.current: str | None = None

    def start(self, name: str, value: str, line: int) -> None:
        if name == "_pii":
            if value.strip() and not is_empty_value(value):
                self.redact.append(value.strip())
            # a personal label alone on its line: its value is on the next line
            self.current = None if value.strip() else "_pii"
            return
        value = "" if is_empty_value(value) else value
        if name == "_ignored" or name in self.values:
            self.current = None
            return
        self.values[name] = [value] if value else []
        self.field_lines[name] = line
        self.current = name

    def continue_with(self, text: str) -> None:
        name = self.current
        if name is None:
            return
        if name == "_pii":
            if text.strip():
                if not is_empty_value(text):
                    self.redact.append(text.strip())
                self.current = None
            return
        lines = self.values[name]
        if name in MULTILINE_FIELDS or not any(v.strip() for v in lines):
            lines.append(text)

    def has_fields(self) -> bool:
        return bool(self.values)

    def build(self, source: str) -> RawRecord:
        data = {name: "\n".join(lines).strip() for name, lines in self.values.items()}
        data = {name: value for name, value in data.items() if value}
        return RawRecord(
            data=data, source=source, line=self.line, field_lines=self.field_lines, redact=tuple(self.redact)
        )


def read_text_view(text: str, source: str) -> Iterator[RawRecord]:
    """One raw record per submission in the file."""
    builder: _Builder | None = None
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        title = TITLE_LINE.search(line) if not match_line(line) else None
        if title:
            if builder is not None and builder.has_fields():
                yield builder.build(source)
            builder = _Builder(number)
            builder.start("submission_number", title.group(1), number)
            builder.current = None
            continue
        if builder is None:
            if not line:
                continue
            builder = _Builder(number)
        if _HEADINGS.match(line) or _FOOTNOTE.match(line):  # form chrome ends the field before it
            builder.current = None
            continue
        found = match_line(line)
        if found:
            builder.start(found[0], found[1], number)
        else:
            builder.continue_with(line)
    if builder is not None and builder.has_fields():
        yield builder.build(source)
