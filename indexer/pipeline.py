"""Files -> records -> normalised pledges or rejections -> suggested objectives -> embeddings (cached) -> the
store, in batches.

Every record read ends in exactly one outcome: indexed (new or changed), unchanged (same content hash as
stored, not embedded again) or rejected (with file, line, field and reason). The report checks
read = indexed + unchanged + rejected. The same id read twice in one run (a submission's French and English
views) is one record: the later read wins and the earlier is counted in `merged`, not in `read`.

Every record gets its `suggested_objectives` from the objective tagger (models/tagger.py) before its content
hash is taken: the tagger is deterministic, so an unchanged record hashes the same and is skipped, and a new
tagger re-stores (without re-embedding) the records whose suggestions it changes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from indexer.embedding_cache import CachedEmbedder, EmbedStats
from indexer.errors import RecordError
from indexer.normalise import normalise_record
from indexer.privacy import scrub, split_pii
from indexer.progress import IndexProgress
from indexer.sources import RawRecord, read_bytes, read_paths
from indexer.text import content_hash, embedding_text
from models.limits import is_valid_id
from models.records import StoredRecord
from models.schemas import IndexReport, Pledge, Rejection
from models.tagger import ObjectiveTagger, default_tagger, suggest_for


class Sink(Protocol):
    """Where records go: any search backend satisfies it (the indexer never imports search_api)."""

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored hashes of those ids that exist."""
        ...

    def upsert(self, records: Sequence[StoredRecord]) -> None:
        """Store these records in one transaction."""
        ...


class RunReport(IndexReport):
    """An IndexReport plus what the CLI shows besides: merged duplicates, model windows, model time."""

    merged: int = 0
    chunks: int = 0
    embed_seconds: float = 0.0
    tag_seconds: float = 0.0
    rejects_path: str | None = None


def index_paths(
    paths: Sequence[Path],
    sink: Sink,
    embedder: Any,
    *,
    rejects_path: Path | None,
    progress: bool = False,
    batch_size: int = 64,
    tagger: ObjectiveTagger | None = None,
) -> RunReport:
    """Index files and folders (JSON Lines, CSV webform exports, webform text views) into `sink`."""
    return _run(read_paths(paths), sink, embedder, rejects_path, progress, batch_size, tagger)


def index_bytes(
    data: bytes,
    filename: str,
    sink: Sink,
    embedder: Any,
    *,
    rejects_path: Path | None = None,
    progress: bool = False,
    batch_size: int = 64,
    tagger: ObjectiveTagger | None = None,
) -> RunReport:
    """Index one uploaded file's content; `filename` picks the reader and names the file in rejections."""
    return _run(read_bytes(data, filename), sink, embedder, rejects_path, progress, batch_size, tagger)


def _run(
    items: Iterable[RawRecord | Rejection],
    sink: Sink,
    embedder: Any,
    rejects_path: Path | None,
    progress: bool,
    batch_size: int,
    tagger: ObjectiveTagger | None,
) -> RunReport:
    started = time.perf_counter()
    report = RunReport()
    stats = EmbedStats()
    with IndexProgress(enabled=progress) as bar:
        records, rejections, merged = _normalise_all(items, bar)
        report.merged = merged
        tagging = time.perf_counter()
        records = {i: with_suggestions(p, tagger) for i, p in records.items()}
        report.tag_seconds = round(time.perf_counter() - tagging, 3)
        bar.start_embedding(len(records))
        for batch in _batches(list(records.values()), batch_size):
            indexed, unchanged = _index_batch(batch, sink, embedder, stats)
            report.indexed += indexed
            report.unchanged += unchanged
            bar.advance(len(batch))
    report.rejections = rejections
    report.rejected = len(rejections)
    report.read = len(records) + len(rejections)
    report.embedded, report.chunks, report.embed_seconds = stats.misses, stats.chunks, round(stats.seconds, 3)
    if report.read != report.indexed + report.unchanged + report.rejected:
        raise AssertionError(f"index report does not add up: {report.model_dump(exclude={'rejections'})}")
    if rejects_path is not None:
        write_rejects(rejects_path, rejections)
        report.rejects_path = str(rejects_path)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _normalise_all(
    items: Iterable[RawRecord | Rejection], bar: IndexProgress
) -> tuple[dict[str, Pledge], list[Rejection], int]:
    """Every item normalised: pledges by id (the later of two with one id wins), and rejections."""
    records: dict[str, Pledge] = {}
    rejections: list[Rejection] = []
    merged = 0
    for item in items:
        bar.read_one()
        if isinstance(item, Rejection):
            rejections.append(item)
            continue
        try:
            pledge = normalise_record(item.data, item.source, item.line, redact=item.redact)
        except RecordError as exc:
            rejections.append(_rejection(item, exc))
            continue
        except (TypeError, ValueError, AttributeError) as exc:  # a shape no rule foresaw: still one outcome
            error = RecordError(None, f"unreadable record ({type(exc).__name__})")
            rejections.append(_rejection(item, error))
            continue
        if pledge.id in records:
            merged += 1
            del records[pledge.id]  # keep the order of the latest read
        records[pledge.id] = pledge
    return records, rejections, merged


