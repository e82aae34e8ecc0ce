"""Indexer test fixtures: an in-memory sink, fixture paths, a cache over the session's real model.

The in-memory sink stands in for a search engine only in tests named `..._in_memory_sink`; the end-to-end
tests in test_cli.py write through the real embedded engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "indexer"


class MemorySink:
    """A dict of records by id that satisfies the indexer's sink protocol, counting its transactions."""

    def __init__(self) -> None:
        self.records: dict[str, Any] = {}
        self.transactions = 0

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored hashes of the ids that exist."""
        return {i: self.records[i].content_hash for i in ids if i in self.records}

    def upsert(self, records: Sequence[Any]) -> None:
        """Store a batch (one 'transaction')."""
        self.transactions += 1
        for record in records:
            self.records[record.pledge.id] = record


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/fixtures/indexer: invented records only."""
    return FIXTURES


@pytest.fixture
def cached_embedder(tmp_path: Path, embedder):
    """A fresh embedding cache over the session's model."""
    from indexer.embedding_cache import CachedEmbedder

    cached = CachedEmbedder(embedder, tmp_path / "cache.sqlite")
    yield cached
    cached.close()


@pytest.fixture
def sink() -> MemorySink:
    """An empty in-memory sink."""
    return MemorySink()
