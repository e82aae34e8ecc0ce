"""GET /pledges/{id} and /pledges/{id}/similar against the live server."""

from __future__ import annotations

import httpx


def test_get_returns_the_normalised_record(client: httpx.Client) -> None:
    response = client.get("/pledges/syn-api-01")
    assert response.status_code == 200, response.text
    record = response.json()
    assert record["id"] == "syn-api-01"
    assert record["title"] == "One-stop centre for newly arrived migrants"
    assert record["countries"] == ["COL"] and record["entity_type"] == "local_authority"
    assert record["synthetic"] is True


def test_similar_excludes_the_record_itself_and_gives_reasons(client: httpx.Client) -> None:
    response = client.get("/pledges/syn-api-01/similar", params={"k": 5})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == "syn-api-01"
    found = [hit["id"] for hit in body["data"]]
    assert body["count"] == len(found) and 0 < len(found) <= 5
    assert "syn-api-01" not in found
    similarities = [hit["similarity"] for hit in body["data"]]
    assert similarities == sorted(similarities, reverse=True)
    assert all(hit["reasons"] for hit in body["data"])
    shared = {hit["id"]: hit["shared_objectives"] for hit in body["data"]}
    if "syn-api-12" in shared:
        assert shared["syn-api-12"] == [15]


def test_similar_from_other_countries_only(client: httpx.Client) -> None:
    body = client.get("/pledges/syn-api-01/similar", params={"k": 10, "other_countries": "true"}).json()
    assert body["data"], body
    assert all("COL" not in hit["countries"] for hit in body["data"])


def test_similar_from_other_entities_under_filters(client: httpx.Client) -> None:
    params = [("k", "10"), ("other_entities", "true"), ("objective", "6"), ("lang", "fr")]
    body = client.get("/pledges/syn-api-04/similar", params=params).json()
    found = {hit["id"] for hit in body["data"]}
    assert found <= {"syn-api-05", "syn-api-24"} and found, body
