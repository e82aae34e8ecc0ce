"""PUT and DELETE /pledges/{id} with the API key against the live server; the key never reaches the log."""

from __future__ import annotations

import httpx

RECORD = {
    "title": "Community sponsorship of refugee families",
    "description": "Neighbourhood groups sponsor "
    "refugee families for their first year: housing, school enrolment and a mentor for job search.",
    "entity_name": "Sponsors Circle",
    "entity_type": "civil_society",
    "countries": ["NOR"],
    "objectives": [16],
    "synthetic": True,
}


def test_put_creates_then_replaces_and_delete_removes(client: httpx.Client, auth: dict) -> None:
    created = client.put("/pledges/syn-put-1", headers=auth, json=RECORD)
    assert created.status_code == 200, created.text
    assert created.json()["id"] == "syn-put-1" and created.json()["title"] == RECORD["title"]
    hits = client.get("/search", params={"q": "community sponsorship", "mode": "keyword"}).json()["hits"]
    assert hits[0]["id"] == "syn-put-1"

    replaced = client.put("/pledges/syn-put-1", headers=auth, json={**RECORD, "title": "Sponsorship circles"})
    assert replaced.status_code == 200, replaced.text
    assert client.get("/pledges/syn-put-1").json()["title"] == "Sponsorship circles"

    deleted = client.delete("/pledges/syn-put-1", headers=auth)
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get("/pledges/syn-put-1").status_code == 404
    assert client.delete("/pledges/syn-put-1", headers=auth).status_code == 404


def test_the_api_key_is_never_logged(client: httpx.Client, live_server, api_key: str) -> None:
    client.put("/pledges/syn-put-2", headers={"X-API-Key": "wrong-key-123"}, json=RECORD)
    client.delete("/pledges/syn-put-2", headers={"X-API-Key": api_key})
    log = live_server.log()
    assert api_key not in log and "wrong-key-123" not in log
