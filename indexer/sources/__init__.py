"""Readers of pledge files: JSON Lines, CSV webform exports and webform text views, files or folders.

The reader is chosen by extension and by sniffing the content; a file none of them understands, an empty file
or a binary file gives one rejection for the file, never a crash.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.errors import SourceError
from indexer.sources.base import RawRecord
from indexer.sources.csv_export import header_fields, read_csv, sniff_delimiter
from indexer.sources.jsonl import read_json_lines
from indexer.sources.webform_text import looks_like_text_view, read_text_view
from models.schemas import Rejection

__all__ = ["RawRecord", "detect_format", "iter_files", "read_bytes", "read_path", "read_paths"]

_JSON_EXT = {".jsonl", ".ndjson", ".json"}
_CSV_EXT = {".csv", ".tsv"}


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and every non-hidden file under folders named (sorted, recursively)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        else:
            yield path


_SAMPLE = 4096
_BINARY_SHARE = 0.1  # more control bytes than this in the first 4 KB: not text
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")


def decode(data: bytes) -> str:
    """Text of a file: UTF-16 (with a BOM, or without one when every other byte of ASCII text is zero, as
    "Unicode text" exports from Excel are), UTF-8 (BOM dropped), else Windows-1252 as spreadsheets write it.

    A file is refused as binary only when control bytes are a good share of its start: one stray NUL byte
    makes its line a rejection (the readers reject what holds one), not the whole file."""
    encoding = _utf16(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise SourceError("unknown format: not valid UTF-16 text") from None
    sample = data[:_SAMPLE]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if sample and controls > _BINARY_SHARE * len(sample):
        raise SourceError("unknown format: binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SourceError("unknown format: not UTF-8 text") from None


def _utf16(data: bytes) -> str | None:
    """'utf-16' for a file with a UTF-16 byte-order mark, 'utf-16-le'/'-be' for one without whose zero bytes
    fall on every odd (even) byte, else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def detect_format(text: str, filename: str) -> str | None:
    """'json', 'csv' or 'text' from the extension and the content; None when unknown."""
    ext = Path(filename).suffix.lower()
    first = text.lstrip()[:1]
    if ext in _JSON_EXT or (ext not in _CSV_EXT and first in ("{", "[")):
        return "json"
    if ext in _CSV_EXT or _looks_like_csv(text):
        return "csv"
    if looks_like_text_view(text):
        return "text"
    return None


def _looks_like_csv(text: str) -> bool:
    import csv

    first_line = text.split("\n", 1)[0]
    try:
        header = next(csv.reader([first_line], delimiter=sniff_delimiter(first_line)))
    except (csv.Error, StopIteration):
        return False
    known = [f for f in header_fields(header) if f]
    return len(header) >= 2 and len(known) >= 2


def read_bytes(data: bytes, source: str) -> Iterator[RawRecord | Rejection]:
    """Records of one file's content; `source` names it in rejections (and picks the reader by extension)."""
    try:
        text = decode(data)
        if not text.strip():
            raise SourceError("file is empty")
        kind = detect_format(text, source)
        if kind is None:
            raise SourceError("unknown format: not JSON Lines, a CSV webform export or a webform text view")
        reader = {"json": read_json_lines, "csv": read_csv, "text": read_text_view}[kind]
        yield from reader(text, source)
    except SourceError as exc:
        yield Rejection(source=source, line=exc.line, reason=exc.reason)


def read_path(path: Path) -> Iterator[RawRecord | Rejection]:
    """Records of one file or of every file under a folder."""
    for file in iter_files([path]):
        try:
            data = file.read_bytes()
        except OSError as exc:
            yield Rejection(source=str(file), reason=f"cannot read file: {exc.strerror or exc}")
            continue
        yield from read_bytes(data, str(file))


def read_paths(paths: Iterable[Path]) -> Iterator[RawRecord | Rejection]:
    """Records of several files or folders, in order."""
    for path in paths:
        if not path.exists():
            yield Rejection(source=str(path), reason="no such file or folder")
            continue
        yield from read_path(path)
