"""Every producer of errors answers the one shape `{"error": {"code", "message", "field"}}` with a 4xx
(STYLE #9): bad parameters, unknown ids, missing keys, bad uploads, unknown routes. Against the real server.

The two producers a healthy engine cannot trigger (engine down -> 503, a bug -> 500) are checked in-process
with a fake service, and say so in their names.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

KEY_HEADER = "X-API-Key"


def assert_error(
    response: httpx.Response, status: int, field: str | None = None, code: str | None = None
) -> dict[str, Any]:
    """The response is the one error shape, with this status (and field / code when given)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "field"}, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    if field is not None:
        assert error["field"] == field, error
    if code is not None:
        assert error["code"] == code, error
    return body


BAD_PARAMETERS = [
    ("/search", {"objective": "31"}, "objective"),
    ("/search", {"objective": "0"}, "objective"),
    ("/search", {"objective": "fifteen"}, "objective"),
    ("/search", {"page": "0"}, "page"),
    ("/search", {"page": "-3"}, "page"),
    ("/search", {"size": "10000"}, "size"),
    ("/search", {"size": "0"}, "size"),
    ("/search", {"q": "x" * 20_000}, "q"),
    ("/search", {"q": "é" * 5_000 + "x" * 15_000}, "q"),
    ("/search", {"mode": "fuzzy"}, "mode"),
    ("/search", {"fusion": "magic"}, "fusion"),
    ("/search", {"sort": "random"}, "sort"),
    ("/search", {"lang": "de"}, "lang"),
    ("/search", {"synthetic": "perhaps"}, "synthetic"),
    ("/search", {"deadline_from": "2025-13-45"}, "deadline_from"),
    ("/search", {"deadline_from": "2026-01-01", "deadline_to": "2025-01-01"}, "deadline_to"),
    ("/facets", {"deadline_from": "2263-01-01"}, "deadline_from"),
    ("/search", {"deadline_to": "1600-01-01"}, "deadline_to"),
    ("/search", {"page": "5000", "size": "100"}, "page"),
    ("/export", {"objective": "31"}, "objective"),
    ("/export", {"mode": "fuzzy"}, "mode"),
    ("/facets", {"objective": "24"}, "objective"),
    ("/facets", {"lang": "pt"}, "lang"),
    ("/facets", {"facet_size": "301"}, "facet_size"),
    ("/facets", {"facet_size": "0"}, "facet_size"),
    ("/taxonomy", {"lang": "xx"}, "lang"),
    ("/pledges/syn-api-01/similar", {"k": "0"}, "k"),
    ("/pledges/syn-api-01/similar", {"k": "1000"}, "k"),
    ("/pledges/syn-api-01/similar", {"objective": "31"}, "objective"),
    ("/pledges/syn-api-01/similar", {"other_countries": "maybe"}, "other_countries"),
]


def _case_id(path: str, params: dict, field: str) -> str:
    return f"{path}?{field}=" + str(params.get(field, next(iter(params.values()))))[:12]


@pytest.mark.parametrize(("path", "params", "field"), BAD_PARAMETERS, ids=[_case_id(*case) for case in BAD_PARAMETERS])
def test_bad_parameter_is_422_naming_the_field(client: httpx.Client, path: str, params: dict, field: str) -> None:
    assert_error(client.get(path, params=params), 422, field, "validation_error")


@pytest.mark.parametrize("path", ["/pledges/no-such-record", "/pledges/no-such-record/similar"])
def test_unknown_id_is_404(client: httpx.Client, path: str) -> None:
    assert_error(client.get(path), 404, code="not_found")


def test_delete_of_unknown_id_is_404(client: httpx.Client, auth: dict) -> None:
    assert_error(client.delete("/pledges/no-such-record", headers=auth), 404, code="not_found")


def test_unknown_route_and_method_use_the_error_shape(client: httpx.Client) -> None:
    assert_error(client.get("/no-such-endpoint"), 404)
    assert_error(client.post("/search"), 405, code="method_not_allowed")


