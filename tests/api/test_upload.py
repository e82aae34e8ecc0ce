"""POST /index against the live server: a good file, the same file again, a CSV export, and searches that keep
answering while an upload indexes."""

from __future__ import annotations

import csv
import io
import json
import threading

import httpx

WEBFORM_COLUMNS = [
    "Submission Number",
    "Name of entity submitting the pledge",
    "Pledging entity",
    "Full name",
    "Email Address",
    "Country of implementation",
    "Other country of implementation",
    "Region of implementation",
    "Name of the pledge",
    "Type of pledge (please select)",
    "Nature of the pledge",
    "Please select the main three GCM objectives the pledge is/are meant to support",
    "Please indicate which GCM Guiding Principle is/are particularly relevant for the pledge",
    "Please describe the pledge",
    "Please indicate an indicative timeline for the fulfilment of the pledge",
    "Created",
]


def upload(client: httpx.Client, auth: dict, filename: str, data: bytes) -> httpx.Response:
    return client.post("/index", headers=auth, files={"file": (filename, data)})


def test_upload_indexes_good_records_and_reports_the_rejected_one(
    client: httpx.Client, auth: dict, fixtures_dir
) -> None:
    data = (fixtures_dir / "upload_good.jsonl").read_bytes()
    response = upload(client, auth, "upload_good.jsonl", data)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["read"], report["indexed"], report["unchanged"], report["rejected"]) == (4, 3, 0, 1)
    rejection = report["rejections"][0]
    assert rejection["line"] == 4 and rejection["field"] == "title" and rejection["reason"]

    params = {"q": "mobile legal clinic", "mode": "keyword", "size": 3}
    hits = client.get("/search", params=params).json()["hits"]
    assert hits[0]["id"] == "syn-upload-1", "the uploaded record, all three words in its title, is searchable at once"
    assert client.get("/pledges/syn-upload-2").json()["language"] == "fr"

    again = upload(client, auth, "upload_good.jsonl", data).json()
    assert (again["indexed"], again["unchanged"], again["rejected"], again["embedded"]) == (0, 3, 1, 0)


def test_upload_of_a_webform_csv_export(client: httpx.Client, auth: dict) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(WEBFORM_COLUMNS)
    writer.writerow(
        [
            "9901",
            "Municipality of Fjordby",
            "Cities, Municipalities, and Local Authority",
            "A. Person",
            "a.person@example.org",
            "Norway",
            "",
            "Europe",
            "Night shelter for newly arrived migrants",
            "Individual (by one state/actor)",
            "Material/Technical",
            "7. Address and reduce vulnerabilities in migration",
            "Human rights",
            "The municipality runs a night shelter with forty beds for migrants without housing.",
            "31 Dec 2025",
            "Mon, 08/01/2022 - 10:15",
        ]
    )
    response = upload(client, auth, "export.csv", out.getvalue().encode())
    assert response.status_code == 200, response.text
    assert response.json()["indexed"] == 1
    record = client.get("/pledges/sub-9901").json()
    assert record["countries"] == ["NOR"] and record["objectives"] == [7]
    assert "a.person@example.org" not in json.dumps(record), "contact columns are never indexed"


def test_searches_keep_answering_while_an_upload_indexes(client: httpx.Client, auth: dict, live_server) -> None:
    lines = [
        json.dumps(
            {
                "id": f"syn-bulk-{i}",
                "synthetic": True,
                "title": f"Bulk record {i} on borders",
                "description": f"Invented record number {i} about integrated border management, "
                "training of border officials and cooperation between neighbours.",
                "countries": ["Norway"],
                "objectives": [11],
                "language": "en",
            }
        )
        for i in range(60)
    ]
    result: dict[str, httpx.Response] = {}

    def index() -> None:
        with httpx.Client(base_url=live_server.url, timeout=600) as other:
            result["upload"] = upload(other, auth, "bulk.jsonl", "\n".join(lines).encode())

    worker = threading.Thread(target=index)
    worker.start()
    statuses: list[int] = []
    answered_while_indexing = 0
    modes = ["keyword", "semantic", "hybrid"]
    while worker.is_alive():
        response = client.get(
            "/search", params={"q": f"recruitment fees {len(statuses)}", "mode": modes[len(statuses) % 3]}
        )
        statuses.append(response.status_code)
        if worker.is_alive():
            answered_while_indexing += 1
    worker.join()
    assert result["upload"].status_code == 200, result["upload"].text
    assert result["upload"].json()["indexed"] == 60
    assert set(statuses) == {200}
    assert answered_while_indexing >= 3, "searches waited for the upload: the event loop was blocked"
