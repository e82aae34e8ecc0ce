"""After DELETE, the deleted record's text is in no file of the embedded store (issue 13, item 4): the delete
rewrites the segments that held it, instead of leaving the text there until a merge happens to run."""

from __future__ import annotations

import secrets
from pathlib import Path

import numpy as np

from models.schemas import Pledge, SearchRequest
from models.settings import Settings
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend
from search_api.service import SearchService

DIM = 8


def _record(i: int, description: str) -> StoredRecord:
    pledge = Pledge(id=f"syn-purge-{i}", title=f"Purge record {i}", description=description, countries=["NOR"])
    vector = np.random.default_rng(i).normal(size=DIM).astype(np.float32)
    return StoredRecord(pledge, vector / np.linalg.norm(vector), f"hash{i}")


def _marker() -> str:
    """A random run of capitals: no 4-byte sequence of it is likely anywhere else in the store, so the store's
    compression keeps it as literal bytes that a byte search finds."""
    return "".join(secrets.choice("BCDFGHJKLMNPQRSTVWXZ") for _ in range(64))


def _files_holding(root: Path, marker: str) -> list[str]:
    """Files under `root` holding any 16-character piece of `marker`."""
    pieces = [marker[i : i + 16].encode() for i in range(0, len(marker), 16)]
    return [
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and any(piece in p.read_bytes() for piece in pieces)
    ]


def test_the_deleted_text_is_in_no_store_file_and_its_segment_mates_survive(tmp_path: Path) -> None:
    marker = _marker()
    email = f"private.{_marker()[:12].lower()}@example.org"
    backend = EmbeddedBackend(tmp_path, DIM, "test-model")
    try:
        backend.upsert([_record(i, f"Language courses for newcomers, group {i}.") for i in range(4)])
        backend.upsert([_record(10, f"Secret text {marker} {email}"), _record(11, "Legal aid desk for migrants.")])
        backend.upsert([_record(12, "Night shelter with forty beds.")])
        assert _files_holding(tmp_path, marker), "the test needs the text to be in the store before the delete"

        assert backend.delete(["syn-purge-10"]) == 1

        assert _files_holding(tmp_path, marker) == [] and _files_holding(tmp_path, email) == []
        assert backend.get("syn-purge-10") is None
        survivors = backend.store.get_many([f"syn-purge-{i}" for i in (0, 1, 2, 3, 11, 12)])
        assert len(survivors) == 6 and survivors["syn-purge-11"].description == "Legal aid desk for migrants."
        hits = backend.search(SearchRequest(q="legal aid desk", mode="keyword"), None).hits
        assert [h.id for h in hits] == ["syn-purge-11"]
        np.testing.assert_allclose(backend.get_vector("syn-purge-11"), _record(11, "x").vector)
    finally:
        backend.close()


def test_a_delete_through_the_service_leaves_nothing_in_the_data_dir(tmp_path: Path) -> None:
    marker = _marker()
    backend = EmbeddedBackend(tmp_path / "store", DIM, "test-model")
    service = SearchService(Settings(data_dir=tmp_path), backend=backend, embedder=object())
    try:
        backend.upsert([_record(1, f"Text to forget {marker}"), _record(2, "Text to keep.")])
        service.delete("syn-purge-1")
        assert _files_holding(tmp_path, marker) == []
        assert service.get("syn-purge-2").description == "Text to keep."
    finally:
        service.close()