WRITES = [("PUT", "/pledges/syn-api-01"), ("DELETE", "/pledges/syn-api-01"), ("POST", "/index")]


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "headers", [{}, {KEY_HEADER: "wrong"}, {KEY_HEADER: ""}], ids=["no-key", "wrong-key", "empty-key"]
)
def test_write_without_the_right_key_is_401(
    client: httpx.Client, api_key: str, method: str, path: str, headers: dict
) -> None:
    response = client.request(method, path, headers=headers, json={"title": "t", "description": "d"})
    body = assert_error(response, 401, KEY_HEADER, "unauthorized")
    assert api_key not in json.dumps(body)
    assert client.get("/pledges/syn-api-01").status_code == 200, "a refused write changed nothing"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "no title"}, "title"),
        ({"title": "t", "description": "d", "colour": "red"}, "colour"),
        ({"title": "t", "description": "d", "objectives": [31]}, "objectives"),
        ({"title": "t", "description": "d", "deadline": "someday"}, "deadline"),
        ({"title": "t", "description": "d", "deadline": "2300-01-01"}, "deadline"),
    ],
)
def test_put_with_invalid_body_is_422_naming_the_field(
    client: httpx.Client, auth: dict, body: dict, field: str
) -> None:
    assert_error(client.put("/pledges/syn-new", headers=auth, json=body), 422, field)
    assert_error(client.get("/pledges/syn-new"), 404)


