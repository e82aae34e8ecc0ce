"""`pledges search` and `pledges similar` through the real CLI on a real store (keyword mode: no model)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from models.schemas import Pledge, SearchResponse, SimilarResponse
from models.settings import get_settings
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend
from search_api.cli import app

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "contract_corpus.jsonl"


@pytest.fixture
def store(tmp_path, monkeypatch):
    records = [Pledge.model_validate(json.loads(line)) for line in CORPUS.read_text().splitlines()]
    rng = np.random.default_rng(0)
    backend = EmbeddedBackend(tmp_path / "embedded", 384, "all-MiniLM-L6-v2")
    vectors = rng.normal(size=(len(records), 384)).astype(np.float32)
    backend.upsert([StoredRecord(p, v / np.linalg.norm(v), p.id) for p, v in zip(records, vectors, strict=True)])
    monkeypatch.setenv("PLEDGES_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_search_prints_a_table_with_synthetic_records_marked(store):
    result = run("search", "remittances", "--mode", "keyword")
    assert result.exit_code == 0, result.output
    assert "Cheaper and faster remittances home" in result.output and "SYNTHETIC" in result.output
    assert "result(s) for 'remittances' (keyword)" in result.output


def test_search_json_is_a_search_response_and_filters_combine(store):
    result = run("search", "", "--json", "-f", "objective=15", "-f", "country=col")
    assert result.exit_code == 0, result.output
    response = SearchResponse.model_validate_json(result.output)
    assert response.total == 4 and {h.id for h in response.hits} == {"fx-01", "fx-03", "fx-09", "fx-22"}


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("colour=red", "Unknown filter field 'colour'"),
        ("objective=abc", "Bad filter value"),
        ("country", "FIELD=VALUE"),
    ],
)
def test_bad_filters_exit_2_with_a_clear_message(store, arg, message):
    result = run("search", "x", "--mode", "keyword", "-f", arg)
    assert result.exit_code == 2 and message in result.output


def test_similar_lists_neighbours_with_reasons(store):
    result = run("similar", "fx-01", "--k", "3", "--json")
    assert result.exit_code == 0, result.output
    response = SimilarResponse.model_validate_json(result.output)
    assert response.count == 3 and "fx-01" not in [h.id for h in response.data]
    missing = run("similar", "fx-nope")
    assert missing.exit_code == 1 and "fx-nope" in missing.output
