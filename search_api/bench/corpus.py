"""Benchmark corpora of any size, grown from the real records without embedding anything new.

How a record of the synthetic corpus is made from the base records (the shared data's 478 records, or the
bundled corpus when the shared folder is absent):
- text: the sentences of one base record, shuffled, plus one or two sentences of other base records in the
  same language; its title is that record's title;
- facets: each facet (countries with their regions, objectives, principles, entity type, nature, dates) is
  taken from an independently drawn base record, so each facet keeps its real distribution;
- vector: the base record's embedding plus Gaussian noise (cosine about 0.9 to the original), re-normalised.
Only the base records are embedded, once, through the embedding cache.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.schemas import Pledge
from search_api.backends.base import StoredRecord

NOISE_SIGMA = 0.025  # per dimension, 384 dims: noise norm about 0.49, cosine to the original about 0.9
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Base:
    """The real (and shared synthetic) records a benchmark corpus is grown from, with their vectors."""

    records: list[Pledge]
    vectors: np.ndarray
    source: str


def base_paths() -> tuple[list[Path], str]:
    """The shared data's three files when present, else the bundled corpus."""
    root = Path(__file__).resolve().parents[2]
    shared = root.parent / "shared" / "data"
    files = [shared / name for name in ("pledges.jsonl", "practices.jsonl", "synthetic_pledges.jsonl")]
    if all(f.exists() for f in files):
        return files, str(shared)
    bundled = root / "data" / "corpus"
    return sorted(bundled.glob("*.jsonl")), str(bundled)


def load_base(embedder) -> Base:
    """Normalise the base files and embed their texts (cache hits after the first run)."""
    from indexer.normalise import normalise_record
    from indexer.sources import RawRecord, read_paths
    from indexer.text import embedding_text

    paths, source = base_paths()
    records: dict[str, Pledge] = {}
    for item in read_paths(paths):
        if isinstance(item, RawRecord):
            try:
                pledge = normalise_record(item.data, item.source, item.line, redact=item.redact)
            except Exception:  # noqa: BLE001 - a record the indexer rejects is simply not a base record
                continue
            records[pledge.id] = pledge
    base = list(records.values())
    vectors = np.asarray(embedder.encode_documents([embedding_text(p) for p in base]), dtype=np.float32)
    return Base(base, vectors, source)


def sentences(text: str) -> list[str]:
    """A description cut into sentences."""
    return [s for s in _SENTENCE.split(text.strip()) if s]


class Synthesiser:
    """Deterministic generator of benchmark records from a `Base`."""

    def __init__(self, base: Base, seed: int = 0) -> None:
        self.base = base
        self.seed = seed
        self.by_language: dict[str, list[str]] = {}
        for p in base.records:
            self.by_language.setdefault(p.language, []).extend(sentences(p.description))

    def record(self, i: int, rng: random.Random, np_rng: np.random.Generator) -> StoredRecord:
        """Record number `i` of a synthetic corpus."""
        records = self.base.records
        k = rng.randrange(len(records))
        origin = records[k]
        text = sentences(origin.description)
        rng.shuffle(text)
        pool = self.by_language.get(origin.language) or text
        text += rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        place, goals, kind, when = (records[rng.randrange(len(records))] for _ in range(4))
        pledge = origin.model_copy(
            update={
                "id": f"bench-{i:07d}",
                "description": " ".join(text),
                "synthetic": True,
                "countries": place.countries,
                "regions": place.regions,
                "subregions": place.subregions,
                "objectives": goals.objectives,
                "principles": goals.principles,
                "entity_type": kind.entity_type,
                "entity_name": kind.entity_name,
                "nature": kind.nature,
                "deadline": when.deadline,
                "submitted": when.submitted,
                "collection": kind.collection,
            }
        )
        vector = self.base.vectors[k] + np_rng.normal(0.0, NOISE_SIGMA, self.base.vectors.shape[1])
        vector = (vector / np.linalg.norm(vector)).astype(np.float32)
        return StoredRecord(pledge, vector, f"bench-{self.seed}-{i}")

    def batches(self, count: int, size: int) -> Iterator[list[StoredRecord]]:
        """`count` records in batches of `size`, the same for the same seed."""
        rng = random.Random(self.seed)
        np_rng = np.random.default_rng(self.seed)
        for start in range(0, count, size):
            yield [self.record(i, rng, np_rng) for i in range(start, min(count, start + size))]
