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
from models.schemas import Rejection

csv.field_size_limit(10_000_000)


def sniff_delimiter(first_line: str) -> str:
    """`,` unless the header is clearly separated by `;` (French Excel) or tabs."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_fields(header: list[str]) -> list[str | None]:
    """The field each column holds, None for columns we do not know."""
    return [match_header(cell) for cell in header]


def read_csv(text: str, source: str) -> Iterator[RawRecord | Rejection]:
    """One raw record per data row; a row with too many cells is rejected, the others still read."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError("file is empty") from None
    except csv.Error as exc:
        raise SourceError(f"unreadable CSV header: {exc}", line=1) from None
    fields = header_fields(header)
    known = {f for f in fields if f and not f.startswith("_")}
    if not known & {"title", "description"}:
        raise SourceError(
            "unknown format: the CSV header names neither a title nor a description column", line=1
        )
    row_number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Rejection(source=source, line=row_number + 1, reason=f"malformed CSV row: {exc}")
            return
        row_number += 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            yield Rejection(
                source=source,
                line=row_number,
                reason=f"row has {len(cells)} cells but the header has {len(header)}",
            )
            continue
        yield _record(cells, fields, source, row_number)


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