def test_preflight_from_an_unknown_origin_is_refused_in_the_error_shape(client: httpx.Client) -> None:
    response = client.options(
        "/search", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert_error(response, 400, "Origin", "cors_rejected")
    assert "access-control-allow-origin" not in response.headers


def test_put_with_broken_json_is_422(client: httpx.Client, auth: dict) -> None:
    response = client.put(
        "/pledges/syn-new", headers={**auth, "content-type": "application/json"}, content=b'{"title": "unterminated'
    )
    assert_error(response, 422, code="validation_error")


def test_malformed_upload_is_422_with_the_report(client: httpx.Client, auth: dict, fixtures_dir) -> None:
    data = (fixtures_dir / "upload_malformed.jsonl").read_bytes()
    response = client.post("/index", headers=auth, files={"file": ("broken.jsonl", data)})
    body = assert_error(response, 422, "file", "upload_rejected")
    report = body["report"]
    assert report["indexed"] == 0 and report["rejected"] == report["read"] == 3
    assert [r["line"] for r in report["rejections"]] == [1, 2, 3]


@pytest.mark.parametrize(
    ("filename", "content"),
    [("notes.pdf", b"%PDF-1.4"), ("empty.jsonl", b"  \n"), ("binary.csv", bytes(range(256)) * 4)],
)
def test_unreadable_upload_is_422(client: httpx.Client, auth: dict, filename: str, content: bytes) -> None:
    response = client.post("/index", headers=auth, files={"file": (filename, content)})
    assert_error(response, 422, "file")


def test_upload_without_a_file_is_422(client: httpx.Client, auth: dict) -> None:
    assert_error(client.post("/index", headers=auth, data={"other": "x"}, files={"f": ("a.jsonl", b"{}")}), 422, "file")
    assert_error(client.post("/index", headers=auth, json={"records": []}), 422, "file")


def test_garbled_multipart_is_400(client: httpx.Client, auth: dict) -> None:
    response = client.post(
        "/index",
        headers={**auth, "content-type": "multipart/form-data; boundary=xyz"},
        content=b"--xyz\r\nnot a part header\r\n\r\nbody\r\n",
    )
    assert_error(response, 400)


def test_oversized_upload_is_413(client: httpx.Client, auth: dict, max_upload_bytes: int) -> None:
    line = json.dumps({"id": "syn-big", "title": "big", "description": "x" * 1000}) + "\n"
    data = (line * (max_upload_bytes // len(line) + 50)).encode()
    assert_error(
        client.post("/index", headers=auth, files={"file": ("big.jsonl", data)}), 413, "file", "upload_too_large"
    )


def test_oversized_chunked_upload_is_413(client: httpx.Client, auth: dict, max_upload_bytes: int) -> None:
    """No Content-Length to check up front: the limit holds while the body streams in."""
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jsonl"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()

    def chunks():
        yield head
        for _ in range(max_upload_bytes // 10_000 + 20):
            yield b"x" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {**auth, "content-type": f"multipart/form-data; boundary={boundary}"}
    response = client.post("/index", headers=headers, content=chunks())
    assert_error(response, 413, "file", "upload_too_large")


# --- producers a healthy engine cannot trigger: in-process, with fake services -----------------------------


class _EngineDownFakeService:
    """Every call fails the way an unreachable engine does."""

    def __getattr__(self, name: str):
        from search_api.backends.base import BackendError

        def fail(*args: object, **kwargs: object) -> None:
            raise BackendError("connection refused by 127.0.0.1:9200")

        return fail


class _BuggyFakeService:
    """Every call hits a bug whose message must never reach the client."""

    def __getattr__(self, name: str):
        def fail(*args: object, **kwargs: object) -> None:
            raise RuntimeError("secret internal detail /srv/app/store")

        return fail


def _fake_client(service: object, **settings: Any):
    from fastapi.testclient import TestClient

    from models.settings import Settings
    from search_api.http.app import create_app

    return TestClient(create_app(Settings(**settings), service=service), raise_server_exceptions=False)


@pytest.mark.parametrize("path", ["/search", "/ready", "/facets", "/pledges/x", "/pledges/x/similar", "/export"])
def test_engine_down_is_503_with_fake_service(path: str) -> None:
    with _fake_client(_EngineDownFakeService()) as http:
        assert_error(http.get(path), 503, code="engine_unavailable")


class _HealthFakeService:
    """An engine that answers, in the given health (an OpenSearch cluster that lost nodes)."""

    def __init__(self, health: str) -> None:
        self.health = health

    def ready(self) -> dict[str, object]:
        return {"backend": "opensearch", "health": self.health, "count": 7, "model": "m"}


def test_ready_says_yellow_and_answers_while_a_copy_is_missing_with_fake_service() -> None:
    with _fake_client(_HealthFakeService("yellow")) as http:
        response = http.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "backend": "opensearch", "health": "yellow", "count": 7, "model": "m"}


def test_ready_is_503_when_part_of_the_index_is_unavailable_with_fake_service() -> None:
    with _fake_client(_HealthFakeService("red")) as http:
        body = assert_error(http.get("/ready"), 503, code="unavailable")
    assert "red" in body["error"]["message"]


def test_unexpected_error_is_500_without_details_with_fake_service(caplog: pytest.LogCaptureFixture) -> None:
    with _fake_client(_BuggyFakeService()) as http:
        response = http.get("/search", params={"q": "x"})
    body = assert_error(response, 500, code="internal_error")
    assert "secret internal detail" not in json.dumps(body)
    assert "secret internal detail" in caplog.text, "the error must be logged on the server"


def test_paging_stops_at_the_configured_result_window_with_fake_service() -> None:
    with _fake_client(_EngineDownFakeService(), max_result_window=20) as http:
        body = assert_error(http.get("/search", params={"page": 3, "size": 10}), 422, "page", "validation_error")
        assert "20" in body["error"]["message"] and "/export" in body["error"]["message"]
        # the deepest allowed page passes validation and reaches the (unreachable) engine
        assert_error(http.get("/search", params={"page": 2, "size": 10}), 503, code="engine_unavailable")


def test_service_not_started_is_503_with_fake_service() -> None:
    from fastapi.testclient import TestClient

    from models.settings import Settings
    from search_api.http.app import create_app

    app = create_app(Settings())
    http = TestClient(app)  # lifespan not entered: the service was never built
    assert_error(http.get("/ready"), 503, code="unavailable")
    assert http.get("/health").status_code == 200


@pytest.mark.parametrize(("method", "path"), [("PUT", "/pledges/x"), ("DELETE", "/pledges/x"), ("POST", "/index")])
def test_writes_are_closed_when_no_key_is_configured_with_fake_service(method: str, path: str) -> None:
    with _fake_client(_BuggyFakeService(), api_key=None) as http:
        response = http.request(method, path, headers={KEY_HEADER: "anything"})
    body = assert_error(response, 401, "X-API-Key", "api_key_not_configured")
    assert "PLEDGES_API_KEY is not set" in body["error"]["message"]
