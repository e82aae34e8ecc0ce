"""Embeddings cached on disk by (model name, sha256 of the text), so re-indexing embeds nothing it has seen.

A SQLite file beside the store: safe for several processes (WAL, busy timeout) and threads (one lock).
Only cache misses reach the model; `EmbedStats` count what it was actually asked to embed.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.text import text_hash

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_sha256)
) WITHOUT ROWID
"""
_LOOKUP_BATCH = 500


@dataclass
class EmbedStats:
    """What one caller's texts cost the model: a per-run tally, safe when several runs share the cache."""

    misses: int = 0  # texts sent to the model
    chunks: int = 0  # model windows those texts made (long texts are several)
    seconds: float = 0.0  # time spent in the model

    def add(self, other: EmbedStats) -> None:
        """Add another tally to this one."""
        self.misses += other.misses
        self.chunks += other.chunks
        self.seconds += other.seconds


class CachedEmbedder:
    """Wraps an `Embedder`: `encode_documents` serves known texts from the cache and embeds only the rest."""

    def __init__(self, embedder: Any, cache_path: Path) -> None:
        self.embedder = embedder
        self.model_name: str = embedder.model_name
        self.cache_path = Path(cache_path)
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.cache_path, timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._db.commit()
        self.stats = EmbedStats()  # everything this cache sent to the model, all callers together

    @property
    def misses(self) -> int:
        """Texts sent to the model so far (cache misses)."""
        return self.stats.misses

    @property
    def dimension(self) -> int:
        """Vector length: read from the cache when it knows this model, so the model need not be loaded."""
        with self._lock:
            row = self._db.execute("SELECT dim FROM embeddings WHERE model = ? LIMIT 1", (self.model_name,)).fetchone()
        return int(row[0]) if row else int(self.embedder.dimension)

    def encode_documents(self, texts: Sequence[str], stats: EmbedStats | None = None) -> np.ndarray:
        """One L2-normalised float32 vector per text, in order; `stats` tallies this call's model work."""
        keys = [text_hash(t) for t in texts]
        found = self._lookup(set(keys))
        todo: dict[str, str] = {}
        for k, text in zip(keys, texts, strict=True):
            if k not in found:
                todo.setdefault(k, text)
        if todo:
            found.update(self._embed(todo, stats))
        if not keys:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """Queries are short and cached in memory by the embedder itself."""
        return self.embedder.encode_query(text)

    def _lookup(self, keys: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        ordered = sorted(keys)
        with self._lock:
            for start in range(0, len(ordered), _LOOKUP_BATCH):
                part = ordered[start : start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT text_sha256, vector FROM embeddings WHERE model = ? AND text_sha256 IN ({marks})",
                    (self.model_name, *part),
                ).fetchall()
                for k, blob in rows:
                    found[k] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _embed(self, todo: dict[str, str], stats: EmbedStats | None) -> dict[str, np.ndarray]:
        texts = list(todo.values())
        started = time.perf_counter()
        if hasattr(self.embedder, "encode_documents_counted"):  # tokenises each text once, not twice
            vectors, chunks = self.embedder.encode_documents_counted(texts)
        else:
            chunks = sum(len(self.embedder.chunks(t)) for t in texts) if hasattr(self.embedder, "chunks") else 0
            vectors = self.embedder.encode_documents(texts)
        vectors = np.asarray(vectors, dtype=np.float32)
        tally = EmbedStats(len(texts), chunks or len(texts), time.perf_counter() - started)
        with self._lock:
            self.stats.add(tally)
        if stats is not None:
            stats.add(tally)
        rows = [(self.model_name, k, int(v.shape[0]), v.tobytes()) for k, v in zip(todo, vectors, strict=True)]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)
            self._db.commit()
        return {k: v for k, v in zip(todo, vectors, strict=True)}

    def close(self) -> None:
        """Close the cache file."""
        with self._lock:
            self._db.close()
