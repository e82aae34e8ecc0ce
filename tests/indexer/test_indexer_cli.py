"""`pledges index` and `pledges show` end to end: the real CLI, the real model, the real embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from models.settings import Settings, get_settings
from search_api.cli import app

pytestmark = pytest.mark.slow


def run_cli(data_dir: Path, *args: str):
    """`pledges <args>` in-process, with PLEDGES_DATA_DIR pointing at `data_dir`."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PLEDGES_DATA_DIR", str(data_dir))
        env.setenv("PLEDGES_BACKEND", "embedded")
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, list(args), catch_exceptions=False)
        finally:
            get_settings.cache_clear()


@pytest.fixture(scope="session")
def indexed(tmp_path_factory, fixtures_dir: Path, repo_root: Path):
    """The fixtures and the bundled pledges indexed twice into a fresh store: (data_dir, first, second)."""
    data_dir = tmp_path_factory.mktemp("store")
    paths = [str(fixtures_dir), str(repo_root / "data" / "corpus" / "pledges.jsonl")]
    first = run_cli(data_dir, "index", *paths, "--no-progress")
    second = run_cli(data_dir, "index", *paths, "--no-progress", "--json")
    return data_dir, first, second


def test_index_lists_every_rejection_and_exits_non_zero(indexed) -> None:
    data_dir, first, _ = indexed
    assert first.exit_code == 1, first.output
    assert "read 41 = indexed 35 + unchanged 0 + rejected 6 (1 duplicate id(s) merged" in first.output
    assert "rejected 6" in first.output
    for line in (
        "broken_rows.csv:3 (sub-5102) [title] missing title",
        "broken_rows.csv:4 (sub-5103) [objectives] unknown objective 31",
        "broken_rows.csv:5 (sub-5104) [deadline] impossible date '31/13/2023'",
        "small.jsonl:3 malformed JSON",
        "empty.jsonl file is empty",
        "notes.xml unknown format",
    ):
        assert line in first.output
    rejects = data_dir / "rejects.jsonl"
    assert f"rejects file: {rejects}" in first.output
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 6


def test_reindexing_embeds_nothing_and_reports_every_record_unchanged(indexed) -> None:
    _, _, second = indexed
    report = json.loads(second.stdout)
    assert (report["read"], report["indexed"], report["unchanged"], report["rejected"]) == (41, 0, 35, 6)
    assert report["embedded"] == 0


def test_exit_code_is_zero_when_nothing_was_rejected(tmp_path: Path, fixtures_dir: Path) -> None:
    result = run_cli(tmp_path, "index", str(fixtures_dir / "views" / "envio_4103_es.txt"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["indexed"] == 1
    assert (tmp_path / "rejects.jsonl").read_text() == ""


def test_show_prints_the_stored_record_normalised(indexed) -> None:
    data_dir, _, _ = indexed
    result = run_cli(data_dir, "show", "sub-5101", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["countries"] == ["CHL"] and record["objectives"] == [15, 16]
    assert record["description"].endswith("A mobile team visits the hills twice a week.")
    assert "invented" not in result.stdout.lower()  # the submitter's name and e-mail columns
    table = run_cli(data_dir, "show", "syn-9001")
    assert table.exit_code == 0 and "SYNTHETIC" in table.output


def test_show_an_unknown_id_fails_with_a_clear_message(indexed) -> None:
    data_dir, _, _ = indexed
    result = run_cli(data_dir, "show", "sub-999999")
    assert result.exit_code == 1
    assert "No record with id 'sub-999999'" in result.output


def test_query_vector_is_closer_to_barranquilla_than_to_remittances(indexed, embedder) -> None:
    from search_api.backends.factory import create_backend

    data_dir, _, _ = indexed
    backend = create_backend(Settings(data_dir=data_dir, backend="embedded"))
    try:
        barranquilla = backend.get_vector("sub-2291")
        remittances = backend.get_vector("sub-5105")
        assert "Barranquilla" in backend.get("sub-2291").description
    finally:
        backend.close()
    query = embedder.encode_query("one-stop centre for migrants")
    assert float(np.dot(query, barranquilla)) > float(np.dot(query, remittances)) + 0.1


def test_seed_submission_2291_is_indexed_without_its_submitter(tmp_path: Path, shared_dir: Path) -> None:
    seed = shared_dir / "seeds" / "submission_2291_fr.txt"
    if not seed.exists():
        pytest.skip(f"{seed} is absent")
    indexed = run_cli(tmp_path, "index", str(seed), "--no-progress")
    assert indexed.exit_code == 0, indexed.output
    shown = run_cli(tmp_path, "show", "sub-2291", "--json")
    record = json.loads(shown.stdout)
    assert record["entity_type"] == "local_authority"
    assert "COL" in record["countries"] and "GLOBAL" in record["countries"]
    assert "Latin America and the Caribbean" in record["subregions"]
    assert record["objectives"] == [7, 15, 16, 23]
    assert len(record["principles"]) == 10 and record["language"] == "en"
    for text in (indexed.output, shown.output, (tmp_path / "rejects.jsonl").read_text()):
        assert "Pablo" not in text and "Mariani" not in text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"Mariani" not in path.read_bytes(), path


def test_english_text_view_without_term_ids_or_contact_data(tmp_path: Path, shared_dir: Path) -> None:
    sample = shared_dir / "data" / "webform_text_sample_en.txt"
    assert run_cli(tmp_path, "index", str(sample), "--no-progress").exit_code == 0
    shown = run_cli(tmp_path, "show", "sub-3107", "--json").stdout
    record = json.loads(shown)
    assert record["countries"] == ["KEN", "SOM", "ETH"]
    assert record["principles"] == ["people-centred", "human-rights", "gender-responsive", "whole-of-society"]
    for secret in ("s.person@example.org", "192.0.2.10", "S. Person", "0b5b6f4e", "(112)", "(738)"):
        assert secret not in shown
