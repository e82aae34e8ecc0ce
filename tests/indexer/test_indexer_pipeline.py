"""The pipeline's outcomes per record, through the real model, into an in-memory sink (the engine's own
end-to-end path is in test_indexer_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from indexer.pipeline import index_bytes, index_paths
from indexer.text import embedding_text

EXPECTED_REJECTIONS = {
    ("broken_rows.csv", 3, "title", "missing title"),
    ("broken_rows.csv", 4, "objectives", "unknown objective 31"),
    ("broken_rows.csv", 5, "deadline", "impossible date '31/13/2023'"),
    ("small.jsonl", 3, None, "malformed JSON: Expecting ',' delimiter (column 53)"),
    ("empty.jsonl", None, None, "file is empty"),
    ("notes.xml", None, None, "unknown format: not JSON Lines, a CSV webform export or a webform text view"),
}


def _rejections(report) -> set:
    return {(Path(r.source).name, r.line, r.field, r.reason) for r in report.rejections}


def test_good_records_indexed_and_exactly_the_broken_ones_rejected_in_memory_sink(
    fixtures_dir: Path, sink, cached_embedder, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.jsonl"
    report = index_paths([fixtures_dir], sink, cached_embedder, rejects_path=rejects, batch_size=4)
    assert _rejections(report) == EXPECTED_REJECTIONS
    assert set(sink.records) == {
        "sub-5101",
        "sub-5105",
        "sub-5106",
        "pledge-test-diaspora-bond",
        "practice-test-library",
        "syn-9001",
        "sub-4102",
        "sub-4103",
    }
    assert (report.read, report.indexed, report.unchanged, report.rejected) == (14, 8, 0, 6)
    assert report.read == report.indexed + report.unchanged + report.rejected
    assert report.merged == 1  # sub-4102 read from its French and its English view
    assert report.embedded == 8 and report.chunks >= 8
    assert sink.transactions == 2  # 8 records in batches of 4, one upsert each
    lines = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert {(Path(o["file"]).name, o["line"], o["field"], o["reason"]) for o in lines} == EXPECTED_REJECTIONS
    assert all(set(o) == {"file", "line", "record_id", "field", "reason"} for o in lines)
    assert next(o for o in lines if o["line"] == 4)["record_id"] == "sub-5103"


def test_reindexing_the_same_files_embeds_nothing_in_memory_sink(fixtures_dir: Path, sink, cached_embedder) -> None:
    index_paths([fixtures_dir], sink, cached_embedder, rejects_path=None)
    again = index_paths([fixtures_dir], sink, cached_embedder, rejects_path=None)
    assert (again.indexed, again.unchanged, again.embedded, again.rejected) == (0, 8, 0, 6)


def test_a_changed_record_is_reindexed_and_only_its_text_embedded_in_memory_sink(
    tmp_path: Path, sink, cached_embedder
) -> None:
    path = tmp_path / "two.jsonl"
    records = [
        {
            "id": "p1",
            "title": "Language courses",
            "description": "Free courses for newcomers.",
            "language": "en",
        },
        {
            "id": "p2",
            "title": "Legal aid desk",
            "description": "Lawyers advise migrants weekly.",
            "language": "en",
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    index_paths([path], sink, cached_embedder, rejects_path=None)
    records[1]["objectives"] = [7]  # a fact changes, the text does not: re-stored, served from the cache
    records[0]["description"] = "Free evening courses for newcomers."
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    report = index_paths([path], sink, cached_embedder, rejects_path=None)
    assert (report.indexed, report.unchanged, report.embedded) == (2, 0, 1)
    assert sink.records["p2"].pledge.objectives == [7]


def test_the_french_and_english_views_of_one_submission_are_one_record_in_memory_sink(
    fixtures_dir: Path, sink, cached_embedder
) -> None:
    views = fixtures_dir / "views"
    report = index_paths(
        [views / "submission_4102_fr.txt", views / "submission_4102_en.txt"],
        sink,
        cached_embedder,
        rejects_path=None,
    )
    assert (report.read, report.indexed, report.merged, report.embedded) == (1, 1, 1, 1)
    assert list(sink.records) == ["sub-4102"]


def test_an_uploaded_file_is_indexed_from_its_bytes_in_memory_sink(fixtures_dir: Path, sink, cached_embedder) -> None:
    data = (fixtures_dir / "views" / "envio_4103_es.txt").read_bytes()
    report = index_bytes(data, "upload.txt", sink, cached_embedder)
    assert (report.read, report.indexed, report.rejected) == (1, 1, 0)
    stored = sink.records["sub-4103"]
    assert stored.pledge.language == "es" and stored.pledge.countries == ["ECU"]
    assert stored.vector.shape == (384,) and abs(float(np.linalg.norm(stored.vector)) - 1.0) < 1e-5


def test_embedding_text_is_title_description_and_entity() -> None:
    from models.schemas import Pledge

    pledge = Pledge(id="x", title="T", description="D", entity_name="E")
    assert embedding_text(pledge) == "T\n\nD\n\nE"


def test_cache_sends_only_new_texts_to_the_model(cached_embedder) -> None:
    first = cached_embedder.encode_documents(["a one-stop centre", "a remittance corridor", "a one-stop centre"])
    assert cached_embedder.misses == 2
    second = cached_embedder.encode_documents(["a remittance corridor"])
    assert cached_embedder.misses == 2
    np.testing.assert_allclose(second[0], first[1])


def test_a_rejection_points_at_the_line_of_the_offending_field_in_memory_sink(sink, cached_embedder) -> None:
    view = (
        b"Submission #5\nName of the pledge: Desk\nCountry of implementation: Kenya\n"
        b"Other country of implementation: Atlantis\nPlease describe the pledge: A desk.\n"
    )
    report = index_bytes(view, "view.txt", sink, cached_embedder)
    assert [(r.line, r.record_id, r.field, r.reason) for r in report.rejections] == [
        (4, "sub-5", "countries", "unknown country 'Atlantis'")
    ]
    assert (report.read, report.rejected, report.embedded) == (1, 1, 0)