def with_suggestions(pledge: Pledge, tagger: ObjectiveTagger | None = None) -> Pledge:
    """The record with the tagger's suggested objectives (never one it declares), replacing any it carried."""
    return pledge.model_copy(update={"suggested_objectives": suggest_for(pledge, tagger or default_tagger())})


def _rejection(item: RawRecord, exc: RecordError) -> Rejection:
    """The rejection of one record; its reason never quotes the personal data the record held, whether a
    reader set it aside (a form's name column) or it sat under a personal-data key of a JSON record."""
    line = item.line_of(exc.source_field)
    personal = [*item.redact, *split_pii(item.data)[1]]
    return Rejection(
        source=item.source,
        line=line,
        record_id=_guess_id(item.data),
        field=exc.field,
        reason=scrub(exc.reason, personal),
    )


def _guess_id(data: dict[str, Any]) -> str | None:
    """The record's id when it has a usable one (a rejected record's id may be anything: it is not quoted)."""
    number = data.get("submission_number")
    number = number.strip().lstrip("#") if isinstance(number, str) else str(number or "")
    if number.isdigit() and len(number) <= 18:
        return f"sub-{int(number)}"
    given = data.get("id")
    if isinstance(given, str) and is_valid_id(given.strip()):
        return given.strip()
    return None


def _index_batch(batch: list[Pledge], sink: Sink, embedder: Any, stats: EmbedStats) -> tuple[int, int]:
    """(indexed, unchanged) for one batch, written in one upsert (one transaction)."""
    hashes = {p.id: content_hash(p, embedder.model_name) for p in batch}
    stored = sink.content_hashes([p.id for p in batch])
    changed = [p for p in batch if stored.get(p.id) != hashes[p.id]]
    if changed:
        vectors = _encode(embedder, [embedding_text(p) for p in changed], stats)
        sink.upsert(
            [
                StoredRecord(p, np.asarray(v, dtype=np.float32), hashes[p.id])
                for p, v in zip(changed, vectors, strict=True)
            ]
        )
    return len(changed), len(batch) - len(changed)


def _batches(values: list[Pledge], size: int) -> Iterator[list[Pledge]]:
    for start in range(0, len(values), max(1, size)):
        yield values[start : start + size]


def _encode(embedder: Any, texts: list[str], stats: EmbedStats) -> np.ndarray:
    """Vectors through the cache (which tallies its misses), or straight from a plain embedder."""
    if isinstance(embedder, CachedEmbedder):
        return embedder.encode_documents(texts, stats=stats)
    started = time.perf_counter()
    vectors = embedder.encode_documents(texts)
    stats.add(EmbedStats(len(texts), len(texts), time.perf_counter() - started))
    return vectors


def write_rejects(path: Path, rejections: Sequence[Rejection]) -> None:
    """The rejects file, overwritten each run: one JSON object per rejection (file, line, record_id, field,
    reason). Reasons never quote personal data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for r in rejections:
            out.write(
                json.dumps(
                    {
                        "file": r.source,
                        "line": r.line,
                        "record_id": r.record_id,
                        "field": r.field,
                        "reason": r.reason,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
