"""`pledges eval-tagger` on a small fixture of invented records: the table with every method, real records
apart, and the same figures as JSON (vectors from the real model)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from search_api.cli import app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tagger" / "declared.jsonl"


@pytest.fixture
def real_vectors(monkeypatch, embedder):
    """The session's model stands in for the one the command would load (the same weights)."""
    from indexer.text import embedding_text
    from search_api.cli import tagger_cmd

    def vectors(records):
        return np.asarray(embedder.encode_documents([embedding_text(p) for p in records]), dtype=np.float32)

    monkeypatch.setattr(tagger_cmd, "_vectors", vectors)


def test_eval_tagger_prints_its_table_with_the_baseline_and_real_records_apart(real_vectors) -> None:
    result = CliRunner().invoke(app, ["eval-tagger", str(FIXTURE), "--folds", "3"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Objective suggestions, 3-fold" in out and "12 records, 4 real" in out
    assert all(len(line) <= 80 for line in out.splitlines())  # fits a plain terminal, nothing cut
    for word in (
        "centroid",
        "profiles",
        "tagger",
        "real",
        "syn. fr",
        "syn. es",
        "micro-F1",
        "P@1",
        "P@3",
        "Recall per objective",
        "Calibration",
    ):
        assert word in out


def test_eval_tagger_json_has_every_measure_per_method_and_subset(real_vectors) -> None:
    result = CliRunner().invoke(
        app, ["eval-tagger", str(FIXTURE), "--folds", "3", "--methods", "centroid,tagger", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {(r["method"], r["subset"]): r for r in data["rows"]}
    assert {("centroid", "real"), ("tagger", "real"), ("tagger", "all")} <= set(rows)
    assert rows["tagger", "real"]["records"] == 4 and rows["tagger", "all"]["records"] == 12
    for row in rows.values():
        assert all(0.0 <= row[m] <= 1.0 for m in ("P@1", "P@3", "precision", "recall", "micro-F1"))
    assert rows["tagger", "all"]["P@1"] >= 0.75  # clear texts: the profiles alone carry most of them
    assert [r["objective"] for r in data["per_objective"]] == list(range(1, 24))


def test_eval_tagger_refuses_an_unknown_method() -> None:
    result = CliRunner().invoke(app, ["eval-tagger", str(FIXTURE), "--methods", "magic"])
    assert result.exit_code == 2 and "magic" in result.output
