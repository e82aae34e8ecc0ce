"""CSV exports of the pledge webform: a header row of the form's question labels, one submission per row.

Rows are numbered as a spreadsheet shows them (header = row 1), so a quoted description with line breaks still
counts as one row. Personal-data columns are recognised and dropped here, before anything else sees them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from indexer.errors import SourceError
from indexer.sources.base import RawRecord, is_empty_value
from indexer.sources.labels import match_header
from models.limits import MAX_CSV_CELL_CHARS
from models.schemas import Rejection


def sniff_delimiter(first_line: str) -> str:
    """`,` unless the header is clearly separated by `;` (French Excel) or tabs."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_fields(header: list[str]) -> list[str | None]:
    """The field each column holds, None for columns we do not know."""
    return [match_header(cell) for cell in header]


def _next_row(reader: Iterator[list[str]]) -> list[str]:
    """The next row, with the cell cap in force. The cap is the csv module's one global setting, which other
    libraries change when they are imported (frictionless, under hdx-python-country, lifts it to 2 GB), so it
    is set again before every row rather than once at import."""
    csv.field_size_limit(MAX_CSV_CELL_CHARS)
    return next(reader)


class _Lines:
    """The file's physical lines for the csv reader, with the position exposed: after a row that went wrong
    across several lines, reading starts again at the line after its first."""

    def __init__(self, text: str) -> None:
        self.lines = io.StringIO(text, newline="").readlines()  # split at \n, \r\n and \r only, as csv does
        self.pos = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def read_csv(text: str, source: str) -> Iterator[RawRecord | Rejection]:
    """One raw record per data row. A row that cannot be read (a cell over MAX_CSV_CELL_CHARS) or whose cell
    count differs from the header's is rejected alone and counted, and reading goes on. A stray quote makes the
    csv module read on, across line breaks, to the next quote: the row comes out with too few cells and the
    lines it swallowed are read again as rows of their own."""
    first_line = text.split("\n", 1)[0]
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=sniff_delimiter(first_line))
    try:
        header = _next_row(reader)
    except StopIteration:
        raise SourceError("file is empty") from None
    except csv.Error as exc:
        raise SourceError(f"unreadable CSV header: {exc}", line=1) from None
    fields = header_fields(header)
    known = {f for f in fields if f and not f.startswith("_")}
    if not known & {"title", "description"}:
        raise SourceError("unknown format: the CSV header names neither a title nor a description column", line=1)
    row_number = 1
    rows = 0
    while True:
        start = lines.pos
        try:
            cells = _next_row(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_number += 1
            rows += 1
            yield Rejection(source=source, line=row_number, reason=f"malformed CSV row: {_csv_error(exc)}")
            continue
        row_number += 1
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        extra = len(cells) > len(header) and any(c.strip() for c in cells[len(header) :])
        if extra or len(cells) < len(header):
            yield Rejection(
                source=source,
                line=row_number,
                reason=f"row has {len(cells)} cells but the header has {len(header)} "
                "(a stray quote or separator shifts the cells)",
            )
            if lines.pos - start > 1:  # resynchronise: the lines this row swallowed are rows of their own
                lines.pos = start + 1
            continue
        yield _record(cells, fields, source, row_number)
    if rows == 0:
        raise SourceError("0 records: the CSV has a header row and no data rows")


def _csv_error(exc: csv.Error) -> str:
    """The csv module's message, with the cap in words."""
    message = str(exc)
    if "field larger than field limit" in message:
        return f"a cell is longer than {MAX_CSV_CELL_CHARS:,} characters"
    return message


def _record(cells: list[str], fields: list[str | None], source: str, row: int) -> RawRecord:
    data: dict[str, str] = {}
    redact: list[str] = []
    for name, cell in zip(fields, cells, strict=False):
        if name is None or name == "_ignored" or is_empty_value(cell):
            continue
        if name == "_pii":
            redact.append(cell.strip())
            continue
        data.setdefault(name, cell)
    return RawRecord(data=data, source=source, line=row, redact=tuple(redact))
