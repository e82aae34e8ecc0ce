"""Issue 13 against the live API: limits on every write path, ids and titles, personal data on PUT, DELETE
that purges, nested JSON uploads, CSV export formulas, unknown parameters, malformed HTTP, stalled bodies and
the limits in the OpenAPI schema. Records written here are synthetic and deleted again."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from test_error_shape import assert_error

from models import limits

ATTACKS = Path(__file__).resolve().parents[1] / "fixtures" / "attacks"
BODY = {
    "title": "Help desk for newly arrived migrants",
    "description": "An invented help desk record.",
    "countries": ["NOR"],
    "objectives": [15],
    "synthetic": True,
}
FORMULA_CHARS = ("=", "+", "-", "@")


@pytest.fixture()
def cleanup(client: httpx.Client, auth: dict) -> Iterator[list[str]]:
    """Ids to delete after the test, whatever happened."""
    ids: list[str] = []
    yield ids
    for record_id in ids:
        client.delete(f"/pledges/{record_id}", headers=auth)


# --- 1. limits on PUT ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "T" * (limits.MAX_TITLE_CHARS + 1)}, "title"),
        ({"description": "d" * (limits.MAX_DESCRIPTION_CHARS + 1)}, "description"),
        ({"entity_name": "E" * (limits.MAX_SHORT_TEXT_CHARS + 1)}, "entity_name"),
        ({"themes": ["t"] * (limits.MAX_LIST_ITEMS + 1)}, "themes"),
        ({"countries": ["NOR"] * (limits.MAX_LIST_ITEMS + 1)}, "countries"),
        ({"themes": ["t" * (limits.MAX_ITEM_CHARS + 1)]}, "themes"),
        ({"description": "A desk\x00with a NUL byte."}, "description"),
    ],
    ids=["title", "description", "entity_name", "list-items", "countries", "item-chars", "nul"],
)
def test_put_over_a_limit_is_422_naming_the_field(client: httpx.Client, auth: dict, change: dict, field: str) -> None:
    assert_error(client.put("/pledges/syn-atk-limit", headers=auth, json={**BODY, **change}), 422, field)
    assert client.get("/pledges/syn-atk-limit").status_code == 404


# --- 7. ids and titles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw_id",
    [
        "%20syn-atk-id",
        "syn-atk-id%20",
        "syn-atk%0Aid",
        "syn-atk%00id",
        "syn-atk-%E2%80%AEdi",
        "syn-atk-%D1%95id",
        "-syn-atk-id",
        "syn atk id",
    ],
    ids=[
        "leading-space",
        "trailing-space",
        "newline",
        "nul",
        "bidi-override",
        "cyrillic-look-alike",
        "leading-dash",
        "inner-space",
    ],
)
def test_put_with_a_malformed_id_is_422(client: httpx.Client, auth: dict, raw_id: str) -> None:
    body = assert_error(client.put(f"/pledges/{raw_id}", headers=auth, json=BODY), 422, "record_id")
    assert "pattern" in body["error"]["message"]


@pytest.mark.parametrize(
    "title",
    ["   ", "\u200b\u200b", "\u00a0\u2003", "Desk\u202eevil", "Two\nlines"],
    ids=["spaces", "zero-width", "nbsp-emspace", "bidi-override", "line-break"],
)
def test_put_with_a_title_without_visible_text_or_with_controls_is_422(
    client: httpx.Client, auth: dict, title: str
) -> None:
    assert_error(client.put("/pledges/syn-atk-title", headers=auth, json={**BODY, "title": title}), 422, "title")


# --- 4. personal data on PUT, and DELETE that purges --------------------------------------------------------


def test_put_scrubs_email_ip_and_uuid(client: httpx.Client, auth: dict, cleanup: list[str]) -> None:
    cleanup.append("syn-atk-pii")
    leaky = {
        **BODY,
        "description": "Write to desk.person@example.org from 192.0.2.44, form 0b5b6f4e-2f63-4c7e-9d55-7f3c1d2e8a10.",
        "entity_name": "Desk of x.person@example.org",
        "city": "Oslo 198.51.100.9",
    }
    stored = client.put("/pledges/syn-atk-pii", headers=auth, json=leaky)
    assert stored.status_code == 200, stored.text
    for text in (stored.text, client.get("/pledges/syn-atk-pii").text):
        for secret in ("person@example.org", "192.0.2.44", "0b5b6f4e", "198.51.100.9"):
            assert secret not in text
    assert stored.json()["description"] == "Write to [removed] from [removed], form [removed]."


def _marker() -> str:
    """A random run of capitals: no 4-byte sequence of it is likely anywhere else in the store, so the store's
    compression keeps it as literal bytes that a byte search finds."""
    return "".join(secrets.choice("BCDFGHJKLMNPQRSTVWXZ") for _ in range(64))


def _chunks_in(root: Path, marker: str) -> list[str]:
    """Files under `root` holding any 16-character piece of `marker`."""
    pieces = [marker[i : i + 16].encode() for i in range(0, len(marker), 16)]
    return [str(p) for p in root.rglob("*") if p.is_file() and any(x in p.read_bytes() for x in pieces)]


def test_after_delete_the_text_is_in_no_store_file(
    client: httpx.Client, auth: dict, indexed_store: Path, cleanup: list[str], api_engine: str
) -> None:
    """Two records uploaded together share a store segment: deleting one must not leave its text in it. (The
    embedded store's files; on OpenSearch the upload and delete run the same, and its purge is the cluster's
    segment merging, which the README documents.)"""
    marker = _marker()
    cleanup.append("syn-atk-purge-keep")
    lines = [
        json.dumps({**BODY, "id": "syn-atk-purge", "description": f"Text to erase {marker}."}),
        json.dumps({**BODY, "id": "syn-atk-purge-keep", "description": "Text to keep."}),
    ]
    uploaded = client.post("/index", headers=auth, files={"file": ("two.jsonl", "\n".join(lines).encode())})
    assert uploaded.status_code == 200 and uploaded.json()["indexed"] == 2, uploaded.text
    embedded = api_engine == "embedded"
    assert not embedded or _chunks_in(indexed_store, marker), "the text must be in the store before the delete"
    assert client.delete("/pledges/syn-atk-purge", headers=auth).status_code == 204
    assert not embedded or _chunks_in(indexed_store, marker) == []
    assert client.get("/pledges/syn-atk-purge").status_code == 404
    assert client.get("/pledges/syn-atk-purge-keep").json()["description"] == "Text to keep."


# --- 3. nested JSON through POST /index ---------------------------------------------------------------------


def test_upload_with_a_deeply_nested_line_indexes_the_rest(
    client: httpx.Client, auth: dict, cleanup: list[str]
) -> None:
    good = [line for line in (ATTACKS / "nested_line.jsonl").read_text().splitlines() if not line.startswith("[")]
    cleanup.extend(json.loads(line)["id"] for line in good)
    data = "\n".join([good[0], good[1], "[" * 30_000 + "]" * 30_000, good[2]]).encode()
    response = client.post("/index", headers=auth, files={"file": ("nested.jsonl", data)})
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["read"], report["indexed"], report["rejected"]) == (4, 3, 1)
    assert report["rejections"][0]["line"] == 3 and "nested deeper" in report["rejections"][0]["reason"]
    assert client.get("/health").status_code == 200  # the connection and the server are fine


# --- 6. CSV export formulas ---------------------------------------------------------------------------------


def _pieces(text: str) -> Iterator[str]:
    """Every cell a spreadsheet could see, whichever of , ; tab | it splits on, quotes or not."""
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        for separator in (",", ";", "\t", "|"):
            for piece in line.split(separator):
                yield piece.lstrip(' "\u00a0')


def test_export_defuses_formulas_for_every_separator(client: httpx.Client, auth: dict, cleanup: list[str]) -> None:
    hostile = [json.loads(line) for line in (ATTACKS / "hostile_titles.jsonl").read_text().splitlines()]
    formula = next(r for r in hostile if r["title"].startswith("=HYPERLINK"))
    cleanup.append(formula["id"])
    body = {k: v for k, v in formula.items() if k != "id"} | {"countries": ["NOR"]}
    assert client.put(f"/pledges/{formula['id']}", headers=auth, json=body).status_code == 200
    response = client.get("/export", params={"q": "HYPERLINK", "mode": "keyword"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["id"] for row in rows] == [formula["id"]]
    risky = [piece for piece in _pieces(response.text) if piece.startswith(FORMULA_CHARS)]
    assert risky == []
    for separator in (";", "\t", "|"):  # a spreadsheet honouring quotes but splitting on another separator
        for row in csv.reader(io.StringIO(response.text), delimiter=separator):
            assert not [c for c in row if c.lstrip(' "').startswith(FORMULA_CHARS)], separator
    # defused, not mangled: the text is all there, each formula start behind a '
    assert rows[0]["title"] == '\'=HYPERLINK("http://tracker.invalid/x";"click") ;\'=1+1 |\'=cmd'


# --- 8. unknown parameters, malformed HTTP, stalled bodies, OpenAPI ----------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "field", "hint"),
    [
        ("/search", {"q": "migrants", "countri": "FRA"}, "countri", "country"),
        ("/search", {"objectiv": "15"}, "objectiv", "objective"),
        ("/facets", {"entity": "city"}, "entity", "entity_type"),
        ("/export", {"langauge": "fr"}, "langauge", "language"),
        ("/pledges/syn-api-01", {"verbose": "1"}, "verbose", "lang"),
        ("/pledges/syn-api-01/similar", {"other_country": "true"}, "other_country", "other_countries"),
    ],
)
def test_an_unknown_query_parameter_is_422_naming_it(
    client: httpx.Client, path: str, params: dict, field: str, hint: str
) -> None:
    body = assert_error(client.get(path, params=params), 422, field, "validation_error")
    assert hint in body["error"]["message"]


def test_too_many_values_for_one_filter_is_422(client: httpx.Client) -> None:
    params = [("country", "FRA")] * (limits.MAX_FILTER_VALUES + 1)
    assert_error(client.get("/search", params=params), 422, "country")


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /search HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n",
        b"BLAH\r\n\r\n",
        b"GET /search HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n",
    ],
    ids=["header-without-colon", "garbage-request-line", "nul-in-header"],
)
def test_malformed_http_gets_the_json_error_shape(live_server, raw: bytes) -> None:
    url = urlparse(live_server.url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"content-type: application/json" in head.lower()
    error = json.loads(body)["error"]
    assert error["code"] == "bad_request" and set(error) == {"code", "message", "field"}


def test_a_stalled_request_body_gets_408_with_fake_service() -> None:
    """In-process, with a 50 ms allowance: the client sends the headers and part of the body, then nothing."""
    from models.settings import Settings
    from search_api.http.app import create_app

    app = create_app(Settings(api_key="k", request_body_idle_s=0.05), service=object())
    sent: list[dict] = []
    stalled = asyncio.Event()

    async def receive() -> dict:
        if not stalled.is_set():
            stalled.set()
            return {"type": "http.request", "body": b'{"title": "half', "more_body": True}
        await asyncio.Event().wait()  # the rest of the body never comes
        return {}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "PUT",
        "scheme": "http",
        "path": "/pledges/syn-x",
        "raw_path": b"/pledges/syn-x",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"400"), (b"x-api-key", b"k")],
        "client": ("127.0.0.1", 1),
        "server": None,
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 408
    assert (b"connection", b"close") in start["headers"]
    body = json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
    assert body["error"]["code"] == "request_timeout"


def test_the_openapi_schema_states_the_limits(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    write = schema["components"]["schemas"]["PledgeWrite"]["properties"]
    assert write["title"]["maxLength"] == limits.MAX_TITLE_CHARS
    assert write["description"]["maxLength"] == limits.MAX_DESCRIPTION_CHARS
    assert write["countries"]["maxItems"] == limits.MAX_LIST_ITEMS
    put = schema["paths"]["/pledges/{record_id}"]["put"]
    (path_param,) = [p for p in put["parameters"] if p["name"] == "record_id"]
    assert path_param["schema"]["pattern"] == limits.ID_PATTERN
    upload = schema["paths"]["/index"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert f"{limits.MAX_DESCRIPTION_CHARS:,}" in upload["properties"]["file"]["description"]
    (country,) = [p for p in schema["paths"]["/search"]["get"]["parameters"] if p["name"] == "country"]
    assert country["schema"]["maxItems"] == limits.MAX_FILTER_VALUES
