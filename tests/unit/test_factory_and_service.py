"""Engine selection with its messages, and the service's promises (no model for keyword or blank queries)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from models.embedder import Embedder
from models.schemas import Filters, Pledge, SearchRequest
from models.settings import Settings
from search_api.backends.base import BackendError, StoredRecord, StoreMismatch
from search_api.backends.embedded import EmbeddedBackend
from search_api.backends.factory import create_backend
from search_api.service import NotFound, SearchService


def settings(tmp_path, **values) -> Settings:
    return Settings(data_dir=tmp_path, **values)


def test_the_default_engine_is_embedded_under_the_data_dir(tmp_path):
    backend = create_backend(settings(tmp_path))
    assert isinstance(backend, EmbeddedBackend) and backend.embedding_model == "all-MiniLM-L6-v2"
    assert (tmp_path / "embedded" / "meta.json").exists()


def test_an_unknown_engine_names_the_choices(tmp_path):
    with pytest.raises(BackendError, match="embedded, opensearch"):
        create_backend(settings(tmp_path, backend="elastic"))


def test_opensearch_without_its_client_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "opensearchpy", None)  # the package made unimportable
    with pytest.raises(BackendError, match=r"pip install"):
        create_backend(settings(tmp_path, backend="opensearch", opensearch_url="http://127.0.0.1:9"))


def test_opensearch_without_an_address_says_which_setting(tmp_path):
    with pytest.raises(BackendError, match="PLEDGES_OPENSEARCH_URL"):
        create_backend(settings(tmp_path, backend="opensearch"))


def test_a_store_built_with_another_model_is_refused_with_both_names(tmp_path):
    create_backend(settings(tmp_path), dimension=384)
    with pytest.raises(StoreMismatch) as info:
        create_backend(settings(tmp_path, embedding_model="paraphrase-multilingual-MiniLM-L12-v2"))
    assert "all-MiniLM-L6-v2" in str(info.value) and "paraphrase-multilingual" in str(info.value)


@pytest.fixture
def service(tmp_path) -> SearchService:
    backend = create_backend(settings(tmp_path), dimension=384)
    rng = np.random.default_rng(0)
    records = []
    for i, (title, country) in enumerate([("Shelter for migrants", "COL"), ("Remittance costs", "PHL")]):
        vector = rng.normal(size=384).astype(np.float32)
        pledge = Pledge(id=f"p{i}", title=title, description=f"{title} described.", countries=[country])
        records.append(StoredRecord(pledge, vector / np.linalg.norm(vector), f"h{i}"))
    backend.upsert(records)
    return SearchService(settings(tmp_path), backend=backend, embedder=Embedder())


def test_keyword_and_blank_searches_never_load_the_model(service):
    assert service.search(SearchRequest(q="shelter", mode="keyword")).hits[0].id == "p0"
    assert service.search(SearchRequest(q="", mode="hybrid")).total == 2
    assert [f.name for f in service.facets(Filters(country=["COL"]))][0] == "collection"
    assert service.get("p1").title == "Remittance costs"
    assert service.embedder._model is None


def test_unknown_ids_raise_not_found(service):
    with pytest.raises(NotFound):
        service.get("nope")
    with pytest.raises(NotFound):
        service.delete("nope")
    with pytest.raises(NotFound):
        service.similar("nope")


def test_ready_names_the_engine_count_and_model(service):
    assert service.ready() == {"backend": "embedded", "health": "green", "count": 2, "model": "all-MiniLM-L6-v2"}
    service.delete("p0")
    assert service.ready()["count"] == 1


def test_put_embeds_through_the_cache_and_stores_the_record(service, tmp_path):
    from models.schemas import PledgeIn

    body = PledgeIn(
        title="Mobile clinics at the border",
        description="Clinics vaccinate children on the move.",
        countries=["VEN"],
    )
    stored = service.put("p9", body)
    assert stored.id == "p9" and service.get("p9") == stored
    hits = service.search(SearchRequest(q="vaccination clinics for children", mode="semantic")).hits
    assert hits[0].id == "p9"
    assert (tmp_path / "embeddings.sqlite").exists()


def test_rebuild_is_refused_on_the_embedded_engine(tmp_path, monkeypatch):
    """`pledges index --rebuild` is OpenSearch's (index generations behind an alias): on the embedded engine it
    exits 2, saying what to do instead, and the service refuses it too; nothing is indexed."""
    from typer.testing import CliRunner

    from models.settings import get_settings
    from search_api.cli import app
    from search_api.service import RebuildUnsupported

    monkeypatch.setenv("PLEDGES_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PLEDGES_BACKEND", "embedded")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["index", "--rebuild", "--no-progress"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "--rebuild is for the OpenSearch engine" in " ".join(result.output.split())
    assert not (tmp_path / "embedded").exists()
    with pytest.raises(RebuildUnsupported, match="no index generations"):
        SearchService(settings(tmp_path), embedder=Embedder()).rebuild_paths([tmp_path])
