"""ui.api_client against the real API (the contract the UI relies on) and against servers that fail."""

from __future__ import annotations

import csv
import io

import pytest

from models.schemas import Filters, Pledge, SearchResponse
from ui.api_client import ApiClient, ApiError, ApiUnavailable


@pytest.fixture(scope="module")
def client(api_server):
    """A client of the live API."""
    api = ApiClient(api_server.url, timeout=60)
    yield api
    api.close()


@pytest.mark.slow
def test_search_answers_the_shared_schema_with_marked_snippets_and_labelled_facets(client: ApiClient) -> None:
    result = client.search("one-stop centre for migrants", filters=Filters(objective=[15]), lang="fr")
    assert isinstance(result, SearchResponse)
    assert (
        result.total
        == len(
            client.export_csv("one-stop centre for migrants", "hybrid", Filters(objective=[15]))
            .decode()
            .strip()
            .splitlines()
        )
        - 1
    )
    assert any("<mark>" in hit.snippet for hit in result.hits)
    assert all(15 in hit.objectives for hit in result.hits)
    objective = next(f for f in result.facets if f.name == "objective")
    assert any(v.value == "15" and v.selected for v in objective.values)
    assert "sub-2291" in [hit.id for hit in result.hits]


@pytest.mark.slow
def test_pledge_similar_taxonomy_and_facets(client: ApiClient) -> None:
    pledge = client.pledge("sub-2291")
    assert isinstance(pledge, Pledge) and "COL" in pledge.countries
    similar = client.similar("sub-2291", k=3, other_countries=True)
    assert similar.data and all("COL" not in hit.countries for hit in similar.data)
    assert all(hit.reasons for hit in similar.data)
    assert {t.code: t.short for t in client.taxonomy("es").objectives}["15"] == "Servicios básicos"
    facets = {f.name: f for f in client.facets(lang="en")}
    assert sum(v.count for v in facets["collection"].values) == client.ready()["count"]


@pytest.mark.slow
def test_export_is_the_whole_result_as_csv(client: ApiClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.export_csv("", "hybrid", Filters(country=["COL"])).decode())))
    total = client.search("", filters=Filters(country=["COL"]), size=1).total
    assert len(rows) == total > 10
    assert all("COL" in row["countries"] for row in rows)


@pytest.mark.slow
def test_an_unknown_id_is_an_api_error_with_the_api_s_code(client: ApiClient) -> None:
    with pytest.raises(ApiError) as caught:
        client.pledge("no-such-pledge")
    assert caught.value.status == 404 and caught.value.code == "not_found"
    with pytest.raises(ApiError) as caught:
        client.search("x", filters=Filters.model_construct(objective=[31]))
    assert caught.value.status == 422


def test_a_closed_port_is_api_unavailable(closed_api_url: str) -> None:
    with pytest.raises(ApiUnavailable) as caught:
        ApiClient(closed_api_url, timeout=2).search("x")
    assert caught.value.url == closed_api_url


def test_an_api_that_never_answers_is_api_unavailable_after_the_timeout(hung_api_url: str) -> None:
    with pytest.raises(ApiUnavailable) as caught:
        ApiClient(hung_api_url, timeout=0.5).search("x")
    assert "0.5 s" in caught.value.reason
