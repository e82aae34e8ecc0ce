"""Suggested objectives through the indexer and PUT: every record that declares none gets some, declared ones are
never repeated, and re-indexing the same file leaves every record unchanged (the real model embeds)."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.pipeline import index_paths
from models.schemas import PledgeIn

TAGGER_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tagger"


def test_indexing_suggests_objectives_for_practices_and_never_repeats_declared_ones_in_memory_sink(
    sink, cached_embedder
) -> None:
    report = index_paths([TAGGER_FIXTURES / "practices.jsonl"], sink, cached_embedder, rejects_path=None)
    assert (report.read, report.indexed, report.rejected) == (4, 4, 0)
    stored = {i: r.pledge for i, r in sink.records.items()}
    for pledge in stored.values():
        numbers = [s.objective for s in pledge.suggested_objectives]
        confidences = [s.confidence for s in pledge.suggested_objectives]
        assert len(numbers) <= 3 and confidences == sorted(confidences, reverse=True)
        assert not set(numbers) & set(pledge.objectives)
        if not pledge.objectives:
            assert numbers, f"{pledge.id} declares no objective and got no suggestion"
    first = {i: p.suggested_objectives[0].objective for i, p in stored.items() if not p.objectives}
    assert first == {"practice-test-one-stop": 15, "action-test-cours-de-langue": 16, "practice-test-trata": 10}
    assert stored["pledge-test-remittances"].objectives == [20]  # declared, kept as published


def test_reindexing_the_same_file_reports_every_record_unchanged_in_memory_sink(sink, cached_embedder) -> None:
    path = TAGGER_FIXTURES / "practices.jsonl"
    index_paths([path], sink, cached_embedder, rejects_path=None)
    before = {i: r.pledge.suggested_objectives for i, r in sink.records.items()}
    again = index_paths([path], sink, cached_embedder, rejects_path=None)
    assert (again.read, again.indexed, again.unchanged, again.embedded) == (4, 0, 4, 0)
    assert {i: r.pledge.suggested_objectives for i, r in sink.records.items()} == before


def test_suggestions_in_the_input_are_replaced_by_the_taggers_in_memory_sink(
    tmp_path: Path, sink, cached_embedder
) -> None:
    lines = (TAGGER_FIXTURES / "practices.jsonl").read_text(encoding="utf-8").splitlines()
    record = {**json.loads(lines[0]), "suggested_objectives": [{"objective": 8, "confidence": 1.0}]}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    index_paths([path], sink, cached_embedder, rejects_path=None)
    assert sink.records[record["id"]].pledge.suggested_objectives[0].objective == 15


def test_put_stores_the_taggers_suggestions_apart_from_the_declared_objectives(tmp_path: Path, embedder) -> None:
    from models.settings import Settings
    from search_api.service import SearchService

    service = SearchService(Settings(data_dir=tmp_path), embedder=embedder)
    try:
        body = PledgeIn(
            title="Atención a víctimas de trata",
            description="La alcaldía coordina un albergue, asistencia legal y capacitación a policías para "
            "identificar a las víctimas de trata de personas y de explotación sexual.",
            language="es",
            suggested_objectives=[{"objective": 2, "confidence": 0.99}],  # a client's guess is not kept
        )
        stored = service.put("syn-put-tagged", body)
        assert stored.suggested_objectives[0].objective == 10
        assert 2 not in [s.objective for s in stored.suggested_objectives]
        assert service.get("syn-put-tagged").suggested_objectives == stored.suggested_objectives
        declared = service.put("syn-put-declared", body.model_copy(update={"objectives": [10]}))
        assert declared.objectives == [10] and 10 not in [s.objective for s in declared.suggested_objectives]
    finally:
        service.close()
