"""GET /export: the whole result as CSV, not one page, streamed from the live server."""

from __future__ import annotations

import csv
import io

import httpx

COLUMNS = [
    "id",
    "collection",
    "title",
    "entity_name",
    "entity_type",
    "countries",
    "country_names",
    "regions",
    "objectives",
    "principles",
    "nature",
    "deadline",
    "language",
    "synthetic",
    "source_url",
    "description",
]


def export_rows(client: httpx.Client, params: list[tuple[str, str]]) -> tuple[httpx.Response, list[dict]]:
    response = client.get("/export", params=params)
    assert response.status_code == 200, response.text
    reader = csv.DictReader(io.StringIO(response.text))
    assert reader.fieldnames == COLUMNS
    return response, list(reader)


def test_export_holds_every_matching_record_not_one_page(client: httpx.Client) -> None:
    params = [("q", "migrants"), ("mode", "keyword"), ("size", "5"), ("page", "2")]
    total = client.get("/search", params=params).json()["total"]
    assert total > 10, "the fixture query must match more than a page"
    response, rows = export_rows(client, params)
    assert len(rows) == total
    assert len({row["id"] for row in rows}) == total
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and 'filename="pledges-' in disposition
    assert disposition.endswith('.csv"')


def test_export_under_filters_has_the_record_facts(client: httpx.Client) -> None:
    _, rows = export_rows(client, [("objective", "15"), ("country", "COL")])
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {"syn-api-01", "syn-api-12"}
    row = by_id["syn-api-01"]
    assert row["title"] == "One-stop centre for newly arrived migrants"
    assert row["objectives"] == "15; 16" and row["countries"] == "COL"
    assert row["synthetic"] == "true" and row["deadline"] == "2025-12-31"
    assert row["entity_type"] == "local_authority" and row["collection"] == "pledge"
    assert row["description"].startswith("The city opens a one-stop centre")


def test_export_of_an_empty_result_is_the_header_alone(client: httpx.Client) -> None:
    _, rows = export_rows(client, [("q", "zzzzqqqq"), ("mode", "keyword")])
    assert rows == []
